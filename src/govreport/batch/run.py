"""``run_batch``: parse inputs into a resumable, append-only output folder
(``reports.jsonl``, ``errors.jsonl``, table exports)."""
from __future__ import annotations

import collections
import concurrent.futures as cf
import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..options import Options
from .compact import remove_superseded
from .discovery import discover, hash_and_head, input_problem, sniff
from .parse_many import _executor_slots, _make_task, _resolve_timeout, _Runner
from .pool import DEFAULT_MAX_RSS_MB, DEFAULT_MAX_TASKS_PER_CHILD, WorkerPool, _pool_initializer
from .results import ErrorInfo, Result

# --------------------------------------------------------------------------- batch run

def _ocr_pages(report_json: str) -> int:
    """Pages of a report that were read by OCR (``source.ocr_pages``), 0 for the rest."""
    if '"ocr_pages"' not in report_json:
        return 0
    try:
        return int(json.loads(report_json)["source"].get("ocr_pages") or 0)
    except (ValueError, KeyError, TypeError, AttributeError):
        return 0


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
    superseded: int = 0       # older records of re-parsed inputs, removed
    bad_lines: int = 0
    outputs: list[str] = field(default_factory=list)
    ocr_pages: int = 0        # pages read by OCR in this run (the OCR plugin)
    notes: list[str] = field(default_factory=list)  # what the run did to earlier output
    cross_checks: dict[str, Any] = field(default_factory=dict)  # crossyear.summary()

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


