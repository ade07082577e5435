"""The plain-address prototypes declare what pypdfium2's bindings declare, and agree with them."""
from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from govreport import fixtures as F
from govreport.readers.pdfium_calls import _SIGNATURES, address, calls


def test_signatures_match_the_bindings():
    for name, (restype, *argtypes) in _SIGNATURES.items():
        func = getattr(raw, name)
        assert len(func.argtypes) == len(argtypes), name
        assert ctypes.sizeof(func.restype) == ctypes.sizeof(restype), name
        for ours, theirs in zip(argtypes, func.argtypes):
            assert ctypes.sizeof(ours) == ctypes.sizeof(theirs), name


def test_same_answers_as_the_bindings(tmp_path):
    pdf = pdfium.PdfDocument(F.render_pdf(F.default_spec(), tmp_path / "r.pdf"))
    c = calls()
    try:
        page = pdf[0]
        n = raw.FPDFPage_CountObjects(page)
        assert c.Page_CountObjects(address(page)) == n > 0
        kinds = [raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page, k)) for k in range(n)]
        assert [c.PageObj_GetType(c.Page_GetObject(address(page), k)) for k in range(n)] == kinds
        textpage = raw.FPDFText_LoadPage(page)
        rect, ours = raw.FS_RECTF(), raw.FS_RECTF()
        for i in range(raw.FPDFText_CountChars(textpage)):
            raw.FPDFText_GetLooseCharBox(textpage, i, rect)
            c.Text_GetLooseCharBox(address(textpage), i, ctypes.addressof(ours))
            assert (ours.left, ours.top, ours.right, ours.bottom) == \
                (rect.left, rect.top, rect.right, rect.bottom)
        raw.FPDFText_ClosePage(textpage)
        page.close()
    finally:
        pdf.close()
