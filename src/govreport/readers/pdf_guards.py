"""Budgets that keep pdfminer bounded on hostile PDFs (installed once, process-wide).

pdfminer trusts what a PDF says. Each guard below turns one way of making it run for
minutes or take gigabytes into a :class:`~govreport.errors.LimitExceededError` (or, where
the PDF is merely malformed, into the reading the specification prescribes):

* **inflated streams** — a Flate stream is inflated at most to :data:`MAX_STREAM_BYTES`
  (a 10 KB bomb cannot become gigabytes: zlib stops at the limit), and all streams of a
  document together to ``limits.MAX_EXPANDED_BYTES``;
* **drawing work per page** — at most :data:`MAX_PAGE_GLYPHS` glyphs,
  :data:`MAX_PAGE_PATHS` paths and :data:`MAX_PAGE_XOBJECTS` form XObject draws (form
  XObjects that draw each other in a fan-out multiply without end);
* **reference cycles** — an object that is only a reference to another (``6 0 obj 7 0 R``)
  is followed at most 32 steps; a cycle reads as ``null``, as a missing object does;
* **CMap ranges** — a ``bfrange``/``cidrange`` over 2³² codes is clamped to 65,536 codes
  (no font has more), like the /W width ranges in :mod:`.pdf`.

The counters are per thread and per document (:func:`document_budget`).
"""
from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import LimitExceededError
from ..limits import MAX_EXPANDED_BYTES

MAX_STREAM_BYTES = 32 * 1024 * 1024   # one inflated stream
MAX_PAGE_GLYPHS = 30_000              # a dense A4 page holds a few thousand
MAX_PAGE_PATHS = 100_000
MAX_PAGE_XOBJECTS = 5_000
MAX_REF_HOPS = 32
MAX_CODE_RANGE = 65_536

_state = threading.local()


class _Budget:
    def __init__(self) -> None:
        self.inflated = 0
        self.glyphs = self.paths = self.xobjects = 0
        self.page = 0

    def new_page(self) -> None:
        self.glyphs = self.paths = self.xobjects = 0
        self.page += 1


def _budget() -> _Budget:
    b = getattr(_state, "budget", None)
    if b is None:
        b = _state.budget = _Budget()
    return b


def _over(what: str) -> LimitExceededError:
    # the reader re-raises it with the file's name (it has no path here)
    return LimitExceededError(None, what)


@contextmanager
def document_budget() -> Iterator[None]:
    """Fresh counters for one document read in this thread."""
    previous = getattr(_state, "budget", None)
    _state.budget = _Budget()
    try:
        yield
    finally:
        _state.budget = previous


def _inflate(data: bytes) -> bytes:
    """``zlib.decompress`` that stops at :data:`MAX_STREAM_BYTES`."""
    d = zlib.decompressobj()
    out = d.decompress(data, MAX_STREAM_BYTES + 1)
    if len(out) > MAX_STREAM_BYTES:
        raise _over(f"a PDF stream inflates to more than {MAX_STREAM_BYTES // 2**20} MiB "
                    f"(from {len(data)} bytes; a decompression bomb?)")
    return out + d.flush()  # a truncated stream gives what it holds, like pdfminer's fallback


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)
    compress = staticmethod(zlib.compress)

    @staticmethod
    def decompress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        return _inflate(data)


def _clamp_range(start: Any, end: Any) -> Any:
    """``end`` moved to ``start`` + 65,535 when the range ``start..end`` is wider."""
    if not (isinstance(start, bytes) and isinstance(end, bytes)) or len(start) != len(end):
        return end
    if not start or len(start) > 8:
        return end
    a, b = int.from_bytes(start, "big"), int.from_bytes(end, "big")
    if b - a < MAX_CODE_RANGE:
        return end
    return (a + MAX_CODE_RANGE - 1).to_bytes(len(start), "big")


def _patch(owner: Any, name: str, value: Any) -> None:
    setattr(owner, name, value)  # a method of pdfminer's, replaced on purpose


