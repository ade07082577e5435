"""Regular expressions compiled on first use.

A one-shot ``govreport parse`` compiles a few hundred patterns, and compiling is a
sixth of its CPU: a big Unicode class (``[\\u4e00-\\u9fff]``) costs 1–3 ms, a long
alternation about 1 ms — and many patterns serve one era or one kind of report only
(the pre-2019 request families, the issuer fallbacks). ``lazy(pattern, flags)`` stands
for ``re.compile(pattern, flags)`` and compiles when one of its methods is first called.
"""
from __future__ import annotations

import re
from typing import Any, cast


class LazyPattern:
    """A stand-in for a compiled pattern: attribute access compiles it (once).

    It is not an ``re.Pattern``: call its methods (``rx.search(s)``), do not hand it
    to ``re.sub`` and friends."""

    __slots__ = ("_args", "_rx", "__dict__")

    def __init__(self, pattern: str, flags: int = 0):
        self._args = (pattern, flags)
        self._rx: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        rx = self._rx
        if rx is None:
            rx = self._rx = re.compile(*self._args)
        value = getattr(rx, name)
        # kept on the instance: later uses find the compiled pattern's own method
        # without coming here (this fallback costs twice the search it stands for)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"lazy({self._args[0]!r}, {self._args[1]})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when first used (typed as the pattern
    it stands for)."""
    return cast("re.Pattern[str]", LazyPattern(pattern, flags))
