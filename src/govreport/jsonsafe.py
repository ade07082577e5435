"""Report data that every consumer can take: strict JSON, exportable numbers, safe CSV.

* :func:`clean` walks a report's ``to_dict()`` (facts and plugin extras may hold anything
  a plugin put there) and returns strict-JSON data: NaN/Infinity become ``null``,
  integers outside the 64-bit range become text (so CSV, Parquet and SQLite exports take
  them), circular structures are cut, other objects become their ``str``. Each change
  is one line in the returned problems, which callers add to ``report.warnings``.
* :func:`dumps` is ``json.dumps`` that never writes ``NaN`` (``allow_nan=False``).
* :func:`spreadsheet_safe` neutralises a text cell a spreadsheet would run as a formula
  (``=HYPERLINK(…)``, ``+cmd``, ``-2+3``, ``@SUM``) by prefixing ``'``, as OWASP and
  spreadsheet-safe exporters do; numbers, and text that is a plain number, stay as they
  are.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d[\d,]*)?(?:\.\d+)?(?:[eE][-+]?\d+)?%?")
MAX_DEPTH = 200
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(data: Any, where: str = "") -> tuple[Any, list[str]]:
    """``(strict-JSON copy of data, problems)``; see the module doc."""
    problems: list[str] = []
    out = _clean(data, where, problems, set(), 0)
    return out, problems


def _clean(v: Any, where: str, problems: list[str], active: set[int], depth: int) -> Any:
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        if INT64_MIN <= v <= INT64_MAX:
            return int(v)
        problems.append(f"{where or 'value'}: number {_short(v)} is too large for the exports; "
                        "kept as text")
        return str(v)
    if isinstance(v, float):
        if math.isfinite(v):
            return v
        problems.append(f"{where or 'value'}: {v} is not a number JSON can hold; written as null")
        return None
    if depth > MAX_DEPTH or id(v) in active:
        problems.append(f"{where or 'value'}: circular or too deeply nested; cut")
        return None
    if isinstance(v, dict):
        active.add(id(v))
        try:
            return {str(k): _clean(x, f"{where}.{k}" if where else str(k), problems, active,
                                   depth + 1) for k, x in list(v.items())}
        finally:
            active.discard(id(v))
    if isinstance(v, (list, tuple)):
        active.add(id(v))
        try:
            return [_clean(x, f"{where}[{i}]", problems, active, depth + 1)
                    for i, x in enumerate(list(v))]
        finally:
            active.discard(id(v))
    try:
        text = str(v)
    except Exception as exc:  # noqa: BLE001 - a plugin's object whose __str__ raises
        text = f"<{type(v).__name__}: str() raised {type(exc).__name__}>"
    problems.append(f"{where or 'value'}: a {type(v).__name__}, not JSON data; written as text")
    return text


def _short(n: int) -> str:
    s = str(n)
    return s if len(s) <= 24 else f"{s[:10]}…{s[-4:]} ({len(s)} digits)"


def dumps(data: Any) -> str:
    """Strict JSON text of already-:func:`clean` data (raises on NaN rather than writing
    it), lone surrogates escaped."""
    return escape_surrogates(json.dumps(data, ensure_ascii=False, allow_nan=False))


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def report_json(data: dict[str, Any], *, indent: int | None = None) -> str:
    """A report's ``to_dict()`` as strict JSON, with what :func:`clean` changed added to its
    ``warnings``."""
    cleaned, problems = clean(data)
    if not isinstance(cleaned, dict):  # pragma: no cover - to_dict() is a dict
        cleaned = {"value": cleaned}
    if problems:
        warnings = cleaned.get("warnings")
        cleaned["warnings"] = (warnings if isinstance(warnings, list) else []) + problems
    return escape_surrogates(json.dumps(cleaned, ensure_ascii=False, allow_nan=False,
                                        indent=indent))


def escape_surrogates(text: str) -> str:
    """JSON text whose lone surrogates (file names of any bytes, surrogate-escaped by
    ``os.fsdecode``) are written as ``\\udcXX`` escapes: valid UTF-8 on disk, and
    ``json.loads`` gives the same name back."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
