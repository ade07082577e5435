"""WorkerPool: results, exceptions, a hard timeout that kills the worker, crashes, recycling."""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time

import pytest

from govreport.batch import TaskTimeout, WorkerCrashedError, WorkerPool


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def test_results_exceptions_timeout_crash_and_recycling():
    pool = WorkerPool(2, timeout=1.0, max_tasks_per_child=3, warm_start=False)
    try:
        # plain results, in parallel
        futures = [pool.submit(pow, 2, i) for i in range(8)]
        assert [f.result(timeout=30) for f in futures] == [2 ** i for i in range(8)]
        # an exception in the task comes back as the future's exception
        with pytest.raises(ZeroDivisionError):
            pool.submit(divmod, 1, 0).result(timeout=30)

        # a task past the timeout: TaskTimeout, and its worker process is really gone
        hung = pool.submit(time.sleep, 60)
        pid_future = pool.submit(os.getpid)
        pid_other = pid_future.result(timeout=30)
        t0 = time.monotonic()
        with pytest.raises(TaskTimeout):
            hung.result(timeout=30)
        assert time.monotonic() - t0 < 5
        assert pool.stats["timeouts"] == 1
        # the pool goes on with a fresh worker
        assert pool.submit(pow, 3, 2).result(timeout=30) == 9

        # a worker that dies mid-task: WorkerCrashedError, then the pool goes on
        with pytest.raises(WorkerCrashedError):
            pool.submit(os._exit, 3).result(timeout=30)
        assert pool.submit(pow, 2, 10).result(timeout=30) == 1024

        # recycling: after max_tasks_per_child tasks a worker is replaced
        pids = {pool.submit(os.getpid).result(timeout=30) for _ in range(12)}
        assert len(pids) >= 3
        assert pool.stats["recycled"] >= 2
        assert pid_other  # silence the linter
    finally:
        pool.shutdown(wait=True)


def test_killed_worker_is_dead():
    pool = WorkerPool(1, timeout=0.5, warm_start=False)
    try:
        pid = pool.submit(os.getpid).result(timeout=30)
        with pytest.raises(TaskTimeout):
            pool.submit(time.sleep, 60).result(timeout=30)
        # the worker that ran sleep(60) was the same process; it must be gone now
        assert not _alive(pid)
    finally:
        pool.shutdown()


def _slow_init(seconds):
    time.sleep(seconds)


def test_warm_up_does_not_count_against_the_timeout():
    pool = WorkerPool(1, timeout=0.3, initializer=_slow_init, initargs=(0.6,), warm_start=False)
    try:
        assert pool.submit(pow, 2, 2).result(timeout=30) == 4
    finally:
        pool.shutdown()


def test_cancel_and_terminate():
    pool = WorkerPool(1, warm_start=False)
    running = pool.submit(time.sleep, 30)
    queued = [pool.submit(pow, 2, i) for i in range(3)]
    time.sleep(0.3)
    pool.terminate()
    assert all(f.cancelled() for f in queued)
    with pytest.raises((cf.CancelledError, WorkerCrashedError)):
        running.result(timeout=10)
    with pytest.raises(RuntimeError):
        pool.submit(pow, 1, 1)


def test_shutdown_waits_for_queued_work():
    with WorkerPool(2, warm_start=False) as pool:
        futures = [pool.submit(pow, 3, i) for i in range(6)]
    assert all(f.done() for f in futures)
    assert isinstance(futures[0], cf.Future)


def test_worker_past_the_memory_limit_is_replaced():
    # a fresh interpreter: a worker forked from the warm fork server starts with jieba
    spawn = multiprocessing.get_context("spawn")
    pool = WorkerPool(1, max_rss_mb=120, mp_context=spawn)
    try:
        first = pool.submit(os.getpid).result(timeout=30)
        pool.submit(exec, "import sys; sys._hog = b'x' * (160 * 2**20)").result(timeout=30)
        assert pool.submit(os.getpid).result(timeout=30) != first
        assert pool.stats["recycled"] == 1
    finally:
        pool.shutdown()


def test_workers_hanging_at_start_up_break_the_pool_with_a_message(monkeypatch):
    """A worker whose warm-up never ends (a plugin stuck at import) is killed at the
    start-up deadline; after three in a row the pool gives up: queued tasks and later
    submissions get WorkersUnavailableError saying why, instead of waiting forever."""
    from govreport.batch import pool as pool_module
    from govreport.batch.results import WorkersUnavailableError

    monkeypatch.setattr(pool_module, "STARTUP_TIMEOUT", 0.5)
    pool = WorkerPool(1, initializer=time.sleep, initargs=(600,), warm_start=False)
    try:
        started = time.monotonic()
        future = pool.submit(pow, 2, 3)
        with pytest.raises(WorkersUnavailableError, match=r"start-up took over 0\.5 s three times"):
            future.result(timeout=30)
        assert time.monotonic() - started < 20
        assert pool.stats["started"] == 3
        with pytest.raises(WorkersUnavailableError):
            pool.submit(pow, 2, 3)
    finally:
        pool.terminate()


@pytest.mark.parametrize("code, error, kind", [
    (86, "LimitExceededError", "limit_exceeded"),
    (87, "ParseTimeoutError", "timeout"),
])
def test_a_worker_ended_by_its_own_limit_watchdog_fails_its_task_with_that_limit(code, error, kind):
    """Exit codes 86/87 are the worker's own watchdog (memory / time limit): the task
    fails with WorkerLimitError carrying the limit's error type and code, the batch
    records it as such, and the pool replaces the worker."""
    from govreport.batch.results import WorkerLimitError
    from govreport.batch.scheduling import _result_from_exception

    pool = WorkerPool(1, warm_start=False)
    try:
        future = pool.submit(os._exit, code)
        with pytest.raises(WorkerLimitError) as raised:
            future.result(timeout=30)
        assert (raised.value.type, raised.value.code) == (error, kind)
        result = _result_from_exception("r.pdf", raised.value, None)
        assert result.error is not None
        assert (result.error.type, result.error.code) == (error, kind)
        assert pool.submit(pow, 2, 5).result(timeout=30) == 32  # a new worker took over
    finally:
        pool.shutdown()
