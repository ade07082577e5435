"""The one sniffer: what kind of file these bytes are, for the readers and for batch.

``sniff_bytes`` looks at the first bytes only (never the extension) and names a *kind*
that readers register for (``Reader.kinds``):

==============  ============================================================
kind            recognised by
==============  ============================================================
``pdf``         a ``%PDF-n.n`` header: at the start (after blanks), or later in the
                first KiB on a line of its own after binary junk and followed by an
                object (a text or web page that *mentions* ``%PDF-`` is not a PDF)
``docx``        a ZIP holding ``word/document.xml``
``xlsx``        a ZIP holding ``xl/workbook.xml``
``ofd``         a ZIP holding ``OFD.xml`` (GB/T 33190)
``ole``         an OLE2 compound file: Word 97 ``.doc``, ``.xls``, WPS ``.wps``/``.et``
``rtf``         ``{\\rtf``
``image``       PNG, JPEG, TIFF
``html``        starts with a tag (after a BOM/blanks), or an XML prolog before ``<html``
``text``        anything else that is not binary (markdown/HTML-in-text are told apart
                after decoding by the text reader)
``zip``         another ZIP archive; ``broken-zip`` one whose directory cannot be read
``other``       a known non-report type (archive, executable, media…); ``what`` names it
``binary``      unknown binary data
==============  ============================================================

``classify_file`` adds batch's question — is this file an input at all? — using the
extension only as a hint (a ``.pdf`` that is empty is still an input: the parser then
says what is wrong with it).
"""
from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Sniff", "sniff_bytes", "classify_file", "is_pdf_header", "REPORT_EXTENSIONS",
           "DATA_EXTENSIONS", "SNIFF_BYTES"]

#: How many leading bytes batch reads to classify a file.
SNIFF_BYTES = 64 * 1024

REPORT_EXTENSIONS = frozenset({".pdf", ".html", ".htm", ".shtml", ".xhtml", ".txt", ".text",
                               ".md", ".markdown", ".docx", ".doc", ".wps", ".rtf", ".ofd"})
DATA_EXTENSIONS = frozenset({".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".xml", ".yaml",
                             ".yml", ".toml", ".ini", ".cfg", ".parquet", ".py", ".js", ".css",
                             ".sql", ".log", ".ppt", ".pptx"})

# magic number -> (kind, what)
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image", "PNG image"),
    (b"\xff\xd8\xff", "image", "JPEG image"),
    (b"II*\x00", "image", "TIFF image"),
    (b"MM\x00*", "image", "TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "legacy MS Office / WPS file (.doc/.xls/.wps/.et)"),
    (b"{\\rtf", "rtf", "RTF document"),
    (b"GIF87a", "other", "GIF image"),
    (b"GIF89a", "other", "GIF image"),
    (b"BM", "other", "BMP image"),
    (b"\x00\x00\x01\x00", "other", "icon"),
    (b"RIFF", "other", "RIFF media file (WebP/WAV/AVI)"),
    (b"Rar!\x1a\x07", "other", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "other", "7-Zip archive"),
    (b"\x1f\x8b", "other", "gzip archive"),
    (b"BZh", "other", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "other", "xz archive"),
    (b"\x7fELF", "other", "ELF executable"),
    (b"MZ", "other", "Windows executable"),
    (b"%!PS", "other", "PostScript document"),
    (b"AT&TFORM", "other", "DjVu document"),
    (b"\x00\x00\x00\x0cjP  ", "other", "JPEG 2000 image"),
    (b"PAR1", "other", "Parquet file"),
    (b"SQLite format 3", "other", "SQLite database"),
    (b"wOFF", "other", "web font"),
    (b"OggS", "other", "Ogg media file"),
    (b"ID3", "other", "MP3 audio"),
)

# ISO 32000 §7.5.2: the header is "%PDF-" and a version on the first line; readers
# (Acrobat's implementation note 13) accept it anywhere in the first 1024 bytes.
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_PDF_OBJECT = re.compile(rb"\d+[ \t\r\n\f\x00]+\d+[ \t\r\n\f\x00]+obj\b")
_MARKUP = re.compile(rb"<[A-Za-z!?/]")
_BLANKS = b" \t\r\n\f\x00"
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|table|p|div|span|h[1-6]|br|font|center|"
    r"style|script|link|!--)[\s>/]",
    re.I,
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta ", b"<table", b"<div",
                 b"<p>", b"<p ", b"<title")


@dataclass(frozen=True)
class Sniff:
    """What the first bytes say: a reader ``kind`` and a description for messages."""

    kind: str
    what: str


def is_pdf_header(head: bytes) -> bool:
    """True when ``head`` starts a PDF file.

    The header counts at the very start (after blanks or a BOM). Later in the first KiB
    it counts only after junk that is not text or markup (a download that prepended
    bytes), on a line of its own, and followed by an indirect object — so a web page or
    a text file that quotes ``%PDF-1.4`` stays what it is.
    """
    m = _PDF_HEADER.search(head, 0, 1024 + 8)
    if m is None or m.start() >= 1024:
        return False
    prefix = head[:m.start()]
    for bom in _BOMS:
        if prefix.startswith(bom):
            prefix = prefix[len(bom):]
    if not prefix.strip(_BLANKS):
        return True
    if prefix[-1:] not in (b"\n", b"\r") or _MARKUP.search(prefix):
        return False
    if not _is_binary(prefix) and _decodes_as_text(prefix):
        return False
    return _PDF_OBJECT.search(head, m.end(), m.end() + 4096) is not None


