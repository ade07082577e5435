"""Page objects → page text, per-character boxes and ruled-table grids.

Both PDF engines (:mod:`.pdf_pdfminer`, :mod:`.pdf_pdfium`) hand this module the same
thing — a :class:`PageObjects` of pdfplumber-shaped dicts (chars with ``x0/x1/top/bottom``
in points from the top-left corner, ``line``/``rect``/``curve`` paths) — and get the same
algorithms run on it: pdfplumber's text layout (``chars_to_textmap``, what
``Page.extract_text`` runs; :mod:`.pdf_textmap` does the same faster on upright pages)
and table finder (``TableFinder``), then our cell reading. So the engines can differ
only in the objects they read, which the differential test compares.

Table hygiene. Many Chinese government PDFs (WPS/Word exports) paint a white filled
rectangle behind every line of prose; pdfplumber's default table finder takes their
edges for cell borders and reports paragraphs as one-column "tables", or glues the prose
above a real table onto it. Real tables have ruling lines (lines, thin rectangles or
stroked rectangles), so the table finder runs only on pages that have rulings, and each
table found is clipped to the vertical extent of the rulings that cross it: rows outside
it are dropped, and a table no ruling crosses is not a table. Fill rectangles still
count as cell borders inside the clip (a table split by a page break has no bottom rule,
only its cells' fills).

The text offset of a table is the start of the first text line of the page whose bottom
lies below the table's top edge (the lines come from the same text map, so this costs no
second layout).
"""
from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ..errors import LimitExceededError
from ._common import join_lines

THIN = 3.0        # a filled rectangle thinner than this (pt) is a ruling line
MAX_GRID_CELLS = 5_000  # row x column line positions on a page (table finding is quadratic
                        # in them); a report table has < 1,000
_ROW_OVERLAP = 0.5
NO_BOX = (math.nan, math.nan, math.nan, math.nan)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points


@dataclass
class PageObjects:
    """What an engine read from one page, in pdfplumber's object shapes."""

    number: int
    width: float
    height: float
    chars: list[dict[str, Any]]
    lines: list[dict[str, Any]] = field(default_factory=list)
    rects: list[dict[str, Any]] = field(default_factory=list)
    curves: list[dict[str, Any]] = field(default_factory=list)
    has_images: bool = False
    bbox: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if self.bbox is None:
            self.bbox = (0.0, 0.0, self.width, self.height)


@dataclass
class PageLayout:
    """A page laid out: its text, a box per text character, its table grids."""

    text: str
    boxes: array                       # 4 floats per character of ``text`` (NaN: no box)
    tables: list[tuple[list[list[str | None]], list[list[Box | None]], int]]


def layout_page(objs: PageObjects) -> PageLayout:
    from .pdf_textmap import chars_to_textmap

    if not objs.chars:
        return PageLayout("", array("f"), [])
    textmap = chars_to_textmap(objs.chars, objs.bbox)  # type: ignore[arg-type]
    text = textmap.as_string
    box_of = itemgetter("x0", "top", "x1", "bottom")
    flat: list[float] = []
    extend = flat.extend
    for _, ch in textmap.tuples:
        extend(NO_BOX if ch is None else box_of(ch))
    boxes = array("f", flat)
    if len(boxes) != 4 * len(text):  # a text map always pairs letters and chars
        boxes = array("f", NO_BOX * len(text))
    try:
        tables = page_tables(objs, textmap, text)
    except LimitExceededError:
        raise
    except Exception:  # noqa: BLE001 - tables are best effort, the text is kept
        tables = []
    return PageLayout(text, boxes, tables)


# -- tables ---------------------------------------------------------------------------

def _grid_cells(rules: list[Box]) -> int:
    """Distinct row-line positions times distinct column-line positions."""
    ys: set[int] = set()
    xs: set[int] = set()
    for x0, top, x1, bottom in rules:
        if bottom - top <= THIN:
            ys.add(round(top))
        elif x1 - x0 <= THIN:
            xs.add(round(x0))
        else:  # a stroked rectangle: all four sides
            ys.update((round(top), round(bottom)))
            xs.update((round(x0), round(x1)))
    return len(ys) * len(xs)


def rulings(objs: PageObjects) -> list[Box]:
    """Bounding boxes (x0, top, x1, bottom) of the ruling strokes on the page."""
    out = [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in objs.lines]
    for r in objs.rects:
        if r.get("stroke") or min(r["width"], r["height"]) <= THIN:
            out.append((r["x0"], r["top"], r["x1"], r["bottom"]))
    return out


