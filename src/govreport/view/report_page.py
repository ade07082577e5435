"""The audit page of one report: the source (PDF pages as images, or the source text)
with a box over every extracted number, and beside it the facts, checks, sections and
admitted problems — click a fact to scroll to its box, click a box to come back.

PDF boxes are provenance ``bbox`` ([x0, top, x1, bottom] in points on provenance
``page``), drawn as percentages of the page so they stay on their characters at any zoom.
Other sources are marked in their own text (:mod:`.source_text`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..model import Document, Report
from .pdf_pages import PageImage
from .shell import asset, esc, page
from .source_text import Mark, Placement, find_text, render_source

#: Check rules whose failure is about numbers the report prints (their keys are boxed red).
_QUIET_RULES = frozenset({"PLUGIN-ERROR"})


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    try:
        from ..catalog import fact_catalog

        return {k: v.label for k, v in fact_catalog().items()}
    except Exception:  # the page still works with bare keys
        return {}


def _fmt(value: Any) -> str:
    if value is None:
        return "blank"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _bbox(prov: dict[str, Any]) -> tuple[float, float, float, float] | None:
    box = prov.get("bbox")
    if not isinstance(box, (list, tuple)) or len(box) != 4:
        return None
    try:
        x0, top, x1, bottom = (float(v) for v in box)
    except (TypeError, ValueError):
        return None
    if x1 < x0 or bottom < top:
        return None
    return x0, top, x1, bottom


class _Facts:
    """The report's facts in order, with the check findings that name each."""

    def __init__(self, data: dict[str, Any]):
        self.keys = list(data.get("facts") or {})
        self.values = data.get("facts") or {}
        self.prov = data.get("provenance") or {}
        self.checks = [c for c in data.get("checks") or [] if isinstance(c, dict)]
        self.failing: dict[str, list[int]] = {}
        for n, c in enumerate(self.checks):
            if c.get("rule") in _QUIET_RULES:
                continue
            for k in c.get("keys") or []:
                self.failing.setdefault(k, []).append(n)
        self.index = {k: i for i, k in enumerate(self.keys)}

    def cls(self, i: int) -> str:
        return "fail" if self.keys[i] in self.failing else "ok"


def _pdf_body(facts: _Facts, pages: list[PageImage], placement: Placement,
              page_notes: dict[int, list[str]]) -> str:
    groups: dict[tuple[int, tuple[float, ...]], list[int]] = {}
    box: tuple[float, float, float, float] | None
    for i, key in enumerate(facts.keys):
        prov = facts.prov.get(key) or {}
        box, number = _bbox(prov), prov.get("page")
        if box is not None and isinstance(number, int):
            groups.setdefault((number, tuple(round(v, 2) for v in box)), []).append(i)
    by_page: dict[int, list[str]] = {}
    sizes = {p.number: (p.width, p.height) for p in pages}
    for (number, rounded), idxs in groups.items():
        if number not in sizes:
            continue
        w, h = sizes[number]
        x0, top, x1, bottom = rounded
        pad = 1.0
        style = (f"left:{100 * (x0 - pad) / w:.3f}%;top:{100 * (top - pad) / h:.3f}%;"
                 f"width:{100 * (x1 - x0 + 2 * pad) / w:.3f}%;"
                 f"height:{100 * (bottom - top + 2 * pad) / h:.3f}%")
        tid = f"t{idxs[0]}"
        for i in idxs:
            placement.targets[i] = tid
        cls = "fail" if any(facts.cls(i) == "fail" for i in idxs) else "ok"
        title = "; ".join(f"{facts.keys[i]} = {_fmt(facts.values.get(facts.keys[i]))}"
                          for i in idxs)
        by_page.setdefault(number, []).append(
            f'<div class="box {cls}" id="{tid}" data-facts="{" ".join(map(str, idxs))}" '
            f'style="{style}" title="{esc(title)}"></div>')
    out = []
    for p in pages:
        notes = "".join(f'<span class="note">{esc(n)}</span>' for n in page_notes.get(p.number, []))
        out.append(
            f'<section class="pdfpage" id="page-{p.number}" data-page="{p.number}">'
            f'<div class="pagehead">page {p.number}{notes}</div>'
            f'<div class="sheet" style="aspect-ratio:{p.width:.2f}/{p.height:.2f}">'
            f'<img src="{p.src}" alt="page {p.number}" width="{p.width:.0f}" height="{p.height:.0f}">'
            f'{"".join(by_page.get(p.number, []))}</div></section>')
    return "".join(out)


