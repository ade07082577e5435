"""Calls into plugin code, guarded: a plugin's failure or bad output is its own.

Every touch of a plugin object goes through here — reading its ``name`` or ``sections``
(properties may raise), calling ``extract``/``check``/``govreport_report_extras``, and
taking what they give back. A failure (any exception, ``SystemExit`` included) or an
output that is not what the hook promises (a check that is a string, a fact whose value
is circular, NaN or no JSON at all) becomes one ``PLUGIN-ERROR`` check and warning on
that report; the report's other facts stand. Time and memory limits are not plugin
failures: they pass through (they are ``BaseException``, see :mod:`govreport.limits`).
"""
from __future__ import annotations

import math
from typing import Any

from .jsonsafe import INT64_MAX, INT64_MIN, MAX_DEPTH, clean
from .model import Check, Fact, Report

# What a plugin may raise and be isolated from: every exception, and SystemExit (a
# plugin calling sys.exit must not end a parse or a batch). KeyboardInterrupt and the
# limits' own exceptions pass.
PLUGIN_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit)


def describe(exc: BaseException) -> str:
    """``Type: message`` in one line, even when ``str(exc)`` itself raises."""
    try:
        text = " ".join(str(exc).split())
    except PLUGIN_FAILURES:
        text = "(the exception's message cannot be shown)"
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


def fail(report: Report, message: str) -> None:
    report.warnings.append(message)
    report.checks.append(Check("PLUGIN-ERROR", "warning", [], message))


def name_of(obj: Any) -> str:
    """The plugin object's ``name`` as text; its class name if that is missing or raises."""
    try:
        name = getattr(obj, "name", None)
        if isinstance(name, str) and name:
            return name
    except PLUGIN_FAILURES:
        pass
    return type(obj).__name__


def sections_of(obj: Any) -> tuple[set[str] | None, str | None]:
    """``(section keys, problem)``: ``None`` keys mean every section (``"*"``)."""
    try:
        wanted = getattr(obj, "sections", "*")
        if wanted == "*" or wanted is None:
            return None, None
        if isinstance(wanted, str):
            return {wanted}, None
        keys = set(wanted)
    except PLUGIN_FAILURES as exc:
        return set(), f"its sections cannot be read: {describe(exc)}"
    if "*" in keys:
        return None, None
    if not all(isinstance(k, str) for k in keys):
        return set(), "its sections are not section keys (text)"
    return keys, None


def fact_problem(item: Fact) -> str | None:
    """Why a plugin's fact cannot go into the report (``None``: it can)."""
    if not isinstance(item.key, str) or not item.key:
        return f"a fact whose key is {type(item.key).__name__}, not text"
    if _plain(item.value, 0) and _plain(item.provenance, 0):
        return None
    problems = _structural({"value": item.value, "provenance": item.provenance})
    if problems:
        return f"fact {item.key!r} is not JSON data ({problems[0]})"
    return None


def check_problem(item: Any) -> str | None:
    """Why a plugin's check cannot go into the report (``None``: it can)."""
    if not isinstance(item, Check):
        return f"a {type(item).__name__}, not a Check"
    if not (isinstance(item.rule, str) and isinstance(item.message, str)
            and isinstance(item.severity, str)
            and isinstance(item.keys, (list, tuple)) and all(isinstance(k, str) for k in item.keys)):
        return f"a malformed Check (rule {item.rule!r})"
    return None


def extra_problem(value: Any) -> str | None:
    problems = _structural(value)
    return problems[0] if problems else None


def _plain(value: Any, depth: int) -> bool:
    """Is ``value`` plain JSON data (text, 64-bit integers, finite floats, lists and
    dicts of them, not nested deeper than the exports cut)? A quick yes for what every
    extractor yields; anything else gets :func:`_structural`'s full walk, which names
    the problem (a cycle ends here as too deep)."""
    kind = type(value)
    if kind is dict:
        for k in value:
            if type(k) is not str:
                return False
        return _plain_items(value.values(), depth)
    if kind is list or kind is tuple:
        return _plain_items(value, depth)
    return _plain_items((value,), depth - 1)


def _plain_items(items: Any, depth: int) -> bool:
    if depth >= MAX_DEPTH:
        return False
    for v in items:
        kind = type(v)
        if kind is str or kind is bool or v is None:
            continue
        if kind is int:
            if not INT64_MIN <= v <= INT64_MAX:
                return False
        elif kind is float:
            if not math.isfinite(v):
                return False
        elif kind is dict or kind is list or kind is tuple:
            if not _plain(v, depth + 1):
                return False
        else:
            return False
    return True


def _structural(value: Any) -> list[str]:
    """What makes ``value`` no JSON data (a number too long for 64 bits is fine here: the
    exports write it as text, with a warning)."""
    _, problems = clean(value)
    return [p for p in problems if "too large" not in p]
