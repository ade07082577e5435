"""Checks across reports: one office over the years, and the archive as a whole.

Each report is checked alone when it is parsed (``checks/``). The checks here need
several reports: does this year's 上年结转 equal last year's 结转下年度继续办理
(``XY-CARRY``), did an indicator or a rate jump (``XY-JUMP``), are there two documents for
one office-year (``XY-DUP``), a year that disagrees with the title or dates (``XY-YEAR``),
a missing year inside a series (``XY-GAP``)? The rules are plugins
(``govreport_register_batch_checks``); the built-in ones are in ``crossyear_rules``.

They run on records — the JSON of parsed reports (a list, or a batch output folder's
``reports.jsonl``) — never on source files, so an archive of 10,000 reports is checked in
seconds. Findings go to ``checks.jsonl`` and a ``cross_checks.json`` summary.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .outputs import CHECKS_JSONL, CROSS_CHECKS_JSON
from .rates import explain
from .records import Record, describe, group_by_office, indicators, load_records


@dataclass
class CrossOptions:
    """Thresholds of the built-in rules (``govreport crosscheck --help`` names them)."""

    #: XY-JUMP: an indicator moving by more than this factor (or below its inverse) ...
    jump_factor: float = 5.0
    #: ... when the larger of the two years is at least this (small counts jump freely)
    jump_min_volume: float = 20
    #: XY-JUMP: a rate moving by more than this many percentage points ...
    rate_points: float = 30.0
    #: ... when both years' denominators are at least this
    rate_min_denominator: float = 10
    #: the rates XY-JUMP watches (names of govreport.rates measures)
    jump_rates: tuple[str, ...] = ("disclosure_rate", "denial_rate", "review_correction_rate")
    #: XY-YEAR: a report's own dates may fall in its year or up to this many years after
    date_lag_years: int = 1

    @classmethod
    def coerce(cls, value: CrossOptions | Mapping[str, Any] | None) -> CrossOptions:
        if value is None:
            return cls()
        if isinstance(value, CrossOptions):
            return value
        data = dict(value)
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown cross-check options: {sorted(unknown)}")
        return cls(**data)


@dataclass
class CrossCheck:
    """A finding about several reports (or one report seen against the archive)."""

    rule: str
    severity: str
    office: str | None
    message: str
    reports: list[dict[str, Any]]   # [{"path", "year", "sha256"}], in year order
    values: dict[str, Any] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    check: str | None = None        # the name of the batch check that made it

    def to_dict(self) -> dict[str, Any]:
        return {"scope": "batch", "rule": self.rule, "severity": self.severity,
                "office": self.office, "message": self.message, "reports": self.reports,
                "values": self.values, "keys": self.keys, "check": self.check}


class Batch:
    """What a batch check sees: the records, grouped by office, and the options."""

    def __init__(self, records: Sequence[Record], options: CrossOptions):
        self.records = records
        self.options = options
        self.offices: dict[str, list[Record]] = group_by_office(records)  # type: ignore[assignment]
        self._indicators: dict[int, dict[str, int | float]] = {}
        self._rates: dict[int, dict[str, dict[str, Any]]] = {}

    def indicators(self, record: Mapping[str, Any]) -> dict[str, int | float]:
        """:func:`govreport.records.indicators` of a record, computed once per run."""
        key = id(record)
        if key not in self._indicators:
            self._indicators[key] = indicators(record)
        return self._indicators[key]

    def rates(self, record: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        """:func:`govreport.rates.explain` of a record's facts, computed once per run."""
        key = id(record)
        if key not in self._rates:
            self._rates[key] = explain(record.get("facts") or {})
        return self._rates[key]

    def finding(self, rule: str, records: Iterable[Mapping[str, Any]], message: str, *,
                values: Mapping[str, Any] | None = None, keys: Iterable[str] = (),
                severity: str = "warning", office: str | None = None) -> CrossCheck:
        """A finding naming ``records`` (path, year, sha256) — what every rule yields."""
        return CrossCheck(rule, severity, office, message, [describe(r) for r in records],
                          dict(values or {}), list(keys))


