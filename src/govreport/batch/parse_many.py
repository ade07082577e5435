"""``parse_many``: yield a :class:`Result` per input over any executor, keeping only a
bounded window of tasks in flight."""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import time
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import GovReportError, ParseTimeoutError
from ..options import Options
from .discovery import SNIFF_BYTES, discover, sniff
from .pool import WorkerPool, _pool_initializer, default_workers
from .results import Result, TaskTimeout, WorkerCrashedError, WorkerLimitError, WorkersUnavailableError
from .worker import _where, parse_one

DEFAULT_TIMEOUT = 120.0          # seconds per document

# --------------------------------------------------------------------------- scheduling

def _result_from_exception(path: str, exc: BaseException, timeout: float | None) -> Result:
    if isinstance(exc, TaskTimeout):
        return Result.failed(path, "ParseTimeoutError", ParseTimeoutError.code,
                             f"{path}: no result within {exc.seconds:g} s; the worker process "
                             "was killed", seconds=exc.seconds)
    if isinstance(exc, WorkerCrashedError):
        return Result.failed(path, "WorkerCrashedError", "crash", f"{path}: {exc}")
    if isinstance(exc, WorkerLimitError):
        return Result.failed(path, exc.type, exc.code, f"{path}: {exc.reason}")
    if isinstance(exc, cf.CancelledError):
        return Result.failed(path, "Cancelled", "cancelled", f"{path}: task cancelled")
    if isinstance(exc, GovReportError):
        return Result.failed(path, type(exc).__name__, exc.code, str(exc))
    return Result.failed(path, type(exc).__name__, "internal",
                         f"{path}: {type(exc).__name__}: {exc}", where=_where(exc))


class _Runner:
    """Keeps a bounded window of tasks in flight on an executor and turns every outcome
    (value, exception, timeout) into a :class:`Result`."""

    def __init__(self, executor: cf.Executor, window: int, timeout: float | None,
                 hard_timeout: bool):
        self.executor = executor
        self.window = max(1, window)
        self.timeout = timeout
        # executors that cannot kill: give up waiting well after the in-worker timer
        self.abandon_after = None if hard_timeout or not timeout else timeout * 3 + 30
        self.inflight: dict[cf.Future, tuple[Any, dict[str, Any], float]] = {}

    def full(self) -> bool:
        return len(self.inflight) >= self.window

    def submit(self, task: dict[str, Any], tag: Any) -> None:
        try:
            future = self.executor.submit(parse_one, task)
        except WorkersUnavailableError:
            raise  # no document is to blame: the run stops, once
        except Exception as exc:
            future = cf.Future()
            future.set_exception(exc)
        self.inflight[future] = (tag, task, time.monotonic())

    def poll(self, block: bool) -> list[tuple[Any, Result]]:
        if not self.inflight:
            return []
        wait_for: float | None = 0 if not block else None
        if block and self.abandon_after is not None:
            oldest = min(t for _, _, t in self.inflight.values())
            wait_for = max(0.0, oldest + self.abandon_after - time.monotonic())
        done, _ = cf.wait(list(self.inflight), timeout=wait_for,
                          return_when=cf.FIRST_COMPLETED)
        out = []
        for future in done:
            tag, task, _ = self.inflight.pop(future)
            try:
                result = Result.from_worker(future.result())
            except BaseException as exc:
                if isinstance(exc, (KeyboardInterrupt, WorkersUnavailableError)):
                    raise
                result = _result_from_exception(task["path"], exc, self.timeout)
            out.append((tag, result))
        if self.abandon_after is not None:
            now = time.monotonic()
            for future, (tag, task, t) in list(self.inflight.items()):
                if now - t > self.abandon_after:
                    future.cancel()
                    del self.inflight[future]
                    out.append((tag, Result.failed(
                        task["path"], "ParseTimeoutError", ParseTimeoutError.code,
                        f"{task['path']}: no result within {now - t:.0f} s (abandoned; the "
                        "executor cannot stop its worker)", seconds=now - t)))
        return out

    def drain(self) -> Iterator[tuple[Any, Result]]:
        while self.inflight:
            yield from self.poll(block=True)


