"""Readers: bytes in, :class:`govreport.model.Document` out.

``read_document`` sniffs the *bytes* (never the file extension) with
:func:`govreport.readers.sniff.sniff_bytes` and tries the registered readers
(``govreport_register_readers``; the built-ins in :mod:`.builtin` register through the
same hook) whose kinds match, in their stated order:

=====  ==========  ==========================================================  =================
order  reader      reads (sniffed kind)                                        module
=====  ==========  ==========================================================  =================
100    pdf         ``pdf``: a ``%PDF-n.n`` header                              :mod:`.pdf`
100    docx        ``docx``: a ZIP holding ``word/document.xml``               :mod:`.docx`
200    office      ``ole``, ``rtf``, ``xlsx``: legacy Office/WPS via LibreOffice  :mod:`.office`
300    html        ``html``: starts with a tag                                 :mod:`.html`
900    text        ``text``: anything else that decodes (markdown, HTML-as-text)  :mod:`.text`
=====  ==========  ==========================================================  =================

A reader that finds no usable text (``NoTextLayerError``, ``LowTextQualityError``) or
refuses the bytes (``UnsupportedTypeError``) passes the file on to the next one (an OCR
plugin after the PDF reader); a reader that crashes is skipped with a warning on the
document. Heavy libraries are imported only by the reader that needs them, so
``import govreport`` stays fast. Every failure is a typed
:class:`govreport.errors.GovReportError` naming the file.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from typing import IO, Any, Union

from ..errors import (
    EmptyFileError,
    GovReportError,
    LimitExceededError,
    LowTextQualityError,
    NoTextLayerError,
    UnreadableError,
    UnsupportedTypeError,
)
from ..limits import MAX_TEXT_CHARS, MAX_TEXT_SOURCE_BYTES
from ..model import Document
from ..options import Options
from .sniff import Sniff, sniff_bytes

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]

__all__ = ["read_document", "sniff_kind", "Source"]

# What to say when no reader reads a sniffed kind.
_NO_READER = {
    "image": "{what}; scanned pages are read by the OCR plugin (pip install ./plugins/govreport-ocr)",
    "ole": "{what}; install LibreOffice to read it (apt-get install libreoffice-writer-nogui "
           "libreoffice-calc-nogui), or save it as .docx or PDF",
    "rtf": "{what}; install LibreOffice to read it (apt-get install libreoffice-writer-nogui), "
           "or save it as .docx or PDF",
    "zip": "{what} (not a .docx)",
    "binary": "binary data (not PDF, DOCX, HTML or text)",
}
_PASS_ON = (NoTextLayerError, LowTextQualityError, UnsupportedTypeError)
_HTML_TAG = re.compile(r"</?(?:html|body|p|div|table|tr|td|th|h[1-6]|li|ul|ol|span|font|meta)\b[^>\n]{0,500}>", re.I)
_MD_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_MD_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M)


def read_document(source: Source, *, path: str | os.PathLike[str] | None = None,
                  options: Options | dict | None = None, registry: Any = None) -> Document:
    """Read a report from a path, bytes or a binary file object into a ``Document``.

    ``path`` names the source in errors and in ``Document.path`` (default: the path
    given, the file object's name, or ``"<bytes>"``). ``options`` supplies
    ``password`` (encrypted PDFs), ``max_pages`` and ``max_bytes``. ``registry`` is the
    plugin registry whose readers to try (default: the process's, see
    :func:`govreport.plugins.get_registry`).
    """
    opts = Options.coerce(options)
    data, name = _load(source, path, opts)
    if opts.max_bytes is not None and len(data) > opts.max_bytes:
        raise LimitExceededError(name, f"file is {len(data)} bytes, over the limit of {opts.max_bytes}")
    if not data.strip(b" \t\r\n\f\v\x00") or data in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        raise EmptyFileError(name, "file is empty" if not data else "file holds only whitespace")
    if registry is None:
        from ..plugins import get_registry
        registry = get_registry(None, opts.disabled_plugins)
    sniffed = sniff_bytes(data)
    if sniffed.kind in ("html", "text", "markdown") and len(data) > MAX_TEXT_SOURCE_BYTES:
        raise LimitExceededError(name, f"{sniffed.kind} file is {len(data)} bytes, over the limit "
                                       f"of {MAX_TEXT_SOURCE_BYTES // 2**20} MiB for text sources")
    doc = _dispatch(registry.readers, sniffed, data, name, opts)
    if not any(p.text.strip() for p in doc.pages) and not doc.tables:
        raise EmptyFileError(name, f"no text in the {doc.kind} document")
    chars = sum(len(p.text) for p in doc.pages)
    if chars > MAX_TEXT_CHARS:
        raise LimitExceededError(name, f"{doc.kind} document holds {chars} characters of text, "
                                       f"over the limit of {MAX_TEXT_CHARS} (reports hold far fewer)")
    return doc


def _reader_name(reader: Any) -> str:
    name = getattr(reader, "name", None) or type(reader).__name__
    plugin = getattr(reader, "plugin_name", None)
    return f"{name} ({plugin})" if plugin and not str(plugin).startswith("govreport.") else str(name)


def _candidates(readers: list[Any], sniff: Sniff, data: bytes, name: str,
                warnings: list[str]) -> list[Any]:
    """The readers for these bytes, in order; a reader whose test crashes is left out."""
    found = []
    for reader in readers:
        kinds = getattr(reader, "kinds", ())
        kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds or ())
        if "*" not in kinds and sniff.kind not in kinds:
            continue
        recognise = getattr(reader, "recognise", None)
        if recognise is not None:
            try:
                if not recognise(data, name):
                    continue
            except Exception as exc:  # a broken plugin never stops other readers
                warnings.append(f"reader {_reader_name(reader)} failed to recognise the file: "
                                f"{type(exc).__name__}: {exc}"[:300])
                continue
        found.append(reader)
    return found


def _dispatch(readers: list[Any], sniff: Sniff, data: bytes, name: str, opts: Options) -> Document:
    warnings: list[str] = []
    candidates = _candidates(readers, sniff, data, name, warnings)
    if not candidates and sniff.kind == "broken-zip":
        raise UnreadableError(name, "broken ZIP container (not a readable .docx)")
    if not candidates:
        what = _NO_READER.get(sniff.kind, "{what}").format(what=sniff.what)
        raise UnsupportedTypeError(name, f"unsupported file type: {what}")
    sha = hashlib.sha256(data).hexdigest()
    passed: GovReportError | None = None
    doc: Document | None = None
    rest: list[Any] = []
    for i, reader in enumerate(candidates):
        try:
            doc = reader.read(data, path=name, sha256=sha, options=opts)
            if not isinstance(doc, Document):
                raise TypeError(f"read() returned {type(doc).__name__}, not a Document")
        except _PASS_ON as exc:
            passed = passed or exc
            doc = None
            continue
        except (GovReportError, MemoryError):
            raise
        except Exception as exc:  # a broken reader: the next one may still read the file
            warnings.append(f"reader {_reader_name(reader)} failed: {type(exc).__name__}: {exc}"[:300])
            doc = None
            continue
        rest = candidates[i + 1:]
        break
    if doc is None:
        if passed is not None:
            raise passed
        raise UnreadableError(name, "no reader could read it: " + "; ".join(warnings))
    for reader in rest:
        if not doc.pages_without_text:
            break
        complete = getattr(reader, "complete", None)
        if complete is None:
            continue
        try:
            filled = complete(doc, data, options=opts)
        except (GovReportError, MemoryError):
            raise
        except Exception as exc:
            warnings.append(f"reader {_reader_name(reader)} failed to complete the pages "
                            f"without text: {type(exc).__name__}: {exc}"[:300])
            continue
        if isinstance(filled, Document):
            doc = filled
    if doc.pages_without_text:
        pages = ", ".join(str(n) for n in doc.pages_without_text)
        warnings.append(f"pages without a text layer were not read (scans: {pages}); "
                        f"install the OCR plugin to read them")
    doc.warnings.extend(warnings)
    return doc


def sniff_kind(data: bytes, path: str = "<bytes>") -> str:
    """Return the sniffed kind of these bytes (see :mod:`govreport.readers.sniff`).

    Kinds no reader is built in for without a plugin (``other``, ``binary``, ``zip``)
    raise ``UnsupportedTypeError``.
    """
    s = sniff_bytes(data)
    if s.kind in ("other", "binary", "zip", "broken-zip", "empty"):
        what = _NO_READER.get(s.kind, "{what}").format(what=s.what)
        raise UnsupportedTypeError(path, f"unsupported file type: {what}")
    return s.kind


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
