"""The plain-address prototypes declare what pypdfium2's bindings declare, and agree with them."""
from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from govreport import fixtures as F
from govreport.readers.pdfium_calls import _SIGNATURES, address, calls


def test_signatures_match_the_bindings():
    """Every function the prototypes and the C helper call is declared here as the
    bindings declare it (the C helper's typedefs follow the same declarations)."""
    from govreport.readers.pdfium_calls import _BULK_ORDER

    assert set(_BULK_ORDER) <= set(_SIGNATURES)
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


def _objects(data: bytes, monkeypatch, use_c: bool):
    from govreport.readers.pdf_pdfium import PdfiumPages

    monkeypatch.setenv("GOVREPORT_PDFIUM_BULK", "1" if use_c else "0")
    doc = PdfiumPages(data, "")
    try:
        return [(o.chars, o.lines, o.rects, o.curves, o.has_images) for o in doc.pages()]
    finally:
        doc.close()


def test_c_helper_reads_what_ctypes_reads(tmp_path, monkeypatch):
    """The optional C helper and the ctypes calls give the same page objects, to the bit,
    on fixtures of every layout (vertical labels, split tables) and the corpus PDFs."""
    import pytest

    from _corpus import CORPUS
    from govreport.readers.pdfium_calls import bulk
    from test_pdf_engines import _rotated_pdf

    if bulk() is None:
        pytest.skip("the C helper is not built (no C compiler at install)")
    specs = [F.default_spec(), F.default_spec(variant="2019", wrap_labels=True),
             F.random_spec(3, wrap_labels=True, split_table3_at_row=9),
             F.random_spec(5, traditional=True, blank_rate=0.3)]
    pdfs = [F.render_pdf(s, tmp_path / f"{i}.pdf") for i, s in enumerate(specs)]
    pdfs.append(_rotated_pdf(tmp_path / "rotated.pdf"))  # ±90° text, rotated pages, vertical
    pdfs += sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
    chars = paths = 0
    for pdf in pdfs:
        data = pdf.read_bytes()
        ours = _objects(data, monkeypatch, True)
        assert ours == _objects(data, monkeypatch, False), pdf.name
        chars += sum(len(p[0]) for p in ours)
        paths += sum(len(p[1]) + len(p[2]) + len(p[3]) for p in ours)
    assert chars > 5000 and paths > 200
