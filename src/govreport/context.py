"""What an extractor works on and with: the report as one normalised text
(:class:`ReportText`, sections and tables as spans over it) and the :class:`Context` that
makes facts with provenance filled in.

One coordinate system: offsets in the normalised report text. A per-section extractor
(plugin API 1) sees one section and gives spans in ``section.text``; the context adds the
section's start. A report-scope extractor (``scope = "report"``, API 2) sees the whole
:class:`ReportText` and gives spans in the report text directly. Either way the pipeline
maps the span to the source's own wording and page.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .boxes import number_span
from .model import Check, Document, Fact, Report, Section, Table
from .numbers import value_kind
from .schema import SECTION_KEYS

if TYPE_CHECKING:
    from .pipeline import _Parse


@dataclass
class ReportText:
    """The whole report for an extractor with ``scope = "report"``.

    ``text`` is the normalised report (Simplified script, clean spacing); ``sections``
    are views of it in print order, the preamble first (``section.text ==
    text[section.start:section.end]``); ``tables`` are ``(offset in text, Table)`` in
    document order, each also in the ``tables`` of the section that holds it.
    """

    text: str
    sections: list[Section]
    tables: list[tuple[int, Table]] = field(default_factory=list)
    _homes: dict[int, Section] | None = field(default=None, init=False, repr=False, compare=False)

    def section_at(self, offset: int) -> Section:
        """The section whose span holds ``offset`` (the first one before it)."""
        starts = [s.start for s in self.sections]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.sections[i]

    def section_of(self, table: Table) -> Section | None:
        """The section a table is attached to (the first, if several list it)."""
        if self._homes is None:  # every table fact asks: index the tables once
            self._homes = {}
            for s in self.sections:
                for t in s.tables:
                    self._homes.setdefault(id(t), s)
        return self._homes.get(id(table))

    @classmethod
    def of_sections(cls, text: str, sections: list[Section]) -> ReportText:
        """The view of ``text`` split into ``sections`` (tables placed at their section's start
        when their own offset is unknown)."""
        ordered = sorted(sections, key=lambda s: s.start)
        tables = [(s.start, t) for s in ordered for t in s.tables]
        return cls(text, ordered, tables)


class Context:
    """What an extractor gets besides its section (or the report): fact/check constructors
    and the report so far."""

    def __init__(self, parse: _Parse, section: Section | None, extractor_name: str,
                 report_text: ReportText | None = None):
        self._parse = parse
        #: The section being read (``None`` for a report-scope extractor).
        self.section = section
        self.extractor_name = extractor_name
        self._view = report_text

    @property
    def report(self) -> Report:
        return self._parse.report

    @property
    def meta(self) -> dict[str, Any]:
        return self._parse.report.meta

    @property
    def facts(self) -> dict[str, Any]:
        """Facts found so far by earlier extractors (read them, don't write them)."""
        return self._parse.report.facts

    @property
    def document(self) -> Document:
        return self._parse.doc

    @property
    def sections(self) -> list[Section]:
        return self._parse.report.sections

    def _home(self, span: tuple[int, int] | None, table: Table | int | None) -> tuple[Section, int]:
        """The section a fact belongs to and the offset its ``span`` is relative to."""
        if self.section is not None:
            return self.section, self.section.start
        view = self._view
        assert view is not None, "a report-scope context has the report text"
        if isinstance(table, Table):
            home = view.section_of(table)
            if home is not None:
                return home, 0
        if span is not None:
            return view.section_at(span[0]), 0
        return view.sections[0], 0

    def fact(self, key: str, value: Any, *, text: str | None = None,
             span: tuple[int, int] | None = None, page: int | None = None,
             table: Table | int | None = None, row: str | None = None, col: str | None = None,
             cell: tuple[int, int] | None = None, **extra: Any) -> Fact:
        """Make a fact with provenance filled in.

        ``span`` is (start, end) in ``section.text`` for a per-section extractor, in the
        report text for a report-scope one; when given, the provenance ``text`` defaults
        to the source's own wording there, ``page`` to the page it sits on and ``bbox`` to
        the box of its characters (PDF) — of the number's characters when ``value_span``
        marks a number inside a sentence (:mod:`govreport.boxes`). ``cell`` = (row, column)
        indices in ``table.rows`` gives a table fact its cell's ``bbox``.
        """
        home, base = self._home(span, table)
        prov: dict[str, Any] = {"section": home.key}
        doc = self._parse.doc
        bbox = None
        if span is not None:
            a, b = self._parse.norm.source_span(base + span[0], base + span[1])
            prov["span"] = [a, b]
            if text is None:
                text = self._parse.raw[a:b]
            if page is None:
                page = doc.page_at(a)
            box_span = (a, b)
            if "value_span" in extra:  # a number in a sentence: box the number
                num = number_span(self._parse.raw[a:b], value, extra["value_span"])
                if num is not None:
                    box_span = (a + num[0], a + num[1])
            found = doc.bbox(*box_span)
            if found is not None and found[0] == page:
                bbox = found[1]
        ocr = None
        if isinstance(table, Table):
            if page is None:
                page = table.page
            if cell is not None and bbox is None and page == table.page:
                bbox = table.cell_box(*cell)
            if page in doc.ocr_pages and page == table.page:
                ocr = _cell_confidence(table, cell if cell is not None else extra.get("cell"), text)
            table = table.index
            if cell is not None:
                prov["cell"] = [cell[0], cell[1]]
        elif span is not None and page in doc.ocr_pages:
            ocr = _span_confidence(doc, *prov["span"])
        prov["page"] = page if page is not None else home.page
        if bbox is not None:
            prov["bbox"] = bbox
        if page is not None and page in doc.ocr_pages:
            prov["ocr"] = True
            prov["confidence"] = None if ocr is None else round(ocr, 3)
        if table is not None:
            prov["table"] = table
        if row is not None:
            prov["row"] = row
        if col is not None:
            prov["col"] = col
        prov["text"] = text if text is not None else ("" if value is None else str(value))
        prov["kind"] = value_kind(value, prov["text"])
        prov.update(extra)
        prov["extractor"] = self.extractor_name
        return Fact(key, value, prov, self.extractor_name)

    def check(self, rule: str, message: str, keys: Iterable[str] = (),
              severity: str = "warning") -> Check:
        return Check(rule, severity, list(keys), message)

    def warn(self, message: str) -> None:
        """Say what was left out and why: reaches ``report.warnings`` (the JSON's
        ``"warnings"``), prefixed with the extractor's name."""
        self._parse.report.warnings.append(f"{self.extractor_name}: {message}")

    def set_meta(self, key: str, value: Any) -> None:
        self._parse.report.meta[key] = value

    def narrative(self, key: str, value: Any) -> None:
        self._parse.report.narrative[key] = value


def wanted_sections(extractor: Any) -> set[str] | None:
    """The section keys a per-section extractor reads; ``None`` for every section
    (``"*"``, or ``"*"`` among the keys)."""
    from .isolation import sections_of

    return sections_of(extractor)[0]


def extractor_problem(extractor: Any) -> str | None:
    """Why an extractor would never run (an unknown scope or section key), or None."""
    import difflib

    scope = getattr(extractor, "scope", "section")
    if scope not in ("section", "report"):
        return f"scope {scope!r} is neither 'section' nor 'report'"
    if scope == "report":
        return None
    wanted = getattr(extractor, "sections", "*")
    if not isinstance(wanted, str):
        try:
            wanted = list(wanted)
        except TypeError:
            return f"sections {wanted!r} is not a section key or a list of them"
        if not wanted:
            return "sections is empty: it would never run"
    unknown = sorted((wanted_sections(extractor) or set()) - set(SECTION_KEYS))
    if unknown:
        hints = [f"{k!r} (did you mean {m[0]!r}?)" if (m := difflib.get_close_matches(k, SECTION_KEYS, 1))
                 else repr(k) for k in unknown]
        return (f"unknown section key(s) {', '.join(hints)}; known: {', '.join(SECTION_KEYS)}, "
                "or \"*\" for every section")
    return None


def _cell_confidence(table: Table, cell: Any, text: str | None) -> float | None:
    """OCR confidence of a table fact's cell: by its (row, col) when given, else the
    lowest of the cells printing exactly ``text`` (never higher than the truth)."""
    grid = table.confidence
    if grid is None:
        return None
    if isinstance(cell, (tuple, list)) and len(cell) == 2:
        r, c = cell
        if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
            return grid[r][c]
    found = [grid[r][c] for r, row in enumerate(table.rows) for c, v in enumerate(row)
             if v is not None and text is not None and v.strip() == text.strip()
             and r < len(grid) and c < len(grid[r]) and grid[r][c] is not None]
    return min(found) if found else None  # type: ignore[type-var]


def _span_confidence(doc: Document, start: int, end: int) -> float | None:
    """Lowest OCR confidence of the characters ``start:end`` of ``doc.text``."""
    for page_start, page in zip(doc.page_starts, doc.pages):
        if page_start <= start <= page_start + len(page.text):
            conf = page.confidence
            if not conf:
                return None
            values = [c for c in conf[start - page_start:end - page_start] if c == c]
            return min(values) if values else None
    return None
