"""The dashboard of a batch output folder: one offline page of charts, each with its
numbers in a table beside it and a CSV link (a ``data:`` URI), for those who would
rather read than look.

    govreport dashboard OUT -o dashboard.html

Built from :mod:`.dashboard_data` (no re-parse); charts are inline SVG from :mod:`.svg`.
A chart whose data the batch does not hold (no resolved regions, no office types, no
rates) says what it would need instead of drawing nothing.
"""
from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from typing import Any

from . import svg
from .dashboard_data import (
    UNKNOWN,
    Batch,
    Row,
    by_group_quartiles,
    by_year_quartiles,
    crosstab,
    load_batch,
    names,
    rules_by_year,
    settings,
    themes_by_year,
)
from .shell import asset, csv_data_uri, esc, page

#: How many indicators and rates get a chart each (the most reported first).
MAX_SERIES = 10


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1 else (f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}")
    if isinstance(v, int):
        return str(v)
    return esc(v)


class _Figures:
    """The charts of the page, numbered in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.count = 0

    def add(self, title: str, chart: str, header: Sequence[str], rows: Sequence[Sequence[Any]],
            note: str = "") -> None:
        self.count += 1
        n = self.count
        head = "".join(f"<th>{esc(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in r) + "</tr>" for r in rows)
        fname = f"chart-{n}.csv"
        self.parts.append(
            f'<figure class="fig" id="fig-{n}"><figcaption>{esc(title)}</figcaption>'
            f'<div class="pair"><div class="plot">{chart}</div><div class="numbers">'
            f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            f'<a class="csv" download="{fname}" href="{csv_data_uri(_csv(header, rows))}">'
            f'CSV</a></div></div>{f"<p class=note>{esc(note)}</p>" if note else ""}</figure>')

    def missing(self, title: str, why: str) -> None:
        self.parts.append(f'<figure class="fig absent"><figcaption>{esc(title)}</figcaption>'
                          f'<p class="note">{esc(why)}</p></figure>')

    def heading(self, text: str) -> None:
        self.parts.append(f"<h2>{esc(text)}</h2>")


def _coverage(f: _Figures, rows: list[Row]) -> None:
    f.heading("Coverage")
    for title, col, need in (
            ("Reports by year and era", lambda r: r.era, ""),
            ("Reports by year and source kind", lambda r: r.kind, ""),
            ("Reports by year and office type", lambda r: r.office_type,
             "meta.office_type (issuer resolution)")):
        ys, cs, m = crosstab(rows, col)
        if need and cs == [UNKNOWN]:
            f.missing(title, f"No report of this batch carries {need}.")
            continue
        f.add(title, svg.stacked(ys, cs, m, title), ["year", *cs], [[y, *r] for y, r in zip(ys, m)])
    provinces = [(p, n) for p, n in _count(r.province for r in rows) if p != UNKNOWN]
    if provinces:
        title = "Reports by province (resolved regions)"
        unresolved = sum(1 for r in rows if r.province == UNKNOWN)
        f.add(title, svg.hbar([p for p, _ in provinces], [n for _, n in provinces], title),
              ["province", "reports"], provinces, note=f"{unresolved} reports without a resolved region.")
    else:
        f.missing("Reports by province", "No report of this batch has a resolved region "
                                         "(meta.region with status resolved).")


def _count(values) -> list[tuple[str, int]]:
    from collections import Counter

    return Counter(values).most_common()


def _failures(f: _Figures, batch: Batch) -> None:
    f.heading("Failures")
    if batch.failures:
        title = "Inputs that failed, by reason"
        items = batch.failures.most_common()
        f.add(title, svg.hbar([k for k, _ in items], [v for _, v in items], title),
              ["reason", "inputs"], items)
    else:
        f.missing("Inputs that failed, by reason", "No input failed.")
    if batch.skipped:
        title = "Files skipped (not a report type)"
        items = batch.skipped.most_common()
        f.add(title, svg.hbar([k for k, _ in items], [v for _, v in items], title),
              ["kind", "files"], items)


def _checks(f: _Figures, batch: Batch) -> None:
    rows = batch.rows
    f.heading("Check findings")
    rules, ys, m = rules_by_year(rows)
    if not rules:
        f.missing("Check findings by rule", "No report has a check finding.")
    else:
        title = "Check findings by rule"
        with_rule = [sum(1 for r in rows if k in r.rules) for k in rules]
        findings = [sum(r.rules.get(k, 0) for r in rows) for k in rules]
        table = [(k, a, b, f"{a / len(rows):.1%}") for k, a, b in zip(rules, with_rule, findings)]
        f.add(title, svg.hbar(rules, with_rule, title),
              ["rule", "reports with a finding", "findings", "share of reports"], table)
        title = "Reports with a finding, by rule and year"
        f.add(title, svg.heatmap(rules, ys, m, title), ["rule", *ys], [[k, *r] for k, r in zip(rules, m)])
    if batch.cross_rules:
        title = "Cross-report findings by rule (checks.jsonl)"
        items = batch.cross_rules.most_common()
        f.add(title, svg.hbar([k for k, _ in items], [v for _, v in items], title),
              ["rule", "findings"], items)
    if batch.cross_by_year:
        title = "Cross-report findings by rule and year (year of the later report)"
        rules = [k for k, _ in batch.cross_rules.most_common()]
        ys = sorted({y for _, y in batch.cross_by_year})
        m = [[batch.cross_by_year[(k, y)] for y in ys] for k in rules]
        f.add(title, svg.heatmap(rules, [str(y) for y in ys], m, title), ["rule", *map(str, ys)],
              [[k, *r] for k, r in zip(rules, m)])


def _distributions(f: _Figures, rows: list[Row], attr: str, what: str) -> None:
    keys = names(rows, attr)[:MAX_SERIES]
    if not keys:
        need = ("the harmonised series or the fallback totals" if attr == "indicators"
                else "govreport.rates or the govreport-metrics plugin's rates")
        f.missing(what, f"No report of this batch has {need}.")
        return
    has_regions = any(r.province != UNKNOWN for r in rows)
    for key in keys:
        def get(r: Row, k: str = key) -> float | None:
            return getattr(r, attr).get(k)
        stats = by_year_quartiles(rows, get)
        if stats:
            title = f"{key}: median and quartiles by year"
            f.add(title, svg.band([str(s[0]) for s in stats], [s[2] for s in stats],
                                  [s[3] for s in stats], [s[4] for s in stats], title),
                  ["year", "reports", "q1", "median", "q3"], stats)
        if has_regions:
            groups = by_group_quartiles(rows, lambda r: r.province, get)
            if groups:
                title = f"{key}: by province"
                f.add(title, svg.boxes([g[0] for g in groups], [g[2] for g in groups],
                                       [g[3] for g in groups], [g[4] for g in groups], title),
                      ["province", "reports", "q1", "median", "q3"], groups)


def _themes(f: _Figures, rows: list[Row]) -> None:
    f.heading("Problems admitted")
    themes, ys, m = themes_by_year(rows, int(settings().get("top_themes", 12)))
    if not themes:
        f.missing("Problem themes by year", "No report of this batch has themed problems.")
        return
    title = "Most frequent problem themes by year (reports admitting each)"
    f.add(title, svg.heatmap(themes, ys, m, title), ["theme", *ys],
          [[t, *r] for t, r in zip(themes, m)])


def render(batch: Batch) -> str:
    """The dashboard page of a loaded batch."""
    rows = batch.rows
    f = _Figures()
    _coverage(f, rows)
    _failures(f, batch)
    _checks(f, batch)
    f.heading("Indicators")
    _distributions(f, rows, "indicators", "Indicators")
    f.heading("Rates")
    _distributions(f, rows, "rates", "Rates")
    _themes(f, rows)
    years = sorted({r.year for r in rows if r.year is not None})
    span = f"{years[0]}–{years[-1]}" if years else "no year"
    summary = (f'<p class="summary"><b id="n-reports">{len(rows):,}</b> reports parsed · '
               f'<b>{sum(batch.failures.values()):,}</b> failed · <b>{sum(batch.skipped.values()):,}</b> '
               f'skipped · years {esc(span)} · <span id="n-charts">{f.count}</span> charts</p>')
    name = os.path.basename(os.path.normpath(batch.folder)) or batch.folder
    body = (f'<header><h1>govreport dashboard: {esc(name)}</h1>{summary}</header>'
            f'<main>{"".join(f.parts)}</main>')
    return page(f"govreport dashboard — {name}", body, css=asset("dashboard.css"))


def dashboard_html(folder: str | os.PathLike[str]) -> str:
    """The dashboard of the batch output ``folder`` as one HTML string."""
    return render(load_batch(folder))
