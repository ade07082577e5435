"""Table 二 (proactive disclosure) → ``proactive.*``."""
from __future__ import annotations

import re

from ..model import Table
from . import table_labels as L
from .table3 import Table3Found
from .table_common import Analysis, Out, TableDoc, blank_cell, cell_value, first_of, piece_spans
from .table_grid import Row, has_number, is_value_cell, row_text
from .table_rows import text_rows
from .table_text import segmentations

T2_TEXT_START = re.compile(r"第二十条\s*第?\s*[（(]\s*[一五六八九]\s*[)）]\s*项|信息内容\s*本年")


T2_TEXT_WINDOW = 4000  # chars read as table 二 when table 三's start is not found


class Table2Reader:
    """Reads table 二 from the grids, then rows a grid lacks from the text."""

    def __init__(self, doc: TableDoc, grid: list[Row], an: Analysis, t3: Table3Found):
        self.doc = doc
        self.grid = grid
        self.an = an
        self.t3 = t3

    # ---------------- table 二 ----------------
    def table2(self) -> None:
        """Grids first; rows a grid lacks (a converter printed them as text) from the text."""
        self._table2_grid()
        self._table2_text()

    def _t2_emit(self, row_key: str, col: str, cell: str | None, variant: str, row_label: str,
                 col_label: str, table: Table | None, span: tuple[int, int] | None,
                 cell_at: tuple[int, int] | None = None) -> None:
        key = L.t2_key(row_key, col, variant)
        if key is None:
            return
        ok, val = cell_value(cell, L.MONEY_COLUMNS.get(col))
        if not ok:
            self.an.warnings.append(f"{key}: cell {cell!r} is not a number; left out")
            return
        self.an.add(Out(key, val, (cell or "").strip(), row_label, col_label, table=table, span=span,
                        cell=cell_at))

    def _variant2(self, *texts: str) -> str | None:
        v = self.an.meta.get("table2_variant")
        if v:
            return v
        for t in texts:
            v = L.t2_variant_of(t)
            if v:
                self.an.meta["table2_variant"] = v
                return v
        return None

    def _table2_grid(self) -> None:
        header: dict[int, str] | None = None
        header_len = 0
        header_names: dict[int, str] = {}
        a, b = self.t3.grid_region or (len(self.grid), len(self.grid))
        for r in self.grid[:a] + self.grid[b:]:
            t = row_text(r)
            has_num = any(has_number(c) for c in r.cells)
            if not has_num:
                named = {j: (c, L.t2_column(c)) for j, c in enumerate(r.raw) if c}
                keys = {j: k for j, (_, k) in named.items() if k}
                if keys and len(t) < 120:
                    header = keys
                    header_len = len(r.raw)
                    header_names = {j: re.sub(r"\s+", "", named[j][0]) for j in keys}
                    self._variant2(t)
                continue
            if not r.labels:
                continue
            row_key = L.t2_row(r.labels[-1])
            if row_key is None:
                continue
            variant = self._variant2(t) or self.an.meta.get("table2_variant")
            li = max(j for j, c in enumerate(r.raw) if c and c.strip() and not is_value_cell(c))
            if variant is None:
                continue
            want = L.T2_DEFAULT_COLUMNS[variant].get(row_key, ())
            got = self._t2_map_cells(r, li, header, want, same_width=len(r.raw) == header_len)
            if got is None:
                self.an.warnings.append(f"table 二 row {r.labels[-1]}: cannot tell which number is "
                                        "in which column; left out")
                continue
            for col, (j, cell) in got.items():
                self._t2_emit(row_key, col, cell, variant, r.labels[-1],
                              header_names.get(j) or L.T2_COLUMN_LABELS.get(col, col), r.table, None,
                              (r.index, j))

    def _t2_map_cells(self, r: Row, li: int, header: dict[int, str] | None,
                      want: tuple[str, ...], same_width: bool = True
                      ) -> dict[str, tuple[int, str | None]] | None:
        raw = r.raw
        html = bool(r.table is not None and r.table.source in ("html", "docx"))
        region = [(j, raw[j]) for j in range(li + 1, len(raw))]
        if header and not any(k in want for k in header.values()):
            header = None  # the header names another sub-table's columns
        if header:
            hk = [(j, k) for j, k in sorted(header.items()) if j > li and k in want]
            # positional: every header key's cells agree
            pos: dict[str, tuple[int, str | None]] = {}
            okp = True
            for k in dict.fromkeys(k for _, k in hk):
                vals = [(j, raw[j]) for j, kk in hk if kk == k and j < len(raw) and raw[j] is not None]
                distinct = {(v or "").strip() for _, v in vals}
                if len(distinct) == 1:
                    pos[k] = vals[0]
                elif len(distinct) > 1:
                    nonblank = [(j, v) for j, v in vals if v and v.strip()]
                    if len({v.strip() for _, v in nonblank}) == 1:
                        pos[k] = nonblank[0]
                    else:
                        okp = False
            # sequence: distinct header keys in order vs data cells (spans collapsed)
            seq_keys = list(dict.fromkeys(k for _, k in hk))
            cells: list[tuple[int, str | None]] = [(j, c) for j, c in region if c is not None]
            if html:
                coll: list[tuple[int, str | None]] = []
                for j, c in cells:
                    if coll and (coll[-1][1] or "") == (c or "") and raw[j - 1] == c:
                        continue
                    coll.append((j, c))
                cells = coll
            while len(cells) > len(seq_keys) and blank_cell(cells[-1][1]):
                cells.pop()
            seq = dict(zip(seq_keys, cells)) if len(cells) == len(seq_keys) else None
            if not same_width:
                # the row is not as wide as its header: positions say nothing
                return seq
            if okp and pos and len(pos) == len(seq_keys):
                return pos
            if seq:
                return seq
            if okp and pos:
                return pos
            return None
        cells = [(j, c) for j, c in region if c is not None]
        while len(cells) > len(want) and blank_cell(cells[-1][1]):
            cells.pop()
        if len(cells) == len(want):
            return dict(zip(want, cells))
        return None

    def _table2_text(self) -> None:
        text = self.doc.text
        m = T2_TEXT_START.search(text)
        if m is None:
            return
        start = m.start()
        end = self.t3.text_start or first_of(text, ("申请人情况", "勾稽关系", "本年新收政府信息公开申请"), start) \
            or min(len(text), start + T2_TEXT_WINDOW)
        if end <= start:
            return
        self._variant2(text[start:end])
        variant = self.an.meta.get("table2_variant")
        if variant is None:
            return
        header: list[str] = []
        for r in text_rows(text, start, end):
            label = r.labels[-1] if r.labels else ""
            clab = L.clean(label)
            # header words inside the label (one-line dumps) or on a header line
            hk = _header_keys(clab)
            if hk:
                header = hk
            if not r.cells or not any(has_number(c) for c in r.cells):
                continue
            row_key = _t2_row_at_end(clab)
            if row_key is None:
                continue
            want = L.T2_DEFAULT_COLUMNS[variant].get(row_key, ())
            if self.an.has(f"proactive.{row_key}."):
                continue
            cols = [k for k in header if k in want] if header else list(want)
            if len(cols) != len(want):
                cols = list(want)
            spans = r.cell_spans
            cells = list(r.cells)
            if not r.tokens:
                while len(cells) > len(cols) and blank_cell(cells[-1]):
                    cells.pop()
                    spans = spans[:-1]
                if len(cells) != len(cols):
                    self.an.warnings.append(f"table 二 row {label}: cells don't match its columns; left out")
                    continue
                for col, cell, sp in zip(cols, cells, spans):
                    self._t2_emit(row_key, col, cell, variant, _printed_row(label, row_key),
                                  L.T2_COLUMN_LABELS[col], None, sp or r.span)
                continue
            toks = [t for t, _, _ in r.tokens]
            if len(toks) == len(cols):
                for col, (t, a, b) in zip(cols, r.tokens):
                    self._t2_emit(row_key, col, t, variant, _printed_row(label, row_key),
                                  L.T2_COLUMN_LABELS[col], None, (a, b))
                continue
            segs = segmentations(toks, len(cols))
            if segs and len(segs) == 1 and not self.t3.prints_every_cell and any(
                    segmentations(toks, k) != [] for k in range(len(toks), len(cols))):
                # the report leaves cells blank (table 三 does), and a blank cell vanishes
                # from run-together digits: the row may be fewer cells than its columns
                self.an.warnings.append(
                    f"table 二 row {_printed_row(label, row_key)}: '{' '.join(toks)}' may have lost "
                    "a blank cell (it also reads as fewer cells); left out")
                continue
            if segs and len(segs) == 1:
                seg_spans = piece_spans(r.tokens, segs[0])
                for col, cell, s in zip(cols, segs[0], seg_spans):
                    self._t2_emit(row_key, col, cell, variant, _printed_row(label, row_key),
                                  L.T2_COLUMN_LABELS[col], None, s or r.span)
            else:
                agreed = _agreed_cells(segs) if segs and (self.t3.prints_every_cell or not any(
                    segmentations(toks, k) for k in range(len(toks), len(cols)))) else {}
                for j, cell in agreed.items():
                    self._t2_emit(row_key, cols[j], cell, variant, _printed_row(label, row_key),
                                  L.T2_COLUMN_LABELS[cols[j]], None, r.span)
                self.an.warnings.append(
                    f"table 二 row {_printed_row(label, row_key)}: '{' '.join(toks)}' can be split "
                    f"into its {len(cols)} cells in {'many' if segs is None else len(segs)} ways; "
                    + (f"only the cells every split agrees on are kept ({len(agreed)})" if agreed
                       else "left out"))


