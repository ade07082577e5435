"""Print what ``govreport.compare`` computes: a terminal table, or one offline HTML page.

The HTML page is self-contained (inline CSS, no script, no font, image or link to fetch),
so it opens from a file with the network off.
"""
from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

BLANK, ABSENT = "blank", "—"


def fmt_value(value: Any, stated: bool = True) -> str:
    """A fact as printed in a cell: ``—`` when not stated, ``blank`` when printed blank."""
    if not stated:
        return ABSENT
    if value is None:
        return BLANK
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def fmt_change(change: Any) -> str:
    if change is None:
        return ""
    text = fmt_value(change)
    return text if text.startswith("-") or change == 0 else "+" + text


def fmt_pct(pct: float | None) -> str:
    return "" if pct is None else f"{pct:+.2f}%"


def fmt_rate(value: float | None, status: str) -> str:
    if value is None:
        return "n/a" if status == "not_applicable" else ABSENT
    return f"{100 * value:.1f}%"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[bool]) -> list[str]:
    body = [list(head)] + [list(r) for r in rows]
    widths = [max(_width(r[i]) for r in body) for i in range(len(head))]
    out = []
    for n, row in enumerate(body):
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if right[i] else cell + pad)
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def _name(side: Mapping[str, Any]) -> str:
    return f"{Path(str(side.get('path'))).name}  {side.get('office') or side.get('issuer') or '?'} " \
           f"{side.get('year')} ({side.get('era')})"


def _problem_lines(problems: Mapping[str, Any], a: str = "A", b: str = "B") -> list[str]:
    out = []
    for m in problems.get("repeated", []):
        out.append(f"  repeated ({m['similarity']:.2f}): {a}: {m['before']}")
        out.append(f"  {' ' * len('repeated (0.00): ')}{b}: {m['after']}")
    out += [f"  new in {b}: {t}" for t in problems.get("new", [])]
    out += [f"  dropped from {a}: {t}" for t in problems.get("dropped", [])]
    return out or ["  (no problems stated)"]


def render_text(result: Mapping[str, Any]) -> str:
    """The terminal table of :func:`govreport.comparison.compare`."""
    a, b = result["a"], result["b"]
    rows = result["indicators"]
    both = sum(1 for r in rows if r["in_a"] and r["in_b"])
    lines = [f"A  {_name(a)}", f"B  {_name(b)}", "",
             f"Indicators: {both} stated by both, {len(rows) - both} by one only"]
    lines += _table(["key", "A", "B", "change", "% change"],
                    ([r["key"], fmt_value(r["a"], r["in_a"]), fmt_value(r["b"], r["in_b"]),
                      fmt_change(r["change"]), fmt_pct(r["pct_change"])] for r in rows),
                    [False, True, True, True, True])
    lines += ["", "Rates (n/a: denominator 0)"]
    lines += _table(["rate", "", "A", "B", "change"],
                    ([r["label"], r["name"], fmt_rate(r["a"], r["status_a"]),
                      fmt_rate(r["b"], r["status_b"]),
                      "" if r["change_points"] is None else f"{r['change_points']:+.1f} pts"]
                     for r in result["rates"]), [False, False, True, True, True])
    checks = result["checks"]
    lines += ["", "Checks"]
    for side, label in (("only_a", "only in A"), ("only_b", "only in B"), ("both", "in both")):
        for c in checks[side]:
            lines.append(f"  {label}: {c.get('rule')} {', '.join(c.get('keys') or [])} "
                         f"{c.get('message', '')}".rstrip())
    if not any(checks.values()):
        lines.append("  (none)")
    lines += ["", "Problems admitted (matched by meaning)"] + _problem_lines(result["problems"])
    return "\n".join(lines) + "\n"


