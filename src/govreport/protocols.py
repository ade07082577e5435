"""The shapes of what plugins register, as typed ``Protocol``\\ s (for type checkers and
``isinstance``): per-section extractors (plugin API 1), report-scope extractors (API 2)
and validators. See docs/plugins.md."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, Protocol, runtime_checkable

from .context import Context, ReportText
from .model import Check, Fact, Report, Section


@runtime_checkable
class SectionExtractor(Protocol):
    """Called once per section it names (``sections``: section keys, or ``"*"``)."""

    name: str
    sections: str | Iterable[str]

    def extract(self, section: Section, context: Context) -> Iterable[Fact | Check] | None: ...


@runtime_checkable
class ReportExtractor(Protocol):
    """``scope = "report"``: called once per report with the whole :class:`ReportText`;
    spans given to ``context.fact`` are offsets in ``report.text``."""

    name: str
    scope: Literal["report"]

    def extract(self, report: ReportText, context: Context) -> Iterable[Fact | Check] | None: ...


@runtime_checkable
class Validator(Protocol):
    """Called once per report after every extractor; yields findings, changes nothing."""

    name: str

    def check(self, report: Report) -> Iterable[Check] | None: ...


Extractor = SectionExtractor | ReportExtractor
