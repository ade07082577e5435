"""The built-in readers, registered through ``govreport_register_readers`` like a plugin's.

Each is a small object naming the sniffed kinds it reads and the order it is tried in;
the heavy library behind it (pdfplumber, python-docx, lxml) is imported only when it
reads. Orders: 100 for formats with a sure signature (PDF, DOCX, OFD), 200 for legacy
Office via LibreOffice, 300 for HTML, 900 for plain text (the fallback).
"""
from __future__ import annotations

from typing import Any

import govreport.hookspecs as hookspecs

from ..errors import EmptyFileError
from ..model import Document
from ..options import Options


class PdfReader:
    name = "pdf"
    kinds = ("pdf",)
    order = 100
    description = "PDF with a text layer (pdfplumber); ruled tables as grids"

    def read(self, data: bytes, path: str, sha256: str, options: Options) -> Document:
        from .pdf import read_pdf
        return read_pdf(data, path=path, sha256=sha256, options=options)


class DocxReader:
    name = "docx"
    kinds = ("docx",)
    order = 100
    description = "Word .docx (python-docx): paragraphs and tables in body order"

    def read(self, data: bytes, path: str, sha256: str, options: Options) -> Document:
        from .docx import read_docx
        return read_docx(data, path=path, sha256=sha256, options=options)


class HtmlReader:
    name = "html"
    kinds = ("html",)
    order = 300
    description = "HTML pages (lxml): text and <table> grids"

    def read(self, data: bytes, path: str, sha256: str, options: Options) -> Document:
        from .html import read_html
        return read_html(data, path=path, sha256=sha256, options=options)


class TextReader:
    """Plain text, or markdown / HTML that only shows itself after decoding."""

    name = "text"
    kinds = ("text",)
    order = 900
    description = "plain text, markdown pipe tables, HTML saved as text"

    def read(self, data: bytes, path: str, sha256: str, options: Options) -> Document:
        from . import _looks_html_text, _looks_markdown
        from .encoding import decode_bytes

        text, encoding = decode_bytes(data)
        if not text.strip():
            raise EmptyFileError(path, "file holds only whitespace")
        if _looks_markdown(text):
            from .markdown import read_markdown_text
            return read_markdown_text(text, path=path, sha256=sha256, encoding=encoding)
        if _looks_html_text(text):
            from .html import read_html
            return read_html(data, path=path, sha256=sha256, options=options)
        from .text import read_text_str
        return read_text_str(text, path=path, sha256=sha256, encoding=encoding)


BUILTIN_READERS: tuple[Any, ...] = (PdfReader(), DocxReader(), HtmlReader(), TextReader())


@hookspecs.hookimpl
def govreport_register_readers(register):
    for reader in BUILTIN_READERS:
        register(reader)