def _agreed_cells(segs: list) -> dict[int, str]:
    """Cells every split of a run puts at the same column with the same value ("3500" as
    35|0|0 or 3|50|0: the third cell is 0 either way)."""
    return {j: segs[0][j] for j in range(len(segs[0]))
            if all(len(seg) == len(segs[0]) and seg[j] == segs[0][j] for seg in segs)}


def _printed_row(label: str, row_key: str) -> str:
    """The row label as printed at the end of a text label ("…数量行政许可" -> 行政许可)."""
    s = re.sub(r"\s+", "", label)
    for key, words in L.T2_ROWS:
        if key == row_key:
            for w in words:
                i = s.rfind(w)
                if i >= 0:
                    if s[max(0, i - 2):i] == "行政":
                        i -= 2
                    return s[i:]
    return label.strip()


def _header_keys(clab: str) -> list[str]:
    """Table 二 column keys named in a (cleaned) stretch of header text, in print order."""
    found: list[tuple[int, str]] = []
    for key, words, *_ in L.T2_COLUMNS:
        for w in words:
            i = clab.find(w)
            if i >= 0:
                found.append((i, key))
                break
    found.sort()
    keys = []
    for _, k in found:
        if k not in keys:
            keys.append(k)
    return keys


def _t2_row_at_end(clab: str) -> str | None:
    """The table 二 row whose label ends this (cleaned) label text."""
    best: tuple[int, str] | None = None
    for key, words in L.T2_ROWS:
        for w in words:
            i = clab.rfind(w)
            if i >= 0 and len(clab) - (i + len(w)) <= 2:
                end = i + len(w)
                if best is None or end > best[0] or (end == best[0] and key == "normative_docs"):
                    best = (end, key)
    return best[1] if best else None


# Where table 四's header starts in text: its words may be broken over lines
