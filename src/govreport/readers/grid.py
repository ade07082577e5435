"""A ruled table as row and column edges, and which cell each position belongs to.

Shared by the readers that rebuild tables from ruling lines rather than get them from a
library: OFD (vector path objects) and the OCR plugin (lines found in a page image).
A slot with no rule on its left continues the cell before it, a slot with no rule above
it continues the cell above (merged cells); the grid a reader returns has the merged
cell's text in its first slot and ``None`` in the others, as pdfplumber's tables do.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class RuledGrid:
    """Row edges ``ys`` and column edges ``xs`` (top-left origin), and the rules present:
    ``left[r][c]`` — a rule on the left of slot (r, c); ``top[r][c]`` — a rule above it."""

    ys: list[float]
    xs: list[float]
    left: list[list[bool]]
    top: list[list[bool]]

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.ys) - 1, len(self.xs) - 1)

    def owners(self) -> list[list[tuple[int, int]]]:
        """For each slot, the (row, col) of the merged cell it belongs to."""
        n_rows, n_cols = self.shape
        own: list[list[tuple[int, int]]] = []
        for r in range(n_rows):
            row: list[tuple[int, int]] = []
            for c in range(n_cols):
                if c > 0 and not self.left[r][c]:
                    row.append(row[c - 1])
                elif r > 0 and not self.top[r][c]:
                    row.append(own[r - 1][c])
                else:
                    row.append((r, c))
            own.append(row)
        return own

    def slot(self, x: float, y: float) -> tuple[int, int] | None:
        r, c = _index(self.ys, y), _index(self.xs, x)
        return None if r is None or c is None else (r, c)


class Cells(Generic[T]):
    """Items (characters, glyphs) sorted into the cells of a grid by their centre."""

    def __init__(self, grid: RuledGrid, items: Iterable[tuple[float, float, T]]):
        self.grid = grid
        self.own = grid.owners()
        n_rows, n_cols = grid.shape
        self.members: list[list[list[T]]] = [[[] for _ in range(n_cols)] for _ in range(n_rows)]
        for x, y, item in items:
            found = grid.slot(x, y)
            if found is not None:
                r0, c0 = self.own[found[0]][found[1]]
                self.members[r0][c0].append(item)

    def rows(self, text: Callable[[list[T]], str]) -> list[list[str | None]]:
        """Cell texts (``text(members)``), ``None`` in the slots a merged cell spans."""
        n_rows, n_cols = self.grid.shape
        return [[text(self.members[r][c]) if self.own[r][c] == (r, c) else None
                 for c in range(n_cols)] for r in range(n_rows)]


def _index(edges: list[float], v: float) -> int | None:
    for i in range(len(edges) - 1):
        if edges[i] <= v < edges[i + 1]:
            return i
    return None


def cluster(values: Iterable[float], gap: float) -> list[float]:
    """Values closer than ``gap`` to the previous one merged into their mean."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= gap:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def grid_from_segments(h: list[tuple[float, float, float]], v: list[tuple[float, float, float]],
                       tol: float) -> RuledGrid | None:
    """A grid from horizontal rules (y, x0, x1) and vertical rules (x, y0, y1) of one
    table (``tol``: how far apart two rules may be and still be one edge)."""
    if len(h) < 2 or len(v) < 2:
        return None
    ys = cluster([s[0] for s in h], tol)
    xs = cluster([s[0] for s in v], tol)
    if len(ys) < 2 or len(xs) < 2:
        return None

    def has_v(x: float, y0: float, y1: float) -> bool:
        mid = (y0 + y1) / 2
        return any(abs(s[0] - x) <= tol and s[1] - tol <= mid <= s[2] + tol for s in v)

    def has_h(y: float, x0: float, x1: float) -> bool:
        mid = (x0 + x1) / 2
        return any(abs(s[0] - y) <= tol and s[1] - tol <= mid <= s[2] + tol for s in h)

    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    left = [[c == 0 or has_v(xs[c], ys[r], ys[r + 1]) for c in range(n_cols)] for r in range(n_rows)]
    top = [[r == 0 or has_h(ys[r], xs[c], xs[c + 1]) for c in range(n_cols)] for r in range(n_rows)]
    return RuledGrid(ys, xs, left, top)


def connected_groups(h: list[tuple[float, float, float]], v: list[tuple[float, float, float]],
                     tol: float) -> list[tuple[list[tuple[float, float, float]],
                                               list[tuple[float, float, float]]]]:
    """Rules split into tables: rules that touch (a horizontal crossing a vertical) are one."""
    n = len(h) + len(v)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(h):
        for j, (x, y0, y1) in enumerate(v):
            if x0 - tol <= x <= x1 + tol and y0 - tol <= y <= y1 + tol:
                parent[find(i)] = find(len(h) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, s in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(s)
    for j, s in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(s)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]
