"""The ``govreport`` command line: parse, sections, plugins, view, dashboard, batch.

Global options (``--plugins-dir``, ``--debug``) come before the command. An input error
prints one line on stderr naming the file and the reason and exits 2; ``--debug`` shows
the traceback instead.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any

EXIT_INPUT_ERROR = 2


def _print_json(data: Any, pretty: bool) -> None:
    from .jsonsafe import report_json

    text = report_json(data, indent=2 if pretty else None) if isinstance(data, dict) else \
        json.dumps(data, ensure_ascii=False, indent=2 if pretty else None, default=str)
    sys.stdout.write(text + "\n")


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _options(args: argparse.Namespace):
    from .options import Options

    return Options(password=getattr(args, "password", None),
                   max_pages=getattr(args, "max_pages", None),
                   max_bytes=getattr(args, "max_bytes", None),
                   timeout=getattr(args, "timeout", None),
                   max_memory_mb=getattr(args, "max_memory", None),
                   pdf_engine=getattr(args, "pdf_engine", None))


def _show_warnings(args: argparse.Namespace, report) -> None:
    """``-v``: the parse's warnings (reader, extractors, plugins) on stderr."""
    if getattr(args, "verbose", False):
        for w in report.warnings:
            print(f"govreport: warning: {_one_line(w)}", file=sys.stderr)



_UNITS = {"": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1000**2,
          "mib": 1024**2, "g": 1000**3, "gb": 1000**3, "gib": 1024**3}


def _number(text: str, units: dict[str, int] | None = None) -> float | None:
    """``"60"``, ``"1e6"``, ``"10MiB"`` (with ``units``) -> a number; ``none``/``0``: None."""
    import re

    raw = text.strip().lower()
    if raw in ("none", "off", "0", "0.0"):
        return None
    m = re.fullmatch(r"([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)", raw)
    if not m or (m.group(2) and (units is None or m.group(2) not in units)):
        raise argparse.ArgumentTypeError(f"not a number{' or size' if units else ''}: {text!r} "
                                         "(use none to lift the limit)")
    value = float(m.group(1)) * (units or {"": 1})[m.group(2)]
    return value if value > 0 else None


def size_arg(text: str) -> int | None:
    """A byte count: ``1e6``, ``200MB``, ``1GiB``; ``none`` lifts the limit."""
    value = _number(text, _UNITS)
    return int(value) if value is not None else None


def seconds_arg(text: str) -> float | None:
    return _number(text)


def _count_arg(text: str) -> int | None:
    value = _number(text)
    return int(value) if value is not None else None


def mib_arg(text: str) -> float | None:
    return _number(text)


def cmd_parse(args: argparse.Namespace) -> int:
    from .pipeline import parse

    report = parse(args.file, options=_options(args), plugins_dir=args.plugins_dir)
    if args.json or args.pretty or not _stdout_is_terminal():
        _print_json(report.to_dict(), args.pretty)
    else:
        from .summary import format_summary

        print(format_summary(report, args.file))
    _show_warnings(args, report)  # -v: what the parse left out and why
    return 0


def cmd_sections(args: argparse.Namespace) -> int:
    from .pipeline import parse

    report = parse(args.file, options=_options(args), plugins_dir=args.plugins_dir)
    _show_warnings(args, report)
    meta = report.meta
    print(f"{args.file}: {meta.get('title')} | issuer {meta.get('issuer')} | year "
          f"{meta.get('year')} | {meta.get('era')} | {meta.get('script')}")
    for s in report.sections:
        body = " ".join(s.text.split())
        print(f"[{s.key:18}] page {s.page!s:>4}  {len(s.text):6} chars  "
              f"{len(s.tables)} tables  {s.title}")
        print(f"    {body[:args.width]}")
    return 0


