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

The text comes from one ``FPDFText_GetText`` call per page. With the optional C helper
(``_pdfium_bulk.c``, see :func:`.pdfium_calls.bulk`) one call per page returns every
char's loose box, font size, matrix, origin and Unicode-map flag, one call walks the
page's objects and one per path reads its segments — raw values, every coordinate is
computed here. Without it the same PDFium functions are called through ctypes
prototypes on plain addresses (:mod:`.pdfium_calls`): one call per char for its box,
the rest only when the loose box height changes (a new run).
"""
from __future__ import annotations

import ctypes
import math
import re
import struct
from collections.abc import Iterator
from typing import Any

from .pdf_layout import THIN, PageObjects
from .pdfium_calls import address, bulk, calls

_CANDIDATES = re.compile("[ \r\n\x02\ufffe]")  # chars PDFium may have generated
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
    generated, boxes, info = _char_data(textpage, text, n)
    height = space.height
    fast_page = space.upright_page
    out: list[dict] = []
    key = None
    mode = "fast"
    size = 0.0
    unmapped = False
    for i, (left, top_y, right, bottom_y) in enumerate(boxes):
        if generated[i]:
            continue
        u = text[i]
        if u == "\x00":
            continue
        h = top_y - bottom_y
        if h != key or h <= 0 or not fast_page:
            mode, size = _char_mode(info[i], right - left, bottom_y, space)
            unmapped = info[i][7] == 1
            key = h
        if unmapped and info[i][7] == 1:
            u = f"(cid:{ord(u)})"  # no Unicode map: what pdfminer prints for the code
        if mode == "fast":
            bottom = height - bottom_y
            x0, x1, top = left, right, bottom - size
            upright = True
        elif mode == "vertical":
            x0, bottom, x1, top = _vertical_box(info[i], size, space)
            upright = True
        else:
            x0, top, x1, bottom, upright = _general_box(textpage, i, u, info[i], space)
        out.append({
            "text": u, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": doctop + top, "upright": upright, "size": size,
            "width": x1 - x0, "height": bottom - top, "object_type": "char",
        })
    return out


def _char_data(textpage, text: list[str], n: int) -> tuple[Any, list, Any]:
    """(generated, boxes, info) of the text page's n chars: 1 where PDFium generated the
    char (a space or line break no content stream drew), its loose box (left, top, right,
    bottom), and ``info[i]`` = (font size, the char matrix's a b c d, origin x y, 1 if
    its font has no Unicode map) — in one call to the C helper when it is built, else
    through ctypes (boxes up front, info per char when asked)."""
    tp = address(textpage)
    flags = bytearray(n)
    for m in _CANDIDATES.finditer("".join(text)):
        flags[m.start()] = 1
    bulk_calls = bulk()
    if bulk_calls is not None:
        raw_boxes, generated, info = bulk_calls.char_boxes(tp, n, bytes(flags))
        return generated, list(struct.iter_unpack("4f", raw_boxes)), _PackedInfo(info)
    c = calls()
    is_generated, loose_box = c.Text_IsGenerated, c.Text_GetLooseCharBox
    rect = (ctypes.c_float * 4)()  # FS_RECTF: left, top, right, bottom
    rect_ref = ctypes.addressof(rect)
    boxes = []
    for i in range(n):
        if flags[i] and is_generated(tp, i):
            boxes.append((0.0, 0.0, 0.0, 0.0))
            continue
        flags[i] = 0
        loose_box(tp, i, rect_ref)
        boxes.append(tuple(rect))
    return flags, boxes, _CallInfo(textpage)


class _PackedInfo:
    """``info[i]`` from the C helper's packed doubles."""

    def __init__(self, data: bytes):
        self.data = data

    def __getitem__(self, i: int) -> tuple:
        return struct.unpack_from("8d", self.data, 64 * i)


class _CallInfo:
    """``info[i]`` asked of PDFium through pypdfium2, char by char."""

    def __init__(self, textpage):
        self.textpage = textpage

    def __getitem__(self, i: int) -> tuple:
        import pypdfium2.raw as raw

        tp = self.textpage
        m = raw.FS_MATRIX()
        raw.FPDFText_GetMatrix(tp, i, m)
        x, y = ctypes.c_double(), ctypes.c_double()
        raw.FPDFText_GetCharOrigin(tp, i, x, y)
        return (raw.FPDFText_GetFontSize(tp, i), m.a, m.b, m.c, m.d, x.value, y.value,
                raw.FPDFText_HasUnicodeMapError(tp, i))


