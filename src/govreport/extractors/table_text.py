"""Table rows printed as text: number runs, and splitting run-together digits.

Three shapes reach here:

- lines of a label and space-separated cells (``一、本年新收… 21 0 0 0 0 0 21``);
- PDF text where a wrapped label's numbers print on their own line, before or after it;
- one-line crawler dumps where cells run together (``…数量640020470二、…``).

A *run* is a maximal stretch of number tokens (integers, decimals, blank markers like
``-`` ``/`` ``—``) and spaces. A run of run-together digits is split into cells only by
the table's own arithmetic (:class:`Readings`). A blank cell prints nothing, so where
cells run together it vanishes without a trace: a reading may leave cells absent, and a
row's own sum does not settle it. The readings of all rows of table 三 are solved
together under the column rules (:func:`.table3_solve.joint_filter`), and only the cells on which
every consistent reading agrees are kept (:func:`common_cells`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# A number token: optional sign, digits with optional thousands separators and decimals,
# an optional unit glued to it (251000元, 7730.28万元); or a blank marker.
_NUM = r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:万元|元|件|条|%)?"
_BLANK = r"(?:—{1,2}|－{1,2}|-{1,3}|/|／|\\)"
_TOKEN = re.compile(rf"{_NUM}|{_BLANK}")
# A run: tokens separated by horizontal spaces; a trailing label number "2." is cut off
# by the caller (it belongs to the next label).
RUN = re.compile(rf"(?:{_NUM}|{_BLANK})(?:[ \t]*(?:{_NUM}|{_BLANK}))*")
BLANK_TOKENS = {"-", "--", "---", "—", "——", "－", "－－", "/", "／", "\\"}


# Characters that, right after a number, make it part of a sentence.
_PROSE_UNITS = set("年月日号条款项版期件个次人篇家户名份余多%％倍万亿元")


@dataclass
class Run:
    """A number run in a text, with its label (the words before it)."""

    start: int            # offset of the run in the text it was found in
    end: int
    text: str
    label: str = ""
    label_start: int = 0
    tokens: list[tuple[str, int, int]] = field(default_factory=list)  # (token, start, end)

    @property
    def values(self) -> list[str]:
        return [t for t, _, _ in self.tokens]


def tokens_of(text: str, base: int = 0) -> list[tuple[str, int, int]]:
    return [(m.group(0), base + m.start(), base + m.end()) for m in _TOKEN.finditer(text)]


_LABEL_NUMBER_AFTER = re.compile(r"([1-9])[.．、](?=[^\d\s.．、])")


def find_runs(text: str, start: int = 0, end: int | None = None, *,
              one_line: bool | None = None) -> list[Run]:
    """Number runs in ``text[start:end]`` with their labels.

    In line-based text the label of a run is the text on its own line before it; in a
    one-line dump it is all the text since the previous run. A digit glued in front of a
    label's numbering ("00000002.其他法律…") is given back to the label.
    """
    end = len(text) if end is None else end
    if one_line is None:
        one_line = text.count("\n", start, end) < 3
    runs: list[Run] = []
    pos = start
    prev_end = start
    while pos < end:
        m = RUN.search(text, pos, end)
        if not m:
            break
        a, b = m.start(), m.end()
        body = m.group(0)
        # A run that is the numbering of a label ("1.属于…", "（三）不予公开1.属于…"):
        # the last token followed by '.' or '、' and a word character.
        nxt = text[b:b + 2]
        if re.match(r"[.．、][^\d\s]", nxt):
            cut = re.search(r"(?:^|(?<=[\s\d]))([1-9])$", body)
            if cut is None:
                pos = b + 1
                continue
            b = a + cut.start(1)
            body = text[a:b].rstrip()
            b = a + len(body)
            if not body:
                pos = m.end() + 1
                continue
        # Numbers inside words, not cells: 第二十条, 2023年, "三安全一稳定" are not digits;
        # reject a run glued to a following unit-like CJK word that makes it prose.
        after = text[b:b + 3].lstrip(" \t")[:1]
        if after and after in _PROSE_UNITS and not (one_line and after == "第"):
            # "2023年", "受理申请 21 件", "12.3%": a number in a sentence, not a cell
            pos = b + 1
            continue
        if a > 0 and text[a - 1] in "第" :
            pos = b + 1
            continue
        if one_line:
            lab_start = prev_end
        else:
            line_start = text.rfind("\n", 0, a) + 1
            lab_start = max(line_start, prev_end)
        label = text[lab_start:a]
        run = Run(a, b, body, label=label, label_start=lab_start, tokens=tokens_of(body, a))
        runs.append(run)
        prev_end = b
        pos = b
    return runs


# --------------------------------------------------------------------------------------
# splitting run-together digits
# --------------------------------------------------------------------------------------

def _cells_of_chunk(chunk: str, n: int) -> list[list[str]]:
    """All ways to cut a digit string into ``n`` cells without leading zeros."""
    out: list[list[str]] = []
    L = len(chunk)
    if n <= 0:
        return [[]] if L == 0 else []
    if L < n:
        return []

    def rec(i: int, left: int, acc: list[str]) -> None:
        if left == 1:
            piece = chunk[i:]
            if piece and (piece == "0" or piece[0] != "0"):
                out.append(acc + [piece])
            return
        max_len = L - i - (left - 1)
        for k in range(1, max_len + 1):
            piece = chunk[i:i + k]
            if k > 1 and piece[0] == "0":
                break
            rec(i + k, left - 1, acc + [piece])
            if len(out) > 50000:
                return

    rec(0, n, [])
    return out


_SIGNED_RUN = re.compile(r"^([-+]?)(\d+)$")


def _splittable(tok: str) -> tuple[str, str] | None:
    """(sign, digits) of a token that may hold several run-together cells."""
    m = _SIGNED_RUN.match(tok)
    return (m.group(1), m.group(2)) if m else None


def segmentations(tokens: list[str], n: int, limit: int = 20000) -> list[list[str]] | None:
    """Every way to read ``tokens`` (space-separated, each possibly run-together digits)
    as exactly ``n`` cells. Spaces are cell boundaries; a signed run ("-13230") gives its
    sign to its first cell; a decimal, a number with a unit or a blank marker is one
    cell. No cell has a leading zero. Returns None when there are too many readings."""
    parts = [_splittable(t) for t in tokens]
    widths = [len(p[1]) if p else 1 for p in parts]
    if len(tokens) > n or sum(widths) < n:
        return []
    results: list[list[str]] = []

    def rec(i: int, left: int, acc: list[str]) -> bool:
        if i == len(tokens):
            if left == 0:
                results.append(acc)
            return len(results) <= limit
        rest_min = len(tokens) - i - 1
        rest_max = sum(widths[i + 1:])
        p = parts[i]
        if p is None:
            return rec(i + 1, left - 1, acc + [tokens[i]]) if rest_min <= left - 1 <= rest_max else True
        sign, digits = p
        for k in range(1, len(digits) + 1):
            if left - k < rest_min or left - k > rest_max:
                continue
            for cells in _cells_of_chunk(digits, k):
                if sign:
                    cells = [sign + cells[0]] + cells[1:]
                if not rec(i + 1, left - k, acc + cells):
                    return False
        return True

    ok = rec(0, n, [])
    return results if ok else None


def _num(s: str) -> int | float | None:
    from ..numbers import parse_number

    return parse_number(s)


# --------------------------------------------------------------------------------------
# readings of a row whose blank cells may have vanished
# --------------------------------------------------------------------------------------
#
# A blank cell prints nothing; where cells run together ("…数量201221214249") or a PDF's
# text drops empty cells, a blank leaves no trace, so a row may print fewer numbers than
# it has cells. A reading of a row therefore places every printed number in a cell and
# may leave cells ABSENT (None: blank, and unprinted). Forcing the row into all its cells
# would find "unique" splits that add up and are wrong.

#: A cell of a reading that prints nothing (a blank cell that vanished).
ABSENT = None


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


#: A cell the readings disagree on (:func:`common_cells`).
UNKNOWN: Any = _Unknown()

_ATOM_WIDTH = 50  # an unsplittable token (decimal, unit, blank marker) in the width prune


def _token_parts(tokens: list[str]) -> list[tuple[str, str | None, int | float]] | None:
    """(sign, digits, value) per token: digits for a run of digits that may hold several
    cells, else None and the token's value as one cell (a blank marker counts 0). None
    when a token cannot be a cell of a non-negative row."""
    parts: list[tuple[str, str | None, int | float]] = []
    for t in tokens:
        sp = _splittable(t)
        if sp is not None:
            if sp[0] == "-":
                return None
            parts.append((sp[0], sp[1], 0))
        elif t in BLANK_TOKENS:
            parts.append(("", None, 0))
        else:
            v = _num(t)
            if v is None or v < 0:
                return None
            parts.append(("", None, v))
    return parts


MAX_STATES = 20_000  # reading states of one row; real rows need under 2,000

_State = tuple  # (position, token index, digits used of that token, sum of the block so far)
_Move = tuple    # (cell or ABSENT, (token index, start, end) in the token's text or None, next state)


class Readings:
    """Every reading of ``tokens`` as a row of ``blocks`` (each block: its cells, the
    last one the total of the others), blank cells allowed to have vanished.

    Spaces are cell boundaries; a run of digits is cut into cells without leading zeros
    (a ``+`` sign goes to its first cell; a ``-`` sign is no count); a decimal, a number
    with a unit or a blank marker is one cell; with ``absent`` a cell may be ABSENT
    (None: printed nothing). Every block adds up, absent and blank cells counting 0 (an
    absent total means 0).

    The readings are the paths of a small graph of reading states, so they are counted
    and agreed on (:meth:`common`) without listing them all."""

    def __init__(self, tokens: list[str], blocks: tuple[int, ...] = (7,), absent: bool = True):
        self.tokens = tokens
        self.absent = absent
        self.n = sum(blocks)
        self.is_total: list[bool] = []
        for b in blocks:
            self.is_total += [False] * (b - 1) + [True]
        self.parts = _token_parts(tokens)
        self.start: _State = (0, 0, 0, 0)
        self.moves: dict[_State, list[_Move]] = {}
        self.paths: dict[_State, int] = {}  # complete readings from a state
        self.gave_up = False  # past MAX_STATES reading states: no readings
        if self.parts is None or len(tokens) > self.n:
            self.count = 0
            return
        n_tok = len(self.parts)
        self.left_from = [0] * (n_tok + 1)  # characters from token i on (unsplittable: a lot)
        for i in range(n_tok - 1, -1, -1):
            d = self.parts[i][1]
            self.left_from[i] = self.left_from[i + 1] + (len(d) if d is not None else _ATOM_WIDTH)
        stack, seen = [self.start], {self.start}
        while stack:
            st = stack.pop()
            ms = self.moves[st] = self._moves(st)
            for m in ms:
                if m[2] not in seen:
                    seen.add(m[2])
                    stack.append(m[2])
            if len(seen) > MAX_STATES:
                # digits run together past any real row (hundreds of them): no reading
                # rather than minutes of search; the caller leaves the row out and says so
                self.gave_up, self.count, self.moves = True, 0, {}
                return
        end = (self.n, n_tok, 0, 0)
        for st in sorted(self.moves, key=lambda x: -x[0]):  # later positions first
            self.paths[st] = 1 if st == end else sum(self.paths[m[2]] for m in self.moves[st])
        self.count = self.paths[self.start]

    def _moves(self, st: _State) -> list[_Move]:
        p, ti, off, bsum = st
        parts, n = self.parts, self.n
        assert parts is not None
        n_tok = len(parts)
        if p == n or n_tok - ti > n - p:
            return []  # the end; or tokens left over that each need a cell of their own
        out: list[_Move] = []
        if self.is_total[p]:
            # the total is the sum: absent (when 0), or printed next
            if bsum == 0 and self.absent:
                out.append((ABSENT, None, (p + 1, ti, off, 0)))
            if ti == n_tok:
                return out
            sign, digits, val = parts[ti]
            if digits is None:
                if val == bsum:
                    out.append((self.tokens[ti], (ti, 0, len(self.tokens[ti])), (p + 1, ti + 1, 0, 0)))
            elif float(bsum).is_integer() and digits.startswith(str(int(bsum)), off):
                k, ls = len(str(int(bsum))), len(sign)
                nti, noff = (ti + 1, 0) if off + k == len(digits) else (ti, off + k)
                out.append(((sign if off == 0 else "") + digits[off:off + k],
                            (ti, 0 if off == 0 else ls + off, ls + off + k), (p + 1, nti, noff, 0)))
            return out
        if self.absent:
            out.append((ABSENT, None, (p + 1, ti, off, bsum)))
        if ti < n_tok:
            sign, digits, val = parts[ti]
            if digits is None:
                out.append((self.tokens[ti], (ti, 0, len(self.tokens[ti])), (p + 1, ti + 1, 0, bsum + val)))
            else:
                left = self.left_from[ti] - off
                ls = len(sign)
                for k in range(1, len(digits) - off + 1):
                    cell = digits[off:off + k]
                    if k > 1 and cell[0] == "0":
                        break
                    nb = bsum + int(cell)
                    if nb and len(str(int(nb))) > left - k:
                        break  # the block's total could no longer be printed after this cell
                    nti, noff = (ti + 1, 0) if off + k == len(digits) else (ti, off + k)
                    out.append(((sign if off == 0 else "") + cell,
                                (ti, 0 if off == 0 else ls + off, ls + off + k), (p + 1, nti, noff, nb)))
        if self.is_total[p + 1]:
            # the next cell is the block's total: only the moves after which it can print
            out = [m for m in out if self._total_fits(*m[2][1:])]
        return out

    def _total_fits(self, ti: int, off: int, bsum: int | float) -> bool:
        """Can a block's total ``bsum`` be the cell at (ti, off)?"""
        parts = self.parts
        assert parts is not None
        if bsum == 0 and self.absent:
            return True
        if ti == len(parts):
            return False
        _, digits, val = parts[ti]
        if digits is None:
            return val == bsum
        return float(bsum).is_integer() and digits.startswith(str(int(bsum)), off)

    def cells(self, limit: int = 20000) -> list[list[str | None]] | None:
        """The readings, cell lists (None: absent); None when there are over ``limit``."""
        if self.count > limit:
            return None
        out: list[list[str | None]] = []
        acc: list[str | None] = []

        def walk(st: _State) -> None:
            if st[0] == self.n:
                out.append(list(acc))
                return
            for cell, _, nxt in self.moves[st]:
                if self.paths[nxt]:
                    acc.append(cell)
                    walk(nxt)
                    acc.pop()

        if self.count:
            walk(self.start)
        return out

    def common(self) -> tuple[list[Any], list[tuple[int, int, int] | None]]:
        """Per cell: the value every reading agrees on (a blank: None) else UNKNOWN, and
        where it is printed (token index, start, end) when every reading agrees on that."""
        if not self.count:
            return [], []
        seen: list[dict[Any, Any]] = [{} for _ in range(self.n)]
        wheres: list[set] = [set() for _ in range(self.n)]
        stack, visited = [self.start], {self.start}
        while stack:
            st = stack.pop()
            for cell, where, nxt in self.moves[st]:
                if not self.paths[nxt]:
                    continue
                seen[st[0]].setdefault(_key(cell), cell)
                wheres[st[0]].add(where)
                if nxt not in visited:
                    visited.add(nxt)
                    stack.append(nxt)
        cells = [next(iter(v.values())) if len(v) == 1 else UNKNOWN for v in seen]
        return cells, [next(iter(w)) if len(w) == 1 else None for w in wheres]


