"""Table rows printed as text: number runs, and splitting run-together digits.

Three shapes reach here:

- lines of a label and space-separated cells (``一、本年新收… 21 0 0 0 0 0 21``);
- PDF text where a wrapped label's numbers print on their own line, before or after it;
- one-line crawler dumps where cells run together (``…数量640020470二、…``).

A *run* is a maximal stretch of number tokens (integers, decimals, blank markers like
``-`` ``/`` ``—``) and spaces. A run of run-together digits is split into cells only by
the table's own arithmetic, and only when the split is unique (:func:`splits`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

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


def _arithmetic_splits(tokens: list[str], n_cells: int, holds) -> list[list[str]] | None:
    """Splits of ``tokens`` into ``n_cells`` non-negative numbers for which ``holds(values)``."""
    segs = segmentations(tokens, n_cells)
    if segs is None:
        return None
    out = []
    for cells in segs:
        vals = [_num(c) for c in cells]
        if any(v is None or v < 0 for v in vals):
            continue
        if holds(vals):
            out.append(cells)
    return out


def row_splits(tokens: list[str], n_parts: int = 6) -> list[list[str]] | None:
    """Splits of a table 三 row: ``n_parts`` applicant cells then their total."""
    return _arithmetic_splits(tokens, n_parts + 1, lambda v: sum(v[:-1]) == v[-1])


def t4_splits(tokens: list[str]) -> list[list[str]] | None:
    """Splits of the 15-cell table 四 row: three blocks of (4 results, total)."""
    return _arithmetic_splits(
        tokens, 15, lambda v: all(sum(v[b:b + 4]) == v[b + 4] for b in (0, 5, 10)))


def common_cells(candidates: list[list[str]]) -> list[str | None]:
    """Cell by cell: the value all candidates agree on, else None (unknown)."""
    if not candidates:
        return []
    out: list[str | None] = []
    for i in range(len(candidates[0])):
        vals = {c[i] for c in candidates}
        out.append(candidates[0][i] if len(vals) == 1 else None)
    return out


def balance_filter(cands: dict[str, list[list[str]]]) -> dict[str, list[list[str]]]:
    """Keep only the combinations of the four table 三 balance rows (new_received,
    carried_over, total_processed, carried_forward) that satisfy 一+二 = 七+四 in every
    column. Rows missing from ``cands`` are not constrained."""
    keys = ["new_received", "carried_over", "total_processed", "carried_forward"]
    if not all(k in cands and cands[k] for k in keys):
        return cands
    sizes = [len(cands[k]) for k in keys]
    total = 1
    for s in sizes:
        total *= s
    if total == 1 or total > 200000:
        return cands
    keep: dict[str, set[int]] = {k: set() for k in keys}
    for combo in product(*(range(s) for s in sizes)):
        rows = [[_num(c) for c in cands[k][i]] for k, i in zip(keys, combo)]
        if all(rows[0][c] + rows[1][c] == rows[2][c] + rows[3][c] for c in range(len(rows[0]))):
            for k, i in zip(keys, combo):
                keep[k].add(i)
    if not any(keep.values()):
        return cands  # the report's own numbers don't balance: don't use the rule
    out = dict(cands)
    for k in keys:
        out[k] = [cands[k][i] for i in sorted(keep[k])]
    return out