def _char_mode(info: tuple, loose_width: float, loose_bottom: float,
               space: _Space) -> tuple[str, float]:
    """("fast" | "vertical" | "general", font size in points) for the run at a char.

    Vertical writing shows in the loose box: PDFium leaves it unscaled by the text
    matrix (as wide as the unscaled font size, much wider than the scaled one), or it
    lies above the char's origin (the font's vertical origin), where a horizontal
    char's box starts at its descent, below the baseline."""
    fs, a, b, c, d, _, origin_y, _ = info
    size = fs * math.hypot(c, d)
    if not space.upright_page or b != 0 or c != 0 or a <= 0 or d <= 0:
        return "general", size
    if fs > 0 and abs(a - 1) > 1e-3 and abs(loose_width - fs) < 1e-3 * fs + 0.01 \
            and loose_width > 1.5 * size:
        return "vertical", size
    if loose_bottom > origin_y + 0.01:
        return "vertical", size
    return "fast", size


def _vertical_box(info: tuple, size: float, space: _Space):
    ox, oy = info[5], info[6]
    bottom = space.height - oy
    return ox, bottom, ox + size, bottom - size


def _general_box(textpage, i: int, u: str, info: tuple, space: _Space):
    """pdfminer's box of a char under any matrix: corners (0, descent) and
    (advance, descent + size) in text space, then the page rotation."""
    import pypdfium2.raw as raw

    fs, a, b, c, d, ox, oy, _ = info
    adv = desc = 0.0
    obj = raw.FPDFText_GetTextObject(textpage, i)
    font = raw.FPDFTextObj_GetFont(obj) if obj else None
    if font:
        w, dsc = ctypes.c_float(), ctypes.c_float()
        if raw.FPDFFont_GetGlyphWidth(font, ord(u), ctypes.c_float(fs), w):
            adv = w.value
        if raw.FPDFFont_GetDescent(font, ctypes.c_float(fs), dsc):
            desc = dsc.value
    p1 = (ox + c * desc, oy + d * desc)
    p2 = (ox + a * adv + c * (desc + fs), oy + b * adv + d * (desc + fs))
    (x0, t0), (x1, t1) = space.point(*p1), space.point(*p2)
    la, lb, lc, ld = space.linear((a, b, c, d))
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
    holder = address(page)
    bulk_calls = bulk()
    if bulk_calls is not None:
        has_images, objects = bulk_calls.objects(holder)
        segments = bulk_calls.segments
    else:
        objects = []
        has_images = _walk(calls(), holder, False, 0, objects)
        segments = _segments
    found = _placed(objects)
    reader = _PathReader()
    if not any(reader.may_rule(obj, depth) for obj, _, depth in found):
        return has_images
    for obj, m, _ in found:
        _read_path(segments(obj), m, space, doctop, lines, rects, curves)
    return has_images


def _walk(c, holder: int, is_form: bool, depth: int, out: list) -> bool:
    """What ``_pdfium_bulk.objects`` gives, through ctypes: (kind, object, depth, a, b, c,
    d, e, f) for each path and form object in content order (a form's own objects right
    after it, to depth 16), the matrix the object's own; True if an image was seen."""
    has_images = False
    matrix = (ctypes.c_float * 6)()  # FS_MATRIX: a b c d e f
    matrix_ref = ctypes.addressof(matrix)
    get_type, get_matrix = c.PageObj_GetType, c.PageObj_GetMatrix
    count = c.FormObj_CountObjects(holder) if is_form else c.Page_CountObjects(holder)
    get = c.FormObj_GetObject if is_form else c.Page_GetObject
    for k in range(count):
        obj = get(holder, k)
        if not obj:
            continue
        kind = get_type(obj)
        if kind == _OBJ_IMAGE:
            has_images = True
        elif kind == _OBJ_PATH or (kind == _OBJ_FORM and depth < 16):
            matrix[:] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
            get_matrix(obj, matrix_ref)
            out.append((kind, obj, depth, *matrix))
            if kind == _OBJ_FORM:
                has_images |= _walk(c, obj, True, depth + 1, out)
    return has_images


def _placed(objects: list) -> list[tuple[int, tuple, int]]:
    """(path object, its matrix on the page, form depth) for each path: its own matrix
    times the matrices of the forms it sits in."""
    outer: list[tuple] = [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)]
    found = []
    for kind, obj, depth, *m in objects:
        placed = _mul(tuple(m), outer[depth])
        if kind == _OBJ_PATH:
            found.append((obj, placed, depth))
        else:  # a form: the objects after it at depth + 1 are its own
            del outer[depth + 1:]
            outer.append(placed)
    return found


