"""Testing kit for govreport plugin authors: plain functions and a pytest plugin.

Installed with govreport as the ``pytest11`` entry point ``govreport``, so its fixtures
are available in any test suite of a venv that has govreport — no ``conftest.py`` needed.

Functions (import them from ``govreport.testing``)::

    run_extractor(extractor, text, section_key="overview")    -> list[Fact]
    extract_snippet(extractor, text, ...)                      -> Snippet (facts, checks, warnings)
    report_from_facts({"review.total": 3, ...})                -> Report (no file, no parse)
    run_extras(plugin, report, name="my-plugin")               -> the plugin's extras dict
    make_report(tmp_path, facts=..., sections=..., kind="pdf") -> GeneratedReport (a file)
    make_series(tmp_path, [2021, 2022, 2023], granted={2022: 80}) -> one office over years
    parse_with(path, plugins=[my_module])                      -> Report (built-ins + yours)

Fixtures (all prefixed ``govreport_``): ``govreport_run_extractor``,
``govreport_make_report``, ``govreport_parse``, ``govreport_plugins_dir``.

This module imports only the standard library and pytest at import time: pytest loads it
in every test session of the venv. govreport's pipeline, the report generator
(``govreport.fixtures``) and reportlab are imported on first use.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from .fixtures import ReportSpec
    from .model import Check, Fact, Report, Table

__all__ = [
    "Snippet", "GeneratedReport", "PluginsDir", "run_extractor", "extract_snippet",
    "report_from_facts", "run_extras", "make_report", "make_spec", "make_series", "parse_with",
    "load_registry",
]

_SNIPPET_PATH = "<snippet>"


# ---------------------------------------------------------------------------------------
# Running one extractor on a snippet
# ---------------------------------------------------------------------------------------

@dataclass
class Snippet:
    """Everything one extractor produced on a snippet."""

    facts: list[Fact]
    checks: list[Check]
    warnings: list[str]
    section: Any
    report: Report

    @property
    def values(self) -> dict[str, Any]:
        """``{key: value}`` of the facts (the first value of a key wins, as in a parse)."""
        out: dict[str, Any] = {}
        for f in self.facts:
            out.setdefault(f.key, f.value)
        return out


def _as_table(table: Any, index: int, page: int | None) -> Table:
    from .model import Table

    if isinstance(table, Table):
        return table
    rows = [[None if c is None else str(c) for c in row] for row in table]
    return Table(rows=rows, page=page, offset=0, index=index, source="text")


def extract_snippet(extractor: Any, text: str, section_key: str = "overview", *,
                    title: str = "", tables: Sequence[Any] = (),
                    facts: Mapping[str, Any] | None = None,
                    meta: Mapping[str, Any] | None = None, page: int | None = 1) -> Snippet:
    """Run ``extractor.extract`` on ``text`` as the body of one section.

    The text goes through govreport's normalisation (Traditional → Simplified, spacing),
    exactly as in a parse, and ``context.fact(..., span=...)`` fills provenance from it.
    ``tables``: :class:`govreport.Table` objects or plain grids (lists of rows of cell
    strings) attached to the section. ``facts``: facts "found by earlier extractors"
    (``context.facts``). ``meta``: report meta (defaults: post2019, year 2023).

    Exceptions raised by the extractor propagate, so a test shows the traceback (in a
    real parse they become a ``PLUGIN-ERROR`` warning instead).
    """
    from .model import Check, Document, Fact, Page, Report, Section
    from .options import Options
    from .pipeline import Context, _Parse

    doc = Document(path=_SNIPPET_PATH, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                   kind="text", pages=[Page(number=page, text=text)])
    state = _Parse(doc, Options())
    norm_text = state.norm.text
    section = Section(key=section_key, title=title, text=norm_text, start=0, end=len(norm_text),
                      page=page, tables=[_as_table(t, i, page) for i, t in enumerate(tables)],
                      title_raw=title)
    base_meta: dict[str, Any] = {"title": None, "issuer": None, "year": 2023,
                                 "era": "post2019", "script": state.norm.script,
                                 "table2_variant": None, "table3_variant": None}
    base_meta.update(meta or {})
    report = Report(source={"path": _SNIPPET_PATH, "sha256": doc.sha256, "kind": "text"},
                    meta=base_meta, sections=[section])
    report.facts.update(facts or {})
    state.report = report
    name = getattr(extractor, "name", type(extractor).__name__)
    ctx = Context(state, section, name)
    found_facts: list[Fact] = []
    found_checks: list[Check] = []
    for item in extractor.extract(section, ctx) or ():
        if isinstance(item, Fact):
            found_facts.append(item)
        elif isinstance(item, Check):
            found_checks.append(item)
        else:
            raise TypeError(f"extractor {name} yielded {type(item).__name__}, "
                            "not a Fact or a Check (use context.fact / context.check)")
    return Snippet(found_facts, found_checks, list(report.warnings), section, report)


def run_extractor(extractor: Any, text: str, section_key: str = "overview",
                  **kwargs: Any) -> list[Fact]:
    """The facts ``extractor`` yields on ``text`` as section ``section_key``.

    Keyword arguments as :func:`extract_snippet` (``title``, ``tables``, ``facts``,
    ``meta``, ``page``).
    """
    return extract_snippet(extractor, text, section_key, **kwargs).facts


# ---------------------------------------------------------------------------------------
# Reports without files, and report extras
# ---------------------------------------------------------------------------------------

def report_from_facts(facts: Mapping[str, Any], *, meta: Mapping[str, Any] | None = None,
                      path: str = "<facts>") -> Report:
    """A :class:`govreport.Report` holding ``facts`` — for testing checks and extras."""
    from .model import Report

    base_meta: dict[str, Any] = {"title": None, "issuer": None, "year": 2023,
                                 "era": "post2019", "script": "simplified",
                                 "table2_variant": "2021", "table3_variant": "2021"}
    base_meta.update(meta or {})
    report = Report(source={"path": path, "sha256": None, "kind": "text"}, meta=base_meta,
                    sections=[])
    report.facts.update(facts)
    for key, value in facts.items():
        report.provenance[key] = {"section": None, "page": None, "text": str(value),
                                  "extractor": "report_from_facts"}
    return report


def load_registry(plugins: Iterable[Any] = (), *, builtins: bool = False,
                  entry_points: bool = False, plugins_dir: str | os.PathLike[str] | None = None,
                  disabled: Iterable[str] = ()):
    """A fresh plugin registry with just ``plugins`` (modules, objects or ``(name,
    plugin)`` pairs) — plus the built-ins and installed plugins when asked."""
    from .plugins import build_registry

    return build_registry(plugins_dir, disabled, plugins=list(plugins), builtins=builtins,
                          entry_points=entry_points)


def run_extras(plugin: Any, report: Report, *, name: str | None = None) -> Any:
    """Call ``plugin``'s ``govreport_report_extras`` through the plugin manager, as a
    parse does, and return what it adds under ``report.plugins[name]`` (None if nothing).

    Raises if the plugin failed to load (e.g. a malformed hook) or the hook raised.
    """
    registry = load_registry([(name, plugin)] if name else [plugin])
    info = registry.plugins[0] if registry.plugins else None
    if info is None or info.error:
        raise RuntimeError(f"plugin did not load: {info.error if info else 'not registered'}")
    for plugin_name, func in registry.extras_impls():
        if plugin_name == info.name:
            extra = func(report=report)
            if extra is not None:
                report.plugins[plugin_name] = extra
            return extra
    raise RuntimeError(f"plugin {info.name} has no govreport_report_extras hook")


# ---------------------------------------------------------------------------------------
# Generated report files
# ---------------------------------------------------------------------------------------

#: The section holding each prose fact of ``govreport.fixtures.default_spec`` (so that a
#: replaced section body drops the facts only its default text stated).
_DEFAULT_PROSE_SECTIONS = {
    "proactive.items": ("overview", "proactive"),
    "info_fee.collected_amount_yuan": ("other",),
    "legacy.requests.received": ("requests",),
    "legacy.requests.in_person": ("requests",),
    "legacy.requests.online": ("requests",),
    "legacy.requests.letter": ("requests",),
    "legacy.responses.granted": ("requests",),
    "legacy.responses.partially_granted": ("requests",),
    "legacy.responses.not_exist": ("requests",),
    "fees.collected_yuan": ("fees",),
    "fees.waived_yuan": ("fees",),
    "review.total": ("review_litigation",),
    "litigation.total": ("review_litigation",),
}


@dataclass
class GeneratedReport:
    """A report file written from a spec, with the facts it states."""

    path: Path
    spec: ReportSpec
    expected_facts: dict[str, Any] = field(default_factory=dict)
    kind: str = "pdf"

    def __fspath__(self) -> str:
        return str(self.path)


def make_spec(facts: Mapping[str, Any] | None = None,
              sections: Mapping[str, str] | None = None, *,
              prose_facts: Mapping[str, Any] | None = None, era: str = "post2019",
              variant: str = "2021", **overrides: Any) -> ReportSpec:
    """A :class:`govreport.fixtures.ReportSpec`: the complete default report of
    ``era``/``variant``, changed by a few facts and sections.

    ``facts``: table cells to print differently (keys of tables 二/三/四, e.g.
    ``{"requests.granted.total": 40}``; ``None`` prints a blank cell). Table totals are
    not recomputed — pass ``table3=govreport.fixtures.make_table3(...)`` for a consistent
    table. ``sections``: section key -> body text, replacing the default body (or adding
    the section at the end). ``prose_facts``: the facts your section texts state, for
    :func:`govreport.fixtures.expected_facts`. ``overrides``: other ReportSpec fields
    (``issuer``, ``year``, ``traditional``, ``split_table3_at_row``, …).
    """
    from dataclasses import replace

    from . import fixtures as fx

    spec = fx.default_spec(era=era, variant=variant, **overrides)
    sections = dict(sections or {})
    if sections:
        new_sections = dict(spec.sections)
        new_sections.update(sections)
        kept = {k: v for k, v in spec.prose_facts.items()
                if not set(_DEFAULT_PROSE_SECTIONS.get(k, ())) & set(sections)}
        spec = replace(spec, sections=new_sections, prose_facts=kept)
    if prose_facts:
        spec = replace(spec, prose_facts={**spec.prose_facts, **prose_facts})
    if facts:
        tables: dict[str, Any] = {"table2": spec.table2, "table3": spec.table3, "table4": spec.table4}
        homes: dict[str, str] = {}
        if spec.table2 is not None:
            homes.update({k: "table2" for k in fx.table2_keys(spec.table2.variant)})
        if spec.table3 is not None:
            homes.update({k: "table3" for k in fx.table3_keys(spec.table3.variant)})
        if spec.table4 is not None:
            homes.update({k: "table4" for k in fx.table4_keys()})
        unknown = [k for k in facts if k not in homes]
        if unknown:
            raise ValueError(
                f"not table cells of this {era}/{variant} report: {unknown}; state prose "
                "facts in a section text and pass them as prose_facts=")
        for home in set(homes[k] for k in facts):
            table = tables[home]
            values = dict(table.values)
            values.update({k: v for k, v in facts.items() if homes[k] == home})
            tables[home] = replace(table, values=values)
        spec = replace(spec, **tables)
    return spec


_SUFFIX = {"pdf": ".pdf", "text": ".txt", "html": ".html", "markdown": ".md", "oneline": ".txt"}


def make_report(directory: str | os.PathLike[str], facts: Mapping[str, Any] | None = None,
                sections: Mapping[str, str] | None = None, *, kind: str = "pdf",
                name: str = "report", spec: ReportSpec | None = None,
                **spec_args: Any) -> GeneratedReport:
    """Write a generated report into ``directory`` and return it with its expected facts.

    ``kind``: ``pdf`` (needs reportlab), ``text``, ``html``, ``markdown`` or ``oneline``.
    Either pass a ready ``spec`` or arguments for :func:`make_spec`.
    """
    from . import fixtures as fx

    if kind not in _SUFFIX:
        raise ValueError(f"kind must be one of {sorted(_SUFFIX)}, not {kind!r}")
    if spec is None:
        spec = make_spec(facts, sections, **spec_args)
    elif facts or sections or spec_args:
        raise TypeError("pass either spec= or facts/sections/spec arguments, not both")
    path = Path(directory) / f"{name}{_SUFFIX[kind]}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "pdf":
        fx.render_pdf(spec, path)
    elif kind == "html":
        path.write_bytes(fx.render_html(spec))
    elif kind == "markdown":
        path.write_text(fx.render_markdown(spec), encoding="utf-8")
    elif kind == "oneline":
        path.write_text(fx.render_oneline(spec), encoding="utf-8")
    else:
        path.write_text(fx.render_text(spec), encoding="utf-8")
    return GeneratedReport(path, spec, fx.expected_facts(spec), kind)


def make_series(directory: str | os.PathLike[str], years: Iterable[int], *,
                issuer: str = "某某区人民政府", kind: str = "text",
                granted: Mapping[int, int] | None = None,
                carried_forward: Mapping[int, int] | None = None,
                carried_over: Mapping[int, int] | None = None,
                problems: Mapping[int, str] | None = None) -> list[GeneratedReport]:
    """One office's post-2019 reports over ``years`` (files ``<issuer>-<year>``), consistent
    from year to year: a year's 上年结转 is the previous year's 结转下年度继续办理.

    Per-year changes, keyed by year: ``granted`` (予以公开 by natural persons, default 10),
    ``carried_forward`` (default 1), ``carried_over`` (breaks the chain on purpose: the
    default is the previous year's carried_forward, 0 for the first year), ``problems``
    (the body of section 五). Everything else is :func:`govreport.fixtures.default_spec`.
    """
    from . import fixtures as fx

    out: list[GeneratedReport] = []
    previous: int | None = None
    for year in years:
        fwd = (carried_forward or {}).get(year, 1)
        over = (carried_over or {}).get(year, previous if previous is not None else 0)
        results = {"granted": ((granted or {}).get(year, 10), 0, 0, 0, 0, 0),
                   "partially_granted": (2, 0, 0, 0, 0, 0),
                   "unavailable.not_held": (3, 1, 0, 0, 0, 0)}
        table3 = fx.make_table3(results, (over, 0, 0, 0, 0, 0), (fwd, 0, 0, 0, 0, 0))
        base = fx.default_spec(issuer=issuer, year=year)
        old = base.table3.values["requests.new_received.total"] if base.table3 else None
        received = table3.values["requests.new_received.total"]
        sections = {"overview": base.sections["overview"].replace(f"申请{old}件", f"申请{received}件")}
        if problems and year in problems:
            sections["problems"] = problems[year]
        spec = make_spec(sections=sections, issuer=issuer, year=year, table3=table3)
        out.append(make_report(directory, spec=spec, kind=kind, name=f"{issuer}-{year}"))
        previous = fwd
    return out


def parse_with(source: Any, plugins: Iterable[Any] = (), *, disabled: Iterable[str] = (),
               plugins_dir: str | os.PathLike[str] | None = None,
               entry_points: bool = True, options: Any = None) -> Report:
    """Parse ``source`` (a path or a :class:`GeneratedReport`) with the built-in plugins,
    the installed ones (unless ``entry_points=False``) and ``plugins`` — without installing
    anything."""
    from .options import Options
    from .pipeline import parse_document
    from .readers import read_document

    if isinstance(source, GeneratedReport):
        source = source.path
    options = Options.coerce(options)
    registry = load_registry(plugins, builtins=True, entry_points=entry_points,
                             plugins_dir=plugins_dir,
                             disabled=tuple(disabled) + tuple(options.disabled_plugins))
    doc = read_document(source, options=options, registry=registry)
    return parse_document(doc, options, registry=registry)


# ---------------------------------------------------------------------------------------
# Plugins directory
# ---------------------------------------------------------------------------------------

class PluginsDir:
    """A temporary plugins directory: ``write(name, source)`` adds ``name.py``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, source: str) -> Path:
        import textwrap

        file = self.path / f"{name}.py"
        file.write_text(textwrap.dedent(source), encoding="utf-8")
        from .plugins import reset_registry

        reset_registry()
        return file

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)


