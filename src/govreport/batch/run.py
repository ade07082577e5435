"""``run_batch``: parse inputs into a resumable, append-only output folder
(``reports.jsonl``, ``errors.jsonl``, table exports); see docs/batch.md."""
from __future__ import annotations

import collections
import concurrent.futures as cf
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..options import Options
from .compact import remove_superseded
from .discovery import discover, hash_and_head, input_problem, sniff
from .pool import DEFAULT_MAX_RSS_MB, DEFAULT_MAX_TASKS_PER_CHILD
from .results import ErrorInfo, Result
from .resume import OutputState, drop_failures, options_fingerprint, read_line_at, report_line
from .scheduling import Scheduler, resolve_timeout

NOT_A_REPORT = "NotAReportError"  # an error type counted apart from failures
MAX_LISTED_SKIPS = 1000  # skipped paths kept in the summary (errors.jsonl has them all)


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs (what is parsed and how is :class:`~govreport.options.Options`)."""

    workers: int | None = None  # default: the CPUs this process may use
    timeout: float | None = None  # seconds per document; None: Options.timeout or 120; 0: none
    formats: tuple[str, ...] = ("jsonl", "csv")  # table exports besides reports/errors.jsonl
    retry_failed: bool = False  # parse again the inputs an earlier run failed on
    resume: bool = True  # False: start the output folder afresh
    max_tasks_per_child: int | None = DEFAULT_MAX_TASKS_PER_CHILD
    max_rss_mb: float | None = DEFAULT_MAX_RSS_MB  # recycle a worker grown past this
    follow_symlinks: bool = False  # read files that symlinks lead to outside the inputs

    def __post_init__(self) -> None:
        object.__setattr__(self, "formats", tuple(f.strip().lower() for f in self.formats if f.strip()))

    @classmethod
    def coerce(cls, value: BatchOptions | None, **overrides: Any) -> BatchOptions:
        """``value`` (or the defaults) with keyword overrides; an unknown keyword is a TypeError."""
        return replace(value if value is not None else cls(), **overrides)


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
    not_reports: int = 0      # read, but not an annual report (a notice, a web page): not a failure
    resumed: int = 0          # settled by an earlier run
    copied: int = 0           # same content as another input: result copied, not reparsed
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
        return self.parsed + self.failed + self.skipped + self.not_reports

    @property
    def exit_status(self) -> int:
        """1 when an input failed; files that are not reports (skipped by type, or read and
        found not to be an annual report) are not failures."""
        return 1 if self.failed else 0

    def count_error(self, type_: str, message: str) -> None:
        if type_ == NOT_A_REPORT:
            self.not_reports += 1
            return
        self.failed += 1
        self.error_types[type_] += 1
        self.failed_examples.setdefault(type_, message)

    def count_skip(self, path: str, kind: str) -> None:
        self.skipped += 1
        self.skipped_kinds[kind] += 1
        if len(self.skipped_paths) < MAX_LISTED_SKIPS:
            self.skipped_paths.append(path)


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


class _BatchRun:
    """One run over an opened output folder: settles every input once (resumed, copied
    from an input with the same content, skipped, or parsed) and appends its line."""

    def __init__(self, out: Path, settings: BatchOptions, opts: Options, pdir: str | None,
                 parse_func: Any, progress: Any, summary: BatchSummary):
        from ..outputs import ERRORS_JSONL, REPORTS_JSONL

        self.settings, self.opts, self.pdir, self.parse_func = settings, opts, pdir, parse_func
        self.progress, self.summary = progress, summary
        self.fp = options_fingerprint(opts, pdir, parse_func)
        self.reports_path, self.errors_path = out / REPORTS_JSONL, out / ERRORS_JSONL
        self.state = OutputState()
        self.groups: dict[tuple[str, str], list[str]] = {}  # same content: parsed once
        self.reps: Any = None
        self.errs: Any = None
        self.parsed_paths: set[str] = set()  # inputs with a report line (this run or before)
        self.roots: list[str] = []  # real paths of the inputs (symlinks may lead inside them)
        self.current: dict[str, tuple[str, str]] = {}  # input -> its (sha256, options) now

    # -- writing lines
    def write_error(self, path: str, sha: str, err: ErrorInfo, *, skipped: bool = False,
                    skip_kind: str | None = None, seconds: float = 0.0) -> None:
        rec: dict[str, Any] = {"path": path, "sha256": sha, **err.to_dict(), "options": self.fp,
                               "seconds": round(seconds, 4), "skipped": skipped}
        if skip_kind:
            rec["skip_kind"] = skip_kind
        offset = self.errs.write(json.dumps(rec, ensure_ascii=False) + "\n")
        if not skipped and sha:
            self.state.err_content.setdefault((sha, self.fp), offset)

    def copy_report(self, path: str, offset: int) -> None:
        data = json.loads(read_line_at(self.reports_path, offset))
        meta = dict(data.pop("batch", {}) or {})
        meta.update(input=path, copied_from=meta.get("input"), seconds=0.0)
        if isinstance(data.get("source"), dict):
            data["source"]["path"] = path
        self.reps.write(report_line(json.dumps(data, ensure_ascii=False), meta))
        self.summary.parsed += 1
        self.summary.copied += 1

    def copy_error(self, path: str, offset: int) -> None:
        rec = json.loads(read_line_at(self.errors_path, offset))
        old = rec.get("path", "")
        rec.update(path=path, seconds=0.0, copied_from=old)
        if old and isinstance(rec.get("message"), str):
            rec["message"] = rec["message"].replace(old, path)
        self.errs.write(json.dumps(rec, ensure_ascii=False) + "\n")
        self.summary.count_error(rec.get("type", "?"), rec.get("message", ""))
        self.summary.copied += 1

    def _updated(self) -> None:
        if self.progress is not None:
            self.progress.update(self.summary)

    # -- settling inputs
    def settle(self, sha: str, result: Result) -> None:
        """A parse came back: write it for its input and every input with the same content."""
        summary, fp = self.summary, self.fp
        members = self.groups.pop((sha, fp), [result.path])
        if result.worker is not None and result.peak_rss_mb:
            prev = summary.peak_rss_mb.get(result.worker, 0.0)
            summary.peak_rss_mb[result.worker] = max(prev, result.peak_rss_mb)
        first, rest = members[0], members[1:]
        if result.ok and result.report_json is not None:
            self.parsed_paths.update(members)
            meta = {"input": first, "sha256": sha, "options": fp, "seconds": round(result.seconds, 4)}
            offset = self.reps.write(report_line(result.report_json, meta))
            self.state.ok_content.setdefault((sha, fp), offset)
            summary.parsed += 1
            summary.ocr_pages += _ocr_pages(result.report_json)
            for other in rest:
                self.copy_report(other, offset)
        else:
            err = result.error or ErrorInfo("InternalError", "internal", f"{first}: no result")
            self.write_error(first, sha, err, seconds=result.seconds)
            summary.count_error(err.type, err.message)
            err_offset = self.state.err_content.get((sha, fp))
            for other in rest:
                if err_offset is not None:
                    self.copy_error(other, err_offset)
                else:
                    self.write_error(other, sha, err)
                    summary.count_error(err.type, err.message)
        self._updated()

    def visit(self, path: str) -> tuple[str, str] | None:
        """Settle ``path`` from what is known, or return (sha, path) when it must be parsed."""
        summary, state, fp = self.summary, self.state, self.fp
        self.current[path] = ("", fp)
        problem = input_problem(path, self.roots, self.settings.follow_symlinks)
        if problem is not None and os.path.lexists(path):
            kind, message = problem  # a special file or a symlink out: never opened
            if (path, "", fp) in state.err:
                summary.resumed += 1
            else:
                self.write_error(path, "", ErrorInfo("SkippedInput", "not_read", message),
                                 skipped=True, skip_kind=kind)
            summary.count_skip(path, kind)
            self._updated()
            return None
        try:
            sha, head, size = hash_and_head(path)
        except OSError as exc:
            key = (path, "", fp)
            if key in state.err:
                summary.resumed += 1
                summary.count_error(state.err[key][1], state.err[key][3])
            else:
                err = ErrorInfo("UnreadableError", "unreadable", f"{path}: {exc.strerror or exc}")
                self.write_error(path, "", err)
                summary.count_error(err.type, err.message)
            self._updated()
            return None
        key = (path, sha, fp)
        self.current[path] = (sha, fp)
        if key in state.ok:
            self.parsed_paths.add(path)
            summary.parsed += 1
            summary.resumed += 1
        elif key in state.err:
            skipped, type_, kind, message = state.err[key]
            summary.resumed += 1
            if skipped:
                summary.count_skip(path, kind or type_)
            else:
                summary.count_error(type_, message)
        else:
            sniffed, what = sniff(head, path, size)
            if sniffed is None:
                self.write_error(path, sha, ErrorInfo(
                    "UnsupportedTypeError", "unsupported_type",
                    f"{path}: not a report file type ({what})"), skipped=True, skip_kind=what)
                summary.count_skip(path, what)
            elif (sha, fp) in state.ok_content:
                self.copy_report(path, state.ok_content[(sha, fp)])
                self.parsed_paths.add(path)
            elif (sha, fp) in state.err_content:
                self.copy_error(path, state.err_content[(sha, fp)])
            elif (sha, fp) in self.groups:
                self.groups[(sha, fp)].append(path)  # settled with the first of its content
                return None
            else:
                self.groups[(sha, fp)] = [path]
                return sha, path
        self._updated()
        return None

    def run(self, paths: list[str], executor: cf.Executor | None, limit: float | None) -> None:
        from ..outputs import JsonlAppender

        s = self.settings
        with Scheduler(executor, timeout=limit, options=self.opts, plugins_dir=self.pdir,
                       parse_func=self.parse_func, workers=s.workers,
                       max_tasks_per_child=s.max_tasks_per_child, max_rss_mb=s.max_rss_mb) as scheduler, \
                JsonlAppender(self.reports_path) as self.reps, JsonlAppender(self.errors_path) as self.errs:
            for path in paths:
                for sha, result in scheduler.poll(block=False):
                    self.settle(sha, result)
                todo = self.visit(path)
                if todo is None:
                    continue
                scheduler.submit(path, todo[0])
                while scheduler.full():
                    for sha, result in scheduler.poll(block=True):
                        self.settle(sha, result)
            for sha, result in scheduler.drain():
                self.settle(sha, result)


def run_batch(inputs: Iterable[str | os.PathLike[str]], outdir: str | os.PathLike[str],
              settings: BatchOptions | None = None, *,
              options: Options | dict[str, Any] | None = None,
              plugins_dir: str | os.PathLike[str] | None = None,
              executor: cf.Executor | None = None, parse_func: Any = None,
              progress: Any = None, **knobs: Any) -> BatchSummary:
    """Parse ``inputs`` into ``outdir`` (see docs/batch.md); resumable, append-only.

    Only regular files are read; special files, and symlinks leading outside the input
    folders (unless ``follow_symlinks``), are reported as skipped without being opened.

    ``settings`` (a :class:`BatchOptions`) says how the batch runs; its fields may also be
    given as keywords (``workers=4, timeout=60, formats=("jsonl",)``). ``options`` are the
    parse options of every document. ``progress``, if given, gets ``start(total)``,
    ``update(summary)`` and ``finish(summary)`` calls.
    """
    from ..outputs import OutdirLock, export_tables, remove_outputs, remove_stale_temporaries, repair_tail

    s = BatchOptions.coerce(settings, **knobs)
    t0 = time.monotonic()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    opts = Options.coerce(options)
    limit = resolve_timeout(s.timeout, opts)
    pdir = os.path.abspath(os.fspath(plugins_dir)) if plugins_dir else None
    summary = BatchSummary()
    batch = _BatchRun(out, s, opts, pdir, parse_func, progress, summary)

    with OutdirLock(out):
        remove_stale_temporaries(out)
        if not s.resume:
            remove_outputs(out)
        for p in (batch.reports_path, batch.errors_path):
            if repair_tail(p):
                summary.repaired.append(str(p))
        inputs = [os.fspath(i) for i in inputs]
        batch.roots = [os.path.realpath(i) for i in inputs]
        paths = list(dict.fromkeys(discover(inputs, exclude=[out])))
        summary.total = len(paths)
        if s.retry_failed:
            drop_failures(batch.errors_path, set(paths))
        batch.state.load(batch.reports_path, batch.errors_path)
        summary.bad_lines = batch.state.bad_lines
        if progress is not None:
            progress.start(summary.total)
        batch.run(paths, executor, limit)
        summary.superseded = remove_superseded(out, batch.current)
        summary.outputs = [str(batch.reports_path), str(batch.errors_path)]
        state = batch.state
        stale = {k[0] for k in state.err if not state.err[k][0]} & batch.parsed_paths
        if stale:  # failures of an earlier run that have parsed since
            n = drop_failures(batch.errors_path, stale)
            summary.notes.append(f"dropped {n} line(s) from {batch.errors_path.name}: "
                                 f"inputs that failed before and have parsed since")
        summary.outputs += [str(p) for p in export_tables(out, s.formats, summary.notes)]
        summary.cross_checks, written = _cross_checks(out, pdir, summary.outputs)
        summary.outputs += written
    summary.seconds = time.monotonic() - t0
    if progress is not None:
        progress.finish(summary)
    return summary
