"""What a batch output folder already holds, so that a rerun parses only what is new:
the options fingerprint, ``reports.jsonl`` lines with their ``batch`` prefix, and the
index of settled inputs (:class:`OutputState`)."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..options import Options


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


def report_line(report_json: str, meta: dict[str, Any]) -> str:
    """One ``reports.jsonl`` line: the report object with ``"batch": meta`` first."""
    prefix = '{"batch": ' + json.dumps(meta, ensure_ascii=False)
    body = report_json.strip()
    if body == "{}" or not body.startswith("{"):
        return prefix + "}\n"
    return prefix + ", " + body[1:] + "\n"


def read_line_at(path: Path, offset: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.readline().rstrip(b"\n")


class OutputState:
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


def drop_failures(errors: Path, inputs: set[str]) -> int:
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