def render_series_text(series: Mapping[str, Any]) -> str:
    """The terminal table of :func:`govreport.comparison.office_series`."""
    reports = series["reports"]
    heads = [str(r["year"]) for r in reports]
    lines = [f"{series['office']}: {len(reports)} reports"]
    lines += [f"  {r['year']}  {r['path']}" for r in reports]
    lines += [""]
    lines += _table(["key", *heads],
                    ([row["key"], *(fmt_value(v, s) for v, s in zip(row["values"], row["stated"]))]
                     for row in series["indicators"]), [False] + [True] * len(heads))
    lines += ["", "Rates (n/a: denominator 0)"]
    lines += _table(["rate", *heads],
                    ([f"{row['label']} {row['name']}",
                      *(fmt_rate(v, s) for v, s in zip(row["values"], row["status"]))]
                     for row in series["rates"]), [False] + [True] * len(heads))
    lines += ["", "Problems admitted, each report against the one before"]
    for step in series["problems"]:
        lines.append(f" {step['from']} → {step['to']}")
        lines += _problem_lines(step, str(step["from"]), str(step["to"]))
    lines += ["", "Cross-year checks"]
    lines += [f"  {c['rule']} {c['message']}" for c in series["cross_checks"]] or ["  (none)"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# HTML

_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:.2em .6em;font-size:14px}
td.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f3f3f3;position:sticky;top:0}
.up{color:#1a7f37}.down{color:#cf222e}.muted{color:#888}
caption{text-align:left;font-weight:bold;padding:.3em 0}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _cls(change: Any) -> str:
    if not isinstance(change, (int, float)) or change == 0:
        return "n"
    return "n up" if change > 0 else "n down"


def _page(title: str, body: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def _problems_html(problems: Mapping[str, Any], a: str, b: str) -> list[str]:
    out = ["<ul>"]
    for m in problems.get("repeated", []):
        out.append(f"<li>repeated ({m['similarity']:.2f}): <b>{_e(a)}</b> {_e(m['before'])}"
                   f"<br><b>{_e(b)}</b> {_e(m['after'])}</li>")
    out += [f"<li>new in {_e(b)}: {_e(t)}</li>" for t in problems.get("new", [])]
    out += [f"<li>dropped from {_e(a)}: {_e(t)}</li>" for t in problems.get("dropped", [])]
    return out + ["</ul>"]


def render_html(result: Mapping[str, Any]) -> str:
    """One offline HTML page of :func:`govreport.comparison.compare`."""
    a, b = result["a"], result["b"]
    body = [f"<h1>{_e(a.get('office'))} {_e(a.get('year'))} ↔ {_e(b.get('office'))} "
            f"{_e(b.get('year'))}</h1>",
            f"<p>A: {_e(a.get('path'))}<br>B: {_e(b.get('path'))}</p>",
            "<table><caption>Indicators</caption><tr><th>key</th><th>label</th><th>A</th>"
            "<th>B</th><th>change</th><th>% change</th></tr>"]
    for r in result["indicators"]:
        body.append(f"<tr><td>{_e(r['key'])}</td><td class=\"muted\">{_e(r['label'])}</td>"
                    f"<td class=\"n\">{_e(fmt_value(r['a'], r['in_a']))}</td>"
                    f"<td class=\"n\">{_e(fmt_value(r['b'], r['in_b']))}</td>"
                    f"<td class=\"{_cls(r['change'])}\">{_e(fmt_change(r['change']))}</td>"
                    f"<td class=\"{_cls(r['change'])}\">{_e(fmt_pct(r['pct_change']))}</td></tr>")
    body.append("</table><table><caption>Rates</caption><tr><th>rate</th><th>A</th><th>B</th>"
                "<th>change (points)</th></tr>")
    for r in result["rates"]:
        pts = r["change_points"]
        body.append(f"<tr><td>{_e(r['label'])} <span class=\"muted\">{_e(r['name'])}</span></td>"
                    f"<td class=\"n\">{_e(fmt_rate(r['a'], r['status_a']))}</td>"
                    f"<td class=\"n\">{_e(fmt_rate(r['b'], r['status_b']))}</td>"
                    f"<td class=\"{_cls(pts)}\">{'' if pts is None else f'{pts:+.1f}'}</td></tr>")
    body.append("</table><h2>Checks</h2><ul>")
    for side, label in (("only_a", "only in A"), ("only_b", "only in B"), ("both", "in both")):
        body += [f"<li>{label}: {_e(c.get('rule'))} {_e(c.get('message'))}</li>"
                 for c in result["checks"][side]]
    body.append("</ul><h2>Problems admitted</h2>")
    body += _problems_html(result["problems"], "A", "B")
    return _page(f"compare {a.get('path')} {b.get('path')}", body)


def render_series_html(series: Mapping[str, Any]) -> str:
    """One offline HTML page of :func:`govreport.comparison.office_series`."""
    heads = "".join(f"<th>{_e(r['year'])}</th>" for r in series["reports"])
    body = [f"<h1>{_e(series['office'])}</h1><ul>"]
    body += [f"<li>{_e(r['year'])}: {_e(r['path'])}</li>" for r in series["reports"]]
    body.append(f"</ul><table><caption>Indicators</caption><tr><th>key</th>{heads}</tr>")
    for row in series["indicators"]:
        cells = "".join(f"<td class=\"n\">{_e(fmt_value(v, s))}</td>"
                        for v, s in zip(row["values"], row["stated"]))
        body.append(f"<tr><td title=\"{_e(row['label'])}\">{_e(row['key'])}</td>{cells}</tr>")
    body.append(f"</table><table><caption>Rates</caption><tr><th>rate</th>{heads}</tr>")
    for row in series["rates"]:
        cells = "".join(f"<td class=\"n\">{_e(fmt_rate(v, s))}</td>"
                        for v, s in zip(row["values"], row["status"]))
        body.append(f"<tr><td>{_e(row['label'])}</td>{cells}</tr>")
    body.append("</table><h2>Problems admitted</h2>")
    for step in series["problems"]:
        body.append(f"<h3>{_e(step['from'])} → {_e(step['to'])}</h3>")
        body += _problems_html(step, str(step["from"]), str(step["to"]))
    body.append("<h2>Cross-year checks</h2><ul>")
    body += [f"<li>{_e(c['rule'])} {_e(c['message'])}</li>" for c in series["cross_checks"]]
    return _page(str(series["office"]), body + ["</ul>"])
