"""Table grids (PDF / HTML / Markdown / DOCX) as a stream of labelled rows.

Readers hand over grids as printed: merged cells are ``None`` (pdfplumber) or repeat
their text (HTML), wrapped text keeps its line breaks, a table split across pages is two
grids, a Markdown converter may scatter one table over many small ones. This module only
says, for every row of every grid in document order, which cells are labels and which
are values, and finds the column headers of tables 三 and 四; matching rows to their
meaning is done by the caller on the whole stream, so a split table is merged simply by
reading on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Table
from . import table_labels as L
from .table_text import BLANK_TOKENS

_NUMERIC = re.compile(r"^[-+]?\d+(?:,\d{3})*(?:\.\d+)?\s*(?:万元|元|件|条|%)?$")
_MULTI = re.compile(r"^(?:[-+]?\d+(?:\.\d+)?|[—\-/／])(?:\s+(?:[-+]?\d+(?:\.\d+)?|[—\-/／]))+$")


@lru_cache(maxsize=8192)
def is_value_cell(cell: str | None) -> bool:
    """Numbers, blank markers and empty cells are values; anything else is a label."""
    if cell is None:
        return True
    s = cell.strip()
    if not s or s in BLANK_TOKENS or s in ("无", "不适用", "不涉及"):
        return True
    s = re.sub(r"\s+", " ", s)
    return bool(_NUMERIC.match(s.replace(" ", "")) and " " not in s) or bool(_MULTI.match(s))


@lru_cache(maxsize=8192)
def has_number(cell: str | None) -> bool:
    return bool(cell) and bool(re.search(r"\d", cell or "")) and is_value_cell(cell)


@dataclass
class Row:
    """One printed row: its label cells and its value cells.

    Grid rows carry ``table`` and ``index``; text rows carry ``span`` (offsets in the
    report's normalised text) and ``tokens`` (each value token with its offsets).
    """

    labels: list[str]
    cells: list[str | None]          # value cells in print order ('' / None = blank)
    table: Table | None = None
    index: int = -1
    raw: list[str | None] = field(default_factory=list)  # the whole grid row
    span: tuple[int, int] | None = None
    tokens: list[tuple[str, int, int]] = field(default_factory=list)
    label_span: tuple[int, int] | None = None
    cell_spans: list[tuple[int, int] | None] = field(default_factory=list)  # text rows
    colnames: dict[int, str] = field(default_factory=dict)  # printed column headers (grids)

    @property
    def label(self) -> str:
        return " ".join(self.labels)

    @property
    def n_numbers(self) -> int:
        if self.tokens:
            return len(self.tokens)
        return sum(1 for c in self.cells if has_number(c))

    @property
    def is_text(self) -> bool:
        return self.table is None


def _dedupe(cells: list[str]) -> list[str]:
    out: list[str] = []
    for c in cells:
        if not out or out[-1] != c:
            out.append(c)
    return out


def grid_rows(table: Table) -> list[Row]:
    """Rows of a grid split into label cells and the value cells after the last label."""
    out = []
    for i, raw in enumerate(table.rows):
        cells = list(raw)
        last_label = -1
        for j, c in enumerate(cells):
            if not is_value_cell(c):
                last_label = j
        labels = _dedupe([c.strip() for c in cells[:last_label + 1] if c and c.strip()
                          and not is_value_cell(c)])
        values = cells[last_label + 1:]
        out.append(Row(labels=labels, cells=values, table=table, index=i, raw=cells))
    return out


def value_columns(row: Row, *, printed_only: bool = False) -> list[int]:
    """Index in ``row.raw`` of each of ``row.cells`` (the value cells are the row's
    last cells); ``printed_only`` skips the ``None`` cells a merged cell spans."""
    off = len(row.raw) - len(row.cells)
    return [off + m for m, c in enumerate(row.cells) if not (printed_only and c is None)]


def row_text(row: Row) -> str:
    return L.clean("".join(c for c in row.raw if c)) if row.raw else L.clean(row.label)


# --------------------------------------------------------------------------------------
# column maps
# --------------------------------------------------------------------------------------

def _fill_left(row: list[str | None]) -> list[str]:
    """Spread a merged header cell's text over the ``None`` cells to its right."""
    out: list[str] = []
    cur = ""
    for c in row:
        if c is None:
            out.append(cur)
        else:
            cur = c
            out.append(c)
    return out


def t3_column_map(table: Table, first_data: int) -> dict[int, str] | None:
    """{column index: T3 column key} from the header rows above ``first_data``."""
    heads = table.rows[:first_data]
    if not heads:
        return None
    n = table.n_cols
    joined = []
    for j in range(n):
        parts = [r[j] for r in heads if j < len(r) and r[j]]
        joined.append(" ".join(_dedupe([p for p in parts if p])))
    found: dict[int, str] = {}
    for j, text in enumerate(joined):
        key = L.t3_column(text)
        if key:
            found[j] = key
    if sorted(found.values()) == sorted(L.T3_COLUMNS) and len(found) == 7:
        return found
    return None


def t4_column_map(header_rows: list[list[str | None]], n_cols: int) -> dict[int, tuple[str, str]] | None:
    """{column index: (block, column)} from table 四's (up to three) header rows."""
    if not header_rows:
        return None
    filled = [_fill_left(list(r) + [None] * (n_cols - len(r))) for r in header_rows]
    out: dict[int, tuple[str, str]] = {}
    for j in range(n_cols):
        text = " ".join(_dedupe([r[j] for r in filled if r[j]]))
        block = L.t4_block(text)
        col = L.t4_column(text)
        if block and col:
            out[j] = (block, col)
    if len(out) == 15 and len(set(out.values())) == 15:
        return out
    return None


def header_label(table: Table, first_data: int, j: int) -> str:
    """The header words printed above column ``j`` (for provenance)."""
    parts = []
    for r in table.rows[:first_data]:
        cell = r[j] if j < len(r) else None
        if cell and cell.strip():
            t = re.sub(r"\s+", "", cell)
            if t not in parts:
                parts.append(t)
    return parts[-1] if parts else ""
