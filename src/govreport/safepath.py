"""Output paths derived from input names that cannot leave the output folder.

``output_path(outdir, name)`` turns a name taken from an input (a file name, a path
relative to an input folder, a title, a URL path) into a path *inside* ``outdir``:

* ``\\`` counts as a separator too (names made on Windows); drive letters (``C:``),
  UNC prefixes and leading ``/`` are dropped, so an absolute name becomes relative;
* ``.`` and ``..`` components are dropped (never resolved against the folder);
* control characters (NUL, line breaks, ...) become ``_``; a component that is only
  dots or spaces is dropped; Windows device names (``CON``, ``NUL``, ``COM1`` ...) get
  a ``_`` prefix; a component longer than 240 UTF-8 bytes is shortened, keeping its
  extension and adding a hash of the full name so that distinct names stay distinct;
* finally the path is resolved, following any symlinks that already exist below
  ``outdir``, and refused with :class:`~govreport.errors.UnsafePathError` if it ends up
  outside ``outdir`` (a symlink ``outdir/x -> /etc``) or is ``outdir`` itself.

This guards against names, not against a concurrent attacker who swaps a folder for a
symlink between the check and the write; :func:`open_output` opens the file right away
with ``O_NOFOLLOW``, which is how the batch writes every output file (a planted
``reports.jsonl -> /etc/passwd`` is refused, never written through).
:func:`check_outdir` says in one line why a folder cannot take output files.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from .errors import UnsafePathError

__all__ = ["output_path", "safe_name", "open_output", "check_outdir"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")
_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.I)
_MAX_COMPONENT = 240  # bytes; most file systems allow 255


def _component(part: str) -> str | None:
    part = _CONTROL.sub("_", part).strip(" ")
    if not part or set(part) <= {".", " "}:
        return None  # "", ".", "..", "...", "  "
    part = part.rstrip(". ") or part  # Windows drops trailing dots/spaces: "a.." == "a"
    if _DEVICE.match(part):
        part = "_" + part
    raw = part.encode("utf-8", "surrogateescape")
    if len(raw) > _MAX_COMPONENT:
        digest = hashlib.sha256(raw).hexdigest()[:10]
        stem, dot, ext = part.rpartition(".")
        if not dot or len(ext.encode("utf-8", "surrogateescape")) > 16 or not stem:
            stem, ext = part, ""
        suffix = f"-{digest}" + (f".{ext}" if ext else "")
        budget = _MAX_COMPONENT - len(suffix.encode("utf-8", "surrogateescape"))
        cut = stem.encode("utf-8", "surrogateescape")[:budget].decode("utf-8", "ignore")
        part = cut + suffix
    return part


def safe_name(name: str | os.PathLike[str]) -> str:
    """The relative, neutralised form of ``name`` (components joined by ``/``).

    Raises :class:`UnsafePathError` if nothing usable is left (``""``, ``"../.."``).
    """
    text = os.fsdecode(name) if isinstance(name, (bytes, os.PathLike)) else str(name)
    s = text.replace("\\", "/")
    s = re.sub(r"^//[^/]*/[^/]*", "", s) if s.startswith("//") else s  # //server/share
    s = _DRIVE.sub("", s)
    parts = [c for c in (_component(p) for p in s.split("/")) if c is not None]
    if not parts:
        raise UnsafePathError(text, "no usable output file name in it")
    return "/".join(parts)


def output_path(outdir: str | os.PathLike[str], name: str | os.PathLike[str]) -> Path:
    """A path inside ``outdir`` for the output named ``name`` (see the module doc).

    Intermediate folders are not created. Raises :class:`UnsafePathError` (naming
    ``name``) when the result would lie outside ``outdir`` through a symlink, or when
    ``name`` holds no usable file name.
    """
    rel = safe_name(name)
    base = Path(outdir)
    target = base.joinpath(*rel.split("/"))
    root = base.resolve()
    real = target.resolve()  # follows the symlinks that exist, strict=False
    if real == root or not real.is_relative_to(root):
        raise UnsafePathError(os.fsdecode(name) if not isinstance(name, str) else name,
                              f"output path {str(target)!r} resolves to {str(real)!r}, "
                              f"outside the output folder {str(root)!r}")
    return target


# -- writing ------------------------------------------------------------------------------

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def open_output(outdir: str | os.PathLike[str], name: str, flags: int, mode: int = 0o666) -> int:
    """``os.open`` of the output file ``name`` inside ``outdir`` that never writes through
    a symlink: the path must resolve inside ``outdir`` (:func:`output_path`) and the file
    itself must not be a symlink (``O_NOFOLLOW``; a planted ``reports.jsonl -> /etc/x``
    fails with :class:`UnsafePathError`). Returns the file descriptor."""
    planted = Path(outdir, name)
    if os.path.islink(planted):
        raise UnsafePathError(str(planted), "is a symbolic link; an output file is never "
                                            "written through one")
    path = output_path(outdir, name)
    try:
        return os.open(path, flags | _NOFOLLOW | _CLOEXEC, mode)
    except OSError:
        if os.path.islink(path):
            raise UnsafePathError(str(path), "is a symbolic link; an output file is never "
                                             "written through one") from None
        raise


def check_outdir(outdir: str | os.PathLike[str]) -> str | None:
    """Why ``outdir`` cannot be an output folder (one line), or ``None`` when it can: it is
    created if missing, and must be a folder this process can create files in."""
    import tempfile

    path = os.fspath(outdir)
    if os.path.lexists(path) and not os.path.isdir(path):
        return f"{path}: exists and is not a folder"
    real = os.path.realpath(path)
    if real == "/proc" or real.startswith(("/proc/", "/sys/", "/dev/")) or real in ("/sys", "/dev"):
        return f"{path}: is inside /{real.split('/')[1]}, not a place for output files"
    try:
        os.makedirs(path, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".govreport-probe-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return f"{path}: cannot write output files there: {exc.strerror or exc}"
    return None
