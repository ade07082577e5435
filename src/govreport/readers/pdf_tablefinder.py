"""pdfplumber's table finder (``TableFinder`` with default settings), exactly, faster.

pdfplumber finds a table's cells in four passes over the ruling edges: snap edges
within 3 pt of each other to their mean position, join collinear pieces, intersect
horizontal with vertical edges, and take the smallest cell at each intersection. It
copies every edge dict whole at each move and compares every point with every other;
report pages carry a thousand edges (a WPS cell is four rectangles). The passes here
give the same edges, points and cells in the same order — each is tested against
pdfplumber's own on random grids — with lighter data and sorted lookups.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pdf_layout import Box, PageObjects

SNAP = JOIN = 3        # pdfplumber's default snap and join tolerances (pt)
MIN_LENGTH = 3         # … shortest edge kept after joining
MIN_LENGTH_PREFILTER = 1  # … shortest edge looked at


class _Edges:
    """The little of a pdfplumber page that ``TableFinder`` reads: edges and bbox.

    The edges are pdfplumber's (``line_to_edge``, ``rect_to_edges``, ``curve_to_edges``)
    with only the keys the table finder reads: it copies every edge whole each time it
    snaps or joins one, and a rectangle's edge would carry all the rectangle's keys."""

    def __init__(self, objs: PageObjects):
        from pdfplumber import utils

        self.bbox = objs.bbox
        edges = [_edge(o, "h" if o["top"] == o["bottom"] else "v", "line") for o in objs.lines]
        for r in objs.rects:
            edges.extend(_rect_edges(r))
        for c in objs.curves:
            edges.extend(_edge(e, e["orientation"], "curve_edge") for e in utils.curve_to_edges(c))
        self.edges = edges


def _edge(o: dict, orientation: str | None, kind: str) -> dict:
    return {"x0": o["x0"], "x1": o["x1"], "top": o["top"], "bottom": o["bottom"],
            "doctop": o["doctop"], "width": o["width"], "height": o["height"],
            "orientation": orientation, "object_type": kind}


def _rect_edges(r: dict) -> list[dict]:
    """pdfplumber's ``rect_to_edges``: top, bottom, left, right (same arithmetic)."""
    x0, x1, top, bottom, doctop = r["x0"], r["x1"], r["top"], r["bottom"], r["doctop"]
    width, height = r["width"], r["height"]
    return [
        {"x0": x0, "x1": x1, "top": top, "bottom": top, "doctop": doctop, "width": width,
         "height": 0, "orientation": "h", "object_type": "rect_edge"},
        {"x0": x0, "x1": x1, "top": top + height, "bottom": bottom, "doctop": doctop + height,
         "width": width, "height": 0, "orientation": "h", "object_type": "rect_edge"},
        {"x0": x0, "x1": x0, "top": top, "bottom": bottom, "doctop": doctop, "width": 0,
         "height": height, "orientation": "v", "object_type": "rect_edge"},
        {"x0": x1, "x1": x1, "top": top, "bottom": bottom, "doctop": doctop, "width": 0,
         "height": height, "orientation": "v", "object_type": "rect_edge"},
    ]


def _intersections(edges: list[dict], x_tol: float, y_tol: float) -> dict:
    """pdfplumber's ``edges_to_intersections``, with the horizontal edges sorted once
    instead of once per vertical edge (same points, same edge lists, same order)."""
    from operator import itemgetter

    out: dict = {}
    v_edges = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    for v in v_edges:
        vx, vtop, vbottom = v["x0"], v["top"], v["bottom"]
        for h in h_edges:
            htop = h["top"]
            if (vtop <= htop + y_tol and vbottom >= htop - y_tol
                    and vx >= h["x0"] - x_tol and vx <= h["x1"] + x_tol):
                hit = out.get((vx, htop))
                if hit is None:
                    hit = out[(vx, htop)] = {"v": [], "h": []}
                hit["v"].append(v)
                hit["h"].append(h)
    return out


