"""Parse many reports at once: ``parse_many`` (Python API) and the ``batch`` run behind
``govreport batch`` (resumable output folder).

Design (DESIGN.md, "Batch at archive scale"):

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

import codecs
import collections
import concurrent.futures as cf
import contextlib
import ctypes
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .deadline import time_limit
from .errors import GovReportError, ParseTimeoutError
from .options import Options

DEFAULT_TIMEOUT = 120.0          # seconds per document
DEFAULT_MAX_TASKS_PER_CHILD = 500
DEFAULT_MAX_RSS_MB = 1024.0      # recycle a worker whose resident memory grew past this
PARSE_FUNC_ENV = "GOVREPORT_BATCH_PARSE_FUNC"

__all__ = [
    "parse_many", "parse_one", "Result", "ErrorInfo", "WorkerPool", "run_batch",
    "BatchSummary", "sniff", "discover", "options_fingerprint", "warm_up",
    "TaskTimeout", "WorkerCrashedError", "DEFAULT_TIMEOUT",
]


# --------------------------------------------------------------------------- errors

class TaskTimeout(Exception):
    """Set on a :class:`WorkerPool` future whose task ran past the timeout (worker killed)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"no result within {seconds:g} s; the worker process was killed")


class WorkerCrashedError(Exception):
    """Set on a :class:`WorkerPool` future whose worker process died while running it."""


# --------------------------------------------------------------------------- results

@dataclass(frozen=True)
class ErrorInfo:
    """Why one input failed: the error class name, its short code and one-line message."""

    type: str
    code: str
    message: str
    where: str | None = None  # file:line of an unexpected exception (a bug, not the input)

    def to_dict(self) -> dict[str, Any]:
        d = {"type": self.type, "code": self.code, "message": self.message}
        if self.where:
            d["where"] = self.where
        return d

    def __str__(self) -> str:
        return f"{self.type}: {self.message}"


class Result:
    """The outcome of one input of :func:`parse_many`.

    ``ok`` tells which of ``report`` (the SCHEMA §1 dict, decoded on first access) and
    ``error`` (:class:`ErrorInfo`) is set. ``skipped`` marks a file that is not a report
    type at all (an image, an archive, a data file); it is also ``ok=False``.
    """

    __slots__ = ("path", "ok", "error", "skipped", "sha256", "seconds", "worker",
                 "peak_rss_mb", "report_json", "_report")

    def __init__(self, path: str, ok: bool, *, report_json: str | None = None,
                 report: dict[str, Any] | None = None, error: ErrorInfo | None = None,
                 skipped: bool = False, sha256: str | None = None, seconds: float = 0.0,
                 worker: Any = None, peak_rss_mb: float | None = None):
        self.path = path
        self.ok = ok
        self.report_json = report_json
        self._report = report
        self.error = error
        self.skipped = skipped
        self.sha256 = sha256
        self.seconds = seconds
        self.worker = worker
        self.peak_rss_mb = peak_rss_mb

    @property
    def report(self) -> dict[str, Any] | None:
        if self._report is None and self.report_json is not None:
            self._report = json.loads(self.report_json)
        return self._report

    def __repr__(self) -> str:
        what = "ok" if self.ok else f"{'skipped' if self.skipped else 'failed'}: {self.error}"
        return f"<Result {self.path!r} {what}>"

    @classmethod
    def failed(cls, path: str, type_: str, code: str, message: str, *, skipped: bool = False,
               sha256: str | None = None, seconds: float = 0.0, where: str | None = None
               ) -> "Result":
        return cls(path, False, error=ErrorInfo(type_, code, message, where), skipped=skipped,
                   sha256=sha256, seconds=seconds)

    @classmethod
    def from_worker(cls, data: dict[str, Any]) -> "Result":
        err = data.get("error")
        return cls(data["path"], bool(data["ok"]), report_json=data.get("report_json"),
                   error=ErrorInfo(**err) if err else None, sha256=data.get("sha256"),
                   seconds=data.get("seconds", 0.0), worker=data.get("worker"),
                   peak_rss_mb=data.get("peak_rss_mb"))


