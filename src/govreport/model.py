"""Data model shared by every stage: what readers produce and what a parse returns.

Stages hand each other plain dataclasses so that each module can be tested alone:

    readers -> Document (pages of raw text + table grids)
    normalize -> Text (simplified, cleaned text with an offset map back to the source)
    sections -> list[Section]
    extractors -> Fact, checks -> Check
    pipeline -> Report (to_dict() is the SCHEMA §1 object)
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

Cell = "str | None"


@dataclass
class Table:
    """A table grid as printed: rows of cell strings, merged cells expanded.

    A cell spanned by a rowspan/colspan repeats the spanning cell's text when the
    reader knows it (HTML), or is ``None`` where the source leaves it empty (pdfplumber).
    ``offset`` is the character offset in the document's raw text where the table sits,
    so the pipeline can hand each section the tables printed inside it.
    """

    rows: list[list[str | None]]
    page: int | None = None
    offset: int = 0
    index: int = 0
    source: str = ""  # "pdf", "html", "markdown", "docx", "text", "ocr"
    #: OCR: per cell, the lowest recognition confidence of its characters (None: blank)
    confidence: list[list[float | None]] | None = None
    # PDF: per cell, (x0, top, x1, bottom) in points on ``page`` — its characters' union,
    # or the cell itself when blank; None where the reader knows no box
    boxes: list[list[tuple[float, float, float, float] | None]] | None = None

    def cell_box(self, row: int, col: int) -> list[float] | None:
        """The box of cell (row, col) as [x0, top, x1, bottom], rounded to 0.01 pt."""
        if self.boxes is None or not 0 <= row < len(self.boxes):
            return None
        cells = self.boxes[row]
        if not 0 <= col < len(cells) or cells[col] is None:
            return None
        return [round(v, 2) for v in cells[col]]  # type: ignore[union-attr]

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Page:
    """One page of a PDF, or the whole body of a one-page source (HTML, text)."""

    number: int | None
    text: str
    tables: list[Table] = field(default_factory=list)
    # PDF: 4 floats (x0, top, x1, bottom, points from the page's top-left) per character
    # of ``text``; NaN for characters the layout inserted (spaces, line breaks)
    boxes: Any = None

    def span_box(self, start: int, end: int) -> list[float] | None:
        """Union box of the characters ``text[start:end]`` that have one, or None."""
        boxes = self.boxes
        if boxes is None:
            return None
        start, end = max(start, 0), min(end, len(self.text), len(boxes) // 4)
        x0 = top = math.inf
        x1 = bottom = -math.inf
        for i in range(start, end):
            a = boxes[4 * i]
            if a != a:  # NaN: no box
                continue
            x0 = min(x0, a)
            top = min(top, boxes[4 * i + 1])
            x1 = max(x1, boxes[4 * i + 2])
            bottom = max(bottom, boxes[4 * i + 3])
        if x0 == math.inf:
            return None
        return [round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)]
    #: OCR: the recognition confidence of each character of ``text`` (NaN for a space or
    #: line break the layout put in); None for a page that was not OCR'd
    confidence: list[float] | None = None


@dataclass
class Document:
    """What a reader returns: the raw text of the source, page by page, and its tables."""

    path: str
    sha256: str
    kind: str  # pdf | html | text | markdown | docx
    pages: list[Page]
    title_hint: str | None = None  # e.g. an HTML <title> or a crawler dump's 标题: line
    encoding: str | None = None
    created: str | None = None  # a PDF's CreationDate (ISO): weak evidence of publication
    #: numbers of pages without a usable text layer (scans) that no reader filled in
    pages_without_text: list[int] = field(default_factory=list)
    #: numbers of the pages read by OCR (their facts say ``ocr: true`` in provenance)
    ocr_pages: list[int] = field(default_factory=list)
    #: what the readers had to say (a reader that failed, pages left unread, pdfminer's
    #: log); they reach ``Report.warnings``
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All pages joined by a newline; page starts are in ``page_starts``."""
        return "\n".join(p.text for p in self.pages)

    @property
    def page_starts(self) -> list[int]:
        starts, pos = [], 0
        for p in self.pages:
            starts.append(pos)
            pos += len(p.text) + 1
        return starts

    @property
    def tables(self) -> list[Table]:
        return [t for p in self.pages for t in p.tables]

    def bbox(self, start: int, end: int) -> tuple[int | None, list[float]] | None:
        """(page number, [x0, top, x1, bottom]) of the raw text ``start:end``: the union
        of its characters' boxes on the page where it starts; None without boxes."""
        for page_start, page in zip(reversed(self.page_starts), reversed(self.pages)):
            if page_start <= start:
                if page.boxes is None:
                    return None
                box = page.span_box(start - page_start, end - page_start)
                return None if box is None else (page.number, box)
        return None

    def page_at(self, offset: int) -> int | None:
        """Page number holding raw character ``offset`` (None for page-less sources)."""
        number = None
        for start, page in zip(self.page_starts, self.pages):
            if start > offset:
                break
            number = page.number
        return number


@dataclass
class Section:
    """A canonical section of a report (SCHEMA §2), as offered to extractors.

    ``text`` is normalised Simplified Chinese; ``start``/``end`` are offsets into the
    normalised text of the whole report, so a fact's span can be mapped back to the
    source's own wording for provenance.
    """

    key: str
    title: str
    text: str
    start: int
    end: int
    page: int | None = None
    tables: list[Table] = field(default_factory=list)
    title_raw: str = ""


@dataclass
class Fact:
    """One number (or null) under a SCHEMA §3 key, with where it came from.

    ``provenance`` holds the section key, page, table index, row and column labels as
    printed and ``text`` (the source's own wording), so any value can be audited.
    Make facts with ``Context.fact`` inside an extractor; it fills provenance for you.
    """

    key: str
    value: Any
    provenance: dict[str, Any]
    extractor: str = ""


@dataclass
class Check:
    """A finding about the report's own numbers (SCHEMA §4) or about the parse itself."""

    rule: str
    severity: str  # "error" | "warning" | "info"
    keys: list[str]
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "keys": list(self.keys),
                "message": self.message}


@dataclass
class Report:
    """The result of ``govreport.parse``; ``to_dict()`` is the SCHEMA §1 object."""

    source: dict[str, Any]
    meta: dict[str, Any]
    sections: list[Section]
    facts: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    narrative: dict[str, Any] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    plugins: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": dict(self.source),
            "meta": dict(self.meta),
            "sections": [{"key": s.key, "title": s.title, "page": s.page} for s in self.sections],
            "facts": dict(self.facts),
            "provenance": {k: dict(v) for k, v in self.provenance.items()},
            "narrative": {
                "problems": list(self.narrative.get("problems", [])),
                "improvements": list(self.narrative.get("improvements", [])),
                "themes": list(self.narrative.get("themes", [])),
                **{k: v for k, v in self.narrative.items()
                   if k not in ("problems", "improvements", "themes")},
            },
            "checks": [c.to_dict() for c in self.checks],
            "plugins": dict(self.plugins),
        }

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, default=str)

    def to_html(self, source: Any = None, **options: Any) -> str:
        """The offline audit page of this report (:func:`govreport.view.report_html`):
        the source with a box over every extracted number, facts and checks beside it."""
        from .view import report_html

        return report_html(self, source, **options)
