"""Make scans of text-layer PDFs: every page rendered and re-wrapped with no text layer.

For tests and the corpus measurement (nothing real is stored): the image-only copy of a
PDF is what a scanner would have produced, at ``dpi``.
"""
from __future__ import annotations

import io
from typing import Any

from .engine import DPI


def page_images(pdf_bytes: bytes, dpi: int = DPI) -> list[Any]:
    """PIL grayscale images of every page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        return [pdf[i].render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L")
                for i in range(len(pdf))]
    finally:
        pdf.close()


def image_only_pdf(pdf_bytes: bytes, dpi: int = DPI) -> bytes:
    """The PDF again, each page an image and nothing else (no text layer)."""
    images = page_images(pdf_bytes, dpi)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return out.getvalue()
