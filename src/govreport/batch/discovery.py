"""Which files of a crawled folder are reports: walking the inputs, hashing, and a byte sniff
that tells report files from images, archives and data files."""
from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator

from ..readers.sniff import DATA_EXTENSIONS, REPORT_EXTENSIONS, SNIFF_BYTES, classify_file

__all__ = ["sniff", "discover", "hash_and_head", "input_problem", "DATA_EXTENSIONS", "REPORT_EXTENSIONS",
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


_SPECIAL = ((stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISCHR, "character device"),
            (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"))


def input_problem(path: str, roots: Iterable[str], follow_symlinks: bool = False) -> tuple[str, str] | None:
    """Why the batch must not open ``path`` — ``(kind, message)`` — or ``None``.

    Only regular files are inputs: a FIFO would block the run, a device never ends. A
    symlink is followed only when its target lies inside one of the input ``roots``
    (real paths), unless ``follow_symlinks``: a crawled folder must not make the batch
    read ``/etc/shadow`` into its error records."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            real = os.path.realpath(path)
            if not follow_symlinks and not any(
                    real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
                return ("symlink outside the inputs",
                        f"{path}: a symbolic link to a file outside the input folders; not "
                        "read (--follow-symlinks reads it)")
            st = os.stat(path)
    except OSError as exc:
        return ("unreadable", f"{path}: {exc.strerror or exc}")
    for test, what in _SPECIAL:
        if test(st.st_mode):
            return (what, f"{path}: a {what}, not a regular file; not opened")
    if stat.S_ISDIR(st.st_mode):
        return ("folder", f"{path}: a folder reached through a symbolic link; not entered")
    return None


def hash_and_head(path: str, head_bytes: int = SNIFF_BYTES) -> tuple[str, bytes, int]:
    """(sha256 hex, first bytes, size) of a file, reading it once (never blocking on a
    FIFO swapped in after :func:`input_problem` looked)."""
    h = hashlib.sha256()
    head = b""
    size = 0
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(0, "not a regular file")
    with os.fdopen(fd, "rb") as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            if len(head) < head_bytes:
                head += chunk[:head_bytes - len(head)]
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), head, size
