"""A time limit for one document: ``with time_limit(seconds, name): ...``.

Used by ``govreport.parse`` (``Options.timeout``) and by batch workers whose executor
cannot kill a worker (Dask, a plain process pool). Only Python code is interrupted: a long
call into C (lxml on a huge page) ends first.
"""
from __future__ import annotations

import signal
import threading
from typing import Any


class _Deadline(BaseException):
    """Raised inside a parse whose time is up. A ``BaseException``, so that no
    ``except Exception`` in a reader, a library or a plugin swallows it; :class:`time_limit`
    turns it into ``ParseTimeoutError`` at its boundary."""


class time_limit:
    """``with time_limit(seconds, name):`` raises ``ParseTimeoutError`` naming ``name``
    if the block runs past ``seconds`` (``None`` or ``<= 0``: no limit).

    In the main thread, with no interval timer already running (e.g. a batch worker's
    own deadline), ``SIGALRM`` interrupts the block, and again every second should
    something swallow it. Anywhere else (another thread, no ``setitimer``, a timer
    already armed) a helper thread raises the exception asynchronously in this thread.
    Either way only Python code is interrupted: a long call into C (lxml on a huge
    page) ends first.
    """

    def __init__(self, seconds: float | None, name: str | None = None):
        self.seconds = seconds if seconds and seconds > 0 else None
        self.name = name
        self._active = False
        self._fired = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._previous: Any = None
        self._use_signal = False

    def error(self):
        from .errors import ParseTimeoutError

        return ParseTimeoutError(self.name, f"no result within the timeout of {self.seconds:g} s "
                                            "(raise it with --timeout / Options.timeout)")

    def __enter__(self) -> time_limit:
        if self.seconds is None:
            return self
        self._use_signal = (threading.current_thread() is threading.main_thread()
                            and hasattr(signal, "setitimer")
                            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))
        self._active = True
        if self._use_signal:
            self._previous = signal.signal(signal.SIGALRM, self._on_alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds, 1.0)
        else:
            self._tid = threading.get_ident()
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _on_alarm(self, signum, frame) -> None:
        if self._active:
            self._fired = True
            raise _Deadline()

    def _fire(self) -> None:
        import ctypes

        with self._lock:
            if self._active:
                self._fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._tid),
                                                           ctypes.py_object(_Deadline))

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.seconds is None:
            return
        with self._lock:
            self._active = False
            if self._use_signal:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM,
                              self._previous if self._previous is not None else signal.SIG_DFL)
            elif self._timer is not None:
                self._timer.cancel()
                if self._fired and exc_type is not _Deadline:
                    # fired but not raised yet: it must not hit the caller later
                    import ctypes

                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._tid), None)
        if exc_type is _Deadline and self._fired:
            raise self.error() from None
