"""Scheduling the documents of one run on an executor: the default :class:`WorkerPool`
or any other, a bounded window of tasks in flight, every outcome turned into a
:class:`Result`, and the one per-document timeout."""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import time
from collections.abc import Iterator
from typing import Any

from ..errors import GovReportError, ParseTimeoutError
from ..options import Options
from .pool import WorkerPool, _pool_initializer, default_workers
from .results import Result, TaskTimeout, WorkerCrashedError, WorkerLimitError, WorkersUnavailableError
from .worker import _where, parse_one

DEFAULT_TIMEOUT = 120.0          # seconds per document


def resolve_timeout(timeout: float | None, options: Options) -> float | None:
    """The per-document limit of a batch: ``timeout``, else ``options.timeout``, else
    :data:`DEFAULT_TIMEOUT`; ``0`` or less is none. It is enforced in one place only: the
    :class:`WorkerPool` kills a worker past it; an executor that cannot kill gets it as the
    worker's own alarm (``task["timeout"]``). The parse itself runs without a timeout."""
    if timeout is None:
        timeout = options.timeout if options.timeout is not None else DEFAULT_TIMEOUT
    return timeout if timeout and timeout > 0 else None


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


class Scheduler:
    """The tasks of one run: ``with Scheduler(...) as s: s.submit(path, tag) ... s.drain()``.

    Without an ``executor`` it starts (and at the end stops) its own :class:`WorkerPool`;
    on leaving with an exception (Ctrl-C, a closed generator) that pool is terminated.
    """

    def __init__(self, executor: cf.Executor | None, *, timeout: float | None, options: Options,
                 plugins_dir: str | None, parse_func: Any, workers: int | None = None,
                 **pool_knobs: Any):
        self.options, self.plugins_dir, self.parse_func = options, plugins_dir, parse_func
        self.own_pool: WorkerPool | None = None
        if executor is None:
            self.own_pool = WorkerPool(workers, timeout=timeout, initializer=_pool_initializer,
                                       initargs=(plugins_dir, options.disabled_plugins, parse_func),
                                       warm_start=True, **pool_knobs)  # a custom parse function forks warm too
            executor = self.own_pool
        kills = isinstance(executor, WorkerPool) and executor.timeout is not None
        self.runner = _Runner(executor, 2 * _executor_slots(executor), timeout, hard_timeout=kills)
        self.worker_alarm = None if isinstance(executor, WorkerPool) else timeout

    def __enter__(self) -> Scheduler:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self.own_pool is not None:
            if exc_type is not None:
                self.own_pool.terminate()
            else:
                self.own_pool.shutdown(wait=True)

    def task(self, path: str) -> dict[str, Any]:
        """The plain-data task of ``path`` (picklable to any executor)."""
        options = self.options.to_dict()
        options.pop("timeout", None)  # the run's limit applies, once (see resolve_timeout)
        task: dict[str, Any] = {"path": path, "options": options, "plugins_dir": self.plugins_dir}
        if self.parse_func is not None:
            task["parse_func"] = self.parse_func
        if self.worker_alarm:
            task["timeout"] = self.worker_alarm
        return task

    def submit(self, path: str, tag: Any) -> None:
        self.runner.submit(self.task(path), tag)

    def full(self) -> bool:
        return self.runner.full()

    def poll(self, block: bool) -> list[tuple[Any, Result]]:
        return self.runner.poll(block)

    def drain(self) -> Iterator[tuple[Any, Result]]:
        return self.runner.drain()