def install() -> None:
    """Patch pdfminer once per process (idempotent)."""
    from pdfminer import cmapdb, converter, pdfdocument, pdfinterp, pdftypes

    if getattr(pdftypes, "_govreport_budgets", False):
        return
    setattr(pdftypes, "zlib", _BoundedZlib)  # noqa: B010 - replacing a module global

    decode = pdftypes.PDFStream.decode

    def bounded_decode(self: Any) -> None:
        decode(self)
        size = len(self.data or b"")
        if size > MAX_STREAM_BYTES:
            raise _over(f"a PDF stream decodes to {size} bytes, over {MAX_STREAM_BYTES // 2**20} MiB")
        b = _budget()
        b.inflated += size
        if b.inflated > MAX_EXPANDED_BYTES:
            raise _over(f"the PDF's streams decode to more than {MAX_EXPANDED_BYTES // 2**20} MiB")

    _patch(pdftypes.PDFStream, "decode", bounded_decode)

    getobj = pdfdocument.PDFDocument.getobj

    def getobj_no_cycles(self: Any, objid: int) -> Any:
        obj = getobj(self, objid)
        seen = {objid}
        while isinstance(obj, pdftypes.PDFObjRef):
            if obj.objid in seen or len(seen) > MAX_REF_HOPS:
                return None  # a reference cycle: read as null, like a missing object
            seen.add(obj.objid)
            obj = getobj(self, obj.objid)
        return obj

    _patch(pdfdocument.PDFDocument, "getobj", getobj_no_cycles)

    do_keyword = cmapdb.CMapParser.do_keyword
    ranges = (cmapdb.CMapParser.KEYWORD_ENDBFRANGE, cmapdb.CMapParser.KEYWORD_ENDCIDRANGE)

    def do_keyword_clamped(self: Any, pos: int, token: Any) -> None:
        if token in ranges:
            stack = self.curstack
            for i in range(0, len(stack) - 2, 3):
                (_, start), (p2, end) = stack[i], stack[i + 1]
                stack[i + 1] = (p2, _clamp_range(start, end))
        do_keyword(self, pos, token)

    _patch(cmapdb.CMapParser, "do_keyword", do_keyword_clamped)

    process_page = pdfinterp.PDFPageInterpreter.process_page

    def process_page_counted(self: Any, page: Any) -> None:
        _budget().new_page()
        process_page(self, page)

    _patch(pdfinterp.PDFPageInterpreter, "process_page", process_page_counted)

    do_Do = pdfinterp.PDFPageInterpreter.do_Do

    def do_Do_counted(self: Any, xobjid: Any) -> None:
        b = _budget()
        b.xobjects += 1
        if b.xobjects > MAX_PAGE_XOBJECTS:
            raise _over(f"page {b.page} draws more than {MAX_PAGE_XOBJECTS} form XObjects "
                        "(XObjects drawing each other over and over?)")
        do_Do(self, xobjid)

    _patch(pdfinterp.PDFPageInterpreter, "do_Do", do_Do_counted)

    render_char = converter.PDFLayoutAnalyzer.render_char

    def render_char_counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        b = _budget()
        b.glyphs += 1
        if b.glyphs > MAX_PAGE_GLYPHS:
            raise _over(f"page {b.page} draws more than {MAX_PAGE_GLYPHS} glyphs")
        return render_char(self, *args, **kwargs)

    _patch(converter.PDFLayoutAnalyzer, "render_char", render_char_counted)

    paint_path = converter.PDFLayoutAnalyzer.paint_path

    def paint_path_counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        b = _budget()
        b.paths += 1
        if b.paths > MAX_PAGE_PATHS:
            raise _over(f"page {b.page} draws more than {MAX_PAGE_PATHS} paths")
        return paint_path(self, *args, **kwargs)

    _patch(converter.PDFLayoutAnalyzer, "paint_path", paint_path_counted)
    _patch(pdftypes, "_govreport_budgets", True)


__all__ = ["install", "document_budget", "MAX_STREAM_BYTES", "MAX_PAGE_GLYPHS",
           "MAX_PAGE_PATHS", "MAX_PAGE_XOBJECTS"]
