"""Readers: bytes in, :class:`govreport.model.Document` out.

``read_document`` sniffs the *bytes* (never the file extension) and hands them to one
reader per format:

==========  ==========================================================  =====================
kind        recognised by                                               module
==========  ==========================================================  =====================
pdf         ``%PDF-`` in the first KiB                                  :mod:`.pdf`
docx        a ZIP holding ``word/document.xml``                        :mod:`.docx`
html        starts with a tag, or carries several HTML block tags       :mod:`.html`
markdown    pipe-table rows ``| a | b |`` with a ``|---|`` separator    :mod:`.markdown`
text        anything else that decodes as text                          :mod:`.text`
==========  ==========================================================  =====================

Heavy libraries (pdfplumber, lxml, python-docx) are imported only by the reader that
needs them, so ``import govreport`` stays fast. Every failure is a typed
:class:`govreport.errors.GovReportError` naming the file.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import stat
from typing import IO, Union

from ..errors import (
    EmptyFileError,
    GovReportError,
    LimitExceededError,
    UnreadableError,
    UnsupportedTypeError,
)
from ..limits import MAX_TEXT_CHARS, MAX_TEXT_SOURCE_BYTES
from ..model import Document
from ..options import Options

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]

__all__ = ["read_document", "sniff_kind", "Source"]

# magic number -> what to call it in an UnsupportedTypeError
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"RIFF", "RIFF media file (WebP/WAV/AVI)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy MS Office / WPS file (.doc/.xls/.wps); save it as .docx or PDF"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"{\\rtf", "RTF document"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"%!PS", "PostScript document"),
    (b"AT&TFORM", "DjVu document"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000 image"),
    (b"wOFF", "web font"),
    (b"OggS", "Ogg media file"),
    (b"ID3", "MP3 audio"),
)

_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|table|p|div|span|h[1-6]|br|font|center|"
    r"style|script|link|!--)[\s>/]",
    re.I,
)
_HTML_TAG = re.compile(r"</?(?:html|body|p|div|table|tr|td|th|h[1-6]|li|ul|ol|span|font|meta)\b[^>\n]{0,500}>", re.I)
_MD_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_MD_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M)


def read_document(source: Source, *, path: str | os.PathLike[str] | None = None,
                  options: Options | dict | None = None) -> Document:
    """Read a report from a path, bytes or a binary file object into a ``Document``.

    ``path`` names the source in errors and in ``Document.path`` (default: the path
    given, the file object's name, or ``"<bytes>"``). ``options`` supplies
    ``password`` (encrypted PDFs), ``max_pages`` and ``max_bytes``.
    """
    opts = Options.coerce(options)
    data, name = _load(source, path, opts)
    if opts.max_bytes is not None and len(data) > opts.max_bytes:
        raise LimitExceededError(name, f"file is {len(data)} bytes, over the limit of {opts.max_bytes}")
    if not data.strip(b" \t\r\n\f\v\x00") or data in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        raise EmptyFileError(name, "file is empty" if not data else "file holds only whitespace")
    sha = hashlib.sha256(data).hexdigest()
    kind = sniff_kind(data, name)
    if kind in ("html", "text") and len(data) > MAX_TEXT_SOURCE_BYTES:
        raise LimitExceededError(name, f"{kind} file is {len(data)} bytes, over the limit of "
                                       f"{MAX_TEXT_SOURCE_BYTES // 2**20} MiB for text sources")
    if kind == "pdf":
        from .pdf import read_pdf
        doc = read_pdf(data, path=name, sha256=sha, options=opts)
    elif kind == "docx":
        from .docx import read_docx
        doc = read_docx(data, path=name, sha256=sha, options=opts)
    elif kind == "html":
        from .html import read_html
        doc = read_html(data, path=name, sha256=sha, options=opts)
    else:
        from .encoding import decode_bytes
        text, encoding = decode_bytes(data)
        if not text.strip():
            raise EmptyFileError(name, "file holds only whitespace")
        if kind == "text" and _looks_markdown(text):
            kind = "markdown"
        elif kind == "text" and _looks_html_text(text):
            kind = "html"
        if kind == "markdown":
            from .markdown import read_markdown_text
            doc = read_markdown_text(text, path=name, sha256=sha, encoding=encoding)
        elif kind == "html":
            from .html import read_html
            doc = read_html(data, path=name, sha256=sha, options=opts)
        else:
            from .text import read_text_str
            doc = read_text_str(text, path=name, sha256=sha, encoding=encoding)
    if not any(p.text.strip() for p in doc.pages) and not doc.tables:
        raise EmptyFileError(name, f"no text in the {kind} document")
    chars = sum(len(p.text) for p in doc.pages)
    if chars > MAX_TEXT_CHARS:
        raise LimitExceededError(name, f"{kind} document holds {chars} characters of text, over "
                                       f"the limit of {MAX_TEXT_CHARS} (reports hold far fewer)")
    return doc


def sniff_kind(data: bytes, path: str = "<bytes>") -> str:
    """Return ``"pdf"``, ``"docx"``, ``"html"`` or ``"text"`` for these bytes.

    ``"text"`` is refined to ``"markdown"`` / ``"html"`` by ``read_document`` after
    decoding. Raises ``UnsupportedTypeError`` for binary data that is none of these.
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data, path)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            if len(magic) < 4 and not _is_binary(data):
                break
            raise UnsupportedTypeError(path, f"unsupported file type: {what}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
        sniff = data[:65536].decode(codec, errors="replace")
    else:
        if _is_binary(data):
            raise UnsupportedTypeError(path, "unsupported file type: binary data (not PDF, DOCX, HTML or text)")
        sniff = data[:65536].decode("latin-1")
    stripped = sniff.lstrip("\ufeff\xef\xbb\xbf \t\r\n")
    if stripped.lower().startswith("<?xml"):
        return "html" if re.search(r"<html[\s>]", sniff[:4096], re.I) else "text"
    if _HTML_START.match(stripped):
        return "html"
    return "text"


def _sniff_zip(data: bytes, path: str) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableError(path, f"broken ZIP container (not a readable .docx): {exc}") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        what = "Excel workbook (.xlsx)"
    elif "ppt/presentation.xml" in names:
        what = "PowerPoint presentation (.pptx)"
    elif "OFD.xml" in names:
        what = "OFD document (convert it to PDF)"
    elif "content.xml" in names and "mimetype" in names:
        what = "OpenDocument file"
    else:
        what = "ZIP archive (not a .docx)"
    raise UnsupportedTypeError(path, f"unsupported file type: {what}")


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    # text may carry a stray NUL or control byte; binary formats are full of them
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control / len(sample) > 0.02


def _looks_markdown(text: str) -> bool:
    return bool(_MD_SEP.search(text)) and bool(_MD_ROW.search(text))


def _looks_html_text(text: str) -> bool:
    return len(_HTML_TAG.findall(text[:65536])) >= 5


_SPECIAL = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def _read_path(path: str, name: str, limit: int | None) -> bytes:
    """The bytes of the file at ``path``, refusing what is not a regular file or a pipe
    (``/dev/zero``, sockets) and anything over ``limit`` bytes *before* reading it; a pipe
    is read up to ``limit`` + 1 bytes."""
    st = os.stat(path)
    for test, what in _SPECIAL:
        if test(st.st_mode):
            raise UnreadableError(name, f"is {what}, not a regular file")
    if limit is not None and stat.S_ISREG(st.st_mode) and st.st_size > limit:
        raise LimitExceededError(name, f"file is {st.st_size} bytes, over the limit of {limit}")
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())  # what was opened, not what was looked at
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
            raise UnreadableError(name, "is not a regular file")
        if limit is None:
            return fh.read()
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise LimitExceededError(name, f"file is {st.st_size} bytes, over the limit of {limit}")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise LimitExceededError(name, f"file holds more than {limit} bytes, over the limit")
    return data


