"""OCR on scans made here from generated reports: same facts as the text-layer twin, or
flagged by the report's own arithmetic; mixed PDFs keep their text pages; images, TIFF
pages and web-page table images read the same way; nothing touches the network.

About 8 pages are OCR'd in all (~3.5 s a page on 2 cores).
"""
from __future__ import annotations

import io
import socket

import pytest
from govreport_ocr.checks import LOW_CONFIDENCE, OcrConfidence
from govreport_ocr.engine import model_files
from govreport_ocr.layout import find_grids
from govreport_ocr.scans import image_only_pdf, page_images

import govreport.fixtures as F
from govreport import parse as _parse
from govreport.model import Check
from govreport.readers import read_document
from govreport.testing import report_from_facts


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """OCR runs offline: any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def twin(tmp_path_factory):
    """The text-layer fixture report, its facts, and its bytes."""
    path = tmp_path_factory.mktemp("ocr") / "report.pdf"
    F.render_pdf(F.random_spec(11), path)
    return path, parse(path)


def parse(path):
    """Parse without the default time and memory caps (OCR of a page takes seconds)."""
    return _parse(path, options={"timeout": None, "max_memory_mb": None})


def _arithmetic_flagged(report) -> set[str]:
    return {k for c in report.checks if c.rule == "OCR-ARITHMETIC" for k in c.keys}


def _assert_same_or_flagged(report, twin_report, keys=None):
    """Every fact of the twin is read the same, or is flagged by the arithmetic; no
    table 三 cell is wrong where the arithmetic accepts it."""
    flagged = _arithmetic_flagged(report)
    keys = keys if keys is not None else list(twin_report.facts)
    wrong = [k for k in keys if report.facts.get(k) != twin_report.facts[k]]
    unflagged = [k for k in wrong if k not in flagged]
    assert [k for k in unflagged if k.startswith("requests.")] == []
    assert len(wrong) <= max(2, len(keys) // 50), wrong  # >= 98 % of the facts


def test_models_ship_in_the_wheel():
    names = " ".join(f.name for f in model_files())
    assert "_det" in names and "_rec" in names and "_cls" in names


def test_scanned_pdf_reads_like_its_text_layer_twin(twin, tmp_path):
    path, text_report = twin
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_only_pdf(path.read_bytes()))
    report = parse(scan)
    assert report.source["ocr_pages"] == 2
    _assert_same_or_flagged(report, text_report)
    prov = report.provenance["requests.new_received.total"]
    assert prov["ocr"] is True and 0 < prov["confidence"] <= 1
    assert not [k for k, p in text_report.provenance.items() if p.get("ocr")]


def test_mixed_pdf_keeps_its_text_page_and_ocrs_the_scan(twin, tmp_path):
    from pypdf import PdfReader, PdfWriter

    path, text_report = twin
    scan = PdfReader(io.BytesIO(image_only_pdf(path.read_bytes())))
    writer = PdfWriter()
    writer.add_page(PdfReader(path).pages[0])
    writer.add_page(scan.pages[1])
    mixed = tmp_path / "mixed.pdf"
    with open(mixed, "wb") as fh:
        writer.write(fh)
    doc = read_document(mixed)
    assert doc.ocr_pages == [2]
    assert doc.pages[0].text == read_document(path).pages[0].text
    report = parse(mixed)
    _assert_same_or_flagged(report, text_report)
    on_page_1 = [k for k, p in report.provenance.items() if p.get("page") == 1]
    assert on_page_1 and not any(report.provenance[k].get("ocr") for k in on_page_1)


def test_multipage_tiff_and_png(twin, tmp_path):
    path, text_report = twin
    images = page_images(path.read_bytes())
    tiff = tmp_path / "scan.tiff"
    images[0].save(tiff, save_all=True, append_images=images[1:], dpi=(200, 200))
    report = parse(tiff)
    assert report.source["kind"] == "image" and report.source["ocr_pages"] == 2
    _assert_same_or_flagged(report, text_report)
    png = io.BytesIO()
    images[1].save(png, "PNG")
    doc = read_document(png.getvalue(), path="page2.png")
    assert len(doc.pages) == 1 and doc.tables and doc.tables[0].source == "ocr"


def test_web_page_with_a_table_image_saved_beside_it(twin, tmp_path):
    """The table 三 of an HTML report replaced by a picture of it in page_files/."""
    import re

    spec = F.random_spec(11)
    path, text_report = twin
    page2 = page_images(path.read_bytes())[1]
    import numpy as np

    grids = find_grids(np.array(page2))
    biggest = max(grids, key=lambda g: (g.ys[-1] - g.ys[0]) * (g.xs[-1] - g.xs[0]))
    x0, y0, x1, y1 = biggest.box
    files = tmp_path / "page_files"
    files.mkdir()
    page2.crop((int(x0) - 10, int(y0) - 10, int(x1) + 10, int(y1) + 10)).save(files / "t3.png")
    (tmp_path / "outside.png").write_bytes(b"not read")
    html = F.render_html(spec).decode("utf-8")
    tables = re.findall(r"<table.*?</table>", html, re.S)
    t3 = next(t for t in tables if "申请人情况" in t)
    html = html.replace(t3, '<p><img src="page_files/t3.png" alt="表三"></p>'
                            '<img src="http://example.invalid/x.png"><img src="../outside.png">')
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    report = parse(page)
    assert report.source["kind"] == "html" and report.source["ocr_pages"] == 1
    t3_keys = [k for k in text_report.facts if k.startswith("requests.") and k.count(".") >= 2]
    assert len(t3_keys) > 100
    _assert_same_or_flagged(report, text_report, t3_keys)


def test_low_confidence_numbers_are_accepted_or_flagged_by_arithmetic():
    facts = {"requests.new_received.total": 5, "requests.carried_over.total": 1,
             "requests.total_processed.total": 6, "requests.carried_forward.total": 0,
             "requests.granted.total": 6, "review.total": 3, "proactive.rules.issued": 2,
             "requests.denied.state_secret.total": None}
    report = report_from_facts(facts)
    for k in facts:
        report.provenance[k] = {"ocr": True, "confidence": 0.99}
    report.provenance["requests.granted.total"]["confidence"] = LOW_CONFIDENCE - 0.2
    report.provenance["proactive.rules.issued"]["confidence"] = LOW_CONFIDENCE - 0.2
    report.provenance["requests.carried_over.total"]["confidence"] = LOW_CONFIDENCE - 0.1
    # a cell with ink that OCR could not read: its fact is no number, never accepted
    report.provenance["requests.denied.state_secret.total"]["confidence"] = 0.0
    checks = {c.rule: c for c in OcrConfidence().check(report)}
    assert checks["OCR-ACCEPTED"].keys == ["requests.carried_over.total", "requests.granted.total"]
    assert checks["OCR-LOW-CONFIDENCE"].keys == ["proactive.rules.issued",
                                                 "requests.denied.state_secret.total"]
    assert "OCR-ARITHMETIC" not in checks
    # the same numbers inside a sum that fails are flagged, never changed
    report.checks.append(Check("T3-BAL", "warning", ["requests.new_received.total",
                                                     "requests.carried_over.total"], "x"))
    checks = {c.rule: c for c in OcrConfidence().check(report)}
    assert checks["OCR-ARITHMETIC"].keys == ["requests.carried_over.total",
                                             "requests.new_received.total"]
    assert checks["OCR-ARITHMETIC"].severity == "error"
    assert checks["OCR-ACCEPTED"].keys == ["requests.granted.total"]
    assert report.facts == facts


def test_ocr_readers_are_listed_after_the_pdf_reader():
    from govreport.plugins import build_registry

    names = [r.name for r in build_registry().readers]
    assert names.index("pdf") < names.index("ocr-pdf") < names.index("text")
    assert names.index("ocr-html-images") < names.index("html")
    assert "ocr-image" in names


def test_damaged_image_is_a_typed_error():
    from govreport.errors import UnreadableError

    with pytest.raises(UnreadableError, match=r"x\.png: unreadable image"):
        read_document(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, path="x.png")


def test_find_grids_on_a_drawn_table():
    import numpy as np

    img = np.full((400, 600), 255, dtype=np.uint8)
    for y in (50, 150, 250, 350):
        img[y:y + 2, 50:550] = 0
    for x in (50, 250, 550):
        img[50:352, x:x + 2] = 0
    img[150:352, 400:402] = 0  # the first row spans two columns
    grids = find_grids(img)
    assert len(grids) == 1
    g = grids[0]
    assert len(g.ys) == 4 and len(g.xs) == 4
    assert g.left[0] == [True, True, False] and g.left[1] == [True, True, True]
