"""govreport.testing: the kit plugin authors test with (functions and pytest fixtures)."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import govreport
from govreport.model import Check, Fact, Table
from govreport.testing import (
    GeneratedReport,
    extract_snippet,
    load_registry,
    make_report,
    make_spec,
    parse_with,
    report_from_facts,
    run_extractor,
    run_extras,
)


class Counter:
    """Yields one fact per "申请N件" in the section, and a check when N is 0."""

    name = "counter"
    sections = ("requests",)

    def extract(self, section, context):
        for m in re.finditer(r"申请(\d+)件", section.text):
            n = int(m.group(1))
            yield context.fact("kit.requests", n, span=m.span())
            if n == 0:
                yield context.check("KIT-ZERO", "no requests", ["kit.requests"], "info")


def test_import_is_light():
    code = ("import sys, govreport.testing; "
            "print([m for m in ('reportlab', 'pdfplumber', 'opencc', 'jieba', "
            "'govreport.fixtures', 'govreport.pipeline') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert json.loads(out.strip().replace("'", '"')) == []


def test_run_extractor_on_a_snippet():
    facts = run_extractor(Counter(), "全年共收到申请12件。", section_key="requests")
    assert len(facts) == 1 and isinstance(facts[0], Fact)
    fact = facts[0]
    assert (fact.key, fact.value, fact.extractor) == ("kit.requests", 12, "counter")
    assert fact.provenance == {"section": "requests", "span": [5, 10], "page": 1,
                               "text": "申请12件", "kind": "printed", "extractor": "counter"}


def test_snippet_is_normalised_but_provenance_keeps_the_source():
    facts = run_extractor(Counter(), "全年共收到申請１２件。", "requests", page=7)
    assert facts[0].value == 12
    assert facts[0].provenance["text"] == "申請１２件" and facts[0].provenance["page"] == 7


def test_extract_snippet_gives_checks_tables_facts_and_meta():
    seen = {}

    class Peek:
        name = "peek"

        def extract(self, section, context):
            seen["tables"] = [t.rows for t in section.tables]
            seen["facts"] = dict(context.facts)
            seen["meta"] = (context.meta["era"], context.meta["year"])
            seen["title"] = section.title
            return []

    snip = extract_snippet(Counter(), "收到申请0件。", "requests")
    assert snip.values == {"kit.requests": 0}
    assert [c.rule for c in snip.checks] == ["KIT-ZERO"] and isinstance(snip.checks[0], Check)

    grid = [["", "总计"], ["一、本年新收政府信息公开申请数量", 21]]
    extract_snippet(Peek(), "正文", "requests", title="三、收到和处理政府信息公开申请情况",
                    tables=[grid, Table(rows=[["a"]])], facts={"x": 1},
                    meta={"era": "pre2019", "year": 2015})
    assert seen["tables"] == [[["", "总计"], ["一、本年新收政府信息公开申请数量", "21"]], [["a"]]]
    assert seen["facts"] == {"x": 1} and seen["meta"] == ("pre2019", 2015)
    assert seen["title"] == "三、收到和处理政府信息公开申请情况"


def test_extractor_errors_propagate_in_tests():
    class Broken:
        name = "broken"

        def extract(self, section, context):
            raise ValueError("visible in the test")

    with pytest.raises(ValueError, match="visible"):
        run_extractor(Broken(), "文本")

    class WrongType:
        name = "wrong"

        def extract(self, section, context):
            yield ("kit.key", 1)

    with pytest.raises(TypeError, match="context.fact"):
        run_extractor(WrongType(), "文本")


def test_report_from_facts_and_run_extras():
    report = report_from_facts({"a": 2, "b": None}, meta={"year": 2019})
    assert report.facts == {"a": 2, "b": None} and report.meta["year"] == 2019

    @govreport.hookimpl
    def govreport_report_extras(report):
        return {"double": report.facts["a"] * 2}

    plugin = type(sys)("kit_extras")
    plugin.govreport_report_extras = govreport_report_extras
    assert run_extras(plugin, report, name="kit") == {"double": 4}
    assert report.plugins == {"kit": {"double": 4}}

    with pytest.raises(RuntimeError, match="no govreport_report_extras"):
        run_extras(type(sys)("empty"), report)


def test_load_registry_alone_and_with_builtins():
    plugin = type(sys)("alone")
    plugin.govreport_register_extractors = govreport.hookimpl(lambda register: register(Counter()))
    alone = load_registry([plugin])
    assert [p.name for p in alone.plugins] == ["alone"]
    assert [e.name for e in alone.extractors] == ["counter"]
    both = load_registry([plugin], builtins=True)
    assert both.extractors[-1].name == "counter"


def test_make_spec_changes_cells_and_sections():
    spec = make_spec({"requests.granted.total": 40, "review.total": None},
                     sections={"other": "本年度未收取信息处理费。"},
                     prose_facts={"info_fee.collected_amount_yuan": 0})
    assert spec.table3.values["requests.granted.total"] == 40
    assert spec.table4.values["review.total"] is None
    assert spec.sections["other"] == "本年度未收取信息处理费。"
    assert "overview" in spec.sections  # other sections keep their default text

    from govreport.fixtures import expected_facts

    facts = expected_facts(spec)
    assert facts["requests.granted.total"] == 40 and facts["review.total"] is None
    assert facts["info_fee.collected_amount_yuan"] == 0
    assert facts["proactive.items"] == 1136  # the overview still states it

    replaced = make_spec(sections={"overview": "概述。"})
    assert "proactive.items" not in replaced.prose_facts  # no longer stated

    with pytest.raises(ValueError, match="not table cells"):
        make_spec({"my.key": 1})
    assert make_spec(era="pre2019").era == "pre2019"
    assert make_spec(variant="2019").table3.variant == "2019"


@pytest.mark.parametrize("kind, suffix", [("text", ".txt"), ("html", ".html"),
                                          ("markdown", ".md"), ("oneline", ".txt"),
                                          ("pdf", ".pdf")])
def test_make_report_kinds(tmp_path, kind, suffix):
    if kind == "pdf":
        pytest.importorskip("reportlab")
    made = make_report(tmp_path, {"requests.granted.total": 40}, kind=kind, name=f"r-{kind}")
    assert isinstance(made, GeneratedReport) and made.kind == kind
    assert made.path == tmp_path / f"r-{kind}{suffix}" and made.path.stat().st_size > 500
    assert made.expected_facts["requests.granted.total"] == 40
    with pytest.raises(ValueError):
        make_report(tmp_path, kind="docx")


def test_make_report_from_a_spec(tmp_path):
    spec = make_spec(issuer="某某县人民政府", year=2022)
    made = make_report(tmp_path, spec=spec, kind="text")
    assert "某某县人民政府2022年政府信息公开工作年度报告" in made.path.read_text(encoding="utf-8")
    with pytest.raises(TypeError):
        make_report(tmp_path, {"review.total": 1}, spec=spec)


def test_parse_with_adds_plugins_without_installing(tmp_path):
    made = make_report(tmp_path, sections={"requests": "本年度收到申请21件。"}, kind="text")
    plugin = type(sys)("kit_counter")
    plugin.govreport_register_extractors = govreport.hookimpl(lambda register: register(Counter()))
    report = parse_with(made, plugins=[plugin], entry_points=False)
    assert report.facts["kit.requests"] == 21
    assert report.provenance["kit.requests"]["section"] == "requests"
    assert "kit.requests" not in parse_with(made, plugins=[plugin], disabled=["counter"]).facts


# --- the pytest fixtures (available through the pytest11 entry point) --------------------

def test_fixture_run_extractor(govreport_run_extractor):
    assert govreport_run_extractor is run_extractor


def test_fixture_make_report_and_parse(govreport_make_report, govreport_parse, tmp_path):
    first = govreport_make_report(kind="text")
    second = govreport_make_report({"requests.granted.total": 40}, kind="text")
    assert first.path != second.path and first.path.parent == tmp_path
    assert govreport_parse is parse_with
    report = govreport_parse(second)
    assert report.source["path"] == str(second.path)


def test_fixture_plugins_dir(govreport_plugins_dir, govreport_make_report):
    govreport_plugins_dir.write("kitdir", '''
        import govreport

        class Found:
            name = "kitdir"
            sections = ("overview",)

            def extract(self, section, context):
                yield context.fact("kitdir.seen", 1, span=(0, 1))

        @govreport.hookimpl
        def govreport_register_extractors(register):
            register(Found())
    ''')
    report = govreport.parse(govreport_make_report(kind="text").path)  # via the env variable
    assert report.facts["kitdir.seen"] == 1
