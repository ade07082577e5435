"""What the table readers share: the report text they read (:class:`TableDoc`), the
record of what they found (:class:`Out`, :class:`Analysis`), cell values, and where the
tables start in text."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Section, Table
from ..numbers import is_blank_marker, parse_amount, parse_number
from . import table_labels as L
from .table_grid import Row, has_number, row_text

# --------------------------------------------------------------------------------------
# output records
# --------------------------------------------------------------------------------------

@dataclass
class Out:
    """A cell to report: key, value and where it was printed."""

    key: str
    value: Any
    text: str
    row: str
    col: str
    table: Table | None = None
    span: tuple[int, int] | None = None  # offsets in TableDoc.text
    cell: tuple[int, int] | None = None  # (row, column) in table.rows: the cell's box


@dataclass
class Analysis:
    outs: list[Out] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)

    def add(self, out: Out) -> None:
        """Keep the first reading of a key: each table is extracted once per report."""
        if out.key in self.keys:
            return
        self.keys.add(out.key)
        self.outs.append(out)

    def has(self, prefix: str) -> bool:
        return any(k.startswith(prefix) for k in self.keys)


class TableDoc:
    """The report's sections (preamble included) glued back into one text."""

    def __init__(self, sections: list[Section]):
        self.sections = sorted(sections, key=lambda s: s.start)
        self.base = self.sections[0].start if self.sections else 0
        self.text = "".join(s.text for s in self.sections)
        self.starts = [s.start - self.base for s in self.sections]

    def section_at(self, pos: int) -> Section:
        idx = 0
        for i, st in enumerate(self.starts):
            if st <= pos:
                idx = i
            else:
                break
        return self.sections[idx]

    def tables(self) -> list[tuple[Section, Table]]:
        return [(s, t) for s in self.sections for t in s.tables]


# --------------------------------------------------------------------------------------
# value helpers
# --------------------------------------------------------------------------------------

def cell_value(cell: str | None, money: str | None = None) -> tuple[bool, Any]:
    """(ok, value) of a cell: blank markers are (True, None); unreadable text is (False, _)."""
    if cell is None or is_blank_marker(cell):
        return True, None
    s = cell.strip()
    if money:
        v = parse_amount(s, money)
    else:
        v = parse_number(s)
    if v is None:
        return False, None
    return True, v


def blank_cell(cell: str | None) -> bool:
    return cell is None or not cell.strip()


def flat_tokens(cells: list[str | None]) -> list[str]:
    out: list[str] = []
    for c in cells:
        if c and c.strip():
            out.extend(c.split())
    return out


def is_t4_header(row: Row) -> bool:
    if any(has_number(c) for c in row.cells) and row.labels:
        return False
    t = row_text(row)
    if sum(1 for w in L.T4_SIGNATURE if w in t) >= 2 or ("行政复议" in t and "行政诉讼" in t and len(t) < 60):
        return True
    # header words broken over cells: "维持 | 纠正 | 结果 | 审结"
    return sum(1 for w in ("维持", "纠正", "审结", "尚未") if w in t) >= 3 and len(t) < 120


def piece_spans(tokens: list[tuple[str, int, int]], cells: Sequence[str | None]
                ) -> list[tuple[int, int] | None]:
    """Offsets of each split cell inside the run's tokens."""
    out: list[tuple[int, int] | None] = []
    ti, off = 0, 0
    for c in cells:
        if c is None:
            out.append(None)  # absent: prints nothing
            continue
        while ti < len(tokens) and off >= len(tokens[ti][0]):
            ti, off = ti + 1, 0
        if ti >= len(tokens):
            out.append(None)
            continue
        tok, a, _ = tokens[ti]
        if tok[off:off + len(c)] == c:
            out.append((a + off, a + off + len(c)))
            off += len(c)
        else:
            out.append(None)
    return out


T4_TEXT_START = re.compile(r"结果维持|尚未审结|复议后起诉|未经复议|维持\s*纠正|行政复议\s*行政诉讼")


def t4_start(text: str, start: int = 0) -> int | None:
    m = T4_TEXT_START.search(text, start)
    return m.start() if m else None


def first_of(text: str, words: Iterable[str], start: int = 0) -> int | None:
    found = [text.find(w, start) for w in words]
    found = [f for f in found if f >= 0]
    return min(found) if found else None