def sniff_bytes(head: bytes, *, zip_names: Iterable[str] | None = None) -> Sniff:
    """Name the kind of file ``head`` (its first bytes, or all of them) starts.

    ``zip_names`` are the entry names of a ZIP when the caller has them (batch reads
    them from the file); otherwise they are read from ``head`` if it holds the whole ZIP.
    """
    if not head.strip(_BLANKS):
        return Sniff("empty", "empty file")
    if is_pdf_header(head):
        return Sniff("pdf", "PDF")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(head, zip_names)
    for magic, kind, what in _MAGIC:
        if head.startswith(magic):
            if len(magic) <= 2 and not _is_binary(head):
                break  # "BM…", "MZ…" text, not a binary
            return Sniff(kind, what)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[:SNIFF_BYTES].decode("utf-16", errors="replace")
    elif _is_binary(head):
        return Sniff("binary", "binary data")
    else:
        text = head[:SNIFF_BYTES].decode("latin-1")
    stripped = text.lstrip("\ufeff\xef\xbb\xbf \t\r\n")
    if stripped.lower().startswith("<?xml"):
        if re.search(r"<html[\s>]", text[:4096], re.I):
            return Sniff("html", "HTML")
        return Sniff("text", "XML text")
    if _HTML_START.match(stripped):
        return Sniff("html", "HTML")
    return Sniff("text", "text")


def _sniff_zip(head: bytes, zip_names: Iterable[str] | None) -> Sniff:
    if zip_names is None:
        try:
            with zipfile.ZipFile(io.BytesIO(head)) as zf:
                zip_names = zf.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            return Sniff("broken-zip", "damaged ZIP")
    names = set(zip_names)
    if "word/document.xml" in names:
        return Sniff("docx", "DOCX")
    if "OFD.xml" in names:
        return Sniff("ofd", "OFD document")
    if "xl/workbook.xml" in names:
        return Sniff("xlsx", "Excel workbook (.xlsx)")
    if "ppt/presentation.xml" in names:
        return Sniff("other", "PowerPoint presentation (.pptx)")
    if "content.xml" in names and "mimetype" in names:
        return Sniff("other", "OpenDocument file")
    return Sniff("zip", "ZIP archive")


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    # text may carry a stray NUL or control byte; binary formats are full of them
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control / len(sample) > 0.02


def _decodes_as_text(data: bytes) -> bool:
    return _decode_head(data) is not None


def _decode_head(head: bytes) -> str | None:
    """Decode the first bytes of a text file, or None when they are not text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encs: tuple[str, ...] = ("utf-16",)
    else:
        encs = ("utf-8-sig", "gb18030", "big5")
    for enc in encs:
        try:
            return codecs.getincrementaldecoder(enc)().decode(head, final=False)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
               or "\uf900" <= ch <= "\ufaff")


def classify_file(head: bytes, path: str = "", *, readable_kinds: Iterable[str] = (),
                  zip_names: Iterable[str] | None = None) -> tuple[str | None, str]:
    """Batch's question: is the file at ``path`` starting with ``head`` an input?

    Returns ``(kind, what)`` with ``kind`` a :func:`sniff_bytes` kind for an input, or
    ``None`` for a file that is not a report file type (``what`` says what it is). A
    file named like a report is always an input (``"unknown"`` when its bytes are not
    a readable kind), so the parser can say what is wrong with it. ``readable_kinds``
    are kinds a registered reader reads beyond the core ones (e.g. ``"image"`` with
    the OCR plugin installed), taken as inputs whatever their name.
    """
    ext = os.path.splitext(path)[1].lower()
    named = ext in REPORT_EXTENSIONS
    extra = set(readable_kinds) - {"text", "html", "empty", "binary"}  # judged below
    if zip_names is None and head.startswith((b"PK\x03\x04", b"PK\x05\x06")) and path:
        with contextlib.suppress(Exception):
            with zipfile.ZipFile(path) as zf:
                zip_names = zf.namelist()
    s = sniff_bytes(head, zip_names=zip_names)
    if s.kind in ("pdf", "docx", "html", "ofd", "rtf") or s.kind in extra:
        return s.kind, s.what
    if s.kind == "ole":
        if named or ext in (".xls", ".et"):
            return "ole", "legacy Office document"
        return None, "legacy Office file (.xls/.ppt/.msg)"
    if s.kind in ("image", "other", "zip", "broken-zip", "xlsx", "binary", "empty"):
        return ("unknown", s.what) if named else (None, s.what)
    lower = head[:4096].lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if lower.startswith(b"<") and any(m in lower for m in _HTML_MARKERS):
        return "html", "HTML"
    if ext in DATA_EXTENSIONS:
        return None, f"data file ({ext})"
    text = _decode_head(head)
    if text is None:
        return ("unknown", "binary data") if named else (None, "binary data")
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\x1b")
    if controls > max(2, len(text) // 100):
        return ("unknown", "binary data") if named else (None, "binary data")
    if s.kind == "html" or any(m in lower for m in (b"<html", b"<body")):
        return "html", "HTML"
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        first = stripped.split("\n", 1)[0]
        with contextlib.suppress(ValueError):
            json.loads(first)
            return ("text", "text") if named else (None, "JSON data")
    if named or _cjk_count(text[:20000]) >= 8:
        return "text", "text"
    return None, "text without Chinese"