def _cells(intersections: dict) -> list[Box]:
    """pdfplumber's ``intersections_to_cells`` (for each point, the smallest cell whose
    four corners are points joined by common edges), with each point's edge sets built
    once and its points below / to the right looked up instead of filtered from all
    later points: the same cells in the same order."""
    points = sorted(intersections)
    vsets = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in intersections[p]["v"]}
             for p in points}
    hsets = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in intersections[p]["h"]}
             for p in points}

    def connects(p1, p2) -> bool:
        if p1[0] == p2[0] and not vsets[p1].isdisjoint(vsets[p2]):
            return True
        return p1[1] == p2[1] and not hsets[p1].isdisjoint(hsets[p2])

    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for p in points:  # sorted by (x, y): each list in the order pdfplumber scans it
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    out = []
    for pt in points[:-1]:
        below = [q for q in by_x[pt[0]] if q[1] > pt[1]]
        right = [q for q in by_y[pt[1]] if q[0] > pt[0]]
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) \
                        and connects(corner, below_pt):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            out.append(found)
    return out


def table_edges(edges: list[dict]) -> list[dict]:
    """pdfplumber's ``TableFinder.get_edges`` for the "lines" strategies: the vertical
    then the horizontal edges of ``edges`` at least 1 pt long, snapped, joined, and
    those at least 3 pt long kept. The edges are moved in place (they are this page's
    own copies)."""
    v = [e for e in edges if e["orientation"] == "v" and e["height"] >= MIN_LENGTH_PREFILTER]
    h = [e for e in edges if e["orientation"] == "h" and e["width"] >= MIN_LENGTH_PREFILTER]
    v = _snap(v, "x0", "x1")
    h = _snap(h, "top", "bottom")
    joined = _join(h, "top", "x0", "x1", "width") + _join(v, "x0", "top", "bottom", "height")
    return [e for e in joined
            if e["height" if e["orientation"] == "v" else "width"] >= MIN_LENGTH]


def _snap(edges: list[dict], key: str, other: str) -> list[dict]:
    """pdfplumber's ``snap_objects(edges, key, 3)``: clusters of ``key`` (sorted, a new
    one after a gap over 3) in cluster order, each edge moved by its cluster's mean −
    its own ``key`` (the same sums, in the same order, as pdfplumber's)."""
    ids: dict[float, int] = {}
    last = None
    k = -1
    for value in sorted({e[key] for e in edges}):
        if last is None or not value <= last + SNAP:
            k += 1
        ids[value] = k
        last = value
    clusters: list[list[dict]] = [[] for _ in range(k + 1)]
    for e in edges:
        clusters[ids[e[key]]].append(e)
    out = []
    for cluster in clusters:
        mean = sum(e[key] for e in cluster) / len(cluster)
        for e in cluster:
            d = mean - e[key]
            e[key] = e[key] + d
            e[other] = e[other] + d
            if key == "top":
                e["doctop"] = e["doctop"] + d
            out.append(e)
    return out


def _join(edges: list[dict], line: str, lo: str, hi: str, length: str) -> list[dict]:
    """pdfplumber's ``merge_edges`` join pass for one orientation: the edges on one
    line (equal ``line`` key, in order), sorted by ``lo``, an edge starting within 3 of
    the previous one's end extending it (``resize_object``'s arithmetic)."""
    groups: dict[float, list[dict]] = {}
    for e in edges:
        groups.setdefault(e[line], []).append(e)
    out = []
    for pos in sorted(groups):
        group = sorted(groups[pos], key=lambda e: e[lo])
        joined = [group[0]]
        for e in group[1:]:
            prev = joined[-1]
            if e[lo] <= prev[hi] + JOIN:
                if e[hi] > prev[hi]:
                    grown = dict(prev)
                    if hi == "x1":
                        grown["x1"] = e["x1"]
                        grown["width"] = e["x1"] - prev["x0"]
                    else:
                        grown["height"] = prev["height"] + (e["bottom"] - prev["bottom"])
                        grown["bottom"] = e["bottom"]
                    joined[-1] = grown
            else:
                joined.append(e)
        out.extend(joined)
    return out


def find_tables(objs: PageObjects) -> list:
    """pdfplumber's ``TableFinder(page).tables`` with default settings, through the
    faster equivalents above."""
    from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables

    finder = TableFinder.__new__(TableFinder)
    finder.page = _Edges(objs)  # type: ignore[assignment]
    finder.settings = settings = TableSettings.resolve(None)
    finder.edges = table_edges(finder.page.edges)
    finder.intersections = _intersections(finder.edges, settings.intersection_x_tolerance,
                                          settings.intersection_y_tolerance)
    finder.cells = _cells(finder.intersections)
    return [Table(finder.page, group) for group in cells_to_tables(finder.cells)]


