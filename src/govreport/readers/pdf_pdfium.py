"""PDF engine "pdfium" (the default): page objects read by PDFium through pypdfium2.

PDFium parses content streams in C; this module only turns its characters and paths
into the pdfplumber-shaped objects :mod:`.pdf_layout` lays out, matching what pdfminer
(the reference engine, :mod:`.pdf_pdfminer`) reports for the same page:

* Character boxes. A char's box is pdfminer's: ``x0`` the origin, ``bottom`` the
  origin's baseline + the font's descent, and ``top = bottom − font size`` (PDFium's
  loose box spans ascent−descent instead, which splits "2024\\n年" on mixed-font lines).
  The font size is PDFium's unscaled size times the text matrix's vertical scale.
* Vertical writing (WPS's vertical cell labels): PDFium leaves the loose box unscaled
  by the text matrix (20× too large); pdfminer's box is the square of the font size
  above the origin, which is what is built.
* Rotated text and rotated pages: the box is pdfminer's two-corner box of the glyph
  (origin, advance, descent, font size under the char's matrix), mapped through the
  page rotation the way pdfminer's interpreter does.
* A char of a font without a Unicode map is "(cid:N)", as pdfminer writes it (the
  reader's text-quality check counts them).
* Characters PDFium generates itself (spaces between words, line breaks) are dropped:
  pdfminer has none, and they would put "3 119" into table cells.
* Paths are classified like pdfminer's ``paint_path``: ``m l`` → line, a closed
  axis-aligned four-point path → rect, anything else → curve; subpaths split at each
  ``m``; paths inside form XObjects are included with the form's matrix.

Character data costs one ctypes call per character (the loose box); the text comes
from one ``FPDFText_GetText`` call per page, and font size and matrix are fetched again
only when the loose box height changes (a new font or size), since they are shared by
every char of a run. The calls made per character, object and path segment go through
:mod:`.pdfium_calls` (the same PDFium functions, handles as plain addresses).
"""
from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator

from .pdf_layout import THIN, PageObjects
from .pdfium_calls import address, calls

_GENERATED_CANDIDATES = frozenset(" \r\n\x02\ufffe")
_OBJ_PATH = 2
_OBJ_IMAGE = 3
_OBJ_FORM = 5
_SEG_LINE, _SEG_BEZIER, _SEG_MOVE = 0, 1, 2


class PasswordError(Exception):
    """PDFium could not open the file: a password is needed or the one given is wrong."""


class SecurityError(Exception):
    """PDFium does not support the file's encryption handler."""


class PdfiumPages:
    """An open PDF: ``len()`` pages, ``pages()`` yields each page's objects once."""

    def __init__(self, data: bytes, password: str):
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        try:
            self._doc = pdfium.PdfDocument(data, password=password or None)
        except pdfium.PdfiumError as exc:
            code = getattr(exc, "err_code", None)
            if b"/Encrypt" not in data:
                raise  # PDFium says "password" for some broken unencrypted files
            if code == raw.FPDF_ERR_PASSWORD:
                raise PasswordError(str(exc)) from None
            if code == raw.FPDF_ERR_SECURITY:
                raise SecurityError(str(exc)) from None
            raise

    def __len__(self) -> int:
        return len(self._doc)

    def metadata(self) -> dict:
        """The document information dictionary (``CreationDate`` …), {} if unreadable."""
        try:
            return dict(self._doc.get_metadata_dict())
        except Exception:  # noqa: BLE001 - metadata is a nicety
            return {}

    def pages(self) -> Iterator[PageObjects]:
        doctop = 0.0
        for i in range(len(self._doc)):
            page = self._doc[i]
            try:
                objs = _read_page(page, i + 1, doctop)
            finally:
                page.close()
            doctop += objs.height
            yield objs

    def close(self) -> None:
        self._doc.close()


