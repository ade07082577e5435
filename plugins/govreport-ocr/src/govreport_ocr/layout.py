"""A page image and its OCR'd characters -> a govreport ``Page``: text lines and table grids.

Tables are rebuilt the way a PDF's ruled tables are read: from the ruling lines.
Horizontal rules are long runs of dark pixels along a row; vertical rules are dark runs
that cross a whole row band between two horizontal rules (a character's stroke never
does). Each band's cells are the spans between its vertical rules; merged cells follow
:mod:`govreport.readers.grid` (the first slot has the text, the others ``None``). Every OCR'd character lands in
the cell holding its centre, so a line the recogniser read across two cells is split at
the rule. Text outside tables is grouped into lines by vertical overlap.

Coordinates: pixels in, PDF points (``scale`` points per pixel) out, top-left origin.
"""
from __future__ import annotations

import math
from typing import Any

from govreport.readers.grid import Cells, RuledGrid, cluster

from .engine import Glyph, Line

DARK = 140                 # gray level below which a pixel is ink
MIN_RULE_FRACTION = 0.12   # a horizontal rule spans at least this much of the page width
BAND_COVER = 0.8           # a vertical rule covers this much of a row band's height
MERGE_PX = 4               # rules closer than this are one rule


def _runs(mask_1d: Any) -> list[tuple[int, int]]:
    """(start, end) of each run of True values."""
    import numpy as np

    padded = np.concatenate(([False], mask_1d, [False]))
    diff = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(diff[0::2].tolist(), diff[1::2].tolist()))


def find_grids(pixels: Any) -> list[RuledGrid]:
    """The ruled tables on a grayscale page image."""
    import numpy as np

    ink = pixels < DARK
    h, w = ink.shape
    min_len = max(40, int(w * MIN_RULE_FRACTION))
    # horizontal rule segments: (y, x0, x1)
    segs: list[tuple[int, int, int]] = []
    rows = np.flatnonzero(ink.sum(axis=1) >= min_len)
    for y in rows.tolist():
        for a, b in _runs(ink[y]):
            if b - a >= min_len:
                segs.append((y, a, b))
    if not segs:
        return []
    # merge segments of neighbouring rows (a rule 2-4 px thick) into rules
    rules: list[list[float]] = []  # [y_mid, x0, x1, y_first, y_last]
    for y, a, b in sorted(segs):
        for r in rules:
            if y - r[4] <= MERGE_PX and a < r[2] and b > r[1]:
                r[1], r[2], r[4] = min(r[1], a), max(r[2], b), y
                break
        else:
            rules.append([y, a, b, y, y])
    for r in rules:
        r[0] = (r[3] + r[4]) / 2
    rules.sort()
    grids: list[RuledGrid] = []
    table: list[list[float]] = []
    for rule in rules:
        if table and not _connected(ink, table[-1], rule):
            _close(ink, table, grids)
            table = []
        table.append(rule)
    _close(ink, table, grids)
    return grids


def _vertical_cuts(ink: Any, y0: float, y1: float, x0: float, x1: float) -> list[float]:
    """x of each vertical rule crossing the band y0..y1 (within x0..x1)."""
    import numpy as np

    top, bottom = int(math.ceil(y0)) + 1, int(y1)
    if bottom - top < 4:
        top, bottom = int(y0), int(math.ceil(y1)) + 1
    band = ink[top:bottom, max(int(x0) - MERGE_PX, 0):int(x1) + MERGE_PX + 1]
    if band.size == 0:
        return []
    cover = band.mean(axis=0)
    cols = np.flatnonzero(cover >= BAND_COVER)
    off = max(int(x0) - MERGE_PX, 0)
    return [x + off for x in cluster(cols.tolist(), 2)]


def _connected(ink: Any, upper: list[float], lower: list[float]) -> bool:
    """Two horizontal rules belong to one table when a vertical rule joins them."""
    x0, x1 = max(upper[1], lower[1]), min(upper[2], lower[2])
    if x1 <= x0:
        return False
    return len(_vertical_cuts(ink, upper[0], lower[0], x0, x1)) >= 2


def _close(ink: Any, rules: list[list[float]], grids: list[RuledGrid]) -> None:
    if len(rules) < 2:
        return
    x0 = min(r[1] for r in rules)
    x1 = max(r[2] for r in rules)
    ys = [r[0] for r in rules]
    band_cuts = [_vertical_cuts(ink, ys[i], ys[i + 1], x0, x1) for i in range(len(ys) - 1)]
    xs = cluster([x for c in band_cuts for x in c] + [x0, x1], MERGE_PX * 2)
    if len(xs) < 2:
        return
    left = []
    for c in band_cuts:
        found = {min(range(len(xs)), key=lambda k, x=x: abs(xs[k] - x)) for x in c}
        left.append([k == 0 or k in found for k in range(len(xs) - 1)])
    top = []
    for r in rules[:-1]:
        top.append([r[1] - MERGE_PX * 2 <= (xs[k] + xs[k + 1]) / 2 <= r[2] + MERGE_PX * 2
                    for k in range(len(xs) - 1)])
    top[0] = [True] * (len(xs) - 1)
    grids.append(RuledGrid(ys, xs, left, top))


def _center(box: tuple[float, float, float, float]) -> tuple[float, float]:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def fill_grid(grid: RuledGrid, glyphs: list[Glyph]) -> tuple[list[list[str | None]],
                                                             list[list[list[Glyph]]]]:
    """Rows of cell text (``None`` where a merged cell spans) and each cell's glyphs."""
    cells = Cells(grid, ((*_center(g.box), g) for g in glyphs))
    return cells.rows(cell_text), cells.members


def text_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into reading lines (top to bottom, left to right)."""
    lines: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (_center(g.box)[1], g.box[0])):
        cy = _center(g.box)[1]
        for line in lines:
            top = min(x.box[1] for x in line)
            bottom = max(x.box[3] for x in line)
            if top <= cy <= bottom:
                line.append(g)
                break
        else:
            lines.append([g])
    for line in lines:
        line.sort(key=lambda g: g.box[0])
    lines.sort(key=lambda ln: min(g.box[1] for g in ln))
    return lines


def cell_text(glyphs: list[Glyph]) -> str:
    """A cell's text: its lines joined without a break (CJK), a space between words."""
    parts = [line_text(line) for line in text_lines(glyphs)]
    out = ""
    for p in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and p[:1].isascii() and p[:1].isalnum():
            out += " "
        out += p
    return out


def line_text(line: list[Glyph]) -> str:
    """Characters of one line; a space where the gap is wider than a character (columns)."""
    out = ""
    prev: Glyph | None = None
    for g in line:
        if prev is not None:
            gap = g.box[0] - prev.box[2]
            height = max(prev.box[3] - prev.box[1], 1.0)
            if gap > 0.8 * height:
                out += " "
        out += g.text
        prev = g
    return out


def split_glyphs(lines: list[Line], grids: list[RuledGrid]) -> tuple[list[Glyph], list[list[Glyph]]]:
    """Glyphs outside every table, and each table's glyphs."""
    outside: list[Glyph] = []
    inside: list[list[Glyph]] = [[] for _ in grids]
    for line in lines:
        for g in line.glyphs:
            x, y = _center(g.box)
            for k, grid in enumerate(grids):
                gx0, gy0, gx1, gy1 = grid.box
                if gx0 <= x <= gx1 and gy0 <= y <= gy1:
                    inside[k].append(g)
                    break
            else:
                outside.append(g)
    return outside, inside
