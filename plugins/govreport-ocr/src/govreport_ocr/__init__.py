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
from govreport.readers.builtin import ModuleReader

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


def _guarded(path: str, what: str, read: Any) -> Any:
    """``read()``, with any error that is not already typed turned into one naming ``path``."""
    try:
        return read()
    except GovReportError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfium/PIL raise anything on bad input
        raise UnreadableError(path, f"{what}: {type(exc).__name__}: {exc}") from None


def read_scanned_pdf(data: bytes, *, path: str = "<bytes>", sha256: str = "",
                     options: Options | None = None) -> Document:
    """Every page of a PDF rendered and OCR'd (the PDF reader found no usable text)."""
    from .engine import SCALE

    opts = Options.coerce(options)
    pages = _guarded(path, "OCR could not read the PDF", lambda: [
        _ocr_page(n, px, SCALE) for n, px in _render(data, None, opts, path)])
    if not any(p.text.strip() for p in pages):
        raise NoTextLayerError(path, "scanned PDF: OCR found no text on any page")
    _renumber(pages)
    return Document(path=path, sha256=sha256, kind="pdf", pages=pages,
                    title_hint=_title(pages), ocr_pages=[p.number for p in pages])


def read_image(data: bytes, *, path: str = "<bytes>", sha256: str = "",
               options: Options | None = None) -> Document:
    """A PNG/JPEG/TIFF, each frame a page, OCR'd."""
    from .engine import image_frames

    opts = Options.coerce(options)
    frames = _guarded(path, "unreadable image", lambda: image_frames(data))
    if opts.max_pages is not None and len(frames) > opts.max_pages:
        raise LimitExceededError(path, f"image has {len(frames)} pages, over the limit of {opts.max_pages}")
    pages = [_ocr_page(i, px, scale) for i, (px, scale) in enumerate(frames, 1)]
    _renumber(pages)
    return Document(path=path, sha256=sha256 or hashlib.sha256(data).hexdigest(),
                    kind="image", pages=pages, title_hint=_title(pages),
                    ocr_pages=[p.number for p in pages])


def complete_scans(document: Document, data: bytes, options: Options) -> Document:
    """OCR the pages ``document.pages_without_text`` in place; the text pages stay."""
    from .engine import SCALE

    opts = Options.coerce(options)
    rendered = dict(_render(data, list(document.pages_without_text), opts, document.path))
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
    from .engine import page_count, render_pdf_pages

    n = _guarded(path, "OCR could not open the PDF", lambda: page_count(data, opts.password))
    if opts.max_pages is not None and n > opts.max_pages:
        raise LimitExceededError(path, f"PDF has {n} pages, over the limit of {opts.max_pages}")
    return render_pdf_pages(data, numbers, password=opts.password)


class _ScanReader(ModuleReader):
    """The built-in reader shape, plus ``complete`` for the scans of a mixed PDF."""

    def complete(self, document: Document, data: bytes, options: Options) -> Document:
        return complete_scans(document, data, options)


READERS = (
    _ScanReader("ocr-pdf", ("pdf",), 150, "scanned PDF pages: rendered at 200 dpi (pypdfium2), "
                "OCR'd (rapidocr), ruled tables rebuilt", "govreport_ocr", "read_scanned_pdf"),
    ModuleReader("ocr-image", ("image",), 150, "PNG, JPEG, TIFF (multi-page) page images, OCR'd "
                 "(rapidocr), ruled tables rebuilt", "govreport_ocr", "read_image"),
)


@govreport.hookimpl
def govreport_register_readers(register):
    from .html_images import HtmlImagesReader

    for reader in READERS:
        register(reader)
    register(HtmlImagesReader())


@govreport.hookimpl
def govreport_register_checks(register):
    register(OcrConfidence())
