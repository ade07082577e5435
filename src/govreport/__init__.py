"""govreport: Chinese government information-disclosure annual reports -> structured, checked facts.

    >>> import govreport
    >>> report = govreport.parse("report.pdf")          # doctest: +SKIP
    >>> report.facts["requests.new_received.total"]     # doctest: +SKIP

The architecture, one module per stage: ``readers`` → ``normalize`` → ``sections`` →
extractors (pluggy plugins, ``extractors/``) → checks (``checks/``) → ``Report``.
Heavy libraries (pdfplumber, opencc, jieba) load on first use, not on import.
"""
from __future__ import annotations

from typing import Any

from .errors import (
    EmptyFileError,
    EncryptedError,
    GovReportError,
    LimitExceededError,
    LowTextQualityError,
    NotAReportError,
    NoTextLayerError,
    ParseTimeoutError,
    PluginError,
    RecordsError,
    UnreadableError,
    UnsafePathError,
    UnsupportedTypeError,
)
from .hookspecs import PLUGIN_API_VERSION, hookimpl
from .model import Check, Fact, Report, Section, Table
from .options import Options

__version__ = "0.1.0"

__all__ = [
    "parse", "parse_many", "Report", "Section", "Table", "Fact", "Check", "Options",
    "hookimpl", "PLUGIN_API_VERSION", "GovReportError", "EmptyFileError",
    "UnreadableError", "EncryptedError", "NoTextLayerError", "LowTextQualityError",
    "UnsupportedTypeError", "NotAReportError", "LimitExceededError", "ParseTimeoutError",
    "PluginError", "UnsafePathError", "RecordsError", "compare", "resolve_issuer", "series",
]


def parse(source: Any, *, options: Any = None, plugins_dir: Any = None) -> Report:
    """Parse one report (path, bytes or binary file object) into a :class:`Report`."""
    from .pipeline import parse as _parse

    return _parse(source, options=options, plugins_dir=plugins_dir)


def compare(a: Any, b: Any) -> dict[str, Any]:
    """Compare two reports (``Report`` objects or their JSON records): every indicator
    side by side with change and percent change, rates, checks that differ, and the
    problems admitted matched by meaning (see :mod:`govreport.comparison`)."""
    from .comparison import compare as _compare

    return _compare(a, b)


def resolve_issuer(name: str | None, year: int | None = None, text: str | None = None) -> dict[str, Any]:
    """The region of an issuer's name (GB/T 2260 code valid in ``year``); see :mod:`govreport.issuer`."""
    from .issuer import resolve_issuer as _resolve

    return _resolve(name, year, text)


def series(report: Any) -> dict[str, Any]:
    """Harmonised indicators across eras for one report; see :mod:`govreport.research.series`."""
    from .research.series import series as _series

    return _series(report)


def __getattr__(name: str) -> Any:  # lazy: batch pulls in concurrency machinery
    if name == "parse_many":
        from .batch import parse_many

        return parse_many
    raise AttributeError(f"module 'govreport' has no attribute {name!r}")
