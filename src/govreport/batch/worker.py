"""The worker side of a batch: loading the parse function, warming the caches, and
:func:`parse_one` — the module-level task sent to any executor."""
from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from ..deadline import time_limit
from ..errors import GovReportError
from ..jsonsafe import report_json
from ..limits import cap_address_space, hard_stop_enabled
from ..options import Options

PARSE_FUNC_ENV = "GOVREPORT_BATCH_PARSE_FUNC"

# --------------------------------------------------------------------------- worker side

_FUNC_CACHE: dict[str, Callable[..., Any]] = {}
_SETUP_DONE: set[tuple[Any, ...]] = set()

_WARMUP_TEXT = (
    "某某区人民政府2023年政府信息公开工作年度报告\n"
    "一、总体情况\n本年度主动公开政府信息12条，依申请公开政府信息3件。\n"
    "三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请21件。\n"
    "五、存在的主要问题及改进情况\n政務公開工作仍存在不足，將進一步加強培訓。\n"
).encode()


def _load_func(spec: Any) -> Callable[..., Any]:
    """The parse function: ``None`` (govreport's), a callable, ``"module:function"`` or
    ``"/path/to/file.py:function"``."""
    if spec is None:
        from ..pipeline import parse

        return parse
    if callable(spec):
        return spec
    if spec in _FUNC_CACHE:
        return _FUNC_CACHE[spec]
    modname, _, attr = str(spec).rpartition(":")
    if not modname or not attr:
        raise ValueError(f"parse function {spec!r} is not 'module:function'")
    if modname.endswith(".py"):
        from ..plugins import import_file

        name = "_govreport_batch_func_" + hashlib.sha1(modname.encode()).hexdigest()[:10]
        module = sys.modules.get(name) or import_file(name, modname)
    else:
        import importlib

        module = importlib.import_module(modname)
    func = getattr(module, attr)
    _FUNC_CACHE[spec] = func
    return func


def warm_up(plugins_dir: str | None = None, disabled: Iterable[str] = (), *,
            parse_func: Any = None, sample: bool = True) -> None:
    """Build this process's expensive objects once: the plugin registry, the PDF reader,
    OpenCC and jieba (by parsing a tiny in-memory report). Errors are ignored here — the
    real parse reports them."""
    key = (plugins_dir, tuple(sorted(disabled)), parse_func if isinstance(parse_func, str) else None)
    if key in _SETUP_DONE:
        return
    _SETUP_DONE.add(key)
    if parse_func is not None:
        with contextlib.suppress(Exception):
            _load_func(parse_func)
        return
    with contextlib.suppress(Exception):
        from ..plugins import get_registry

        get_registry(plugins_dir, tuple(disabled))
    with contextlib.suppress(Exception):
        import pdfplumber  # noqa: F401
    with contextlib.suppress(Exception):
        from ..script import load_converters

        load_converters()
    if sample:
        with contextlib.suppress(BaseException):
            from ..pipeline import parse

            parse(_WARMUP_TEXT, options=Options(disabled_plugins=tuple(disabled)),
                  plugins_dir=plugins_dir)


def _peak_rss_mb() -> float | None:
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    except Exception:
        return None


def _current_rss_mb() -> float | None:
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except Exception:
        pass
    try:
        import psutil

        return psutil.Process().memory_info().rss / (1024 * 1024)
    except Exception:
        return _peak_rss_mb()


def _where(exc: BaseException) -> str | None:
    tb = traceback.extract_tb(exc.__traceback__)
    if not tb:
        return None
    frame = tb[-1]
    name = frame.filename
    i = name.rfind("govreport" + os.sep)
    name = name[i:] if i >= 0 else os.path.basename(name)
    return f"{name}:{frame.lineno} in {frame.name}"


def parse_one(task: dict[str, Any]) -> dict[str, Any]:
    """Parse one input in a worker: plain data in, plain data out, never raises.

    ``task``: ``path``; optional ``options`` (dict), ``plugins_dir``, ``timeout``
    (seconds, enforced inside the worker — for executors that cannot kill a worker),
    ``parse_func`` (``"module:function"``). Returns a dict with ``path``, ``ok``,
    ``report_json`` (the report object of docs/schema.md as JSON text) or ``error``
    (``type``/``code``/``message``), ``seconds``, ``worker`` (pid) and ``peak_rss_mb``.
    """
    t0 = time.perf_counter()
    path = task["path"]
    out: dict[str, Any] = {"path": path, "ok": False, "worker": os.getpid()}
    try:
        options = Options.coerce(task.get("options"))
        plugins_dir = task.get("plugins_dir")
        func_spec = task.get("parse_func")
        warm_up(plugins_dir, options.disabled_plugins, parse_func=func_spec,
                sample=task.get("warm", False))
        func = _load_func(func_spec)
        if hard_stop_enabled():  # a WorkerPool process: its address space is capped too
            cap_address_space(options.max_memory_mb)
        with time_limit(task.get("timeout"), path):
            report = func(path, options=options, plugins_dir=plugins_dir)
            data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
            # the input is what the batch says it is, whatever a plugin wrote there
            source = data.get("source")
            data["source"] = dict(source) if isinstance(source, dict) else {}
            data["source"]["path"] = path
            out["report_json"] = report_json(data)
        out["sha256"] = data["source"].get("sha256")
        out["ok"] = True
    except GovReportError as exc:
        bare = getattr(exc, "without_content", None)  # never a word of a non-report file
        message = f"{exc.path}: {bare}" if bare else str(exc)
        out["error"] = {"type": type(exc).__name__, "code": exc.code, "message": message}
    except BaseException as exc:  # a bug, a MemoryError, a SystemExit in a plugin …
        if isinstance(exc, KeyboardInterrupt):
            raise
        out["error"] = {"type": type(exc).__name__, "code": "internal",
                        "message": f"{path}: {type(exc).__name__}: {exc}",
                        "where": _where(exc)}
    out["seconds"] = round(time.perf_counter() - t0, 4)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out
