"""The PDFium functions the PDF reader calls per object, path segment or character, as
ctypes prototypes on plain addresses.

pypdfium2's bindings give every handle kind its own pointer class: each call checks its
arguments' classes and wraps a returned handle in a new Python object. Called for every
object, segment and character of a page — thousands of times — that conversion costs
more than the C functions themselves. These prototypes call the very same functions of
the same library (their addresses are read from pypdfium2's bindings, so no second
copy of PDFium is loaded and nothing is compiled) with handles as integers
(``c_void_p``) and out-parameters passed by address. ``tests/test_pdf_engines.py``
checks the reader against the pdfminer engine on every test PDF.

Faster still, :func:`bulk` gives the optional C module ``_pdfium_bulk`` (built at install
when a C compiler is present), which makes a page's or a path's calls in one go and
returns the raw values; ``GOVREPORT_PDFIUM_BULK=0`` turns it off (the tests run the
reader both ways).
"""
from __future__ import annotations

import ctypes
import os
from types import SimpleNamespace
from typing import Any

_V, _I = ctypes.c_void_p, ctypes.c_int

# name → (return type, argument types), as declared in PDFium's public headers
_SIGNATURES: dict[str, tuple[Any, ...]] = {
    "FPDFPage_CountObjects": (_I, _V),
    "FPDFPage_GetObject": (_V, _V, _I),
    "FPDFPageObj_GetType": (_I, _V),
    "FPDFPageObj_GetMatrix": (_I, _V, _V),
    "FPDFFormObj_CountObjects": (_I, _V),
    "FPDFFormObj_GetObject": (_V, _V, ctypes.c_ulong),
    "FPDFPath_CountSegments": (_I, _V),
    "FPDFPath_GetPathSegment": (_V, _V, _I),
    "FPDFPathSegment_GetPoint": (_I, _V, _V, _V),
    "FPDFPathSegment_GetType": (_I, _V),
    "FPDFPathSegment_GetClose": (_I, _V),
    "FPDFPath_GetDrawMode": (_I, _V, _V, _V),
    "FPDFPageObj_GetStrokeWidth": (_I, _V, _V),
    "FPDFPageObj_GetBounds": (_I, _V, _V, _V, _V, _V),
    "FPDFText_GetLooseCharBox": (_I, _V, _I, _V),
    "FPDFText_IsGenerated": (_I, _V, _I),
    "FPDFText_HasUnicodeMapError": (_I, _V, _I),
    "FPDFText_GetFontSize": (ctypes.c_double, _V, _I),
    "FPDFText_GetMatrix": (_I, _V, _I, _V),
    "FPDFText_GetCharOrigin": (_I, _V, _I, _V, _V),
}
_CALLS: dict[str, Any] = {}


def calls() -> SimpleNamespace:
    """The prototypes, by the PDFium function names without their prefix's ``FPDF``
    (``calls().Page_GetObject(page_address, 0)``), built once per process."""
    ns = _CALLS.get("ns")
    if ns is None:
        import pypdfium2.raw as raw

        ns = SimpleNamespace()
        for name, (restype, *argtypes) in _SIGNATURES.items():
            func = getattr(raw, name)
            factory = _factory(func)
            proto = factory(restype, *argtypes)(ctypes.cast(func, ctypes.c_void_p).value)
            setattr(ns, name[4:], proto)
        _CALLS["ns"] = ns
    return ns


# the functions _pdfium_bulk.bind() takes, in its order
_BULK_ORDER = ("FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType",
               "FPDFPageObj_GetMatrix", "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject",
               "FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPathSegment_GetPoint",
               "FPDFPathSegment_GetType", "FPDFPathSegment_GetClose", "FPDFPath_GetDrawMode",
               "FPDFPageObj_GetStrokeWidth", "FPDFText_GetLooseCharBox", "FPDFText_IsGenerated",
               "FPDFText_GetFontSize", "FPDFText_GetMatrix", "FPDFText_GetCharOrigin",
               "FPDFText_HasUnicodeMapError")


def bulk() -> Any:
    """The C module bound to PDFium's functions, or None (not built, or turned off)."""
    if os.environ.get("GOVREPORT_PDFIUM_BULK", "1") == "0":
        return None
    if "bulk" not in _CALLS:
        try:
            import pypdfium2.raw as raw

            from . import _pdfium_bulk  # type: ignore[attr-defined]

            _pdfium_bulk.bind(*(ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
                                for name in _BULK_ORDER))
            _CALLS["bulk"] = _pdfium_bulk
        except (ImportError, AttributeError, ValueError, TypeError):
            _CALLS["bulk"] = None
    return _CALLS["bulk"]


def address(handle: Any) -> int:
    """The address behind a pypdfium2 handle (a raw pointer or a helper object)."""
    handle = getattr(handle, "raw", handle)
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _factory(func: Any) -> Any:
    """CFUNCTYPE, or WINFUNCTYPE where the bindings use the stdcall convention."""
    stdcall = getattr(ctypes, "_FUNCFLAG_STDCALL", 0)
    if stdcall and getattr(func, "_flags_", 0) & stdcall:
        return ctypes.WINFUNCTYPE  # type: ignore[attr-defined]
    return ctypes.CFUNCTYPE
