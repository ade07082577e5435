"""The default executor: :class:`WorkerPool`, one process per worker that is killed and
replaced when its task runs past the timeout, crashes, or its memory grows too large."""
from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..limits import enable_hard_stop
from .results import TaskTimeout, WorkerCrashedError, WorkerLimitError, WorkersUnavailableError
from .worker import _current_rss_mb, warm_up

DEFAULT_MAX_TASKS_PER_CHILD = 500
DEFAULT_MAX_RSS_MB = 1024.0      # recycle a worker whose resident memory grew past this


# --------------------------------------------------------------------------- worker pool

def _arm_parent_death() -> None:
    """Make a worker die with the process that started it, even after a kill -9."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    ppid = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != ppid:
                os._exit(1)

    threading.Thread(target=watch, name="govreport-parent-watch", daemon=True).start()


STARTUP_TIMEOUT = 60.0  # seconds a worker may take to import plugins and warm up
# exit codes of a worker that its own limit watchdog ended -> (error type, code, reason)
HARD_STOP_CODES = {
    86: ("LimitExceededError", "limit_exceeded", "went over the memory limit inside the document "
                                                 "and could not be stopped; the worker was ended"),
    87: ("ParseTimeoutError", "timeout", "no result within the time limit; the worker was ended"),
}


def _hard_stop(kind: str, message: str) -> None:
    os._exit(86 if kind == "LimitExceededError" else 87)


def _worker_main(conn: Any, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    with contextlib.suppress(Exception):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _arm_parent_death()
    enable_hard_stop(_hard_stop, None)  # this process is ours: limits may end it
    if initializer is not None:
        with contextlib.suppress(BaseException):
            initializer(*initargs)
    try:
        conn.send(("ready", os.getpid()))
    except (OSError, EOFError):
        return
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        except Exception as exc:  # the task did not unpickle here
            conn.send(("done", False, RuntimeError(f"task could not be loaded: {exc!r}"),
                       _current_rss_mb()))
            continue
        if msg is None:
            return
        fn, args, kwargs = msg
        try:
            value, ok = fn(*args, **kwargs), True
        except BaseException as exc:
            value, ok = exc, False
        try:
            conn.send(("done", ok, value, _current_rss_mb()))
        except Exception as exc:
            conn.send(("done", False, RuntimeError(f"result could not be sent: {exc!r}"),
                       _current_rss_mb()))


_WARM_ENV = "_GOVREPORT_BATCH_WARM_FORKSERVER"
_ENV_LOCK = threading.Lock()


def _start_warm_forkserver() -> None:
    """Start multiprocessing's fork server with govreport already warmed up in it.

    Workers are forked from it, so each starts with jieba, OpenCC and the built-in
    plugins loaded (shared copy-on-write) instead of spending seconds building them —
    which matters most when a worker is replaced after a timeout or a crash. Has no
    effect when the fork server is already running.
    """
    from multiprocessing import forkserver

    with _ENV_LOCK:
        if getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None):
            return
        forkserver.set_forkserver_preload(["__main__", "govreport.batch"])
        os.environ[_WARM_ENV] = str(os.getpid())
        try:
            forkserver.ensure_running()
        finally:
            os.environ.pop(_WARM_ENV, None)


def _default_context(warm: bool = True) -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        if warm:
            with contextlib.suppress(Exception):
                _start_warm_forkserver()
        return ctx
    return multiprocessing.get_context("spawn")


@dataclass
class _Slot:
    proc: Any = None
    conn: Any = None
    state: str = "empty"          # empty | starting | idle | busy
    item: Any = None              # (future, fn, args, kwargs)
    deadline: float | None = None
    tasks: int = 0
    started: float = 0.0
    pid: int | None = None


class WorkerPool(cf.Executor):
    """A process pool that enforces a per-task timeout by killing the worker.

    Each worker process takes one task at a time over its own pipe. A task still running
    ``timeout`` seconds after it was handed over gets :class:`TaskTimeout` and its worker
    is killed (SIGKILL) and replaced; a worker that dies gets
    :class:`WorkerCrashedError`. Workers are recycled after ``max_tasks_per_child`` tasks
    or once their resident memory passes ``max_rss_mb``. ``initializer(*initargs)`` runs
    once in each new worker *before* it is counted as ready, so warm-up time never eats
    into a task's timeout.
    """

    def __init__(self, max_workers: int | None = None, *, timeout: float | None = None,
                 max_tasks_per_child: int | None = DEFAULT_MAX_TASKS_PER_CHILD,
                 max_rss_mb: float | None = DEFAULT_MAX_RSS_MB,
                 initializer: Callable[..., Any] | None = None, initargs: tuple = (),
                 mp_context: Any = None, warm_start: bool = True):
        self.max_workers = max(1, int(max_workers or default_workers()))
        self.timeout = timeout if timeout and timeout > 0 else None
        self.max_tasks_per_child = max_tasks_per_child
        self.max_rss_mb = max_rss_mb
        self._initializer = initializer
        self._initargs = initargs
        self._ctx = mp_context or _default_context(warm_start)
        self._lock = threading.Lock()
        self._queue: collections.deque = collections.deque()
        self._slots = [_Slot() for _ in range(self.max_workers)]
        self._retiring: list[Any] = []
        self._shutdown = False
        self._terminate = False
        self._broken: str | None = None
        self._start_failures = 0
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        self._thread: threading.Thread | None = None
        self.stats: collections.Counter[str] = collections.Counter()  # started, timeouts, crashes, recycled

    # -- Executor API
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot submit to a WorkerPool after shutdown")
            if self._broken:
                raise WorkersUnavailableError(f"WorkerPool is broken: {self._broken}")
            future: cf.Future = cf.Future()
            self._queue.append((future, fn, args, kwargs))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="govreport-pool",
                                                daemon=True)
                self._thread.start()
        self._wake()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shutdown = True
            if cancel_futures:
                while self._queue:
                    self._queue.popleft()[0].cancel()
            thread = self._thread
        self._wake()
        if thread is None:
            self._close_wake()
        elif wait:
            thread.join()

    def terminate(self) -> None:
        """Stop now: cancel queued tasks and kill every worker (on Ctrl-C, say)."""
        with self._lock:
            self._shutdown = self._terminate = True
            while self._queue:
                self._queue.popleft()[0].cancel()
            thread = self._thread
        self._wake()
        if thread is not None:
            thread.join(timeout=10)
        self._kill_all()

    # -- internals
    def _wake(self) -> None:
        with contextlib.suppress(Exception):
            self._wake_w.send_bytes(b"x")

    def _close_wake(self) -> None:
        for conn in (self._wake_r, self._wake_w):
            with contextlib.suppress(Exception):
                conn.close()

    def _start(self, slot: _Slot) -> None:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker_main, name="govreport-worker",
                                 args=(child, self._initializer, self._initargs), daemon=True)
        proc.start()
        child.close()
        slot.proc, slot.conn, slot.state = proc, parent, "starting"
        slot.item, slot.deadline, slot.tasks = None, None, 0
        slot.started, slot.pid = time.monotonic(), proc.pid
        self.stats["started"] += 1

    def _stop(self, slot: _Slot, *, kill: bool) -> None:
        proc, conn = slot.proc, slot.conn
        if proc is not None:
            if kill:
                with contextlib.suppress(Exception):
                    proc.kill()
                proc.join(5)
            else:
                with contextlib.suppress(Exception):
                    conn.send(None)
                self._retiring.append((proc, time.monotonic() + 5))
        with contextlib.suppress(Exception):
            conn.close()
        slot.proc = slot.conn = slot.item = slot.deadline = None
        slot.state = "empty"
        slot.pid = None

    def _kill_all(self) -> None:
        for slot in self._slots:
            if slot.proc is not None:
                self._stop(slot, kill=True)
        for proc, _ in self._retiring:
            with contextlib.suppress(Exception):
                proc.kill()
                proc.join(5)
        self._retiring.clear()

    def _reap(self, force: bool = False) -> None:
        keep = []
        now = time.monotonic()
        for proc, until in self._retiring:
            if proc.exitcode is not None:
                proc.join(0)
            elif force or now > until:
                with contextlib.suppress(Exception):
                    proc.kill()
                proc.join(5)
            else:
                keep.append((proc, until))
        self._retiring = keep

    def _fail(self, slot: _Slot, exc: BaseException) -> None:
        if slot.item is not None:
            future = slot.item[0]
            if not future.done():
                future.set_exception(exc)
        slot.item = None

    def _assign(self) -> None:
        for slot in self._slots:
            if slot.state == "empty":
                with self._lock:
                    want = bool(self._queue) and not self._terminate
                if want:
                    try:
                        self._start(slot)
                    except Exception as exc:  # cannot start a process at all
                        self._start_failures += 1
                        if self._start_failures >= 3:
                            self._broken = f"cannot start a worker process: {exc!r}"
                continue
            if slot.state != "idle":
                continue
            while True:
                with self._lock:
                    item = self._queue.popleft() if self._queue else None
                if item is None:
                    break
                future, fn, args, kwargs = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    slot.conn.send((fn, args, kwargs))
                except (OSError, EOFError, BrokenPipeError) as exc:
                    future.set_exception(WorkerCrashedError(f"worker unreachable: {exc}"))
                    self._stop(slot, kill=True)
                    break
                except Exception as exc:  # the task does not pickle
                    future.set_exception(exc)
                    continue
                slot.item, slot.state = item, "busy"
                slot.deadline = time.monotonic() + self.timeout if self.timeout else None
                break

    def _startup_deadline(self, slot: _Slot) -> float:
        """A worker's warm-up (plugin imports, the sample parse) ends by then."""
        return slot.started + max(self.timeout or 0.0, STARTUP_TIMEOUT)

    def _on_message(self, slot: _Slot) -> None:
        try:
            msg = slot.conn.recv()
        except Exception:  # EOF: the worker died
            code = slot.proc.exitcode if slot.proc is not None else None
            if slot.proc is not None and code is None:
                slot.proc.join(1)
                code = slot.proc.exitcode
            if slot.state == "starting":
                self._start_failures += 1
                if self._start_failures >= 3:
                    self._broken = f"workers die on start (exit code {code})"
            elif code in HARD_STOP_CODES:  # the worker's own limit watchdog ended it
                self.stats["crashes"] += 1
                self._fail(slot, WorkerLimitError(*HARD_STOP_CODES[code]))
            else:
                self.stats["crashes"] += 1
                self._fail(slot, WorkerCrashedError(
                    f"the worker process died (exit code {code}) while running this task"))
            self._stop(slot, kill=True)
            return
        if msg[0] == "ready":
            slot.state = "idle"
            self._start_failures = 0
            return
        _, ok, value, rss = msg
        future = slot.item[0] if slot.item else None
        slot.item, slot.deadline, slot.state = None, None, "idle"
        slot.tasks += 1
        if future is not None and not future.done():
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value if isinstance(value, BaseException)
                                     else RuntimeError(repr(value)))
        if (self.max_tasks_per_child and slot.tasks >= self.max_tasks_per_child) or \
                (self.max_rss_mb and rss and rss > self.max_rss_mb):
            self.stats["recycled"] += 1
            self._stop(slot, kill=False)

    def _run(self) -> None:
        from multiprocessing.connection import wait

        try:
            while True:
                if self._broken:
                    with self._lock:
                        while self._queue:
                            f = self._queue.popleft()[0]
                            if f.set_running_or_notify_cancel():
                                f.set_exception(WorkersUnavailableError(f"WorkerPool is broken: {self._broken}"))
                    break
                if self._terminate:
                    break
                self._assign()
                with self._lock:
                    queued = bool(self._queue)
                busy = [s for s in self._slots if s.state in ("busy", "starting")]
                if self._shutdown and not queued and not any(s.state == "busy" for s in busy):
                    break
                deadlines = [s.deadline for s in busy if s.deadline is not None]
                deadlines += [self._startup_deadline(s) for s in busy if s.state == "starting"]
                wait_for = None
                if deadlines:
                    wait_for = max(0.0, min(deadlines) - time.monotonic())
                if self._retiring:
                    wait_for = 0.5 if wait_for is None else min(wait_for, 0.5)
                conns = [s.conn for s in busy]
                ready = wait(conns + [self._wake_r], timeout=wait_for)
                if self._wake_r in ready:
                    with contextlib.suppress(Exception):
                        while self._wake_r.poll():
                            self._wake_r.recv_bytes()
                for slot in busy:
                    if slot.conn is not None and slot.conn in ready:
                        self._on_message(slot)
                now = time.monotonic()
                for slot in self._slots:
                    if slot.state == "starting" and now >= self._startup_deadline(slot) \
                            and not (slot.conn is not None and slot.conn.poll()):
                        # warm-up hangs (a plugin stuck at import): kill it; three in a row
                        # and the pool gives up with a message instead of waiting forever
                        self._stop(slot, kill=True)
                        self._start_failures += 1
                        if self._start_failures >= 3:
                            self._broken = (f"worker start-up took over "
                                            f"{max(self.timeout or 0.0, STARTUP_TIMEOUT):g} s three "
                                            "times (a plugin hanging at import or warm-up?)")
                        continue
                    if slot.state == "busy" and slot.deadline is not None and now >= slot.deadline:
                        # one last look: the result may have arrived just in time
                        if slot.conn.poll():
                            self._on_message(slot)
                            continue
                        self.stats["timeouts"] += 1
                        item = slot.item
                        slot.item = None
                        self._stop(slot, kill=True)  # dead before anyone hears of it
                        slot.item = item
                        self._fail(slot, TaskTimeout(self.timeout or 0))
                        slot.item = None
                self._reap()
        except BaseException as exc:  # a bug here must not leave callers waiting forever
            self._broken = self._broken or f"internal error: {exc!r}"
            with self._lock:
                while self._queue:
                    f = self._queue.popleft()[0]
                    if f.set_running_or_notify_cancel():
                        f.set_exception(WorkersUnavailableError(f"WorkerPool is broken: {self._broken}"))
            raise
        finally:
            for slot in self._slots:
                self._fail(slot, cf.CancelledError("WorkerPool terminated") if self._terminate
                           else RuntimeError("WorkerPool stopped"))
            if self._terminate:
                self._kill_all()
            else:
                for slot in self._slots:
                    if slot.proc is not None:
                        self._stop(slot, kill=False)
                self._reap(force=False)
                deadline = time.monotonic() + 5
                while self._retiring and time.monotonic() < deadline:
                    time.sleep(0.02)
                    self._reap()
                self._reap(force=True)
            self._close_wake()


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except Exception:
        return max(1, os.cpu_count() or 1)


def _pool_initializer(plugins_dir: str | None, disabled: tuple[str, ...], parse_func: Any) -> None:
    warm_up(plugins_dir, disabled, parse_func=parse_func, sample=True)


if os.environ.get(_WARM_ENV) == str(os.getppid()):  # imported by the fork server (above)
    os.environ.pop(_WARM_ENV, None)
    warm_up(None, ())