def _missing_sentence(message: str) -> str | None:
    m = re.search(r"«(.+?)»", message)
    return m.group(1) if m else None


def _sentence_marks(data: dict[str, Any], raw: str, facts: _Facts) -> tuple[list[Mark], dict[str, str]]:
    """Marks for MISSING sentences, admitted problems and section headings in ``raw``;
    returns them and an element id for each check/problem/section found."""
    marks: list[Mark] = []
    where: dict[str, str] = {}
    for n, c in enumerate(facts.checks):
        sentence = _missing_sentence(c.get("message", "")) if c.get("rule") == "MISSING" else None
        span = find_text(raw, sentence) if sentence else None
        if span:
            marks.append(Mark(*span, f'<span class="missing" id="c{n}" title="MISSING: '
                                     f'{esc(c.get("message"))}">', "</span>", rank=0))
            where[f"c{n}"] = f"c{n}"
    narrative = data.get("narrative") or {}
    for n, item in enumerate(narrative.get("problem_themes") or []):
        text = item.get("text") if isinstance(item, dict) else None
        span = find_text(raw, text) if text else None
        if span:
            themes = "、".join(item.get("themes") or [])
            marks.append(Mark(*span, f'<span class="problem" id="p{n}" title="{esc(themes)}">',
                              "</span>", rank=1))
            where[f"p{n}"] = f"p{n}"
    pos = 0
    for n, s in enumerate(data.get("sections") or []):
        span = find_text(raw, s.get("title_raw") or s.get("title") or "", pos)
        if span:
            pos = span[1]
            marks.append(Mark(*span, f'<span class="sec" id="s{n}" data-sec="{esc(s.get("key"))}">',
                              "</span>", rank=1))
            where[f"s{n}"] = f"s{n}"
    return marks, where


def _fact_list(facts: _Facts, placement: Placement) -> str:
    labels = _labels()
    by_section: dict[str, list[str]] = {}
    for i, key in enumerate(facts.keys):
        prov = facts.prov.get(key) or {}
        tid = placement.targets.get(i)
        label = labels.get(key, "")
        value = _fmt(facts.values.get(key))
        where = " ".join(str(x) for x in (prov.get("row"), prov.get("col")) if x) or prov.get("text", "")
        attrs = f' data-t="{tid}"' if tid else ""
        state = facts.cls(i) + ("" if tid else " nobox")
        by_section.setdefault(str(prov.get("section") or "—"), []).append(
            f'<li class="fact {state}" id="f{i}"{attrs} tabindex="0" title="{esc(label)}">'
            f'<span class="k">{esc(key)}</span> <b class="v">{esc(value)}</b>'
            f'<span class="w">{esc(where)}{"" if tid else " · no position"}</span></li>')
    out = []
    for section, items in by_section.items():
        out.append(f'<h3>{esc(section)} <small>{len(items)}</small></h3><ul class="facts">'
                   + "".join(items) + "</ul>")
    return "".join(out)


def _check_list(facts: _Facts, placement: Placement, found: dict[str, str],
                pdf_pages: dict[str, int]) -> str:
    if not facts.checks:
        return '<p class="empty">No check finding: every rule that could be assessed holds.</p>'
    out = ['<ul class="checks">']
    for n, c in enumerate(facts.checks):
        keys = [facts.index[k] for k in c.get("keys") or [] if k in facts.index]
        targets = [placement.targets[i] for i in keys if i in placement.targets]
        if f"c{n}" in found:
            targets.insert(0, found[f"c{n}"])
        attrs = f' data-keys="{" ".join(map(str, keys))}"'
        if targets:
            attrs += f' data-t="{targets[0]}"'
        elif f"c{n}" in pdf_pages:
            attrs += f' data-t="page-{pdf_pages[f"c{n}"]}"'
        out.append(f'<li class="check {esc(c.get("severity"))}" id="ck{n}"{attrs} tabindex="0">'
                   f'<b>{esc(c.get("rule"))}</b> {esc(c.get("message"))}</li>')
    out.append("</ul>")
    return "".join(out)


def _outline(data: dict[str, Any], found: dict[str, str], pdf: bool) -> str:
    out = ['<ol class="outline">']
    for n, s in enumerate(data.get("sections") or []):
        target = found.get(f"s{n}") or (f"page-{s.get('page')}" if pdf and s.get("page") else "")
        attrs = f' data-t="{target}"' if target else ""
        page_no = f' <small>p. {esc(s.get("page"))}</small>' if s.get("page") else ""
        out.append(f'<li{attrs} tabindex="0"><span class="k">{esc(s.get("key"))}</span> '
                   f'{esc(s.get("title"))}{page_no}</li>')
    out.append("</ol>")
    return "".join(out)