# --------------------------------------------------------------------------- sniffing

REPORT_EXTENSIONS = frozenset({".pdf", ".html", ".htm", ".shtml", ".xhtml", ".txt", ".text",
                               ".md", ".markdown", ".docx", ".doc", ".wps"})
DATA_EXTENSIONS = frozenset({".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".xml", ".yaml",
                             ".yml", ".toml", ".ini", ".cfg", ".parquet", ".py", ".js", ".css",
                             ".sql", ".log", ".xls", ".xlsx", ".ppt", ".pptx"})
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"), (b"GIF89a", "GIF image"), (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"), (b"BM", "BMP image"), (b"\x00\x00\x01\x00", "icon"),
    (b"Rar!\x1a\x07", "RAR archive"), (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x1f\x8b", "gzip archive"), (b"BZh", "bzip2 archive"), (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x7fELF", "executable"), (b"MZ", "Windows executable"), (b"{\\rtf", "RTF document"),
    (b"%!PS", "PostScript document"), (b"PAR1", "Parquet file"), (b"SQLite format 3", "SQLite database"),
    (b"ID3", "MP3 audio"), (b"OggS", "Ogg media"), (b"wOFF", "web font"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta ", b"<table", b"<div",
                 b"<p>", b"<p ", b"<title")
SNIFF_BYTES = 64 * 1024


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
               or "\uf900" <= ch <= "\ufaff")