def _cross_checks(out: Path, plugins_dir: str | None,
                  written: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The cross-report checks over everything the folder holds (this run and earlier
    ones), rewritten as checks.jsonl and cross_checks.json — and added to the SQLite file
    when this run built one (``written``: the outputs written so far)."""
    from ..crossyear import add_to_sqlite, run_checks, summary, write_outputs
    from ..outputs import SQLITE_DB
    from ..plugins import get_registry

    found = run_checks(out, registry=get_registry(plugins_dir))
    db = [p for p in written if Path(p).name == SQLITE_DB]
    if db:
        add_to_sqlite(db[0], found)
    return summary(found), [str(p) for p in write_outputs(out, found)]


class _BatchState:
    """What an output folder already holds, keyed by (input, sha256, options)."""

    def __init__(self) -> None:
        self.ok: set[tuple[str, str, str]] = set()
        self.ok_content: dict[tuple[str, str], int] = {}
        self.err: dict[tuple[str, str, str], tuple[bool, str, str, str]] = {}
        self.err_content: dict[tuple[str, str], int] = {}
        self.bad_lines = 0

    def load(self, reports: Path, errors: Path) -> None:
        from ..outputs import iter_lines, read_batch_meta

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
    from ..outputs import atomic_writer, iter_lines

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
              max_rss_mb: float | None = DEFAULT_MAX_RSS_MB,
              follow_symlinks: bool = False) -> BatchSummary:
    """Parse ``inputs`` into ``outdir`` (see docs/batch.md); resumable, append-only.

    Only regular files are read; special files, and symlinks leading outside the input
    folders (unless ``follow_symlinks``), are reported as skipped without being opened.

    ``progress``, if given, gets ``start(total)``, ``update(summary)`` and
    ``finish(summary)`` calls.
    """
    from ..outputs import (
        ERRORS_JSONL,
        REPORTS_JSONL,
        JsonlAppender,
        OutdirLock,
        export_tables,
        remove_outputs,
        remove_stale_temporaries,
        repair_tail,
    )

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
        inputs = [os.fspath(i) for i in inputs]
        roots = [os.path.realpath(i) for i in inputs]
        paths = list(dict.fromkeys(discover(inputs, exclude=[out])))
        summary.total = len(paths)
        if retry_failed:
            _retry_rewrite(errors_path, set(paths))
        state = _BatchState()
        state.load(reports_path, errors_path)
        summary.bad_lines = state.bad_lines

        own_pool: WorkerPool | None = None
        if executor is None:
            own_pool = WorkerPool(workers, timeout=limit, initializer=_pool_initializer,
                                  initargs=(pdir, opts.disabled_plugins, parse_func),
                                  max_tasks_per_child=max_tasks_per_child, max_rss_mb=max_rss_mb,
                                  warm_start=True)  # a custom parse function forks warm too
            pool: cf.Executor = own_pool
        else:
            pool = executor
        hard = isinstance(pool, WorkerPool) and pool.timeout is not None
        runner = _Runner(pool, 2 * _executor_slots(pool), limit, hard_timeout=hard)
        soft = None if isinstance(pool, WorkerPool) else limit
        groups: dict[tuple[str, str], list[str]] = {}
        current: dict[str, tuple[str, str]] = {}  # input -> its (sha256, options) now
        parsed_paths: set[str] = set()
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
                parsed_paths.update(members)
                meta = {"input": first, "sha256": sha, "options": fp,
                        "seconds": round(result.seconds, 4)}
                offset = reps.write(_report_line(result.report_json, meta))
                state.ok_content.setdefault((sha, fp), offset)
                summary.parsed += 1
                summary.new_parsed += 1
                summary.ocr_pages += _ocr_pages(result.report_json)
                for other in rest:
                    copy_report(other, sha, offset)
            else:
                err = result.error or ErrorInfo("InternalError", "internal", f"{first}: no result")
                write_error(first, sha, err, seconds=result.seconds)
                count_error(err.type, err.message)
                summary.new_failed += 1
                err_offset = state.err_content.get((sha, fp))
                for other in rest:
                    if err_offset is not None:
                        copy_error(other, sha, err_offset)
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
                    current[path] = ("", fp)
                    problem = input_problem(path, roots, follow_symlinks)
                    if problem is not None and os.path.lexists(path):
                        kind, message = problem
                        if (path, "", fp) in state.err:
                            summary.resumed += 1
                        else:
                            write_error(path, "", ErrorInfo("SkippedInput", "not_read", message),
                                        skipped=True, skip_kind=kind)
                        summary.skipped += 1
                        summary.skipped_kinds[kind] += 1
                        _note_skipped(summary, path)
                        if progress is not None:
                            progress.update(summary)
                        continue
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
                    current[path] = (sha, fp)
                    if key in state.ok:
                        parsed_paths.add(path)
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
                        sniffed, what = sniff(head, path, size)
                        if sniffed is None:
                            write_error(path, sha, ErrorInfo(
                                "UnsupportedTypeError", "unsupported_type",
                                f"{path}: not a report file type ({what})"),
                                skipped=True, skip_kind=what)
                            summary.skipped += 1
                            summary.skipped_kinds[what] += 1
                            _note_skipped(summary, path)
                        elif (sha, fp) in state.ok_content:
                            copy_report(path, sha, state.ok_content[(sha, fp)])
                            parsed_paths.add(path)
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
                if own_pool is not None:
                    if interrupted:
                        own_pool.terminate()
                    else:
                        own_pool.shutdown(wait=True)
        if not interrupted:
            summary.superseded = remove_superseded(out, current)
        summary.outputs = [str(reports_path), str(errors_path)]
        stale = {k[0] for k in state.err if not state.err[k][0]} & parsed_paths
        if stale:  # failures of an earlier run that have parsed since
            n = _retry_rewrite(errors_path, stale)
            summary.notes.append(f"dropped {n} line(s) from {ERRORS_JSONL}: "
                                 f"inputs that failed before and have parsed since")
        summary.outputs += [str(p) for p in export_tables(out, formats, summary.notes)]
        summary.cross_checks, written = _cross_checks(out, pdir, summary.outputs)
        summary.outputs += written
    summary.seconds = time.monotonic() - t0
    if progress is not None:
        progress.finish(summary)
    return summary



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