def _mul(m: tuple, n: tuple) -> tuple:
    """m then n (row-vector convention, as pdfminer's ``mult_matrix``)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


class _PathReader:
    """Looks at path objects (is any a possible ruling?) with ctypes arguments made once
    per page."""

    def __init__(self) -> None:
        c = calls()
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.refs = (ctypes.addressof(self.fill), ctypes.addressof(self.stroke))
        self.draw_mode = c.Path_GetDrawMode
        self.count = c.Path_CountSegments
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


def _segments(obj: int) -> tuple[int, int, float, list]:
    """What ``_pdfium_bulk.segments`` gives, through ctypes: the path's fill mode, stroke
    flag, line width and flat (x, y, type, closes) per segment (none when the path is
    painted neither way)."""
    c = calls()
    fill, stroke, width = ctypes.c_int(), ctypes.c_int(), ctypes.c_float()
    c.Path_GetDrawMode(obj, ctypes.addressof(fill), ctypes.addressof(stroke))
    if not fill.value and not stroke.value:
        return fill.value, stroke.value, 0.0, []
    c.PageObj_GetStrokeWidth(obj, ctypes.addressof(width))
    xy = (ctypes.c_float * 2)()
    x_ref, y_ref = ctypes.addressof(xy), ctypes.addressof(xy) + ctypes.sizeof(ctypes.c_float)
    flat: list = []
    for s in range(max(c.Path_CountSegments(obj), 0)):
        seg = c.Path_GetPathSegment(obj, s)
        if not seg:
            flat += (0.0, 0.0, -1, False)
            continue
        c.PathSegment_GetPoint(seg, x_ref, y_ref)
        flat += (xy[0], xy[1], c.PathSegment_GetType(seg), bool(c.PathSegment_GetClose(seg)))
    return fill.value, stroke.value, width.value, flat


def _read_path(segments: tuple, m: tuple, space: _Space, doctop: float, lines: list,
               rects: list, curves: list) -> None:
    """One path's subpaths, classified as pdfminer does (see :func:`_subpath`)."""
    fillmode, stroke, width, flat = segments
    if not fillmode and not stroke:
        return  # a clipping path or an invisible one: pdfminer paints nothing either
    a, b, c, d, e, f = m
    kinds: list[str] = []  # pdfminer's path operators: m l c h
    pts: list[tuple[float, float]] = []
    bezier = 0
    values = iter(flat)
    for px, py, kind, closes in zip(values, values, values, values):  # 4 per segment
        pt = (a * px + c * py + e, b * px + d * py + f)
        if kind == _SEG_BEZIER:
            bezier += 1
            if bezier == 3:
                kinds.append("c")
                pts.append(pt)
                bezier = 0
        else:
            kinds.append("m" if kind == _SEG_MOVE else "l")
            pts.append(pt)
        if closes:
            kinds.append("h")
            pts.append(pt)
    props = (width, bool(stroke), bool(fillmode), fillmode == 1)
    start = 0
    n = len(kinds)
    for j in range(1, n + 1):  # one subpath per "m", as pdfminer
        if j == n or kinds[j] == "m":
            _subpath(kinds[start:j], pts[start:j], props, space, doctop, lines, rects, curves)
            start = j


def _subpath(kinds: list[str], pts: list, props: tuple, space: _Space, doctop: float,
             lines: list, rects: list, curves: list) -> None:
    if not kinds or kinds[0] != "m":
        return
    shape = "".join(kinds)
    first = pts[0]
    pts = [first if k == "h" else p for k, p in zip(kinds, pts)]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == first:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape == "mlh" or shape == "ml":
        kind, target = "line", lines
        pts = pts[:2]
    elif shape == "mlllh" or shape == "mllll":
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or \
                 (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if first == last and square:
            kind, target = "rect", rects
        else:
            kind, target = "curve", curves
    else:
        kind, target = "curve", curves
    a, b, c, d, e, f = space.ctm  # space.point, inlined: paths are many, their points few
    dx, dtop, height = space.dx, space.dtop, space.height
    mapped = [(a * px + c * py + e + dx, height - (b * px + d * py + f) + dtop)
              for px, py in pts]
    xs = [p[0] for p in mapped]
    tops = [p[1] for p in mapped]
    x0, x1, top, bottom = min(xs), max(xs), min(tops), max(tops)
    linewidth, stroked, filled, evenodd = props
    item = {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": doctop + top, "width": x1 - x0, "height": bottom - top,
            "y0": height - bottom, "y1": height - top, "linewidth": linewidth,
            "stroke": stroked, "fill": filled, "evenodd": evenodd}
    if kind == "curve":
        item["pts"] = mapped
    target.append(item)