def _problems(data: dict[str, Any], found: dict[str, str]) -> str:
    narrative = data.get("narrative") or {}
    items = narrative.get("problem_themes") or [
        {"text": t, "themes": []} for t in narrative.get("problems") or []]
    if not items:
        return '<p class="empty">The report admits no problem that was recognised.</p>'
    out = ['<ul class="problems">']
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        chips = "".join(f'<span class="theme">{esc(t)}</span>' for t in item.get("themes") or [])
        attrs = f' data-t="{found[f"p{n}"]}"' if f"p{n}" in found else ""
        out.append(f'<li{attrs} tabindex="0">{esc(item.get("text"))} {chips}</li>')
    out.append("</ul>")
    themes = narrative.get("themes") or []
    if themes:
        out.append("<p>Themes: " + "".join(f'<span class="theme">{esc(t)}</span>' for t in themes)
                   + "</p>")
    return "".join(out)


def report_data(report: Report | dict[str, Any]) -> dict[str, Any]:
    """The report dict (docs/schema.md) of a report, with the sections' printed titles when known."""
    if isinstance(report, Report):
        data = report.to_dict()
        for s, d in zip(report.sections, data["sections"]):
            d["title_raw"] = s.title_raw
        return data
    return report


def render(report: Report | dict[str, Any], *, doc: Document | None = None,
           pages: list[PageImage] | None = None) -> str:
    """The audit page as one HTML string (see the module docstring).

    ``pages`` are the PDF's page images; ``doc`` the document as read (its raw text
    is what provenance ``span`` and the sentence marks refer to).
    """
    data = report_data(report)
    facts = _Facts(data)
    placement = Placement()
    found: dict[str, str] = {}
    pdf_pages: dict[str, int] = {}
    if pages:
        page_notes: dict[int, list[str]] = {}
        for s in data.get("sections") or []:
            if isinstance(s.get("page"), int):
                page_notes.setdefault(s["page"], []).append(s.get("key") or "")
        if doc is not None:
            for n, c in enumerate(facts.checks):
                sentence = _missing_sentence(c.get("message", "")) if c.get("rule") == "MISSING" else None
                span = find_text(doc.text, sentence) if sentence else None
                number = doc.page_at(span[0]) if span else None
                if number is not None:
                    pdf_pages[f"c{n}"] = number
                    page_notes.setdefault(number, []).append("MISSING")
        main = _pdf_body(facts, pages, placement, page_notes)
    elif doc is not None:
        marks, found = _sentence_marks(data, doc.text, facts)
        items = [(i, facts.cls(i), facts.prov.get(k) or {}, facts.values.get(k))
                 for i, k in enumerate(facts.keys)]
        main = render_source(doc, items, marks, placement)
    else:
        main = '<p class="empty">The source is not at hand: facts are listed without their place.</p>'
    meta = data.get("meta") or {}
    source = data.get("source") or {}
    placed = len(placement.targets)
    title = meta.get("title") or source.get("path") or "report"
    head = (f'<header><h1>{esc(title)}</h1><p>{esc(meta.get("issuer"))} · {esc(meta.get("year"))} · '
            f'{esc(meta.get("era"))} · {esc(source.get("kind"))} · <code>{esc(source.get("path"))}</code>'
            f'</p><p class="counts"><span id="n-facts">{len(facts.keys)}</span> facts, '
            f'<span id="n-placed">{placed}</span> placed on the source, '
            f'{len(facts.checks)} check findings</p></header>')
    tabs = [("facts", "Facts", _fact_list(facts, placement)),
            ("checks", f"Checks ({len(facts.checks)})", _check_list(facts, placement, found, pdf_pages)),
            ("sections", "Sections", _outline(data, found, bool(pages))),
            ("problems", "Problems", _problems(data, found))]
    nav = "".join(f'<button type="button" data-tab="{k}"{" class=on" if n == 0 else ""}>{esc(t)}</button>'
                  for n, (k, t, _) in enumerate(tabs))
    panes = "".join(f'<div class="pane{" on" if n == 0 else ""}" id="pane-{k}">{body}</div>'
                    for n, (k, _, body) in enumerate(tabs))
    body = (f'<div class="layout"><main id="source">{head}{main}</main>'
            f'<aside id="side"><nav class="tabs">{nav}</nav>{panes}</aside></div>')
    return page(f"{title} — govreport", body, css=asset("report.css"), js=asset("report.js"))
