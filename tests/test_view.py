"""The audit page (govreport view / Report.to_html) without a browser: what it holds,
that it is offline, and where each fact is marked."""
import re

import pytest

import govreport
from _corpus import CORPUS, needs_corpus
from govreport.cli import main
from govreport.model import Table
from govreport.testing import make_report
from govreport.view import view_html
from govreport.view.source_text import Mark, locate_cell, render_marked

_URL_ATTR = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:|//|ftp:)""", re.I)


def assert_offline(page: str) -> None:
    """No attribute or CSS loads anything by URL: images and CSV links are data: URIs."""
    assert not _URL_ATTR.search(page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page
    for src in re.findall(r'<img[^>]+src="([^"]+)"', page):
        assert src.startswith("data:image/")


def targets(page: str) -> dict[str, str]:
    """fact key → the element id its list entry points at (only facts placed on the source)."""
    out = {}
    for m in re.finditer(r'<li class="fact [^"]*" id="f\d+" data-t="(t\d+)"[^>]*>'
                         r'<span class="k">([^<]+)</span>', page):
        out[m.group(2)] = m.group(1)
    return out


@pytest.mark.parametrize("kind", ["html", "markdown", "text"])
def test_every_table_fact_of_a_generated_report_is_marked(tmp_path, kind):
    gen = make_report(tmp_path, kind=kind)
    report, page = view_html(gen.path)
    assert_offline(page)
    placed = targets(page)
    table3 = [k for k in report.facts if k.startswith("requests.")]
    assert len(table3) > 100
    assert set(table3) <= set(placed)
    for key in table3:  # the element exists and holds the printed number
        tid = placed[key]
        m = re.search(rf'<(td|mark)[^>]* id="{tid}"[^>]*>([^<]*)<', page)
        assert m, key
        printed = report.provenance[key]["text"]
        assert m.group(2).strip() == printed.strip(), key


def test_pdf_page_images_and_no_box_without_bbox(tmp_path):
    gen = make_report(tmp_path, kind="pdf")
    report, page = view_html(gen.path)
    assert_offline(page)
    n_pages = len(re.findall(r'<section class="pdfpage"', page))
    import pypdfium2

    assert n_pages == len(pypdfium2.PdfDocument(str(gen.path)))
    with_bbox = [k for k, p in report.provenance.items() if p.get("bbox")]
    assert len(re.findall(r'<div class="box ', page)) <= len(with_bbox)
    assert len(targets(page)) == len(with_bbox)


def test_boxes_follow_provenance_bbox(tmp_path):
    gen = make_report(tmp_path, kind="pdf")
    report = govreport.parse(gen.path)
    key = "requests.new_received.total"
    prov = report.provenance[key]
    prov["bbox"] = [100.0, 200.0, 120.0, 210.0]
    page_no = prov["page"]
    page = report.to_html()
    tid = targets(page)[key]
    m = re.search(rf'<div class="box [^"]*" id="{tid}"[^>]* style="([^"]+)"', page)
    assert m
    style = dict(p.split(":") for p in m.group(1).split(";"))
    import pypdfium2

    w, h = pypdfium2.PdfDocument(str(gen.path))[page_no - 1].get_size()
    assert float(style["left"].rstrip("%")) == pytest.approx(100 * 99 / w, abs=1e-2)
    assert float(style["top"].rstrip("%")) == pytest.approx(100 * 199 / h, abs=1e-2)
    section = page[:page.index(f'id="{tid}"')].rsplit('<section class="pdfpage"', 1)[1]
    assert f'data-page="{page_no}"' in section


def test_failed_check_boxes_its_row_and_addends(tmp_path):
    gen = make_report(tmp_path, {"requests.carried_over.total": 7}, kind="html")
    report, page = view_html(gen.path)
    bal = [c for c in report.checks if c.rule == "T3-BAL"]
    assert bal and "requests.carried_over.total" in bal[0].keys
    placed = targets(page)
    for key in bal[0].keys:
        assert re.search(rf'<li class="fact fail[^"]*" id="f\d+" data-t="{placed[key]}"', page)
        assert re.search(rf'class="box [^"]*fail[^"]*" id="{placed[key]}"', page)
    assert 'class="fact ok' in page  # the others stay unflagged


def test_missing_sentence_is_marked(tmp_path):
    text = ("XX局2015年政府信息公开工作年度报告\n一、概述\n本机关认真贯彻《条例》。\n"
            "二、主动公开政府信息情况\n全年主动公开政府信息条，其中网站公开120条。\n"
            "三、依申请公开政府信息情况\n全年受理政府信息公开申请3件。\n")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    report, page = view_html(path)
    missing = [c for c in report.checks if c.rule == "MISSING"]
    assert missing
    m = re.search(r'<span class="missing" id="c(\d+)"[^>]*>(.*?)</span>', page)
    assert m and "主动公开政府信息" in re.sub("<[^>]+>", "", m.group(2))


def test_to_html_refuses_another_file(tmp_path):
    a = make_report(tmp_path / "a", kind="text")
    b = make_report(tmp_path / "b", kind="text", facts={"requests.new_received.total": 3})
    report = govreport.parse(a.path)
    with pytest.raises(govreport.UnreadableError, match="sha256"):
        report.to_html(b.path)
    report.source["path"] = str(tmp_path / "gone.txt")
    page = report.to_html()  # source gone: facts listed without places
    assert "without their place" in page and not targets(page)


def test_cli_view_writes_the_page_and_errors_in_one_line(tmp_path, capsys):
    gen = make_report(tmp_path, kind="html")
    out = tmp_path / "page.html"
    assert main(["view", str(gen.path), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "page.html" in capsys.readouterr().err
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    assert main(["view", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.pdf" in err[0]


def test_view_honours_the_time_limit(tmp_path):
    gen = make_report(tmp_path, kind="pdf")
    with pytest.raises(govreport.ParseTimeoutError):
        view_html(gen.path, options={"timeout": 1e-4})


def test_render_marked_nests_and_drops_crossing_marks():
    text = "abcdefghij"
    marks = [Mark(0, 6, "<s>", "</s>", 0), Mark(2, 4, "<n>", "</n>", 2),
             Mark(5, 8, "<x>", "</x>", 2), Mark(2, 4, "<m>", "</m>", 3)]
    assert render_marked(text, marks) == "<s>ab<n><m>cd</m></n>ef</s>ghij"
    assert render_marked("<&>", [Mark(0, 3, "<b>", "</b>")]) == "<b>&lt;&amp;&gt;</b>"


def test_locate_cell_by_labels_and_merged_cells():
    t = Table(rows=[["", "申请人情况", "申请人情况", "总计"],
                    ["", "自然人", "其他", "总计"],
                    ["一、本年新收", "3", "3", "6"],
                    ["二、上年结转", "0", "0", "0"]], index=0)
    assert locate_cell(t, {"row": "一、本年新收", "col": "其他", "text": "3"}) == (2, 2)
    assert locate_cell(t, {"row": "二、上年结转", "col": "总计", "text": "0"}) == (3, 3)
    assert locate_cell(t, {"row": "二、上年结转", "col": "总计", "text": "5"}) is None
    assert locate_cell(t, {"row": "一、本年新收", "col": "自然人", "text": "3"}) == (2, 1)
    assert locate_cell(t, {"row": "x", "col": "y", "text": "", "cell": [3, 1]}) == (3, 1)
    merged = Table(rows=[["", "本年新公开数量", "本年新公开数量"], ["规章", "13", "13"]], index=0)
    assert locate_cell(merged, {"row": "规章", "col": "本年新公开数量", "text": "13"}) == (1, 1)


@needs_corpus
def test_html_report_of_the_corpus_marks_every_table3_fact():
    report, page = view_html(CORPUS / "shanghai-bgt-2019.html")
    assert_offline(page)
    placed = targets(page)
    table3 = [k for k, p in report.provenance.items() if k.startswith("requests.") and "table" in p]
    assert len(table3) >= 150 and set(table3) <= set(placed)


def test_sentence_fact_is_marked_on_its_number(tmp_path):
    text = ("XX局2015年政府信息公开工作年度报告\n一、概述\n本机关认真贯彻《条例》。\n"
            "二、依申请公开政府信息情况\n2015年全年共受理政府信息公开申请37件，均已按时答复。\n")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    report, page = view_html(path)
    tid = targets(page)["legacy.requests.received"]
    m = re.search(rf'<span class="said">([^<]*)<mark class="box [^"]*" id="{tid}"[^>]*>([^<]*)</mark>', page)
    assert m and m.group(2) == "37" and m.group(1).endswith("申请")


@needs_corpus
@pytest.mark.parametrize("name", ["shanghai-kewei-2024.md", "shuyang-2025.md", "pingtan-gaj-2024.txt"])
def test_corpus_text_sources_mark_every_table3_fact_in_its_cell(name):
    report, page = view_html(CORPUS / name)
    placed = targets(page)
    table3 = [k for k in report.facts if k.startswith("requests.")]
    assert len(table3) >= 150 and set(table3) <= set(placed)