def page_tables(objs: PageObjects, textmap, text: str):
    """[(rows, cell boxes, offset in the page text)] of the ruled tables on the page."""
    rules = rulings(objs)
    if not rules or _grid_cells(rules) > MAX_GRID_CELLS:
        return []  # a mesh of lines, not a report table (table finding is quadratic in it)
    results = []
    line_tops = None
    mids = None
    from .pdf_tablefinder import find_tables

    for tb in find_tables(objs):
        x0, top, x1, bottom = tb.bbox
        crossing = [r for r in rules
                    if r[0] <= x1 + 1 and r[2] >= x0 - 1 and r[1] <= bottom + 1 and r[3] >= top - 1]
        if not crossing:
            continue
        rtop = min(r[1] for r in crossing)
        rbottom = max(r[3] for r in crossing)
        rows: list[list[str | None]] = []
        boxes: list[list[Box | None]] = []
        first_top: float | None = None
        if mids is None:
            mids = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, c) for c in objs.chars]
        in_table = [m for m in mids if x0 <= m[0] < x1 and top <= m[1] < bottom]
        for row in tb.rows:
            _, rt, _, rb = row.bbox
            h = max(rb - rt, 0.01)
            overlap = min(rb, rbottom + 1) - max(rt, rtop - 1)
            if overlap < _ROW_OVERLAP * h:
                continue
            if first_top is None:
                first_top = rt
            cells, cell_boxes = _row_cells(row, in_table)
            rows.append(cells)
            boxes.append(cell_boxes)
        if not rows or first_top is None or max(len(r) for r in rows) < 2:
            continue
        if all(not c for r in rows for c in r):
            continue
        if line_tops is None:
            line_tops = _line_starts(textmap, text)
        results.append((rows, boxes, _offset_at(line_tops, first_top, len(text))))
    return results


def _row_cells(row, chars: list) -> tuple[list[str | None], list[Box | None]]:
    """Cell texts and boxes of one table row; the texts are what pdfplumber's
    ``Table.extract`` gives (a char belongs to the cell holding its midpoint), looking
    only at the table's chars. A cell's box is the union of its chars' boxes, or the
    cell itself when it is blank."""
    from .pdf_textmap import extract_text

    rx0, rt, rx1, rb = row.bbox
    in_row = [m for m in chars if rt <= m[1] < rb and rx0 <= m[0] < rx1]
    out: list[str | None] = []
    boxes: list[Box | None] = []
    for cell in row.cells:
        if cell is None:
            out.append(None)
            boxes.append(None)
            continue
        cx0, ct, cx1, cb = cell
        cc = [m[2] for m in in_row if cx0 <= m[0] < cx1 and ct <= m[1] < cb]
        out.append(join_lines(_cell_text(cc, extract_text)) if cc else "")
        inked = [c for c in cc if not c["text"].isspace()]
        if inked:
            boxes.append((min(c["x0"] for c in inked), min(c["top"] for c in inked),
                          max(c["x1"] for c in inked), max(c["bottom"] for c in inked)))
        else:
            boxes.append((cx0, ct, cx1, cb))
    return out, boxes


def _cell_text(chars: list[dict[str, Any]], extract_text) -> str:
    """pdfplumber's ``extract_text(chars)``, without its machinery for the usual cell:
    one line of upright printed chars sharing one ``top``. Their words are the runs of
    chars (by ``x0``) with gaps of at most the x tolerance, joined by spaces — exactly
    what the word extractor and line clustering make of them. Anything else goes to
    ``extract_text`` (:func:`.pdf_textmap.extract_text`)."""
    from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, LIGATURES

    top = chars[0]["top"]
    for c in chars:
        t = c["text"]
        if c["top"] != top or not c["upright"] or not t or t.isspace() or t in LIGATURES:
            return extract_text(chars)
    ordered = sorted(chars, key=lambda c: c["x0"])
    parts = [ordered[0]["text"]]
    prev = ordered[0]
    for c in ordered[1:]:
        if c["x0"] > prev["x1"] + DEFAULT_X_TOLERANCE:
            parts.append(" ")
        parts.append(c["text"])
        prev = c
    return "".join(parts)


def _line_starts(textmap, text: str) -> list[tuple[float, int]]:
    """(bottom, start offset in the page text) of each text line, in text order."""
    starts = []
    pos = 0
    for line in text.split("\n"):
        if line:  # extract_text_lines(strip=False) matches r"[^\n]+"
            starts.append(pos)
        pos += len(line) + 1
    try:
        lines = textmap.extract_text_lines(strip=False, return_chars=False)
    except Exception:  # noqa: BLE001
        return []
    if len(lines) != len(starts):
        # text map and split disagree (unusual whitespace): align what we can
        n = min(len(lines), len(starts))
        lines, starts = lines[:n], starts[:n]
    return [(ln["bottom"], s) for ln, s in zip(lines, starts)]


def _offset_at(line_tops: list[tuple[float, int]], table_top: float, text_len: int) -> int:
    for bottom, start in line_tops:
        if bottom > table_top + 1:
            return start
    return text_len
