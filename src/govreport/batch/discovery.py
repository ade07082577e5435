"""Which files of a crawled folder are reports: walking the inputs, hashing, and a byte sniff
that tells report files from images, archives and data files."""
from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import zipfile
from collections.abc import Iterable, Iterator

# --------------------------------------------------------------------------- sniffing

REPORT_EXTENSIONS = frozenset({".pdf", ".html", ".htm", ".shtml", ".xhtml", ".txt", ".text",
                               ".md", ".markdown", ".docx", ".doc", ".wps"})
DATA_EXTENSIONS = frozenset({".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".xml", ".yaml",
                             ".yml", ".toml", ".ini", ".cfg", ".parquet", ".py", ".js", ".css",
                             ".sql", ".log", ".xls", ".xlsx", ".ppt", ".pptx"})
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"), (b"GIF89a", "GIF image"), (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"), (b"BM", "BMP image"), (b"\x00\x00\x01\x00", "icon"),
    (b"Rar!\x1a\x07", "RAR archive"), (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x1f\x8b", "gzip archive"), (b"BZh", "bzip2 archive"), (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x7fELF", "executable"), (b"MZ", "Windows executable"), (b"{\\rtf", "RTF document"),
    (b"%!PS", "PostScript document"), (b"PAR1", "Parquet file"), (b"SQLite format 3", "SQLite database"),
    (b"ID3", "MP3 audio"), (b"OggS", "Ogg media"), (b"wOFF", "web font"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta ", b"<table", b"<div",
                 b"<p>", b"<p ", b"<title")
SNIFF_BYTES = 64 * 1024


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
               or "\uf900" <= ch <= "\ufaff")


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


def sniff(head: bytes, path: str = "", size: int | None = None) -> tuple[str | None, str]:
    """Classify a file by its first bytes (and, as a hint, its extension).

    Returns ``(kind, description)``: ``kind`` is ``"pdf"``, ``"docx"``, ``"html"``,
    ``"text"`` or ``"unknown"`` for inputs to parse, or ``None`` for a file that is not a
    report file type at all (then ``description`` says what it is). A file named like a
    report (``.pdf``, ``.html``, ``.txt``, ``.docx`` …) is always an input, even when
    empty or damaged: the parser then says exactly what is wrong with it.
    """
    ext = os.path.splitext(path)[1].lower()
    named_report = ext in REPORT_EXTENSIONS
    if b"%PDF-" in head[:1024]:
        return "pdf", "PDF"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if ext == ".docx" or b"word/" in head[:4096]:
            return "docx", "DOCX"
        try:
            with zipfile.ZipFile(path) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx", "DOCX"
        except Exception:
            pass
        return ("unknown", "damaged ZIP") if named_report else (None, "ZIP archive")
    if head.startswith(_OLE):
        if ext in (".doc", ".docx", ".wps"):
            return "unknown", "legacy Office document"
        return None, "legacy Office file (.xls/.ppt/.msg)"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            if len(magic) <= 2 and _decode_head(head) is not None:
                break  # "BM…"/"MZ…" text, not a binary
            return ("unknown", what) if named_report else (None, what)
    if not head:
        return ("unknown", "empty file") if named_report else (None, "empty file")
    lower = head[:4096].lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if lower.startswith(b"<") and any(m in lower for m in _HTML_MARKERS):
        return "html", "HTML"
    if ext in DATA_EXTENSIONS:
        return None, f"data file ({ext})"
    text = _decode_head(head)
    if text is None:
        return ("unknown", "binary data") if named_report else (None, "binary data")
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\x1b")
    if controls > max(2, len(text) // 100):
        return ("unknown", "binary data") if named_report else (None, "binary data")
    if any(m in lower for m in (b"<html", b"<body")):
        return "html", "HTML"
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        first = stripped.split("\n", 1)[0]
        with contextlib.suppress(ValueError):
            json.loads(first)
            return (("text", "text") if named_report else (None, "JSON data"))
    if named_report or _cjk_count(text[:20000]) >= 8:
        return "text", "text"
    return None, "text without Chinese"


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or name in ("__MACOSX", "__pycache__")


def discover(inputs: Iterable[str | os.PathLike[str]], *,
             exclude: Iterable[str | os.PathLike[str]] = ()) -> Iterator[str]:
    """Absolute paths of every file under ``inputs`` (folders recursively, sorted).

    Hidden files and folders (``.git``, ``.DS_Store`` …) and the ``exclude`` folders (the
    output folder) are left out; symlinked folders are not followed. Paths that do not
    exist are yielded as given so the caller can report them.
    """
    excluded = {os.path.realpath(os.fspath(e)) for e in exclude}
    for item in inputs:
        p = os.path.abspath(os.fspath(item))
        if not os.path.isdir(p):
            yield p
            continue
        if os.path.realpath(p) in excluded:
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not _is_hidden(d)
                             and os.path.realpath(os.path.join(root, d)) not in excluded)
            for name in sorted(files):
                if not _is_hidden(name):
                    yield os.path.join(root, name)


def hash_and_head(path: str, head_bytes: int = SNIFF_BYTES) -> tuple[str, bytes, int]:
    """(sha256 hex, first bytes, size) of a file, reading it once."""
    h = hashlib.sha256()
    head = b""
    size = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            if len(head) < head_bytes:
                head += chunk[:head_bytes - len(head)]
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), head, size
