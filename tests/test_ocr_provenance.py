"""What govreport itself does with OCR'd pages (no OCR engine needed): provenance says
``ocr`` with the recognition confidence, the source counts OCR'd pages, batch shows them."""
from __future__ import annotations

import io

import govreport
import govreport.fixtures as F
from govreport.batch.cli import Progress
from govreport.batch.run import BatchSummary, _ocr_pages
from govreport.model import Document, Page, Table
from govreport.pipeline import parse_document
from govreport.plugins import build_registry
from govreport.readers import read_document


class _FakeOcr:
    """Reads a markdown report as if OCR had read it: every character and cell with a
    confidence; the number 5 read with low confidence."""

    name = "fake-ocr"
    kinds = ("text",)
    order = 10

    def read(self, data, path, sha256, options):
        from govreport.readers.builtin import TextReader

        doc = TextReader().read(data, path, sha256, options)
        for n, page in enumerate(doc.pages, 1):
            page.number = n
            page.confidence = [0.5 if ch == "5" else 0.99 for ch in page.text]
            for t in page.tables:
                t.page = n
                t.confidence = [[0.5 if c and "5" in c else 0.99 for c in row] for row in t.rows]
        doc.ocr_pages = [p.number for p in doc.pages]
        return doc


class _Plugin:
    @govreport.hookimpl
    def govreport_register_readers(self, register):
        register(_FakeOcr())


def test_facts_of_ocr_pages_carry_ocr_and_confidence():
    spec = F.default_spec()
    registry = build_registry(plugins=[("fake-ocr", _Plugin())], entry_points=False)
    doc = read_document(F.render_markdown(spec).encode(), path="r.md", registry=registry)
    report = parse_document(doc, registry=registry)
    assert report.source["ocr_pages"] == 1
    provs = report.provenance
    assert provs and all(p["ocr"] is True for p in provs.values())
    table_facts = {k: p for k, p in provs.items() if "table" in p}
    assert table_facts
    for k, p in table_facts.items():
        expected = 0.5 if "5" in p["text"] else 0.99
        assert p["confidence"] == expected, (k, p)
    plain = parse_document(read_document(F.render_markdown(spec).encode(), path="r.md"))
    assert "ocr_pages" not in plain.source
    assert not any("ocr" in p for p in plain.provenance.values())


def test_normalised_tables_keep_their_confidence():
    from govreport.pipeline import _normalise_table

    t = Table(rows=[["甲", "1"]], page=1, confidence=[[0.9, 0.4]])
    assert _normalise_table(t, "simplified").confidence == [[0.9, 0.4]]


def test_batch_progress_counts_ocr_pages():
    assert _ocr_pages('{"source": {"path": "a", "ocr_pages": 3}}') == 3
    assert _ocr_pages('{"source": {"path": "a"}}') == 0
    progress = Progress(io.StringIO(), tty=False)
    progress.start(4)
    assert "OCR pages" not in progress.line(BatchSummary(total=4, parsed=1))
    assert progress.line(BatchSummary(total=4, parsed=2, ocr_pages=5)).endswith("OCR pages 5")


def test_document_without_ocr_pages_by_default():
    doc = Document(path="x", sha256="", kind="text", pages=[Page(None, "x")])
    assert doc.ocr_pages == [] and doc.pages[0].confidence is None
