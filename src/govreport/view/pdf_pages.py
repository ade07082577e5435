"""Every page of a PDF as an image for the audit page (pypdfium2, which pdfplumber uses).

Images are JPEG (small for scanned and text pages alike) at ``dpi`` dots per inch and
travel inside the page as ``data:`` URIs. Each page keeps its size in PDF points, so the
boxes of provenance ``bbox`` (points, top-left origin, as pdfplumber measures them) are
placed as percentages of the page and stay on their characters at any zoom.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from ..errors import EncryptedError, UnreadableError
from .shell import data_uri

DEFAULT_DPI = 96
JPEG_QUALITY = 70


@dataclass(frozen=True)
class PageImage:
    number: int          # 1-based, as provenance ``page``
    width: float         # points
    height: float        # points
    src: str             # data: URI


def render_pages(data: bytes, *, name: str = "<pdf>", password: str | None = None,
                 dpi: float = DEFAULT_DPI, quality: int = JPEG_QUALITY,
                 max_pages: int | None = None) -> list[PageImage]:
    """Render the pages of PDF ``data``; typed errors name ``name`` and the reason."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedError(name, "the PDF is encrypted; give its password") from exc
        raise UnreadableError(name, f"PDFium cannot open it: {exc}") from exc
    pages: list[PageImage] = []
    try:
        n = len(pdf) if max_pages is None else min(len(pdf), max_pages)
        for i in range(n):
            page = pdf[i]
            try:
                width, height = page.get_size()
                image = page.render(scale=dpi / 72.0).to_pil().convert("RGB")
                buf = io.BytesIO()
                image.save(buf, format="JPEG", quality=quality, optimize=True)
            finally:
                page.close()
            pages.append(PageImage(i + 1, float(width), float(height),
                                   data_uri(buf.getvalue(), "image/jpeg")))
    finally:
        pdf.close()
    return pages
