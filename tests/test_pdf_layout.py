"""The layout module's shortcut for table cells says what pdfplumber's extract_text says."""
from __future__ import annotations

import random

from pdfplumber.utils import extract_text

from govreport.readers.pdf_layout import _cell_text
from govreport.readers.pdf_textmap import extract_text as our_extract_text


def _char(text: str, x0: float, width: float, top: float, upright: bool = True) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 9,
            "doctop": top, "upright": upright, "size": 9.0, "height": 9.0, "width": width}


def test_cell_text_matches_extract_text_on_random_cells():
    rng = random.Random(17)
    alphabet = list("0123456789年件万元.,-/") + ["　", " ", "", "ﬁ", "(cid:3)"]
    for _ in range(3000):
        n = rng.randint(1, 7)
        top = rng.choice((100.0, 100.0, 100.0, 101.5, 104.5))
        chars, x = [], rng.uniform(0, 300)
        for _ in range(n):
            w = rng.uniform(2, 9)
            chars.append(_char(rng.choice(alphabet[:16]) if rng.random() < 0.9 else rng.choice(alphabet),
                               x, w, rng.choice((100.0, top)), upright=rng.random() < 0.97))
            x += w + rng.choice((0.0, 0.0, 0.5, 2.9, 3.0, 3.1, 6.0, -1.0))
        rng.shuffle(chars)
        assert _cell_text(chars, our_extract_text) == extract_text(chars), chars


def _random_edges(rng: random.Random) -> list[dict]:
    """Ruling edges of a random grid with merged cells, gaps and stray lines."""
    xs = sorted({round(rng.uniform(0, 500), rng.choice((0, 1, 2))) for _ in range(rng.randint(2, 9))})
    ys = sorted({round(rng.uniform(0, 700), rng.choice((0, 1, 2))) for _ in range(rng.randint(2, 12))})
    edges = []
    for x in xs:
        for a, b in zip(ys, ys[1:]):
            if rng.random() < 0.85:
                edges.append({"x0": x, "x1": x, "top": a, "bottom": b, "width": 0,
                              "height": b - a, "orientation": "v", "object_type": "line"})
    for y in ys:
        for a, b in zip(xs, xs[1:]):
            if rng.random() < 0.85:
                edges.append({"x0": a, "x1": b, "top": y, "bottom": y, "width": b - a,
                              "height": 0, "orientation": "h", "object_type": "line"})
    rng.shuffle(edges)
    return edges


def test_table_finder_shortcuts_match_pdfplumber():
    from pdfplumber.table import edges_to_intersections, intersections_to_cells

    from govreport.readers.pdf_tablefinder import _cells, _intersections

    rng = random.Random(3)
    for _ in range(300):
        edges = _random_edges(rng)
        tol = rng.choice((1, 3))
        ours = _intersections(edges, tol, tol)
        theirs = edges_to_intersections(edges, tol, tol)
        assert list(ours) == list(theirs)
        assert all(ours[k]["v"] == theirs[k]["v"] and ours[k]["h"] == theirs[k]["h"] for k in ours)
        assert _cells(ours) == intersections_to_cells(theirs)


def _random_page_objects(rng: random.Random):
    """Lines, thin and stroked rectangles and a curve, as a PDF engine hands them over."""
    from govreport.readers.pdf_layout import PageObjects

    def item(kind, x0, top, x1, bottom, **extra):
        return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                "doctop": top + 842.0, "width": x1 - x0, "height": bottom - top,
                "y0": 842.0 - bottom, "y1": 842.0 - top, "stroke": True, "fill": False,
                "linewidth": 0.5, **extra}

    lines, rects, curves = [], [], []
    for e in _random_edges(rng):
        x0, top = e["x0"] + rng.choice((0, 0, 0.4, -1.2)), e["top"] + rng.choice((0, 0, 0.3))
        x1, bottom = e["x1"] + (x0 - e["x0"]), e["bottom"] + (top - e["top"])
        r = rng.random()
        if r < 0.5:
            lines.append(item("line", x0, top, x1, bottom))
        elif e["orientation"] == "h":
            rects.append(item("rect", x0, top - 0.25, x1, top + 0.25))
        else:
            rects.append(item("rect", x0 - 0.25, top, x0 + 0.25, bottom))
    for _ in range(rng.randint(0, 3)):  # stroked boxes around cells
        x0, top = rng.uniform(0, 400), rng.uniform(0, 600)
        rects.append(item("rect", x0, top, x0 + rng.uniform(20, 90), top + rng.uniform(10, 40)))
    if rng.random() < 0.3:
        pts = [(10.0, 20.0), (10.0, 80.0), (120.0, 80.0), (140.0, 95.0)]
        curves.append(item("curve", 10.0, 20.0, 140.0, 95.0, pts=pts))
    return PageObjects(number=1, width=595.0, height=842.0, chars=[], lines=lines,
                       rects=rects, curves=curves)


def test_table_finder_on_slim_edges_matches_pdfplumber():
    """Our edges (only the keys the finder reads) give pdfplumber's tables, cell for cell,
    as pdfplumber's own edges of the same objects do."""
    from pdfplumber import utils
    from pdfplumber.table import TableFinder, TableSettings

    from govreport.readers.pdf_tablefinder import find_tables

    class Page:  # what TableFinder reads of a pdfplumber page
        def __init__(self, objs):
            self.bbox = objs.bbox
            self.edges = ([utils.line_to_edge(o) for o in objs.lines]
                          + [e for r in objs.rects for e in utils.rect_to_edges(r)]
                          + [e for c in objs.curves for e in utils.curve_to_edges(c)])

    rng = random.Random(29)
    seen = 0
    for _ in range(150):
        objs = _random_page_objects(rng)
        theirs = TableFinder(Page(objs), TableSettings.resolve(None)).tables  # type: ignore[arg-type]
        ours = find_tables(objs)
        assert [t.cells for t in ours] == [t.cells for t in theirs]
        assert [[r.cells for r in t.rows] for t in ours] == [[r.cells for r in t.rows] for t in theirs]
        seen += sum(len(t.cells) for t in ours)
    assert seen > 1000  # the random pages do make tables


def test_edge_snapping_and_joining_match_pdfplumber():
    """Snapped and joined edges: the same positions and lengths, in the same order."""
    from pdfplumber import utils
    from pdfplumber.table import TableFinder, TableSettings

    from govreport.readers.pdf_tablefinder import _Edges, table_edges

    class Page:
        def __init__(self, objs):
            self.bbox = objs.bbox
            self.edges = ([utils.line_to_edge(o) for o in objs.lines]
                          + [e for r in objs.rects for e in utils.rect_to_edges(r)]
                          + [e for c in objs.curves for e in utils.curve_to_edges(c)])

    keys = ("x0", "x1", "top", "bottom", "doctop", "width", "height", "orientation")
    rng = random.Random(31)
    total = 0
    for _ in range(300):
        objs = _random_page_objects(rng)
        finder = TableFinder.__new__(TableFinder)
        finder.page, finder.settings = Page(objs), TableSettings.resolve(None)  # type: ignore[assignment]
        theirs = [tuple(e[k] for k in keys) for e in finder.get_edges()]
        ours = [tuple(e[k] for k in keys) for e in table_edges(_Edges(objs).edges)]
        assert ours == theirs
        total += len(ours)
    assert total > 5000