def _make_task(path: str, options: Options, plugins_dir: str | None, parse_func: Any,
               soft_timeout: float | None) -> dict[str, Any]:
    task: dict[str, Any] = {"path": path, "options": options.to_dict(), "plugins_dir": plugins_dir}
    if parse_func is not None:
        task["parse_func"] = parse_func
    if soft_timeout:
        task["timeout"] = soft_timeout
    return task


def _resolve_timeout(timeout: float | None, options: Options) -> float | None:
    if timeout is None:
        timeout = options.timeout if options.timeout is not None else DEFAULT_TIMEOUT
    return timeout if timeout and timeout > 0 else None


def _executor_slots(executor: Any) -> int:
    for attr in ("max_workers", "_max_workers"):
        n = getattr(executor, attr, None)
        if isinstance(n, int) and n > 0:
            return n
    client = getattr(executor, "_client", None)
    if client is not None:
        with contextlib.suppress(Exception):
            return max(1, sum(client.nthreads().values()))
    return default_workers()


def parse_many(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *,
               executor: cf.Executor | None = None,
               options: Options | dict[str, Any] | None = None,
               timeout: float | None = None,
               workers: int | None = None,
               plugins_dir: str | os.PathLike[str] | None = None,
               parse_func: Any = None) -> Iterator[Result]:
    """Parse many reports in parallel; yield one :class:`Result` per input as each finishes.

    ``paths``: files and folders (searched recursively; files that are not a report type
    at all — images, archives, data files — come back as ``skipped`` failed results).
    ``executor``: any :class:`concurrent.futures.Executor` — by default a
    :class:`WorkerPool` of ``workers`` processes, which kills a document's worker at the
    timeout; with a Dask cluster pass ``distributed.Client(...).get_executor()``.
    ``timeout``: seconds per document (default ``options.timeout`` or 120; ``0`` for none).
    On an executor that cannot kill its workers the timeout is enforced inside the worker
    and stops pure-Python work only.

    Results arrive in completion order (``result.path`` says which input). A bad input is
    a failed result (``ok=False`` with ``error.type``/``error.message``), never an exception.
    """
    opts = Options.coerce(options)
    limit = _resolve_timeout(timeout, opts)
    pdir = os.path.abspath(os.fspath(plugins_dir)) if plugins_dir else None
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    own_pool: WorkerPool | None = None
    if executor is None:
        own_pool = WorkerPool(workers, timeout=limit, initializer=_pool_initializer,
                              initargs=(pdir, opts.disabled_plugins, parse_func),
                              warm_start=True)  # a custom parse function forks warm too
        pool: cf.Executor = own_pool
    else:
        pool = executor
    hard = isinstance(pool, WorkerPool) and pool.timeout is not None
    runner = _Runner(pool, 2 * _executor_slots(pool), limit, hard_timeout=hard)
    soft = None if isinstance(pool, WorkerPool) else limit
    try:
        for path in discover(paths):
            try:
                with open(path, "rb") as fh:
                    head = fh.read(SNIFF_BYTES)
            except OSError as exc:
                yield Result.failed(path, "UnreadableError", "unreadable",
                                    f"{path}: {exc.strerror or exc}")
                continue
            kind, what = sniff(head, path)
            if kind is None:
                yield Result.failed(path, "UnsupportedTypeError", "unsupported_type",
                                    f"{path}: not a report file type ({what})", skipped=True)
                continue
            runner.submit(_make_task(path, opts, pdir, parse_func, soft), None)
            for _, result in runner.poll(block=runner.full()):
                yield result
        for _, result in runner.drain():
            yield result
    except BaseException:
        if own_pool is not None:
            own_pool.terminate()
        raise
    finally:
        if own_pool is not None:
            own_pool.shutdown(wait=True)