def _key(cell: str | None) -> Any:
    """What a cell says: None for a blank (absent or a blank marker), else its number."""
    if cell is None or not cell.strip() or cell.strip() in BLANK_TOKENS:
        return None
    return _num(cell)


def block_splits(tokens: list[str], blocks: tuple[int, ...] = (7,),
                 limit: int = 20000) -> list[list[str | None]] | None:
    """The readings of :class:`Readings` as cell lists (None: absent); None when there
    are more than ``limit``."""
    return Readings(tokens, blocks).cells(limit)


def row_splits(tokens: list[str], n_parts: int = 6) -> list[list[str | None]] | None:
    """Readings of a table 三 row: ``n_parts`` applicant cells then their total, blank
    cells possibly vanished."""
    return block_splits(tokens, (n_parts + 1,))


def t4_splits(tokens: list[str]) -> list[list[str | None]] | None:
    """Readings of the 15-cell table 四 row: three blocks of (4 results, total)."""
    return block_splits(tokens, (5, 5, 5))


def cell_number(cell: str | None) -> int | float | None:
    """A cell's number for the arithmetic: absent and blank cells count 0; None when the
    cell is not a number."""
    if cell is None or cell.strip() in BLANK_TOKENS or not cell.strip():
        return 0
    return _num(cell)


def common_cells(candidates: list[list[str | None]]) -> list[Any]:
    """Cell by cell: the value all candidates agree on (a blank, absent or printed, is a
    value: None), else UNKNOWN."""
    if not candidates:
        return []
    out: list[Any] = []
    for i in range(len(candidates[0])):
        first = candidates[0][i]
        out.append(first if all(_key(c[i]) == _key(first) for c in candidates[1:]) else UNKNOWN)
    return out
