"""``govreport view`` and ``govreport dashboard``: the offline HTML pages from the shell.

    govreport view REPORT -o report.html [--dpi N] [--password P]
    govreport dashboard OUTDIR -o dashboard.html

An input error prints one line naming the file and the reason (exit 2), like ``parse``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .pdf_pages import DEFAULT_DPI


def _write(text: str, out: str) -> None:
    if out == "-":
        sys.stdout.write(text)
        return
    from ..outputs import atomic_writer

    with atomic_writer(Path(out)) as fh:
        fh.write(text)
    print(f"{out}: {len(text.encode('utf-8')) / 1e6:.2f} MB", file=sys.stderr)


def cmd_view(args: argparse.Namespace) -> int:
    from ..cli import _options
    from . import view_html

    _, page = view_html(args.file, options=_options(args), plugins_dir=args.plugins_dir,
                        dpi=args.dpi)
    _write(page, args.output)
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from .dashboard import dashboard_html

    _write(dashboard_html(args.outdir), args.output)
    return 0


def add_view_commands(sub: Any, add_limits: Any) -> None:
    """Register ``govreport view`` and ``govreport dashboard`` on the CLI's subparsers."""
    p = sub.add_parser("view", help="one report as an offline audit page (HTML)",
                       description="Parse REPORT and write one self-contained HTML page: the "
                                   "PDF pages (or the source text) with a box over every "
                                   "extracted number, and the facts, checks, sections and "
                                   "admitted problems beside them.")
    p.add_argument("file", metavar="REPORT")
    p.add_argument("-o", "--output", required=True, metavar="HTML", help="page to write (- for stdout)")
    p.add_argument("--dpi", type=float, default=DEFAULT_DPI,
                   help=f"resolution of the PDF page images (default {DEFAULT_DPI})")
    add_limits(p)
    p.set_defaults(func=cmd_view)

    p = sub.add_parser("dashboard", help="a batch output folder as an offline dashboard (HTML)",
                       description="Read OUTDIR of `govreport batch` (no re-parse) and write one "
                                   "self-contained HTML page of charts, each with its numbers "
                                   "in a table and a CSV link.")
    p.add_argument("outdir", metavar="OUTDIR")
    p.add_argument("-o", "--output", required=True, metavar="HTML", help="page to write (- for stdout)")
    p.set_defaults(func=cmd_dashboard)
