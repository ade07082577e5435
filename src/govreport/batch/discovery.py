"""Which files of a crawled folder are reports: walking the inputs, hashing, and a byte sniff
that tells report files from images, archives and data files."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator

from ..readers.sniff import DATA_EXTENSIONS, REPORT_EXTENSIONS, SNIFF_BYTES, classify_file

__all__ = ["sniff", "discover", "hash_and_head", "DATA_EXTENSIONS", "REPORT_EXTENSIONS",
           "SNIFF_BYTES"]


# --------------------------------------------------------------------------- sniffing

def sniff(head: bytes, path: str = "", size: int | None = None) -> tuple[str | None, str]:
    """Classify a file by its first bytes (and, as a hint, its extension).

    Returns ``(kind, description)``: a reader kind (``"pdf"``, ``"docx"``, ``"html"``,
    ``"text"``, ``"ole"`` …, or ``"unknown"``) for inputs to parse, or ``None`` for a file
    that is not a report file type at all (then ``description`` says what it is). The
    readers' own sniffer decides (:func:`govreport.readers.sniff.classify_file`); kinds
    that an installed reader plugin reads (images, with the OCR plugin) are inputs too.
    """
    return classify_file(head, path, readable_kinds=_plugin_kinds())


def _plugin_kinds() -> frozenset[str]:
    """Kinds the installed readers read (loaded once per process; none if loading fails)."""
    try:
        from ..plugins import get_registry

        registry = get_registry()
    except Exception:  # noqa: BLE001 - a broken plugin must not stop discovery
        return frozenset()
    kinds: set[str] = set()
    for reader in registry.readers:
        k = getattr(reader, "kinds", ())
        kinds.update((k,) if isinstance(k, str) else k or ())
    kinds.discard("*")
    return frozenset(kinds)


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
