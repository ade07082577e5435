"""One OCR'd page image -> a govreport ``Page`` with text, table grids, boxes, confidences.

The page text holds the text lines and each table row (its cells joined by spaces) in
reading order, top to bottom, the way the PDF reader's text does; ``Table.offset`` points
at the table's first row there. Boxes are in PDF points from the page's top-left:
``Page.boxes`` has four floats per character of the text (NaN for a space or line break
the layout put in), ``Table.boxes`` one box per cell. ``Page.confidence`` has the
recogniser's confidence per character (NaN where ``boxes`` is NaN) and
``Table.confidence`` the lowest confidence of each cell's characters.
"""
from __future__ import annotations

from typing import Any

from govreport.model import Page, Table
from govreport.readers.grid import RuledGrid

from .engine import Glyph, Line
from .layout import fill_grid, find_grids, line_text, split_glyphs, text_lines

NAN = float("nan")


class _Builder:
    def __init__(self, scale: float):
        self.scale = scale
        self.parts: list[str] = []
        self.boxes: list[float] = []
        self.conf: list[float] = []
        self.pos = 0

    def add(self, text: str, glyphs: list[Glyph] | None) -> None:
        """Append ``text``; ``glyphs`` (one per character of text without spaces) give boxes."""
        queue = list(glyphs or [])
        for ch in text:
            if ch == " " or not queue:
                self.boxes.extend((NAN,) * 4)
                self.conf.append(NAN)
                continue
            g = queue[0]
            # a glyph may hold several characters (a number read as one word)
            self.boxes.extend(v * self.scale for v in g.box)
            self.conf.append(g.score)
            g_rest = g.text[1:] if len(g.text) > 1 else ""
            if g_rest:
                queue[0] = Glyph(g_rest, g.box, g.score)
            else:
                queue.pop(0)
        self.parts.append(text)
        self.pos += len(text)

    def newline(self) -> None:
        self.add("\n", None)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def build_page(number: int | None, pixels: Any, lines: list[Line], scale: float) -> Page:
    """The ``Page`` for one image: ``lines`` from :func:`govreport_ocr.engine.recognise`."""
    grids = find_grids(pixels)
    outside, inside = split_glyphs(lines, grids)
    items: list[tuple[float, str, Any]] = []
    for line in text_lines(outside):
        items.append((min(g.box[1] for g in line), "line", line))
    for grid, glyphs in zip(grids, inside):
        items.append((grid.ys[0], "table", (grid, glyphs)))
    items.sort(key=lambda it: it[0])
    out = _Builder(scale)
    tables: list[Table] = []
    for _, what, item in items:
        if what == "line":
            if out.pos:
                out.newline()
            out.add(line_text(item), item)
            continue
        grid, glyphs = item
        made = _table(grid, glyphs + _missed(pixels, grid, glyphs), scale, number)
        if made is None:
            continue
        table, rows_glyphs = made
        if out.pos:
            out.newline()
        table.offset = out.pos
        for r, row in enumerate(table.rows):
            cells = [(c, rows_glyphs[r][k]) for k, c in enumerate(row) if c]
            if not cells:
                continue
            if out.pos > table.offset:
                out.newline()
            for k, (text, glyphs_of_cell) in enumerate(cells):
                if k:
                    out.add(" ", None)
                out.add(text, _reading_order(glyphs_of_cell))
        tables.append(table)
    page = Page(number=number, text=out.text, tables=tables)
    page.boxes = out.boxes
    page.confidence = out.conf  # type: ignore[attr-defined]
    return page


def _reading_order(glyphs: list[Glyph]) -> list[Glyph]:
    return [g for line in text_lines(glyphs) for g in line]


INK_SHARE = 0.004   # a cell whose inside is this much ink holds something printed
_PAD = 4            # pixels kept clear of a cell's rules when looking for ink


def _missed(pixels: Any, grid: RuledGrid, glyphs: list[Glyph]) -> list[Glyph]:
    """Characters in cells that show ink but got no glyph from the page's OCR: each such
    cell is recognised again on its own (a lone short number is easy to miss on a whole
    page). A cell still unread gets a glyph "?" with confidence 0, so its fact is never
    taken for a blank cell without a flag."""
    import numpy as np

    from .engine import recognise
    from .layout import DARK

    _, cell_glyphs = fill_grid(grid, glyphs)
    own = grid.owners()
    found: list[Glyph] = []
    for r, row in enumerate(own):
        for c, (r0, c0) in enumerate(row):
            if (r0, c0) != (r, c) or cell_glyphs[r][c]:
                continue
            r1 = max(rr for rr in range(len(own)) if own[rr][c] == (r, c))
            c1 = max(cc for cc in range(len(row)) if own[r][cc] == (r, c))
            x0, y0 = int(grid.xs[c]) + _PAD, int(grid.ys[r]) + _PAD
            x1, y1 = int(grid.xs[c1 + 1]) - _PAD, int(grid.ys[r1 + 1]) - _PAD
            if x1 - x0 < 4 or y1 - y0 < 4:
                continue
            inside = pixels[y0:y1, x0:x1]
            if (inside < DARK).mean() < INK_SHARE:
                continue
            crop = np.full((y1 - y0 + 40, x1 - x0 + 40), 255, dtype=pixels.dtype)
            crop[20:-20, 20:-20] = inside
            again = [g for line in recognise(crop) for g in line.glyphs]
            if not again:
                found.append(Glyph("?", (x0, y0, x1, y1), 0.0))
            for g in again:
                bx0, by0, bx1, by1 = g.box
                found.append(Glyph(g.text, (bx0 - 20 + x0, by0 - 20 + y0, bx1 - 20 + x0,
                                            by1 - 20 + y0), g.score))
    return found


def _table(grid: RuledGrid, glyphs: list[Glyph], scale: float,
           number: int | None) -> tuple[Table, list[list[list[Glyph]]]] | None:
    rows, cell_glyphs = fill_grid(grid, glyphs)
    if len(rows) < 2 or max((len(r) for r in rows), default=0) < 2:
        return None
    if not any(c for row in rows for c in row):
        return None
    boxes: list[list[tuple[float, float, float, float] | None]] = []
    conf: list[list[float | None]] = []
    for r, row in enumerate(rows):
        brow: list[tuple[float, float, float, float] | None] = []
        crow: list[float | None] = []
        for c, text in enumerate(row):
            gl = cell_glyphs[r][c]
            if text is None:
                brow.append(None)
                crow.append(None)
            elif gl:
                brow.append((min(g.box[0] for g in gl) * scale, min(g.box[1] for g in gl) * scale,
                             max(g.box[2] for g in gl) * scale, max(g.box[3] for g in gl) * scale))
                crow.append(min(g.score for g in gl))
            else:
                brow.append((grid.xs[c] * scale, grid.ys[r] * scale,
                             grid.xs[c + 1] * scale, grid.ys[r + 1] * scale))
                crow.append(None)
        boxes.append(brow)
        conf.append(crow)
    table = Table(rows=rows, page=number, source="ocr")
    table.boxes = boxes
    table.confidence = conf  # type: ignore[attr-defined]
    return table, cell_glyphs
