"""govreport-ocr: scanned PDFs, page images and image tables read by offline OCR.

Readers (``govreport_register_readers``):

- ``ocr-pdf`` (kind ``pdf``, order 150, after the built-in PDF reader): a PDF the PDF
  reader finds without a usable text layer is rendered and OCR'd page by page; in a PDF
  whose other pages have text, only the scanned pages (``pages_without_text``) are
  (``complete``), so text pages keep their exact text layer.
- ``ocr-image`` (kind ``image``): PNG, JPEG and TIFF, every frame of a multi-page TIFF a
  page.
- ``ocr-html-images`` (kind ``html``, order 250, before the built-in HTML reader): a web
  page saved "complete" whose tables are ``<img>`` files in the folder beside it — the
  page is read as HTML and each local image is OCR'd as one more page.

A validator (``govreport_register_checks``) flags facts read with low confidence, and
accepts or flags them by the report's own arithmetic (T3-BAL, T3-SUM, T4-SUM) — it never
changes or invents a value.
"""
from __future__ import annotations

import hashlib
from typing import Any

import govreport
from govreport.errors import GovReportError, LimitExceededError, NoTextLayerError, UnreadableError
from govreport.model import Document, Page
from govreport.options import Options

__version__ = "0.1.0"

from .checks import OcrConfidence  # noqa: E402


def _ocr_page(number: int | None, pixels: Any, scale: float) -> Page:
    from .engine import recognise
    from .page import build_page

    return build_page(number, pixels, recognise(pixels), scale)


def _title(pages: list[Page]) -> str | None:
    from govreport.readers._common import guess_title

    return guess_title(pages[0].text) if pages else None


def _renumber(pages: list[Page]) -> None:
    """Table offsets local to each page -> offsets in ``Document.text``; table indices."""
    pos = 0
    index = 0
    for page in pages:
        for table in page.tables:
            table.offset += pos
            table.index = index
            index += 1
        pos += len(page.text) + 1


class OcrPdfReader:
    name = "ocr-pdf"
    kinds = ("pdf",)
    order = 150
    description = "scanned PDF pages: rendered at 200 dpi (pypdfium2), OCR'd (rapidocr), ruled tables rebuilt"

    def read(self, data: bytes, path: str, sha256: str, options: Options) -> Document:
        from .engine import SCALE

        opts = Options.coerce(options)
        try:
            rendered = _render(data, None, opts, path)
            pages = [_ocr_page(n, px, SCALE) for n, px in rendered]
        except GovReportError:
            raise
        except Exception as exc:  # noqa: BLE001 - a PDF pdfium cannot open
            raise UnreadableError(path, f"OCR could not read the PDF: {type(exc).__name__}: {exc}") from None
        if not any(p.text.strip() for p in pages):
            raise NoTextLayerError(path, "scanned PDF: OCR found no text on any page")
        _renumber(pages)
        return Document(path=path, sha256=sha256, kind="pdf", pages=pages,
                        title_hint=_title(pages), ocr_pages=[p.number for p in pages])

    def complete(self, document: Document, data: bytes, options: Options) -> Document:
        from .engine import SCALE

        opts = Options.coerce(options)
        wanted = list(document.pages_without_text)
        rendered = dict(_render(data, wanted, opts, document.path))
        pages = []
        for start, page in zip(document.page_starts, document.pages):
            if page.number in rendered:
                page = _ocr_page(page.number, rendered[page.number], SCALE)
            else:
                for table in page.tables:
                    table.offset -= start  # back to page-local; _renumber adds the new start
            pages.append(page)
        document.pages = pages
        _renumber(pages)
        document.ocr_pages = sorted(rendered)
        document.pages_without_text = []
        return document


def _render(data: bytes, numbers: list[int] | None, opts: Options, path: str) -> list[tuple[int, Any]]:
    from .engine import render_pdf_pages

    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data, password=opts.password)
        n = len(pdf)
        pdf.close()
    except Exception as exc:  # noqa: BLE001
        raise UnreadableError(path, f"OCR could not open the PDF: {type(exc).__name__}: {exc}") from None
    if opts.max_pages is not None and n > opts.max_pages:
        raise LimitExceededError(path, f"PDF has {n} pages, over the limit of {opts.max_pages}")
    return render_pdf_pages(data, numbers, password=opts.password)


class OcrImageReader:
    name = "ocr-image"
    kinds = ("image",)
    order = 150
    description = "PNG, JPEG, TIFF (multi-page) page images, OCR'd (rapidocr), ruled tables rebuilt"

    def read(self, data: bytes, path: str, sha256: str, options: Options) -> Document:
        from .engine import image_frames

        opts = Options.coerce(options)
        try:
            frames = image_frames(data)
        except Exception as exc:  # noqa: BLE001 - a damaged image
            raise UnreadableError(path, f"unreadable image: {type(exc).__name__}: {exc}") from None
        if opts.max_pages is not None and len(frames) > opts.max_pages:
            raise LimitExceededError(path, f"image has {len(frames)} pages, over the limit of {opts.max_pages}")
        pages = [_ocr_page(i, px, scale) for i, (px, scale) in enumerate(frames, 1)]
        _renumber(pages)
        return Document(path=path, sha256=sha256 or hashlib.sha256(data).hexdigest(),
                        kind="image", pages=pages, title_hint=_title(pages),
                        ocr_pages=[p.number for p in pages])


@govreport.hookimpl
def govreport_register_readers(register):
    from .html_images import HtmlImagesReader

    register(OcrPdfReader())
    register(OcrImageReader())
    register(HtmlImagesReader())


@govreport.hookimpl
def govreport_register_checks(register):
    register(OcrConfidence())
