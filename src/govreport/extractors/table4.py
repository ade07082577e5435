"""Table 四 (administrative review and litigation) → ``review.*``, ``litigation_*``."""
from __future__ import annotations

from . import table_labels as L
from .table3 import Table3Found
from .table_common import Analysis, Out, TableDoc, blank_cell, cell_value, flat_tokens, is_t4_header, t4_start
from .table_grid import Row, has_number, row_text, t4_column_map, value_columns
from .table_rows import text_rows
from .table_text import UNKNOWN, Readings

T4_ROW_CELLS = len(L.T4_COLUMNS)  # cells in one block (5): 维持 纠正 其他 尚未审结 总计
T4_BLOCK_COUNT = len(L.T4_BLOCKS)  # blocks (3): review, litigation direct, after review
T4_CELLS = T4_ROW_CELLS * T4_BLOCK_COUNT  # cells of the whole table (15)
T4_TEXT_WINDOW = 1500  # chars after table 四's header words searched for its numbers


class Table4Reader:
    """Reads table 四 from the grids, or from the text after table 三."""

    def __init__(self, doc: TableDoc, grid: list[Row], an: Analysis, t3: Table3Found):
        self.doc = doc
        self.grid = grid
        self.an = an
        self.t3 = t3

    # ---------------- table 四 ----------------
    def table4(self) -> None:
        rows = self.grid
        i = next((k for k, r in enumerate(rows) if is_t4_header(r)), None)
        if i is not None:
            heads: list[Row] = []
            data: list[Row] = []
            for r in rows[i:]:
                if not data and not any(has_number(c) for c in r.cells) and (
                        is_t4_header(r) or not r.labels or len(row_text(r)) < 80):
                    heads.append(r)
                    continue
                if any(has_number(c) for c in r.cells) and (not r.labels or is_t4_header(r)
                                                            or len(row_text(r)) < 20):
                    data.append(r)
                    continue
                if data and is_t4_header(r):
                    heads.append(r)
                    continue
                break
            if data and self._table4_grid(heads, data):
                return
        self._table4_text()

    def _table4_grid(self, heads: list[Row], data: list[Row]) -> bool:
        def cells_of(r: Row) -> list[str | None]:
            return [c for c in r.cells if c is not None]  # the value cells after any label

        if len(data) == 1:
            r = data[0]
            t = r.table
            n = len(r.raw)
            hdr = [h.raw for h in heads if h.table is t]
            cmap = t4_column_map(hdr, n) if hdr else None
            if cmap:
                for j, (block, col) in sorted(cmap.items()):
                    self._emit_t4(block, col, r.raw[j] if j < len(r.raw) else None, r, at=j)
                return True
            vals = cells_of(r)
            where: list[int] | None = value_columns(r, printed_only=True)
            while len(vals) > T4_CELLS and blank_cell(vals[-1]):
                vals.pop()
            if len(vals) != T4_CELLS:
                vals = list(flat_tokens(r.cells))
                where = None  # cells split into tokens: no one cell holds a value
            if len(vals) == T4_CELLS:
                for k, cell in enumerate(vals):
                    block, col = L.T4_BLOCKS[k // T4_ROW_CELLS], L.T4_COLUMNS[k % T4_ROW_CELLS]
                    self._emit_t4(block, col, cell, r, at=where[k] if where else None)
                return True
            self.an.warnings.append(f"table 四: {len(vals)} cells in its data row, not {T4_CELLS}; left out")
            return False
        if len(data) == T4_BLOCK_COUNT:
            rows5 = []
            for r in data:
                vals = [c for c in cells_of(r)]
                while len(vals) > T4_ROW_CELLS and blank_cell(vals[-1]):
                    vals.pop()
                if len(vals) != T4_ROW_CELLS:
                    return False
                rows5.append((r, vals))
            for b, (r, vals) in enumerate(rows5):
                where = value_columns(r, printed_only=True)
                for k, cell in enumerate(vals):
                    self._emit_t4(L.T4_BLOCKS[b], L.T4_COLUMNS[k], cell, r, at=where[k])
            return True
        return False

    def _emit_t4(self, block: str, col: str, cell: str | None, row: Row,
                 col_label: str | None = None, span: tuple[int, int] | None = None,
                 at: int | None = None) -> None:
        ok, val = cell_value(cell)
        key = f"{block}.{col}"
        if not ok:
            self.an.warnings.append(f"{key}: cell {cell!r} is not a number; left out")
            return
        self.an.add(Out(key, val, (cell or "").strip(), L.T4_BLOCK_LABELS[block],
                        col_label or L.T4_COLUMN_LABELS[col], table=row.table, span=span,
                        cell=(row.index, at) if at is not None and row.table is not None else None))

    def _table4_text(self) -> None:
        text = self.doc.text
        start = t4_start(text, self.t3.text_start or 0)
        if start is None:
            return
        end = min(len(text), start + T4_TEXT_WINDOW)
        # the header words end where the first number run starts
        rows = [r for r in text_rows(text, start, end) if r.cells and any(has_number(c) for c in r.cells)]
        if not rows:
            return
        first = rows[0]
        if not first.tokens:  # pipe rows
            cand = [r for r in rows[:T4_BLOCK_COUNT]]
            cells = [c for r in cand for c in r.cells] if len(cand) == T4_BLOCK_COUNT and all(
                len(r.cells) == T4_ROW_CELLS for r in cand) else first.cells
            spans = [s for r in cand for s in r.cell_spans] if len(cells) == T4_CELLS and len(cand) == T4_BLOCK_COUNT \
                else first.cell_spans
            if len(cells) == T4_CELLS:
                for k, cell in enumerate(cells):
                    self._emit_t4(L.T4_BLOCKS[k // T4_ROW_CELLS], L.T4_COLUMNS[k % T4_ROW_CELLS], cell, first,
                                  span=spans[k] if k < len(spans) else None)
            return
        toks = [t for t, _, _ in first.tokens]
        if len(toks) == T4_ROW_CELLS and len(rows) >= T4_BLOCK_COUNT and all(
                r.tokens and len(r.tokens) == T4_ROW_CELLS for r in rows[:T4_BLOCK_COUNT]):
            for b, r in enumerate(rows[:T4_BLOCK_COUNT]):
                for k, (t, a, bb) in enumerate(r.tokens):
                    self._emit_t4(L.T4_BLOCKS[b], L.T4_COLUMNS[k], t, r, span=(a, bb))
            return
        if len(toks) == T4_CELLS:
            for k, (t, a, b) in enumerate(first.tokens):
                self._emit_t4(L.T4_BLOCKS[k // T4_ROW_CELLS], L.T4_COLUMNS[k % T4_ROW_CELLS], t, first, span=(a, b))
            return
        # a report whose table 三 prints every cell prints table 四's too: read the row
        # with every cell printed when it can be
        rd = Readings(toks, (T4_ROW_CELLS,) * T4_BLOCK_COUNT, absent=not self.t3.prints_every_cell)
        if not rd.count and not rd.absent:
            rd = Readings(toks, (T4_ROW_CELLS,) * T4_BLOCK_COUNT)
        if not rd.count:
            self.an.warnings.append(f"table 四: '{' '.join(toks)}' cannot be read as {T4_CELLS} cells "
                                    "that add up; left out")
            return
        cells, wheres = rd.common()
        if any(c is UNKNOWN for c in cells):
            self.an.warnings.append(f"table 四: '{' '.join(toks)}' splits {rd.count} ways; "
                                    "only the cells every split agrees on are kept")
        for k, (cell, where) in enumerate(zip(cells, wheres)):
            if cell is UNKNOWN:
                continue
            span = first.span
            if where is not None:
                _, a, _ = first.tokens[where[0]]
                span = (a + where[1], a + where[2])
            self._emit_t4(L.T4_BLOCKS[k // T4_ROW_CELLS], L.T4_COLUMNS[k % T4_ROW_CELLS], cell, first, span=span)
