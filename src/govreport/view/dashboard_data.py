"""What the dashboard shows, computed from a batch output folder without parsing again.

One pass over ``reports.jsonl`` (the last line of each input, as the CSV/Parquet exports
take it) keeps a small record per report — year, era, office type, province, the check
rules it raised, its indicators and rates, its problem themes — then everything is
counted from those. ``errors.jsonl`` gives the failures by reason, and the cross-report
findings file (``checks.jsonl``) the cross-year rules when the batch has one.

Fields added by later stages are read when present and skipped when not: ``meta.region``
(``province`` when ``status`` is ``resolved``), ``meta.office_type``, the harmonised
``series`` of a record (else ``govreport.research.series`` of it), rates from
:mod:`govreport.rates` (else the govreport-metrics plugin's numbers). On an install with
neither, the indicators are the few totals listed in ``data/dashboard.json``.
"""
from __future__ import annotations

import importlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from statistics import quantiles
from typing import Any

from ..errors import GovReportError

REPORTS_JSONL = "reports.jsonl"
ERRORS_JSONL = "errors.jsonl"
CROSS_CHECKS_JSONL = "checks.jsonl"
UNKNOWN = "unknown"


class DashboardInputError(GovReportError):
    """The folder given to ``govreport dashboard`` is not a batch output folder."""

    code = "not_batch_output"


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    """``data/dashboard.json``: fallback indicators and how many themes to show."""
    text = (resources.files("govreport") / "data" / "dashboard.json").read_text("utf-8")
    return json.loads(text)


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


@dataclass
class Row:
    """The little the dashboard keeps of one report."""

    year: int | None
    era: str
    kind: str
    office_type: str
    province: str
    rules: dict[str, int]        # check rule → findings in this report
    indicators: dict[str, float]
    rates: dict[str, float]
    themes: tuple[str, ...]


Compute = Callable[[Mapping[str, Any]], dict[str, float]]