def cmd_plugins(args: argparse.Namespace) -> int:
    from .deadline import time_limit
    from .hookspecs import PLUGIN_API_VERSION
    from .isolation import name_of
    from .limits import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, memory_limit
    from .plugins import build_registry, reader_listing

    # a plugin hanging at import must not hang the listing: the parse limits apply
    with time_limit(DEFAULT_TIMEOUT, "plugins"), \
            memory_limit(DEFAULT_MAX_MEMORY_MB, "plugins", hard_timeout=DEFAULT_TIMEOUT):
        registry = build_registry(args.plugins_dir)
    _print_json({"api_version": PLUGIN_API_VERSION,
                 "plugins": [p.to_dict() for p in registry.plugins],
                 "extractors": [name_of(e) for e in registry.extractors],
                 "checks": [name_of(c) for c in registry.validators],
                 "readers": [reader_listing(r) for r in registry.readers],
                 "warnings": registry.warnings}, pretty=True)
    return 0


def add_limit_options(p: argparse.ArgumentParser, *, timeout: float | None = None) -> None:
    """The per-document limits, on by default (see govreport.limits); ``none`` lifts one."""
    from .limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT

    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    p.add_argument("--password", help="password of an encrypted PDF")
    p.add_argument("--max-pages", type=_count_arg, default=DEFAULT_MAX_PAGES, metavar="N",
                   help=f"refuse PDFs with more pages (default {DEFAULT_MAX_PAGES}; none to lift)")
    p.add_argument("--max-bytes", type=size_arg, default=DEFAULT_MAX_BYTES, metavar="SIZE",
                   help="refuse larger files, checked before reading (e.g. 1e6, 50MB; "
                        f"default {DEFAULT_MAX_BYTES // 1024**2} MiB; none to lift)")
    p.add_argument("--timeout", type=seconds_arg, default=timeout, metavar="SECONDS",
                   help=f"give up on a document after this many seconds (default {timeout:g}; "
                        "none to lift)")
    p.add_argument("--max-memory", type=mib_arg, default=DEFAULT_MAX_MEMORY_MB, metavar="MIB",
                   help="give up on a document that needs more memory than this "
                        f"(default {DEFAULT_MAX_MEMORY_MB:g} MiB; none to lift)")
    p.add_argument("--pdf-engine", choices=("pdfium", "pdfminer"),
                   help="what reads PDF pages: pdfium (default, fast) or pdfminer (the reference)")


# The commands whose parsers build_parser(all_commands=False) still makes: the others
# import the batch, view and comparison modules (a tenth of a one-shot parse's CPU).
BASE_COMMANDS = ("parse", "sections", "plugins")


