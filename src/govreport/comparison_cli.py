"""``govreport compare`` and ``govreport crosscheck``: work across parsed reports.

    govreport compare A B [--json | --html FILE]      two reports side by side
    govreport compare DIR --issuer NAME [...]         one office's whole series
    govreport crosscheck DIR [--jump-factor 5 ...]    cross-year checks of a batch folder

A and B are report files (parsed now), report JSON files (``govreport parse`` output), or
one record of a batch: ``OUTDIR#NAME`` / ``OUTDIR/reports.jsonl#NAME`` picks the record
whose source path contains NAME. DIR is a batch output folder (its reports.jsonl is read,
nothing is parsed again).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from .errors import RecordsError


def _pick(records: list[dict[str, Any]], where: str, name: str) -> dict[str, Any]:
    from .records import path_of

    hits = [r for r in records if name in path_of(r)]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise RecordsError(where, f"no report whose path contains {name!r}")
    raise RecordsError(where, f"{len(hits)} reports match {name!r}: "
                       + ", ".join(Path(path_of(r)).name for r in hits[:10]))


def load_one(spec: str, args: argparse.Namespace) -> dict[str, Any]:
    """One report's record from a command-line argument (see the module docstring)."""
    from .records import load_records

    if not os.path.exists(spec) and "#" in spec:
        where, name = spec.rsplit("#", 1)
        return _pick(load_records(where), where, name)
    path = Path(spec)
    if path.is_dir() or path.suffix in (".json", ".jsonl"):
        records = load_records(path)
        if len(records) != 1:
            raise RecordsError(spec, f"holds {len(records)} reports; pick one with {spec}#NAME")
        return records[0]
    from .cli import _options
    from .pipeline import parse

    return parse(spec, options=_options(args), plugins_dir=args.plugins_dir).to_dict()


def _emit(args: argparse.Namespace, data: Any, text: str, page: str) -> None:
    if args.html:
        Path(args.html).write_text(page, encoding="utf-8")
        print(f"wrote {args.html}", file=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2 if args.pretty else None,
                                    default=str) + "\n")
    elif not args.html:
        sys.stdout.write(text)


def cmd_compare(args: argparse.Namespace) -> int:
    from . import comparison_render as render
    from .comparison import compare, office_series

    if args.issuer:
        if args.b:
            raise SystemExit("govreport compare: give one folder with --issuer, or two reports")
        from .records import load_records

        try:
            series = office_series(load_records(args.a), args.issuer)
        except LookupError as exc:
            raise RecordsError(args.a, str(exc).strip("'\"")) from exc
        _emit(args, series, render.render_series_text(series), render.render_series_html(series))
        return 0
    if not args.b:
        raise SystemExit("govreport compare: need two reports (A B), or a folder and --issuer NAME")
    result = compare(load_one(args.a, args), load_one(args.b, args))
    _emit(args, result, render.render_text(result), render.render_html(result))
    return 0


def cmd_crosscheck(args: argparse.Namespace) -> int:
    from .crossyear import CrossOptions, run_checks, summary, write_outputs

    options = {f.name: getattr(args, f.name) for f in fields(CrossOptions)
               if getattr(args, f.name, None) is not None}
    found = run_checks(args.dir, options=options, registry=None if not args.plugins_dir else
                       __import__("govreport.plugins", fromlist=["x"]).get_registry(args.plugins_dir))
    if Path(args.dir).is_dir() and not args.no_write:
        write_outputs(args.dir, found)
    if args.json:
        sys.stdout.write(json.dumps([f.to_dict() for f in found], ensure_ascii=False) + "\n")
        return 0
    for f in found:
        print(f"{f.rule:9} {f.severity:7} {f.message}")
    s = summary(found)
    rules = ", ".join(f"{k} {v}" for k, v in s["by_rule"].items()) or "none"
    print(f"{s['findings']} findings ({rules}) about {s['reports']} reports of {s['offices']} offices",
          file=sys.stderr)
    return 0


def add_comparison_commands(sub: Any) -> None:
    """Add ``compare`` and ``crosscheck`` to the ``govreport`` command line."""
    from .cli import add_limit_options
    from .crossyear import CrossOptions

    p = sub.add_parser("compare", help="two reports side by side, or one office's series",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a", metavar="A", help="report file, report JSON, OUTDIR#NAME, or (with "
                                          "--issuer) a batch output folder")
    p.add_argument("b", metavar="B", nargs="?", help="the second report")
    p.add_argument("--issuer", help="print this office's whole series (exact name, or a part "
                                    "of one office's name)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--html", metavar="FILE", help="write one offline HTML page")
    add_limit_options(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("crosscheck", help="cross-year checks of a batch output folder "
                                          "(writes checks.jsonl and cross_checks.json)")
    p.add_argument("dir", metavar="DIR", help="batch output folder (or a reports.jsonl)")
    for f in fields(CrossOptions):
        if f.type in ("float", "int"):
            p.add_argument("--" + f.name.replace("_", "-"), dest=f.name,
                           type=float if f.type == "float" else int,
                           help=f"default {f.default}")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.add_argument("--no-write", action="store_true", help="print only, write no files")
    p.set_defaults(func=cmd_crosscheck)