def _optional(module: str) -> Any:
    """A govreport module that a later stage adds, or None on an install without it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _series_function() -> Compute | None:
    """The harmonised series of :mod:`govreport.research` when this install has it."""
    mod = _optional("govreport.research")
    if mod is None or not callable(getattr(mod, "series", None)):
        return None

    def compute(rec: Mapping[str, Any]) -> dict[str, float]:
        return {k: n for k, v in mod.series(rec).items() if (n := _number(v)) is not None}
    return compute


def _rates_function() -> Compute | None:
    """Rates from :mod:`govreport.rates` when this install has it (kind ``rate`` only)."""
    mod = _optional("govreport.rates")
    if mod is None:
        return None
    try:
        names = {m.name for m in mod.measures() if m.kind == "rate"}
    except Exception:
        return None

    def compute(facts: Mapping[str, Any]) -> dict[str, float]:
        out = {}
        for k, v in mod.compute(facts).items():
            n = _number(v)
            if k in names and n is not None:
                out[k] = n
        return out
    return compute


def _row(rec: Mapping[str, Any], rates: Compute | None, series_of: Compute | None,
         fallback: list[str]) -> Row:
    meta = rec.get("meta") or {}
    year = meta.get("year")
    year = year if isinstance(year, int) and not isinstance(year, bool) and 1990 < year < 2100 else None
    region = meta.get("region")
    province = (region.get("province") if isinstance(region, Mapping)
                and region.get("status") == "resolved" else None)
    facts = rec.get("facts") or {}
    series = rec.get("series")
    if isinstance(series, Mapping):
        indicators = {k: n for k, v in series.items() if (n := _number(v)) is not None}
    elif series_of is not None:
        indicators = series_of(rec)
    else:
        indicators = {k: n for k in fallback if (n := _number(facts.get(k))) is not None}
    if rates is not None:
        rate_values = rates(facts)
    else:
        metrics = (rec.get("plugins") or {}).get("govreport-metrics") or {}
        rate_values = {k: n for k, v in metrics.items() if (n := _number(v)) is not None
                       and "rate" in k} if isinstance(metrics, Mapping) else {}
    narrative = rec.get("narrative") or {}
    themes: list[str] = []
    items = narrative.get("problem_themes")
    if isinstance(items, list):
        for item in items:
            if isinstance(item, Mapping):
                themes.extend(t for t in item.get("themes") or [] if isinstance(t, str))
    elif isinstance(narrative.get("themes"), list):
        themes = [t for t in narrative["themes"] if isinstance(t, str)]
    rules = dict(Counter(c["rule"] for c in rec.get("checks") or []
                         if isinstance(c, Mapping) and isinstance(c.get("rule"), str)))
    return Row(year=year, era=str(meta.get("era") or UNKNOWN),
               kind=str((rec.get("source") or {}).get("kind") or UNKNOWN),
               office_type=str(meta.get("office_type") or UNKNOWN),
               province=str(province or UNKNOWN), rules=rules, indicators=indicators,
               rates=rate_values, themes=tuple(dict.fromkeys(themes)))


def _path_of(rec: Mapping[str, Any]) -> str:
    return str((rec.get("batch") or {}).get("input") or (rec.get("source") or {}).get("path") or "")


_PROVENANCE = b', "provenance": {'
_AFTER_PROVENANCE = b'}, "narrative": '


def _without_provenance(line: bytes) -> bytes:
    """The line without its ``provenance`` member, which the dashboard never reads and
    which is most of a line. A JSON string cannot hold an unescaped quote, so the two
    markers only match the members themselves; the caller parses the whole line again if
    the cut one does not parse."""
    i = line.find(_PROVENANCE)
    if i < 0:
        return line
    j = line.find(_AFTER_PROVENANCE, i)
    return line if j < 0 else line[:i] + line[j + 1:]


def _lines(path: Path, *, light: bool = False) -> Iterable[dict[str, Any]]:
    from ..outputs import iter_lines

    for _, line in iter_lines(path):
        try:
            rec = json.loads(_without_provenance(line) if light else line)
        except ValueError:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
        if light and isinstance(rec, dict) and "facts" not in rec and b'"facts": ' in line:
            rec = json.loads(line)  # the cut took more than provenance
        if isinstance(rec, dict):
            yield rec


@dataclass
class Batch:
    """A batch output folder, read once."""

    folder: str
    rows: list[Row] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    cross_rules: Counter = field(default_factory=Counter)
    cross_by_year: Counter = field(default_factory=Counter)


def load_batch(folder: str | os.PathLike[str]) -> Batch:
    """Read ``folder`` (a ``govreport batch`` output); a typed error if it is not one."""
    out = Path(folder)
    reports, errors = out / REPORTS_JSONL, out / ERRORS_JSONL
    if not out.is_dir():
        raise DashboardInputError(str(out), "not a folder (give the -o folder of govreport batch)")
    if not reports.is_file() and not errors.is_file():
        raise DashboardInputError(str(out), f"holds neither {REPORTS_JSONL} nor {ERRORS_JSONL} "
                                            "(not a govreport batch output folder)")
    batch = Batch(folder=str(out))
    rates, series_of = _rates_function(), _series_function()
    fallback = list(settings()["fallback_indicators"])
    latest: dict[str, Row] = {}
    for rec in _lines(reports, light=True):
        path = _path_of(rec)
        latest.pop(path, None)  # a newer line of the same input replaces the older one
        latest[path] = _row(rec, rates, series_of, fallback)
    batch.rows = list(latest.values())
    parsed = set(latest)
    failed: dict[str, tuple[bool, str]] = {}
    for rec in _lines(errors):
        path = str(rec.get("path") or "")
        if path in parsed:
            continue  # failed once, parsed later
        kind = rec.get("skip_kind") or rec.get("type") or UNKNOWN
        failed[path] = (bool(rec.get("skipped")), str(rec.get("type") if not rec.get("skipped") else kind))
    for skipped, reason in failed.values():
        (batch.skipped if skipped else batch.failures)[reason] += 1
    for rec in _lines(out / CROSS_CHECKS_JSONL):
        rule = rec.get("rule")
        if isinstance(rule, str):
            batch.cross_rules[rule] += 1
            year = rec.get("year")
            if not isinstance(year, int):  # the later report a finding names
                found = [r.get("year") for r in rec.get("reports") or [] if isinstance(r, Mapping)]
                year = max((y for y in found if isinstance(y, int)), default=None)
            if isinstance(year, int):
                batch.cross_by_year[(rule, year)] += 1
    return batch


# ------------------------------------------------------------------------------ counts

def years(rows: list[Row]) -> list[int]:
    return sorted({r.year for r in rows if r.year is not None})


def crosstab(rows: list[Row], col: Callable[[Row], str]) -> tuple[list[str], list[str], list[list[int]]]:
    """Reports by year (rows, "unknown" last) × ``col`` (columns, by frequency)."""
    counts = Counter((str(r.year) if r.year is not None else UNKNOWN, col(r)) for r in rows)
    row_names = [str(y) for y in years(rows)] + ([UNKNOWN] if any(r.year is None for r in rows) else [])
    by_col = Counter(col(r) for r in rows)
    col_names = [c for c, _ in by_col.most_common() if c != UNKNOWN] + ([UNKNOWN] if UNKNOWN in by_col else [])
    return row_names, col_names, [[counts[(y, c)] for c in col_names] for y in row_names]


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """(q1, median, q3); one value is its own quartiles."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = quantiles(sorted(values), n=4, method="inclusive")
    return q1, q2, q3


