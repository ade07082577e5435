"""The built-in readers, registered through ``govreport_register_readers`` like a plugin's.

Each is a small object naming the sniffed kinds it reads and the order it is tried in;
the heavy library behind it (pdfplumber, python-docx, lxml) is imported only when it
reads. Orders: 100 for formats with a sure signature (PDF, DOCX, OFD), 200 for legacy
Office via LibreOffice, 300 for HTML, 900 for plain text (the fallback).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import govreport.hookspecs as hookspecs

from ..errors import EmptyFileError
from ..model import Document
from ..options import Options


@dataclass(frozen=True)
class ModuleReader:
    """A built-in reader: ``module.function(data, path=, sha256=, options=)``, imported
    on first use."""

    name: str
    kinds: tuple[str, ...]
    order: int
    description: str
    module: str
    function: str

    def read(self, data: bytes, path: str, sha256: str, options: Options) -> Document:
        func = getattr(importlib.import_module(self.module, __package__), self.function)
        return func(data, path=path, sha256=sha256, options=options)


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


BUILTIN_READERS: tuple[Any, ...] = (
    ModuleReader("pdf", ("pdf",), 100, "PDF with a text layer (pdfplumber); ruled tables as grids",
                 ".pdf", "read_pdf"),
    ModuleReader("docx", ("docx",), 100, "Word .docx (python-docx): paragraphs and tables in body order",
                 ".docx", "read_docx"),
    ModuleReader("ofd", ("ofd",), 100, "OFD (GB/T 33190): text objects by position, tables from path rules",
                 ".ofd", "read_ofd"),
    ModuleReader("office", ("ole", "rtf", "xlsx"), 200,
                 "legacy Office / WPS (.doc .wps .xls .et .rtf, .xlsx) converted by headless LibreOffice",
                 ".office", "read_office"),
    ModuleReader("html", ("html",), 300, "HTML pages (lxml): text and <table> grids",
                 ".html", "read_html"),
    TextReader(),
)


@hookspecs.hookimpl
def govreport_register_readers(register):
    for reader in BUILTIN_READERS:
        register(reader)
