"""Table 三 (requests received and how they were handled) → ``requests.*``."""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import table_labels as L
from .table3_align import ObservedRow, align, match_rows, own_label, trim_label
from .table3_solve import joint_filter
from .table_common import (
    Analysis,
    Out,
    TableDoc,
    blank_cell,
    cell_value,
    first_of,
    flat_tokens,
    is_t4_header,
    piece_spans,
    t4_start,
)
from .table_grid import Row, has_number, header_label, row_text, t3_column_map, value_columns
from .table_rows import text_rows
from .table_text import BLANK_TOKENS, UNKNOWN, common_cells, row_splits

T3_CELLS = len(L.T3_COLUMNS)  # cells in a row of table 三 (7)
T3_ROW_COUNTS = {len(rows): variant for variant, rows in L.T3_ROWS.items()}  # 25 -> 2021, 23 -> 2019
T3_MAX_ROW_NUMBERS = T3_CELLS + 2  # more numbers than this in a row: another table's row
T3_MIN_GRID_CELLS = 5  # fewer cells than this in a grid row: not a row of table 三
T3_MAX_GRID_CELLS = 10
T3_HEADER_MAX_CHARS = 400  # a header row longer than this is prose, not a header
T3_TEXT_WINDOW = 8000  # chars of text read as table 三 when table 四's start is not found
T3_INTRO_SLACK = 400  # "本年新收…申请" this far before the header words starts the table


@dataclass
class Table3Found:
    """What reading table 三 found that the readers of tables 二 and 四 rely on."""

    grid_region: tuple[int, int] | None = None  # the grid rows it was found in (table 二 skips them)
    text_start: int | None = None  # where it starts in the text, when read from text
    prints_every_cell: bool = False  # every cell printed (zeros as 0, blanks as a space): none vanish


def is_t3_header(row: Row) -> bool:
    t = row_text(row)
    return (sum(1 for w in L.T3_HEADER_WORDS if w in t) >= 2 and not any(has_number(c) for c in row.cells)
            and len(t) < T3_HEADER_MAX_CHARS)


def t3_strong(row: Row) -> bool:
    if not row.labels:
        return False
    m = L.match_t3_row(row.labels[-1], None) or L.match_t3_row("".join(row.labels), None)
    return m is not None and m.strong


def grid_region(rows: list[Row], is_start, is_stop, extend) -> tuple[int, int] | None:
    start = next((i for i, r in enumerate(rows) if is_start(r)), None)
    if start is None:
        return None
    last_good = start
    for j in range(start + 1, len(rows)):
        r = rows[j]
        if is_stop(r):
            break
        if extend(r):
            last_good = j
    return start, last_good + 1


def t3_value_row(row: Row) -> bool:
    if row.tokens:
        return len(row.tokens) <= T3_MAX_ROW_NUMBERS
    if row.table is None and len(row.cells) < T3_MIN_GRID_CELLS:
        return False  # a lone number under a label line (page number, stray cell)
    n = sum(1 for c in row.cells if has_number(c))
    if n > T3_MAX_ROW_NUMBERS:
        return False  # a table 四 row or some other table's
    if n:
        return True
    return bool(row.labels) and len(row.cells) >= T3_MIN_GRID_CELLS and t3_strong(row)


def t3_grid_cells(row: Row, colmaps: dict[int, dict[int, str]], cells: list) -> list[int] | None:
    """Column index in ``row.raw`` of each of the row's decoded ``cells`` (a grid row
    read cell by cell), or None when they were split out of cells (tokens)."""
    if row.table is None:
        return None
    cmap = colmaps.get(id(row.table))
    if cmap is not None and len(row.raw) == row.table.n_cols:
        by_key = {v: k for k, v in cmap.items()}
        if [row.raw[by_key[k]] for k in L.T3_COLUMNS] == list(cells):
            return [by_key[k] for k in L.T3_COLUMNS]
    where = value_columns(row)
    for skip in range(len(where) - len(cells) + 1):
        if [row.raw[j] for j in where[skip:skip + len(cells)]] == list(cells):
            return where[skip:skip + len(cells)]
    # tokens of the printed cells, one per cell (merged cells leave None between them)
    printed = [j for j in where if (row.raw[j] or "").strip()]
    if [(row.raw[j] or "").strip() for j in printed] == [(c or "").strip() for c in cells]:
        return printed
    return None