class _Space:
    """PDF user space → pdfplumber's top-left coordinates, through the page rotation
    exactly as pdfminer's interpreter and pdfplumber's page do it."""

    def __init__(self, page):
        import pypdfium2.raw as raw

        x0, y0, x1, y1 = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
        if raw.FPDFPage_GetMediaBox(page, x0, y0, x1, y1):
            mx0, my0, mx1, my1 = x0.value, y0.value, x1.value, y1.value
        else:
            mx0, my0, mx1, my1 = 0.0, 0.0, page.get_width(), page.get_height()
        mx0, mx1 = sorted((mx0, mx1))
        my0, my1 = sorted((my0, my1))
        rot = (raw.FPDFPage_GetRotation(page) * 90) % 360
        self.rotation = rot
        if rot == 90:
            self.ctm = (0.0, -1.0, 1.0, 0.0, -my0, mx1)
        elif rot == 180:
            self.ctm = (-1.0, 0.0, 0.0, -1.0, mx1, my1)
        elif rot == 270:
            self.ctm = (0.0, 1.0, -1.0, 0.0, my1, -mx0)
        else:
            self.ctm = (1.0, 0.0, 0.0, 1.0, -mx0, -my0)
        # pdfplumber: MediaBox normalised for the rotation, flipped to top-left
        if rot in (90, 270):
            nx0, ny0, nx1, ny1 = my0, mx0, my1, mx1
        else:
            nx0, ny0, nx1, ny1 = mx0, my0, mx1, my1
        h = ny1 - ny0
        self.bbox = (nx0, h - ny1, nx1, h - ny0)
        self.width = nx1 - nx0
        self.height = ny1 - ny0
        self.dx = self.bbox[0]
        self.dtop = self.bbox[1]
        self.upright_page = rot == 0 and mx0 == 0 and my0 == 0

    def point(self, x: float, y: float) -> tuple[float, float]:
        """(x, top) of a user-space point."""
        a, b, c, d, e, f = self.ctm
        px, py = a * x + c * y + e, b * x + d * y + f
        return px + self.dx, self.height - py + self.dtop

    def linear(self, m: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """The linear part of matrix ``m`` followed by the page rotation."""
        a, b, c, d = m
        A, B, C, D = self.ctm[:4]
        return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D)


def _read_page(page, number: int, doctop: float) -> PageObjects:
    import pypdfium2.raw as raw

    space = _Space(page)
    textpage = raw.FPDFText_LoadPage(page)
    try:
        chars = _chars(textpage, space, doctop)
    finally:
        raw.FPDFText_ClosePage(textpage)
    lines: list[dict] = []
    rects: list[dict] = []
    curves: list[dict] = []
    has_images = _paths(page, space, doctop, lines, rects, curves)
    return PageObjects(number=number, width=space.width, height=space.height, chars=chars,
                       lines=lines, rects=rects, curves=curves, has_images=has_images,
                       bbox=space.bbox)


def _page_text(textpage, n: int) -> list[str]:
    """The n chars of the text page, one ``FPDFText_GetText`` call (one UTF-16 unit per
    char); per-char calls only if PDFium's text and char lists disagree."""
    import pypdfium2.raw as raw

    buf = (ctypes.c_ushort * (n + 1))()
    got = raw.FPDFText_GetText(textpage, 0, n, buf) if n else 1
    if got - 1 == n:
        return [chr(u) for u in buf[:n]]
    return [chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(n)]


def _chars(textpage, space: _Space, doctop: float) -> list[dict]:
    import pypdfium2.raw as raw

    n = raw.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    text = _page_text(textpage, n)
    c = calls()
    is_generated, loose_box, map_error = c.Text_IsGenerated, c.Text_GetLooseCharBox, \
        c.Text_HasUnicodeMapError
    tp = address(textpage)
    rect = raw.FS_RECTF()
    rect_ref = ctypes.addressof(rect)
    height = space.height
    fast_page = space.upright_page
    out: list[dict] = []
    key = None
    mode = "fast"
    size = 0.0
    unmapped = False
    for i in range(n):
        u = text[i]
        if u in _GENERATED_CANDIDATES and is_generated(tp, i):
            continue
        if u == "\x00":
            continue
        loose_box(tp, i, rect_ref)
        left, bottom_y, right, top_y = rect.left, rect.bottom, rect.right, rect.top
        h = top_y - bottom_y
        if h != key or h <= 0 or not fast_page:
            mode, size = _char_mode(textpage, i, right - left, bottom_y, space)
            unmapped = map_error(tp, i) == 1
            key = h
        if unmapped and map_error(tp, i) == 1:
            u = f"(cid:{ord(u)})"  # no Unicode map: what pdfminer prints for the code
        if mode == "fast":
            bottom = height - bottom_y
            x0, x1, top = left, right, bottom - size
            upright = True
        elif mode == "vertical":
            x0, bottom, x1, top = _vertical_box(textpage, i, size, space)
            upright = True
        else:
            x0, top, x1, bottom, upright = _general_box(textpage, i, u, space)
        out.append({
            "text": u, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": doctop + top, "upright": upright, "size": size,
            "width": x1 - x0, "height": bottom - top, "object_type": "char",
        })
    return out


def _matrix(textpage, i: int) -> tuple[float, float, float, float]:
    import pypdfium2.raw as raw

    m = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage, i, m)
    return (m.a, m.b, m.c, m.d)


