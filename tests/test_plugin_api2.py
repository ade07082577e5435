"""Plugin API 2: report-scope extractors in report coordinates, per-section extractors
(API 1) through the same pipeline, and extractors that would run on nothing refused."""
from __future__ import annotations

import pytest

import govreport
from govreport import hookspecs
from govreport.protocols import ReportExtractor, SectionExtractor, Validator
from govreport.testing import load_registry, make_report, parse_with, run_extractor

WORD = "政府信息"


class WholeReport:
    """Counts a word over the whole report; states it at its last occurrence."""

    name = "whole"
    scope = "report"

    def __init__(self):
        self.calls = 0

    def extract(self, report, context):
        self.calls += 1
        for s in report.sections:  # sections are views of the one text
            assert report.text[s.start:s.end] == s.text
        hits = [i for i in range(len(report.text)) if report.text.startswith(WORD, i)]
        if hits:
            last = hits[-1]
            yield context.fact("whole.mentions", len(hits), span=(last, last + len(WORD)))
            yield context.fact("whole.last_section", report.section_at(last).key, span=(last, last + 1))
        for offset, table in report.tables:
            home = report.section_of(table)
            assert home is not None and home.start <= offset <= home.end
        context.warn("nothing left out")


class PerSection:
    name = "per-section"
    sections = ("problems",)

    def extract(self, section, context):
        i = section.text.find(WORD)
        if i >= 0:
            yield context.fact("per.found", 1, span=(i, i + len(WORD)))


def _plugin(*extractors):
    mod = type(govreport)("p")

    @govreport.hookimpl
    def govreport_register_extractors(register):
        for e in extractors:
            register(e)

    mod.govreport_register_extractors = govreport_register_extractors
    return mod


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    return make_report(tmp_path_factory.mktemp("r"), kind="text")


def test_report_scope_in_report_coordinates(report_file):
    whole = WholeReport()
    report = parse_with(report_file, plugins=[_plugin(whole, PerSection())])
    assert whole.calls == 1  # once per report, not once per section
    prov = report.provenance["whole.mentions"]
    assert prov["text"] == WORD and prov["extractor"] == "whole"
    # the fact's section is the one that holds its span
    assert prov["section"] == report.facts["whole.last_section"]
    assert "whole: nothing left out" in report.warnings
    # API 1 extractors keep working beside it, in section coordinates
    assert report.provenance["per.found"]["section"] == "problems"
    assert report.provenance["per.found"]["text"] == WORD


def test_builtins_are_report_scope_and_typed():
    registry = load_registry(builtins=True)
    for e in registry.extractors:
        assert isinstance(e, ReportExtractor), e
    for v in registry.validators:
        assert isinstance(v, Validator), v
    assert isinstance(PerSection(), SectionExtractor)
    assert hookspecs.PLUGIN_API_VERSION == 2 and hookspecs.MIN_PLUGIN_API_VERSION == 1


@pytest.mark.parametrize("sections, why", [
    (("overveiw",), "did you mean 'overview'"),
    (("proactive", "nonsense"), "'nonsense'"),
    ((), "empty"),
])
def test_extractor_that_would_run_on_nothing_is_refused(report_file, sections, why):
    bad = PerSection()
    bad.name, bad.sections = "misspelt", sections
    registry = load_registry([_plugin(bad)])
    assert [e for e in registry.extractors if e.name == "misspelt"] == []
    assert any("misspelt" in w and why in w for w in registry.warnings), registry.warnings
    with pytest.raises(ValueError, match="would never run"):
        run_extractor(bad, "政府信息公开")


def test_star_in_a_tuple_means_every_section(report_file):
    star = PerSection()
    star.name, star.sections = "star", ("*",)
    report = parse_with(report_file, plugins=[_plugin(star)])
    assert report.facts.get("per.found") == 1


def test_run_extractor_honours_sections():
    assert [f.value for f in run_extractor(PerSection(), "政府信息公开", section_key="problems")] == [1]
    with pytest.raises(ValueError, match="not 'overview'"):
        run_extractor(PerSection(), "政府信息公开", section_key="overview")
    whole = run_extractor(WholeReport(), "本年度政府信息公开工作", section_key="overview")
    assert [(f.key, f.value) for f in whole][:1] == [("whole.mentions", 1)]


def test_unknown_scope_is_refused():
    odd = WholeReport()
    odd.name, odd.scope = "odd", "document"
    registry = load_registry([_plugin(odd)])
    assert not [e for e in registry.extractors if e.name == "odd"]
    assert any("scope 'document'" in w for w in registry.warnings)