def _load(source: Source, path: str | os.PathLike[str] | None, opts: Options) -> tuple[bytes, str]:
    limit = opts.max_bytes
    if isinstance(source, (bytes, bytearray, memoryview)):
        name = str(path) if path is not None else "<bytes>"
        return bytes(source), name
    if isinstance(source, (str, os.PathLike)):
        name = str(path) if path is not None else str(source)
        if not os.fspath(source):
            raise UnreadableError(name or None, "no file name given")
        try:
            return _read_path(os.fspath(source), name, limit), name
        except GovReportError:
            raise
        except FileNotFoundError:
            raise UnreadableError(name, "file not found") from None
        except IsADirectoryError:
            raise UnreadableError(name, "is a directory, not a file") from None
        except OSError as exc:
            raise UnreadableError(name, f"cannot read file: {exc.strerror or exc}") from None
        except ValueError as exc:  # a NUL byte in the name
            raise UnreadableError(name, f"invalid file name: {exc}") from None
    if hasattr(source, "read"):
        fname = getattr(source, "name", None)
        name = str(path) if path is not None else (fname if isinstance(fname, str) else "<bytes>")
        try:
            data = source.read() if limit is None else source.read(limit + 1)
        except OSError as exc:
            raise UnreadableError(name, f"cannot read stream: {exc}") from None
        if limit is not None and data is not None and len(data) > limit:
            raise LimitExceededError(name, f"stream holds more than {limit} bytes, over the limit")
        if isinstance(data, str):
            raise UnsupportedTypeError(name, "a text stream was given; open the file in binary mode ('rb')")
        return bytes(data or b""), name
    raise TypeError(f"read_document() needs a path, bytes or a binary file object, not {type(source).__name__}")
