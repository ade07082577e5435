"""The parse pipeline: readers → normalisation → sections → extractors → checks → Report.

Each stage lives in its own module; this one only wires them together and gives
extractors their ``Context`` (which fills in provenance, so no extractor can emit a fact
that a researcher cannot trace back to the page and the words it came from).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any, BinaryIO

from .boxes import number_span
from .dates import date_meta
from .deadline import _Deadline, time_limit
from .errors import GovReportError, NotAReportError
from .isolation import PLUGIN_FAILURES, check_problem, describe, extra_problem, fact_problem, fail, name_of, sections_of
from .issuer import issuer_meta
from .limits import _MemoryExceeded, memory_error, memory_limit
from .meta import detect_meta
from .model import Check, Document, Fact, Report, Section, Table
from .numbers import value_kind
from .options import Options


class Context:
    """What an extractor gets besides its section: fact/check constructors and the report."""

    def __init__(self, parse: _Parse, section: Section, extractor_name: str):
        self._parse = parse
        self.section = section
        self.extractor_name = extractor_name

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

    def fact(self, key: str, value: Any, *, text: str | None = None,
             span: tuple[int, int] | None = None, page: int | None = None,
             table: Table | int | None = None, row: str | None = None, col: str | None = None,
             cell: tuple[int, int] | None = None, **extra: Any) -> Fact:
        """Make a fact with provenance filled from the section.

        ``span`` is (start, end) in ``section.text``; when given, the provenance ``text``
        defaults to the source's own wording there, ``page`` to the page it sits on and
        ``bbox`` to the box of its characters (PDF) — of the number's characters when
        ``value_span`` marks a number inside a sentence (:mod:`govreport.boxes`). ``cell`` = (row,
        column) indices in ``table.rows`` gives a table fact its cell's ``bbox``.
        """
        prov: dict[str, Any] = {"section": self.section.key}
        bbox = None
        if span is not None:
            a, b = self._parse.norm.source_span(self.section.start + span[0],
                                                self.section.start + span[1])
            prov["span"] = [a, b]
            if text is None:
                text = self._parse.raw[a:b]
            if page is None:
                page = self._parse.doc.page_at(a)
            box_span = (a, b)
            if "value_span" in extra:  # a number in a sentence: box the number
                num = number_span(self._parse.raw[a:b], value, extra["value_span"])
                if num is not None:
                    box_span = (a + num[0], a + num[1])
            found = self._parse.doc.bbox(*box_span)
            if found is not None and found[0] == page:
                bbox = found[1]
        ocr = None
        if isinstance(table, Table):
            if page is None:
                page = table.page
            if cell is not None and bbox is None and page == table.page:
                bbox = table.cell_box(*cell)
            if page in self._parse.doc.ocr_pages and page == table.page:
                ocr = _cell_confidence(table, cell if cell is not None else extra.get("cell"), text)
            table = table.index
        elif span is not None and page in self._parse.doc.ocr_pages:
            ocr = _span_confidence(self._parse.doc, *prov["span"])
        prov["page"] = page if page is not None else self.section.page
        if bbox is not None:
            prov["bbox"] = bbox
        if page is not None and page in self._parse.doc.ocr_pages:
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
        self._parse.report.warnings.append(f"{self.extractor_name}: {message}")

    def set_meta(self, key: str, value: Any) -> None:
        self._parse.report.meta[key] = value

    def narrative(self, key: str, value: Any) -> None:
        self._parse.report.narrative[key] = value


class _Parse:
    """State of one parse; kept off the public Report."""

    def __init__(self, doc: Document, options: Options):
        from .normalize import normalize

        self.doc = doc
        self.options = options
        self.raw = doc.text
        self.norm = normalize(self.raw)
        self.report: Report = None  # type: ignore[assignment]


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


def _normalise_table(table: Table, script: str) -> Table:
    from .normalize import normalize_cell

    seen: dict[str | None, str | None] = {}  # spanned cells repeat one text many times

    def norm(c: str | None) -> str | None:
        if c not in seen:
            seen[c] = normalize_cell(c, script=script)
        return seen[c]

    rows = [[norm(c) for c in row] for row in table.rows]
    return Table(rows=rows, page=table.page, offset=table.offset, index=table.index,
                 source=table.source, boxes=table.boxes, confidence=table.confidence)


def build_sections(state: _Parse, pre2019: bool) -> tuple[Section, list[Section]]:
    from .sections import split_sections

    text = state.norm.text
    preamble_span, spans = split_sections(text, pre2019=pre2019)
    tables = [(state.norm.from_source(t.offset), _normalise_table(t, state.norm.script))
              for t in state.doc.tables]

    def make(span) -> Section:
        a, _ = state.norm.source_span(span.start, span.start + 1)
        mine = [t for off, t in tables if span.start <= off < span.end]
        title_raw = state.norm.source_text(span.start, span.start + len(span.title))
        return Section(key=span.key, title=span.title, text=text[span.start:span.end],
                       start=span.start, end=span.end, page=state.doc.page_at(a),
                       tables=mine, title_raw=title_raw)

    return make(preamble_span), [make(s) for s in spans]


def _source_dict(doc: Document) -> dict[str, Any]:
    source: dict[str, Any] = {"path": doc.path, "sha256": doc.sha256, "kind": doc.kind}
    if doc.ocr_pages:
        source["ocr_pages"] = len(doc.ocr_pages)
    return source


_REPORT_WORDS = ("政府信息公开", "信息公开", "政务公开", "依申请公开")
# Pages a web server or a firewall sends instead of the report, often saved as ".pdf".
# Phrases only (a bare "404" or "错误" occurs in real reports).
_ERROR_PAGE = re.compile(
    r"404\s*not\s*found|not\s*found|403\s*forbidden|forbidden|access\s*denied|"
    r"internal\s*server\s*error|bad\s*gateway|service\s*unavailable|"
    r"页面不存在|页面未找到|找不到(?:该|此|您要访问的)?页面|您(?:所)?访问的页面|页面已(?:被)?删除|"
    r"访问(?:被)?拒绝|无权访问|服务器错误|网站防火墙|安全狗|请输入验证码|请开启javascript|"
    r"请启用javascript|enable\s*javascript|访问过于频繁",
    re.I)


def _looks_like_report(text: str) -> bool:
    return any(w in text for w in _REPORT_WORDS)


def _not_a_report(doc: Document, text: str, *, quote: bool = True) -> str | None:
    """Why ``text`` (normalised) is not an annual report, or ``None`` when it may be one.

    A report uses 政府信息公开 wording. A web error page carrying that wording only in
    its navigation is refused too: an error phrase, and neither 主动公开 nor 申请 in it.
    """
    error = _ERROR_PAGE.search(text)
    if _looks_like_report(text):
        if error is None or ("主动公开" in text and "申请" in text):
            return None
        found = f"a web error page ({error.group(0)!r}), not a report"
    elif error is not None:
        found = f"a web error page ({error.group(0)!r}) and no 政府信息公开 wording"
    else:
        found = "no 政府信息公开 wording"
    body = " ".join(text.split())
    what = {"pdf": "a PDF", "html": "an HTML page", "docx": "a Word document",
            "markdown": "a markdown file", "text": "a text file"}.get(doc.kind, doc.kind)
    title = " ".join((doc.title_hint or "").split())
    n = len(doc.pages)
    pages = f", {n} page{'s' if n != 1 else ''}" if doc.kind == "pdf" else ""
    if not quote:  # nothing of the file's own text (batch error records)
        found = "a web error page, not a report" if error is not None else found
        return (f"not a government information-disclosure annual report: found {what} "
                f"({len(body)} characters of text{pages}; {found.split(' (')[0]})")
    return (f"not a government information-disclosure annual report: found {what}"
            + (f" titled {title[:60]!r}" if title else "")
            + f" ({len(body)} characters of text{pages}; {found}; text begins {body[:40]!r})")


def run_extractors(state: _Parse, registry, preamble: Section) -> None:
    report = state.report
    for extractor in registry.extractors:
        name = name_of(extractor)
        wanted, problem = sections_of(extractor)
        if problem:
            fail(report, f"extractor {name} not run: {problem}")
            continue
        targets = [preamble] + report.sections
        if wanted is not None:
            targets = [s for s in targets if s.key in wanted]
        for section in targets:
            ctx = Context(state, section, name)
            try:
                for item in extractor.extract(section, ctx) or ():
                    _accept(report, item, name)
            except PLUGIN_FAILURES as exc:  # one broken extractor never stops the parse
                fail(report, f"extractor {name} failed on section {section.key}: {describe(exc)}")


def _accept(report: Report, item: Any, extractor: str) -> None:
    if isinstance(item, Check) or not isinstance(item, Fact):
        problem = check_problem(item)
        if problem:
            fail(report, f"extractor {extractor} yielded {problem}; left out")
        else:
            report.checks.append(item)
        return
    problem = fact_problem(item)
    if problem:
        fail(report, f"extractor {extractor} yielded {problem}; left out")
        return
    if item.key in report.facts:
        try:
            same = bool(report.facts[item.key] == item.value)
        except PLUGIN_FAILURES:
            same = False
        if not same:
            report.warnings.append(
                f"{item.key}: {extractor} found {item.value!r}, kept {report.facts[item.key]!r} "
                f"from {report.provenance[item.key].get('extractor')}")
        return
    report.facts[item.key] = item.value
    report.provenance[item.key] = item.provenance


def run_checks(report: Report, registry) -> None:
    for validator in registry.validators:
        name = name_of(validator)
        try:
            for check in validator.check(report) or ():
                problem = check_problem(check)
                if problem:
                    fail(report, f"check {name} yielded {problem}; left out")
                else:
                    report.checks.append(check)
        except PLUGIN_FAILURES as exc:
            fail(report, f"check {name} failed: {describe(exc)}")


def run_extras(report: Report, registry) -> None:
    for plugin_name, func in registry.extras_impls():
        try:
            extra = func(report=report)
        except PLUGIN_FAILURES as exc:
            fail(report, f"plugin {plugin_name} failed in govreport_report_extras: {describe(exc)}")
            continue
        problem = extra_problem(extra)
        if problem:
            fail(report, f"plugin {plugin_name} returned extras that are not JSON data "
                         f"({problem}); left out")
        elif extra is not None:
            report.plugins[plugin_name] = extra


def parse_document(doc: Document, options: Options | None = None, *,
                   registry=None, plugins_dir: str | os.PathLike[str] | None = None) -> Report:
    """Run every stage after reading on an already-read ``Document``."""
    from .plugins import get_registry

    options = Options.coerce(options)
    registry = registry or get_registry(plugins_dir, options.disabled_plugins)
    state = _Parse(doc, options)
    text = state.norm.text
    why = _not_a_report(doc, text)
    if why is not None:
        err = NotAReportError(doc.path, why)
        # the same without a word of the file's own text: for batch error records, which
        # must never copy a file that is not a report (a symlink to /etc/shadow …)
        err.without_content = _not_a_report(doc, text, quote=False)
        raise err
    from .normalize import normalize

    hint = normalize(doc.title_hint).text if doc.title_hint else None
    meta = detect_meta(text, title_hint=hint, script=state.norm.script)
    meta.update(issuer_meta(meta.get("issuer"), meta.get("year"), text))
    meta.update(date_meta(text, meta, doc.created))
    preamble, sections = build_sections(state, pre2019=meta["era"] == "pre2019")
    state.report = Report(source=_source_dict(doc), meta=meta, sections=sections)
    state.report.warnings.extend(registry.warnings)
    state.report.warnings.extend(doc.warnings)
    for w in registry.warnings:
        state.report.checks.append(Check("PLUGIN-ERROR", "warning", [], w))
    run_extractors(state, registry, preamble)
    run_checks(state.report, registry)
    run_extras(state.report, registry)
    return state.report


def parse(source: str | os.PathLike[str] | bytes | BinaryIO, *,
          options: Options | dict[str, Any] | None = None,
          plugins_dir: str | os.PathLike[str] | None = None) -> Report:
    """Parse one report (a path, bytes or a binary file object) into a ``Report``.

    Raises a ``GovReportError`` subclass naming the file and the reason for any input
    that cannot be parsed; never returns a silently wrong result for such input.
    ``options.timeout`` (seconds) and ``options.max_memory_mb`` bound the whole parse:
    past them, ``ParseTimeoutError`` / ``LimitExceededError`` (see :mod:`govreport.limits`).
    """
    options = Options.coerce(options)
    name: str | None
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
    else:
        fname = getattr(source, "name", None)
        name = fname if isinstance(fname, str) else None
    limit = time_limit(options.timeout, name)
    try:
        with limit, memory_limit(options.max_memory_mb, name, hard_timeout=options.timeout):
            return _parse(source, options, plugins_dir, name)
    except _Deadline:  # fired in the very instant the block ended
        raise limit.error() from None
    except _MemoryExceeded:
        raise memory_error(name, options.max_memory_mb) from None


def _parse(source, options: Options, plugins_dir, name: str | None) -> Report:
    from .plugins import get_registry
    from .readers import read_document

    registry = get_registry(plugins_dir, options.disabled_plugins)
    try:
        doc = read_document(source, options=options, registry=registry)
    except GovReportError:
        raise
    except OSError as exc:  # read_document turns the usual ones into UnreadableError
        from .errors import UnreadableError

        raise UnreadableError(name, f"{type(exc).__name__}: {exc}") from exc
    return parse_document(doc, options, registry=registry)
