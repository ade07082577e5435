"""Superseded records out of an output folder: the latest result per input stays.

An input whose file changed since an earlier run (another sha256), or that was parsed
again with other options, gets a new record; the older one would leave two answers for
one path in ``reports.jsonl`` / ``errors.jsonl`` with nothing saying which is current.
At the end of each run the records of the inputs seen in it that are not their current
``(sha256, options)`` are removed (atomically: a fresh file, then rename). Inputs not
seen in this run are left as they are.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..outputs import ERRORS_JSONL, REPORTS_JSONL, atomic_writer, iter_lines, read_batch_meta


def remove_superseded(outdir: Path, current: dict[str, tuple[str, str]]) -> int:
    """Drop the records of ``current``'s inputs whose (sha256, options) is not the
    current one; returns how many lines went."""
    removed = 0
    for name, key_of in ((REPORTS_JSONL, _report_key), (ERRORS_JSONL, _error_key)):
        path = outdir / name
        stale = []
        for offset, line in iter_lines(path):
            key = key_of(line)
            if key is not None and key[0] in current and key[1:] != current[key[0]]:
                stale.append(offset)
        if not stale:
            continue
        drop = set(stale)
        with atomic_writer(path, binary=True) as out:
            for offset, line in iter_lines(path):
                if offset not in drop:
                    out.write(line + b"\n")
        removed += len(drop)
    return removed


def _report_key(line: bytes) -> tuple[str, str, str] | None:
    meta = read_batch_meta(line)
    if meta is None or "input" not in meta:
        return None
    return meta["input"], meta.get("sha256") or "", meta.get("options") or ""


def _error_key(line: bytes) -> tuple[str, str, str] | None:
    try:
        rec = json.loads(line)
        return rec["path"], rec.get("sha256") or "", rec.get("options") or ""
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