def _char_mode(textpage, i: int, loose_width: float, loose_bottom: float,
               space: _Space) -> tuple[str, float]:
    """("fast" | "vertical" | "general", font size in points) for the run at char i.

    Vertical writing shows in the loose box: PDFium leaves it unscaled by the text
    matrix (as wide as the unscaled font size, much wider than the scaled one), or it
    lies above the char's origin (the font's vertical origin), where a horizontal
    char's box starts at its descent, below the baseline."""
    import pypdfium2.raw as raw

    fs = raw.FPDFText_GetFontSize(textpage, i)
    a, b, c, d = _matrix(textpage, i)
    size = fs * math.hypot(c, d)
    if not space.upright_page or b != 0 or c != 0 or a <= 0 or d <= 0:
        return "general", size
    if fs > 0 and abs(a - 1) > 1e-3 and abs(loose_width - fs) < 1e-3 * fs + 0.01 \
            and loose_width > 1.5 * size:
        return "vertical", size
    if loose_bottom > _origin(textpage, i)[1] + 0.01:
        return "vertical", size
    return "fast", size


def _origin(textpage, i: int) -> tuple[float, float]:
    import pypdfium2.raw as raw

    x, y = ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharOrigin(textpage, i, x, y)
    return x.value, y.value


def _vertical_box(textpage, i: int, size: float, space: _Space):
    ox, oy = _origin(textpage, i)
    bottom = space.height - oy
    return ox, bottom, ox + size, bottom - size


def _general_box(textpage, i: int, u: str, space: _Space):
    """pdfminer's box of a char under any matrix: corners (0, descent) and
    (advance, descent + size) in text space, then the page rotation."""
    import pypdfium2.raw as raw

    fs = raw.FPDFText_GetFontSize(textpage, i)
    m = _matrix(textpage, i)
    ox, oy = _origin(textpage, i)
    adv = desc = 0.0
    obj = raw.FPDFText_GetTextObject(textpage, i)
    font = raw.FPDFTextObj_GetFont(obj) if obj else None
    if font:
        w, dsc = ctypes.c_float(), ctypes.c_float()
        if raw.FPDFFont_GetGlyphWidth(font, ord(u), ctypes.c_float(fs), w):
            adv = w.value
        if raw.FPDFFont_GetDescent(font, ctypes.c_float(fs), dsc):
            desc = dsc.value
    a, b, c, d = m
    p1 = (ox + c * desc, oy + d * desc)
    p2 = (ox + a * adv + c * (desc + fs), oy + b * adv + d * (desc + fs))
    (x0, t0), (x1, t1) = space.point(*p1), space.point(*p2)
    la, lb, lc, ld = space.linear(m)
    upright = la * ld > 0 and lb * lc <= 0
    return min(x0, x1), min(t0, t1), max(x0, x1), max(t0, t1), upright


# -- paths ----------------------------------------------------------------------------

