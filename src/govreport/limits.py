"""Limits on by default: one document may take so much time, memory and input.

Every parse (``govreport parse``, ``govreport.parse()``, batch workers) runs under

* a **time limit** (``Options.timeout``, default :data:`DEFAULT_TIMEOUT`),
  enforced by :class:`govreport.deadline.time_limit`;
* a **memory cap** (``Options.max_memory_mb``, default :data:`DEFAULT_MAX_MEMORY_MB`):
  the resident memory a parse may *add* to its process, enforced by
  :class:`memory_limit`, a watchdog thread that samples ``/proc/self/statm`` every
  20 ms and raises inside the parse once the cap is passed;
* a **byte limit** (``Options.max_bytes``, default :data:`DEFAULT_MAX_BYTES`), checked
  before the file is read, and the expanded-size limits of the readers (below).

``None`` lifts a limit. Why this split between "soft" and "hard" stops:

* In a library caller's own process (``govreport.parse()``) nothing process-wide is
  touched: no ``RLIMIT_AS`` (it would cap the caller's notebook too), no exit. The
  watchdogs raise an exception in the parsing thread, which stops Python code; a call
  into C (lxml, zlib, pdfminer's C helpers) finishes first. The readers' own limits
  (bytes, expanded sizes, table spans, the text-split state budget) are what keep every
  C call bounded, so the soft stop always gets its turn.
* In a process govreport owns — the ``govreport`` command line and batch worker
  processes — :func:`enable_hard_stop` also sets ``RLIMIT_AS`` (the address space
  reached so far plus twice the cap: an allocation past it fails with ``MemoryError``),
  and the watchdogs end the process with a one-line error if the soft stop has not
  taken effect shortly after the limit (a parse stuck in C, or memory still growing
  past 1.25 × the cap).
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

DEFAULT_TIMEOUT = 60.0                   # seconds per document
DEFAULT_MAX_MEMORY_MB = 1024.0           # MiB a parse may add to its process
DEFAULT_MAX_BYTES = 256 * 1024 * 1024    # input file size
DEFAULT_MAX_PAGES = 2000                 # PDF pages (real reports have tens)
# What a reader may expand its input into (inflated PDF streams, DOCX parts, page text).
MAX_EXPANDED_BYTES = 256 * 1024 * 1024   # inflated bytes of one document, all parts together
MAX_EXPANSION_RATIO = 200                # ... and per stream / part, once it is over 1 MiB
MAX_TEXT_CHARS = 1_000_000               # characters of text of one document (reports: < 100k)
MAX_TEXT_SOURCE_BYTES = 32 * 1024 * 1024  # an HTML/text/markdown file (not a PDF or DOCX)

_POLL = 0.02           # seconds between memory samples
_HARD_GRACE = 3.0      # seconds a soft stop may take before a hard stop (own processes)
_HARD_FACTOR = 1.25    # memory past cap × this: hard stop at once (own processes)

try:
    _PAGE = os.sysconf("SC_PAGE_SIZE")
except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
    _PAGE = 4096

HardStop = Callable[[str, str], None]   # (error class name, one-line message) -> never returns
_hard_stop: HardStop | None = None


class _MemoryExceeded(BaseException):
    """Raised inside a parse past its memory cap; a ``BaseException`` so that no
    ``except Exception`` swallows it. :class:`memory_limit` turns it into
    ``LimitExceededError`` at its boundary."""


def memory_error(name: str | None, mb: float | None):
    from .errors import LimitExceededError

    if not mb:
        return LimitExceededError(name, "ran out of memory")
    return LimitExceededError(name, f"used more than the memory limit of {mb:g} MiB "
                                    "(raise it with --max-memory / Options.max_memory_mb)")


def rss_bytes() -> int:
    """This process's resident memory now (0 where ``/proc`` is missing)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def enable_hard_stop(handler: HardStop, max_memory_mb: float | None) -> None:
    """Mark this process as govreport's own (CLI, batch worker): watchdogs may end it
    with ``handler(type, message)``, and ``RLIMIT_AS`` caps its address space at what
    it uses now plus twice ``max_memory_mb`` (never raised above an existing limit)."""
    global _hard_stop
    _hard_stop = handler
    cap_address_space(max_memory_mb)


def cap_address_space(max_memory_mb: float | None) -> None:
    """``RLIMIT_AS`` at the address space used now plus twice ``max_memory_mb`` (only
    ever lowered; for processes of govreport's own, see :func:`enable_hard_stop`)."""
    if not max_memory_mb:
        return
    try:
        import resource

        want = _vm_bytes() + int(2 * max_memory_mb * 1024 * 1024)
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft > want:
            resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - no rlimits here
        pass


def hard_stop_enabled() -> bool:
    return _hard_stop is not None


class memory_limit:
    """``with memory_limit(mb, name):`` raises ``LimitExceededError`` naming ``name`` when
    the block grows this process's resident memory by more than ``mb`` MiB, or runs out
    of memory (``MemoryError``). ``None`` or ``<= 0``: no limit.

    A watchdog thread samples the memory every 20 ms and raises an exception in the
    block's thread (only Python code is interrupted; see the module doc). With a time
    limit given, and in a process where :func:`enable_hard_stop` was called, the same
    watchdog also ends the process when the block overruns the time or memory limit
    and does not stop within a few seconds.
    """

    def __init__(self, mb: float | None, name: str | None = None, *,
                 hard_timeout: float | None = None):
        self.mb = mb if mb and mb > 0 else None
        self.name = name
        self.hard_timeout = hard_timeout if hard_timeout and hard_timeout > 0 else None
        self._fired = False
        self._active = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> memory_limit:
        self._tid = threading.get_ident()
        self._base = rss_bytes()
        self._start = time.monotonic()
        watch_time = self.hard_timeout is not None and _hard_stop is not None
        if self.mb is None and not watch_time:
            return self
        if self._base == 0 and not watch_time:
            return self  # no way to measure here
        self._active = True
        self._thread = threading.Thread(target=self._watch, name="govreport-memory-limit",
                                        daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        cap = int(self.mb * 1024 * 1024) if self.mb else None
        fired_at: float | None = None
        while not self._stop.wait(_POLL):
            now = time.monotonic()
            if cap is not None and self._base:
                grown = rss_bytes() - self._base
                if grown > cap:
                    if fired_at is None:
                        fired_at = now
                        self._raise_in_block()
                    if _hard_stop is not None and (grown > cap * _HARD_FACTOR
                                                   or now - fired_at > _HARD_GRACE):
                        _hard_stop("LimitExceededError", str(memory_error(self.name, self.mb)))
            if (self.hard_timeout is not None and _hard_stop is not None
                    and now - self._start > self.hard_timeout + _HARD_GRACE):
                from .errors import ParseTimeoutError

                _hard_stop("ParseTimeoutError", str(ParseTimeoutError(
                    self.name, f"no result within the timeout of {self.hard_timeout:g} s "
                               "(raise it with --timeout / Options.timeout)")))

    def _raise_in_block(self) -> None:
        import ctypes

        with self._lock:
            if self._active:
                self._fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._tid),
                                                           ctypes.py_object(_MemoryExceeded))

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._thread is not None:
            with self._lock:
                self._active = False
                if self._fired and exc_type is not _MemoryExceeded:
                    import ctypes  # fired but not raised yet: it must not hit the caller

                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._tid), None)
            self._stop.set()
            self._thread.join()
        if exc_type is _MemoryExceeded or (exc_type is not None and issubclass(exc_type, MemoryError)):
            raise memory_error(self.name, self.mb) from None