def by_year_quartiles(rows: list[Row],
                      getter: Callable[[Row], float | None]) -> list[tuple[int, int, float, float, float]]:
    """(year, n, q1, median, q3) for every year with at least one value."""
    per: dict[int, list[float]] = {}
    for r in rows:
        v = getter(r)
        if r.year is not None and v is not None:
            per.setdefault(r.year, []).append(v)
    return [(y, len(v), *quartiles(v)) for y, v in sorted(per.items())]


def by_group_quartiles(rows: list[Row], group: Callable[[Row], str],
                       getter: Callable[[Row], float | None]) -> list[tuple[str, int, float, float, float]]:
    per: dict[str, list[float]] = {}
    for r in rows:
        v = getter(r)
        g = group(r)
        if v is not None and g != UNKNOWN:
            per.setdefault(g, []).append(v)
    return sorted(((g, len(v), *quartiles(v)) for g, v in per.items()), key=lambda x: (-x[1], x[0]))


def names(rows: list[Row], attr: str) -> list[str]:
    """Indicator or rate names, most reported first."""
    counts: Counter = Counter()
    for r in rows:
        counts.update(getattr(r, attr).keys())
    return [k for k, _ in counts.most_common()]


def themes_by_year(rows: list[Row], top: int) -> tuple[list[str], list[str], list[list[int]]]:
    """The ``top`` most frequent problem themes × year: reports admitting each."""
    total: Counter = Counter(t for r in rows for t in r.themes)
    chosen = [t for t, _ in total.most_common(top)]
    ys = years(rows)
    counts = Counter((t, r.year) for r in rows for t in r.themes if r.year is not None)
    return chosen, [str(y) for y in ys], [[counts[(t, y)] for y in ys] for t in chosen]


def rules_by_year(rows: list[Row]) -> tuple[list[str], list[str], list[list[int]]]:
    """Check rules × year: reports with at least one finding of each rule."""
    total: Counter = Counter(rule for r in rows for rule in r.rules)
    rules = [k for k, _ in total.most_common()]
    ys = years(rows)
    counts = Counter((rule, r.year) for r in rows for rule in r.rules if r.year is not None)
    return rules, [str(y) for y in ys], [[counts[(k, y)] for y in ys] for k in rules]