def decode_t3(row: Row, colmaps: dict[int, dict[int, str]]
              ) -> tuple[list[list[str | None]], list[tuple[int, int] | None] | None, list[str]]:
    """Candidate full-width readings of a row, their cell spans (text rows), column labels."""
    cols = [L.T3_COLUMN_LABELS[k] for k in L.T3_COLUMNS]
    if row.table is not None:
        cmap = colmaps.get(id(row.table))
        if cmap is not None and len(row.raw) != row.table.n_cols:
            # a row wider or narrower than its header (a converter lost or added a
            # cell): which cell moved is unknowable
            return [], None, cols
        if cmap is not None:
            by_key = {v: k for k, v in cmap.items()}
            cells = [row.raw[by_key[k]] for k in L.T3_COLUMNS]
            if not any(c and len(c.split()) > 1 for c in cells):
                labels = [row.colnames.get(by_key[k]) or cols[i]
                          for i, k in enumerate(L.T3_COLUMNS)]
                return [cells], None, labels
            if [cmap[j] for j in sorted(cmap)] != list(L.T3_COLUMNS):
                return [], None, cols  # merged cells under a header in its own order
        cells = list(row.cells)
        while len(cells) > T3_CELLS and blank_cell(cells[-1]):
            cells.pop()
        while len(cells) > T3_CELLS and blank_cell(cells[0]):
            cells.pop(0)
        if len(cells) == T3_CELLS and not any(c and len(c.split()) > 1 for c in cells):
            return [cells], None, cols
        toks = flat_tokens(row.cells)
        if len(toks) == T3_CELLS:
            return [list(toks)], None, cols
        return [], None, cols
    spans = row.cell_spans
    cells = list(row.cells)
    if not row.tokens:  # a pipe row in text
        sp = list(spans)
        while len(cells) > T3_CELLS and blank_cell(cells[-1]):
            cells.pop()
            sp.pop()
        if len(cells) == T3_CELLS:
            return [cells], sp, cols
        return [], None, cols
    toks = [t for t, _, _ in row.tokens]
    if len(toks) == T3_CELLS:
        return [list(toks)], [(a, b) for _, a, b in row.tokens], cols
    blanks = _zeros_around_blanks(toks)
    if blanks is not None:
        return [blanks], None, cols
    splits = row_splits(toks)
    if not splits:
        return [], None, cols
    return splits, None, cols


def _zeros_around_blanks(toks: list[str]) -> list[str | None] | None:
    """"0 00000" in a dump whose cells run together: six zeros and a space where the seventh
    cell is empty — the space is the blank cell (None), each zero its own cell."""
    if len(toks) < 2 or not all(re.fullmatch(r"0+", t) for t in toks):
        return None
    if sum(map(len, toks)) + len(toks) - 1 != T3_CELLS:
        return None
    cells: list[str | None] = []
    for i, t in enumerate(toks):
        if i:
            cells.append(None)
        cells += ["0"] * len(t)
    return cells


