"""Cells every split of a run-together row agrees on, with no arithmetic to lean on.

When no reading of a row adds up (its 总计 contradicts its parts whatever the split), the
table is inconsistent as printed — a finding (T4-SUM) — yet some cells are certain from
the digits alone: a cell can hold one ``0`` only (no leading zeros), so "00202…" starts
with two zero cells in every split.  :func:`agreed_cells` keeps the cells every split
agrees on up to the first one they do not (precision first: later cells are placed only
by splits whose arithmetic is known to be broken).
"""
from __future__ import annotations

MAX_WIDTH = 7  # digits of one cell


def agreed_cells(tokens: list[str], n: int) -> dict[int, str] | None:
    """{cell index: value} of the leading cells every split of ``tokens`` into ``n`` cells
    agrees on; None when the tokens are not plain digit runs or cannot make ``n`` cells.

    Spaces (token boundaries) are cell boundaries; a cell has no leading zero.
    """
    if not tokens or not all(t.isdigit() for t in tokens):
        return None
    # positions: (token, offset); a cell is digits[token][a:b]
    starts: list[set[tuple[int, int]]] = [set() for _ in range(n + 1)]
    starts[0].add((0, 0))
    edges: list[list[tuple[tuple[int, int], tuple[int, int], str]]] = [[] for _ in range(n)]
    for k in range(n):
        for ti, offset in starts[k]:
            if ti == len(tokens):
                continue  # every digit used before the last cell
            tok = tokens[ti]
            for stop in range(offset + 1, min(len(tok), offset + MAX_WIDTH) + 1):
                cell = tok[offset:stop]
                if len(cell) > 1 and cell[0] == "0":
                    break
                nxt = (ti + 1, 0) if stop == len(tok) else (ti, stop)
                starts[k + 1].add(nxt)
                edges[k].append(((ti, offset), nxt, cell))
    end = (len(tokens), 0)
    if end not in starts[n]:
        return None
    # walk back: keep the edges on complete paths
    alive = {end}
    values: list[set[str]] = [set() for _ in range(n)]
    for k in range(n - 1, -1, -1):
        prev: set[tuple[int, int]] = set()
        for here, there, cell in edges[k]:
            if there in alive:
                prev.add(here)
                values[k].add(cell)
        alive = prev
    out: dict[int, str] = {}
    for k, v in enumerate(values):
        if len(v) != 1:
            break  # past the first uncertain cell, a cell's place hangs on the broken sums
        out[k] = next(iter(v))
    return out