def _paths(page, space: _Space, doctop: float, lines: list, rects: list, curves: list) -> bool:
    """Fill lines/rects/curves from the page's path objects (forms included, in content
    order); True if the page has an image.

    The segments are read only when some path could be a ruling (stroked, thin, or made
    of several subpaths — a cheap look at each path): a page without one gets no
    table search anyway, and most prose pages of WPS exports carry a white filled
    rectangle per line of text."""
    c = calls()
    found: list[tuple[int, tuple, int]] = []
    holder = address(page)
    has_images = _walk(c, holder, c.Page_CountObjects(holder), c.Page_GetObject,
                       (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0, found)
    reader = _PathReader()
    if not any(reader.may_rule(obj, depth) for obj, _, depth in found):
        return has_images
    for obj, m, _ in found:
        reader.read(obj, m, space, doctop, lines, rects, curves)
    return has_images


def _walk(c, holder: int, count: int, get, outer: tuple, depth: int, found: list) -> bool:
    """Collect (path object, its matrix on the page, form depth); True if an image."""
    has_images = False
    matrix = (ctypes.c_float * 6)()  # FS_MATRIX: a b c d e f
    matrix_ref = ctypes.addressof(matrix)
    get_type, get_matrix = c.PageObj_GetType, c.PageObj_GetMatrix
    for k in range(count):
        obj = get(holder, k)
        if not obj:
            continue
        kind = get_type(obj)
        if kind == _OBJ_PATH:
            get_matrix(obj, matrix_ref)
            found.append((obj, _mul(tuple(matrix), outer), depth))
        elif kind == _OBJ_IMAGE:
            has_images = True
        elif kind == _OBJ_FORM and depth < 16:
            get_matrix(obj, matrix_ref)
            m = _mul(tuple(matrix), outer)
            has_images |= _walk(c, obj, c.FormObj_CountObjects(obj), c.FormObj_GetObject, m,
                                depth + 1, found)
    return has_images


def _mul(m: tuple, n: tuple) -> tuple:
    """m then n (row-vector convention, as pdfminer's ``mult_matrix``)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


class _PathReader:
    """Reads path objects' segments with ctypes arguments made once per page."""

    def __init__(self) -> None:
        c = calls()
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.width = ctypes.c_float()
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.refs = tuple(ctypes.addressof(v) for v in
                          (self.fill, self.stroke, self.width, self.x, self.y))
        self.draw_mode = c.Path_GetDrawMode
        self.stroke_width = c.PageObj_GetStrokeWidth
        self.count = c.Path_CountSegments
        self.segment = c.Path_GetPathSegment
        self.point = c.PathSegment_GetPoint
        self.seg_type = c.PathSegment_GetType
        self.closes = c.PathSegment_GetClose
        self.bounds = c.PageObj_GetBounds
        self.bounds_args = tuple(ctypes.c_float() for _ in range(4))
        self.bounds_refs = tuple(ctypes.addressof(v) for v in self.bounds_args)

    def may_rule(self, obj, depth: int) -> bool:
        """Could this path hold a ruling line? Stroked, thin, several subpaths, or inside a
        form (whose bounds are in the form's space): yes. A single filled shape thicker
        than a ruling: no."""
        fill_ref, stroke_ref = self.refs[0], self.refs[1]
        self.draw_mode(obj, fill_ref, stroke_ref)
        if self.stroke.value or depth > 0:
            return True
        if not self.fill.value:
            return False
        if self.count(obj) > 5:
            return True
        x0, y0, x1, y1 = self.bounds_args
        if not self.bounds(obj, *self.bounds_refs):
            return True
        return min(x1.value - x0.value, y1.value - y0.value) <= THIN + 0.5

    def read(self, obj, m: tuple, space: _Space, doctop: float, lines: list, rects: list,
             curves: list) -> None:
        fill_ref, stroke_ref, width_ref, x_ref, y_ref = self.refs
        self.draw_mode(obj, fill_ref, stroke_ref)
        fillmode, stroke = self.fill.value, self.stroke.value
        if not fillmode and not stroke:
            return  # a clipping path or an invisible one: pdfminer paints nothing either
        self.stroke_width(obj, width_ref)
        a, b, c, d, e, f = m
        x, y = self.x, self.y
        segment, point, seg_type, closes = self.segment, self.point, self.seg_type, self.closes
        ops: list[tuple[str, tuple[float, float]]] = []
        bezier = 0
        for s in range(self.count(obj)):
            seg = segment(obj, s)
            point(seg, x_ref, y_ref)
            px, py = x.value, y.value
            pt = (a * px + c * py + e, b * px + d * py + f)
            kind = seg_type(seg)
            if kind == _SEG_BEZIER:
                bezier += 1
                if bezier == 3:
                    ops.append(("c", pt))
                    bezier = 0
            else:
                ops.append(("m" if kind == _SEG_MOVE else "l", pt))
            if closes(seg):
                ops.append(("h", pt))
        props = {"linewidth": self.width.value, "stroke": bool(stroke),
                 "fill": bool(fillmode), "evenodd": fillmode == 1}
        start = 0
        for j in range(1, len(ops) + 1):  # one subpath per "m", as pdfminer
            if j == len(ops) or ops[j][0] == "m":
                _subpath(ops[start:j], props, space, doctop, lines, rects, curves)
                start = j


def _subpath(ops, props, space: _Space, doctop: float, lines, rects, curves) -> None:
    if not ops or ops[0][0] != "m":
        return
    shape = "".join(o for o, _ in ops)
    pts = [p if o != "h" else ops[0][1] for o, p in ops]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        kind, target = "line", lines
        pts = pts[:2]
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or \
                 (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            kind, target = "rect", rects
        else:
            kind, target = "curve", curves
    else:
        kind, target = "curve", curves
    mapped = [space.point(px, py) for px, py in pts]
    xs = [p[0] for p in mapped]
    tops = [p[1] for p in mapped]
    x0, x1, top, bottom = min(xs), max(xs), min(tops), max(tops)
    item = {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": doctop + top, "width": x1 - x0, "height": bottom - top,
            "y0": space.height - bottom, "y1": space.height - top, **props}
    if kind == "curve":
        item["pts"] = mapped
    target.append(item)