def runs_base_command(argv: list[str]) -> bool:
    """``argv`` runs one of :data:`BASE_COMMANDS`, with only the global options in their
    plain forms (``--debug``, ``--plugins-dir DIR``, ``--plugins-dir=DIR``) before it —
    anything else (help, version, abbreviations) takes the full parser."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--debug" or arg.startswith("--plugins-dir="):
            i += 1
        elif arg == "--plugins-dir":
            i += 2
        else:
            return arg in BASE_COMMANDS
    return False


def build_parser(*, all_commands: bool = True) -> argparse.ArgumentParser:
    """The ``govreport`` parser; ``all_commands=False`` leaves out every command but
    :data:`BASE_COMMANDS` (for a command line that :func:`runs_base_command`)."""
    from . import __version__

    ap = argparse.ArgumentParser(
        prog="govreport",
        description="Turn Chinese government information-disclosure annual reports "
                    "(政府信息公开工作年度报告) — PDF, HTML, Word, text, in Simplified or "
                    "Traditional script — into structured, checked facts, each with the page "
                    "and words it came from.",
        epilog="Start with: govreport parse samples/sample-report.pdf. An input that cannot "
               "be parsed prints one line naming the file and the reason and exits 2. "
               "Documentation: the docs/ folder of the repository (mkdocs site).")
    ap.add_argument("--version", action="version", version=f"govreport {__version__}")
    ap.add_argument("--plugins-dir", default=os.environ.get("GOVREPORT_PLUGINS_DIR"),
                    help="load extra plugins from the .py files in this folder "
                         "(also GOVREPORT_PLUGINS_DIR)")
    ap.add_argument("--debug", action="store_true",
                    help="show tracebacks and library log messages instead of one error line")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser(
        "parse", help="parse one report: a summary at a terminal, the JSON otherwise",
        description="Parse one report. At a terminal, print a short summary (title, issuer, "
                    "year, sections, the main facts with page and source wording, check "
                    "findings); piped, or with --json, print the report as JSON (every fact "
                    "with its provenance; the format is docs/schema.md).")
    p.add_argument("file", help="a report: PDF, HTML, Word (.docx), Markdown or text")
    p.add_argument("--json", action="store_true",
                   help="print the JSON even at a terminal (it is what pipes always get)")
    p.add_argument("--pretty", action="store_true", help="print the JSON, indented")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print each warning (what was left out and why) on stderr")
    add_limit_options(p)
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("sections", help="show how a report splits into sections",
                       description="Show the report's meta and each section found (key, page, "
                                   "length, tables, heading and the start of its text): the "
                                   "first thing to look at when a fact is missing.")
    p.add_argument("file", help="a report: PDF, HTML, Word (.docx), Markdown or text")
    p.add_argument("--width", type=int, default=100, help="characters of each section shown")
    add_limit_options(p)
    p.add_argument("-v", "--verbose", action="store_true", help="show the parse's warnings on stderr")
    p.set_defaults(func=cmd_sections)

    p = sub.add_parser("plugins", help="list loaded plugins as JSON",
                       description="List the plugins found (built-in, installed, and those of "
                                   "--plugins-dir), their extractors and checks, and why a "
                                   "plugin was not loaded, as JSON.")
    p.set_defaults(func=cmd_plugins)
    if not all_commands:
        return ap

    from .comparison_cli import add_comparison_commands
    from .view.cli import add_view_commands

    add_comparison_commands(sub)
    add_view_commands(sub, add_limit_options)

    try:
        from .batch.cli import add_batch_command
    except ImportError:
        pass
    else:
        add_batch_command(sub)
    return ap


def _quiet_libraries() -> None:
    """pdfplumber may log deprecation notes; on the command line they would bury the one
    error line. --debug keeps them. (pdfminer's warnings are captured by the PDF reader
    and become report warnings: ``-v`` shows them.)"""
    import logging

    logging.getLogger("pdfplumber").setLevel(logging.CRITICAL + 1)


def _one_line(message: str) -> str:
    """A message as one line: line breaks (even in a file name) shown as ``\\n``."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def _hard_stop(kind: str, message: str) -> None:
    """A limit passed and the parse did not stop (stuck in C): one line, exit 2, now."""
    try:
        sys.stderr.write(f"govreport: error: {_one_line(message)}\n")
        sys.stderr.flush()
    finally:
        os._exit(EXIT_INPUT_ERROR)


def main(argv: list[str] | None = None, *, own_process: bool = False) -> int:
    """Run the command line; ``own_process=True`` (the ``govreport`` script) also lets the
    limits end the process and cap its address space (see :mod:`govreport.limits`) —
    never when ``main`` is called from someone else's program or a test."""
    from .errors import GovReportError

    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(all_commands=not runs_base_command(argv))
    args = parser.parse_args(argv)
    if args.plugins_dir and not os.path.isdir(args.plugins_dir):
        parser.error(f"plugins folder {args.plugins_dir!r} (--plugins-dir or "
                     "GOVREPORT_PLUGINS_DIR) does not exist or is not a folder")
    func: Callable[[argparse.Namespace], int] = args.func
    if not args.debug:
        _quiet_libraries()
    if own_process and args.command in ("parse", "sections", "plugins"):
        from .limits import enable_hard_stop

        enable_hard_stop(_hard_stop, getattr(args, "max_memory", None))
    try:
        return func(args)
    except GovReportError as exc:
        if args.debug:
            raise
        print(f"govreport: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except KeyboardInterrupt:
        print("govreport: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug of ours: still one line unless --debug
        if args.debug:
            raise
        name = getattr(args, "file", None)
        where = f"{name}: " if name else ""
        print(_one_line(f"govreport: internal error: {where}{type(exc).__name__}: {exc} "
                        f"(rerun with --debug for the traceback)"), file=sys.stderr)
        return 1


def console_main() -> None:
    """The ``govreport`` script: this process is govreport's own."""
    sys.exit(main(own_process=True))


if __name__ == "__main__":
    console_main()
