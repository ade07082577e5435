"""``govreport batch``: parse folders of reports into a resumable output folder.

    govreport batch INPUT... -o OUTDIR [--workers N] [--timeout SECONDS]
                   [--format jsonl,csv,parquet,sqlite] [--retry-failed] [--no-resume]
                   [--dask-scheduler ADDRESS]

Exit status: 0 when every input parsed (non-report files skipped), 1 when any input
failed, 2 on a usage problem (missing input, output folder in use, no pyarrow).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from typing import IO, Any

from .parse_many import DEFAULT_TIMEOUT
from .pool import DEFAULT_MAX_RSS_MB, DEFAULT_MAX_TASKS_PER_CHILD
from .run import BatchSummary
from .worker import PARSE_FUNC_ENV

EXIT_USAGE = 2


def _fmt_duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


class Progress:
    """Count, rate and ETA: one redrawn line on a terminal, plain lines otherwise."""

    def __init__(self, stream: IO[str] | None = None, *, enabled: bool = True,
                 tty: bool | None = None, every: float | None = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty() if tty is None else tty
        self.every = every if every is not None else (0.2 if self.tty else 15.0)
        self.total = 0
        self.t0 = time.monotonic()
        self._last = 0.0
        self._last_pct = -1
        self._width = 0
        self._t_first: float | None = None
        self._n_first = 0

    def start(self, total: int) -> None:
        self.total, self.t0 = total, time.monotonic()
        self._t_first, self._n_first = None, 0
        if self.enabled and not self.tty:
            print(f"batch: {total} input{'s' if total != 1 else ''}", file=self.stream, flush=True)

    def line(self, s: BatchSummary) -> str:
        now = time.monotonic()
        done = s.done
        fresh = done - s.resumed
        # the rate counts from the first result, so worker start-up does not skew the ETA
        if fresh and self._t_first is None:
            self._t_first, self._n_first = now, fresh
        rate = 0.0
        if self._t_first is not None and now > self._t_first and fresh > self._n_first:
            rate = (fresh - self._n_first) / (now - self._t_first)
        pct = 100.0 * done / self.total if self.total else 100.0
        eta = (self.total - done) / rate if rate > 0 else None
        width = len(str(self.total))
        bar = ""
        if self.tty:
            filled = int(20 * done / self.total) if self.total else 20
            bar = "[" + "#" * filled + "-" * (20 - filled) + "] "
        return (f"{bar}{done:>{width}}/{self.total} {pct:3.0f}%  {rate:5.1f}/s  "
                f"ETA {_fmt_duration(eta) if eta is not None else '?'}  "
                f"parsed {s.parsed}  failed {s.failed}  skipped {s.skipped}"
                + (f"  OCR pages {s.ocr_pages}" if s.ocr_pages else ""))

    def update(self, s: BatchSummary) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        pct = int(100 * s.done / self.total) // 10 if self.total else 10
        if self.tty:
            if now - self._last < self.every:
                return
            text = self.line(s)
            cols = shutil.get_terminal_size((100, 20)).columns - 1
            text = text[:cols]
            pad = max(0, self._width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self.stream.flush()
            self._width = len(text)
            self._last = now
        elif now - self._last >= self.every or pct > self._last_pct:
            if s.done == self.total:
                return  # finish() prints the last line
            print(self.line(s), file=self.stream, flush=True)
            self._last, self._last_pct = now, pct

    def finish(self, s: BatchSummary) -> None:
        if not self.enabled:
            return
        if self.tty:
            self._last = 0.0
            self.update(s)
            self.stream.write("\n")
            self.stream.flush()
        else:
            print(self.line(s), file=self.stream, flush=True)


def format_summary(s: BatchSummary, outdir: str, *, examples: int = 10) -> str:
    lines = []
    extra = []
    if s.resumed:
        extra.append(f"{s.resumed} done by an earlier run")
    if s.copied:
        extra.append(f"{s.copied} identical to another input")
    tail = f" ({'; '.join(extra)})" if extra else ""
    lines.append(f"govreport batch: {s.total} input{'s' if s.total != 1 else ''} in "
                 f"{s.seconds:.1f} s: {s.parsed} parsed, {s.failed} failed, "
                 f"{s.skipped} skipped{tail}")
    if s.error_types:
        lines.append("most common errors:")
        for type_, n in s.error_types.most_common(8):
            example = s.failed_examples.get(type_, "")
            lines.append(f"  {n:6}  {type_:24} {('e.g. ' + example)[:140] if example else ''}".rstrip())
    if s.skipped:
        lines.append("skipped, not a report file type (recorded in errors.jsonl):")
        for kind, n in s.skipped_kinds.most_common():
            lines.append(f"  {n:6}  {kind}")
        for p in s.skipped_paths[:examples]:
            lines.append(f"          {p}")
        if s.skipped > examples:
            lines.append(f"          … {s.skipped - examples} more")
    if s.repaired:
        lines.append("repaired a torn last line (interrupted run) in: " + ", ".join(s.repaired))
    if s.bad_lines:
        lines.append(f"warning: {s.bad_lines} unreadable line(s) in the existing output ignored")
    if s.peak_rss_mb:
        peak = max(s.peak_rss_mb.values())
        lines.append(f"peak memory of a worker: {peak:.0f} MiB ({len(s.peak_rss_mb)} worker "
                     f"process{'es' if len(s.peak_rss_mb) != 1 else ''})")
    if s.cross_checks.get("findings"):
        rules = ", ".join(f"{k} {v}" for k, v in s.cross_checks["by_rule"].items())
        lines.append(f"cross-report checks: {s.cross_checks['findings']} findings ({rules}) "
                     "in checks.jsonl")
    lines += s.notes
    names = [os.path.basename(p) for p in s.outputs]
    lines.append(f"output in {outdir}: {', '.join(names)}")
    return "\n".join(lines)


def cmd_batch(args: argparse.Namespace) -> int:
    from ..cli import _one_line
    from ..errors import UnsafePathError
    from ..options import Options
    from ..outputs import FORMATS, OutdirBusyError, parquet_available
    from .results import WorkersUnavailableError
    from .run import run_batch

    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        print(f"govreport: error: unknown --format {', '.join(unknown)} "
              f"(choose from {', '.join(FORMATS)})", file=sys.stderr)
        return EXIT_USAGE
    if "parquet" in formats and not parquet_available():
        print("govreport: error: --format parquet needs pyarrow: "
              "pip install 'govreport[parquet]'", file=sys.stderr)
        return EXIT_USAGE
    from ..safepath import check_outdir

    problem = check_outdir(args.outdir)
    if problem:
        print(f"govreport: error: output folder {_one_line(problem)}", file=sys.stderr)
        return EXIT_USAGE
    missing = [p for p in args.inputs if not os.path.exists(p)]
    if missing:
        print(f"govreport: error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    if args.workers is not None and args.workers < 1:
        print("govreport: error: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    options = Options(password=args.password, max_pages=args.max_pages,
                      max_bytes=args.max_bytes, timeout=args.timeout,
                      max_memory_mb=args.max_memory, pdf_engine=args.pdf_engine)
    executor: Any = None
    client: Any = None
    if args.dask_scheduler:
        try:
            from distributed import Client
        except ImportError:
            print("govreport: error: --dask-scheduler needs distributed: "
                  "pip install 'govreport[dask]'", file=sys.stderr)
            return EXIT_USAGE
        try:
            client = Client(args.dask_scheduler, timeout=30)
        except Exception as exc:
            print(f"govreport: error: cannot reach the Dask scheduler at {args.dask_scheduler}: "
                  f"{exc}", file=sys.stderr)
            return EXIT_USAGE
        executor = client.get_executor(pure=False)
    progress = Progress(sys.stderr, enabled=not args.quiet)
    try:
        summary = run_batch(
            args.inputs, args.outdir, workers=args.workers, timeout=args.timeout or 0,
            formats=formats, retry_failed=args.retry_failed, resume=not args.no_resume,
            options=options, plugins_dir=args.plugins_dir, executor=executor,
            parse_func=os.environ.get(PARSE_FUNC_ENV) or None, progress=progress,
            max_tasks_per_child=args.max_tasks_per_child or None,
            max_rss_mb=args.max_rss_mb or None, follow_symlinks=args.follow_symlinks)
    except UnsafePathError as exc:
        print(f"govreport: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except OutdirBusyError as exc:
        print(f"govreport: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WorkersUnavailableError as exc:
        print(f"govreport: error: cannot run the batch, no worker process starts ({exc}); "
              f"nothing was recorded as failed, results so far are kept: fix the cause and "
              f"rerun the same command", file=sys.stderr)
        return 1
    finally:
        if client is not None:
            client.close()
    if not args.quiet or summary.failed:
        print(format_summary(summary, args.outdir))
    return summary.exit_status


def add_batch_command(sub: Any) -> None:
    """Register ``govreport batch`` on the CLI's subparsers."""
    from ..cli import add_limit_options

    p = sub.add_parser(
        "batch", help="parse many reports into an output folder (parallel, resumable)",
        description="Parse every report under the INPUT files and folders (recursively; "
                    "reports are recognised by content) into OUTDIR: reports.jsonl, "
                    "errors.jsonl and, by --format, reports.csv/facts.csv and "
                    "reports.parquet/facts.parquet. Rerunning the same command skips the "
                    "inputs already done. Exit status 1 when any input failed.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="report files or folders")
    p.add_argument("-o", "--output", dest="outdir", required=True, metavar="OUTDIR",
                   help="output folder (created if missing)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: one per CPU)")
    p.add_argument("--format", default="jsonl,csv",
                   help="outputs: jsonl (always written), csv, parquet, sqlite (govreport.db + "
                        "Datasette metadata.json) (default jsonl,csv)")
    p.add_argument("--retry-failed", action="store_true",
                   help="parse again the inputs that failed in an earlier run")
    p.add_argument("--no-resume", action="store_true",
                   help="start over: delete OUTDIR's previous results first")
    p.add_argument("--dask-scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster (e.g. tcp://10.0.0.5:8786) instead of local processes")
    p.add_argument("--max-tasks-per-child", type=int, default=DEFAULT_MAX_TASKS_PER_CHILD,
                   metavar="N", help="restart a worker after N documents (0: never)")
    p.add_argument("--max-rss-mb", type=float, default=DEFAULT_MAX_RSS_MB, metavar="MIB",
                   help="restart a worker whose memory grew past this (0: never)")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="also read files that symbolic links lead to outside the input folders")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress; summary only when something failed")
    # --password --max-pages --max-bytes --timeout (the worker is killed past it) --max-memory
    add_limit_options(p, timeout=DEFAULT_TIMEOUT)
    p.set_defaults(func=cmd_batch)
