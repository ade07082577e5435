"""Parse many reports at once: ``parse_many`` (Python API) and the ``batch`` run behind
``govreport batch`` (resumable output folder).

Design (docs/batch.md):

* Work is sent to any :class:`concurrent.futures.Executor` as a module-level function
  (:func:`parse_one`) over plain data — a path, the options as a dict, the plugins
  folder — so it pickles to a process pool or to a Dask cluster alike. Heavy objects
  (OpenCC, jieba, the plugin registry) are built once per worker process by the
  module-level caches of the stages; :func:`warm_up` builds them before the first task.
* The default executor is :class:`WorkerPool`: one process per worker, fed one task at a
  time, so a document that runs past its timeout is really stopped — its worker is
  killed (SIGKILL) and replaced — and the run goes on. Workers are also recycled after
  ``max_tasks_per_child`` documents or when their memory grows past ``max_rss_mb``.
* Nothing is held in memory beyond a bounded window of tasks in flight: results are
  yielded (``parse_many``) or appended and flushed to ``reports.jsonl`` /
  ``errors.jsonl`` (``run_batch``) as they arrive.
* A bad input is a failed :class:`Result`, never an exception.
"""
from __future__ import annotations

from .discovery import DATA_EXTENSIONS, REPORT_EXTENSIONS, SNIFF_BYTES, discover, hash_and_head, sniff
from .parse_many import DEFAULT_TIMEOUT, parse_many
from .pool import DEFAULT_MAX_RSS_MB, DEFAULT_MAX_TASKS_PER_CHILD, WorkerPool, _start_warm_forkserver, default_workers
from .results import ErrorInfo, Result, TaskTimeout, WorkerCrashedError, WorkersUnavailableError
from .run import BatchSummary, options_fingerprint, run_batch
from .worker import PARSE_FUNC_ENV, parse_one, warm_up

__all__ = [
    "parse_many", "parse_one", "Result", "ErrorInfo", "WorkerPool", "run_batch",
    "BatchSummary", "sniff", "discover", "hash_and_head", "options_fingerprint", "warm_up",
    "TaskTimeout", "WorkerCrashedError", "WorkersUnavailableError", "default_workers",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RSS_MB", "DEFAULT_MAX_TASKS_PER_CHILD", "PARSE_FUNC_ENV",
    "REPORT_EXTENSIONS", "DATA_EXTENSIONS", "SNIFF_BYTES", "_start_warm_forkserver",
]