def _batch_checks(registry: Any = None) -> list[Any]:
    if registry is None:
        from .plugins import get_registry

        registry = get_registry()
    return list(registry.batch_checks)


def run_checks(source: Any, *, options: CrossOptions | Mapping[str, Any] | None = None,
               registry: Any = None, checks: Iterable[Any] | None = None) -> list[CrossCheck]:
    """Every cross-report finding for ``source``: a batch output folder, a reports.jsonl,
    or a list of reports / records (``Report.to_dict()``).

    ``checks``: batch-check objects to run instead of the registered ones (the built-ins
    and plugins' ``govreport_register_batch_checks``).
    """
    records = load_records(source)
    batch = Batch(records, CrossOptions.coerce(options))
    found: list[CrossCheck] = []
    for check in (list(checks) if checks is not None else _batch_checks(registry)):
        name = getattr(check, "name", type(check).__name__)
        try:
            for finding in check.check(batch) or ():
                finding.check = finding.check or name
                found.append(finding)
        except Exception as exc:  # one broken plugin must not hide the other findings
            found.append(CrossCheck("PLUGIN-ERROR", "warning", None,
                                    f"batch check {name} raised {type(exc).__name__}: {exc}",
                                    [], check=name))
    return found


def summary(findings: Iterable[CrossCheck]) -> dict[str, Any]:
    """The ``cross_checks`` summary: findings per rule, offices and reports affected."""
    found = list(findings)
    per_rule = Counter(f.rule for f in found)
    offices = {f.office for f in found if f.office}
    reports = {r["path"] for f in found for r in f.reports}
    return {"findings": len(found), "by_rule": dict(sorted(per_rule.items())),
            "offices": len(offices), "reports": len(reports)}


def write_outputs(outdir: str | os.PathLike[str], findings: Iterable[CrossCheck]) -> list[Path]:
    """Write ``checks.jsonl`` (one finding a line) and ``cross_checks.json`` (the summary)
    into ``outdir``, each atomically; returns their paths."""
    from .outputs import atomic_writer

    out = Path(outdir)
    found = list(findings)
    with atomic_writer(out / CHECKS_JSONL) as fh:
        for f in found:
            fh.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
    with atomic_writer(out / CROSS_CHECKS_JSON) as fh:
        json.dump(summary(found), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return [out / CHECKS_JSONL, out / CROSS_CHECKS_JSON]


def add_to_sqlite(db_path: str | os.PathLike[str], findings: Iterable[CrossCheck]) -> int:
    """Add findings to a batch's freshly built SQLite file (``--format sqlite``): a row in
    ``checks`` for every report a finding names, so they join to ``reports`` like the
    per-report checks, and the table ``cross_checks`` (one row a finding: its reports and
    values as JSON). Returns the rows added to ``checks``."""
    import sqlite3

    con = sqlite3.connect(os.fspath(db_path))
    try:
        ids = {path: rid for rid, path in con.execute("SELECT id, source_path FROM reports")}
        con.execute("CREATE TABLE IF NOT EXISTS cross_checks (id INTEGER PRIMARY KEY, "
                    "rule TEXT, severity TEXT, office TEXT, message TEXT, reports TEXT, "
                    "report_values TEXT, keys TEXT, batch_check TEXT)")
        rows = []
        for f in findings:
            con.execute("INSERT INTO cross_checks (rule, severity, office, message, reports, "
                        "report_values, keys, batch_check) VALUES (?,?,?,?,?,?,?,?)",
                        (f.rule, f.severity, f.office, f.message,
                         json.dumps(f.reports, ensure_ascii=False),
                         json.dumps(f.values, ensure_ascii=False), ";".join(f.keys), f.check))
            rows += [(ids[r["path"]], f.rule, f.severity, ";".join(f.keys), f.message)
                     for r in f.reports if r.get("path") in ids]
        con.executemany("INSERT INTO checks (report_id, rule, severity, keys, message) "
                        "VALUES (?,?,?,?,?)", rows)
        con.commit()
    finally:
        con.close()
    return len(rows)