class Table3Reader:
    """Reads table 三 from the grids, or from the text when no grid holds it."""

    def __init__(self, doc: TableDoc, grid: list[Row], an: Analysis):
        self.doc = doc
        self.grid = grid
        self.an = an
        self.found = Table3Found()

    def read(self) -> Table3Found:
        self.table3()
        return self.found

    # ---------------- table 三 ----------------
    def table3(self) -> None:
        rows = self.grid
        region = grid_region(
            rows,
            is_start=lambda r: is_t3_header(r) or (t3_strong(r) and len(r.cells) >= T3_MIN_GRID_CELLS),
            is_stop=lambda r: is_t4_header(r) or (("第二十条" in row_text(r)) and len(row_text(r)) < 30),
            extend=lambda r: t3_strong(r) or (t3_value_row(r) and T3_MIN_GRID_CELLS <= len(
                [c for c in r.cells if c is not None]) <= T3_MAX_GRID_CELLS),
        )
        done = False
        if region:
            a, b = region
            self.found.grid_region = (a, b)
            done = self._table3_rows(rows[a:b], grid=True)
        if not done:
            self._table3_text()
            return
        variant = self.an.meta.get("table3_variant") or "2021"
        missing = [r.key for r in L.T3_ROWS[variant]
                   if not self.an.has(f"requests.{r.key}.")]
        if missing and self.doc.text:
            self._fill_t3_from_text(missing)

    def _fill_t3_from_text(self, missing: list[str]) -> None:
        """Rows the grids lack (a continuation page printed without ruling lines) from the
        text — only when the text reading agrees with the grid on every row both have."""
        other = Table3Reader(self.doc, [], Analysis())
        other._table3_text()
        if other.an.meta.get("table3_variant") not in (None, self.an.meta.get("table3_variant")):
            return
        mine = {o.key: o.value for o in self.an.outs if o.key.startswith("requests.")}
        theirs = {o.key: o.value for o in other.an.outs}
        shared = [k for k in theirs if k in mine]
        if not shared or any(mine[k] != theirs[k] for k in shared):
            if shared:
                self.an.warnings.append("table 三: rows missing from the grid were not taken from "
                                        "the text, whose reading disagrees with the grid")
            return
        added = 0
        for o in other.an.outs:
            row = o.key.split(".")[1:-1]
            if ".".join(row) in missing:
                self.an.add(o)
                added += 1
        if added:
            self.an.warnings.append(f"table 三: {added} cell(s) of rows missing from the grid "
                                    "read from the text (it agrees with the grid elsewhere)")

    def _colmaps(self, rows: list[Row]) -> dict[int, dict[int, str]]:
        maps: dict[int, dict[int, str]] = {}
        last: tuple[int, dict[int, str]] | None = None
        seen: set[int] = set()
        for r in rows:
            t = r.table
            if t is None or id(t) in seen:
                continue
            seen.add(id(t))
            first_data = next((i for i, raw in enumerate(t.rows)
                               if any(has_number(c) for c in raw)), len(t.rows))
            cmap = t3_column_map(t, first_data)
            if cmap:
                maps[id(t)] = cmap
                names = {j: header_label(t, first_data, j) for j in cmap}
                for rr in rows:
                    if rr.table is t:
                        rr.colnames = names
                last = (t.n_cols, cmap)
            elif last and t.n_cols == last[0]:
                maps[id(t)] = last[1]
        return maps

    def _t3_text_zone(self) -> str:
        """The report text from table 三's header to table 四's (labels a converter may have
        moved out of the grid are there)."""
        text = self.doc.text
        start = first_of(text, ("申请人情况", "勾稽关系", "本年新收政府信息公开申请"))
        if start is None:
            return ""
        end = t4_start(text, start)
        return text[start:end if end is not None else start + T3_TEXT_WINDOW]

    def _table3_rows(self, rows: list[Row], grid: bool) -> bool:
        text = " ".join(" ".join(r.labels) for r in rows)
        variant = self._t3_variant(text, rows) or self._t3_variant(self._t3_text_zone(), [])
        value_rows = [r for r in rows if t3_value_row(r) and not is_t3_header(r)]
        if not value_rows:
            return False
        obs = match_rows(value_rows, variant)
        if variant is None:
            n = len(value_rows)
            variant = T3_ROW_COUNTS.get(n)
            if variant:
                obs = match_rows(value_rows, variant)
        if variant:
            canon = [r.key for r in L.T3_ROWS[variant]]
        else:
            canon = [r.key for r in L.T3_ROWS["2021"] if r.group != "other"]
        assigned, notes = align(obs, canon)
        if not assigned:
            return False
        if variant:
            self.an.meta["table3_variant"] = variant
        self.an.warnings.extend(notes)
        colmaps = self._colmaps(rows) if grid else {}
        decoded: dict[str, tuple[list[list[str | None]], list | None, list[str], ObservedRow]] = {}
        for key, o in assigned.items():
            cands, spans, cols = decode_t3(o.row, colmaps)
            if not cands:
                self.an.warnings.append(
                    f"table 三 row {key}: cannot tell which number is in which column "
                    f"({' '.join(c for c in o.row.cells if c) or 'no numbers'}); left out")
                continue
            decoded[key] = (cands, spans, cols, o)
        # run-together digits, blank cells that may have vanished: keep the readings of
        # each row that fit some reading of the whole table under its column arithmetic
        if any(len(v[0]) > 1 for v in decoded.values()):
            filtered = joint_filter({k: v[0] for k, v in decoded.items()},
                                    L.T3_RESULT_ROWS.get(variant) if variant else None)
            for k, c in filtered.items():
                cands, spans, cols, o = decoded[k]
                decoded[k] = (c, spans, cols, o)
        every_cell, zeros = True, False
        for key, (cands, spans, cols, o) in decoded.items():
            cells = cands[0] if len(cands) == 1 else common_cells(cands)
            unknown = [L.T3_COLUMNS[i] for i, c in enumerate(cells) if c is UNKNOWN]
            if unknown:
                self.an.warnings.append(
                    f"table 三 row {key}: '{' '.join(c or '' for c in o.row.cells)}' splits {len(cands)} ways "
                    f"under the table's arithmetic; {', '.join(unknown)} left out")
            if o.row.tokens and spans is None:
                spans = piece_spans(o.row.tokens, cells) if len(cands) == 1 else \
                    self._common_spans(o.row, cands, cells)
            where = t3_grid_cells(o.row, colmaps, cells) if len(cands) == 1 else None
            self._emit_t3_row(key, o, cells, spans, cols, where)
            # a blank shown as a space ("0 00000") is printed too: it cannot vanish
            visible = o.row.tokens is not None and len(cands) == 1 and \
                cands[0] == _zeros_around_blanks([t for t, _, _ in o.row.tokens or []])
            every_cell = every_cell and (visible or all(None not in c for c in cands) and not any(
                c is UNKNOWN or c is None or not c.strip() or c.strip() in BLANK_TOKENS for c in cells))
            zeros = zeros or any(c is not UNKNOWN and c and c.strip() == "0" for c in cells)
        # this table 三 prints every one of its cells (zeros as 0): evidence that the
        # report does not leave cells blank (used for table 四 in text, below)
        self.found.prints_every_cell = (every_cell and zeros and variant is not None
                                     and set(decoded) == set(canon))
        return True

    def _common_spans(self, row: Row, cands, cells) -> list[tuple[int, int] | None]:
        per = [piece_spans(row.tokens, c) for c in cands]
        out: list[tuple[int, int] | None] = []
        for i, c in enumerate(cells):
            sp = {p[i] for p in per}
            out.append(per[0][i] if c is not UNKNOWN and len(sp) == 1 else None)
        return out

    def _emit_t3_row(self, key: str, o: ObservedRow, cells, spans, cols,
                     where: list[int] | None = None) -> None:
        """Emit a row's cells; UNKNOWN cells (readings disagree) are left out, None is a
        blank cell (printed blank, or vanished in every reading)."""
        row = o.row
        row_label = self._row_label(row, key)
        for i, col in enumerate(L.T3_COLUMNS):
            cell = cells[i] if i < len(cells) else None
            if cell is UNKNOWN:
                continue
            ok, val = cell_value(cell)
            fact_key = f"requests.{key}.{col}"
            if not ok:
                self.an.warnings.append(f"{fact_key}: cell {cell!r} is not a number; left out")
                continue
            span = spans[i] if spans and i < len(spans) else None
            text = (cell or "").strip()
            if row.table is None and span is None and row.span:
                span = row.span
            at = (row.index, where[i]) if where and i < len(where) else None
            self.an.add(Out(fact_key, val, text, row_label, cols[i], table=row.table, span=span,
                            cell=at))

    def _row_label(self, row: Row, key: str) -> str:
        labels = [lab for lab in row.labels if lab]
        if not labels:
            return L.T3_ROW_BY_KEY[key].label
        if row.table is None:
            return trim_label(labels[-1])
        lab = labels[-1]
        rd = L.T3_ROW_BY_KEY.get(key)
        if rd and rd.group and len(labels) > 1 and L.group_of(labels[-2]) == rd.group:
            lab = f"{labels[-2]} {lab}"
        return re.sub(r"\s+", " ", lab).strip()

    def _t3_variant(self, text: str, rows: list[Row]) -> str | None:
        s = L.clean(text)
        if any(w in s for w in L.T3_2021_WORDS):
            return "2021"
        for r in rows:
            m = L.match_t3_row(own_label(r), None, "2019") if r.labels else None
            if m is not None and m.key == "other" and (r.n_numbers or r.cells):
                return "2019"
        return None

    def _table3_text(self) -> None:
        text = self.doc.text
        start = first_of(text, ("申请人情况", "勾稽关系"))
        m = re.search(r"本年新收政府信息公开申请", text)
        if start is None or (m and m.start() < start - T3_INTRO_SLACK):
            start = m.start() if m else start
        if start is None:
            return
        end = t4_start(text, start) or min(len(text), start + T3_TEXT_WINDOW)
        self.found.text_start = start
        rows = text_rows(text, start, end)
        self._table3_rows(rows, grid=False)
