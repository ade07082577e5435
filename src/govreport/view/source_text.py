"""The source of an HTML / text / Markdown / Word report as an audit page body: its own
text, every extracted number marked where it was printed, and its table grids drawn as
tables with each extracted cell marked.

Where a number sits comes from provenance: ``span`` (offsets in the document's raw text,
for facts read from sentences and text tables) or, for facts read from a table grid, the
one cell of grid ``table`` whose printed row and column labels are provenance ``row`` and
``col`` and whose text is provenance ``text``. A fact no single cell fits is listed
without a mark (never marked on a guess). Sentence marks (a MISSING finding, an admitted
problem) are found by their text; a mark that would cross another is left out.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Document, Table
from .shell import esc

_WS = re.compile(r"\s+")


def _squash(text: Any) -> str:
    return _WS.sub("", "" if text is None else str(text))


@dataclass
class Mark:
    """An interval of the raw text to wrap: ``tag`` opens it, ``</tag>`` closes it."""

    start: int
    end: int
    open: str
    close: str
    rank: int = 0  # outer marks (sentences) rank lower than inner ones (numbers)


@dataclass
class Placement:
    """Where each fact went: fact index → target element id."""

    targets: dict[int, str] = field(default_factory=dict)


def render_marked(text: str, marks: Iterable[Mark]) -> str:
    """``text`` escaped, with properly nested marks; a mark crossing another is dropped."""
    ordered = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)),
                     key=lambda m: (m.start, -m.end, m.rank))
    kept: list[Mark] = []
    stack: list[Mark] = []
    for m in ordered:
        while stack and stack[-1].end <= m.start:
            stack.pop()
        if stack and m.end > stack[-1].end:
            continue  # crosses its enclosing mark
        kept.append(m)
        stack.append(m)
    opens: dict[int, list[Mark]] = {}
    closes: dict[int, list[Mark]] = {}
    for m in kept:
        opens.setdefault(m.start, []).append(m)
        closes.setdefault(m.end, []).append(m)
    cuts = sorted(set(opens) | set(closes) | {0, len(text)})
    out: list[str] = []
    for i, pos in enumerate(cuts):
        for m in reversed(closes.get(pos, [])):
            out.append(m.close)
        for m in opens.get(pos, []):
            out.append(m.open)
        if i + 1 < len(cuts):
            out.append(esc(text[pos:cuts[i + 1]]))
    return "".join(out)


# ------------------------------------------------------------------------------ grids

def table_text_end(raw: str, table: Table) -> int:
    """Where the lines a reader printed for ``table`` end in ``raw`` (readers print a
    grid's rows one per line, cells joined by tabs or pipes, from ``table.offset``)."""
    cells = {_squash(c) for row in table.rows for c in row if c}
    cells.add("")
    pos = table.offset
    first = True
    while pos < len(raw):
        nl = raw.find("\n", pos)
        end = len(raw) if nl < 0 else nl
        line = raw[pos:end]
        pieces = [_squash(p) for p in re.split(r"\t|\|", line)]
        is_sep = bool(re.fullmatch(r"\s*\|?[\s:|-]*\|?\s*", line)) and "-" in line
        if not is_sep and not all(p in cells for p in pieces):
            if not first:  # the first line may be the caption
                return pos
        first = False
        pos = end + 1
    return len(raw)


def _contexts(table: Table, r: int, c: int) -> set[str]:
    """The label texts that name cell (r, c): the row's cells left of it, the column's
    cells above it, and adjacent pairs of each (a group label + its item label)."""
    row = [_squash(x) for x in table.rows[r][:c] if x and _squash(x)]
    col = [_squash(rr[c]) for rr in table.rows[:r] if c < len(rr) and rr[c] and _squash(rr[c])]
    out: set[str] = set()
    for seq in (row, col):
        dedup = [s for i, s in enumerate(seq) if i == 0 or seq[i - 1] != s]
        out.update(dedup)
        out.update(a + b for a, b in zip(dedup, dedup[1:]))
    return out


def locate_cell(table: Table, prov: dict[str, Any]) -> tuple[int, int] | None:
    """The one cell of ``table`` that provenance ``row`` × ``col`` with ``text`` names."""
    cell = prov.get("cell")
    if isinstance(cell, (list, tuple)) and len(cell) == 2:
        r, c = cell
        if isinstance(r, int) and isinstance(c, int) and 0 <= r < len(table.rows) \
                and 0 <= c < len(table.rows[r]):
            return r, c
    row, col, text = _squash(prov.get("row")), _squash(prov.get("col")), _squash(prov.get("text"))
    if not row or not col:
        return None
    found: list[tuple[int, int]] = []
    for r, cells in enumerate(table.rows):
        for c, value in enumerate(cells):
            if _squash(value) != text:
                continue
            ctx = _contexts(table, r, c)
            if row in ctx and col in ctx:
                found.append((r, c))
    if not found:
        return None
    # a merged cell is repeated into every slot it covers: one run of slots is one cell
    rows = {r for r, _ in found}
    cols = {c for _, c in found}
    if len(rows) == 1 and max(cols) - min(cols) == len(cols) - 1:
        return found[0]
    if len(cols) == 1 and max(rows) - min(rows) == len(rows) - 1:
        return found[0]
    return None


_LABEL = re.compile(r"[\u4e00-\u9fff]")


def _spans(table: Table, marked: set[tuple[int, int]]) -> tuple[dict[tuple[int, int], tuple[int, int]], set]:
    """Merged label cells back as (rowspan, colspan): readers repeat a merged cell's text
    into every slot it covers. Only unmarked cells with Chinese text are merged, so two
    equal numbers side by side stay two cells."""
    rows = table.rows
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()

    def mergeable(r: int, c: int, text: str) -> bool:
        return (c < len(rows[r]) and (r, c) not in covered and (r, c) not in marked
                and rows[r][c] == text)

    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            if (r, c) in covered or (r, c) in marked or not value or not _LABEL.search(value):
                continue
            w = 1
            while mergeable(r, c + w, value):
                w += 1
            h = 1
            while r + h < len(rows) and all(mergeable(r + h, c + k, value) for k in range(w)):
                h += 1
            spans[(r, c)] = (h, w)
            covered.update((r + i, c + k) for i in range(h) for k in range(w))
            covered.discard((r, c))
    return spans, covered


def render_grid(table: Table, caption: str, cell_marks: dict[tuple[int, int], str]) -> str:
    """A grid as an HTML table; ``cell_marks`` maps (row, col) to the cell's attributes."""
    spans, covered = _spans(table, set(cell_marks))
    out = [f'<table class="grid" id="table-{table.index}">']
    if caption.strip():
        out.append(f"<caption>{esc(caption.strip())}</caption>")
    for r, cells in enumerate(table.rows):
        out.append("<tr>")
        for c, value in enumerate(cells):
            if (r, c) in covered:
                continue
            attrs = cell_marks.get((r, c), "")
            h, w = spans.get((r, c), (1, 1))
            attrs += (f' rowspan="{h}"' if h > 1 else "") + (f' colspan="{w}"' if w > 1 else "")
            out.append(f"<td{attrs}>{esc(value or '')}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


# ------------------------------------------------------------------------------ source

def find_text(raw: str, wanted: str, start: int = 0) -> tuple[int, int] | None:
    """Where ``wanted`` (whitespace ignored, a trailing … dropped) is printed in ``raw``."""
    wanted = _squash(wanted).rstrip("…")
    if len(wanted) < 4:
        return None
    pattern = r"\s*".join(re.escape(ch) for ch in wanted)
    m = re.compile(pattern).search(raw, start)
    return (m.start(), m.end()) if m else None


def render_source(doc: Document, facts: list[tuple[int, str, dict[str, Any], Any]],
                  extra: list[Mark], placement: Placement) -> str:
    """The document's text with ``facts`` (index, target class, provenance, value) marked.

    A fact read from a sentence is marked on its number (:func:`govreport.boxes.number_span`,
    as its PDF box is), the sentence underlined; on the sentence when no number is printed.
    ``extra`` are sentence/section marks on the raw text. Grid tables whose region holds
    no span-marked fact are drawn as tables.
    """
    from ..boxes import number_span

    raw = doc.text
    spans: list[tuple[int, int, int, str]] = []
    sentences: set[tuple[int, int]] = set()
    grid_facts: dict[int, list[tuple[int, str, dict[str, Any]]]] = {}
    for idx, cls, prov, value in facts:
        span = prov.get("span")
        if isinstance(span, (list, tuple)) and len(span) == 2 and isinstance(span[0], int) \
                and isinstance(span[1], int) and 0 <= span[0] < span[1] <= len(raw):
            a, b = span
            num = number_span(raw[a:b], value, prov.get("value_span")) if "value_span" in prov else None
            if num is not None and (num[0], num[1]) != (0, b - a):
                sentences.add((a, b))
                a, b = a + num[0], a + num[1]
            spans.append((a, b, idx, cls))
        elif isinstance(prov.get("table"), int):
            grid_facts.setdefault(prov["table"], []).append((idx, cls, prov))
    regions: list[tuple[int, int, Table]] = []
    for table in doc.tables:
        a, b = table.offset, table_text_end(raw, table)
        if not any(a <= s < b for s, _, _, _ in spans):
            regions.append((a, b, table))
    regions.sort(key=lambda x: x[0])
    # one mark per distinct span: facts printed by the same words share it
    marks = list(extra)
    marks += [Mark(a, b, '<span class="said">', "</span>", rank=1) for a, b in sentences]
    by_span: dict[tuple[int, int], list[int]] = {}
    classes: dict[tuple[int, int], set[str]] = {}
    for a, b, idx, cls in spans:
        by_span.setdefault((a, b), []).append(idx)
        classes.setdefault((a, b), set()).add(cls)
    for (a, b), idxs in by_span.items():
        tid = f"t{idxs[0]}"
        for i in idxs:
            placement.targets[i] = tid
        cls = " ".join(sorted(classes[(a, b)]))
        keys = " ".join(str(i) for i in idxs)
        marks.append(Mark(a, b, f'<mark class="box {cls}" id="{tid}" data-facts="{keys}">',
                          "</mark>", rank=2))
    out: list[str] = []
    pos = 0
    for a, b, table in regions:
        if a < pos:
            continue
        out.append(_text_block(raw, pos, a, marks))
        caption = ""
        first_end = raw.find("\n", a)
        first_line = raw[a:first_end if first_end >= 0 else b]
        cells = {_squash(c) for row in table.rows for c in row if c}
        if any(_squash(p) not in cells for p in re.split(r"\t|\|", first_line)):
            caption = first_line
        cell_marks: dict[tuple[int, int], str] = {}
        hosted: dict[tuple[int, int], list[tuple[int, str]]] = {}
        for idx, cls, prov in grid_facts.get(table.index, []):
            where = locate_cell(table, prov)
            if where is not None:
                hosted.setdefault(where, []).append((idx, cls))
        for where, items in hosted.items():
            tid = f"t{items[0][0]}"
            for i, _ in items:
                placement.targets[i] = tid
            cls = " ".join(sorted({c for _, c in items}))
            keys = " ".join(str(i) for i, _ in items)
            cell_marks[where] = f' class="box {cls}" id="{tid}" data-facts="{keys}"'
        out.append(render_grid(table, caption, cell_marks))
        pos = b
    out.append(_text_block(raw, pos, len(raw), marks))
    return "".join(out)


def _text_block(raw: str, a: int, b: int, marks: list[Mark]) -> str:
    if a >= b:
        return ""
    inside = [Mark(m.start - a, m.end - a, m.open, m.close, m.rank)
              for m in marks if a <= m.start and m.end <= b]
    return f'<div class="src">{render_marked(raw[a:b], inside)}</div>'