def _decode_head(head: bytes) -> str | None:
    """Decode the first bytes of a text file, or None when they are not text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encs: tuple[str, ...] = ("utf-16",)
    else:
        encs = ("utf-8-sig", "gb18030", "big5")
    for enc in encs:
        try:
            return codecs.getincrementaldecoder(enc)().decode(head, final=False)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def sniff(head: bytes, path: str = "", size: int | None = None) -> tuple[str | None, str]:
    """Classify a file by its first bytes (and, as a hint, its extension).

    Returns ``(kind, description)``: ``kind`` is ``"pdf"``, ``"docx"``, ``"html"``,
    ``"text"`` or ``"unknown"`` for inputs to parse, or ``None`` for a file that is not a
    report file type at all (then ``description`` says what it is). A file named like a
    report (``.pdf``, ``.html``, ``.txt``, ``.docx`` …) is always an input, even when
    empty or damaged: the parser then says exactly what is wrong with it.
    """
    ext = os.path.splitext(path)[1].lower()
    named_report = ext in REPORT_EXTENSIONS
    if b"%PDF-" in head[:1024]:
        return "pdf", "PDF"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if ext == ".docx" or b"word/" in head[:4096]:
            return "docx", "DOCX"
        try:
            with zipfile.ZipFile(path) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx", "DOCX"
        except Exception:
            pass
        return ("unknown", "damaged ZIP") if named_report else (None, "ZIP archive")
    if head.startswith(_OLE):
        if ext in (".doc", ".docx", ".wps"):
            return "unknown", "legacy Office document"
        return None, "legacy Office file (.xls/.ppt/.msg)"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            if len(magic) <= 2 and _decode_head(head) is not None:
                break  # "BM…"/"MZ…" text, not a binary
            return ("unknown", what) if named_report else (None, what)
    if not head:
        return ("unknown", "empty file") if named_report else (None, "empty file")
    lower = head[:4096].lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if lower.startswith(b"<") and any(m in lower for m in _HTML_MARKERS):
        return "html", "HTML"
    if ext in DATA_EXTENSIONS:
        return None, f"data file ({ext})"
    text = _decode_head(head)
    if text is None:
        return ("unknown", "binary data") if named_report else (None, "binary data")
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\x1b")
    if controls > max(2, len(text) // 100):
        return ("unknown", "binary data") if named_report else (None, "binary data")
    if any(m in lower for m in (b"<html", b"<body")):
        return "html", "HTML"
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        first = stripped.split("\n", 1)[0]
        with contextlib.suppress(ValueError):
            json.loads(first)
            return (("text", "text") if named_report else (None, "JSON data"))
    if named_report or _cjk_count(text[:20000]) >= 8:
        return "text", "text"
    return None, "text without Chinese"


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or name in ("__MACOSX", "__pycache__")


def discover(inputs: Iterable[str | os.PathLike[str]], *,
             exclude: Iterable[str | os.PathLike[str]] = ()) -> Iterator[str]:
    """Absolute paths of every file under ``inputs`` (folders recursively, sorted).

    Hidden files and folders (``.git``, ``.DS_Store`` …) and the ``exclude`` folders (the
    output folder) are left out; symlinked folders are not followed. Paths that do not
    exist are yielded as given so the caller can report them.
    """
    excluded = {os.path.realpath(os.fspath(e)) for e in exclude}
    for item in inputs:
        p = os.path.abspath(os.fspath(item))
        if not os.path.isdir(p):
            yield p
            continue
        if os.path.realpath(p) in excluded:
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not _is_hidden(d)
                             and os.path.realpath(os.path.join(root, d)) not in excluded)
            for name in sorted(files):
                if not _is_hidden(name):
                    yield os.path.join(root, name)


def hash_and_head(path: str, head_bytes: int = SNIFF_BYTES) -> tuple[str, bytes, int]:
    """(sha256 hex, first bytes, size) of a file, reading it once."""
    h = hashlib.sha256()
    head = b""
    size = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            if len(head) < head_bytes:
                head += chunk[:head_bytes - len(head)]
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), head, size


def options_fingerprint(options: Options | dict[str, Any] | None,
                        plugins_dir: str | os.PathLike[str] | None = None,
                        parse_func: Any = None) -> str:
    """A short stable id of everything that changes a parse's result.

    The time and memory limits are left out (rerun failures with higher ones through
    ``--retry-failed``); a password counts only as present/absent, so it is never written
    to disk.
    """
    opts = Options.coerce(options).to_dict()
    opts.pop("timeout", None)
    opts.pop("max_memory_mb", None)
    opts["password"] = bool(opts.get("password"))
    opts["disabled_plugins"] = sorted(opts.get("disabled_plugins") or ())
    opts["plugins_dir"] = os.path.abspath(os.fspath(plugins_dir)) if plugins_dir else None
    if parse_func is not None:
        opts["parse_func"] = parse_func if isinstance(parse_func, str) else \
            f"{getattr(parse_func, '__module__', '?')}:{getattr(parse_func, '__qualname__', '?')}"
    blob = json.dumps(opts, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


# --------------------------------------------------------------------------- worker side

_FUNC_CACHE: dict[str, Callable[..., Any]] = {}
_SETUP_DONE: set[tuple[Any, ...]] = set()

_WARMUP_TEXT = (
    "某某区人民政府2023年政府信息公开工作年度报告\n"
    "一、总体情况\n本年度主动公开政府信息12条，依申请公开政府信息3件。\n"
    "三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请21件。\n"
    "五、存在的主要问题及改进情况\n政務公開工作仍存在不足，將進一步加強培訓。\n"
).encode("utf-8")


def _load_func(spec: Any) -> Callable[..., Any]:
    """The parse function: ``None`` (govreport's), a callable, ``"module:function"`` or
    ``"/path/to/file.py:function"``."""
    if spec is None:
        from .pipeline import parse

        return parse
    if callable(spec):
        return spec
    if spec in _FUNC_CACHE:
        return _FUNC_CACHE[spec]
    modname, _, attr = str(spec).rpartition(":")
    if not modname or not attr:
        raise ValueError(f"parse function {spec!r} is not 'module:function'")
    if modname.endswith(".py"):
        from .plugins import import_file

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
        from .plugins import get_registry

        get_registry(plugins_dir, tuple(disabled))
    with contextlib.suppress(Exception):
        import pdfplumber  # noqa: F401
    if sample:
        with contextlib.suppress(BaseException):
            from .pipeline import parse

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
    ``report_json`` (the SCHEMA §1 object as JSON text) or ``error``
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
        with time_limit(task.get("timeout"), path):
            report = func(path, options=options, plugins_dir=plugins_dir)
            data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
        out["report_json"] = json.dumps(data, ensure_ascii=False, default=str)
        out["sha256"] = (data.get("source") or {}).get("sha256")
        out["ok"] = True
    except GovReportError as exc:
        out["error"] = {"type": type(exc).__name__, "code": exc.code, "message": str(exc)}
    except BaseException as exc:  # a bug, a MemoryError, a SystemExit in a plugin …
        if isinstance(exc, KeyboardInterrupt):
            raise
        out["error"] = {"type": type(exc).__name__, "code": "internal",
                        "message": f"{path}: {type(exc).__name__}: {exc}",
                        "where": _where(exc)}
    out["seconds"] = round(time.perf_counter() - t0, 4)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


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


def _worker_main(conn: Any, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    with contextlib.suppress(Exception):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _arm_parent_death()
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
        self.stats = collections.Counter()  # started, timeouts, crashes, recycled

    # -- Executor API
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot submit to a WorkerPool after shutdown")
            if self._broken:
                raise RuntimeError(f"WorkerPool is broken: {self._broken}")
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
                                f.set_exception(RuntimeError(f"WorkerPool is broken: {self._broken}"))
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
                        f.set_exception(RuntimeError(f"WorkerPool is broken: {self._broken}"))
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
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except Exception:
        return max(1, os.cpu_count() or 1)


def _pool_initializer(plugins_dir: str | None, disabled: tuple[str, ...], parse_func: Any) -> None:
    warm_up(plugins_dir, disabled, parse_func=parse_func, sample=True)


# --------------------------------------------------------------------------- scheduling

def _result_from_exception(path: str, exc: BaseException, timeout: float | None) -> Result:
    if isinstance(exc, TaskTimeout):
        return Result.failed(path, "ParseTimeoutError", ParseTimeoutError.code,
                             f"{path}: no result within {exc.seconds:g} s; the worker process "
                             "was killed", seconds=exc.seconds)
    if isinstance(exc, WorkerCrashedError):
        return Result.failed(path, "WorkerCrashedError", "crash", f"{path}: {exc}")
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
                if isinstance(exc, KeyboardInterrupt):
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
    own = executor is None
    if own:
        executor = WorkerPool(workers, timeout=limit, initializer=_pool_initializer,
                              initargs=(pdir, opts.disabled_plugins, parse_func),
                              warm_start=parse_func is None)
    hard = isinstance(executor, WorkerPool) and executor.timeout is not None
    runner = _Runner(executor, 2 * _executor_slots(executor), limit, hard_timeout=hard)
    soft = None if isinstance(executor, WorkerPool) else limit
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
        if own:
            executor.terminate()  # type: ignore[union-attr]
        raise
    finally:
        if own:
            executor.shutdown(wait=True)


# --------------------------------------------------------------------------- batch run

@dataclass
class BatchSummary:
    """Counts of one ``run_batch`` (previous runs' results included)."""

    total: int = 0
    parsed: int = 0
    failed: int = 0
    skipped: int = 0
    resumed: int = 0          # settled by an earlier run
    copied: int = 0           # same content as another input: result copied, not reparsed
    new_parsed: int = 0
    new_failed: int = 0
    seconds: float = 0.0
    error_types: collections.Counter = field(default_factory=collections.Counter)
    skipped_kinds: collections.Counter = field(default_factory=collections.Counter)
    skipped_paths: list[str] = field(default_factory=list)
    failed_examples: dict[str, str] = field(default_factory=dict)
    peak_rss_mb: dict[Any, float] = field(default_factory=dict)  # worker -> MiB
    repaired: list[str] = field(default_factory=list)
    bad_lines: int = 0
    outputs: list[str] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.parsed + self.failed + self.skipped

    @property
    def exit_status(self) -> int:
        return 1 if self.failed else 0


_MAX_LISTED = 1000


def _note_skipped(summary: BatchSummary, path: str) -> None:
    if len(summary.skipped_paths) < _MAX_LISTED:  # the full list is in errors.jsonl
        summary.skipped_paths.append(path)


def _batch_prefix(meta: dict[str, Any]) -> str:
    return '{"batch": ' + json.dumps(meta, ensure_ascii=False) + ", "


def _report_line(report_json: str, meta: dict[str, Any]) -> str:
    body = report_json.strip()
    if body == "{}" or not body.startswith("{"):
        return _batch_prefix(meta)[:-2] + "}\n"
    return _batch_prefix(meta) + body[1:] + "\n"


class _BatchState:
    """What an output folder already holds, keyed by (input, sha256, options)."""

    def __init__(self) -> None:
        self.ok: set[tuple[str, str, str]] = set()
        self.ok_content: dict[tuple[str, str], int] = {}
        self.err: dict[tuple[str, str, str], tuple[bool, str, str, str]] = {}
        self.err_content: dict[tuple[str, str], int] = {}
        self.bad_lines = 0

    def load(self, reports: Path, errors: Path) -> None:
        from .outputs import iter_lines, read_batch_meta

        for offset, line in iter_lines(reports):
            meta = read_batch_meta(line)
            if meta is None or "input" not in meta:
                self.bad_lines += 1
                continue
            key = (meta["input"], meta.get("sha256") or "", meta.get("options") or "")
            self.ok.add(key)
            self.ok_content.setdefault(key[1:], offset)
        for offset, line in iter_lines(errors):
            try:
                rec = json.loads(line)
                key = (rec["path"], rec.get("sha256") or "", rec.get("options") or "")
            except (ValueError, KeyError, TypeError):
                self.bad_lines += 1
                continue
            skipped = bool(rec.get("skipped"))
            self.err[key] = (skipped, rec.get("type", "?"), rec.get("skip_kind") or "",
                             rec.get("message", ""))
            if not skipped and key[1]:
                self.err_content.setdefault(key[1:], offset)


def _retry_rewrite(errors: Path, inputs: set[str]) -> int:
    """Drop the failures of ``inputs`` from errors.jsonl (atomically) so they run again."""
    from .outputs import atomic_writer, iter_lines

    if not errors.exists():
        return 0
    dropped = 0
    with atomic_writer(errors, binary=True) as out:
        for _, line in iter_lines(errors):
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if not rec.get("skipped") and rec.get("path") in inputs:
                dropped += 1
                continue
            out.write(line + b"\n")
    return dropped


def _read_line_at(path: Path, offset: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.readline().rstrip(b"\n")


def run_batch(inputs: Iterable[str | os.PathLike[str]], outdir: str | os.PathLike[str], *,
              workers: int | None = None, timeout: float | None = None,
              formats: Iterable[str] = ("jsonl", "csv"), retry_failed: bool = False,
              resume: bool = True, options: Options | dict[str, Any] | None = None,
              plugins_dir: str | os.PathLike[str] | None = None,
              executor: cf.Executor | None = None, parse_func: Any = None,
              progress: Any = None, max_tasks_per_child: int | None = DEFAULT_MAX_TASKS_PER_CHILD,
              max_rss_mb: float | None = DEFAULT_MAX_RSS_MB) -> BatchSummary:
    """Parse ``inputs`` into ``outdir`` (see docs/batch.md); resumable, append-only.

    ``progress``, if given, gets ``start(total)``, ``update(summary)`` and
    ``finish(summary)`` calls.
    """
    from .outputs import (ERRORS_JSONL, REPORTS_JSONL, JsonlAppender, OutdirLock,
                          export_tables, remove_outputs, remove_stale_temporaries, repair_tail)

    t0 = time.monotonic()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    opts = Options.coerce(options)
    limit = _resolve_timeout(timeout, opts)
    pdir = os.path.abspath(os.fspath(plugins_dir)) if plugins_dir else None
    fp = options_fingerprint(opts, pdir, parse_func)
    summary = BatchSummary()
    formats = [f.strip().lower() for f in formats if f.strip()]
    reports_path, errors_path = out / REPORTS_JSONL, out / ERRORS_JSONL

    with OutdirLock(out):
        remove_stale_temporaries(out)
        if not resume:
            remove_outputs(out)
        for p in (reports_path, errors_path):
            if repair_tail(p):
                summary.repaired.append(str(p))
        paths = list(dict.fromkeys(discover(inputs, exclude=[out])))
        summary.total = len(paths)
        if retry_failed:
            _retry_rewrite(errors_path, set(paths))
        state = _BatchState()
        state.load(reports_path, errors_path)
        summary.bad_lines = state.bad_lines

        own = executor is None
        if own:
            executor = WorkerPool(workers, timeout=limit, initializer=_pool_initializer,
                                  initargs=(pdir, opts.disabled_plugins, parse_func),
                                  max_tasks_per_child=max_tasks_per_child, max_rss_mb=max_rss_mb,
                                  warm_start=parse_func is None)
        hard = isinstance(executor, WorkerPool) and executor.timeout is not None
        runner = _Runner(executor, 2 * _executor_slots(executor), limit, hard_timeout=hard)
        soft = None if isinstance(executor, WorkerPool) else limit
        groups: dict[tuple[str, str], list[str]] = {}
        if progress is not None:
            progress.start(summary.total)

        def count_error(type_: str, message: str) -> None:
            summary.failed += 1
            summary.error_types[type_] += 1
            summary.failed_examples.setdefault(type_, message)

        def write_error(path: str, sha: str, err: ErrorInfo, *, skipped: bool = False,
                        skip_kind: str | None = None, seconds: float = 0.0) -> None:
            rec: dict[str, Any] = {"path": path, "sha256": sha, **err.to_dict(),
                                   "options": fp, "seconds": round(seconds, 4),
                                   "skipped": skipped}
            if skip_kind:
                rec["skip_kind"] = skip_kind
            offset = errs.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if not skipped and sha:
                state.err_content.setdefault((sha, fp), offset)

        def copy_report(path: str, sha: str, offset: int) -> None:
            data = json.loads(_read_line_at(reports_path, offset))
            meta = dict(data.pop("batch", {}) or {})
            old = meta.get("input")
            meta.update(input=path, copied_from=old, seconds=0.0)
            if isinstance(data.get("source"), dict):
                data["source"]["path"] = path
            reps.write(_report_line(json.dumps(data, ensure_ascii=False), meta))
            summary.parsed += 1
            summary.copied += 1

        def copy_error(path: str, sha: str, offset: int) -> None:
            rec = json.loads(_read_line_at(errors_path, offset))
            old = rec.get("path", "")
            rec.update(path=path, seconds=0.0, copied_from=old)
            if old and isinstance(rec.get("message"), str):
                rec["message"] = rec["message"].replace(old, path)
            errs.write(json.dumps(rec, ensure_ascii=False) + "\n")
            count_error(rec.get("type", "?"), rec.get("message", ""))
            summary.copied += 1

        def settle(tag: tuple[str, str], result: Result) -> None:
            sha = tag[0]
            members = groups.pop((sha, fp), [result.path])
            if result.worker is not None and result.peak_rss_mb:
                prev = summary.peak_rss_mb.get(result.worker, 0.0)
                summary.peak_rss_mb[result.worker] = max(prev, result.peak_rss_mb)
            first, rest = members[0], members[1:]
            if result.ok and result.report_json is not None:
                meta = {"input": first, "sha256": sha, "options": fp,
                        "seconds": round(result.seconds, 4)}
                offset = reps.write(_report_line(result.report_json, meta))
                state.ok_content.setdefault((sha, fp), offset)
                summary.parsed += 1
                summary.new_parsed += 1
                for other in rest:
                    copy_report(other, sha, offset)
            else:
                err = result.error or ErrorInfo("InternalError", "internal", f"{first}: no result")
                write_error(first, sha, err, seconds=result.seconds)
                count_error(err.type, err.message)
                summary.new_failed += 1
                offset = state.err_content.get((sha, fp))
                for other in rest:
                    if offset is not None:
                        copy_error(other, sha, offset)
                    else:
                        write_error(other, sha, err)
                        count_error(err.type, err.message)
            if progress is not None:
                progress.update(summary)

        interrupted = True
        with JsonlAppender(reports_path) as reps, JsonlAppender(errors_path) as errs:
            try:
                for path in paths:
                    for tag, result in runner.poll(block=False):
                        settle(tag, result)
                    try:
                        sha, head, size = hash_and_head(path)
                    except OSError as exc:
                        key = (path, "", fp)
                        if key in state.err:
                            summary.resumed += 1
                            count_error(state.err[key][1], state.err[key][3])
                        else:
                            err = ErrorInfo("UnreadableError", "unreadable",
                                            f"{path}: {exc.strerror or exc}")
                            write_error(path, "", err)
                            count_error(err.type, err.message)
                        if progress is not None:
                            progress.update(summary)
                        continue
                    key = (path, sha, fp)
                    if key in state.ok:
                        summary.parsed += 1
                        summary.resumed += 1
                    elif key in state.err:
                        skipped, type_, kind, message = state.err[key]
                        summary.resumed += 1
                        if skipped:
                            summary.skipped += 1
                            summary.skipped_kinds[kind or type_] += 1
                            _note_skipped(summary, path)
                        else:
                            count_error(type_, message)
                    else:
                        kind, what = sniff(head, path, size)
                        if kind is None:
                            write_error(path, sha, ErrorInfo(
                                "UnsupportedTypeError", "unsupported_type",
                                f"{path}: not a report file type ({what})"),
                                skipped=True, skip_kind=what)
                            summary.skipped += 1
                            summary.skipped_kinds[what] += 1
                            _note_skipped(summary, path)
                        elif (sha, fp) in state.ok_content:
                            copy_report(path, sha, state.ok_content[(sha, fp)])
                        elif (sha, fp) in state.err_content:
                            copy_error(path, sha, state.err_content[(sha, fp)])
                        elif (sha, fp) in groups:
                            groups[(sha, fp)].append(path)
                            continue
                        else:
                            groups[(sha, fp)] = [path]
                            runner.submit(_make_task(path, opts, pdir, parse_func, soft), (sha,))
                            while runner.full():
                                for tag, result in runner.poll(block=True):
                                    settle(tag, result)
                            continue
                    if progress is not None:
                        progress.update(summary)
                for tag, result in runner.drain():
                    settle(tag, result)
                interrupted = False
            finally:
                if own:
                    if interrupted:
                        executor.terminate()  # type: ignore[union-attr]
                    else:
                        executor.shutdown(wait=True)
        summary.outputs = [str(reports_path), str(errors_path)]
        summary.outputs += [str(p) for p in export_tables(out, formats)]
    summary.seconds = time.monotonic() - t0
    if progress is not None:
        progress.finish(summary)
    return summary


if os.environ.get(_WARM_ENV) == str(os.getppid()):  # imported by the fork server (above)
    os.environ.pop(_WARM_ENV, None)
    warm_up(None, ())
