"""End to end: a generated report through every stage, in every input form."""
import io
import json

import pytest

import govreport
from _corpus import CORPUS
from govreport import fixtures
from govreport.cli import main

SCHEMA_KEYS = {"source", "meta", "sections", "facts", "provenance", "narrative", "checks",
               "plugins", "warnings"}


@pytest.fixture(scope="module")
def spec():
    return fixtures.default_spec(era="post2019", variant="2021")


@pytest.fixture(scope="module")
def pdf_path(spec, tmp_path_factory):
    return fixtures.render_pdf(spec, tmp_path_factory.mktemp("pdf") / "report.pdf")


def test_pdf_report_has_schema_shape_sections_meta(spec, pdf_path):
    report = govreport.parse(pdf_path)
    data = report.to_dict()
    assert set(data) == SCHEMA_KEYS
    assert data["source"]["kind"] == "pdf" and len(data["source"]["sha256"]) == 64
    assert [s["key"] for s in data["sections"]] == [k for k, _ in fixtures.expected_sections(spec)]
    want = fixtures.expected_meta(spec)
    for key in ("year", "era", "script", "table2_variant", "table3_variant"):
        assert data["meta"][key] == want[key], key
    assert spec.issuer in data["meta"]["issuer"]
    assert all(isinstance(s["page"], int) for s in data["sections"])
    json.loads(report.to_json())  # serialisable, Chinese kept readable
    assert "总体情况" in report.to_json()


def test_every_fact_has_provenance_with_section_page_and_wording(pdf_path):
    report = govreport.parse(pdf_path)
    assert report.facts, "the generated report states facts"
    assert set(report.provenance) == set(report.facts)
    for key, prov in report.provenance.items():
        assert prov["section"] and "text" in prov, key
        assert isinstance(prov["page"], int), key


def test_table_cells_match_the_generated_numbers(spec, pdf_path):
    facts = govreport.parse(pdf_path).facts
    expected = fixtures.expected_facts(spec)
    table_keys = [k for k in expected if k.startswith(("requests.", "review.", "litigation"))]
    assert table_keys
    wrong = {k: (expected[k], facts.get(k)) for k in table_keys if facts.get(k) != expected[k]}
    assert not wrong


@pytest.mark.parametrize("form", ["bytes", "fileobj"])
def test_bytes_and_file_objects_parse_like_paths(pdf_path, form):
    data = pdf_path.read_bytes()
    source = data if form == "bytes" else io.BytesIO(data)
    from_memory = govreport.parse(source)
    assert from_memory.facts == govreport.parse(pdf_path).facts


def test_text_html_and_oneline_renderings_give_the_same_sections(spec, tmp_path):
    keys = [k for k, _ in fixtures.expected_sections(spec)]
    (tmp_path / "r.txt").write_text(fixtures.render_text(spec), encoding="utf-8")
    (tmp_path / "r.html").write_bytes(fixtures.render_html(spec, encoding="gbk"))
    (tmp_path / "dump.txt").write_text(fixtures.render_oneline(spec), encoding="utf-8")
    for name in ("r.txt", "r.html", "dump.txt"):
        report = govreport.parse(tmp_path / name)
        assert [s.key for s in report.sections] == keys, name
        assert report.meta["year"] == spec.year, name


def test_traditional_copy_is_detected_and_normalised(tmp_path):
    spec = fixtures.default_spec(era="post2019", variant="2021", traditional=True)
    path = tmp_path / "trad.txt"
    path.write_text(fixtures.render_text(spec), encoding="utf-8")
    report = govreport.parse(path)
    assert report.meta["script"] == "traditional"
    assert [s.key for s in report.sections][:3] == ["overview", "proactive", "requests"]
    plain = fixtures.default_spec(era="post2019", variant="2021")
    assert report.facts.get("requests.new_received.total") == \
        fixtures.expected_facts(plain)["requests.new_received.total"]


def test_cli_parse_prints_the_json_and_sections_shows_the_split(pdf_path, capsys):
    assert main(["parse", str(pdf_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == SCHEMA_KEYS
    assert main(["sections", str(pdf_path)]) == 0
    out = capsys.readouterr().out
    assert "[overview" in out and "[requests" in out


def test_cli_error_is_one_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    assert main(["parse", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "broken.pdf" in err and "\n" not in err and "Traceback" not in err


@pytest.mark.skipif(not (CORPUS / "baotou-2013.txt").exists(), reason="shared corpus absent")
def test_seed_report_traditional_2013_with_its_sections():
    report = govreport.parse(CORPUS / "baotou-2013.txt")
    assert report.meta["script"] == "traditional" and report.meta["year"] == 2013
    assert [s.key for s in report.sections] == ["overview", "proactive", "requests", "fees",
                                                "review_litigation", "problems"]
