"""Parsed reports as plain records, for work across reports (cross-year checks, compare).

A *record* is the JSON object of one report (``Report.to_dict()``, a line of a batch's
``reports.jsonl``). Everything across reports reads records, never source files, so a
whole archive is checked or compared without parsing it again.

The small adapters here say what an office and its indicators are; the cross-year
checks and ``compare`` use nothing else, so the research panel's issuer resolution
(``meta.issuer_canonical``) and harmonised series plug in at one place each.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .errors import RecordsError

REPORTS_JSONL = "reports.jsonl"

Record = dict[str, Any]


def as_record(report: Any) -> Record:
    """A :class:`govreport.Report` or a record (dict) as a record."""
    if isinstance(report, Mapping):
        return dict(report)
    to_dict = getattr(report, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    raise TypeError(f"not a report or a report record: {type(report).__name__}")


#: what work across reports reads of a record; the rest (provenance, sections) is most of
#: a reports.jsonl line and is dropped on reading, so 10,000 records fit in memory
ACROSS_REPORTS = ("batch", "source", "meta", "facts", "series", "narrative", "checks", "plugins")


def iter_jsonl(path: str | os.PathLike[str], *,
               keep: Iterable[str] | None = ACROSS_REPORTS) -> Iterator[Record]:
    """The records of a reports.jsonl, the last line of each input only (a rerun with
    other options or a changed file appends a newer line), each with only the members
    ``keep`` names (``None``: all)."""
    from .outputs import iter_lines

    wanted = None if keep is None else frozenset(keep)
    latest: dict[str, Record] = {}
    for _, line in iter_lines(path):
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict):
            if wanted is not None:
                rec = {k: v for k, v in rec.items() if k in wanted}
            latest.pop(path_of(rec), None)  # keep the order of the newest lines
            latest[path_of(rec)] = rec
    yield from latest.values()


def load_records(source: Any) -> list[Record]:
    """Records from ``source``: a batch output folder or its ``reports.jsonl`` (each record
    with the members of ``ACROSS_REPORTS``), a JSON file of one report (``govreport parse``
    output), or an iterable of reports/records."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            path = path / REPORTS_JSONL
        if not path.is_file():
            raise RecordsError(str(source), f"no {REPORTS_JSONL} here (not a batch output folder)")
        if path.suffix == ".json":
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise RecordsError(str(path), f"not a report's JSON ({exc})") from exc
            if not isinstance(data, dict) or "facts" not in data:
                raise RecordsError(str(path), "not a report's JSON (no facts)")
            return [data]
        return list(iter_jsonl(path))
    return [as_record(r) for r in source]


# ---------------------------------------------------------------------------------------
# Adapters: what an office, a year and an indicator are


def path_of(rec: Mapping[str, Any]) -> str:
    src = rec.get("source") or {}
    return str(src.get("path") or (rec.get("batch") or {}).get("input") or "<report>")


def sha_of(rec: Mapping[str, Any]) -> str | None:
    return (rec.get("source") or {}).get("sha256") or (rec.get("batch") or {}).get("sha256")


def year_of(rec: Mapping[str, Any]) -> int | None:
    year = (rec.get("meta") or {}).get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def office_key(rec: Mapping[str, Any]) -> str | None:
    """The office a report belongs to: the canonical issuer when resolved, else the
    issuer as printed."""
    meta = rec.get("meta") or {}
    return meta.get("issuer_canonical") or meta.get("issuer") or None


def _numeric(values: Mapping[str, Any]) -> dict[str, int | float]:
    return {k: v for k, v in values.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)}


def indicators(rec: Mapping[str, Any]) -> dict[str, int | float]:
    """The headline numbers of a report for year-on-year comparison: its harmonised series
    (``govreport.series``: one indicator across the pre- and post-2019 eras), the numbers
    it states."""
    from .research.series import series

    return _numeric(series(rec))


_DATE = re.compile(r"^((?:19|20)\d{2})-\d{2}-\d{2}")


def report_dates(rec: Mapping[str, Any]) -> dict[str, str]:
    """The dates a report states about itself (``meta.signed_date``, ``published_date`` …,
    or ``meta.dates``), as ISO strings — a date whose ``<key>_source`` says it is weak
    evidence (a PDF's CreationDate) is left out."""
    meta = rec.get("meta") or {}
    found: dict[str, str] = {}
    items = list(meta.items())
    if isinstance(meta.get("dates"), Mapping):
        items += list(meta["dates"].items())
    for key, value in items:
        weak = "weak" in str(meta.get(f"{key}_source") or "")  # e.g. a PDF's CreationDate
        if (isinstance(value, str) and "date" in key.lower() and "creat" not in key.lower()
                and not weak and _DATE.match(value)):
            found[key] = value
    return found


def date_year(value: str) -> int:
    m = _DATE.match(value)
    assert m is not None
    return int(m.group(1))


def describe(rec: Mapping[str, Any]) -> dict[str, Any]:
    """How a finding names a report: path, year, sha256."""
    return {"path": path_of(rec), "year": year_of(rec), "sha256": sha_of(rec)}


def group_by_office(records: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Records with an office and a year, grouped by :func:`office_key`, each group sorted
    by year (then path)."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for rec in records:
        office, year = office_key(rec), year_of(rec)
        if office and year is not None:
            groups.setdefault(office, []).append(rec)
    for recs in groups.values():
        recs.sort(key=lambda r: (year_of(r), path_of(r)))
    return groups
