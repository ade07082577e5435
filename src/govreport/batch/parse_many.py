"""``parse_many``: yield a :class:`Result` per input over any executor, keeping only a
bounded window of tasks in flight."""
from __future__ import annotations

import concurrent.futures as cf
import os
from collections.abc import Iterable, Iterator
from typing import Any

from ..options import Options
from .discovery import SNIFF_BYTES, discover, sniff
from .results import Result
from .scheduling import Scheduler, resolve_timeout


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
    limit = resolve_timeout(timeout, opts)
    pdir = os.path.abspath(os.fspath(plugins_dir)) if plugins_dir else None
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    with Scheduler(executor, timeout=limit, options=opts, plugins_dir=pdir, parse_func=parse_func,
                   workers=workers) as scheduler:
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
            scheduler.submit(path, None)
            for _, result in scheduler.poll(block=scheduler.full()):
                yield result
        for _, result in scheduler.drain():
            yield result