# ---------------------------------------------------------------------------------------
# pytest fixtures
# ---------------------------------------------------------------------------------------

@pytest.fixture
def govreport_run_extractor():
    """:func:`run_extractor`: ``govreport_run_extractor(extractor, text, section_key)``."""
    return run_extractor


@pytest.fixture
def govreport_make_report(tmp_path):
    """Factory writing generated reports into ``tmp_path``: ``govreport_make_report(
    facts={...}, sections={...}, kind="pdf"|"text"|...) -> GeneratedReport``."""
    counter = iter(range(1_000_000))

    def factory(facts: Mapping[str, Any] | None = None, sections: Mapping[str, str] | None = None,
                **kwargs: Any) -> GeneratedReport:
        kwargs.setdefault("name", f"report{next(counter)}")
        return make_report(tmp_path, facts, sections, **kwargs)

    return factory


@pytest.fixture
def govreport_parse():
    """:func:`parse_with`: parse a file with the built-ins plus the plugins you pass."""
    return parse_with


@pytest.fixture
def govreport_plugins_dir(tmp_path, monkeypatch):
    """A :class:`PluginsDir` in ``tmp_path``, also set as ``GOVREPORT_PLUGINS_DIR`` for the
    test (so ``govreport.parse`` and the CLI load it); the plugin cache is reset around it."""
    from .plugins import PLUGINS_DIR_ENV, reset_registry

    pdir = PluginsDir(tmp_path / "plugins")
    monkeypatch.setenv(PLUGINS_DIR_ENV, str(pdir.path))
    reset_registry()
    yield pdir
    reset_registry()
