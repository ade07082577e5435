"""Tables 二/三/四 from generated reports: PDF, HTML and Markdown grids, with the hazards
of real ones (split tables, typos, wrapped labels, blank cells, both variants, totals
that don't add up). Each report is rendered once per module."""
from __future__ import annotations

import copy

import pytest

import govreport
from govreport import fixtures as F

pytest.importorskip("reportlab")

TABLE_PREFIXES = ("proactive.rules", "proactive.normative_docs", "proactive.admin_",
                  "proactive.other_services", "proactive.central_procurement", "requests.",
                  "review.", "litigation_direct.", "litigation_after_review.")


def table_facts(facts: dict) -> dict:
    return {k: v for k, v in facts.items() if k.startswith(TABLE_PREFIXES)}


def assert_tables(report, spec) -> None:
    want = table_facts(F.expected_facts(spec))
    got = table_facts(report.facts)
    assert {k: got.get(k, "<absent>") for k in want if got.get(k, "<absent>") != want[k]} == {}
    assert set(got) <= set(want), sorted(set(got) - set(want))


TYPOS = {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
         "5.属于三类内部事务信息": "5.属于三内部事物信息"}


@pytest.fixture(scope="module")
def pdf_2021(tmp_path_factory):
    """2021 tables; table 三 split across pages inside （四）; typo'd, wrapped labels."""
    spec = F.default_spec(variant="2021", split_table3_at_row="unavailable.needs_creation",
                          label_typos=TYPOS, wrap_labels=True)
    path = F.render_pdf(spec, tmp_path_factory.mktemp("pdf") / "r2021.pdf")
    return spec, govreport.parse(path)


@pytest.fixture(scope="module")
def pdf_2019(tmp_path_factory):
    spec = F.default_spec(variant="2019")
    path = F.render_pdf(spec, tmp_path_factory.mktemp("pdf") / "r2019.pdf")
    return spec, govreport.parse(path)


@pytest.fixture(scope="module")
def pdf_blank_mixed(tmp_path_factory):
    """A 2021 table 二 with a 2019 table 三 (as real reports mix them), many blank cells."""
    spec = F.random_spec(7, variant="mixed", blank_rate=0.6)
    path = F.render_pdf(spec, tmp_path_factory.mktemp("pdf") / "blank.pdf")
    return spec, govreport.parse(path)


@pytest.fixture(scope="module")
def pdf_inconsistent(tmp_path_factory):
    """Totals printed wrong: the checks fire and the values stay as printed."""
    spec = F.default_spec(variant="2021")
    spec.table3 = copy.deepcopy(spec.table3)
    spec.table4 = copy.deepcopy(spec.table4)
    spec.table3.values["requests.granted.total"] = 99           # row doesn't add up
    spec.table3.values["requests.carried_forward.natural_person"] = 9  # 一+二 != 七+四
    spec.table4.values["review.total"] = 0                      # block doesn't add up
    path = F.render_pdf(spec, tmp_path_factory.mktemp("pdf") / "bad.pdf")
    return spec, govreport.parse(path)


def test_pdf_2021_split_typo_wrapped(pdf_2021):
    spec, report = pdf_2021
    assert_tables(report, spec)
    assert report.meta["table2_variant"] == "2021"
    assert report.meta["table3_variant"] == "2021"
    # the typo'd row is matched by meaning and keeps its printed label as provenance
    prov = report.provenance["requests.denied.prohibited_by_law.total"]
    assert "行政止公开" in prov["row"]
    assert report.provenance["requests.denied.internal_affairs.natural_person"]["row"].endswith(
        "5.属于三内部事物信息")


def test_pdf_split_table_is_read_on_across_pages(pdf_2021):
    _, report = pdf_2021
    before = report.provenance["requests.unavailable.not_held.total"]
    after = report.provenance["requests.unavailable.needs_creation.total"]
    assert after["page"] == before["page"] + 1
    assert after["table"] != before["table"]
    assert report.facts["requests.carried_forward.total"] is not None


def test_pdf_provenance_of_a_cell(pdf_2021):
    _, report = pdf_2021
    p = report.provenance["requests.new_received.natural_person"]
    assert p["section"] == "requests"
    assert p["row"] == "一、本年新收政府信息公开申请数量"
    assert p["col"] == "自然人"
    assert p["text"] == str(report.facts["requests.new_received.natural_person"])
    assert isinstance(p["page"], int) and isinstance(p["table"], int)
    assert report.provenance["review.total"]["section"] == "review_litigation"
    assert report.provenance["proactive.admin_fees.amount_wan"]["text"] == "1532.46"


def test_pdf_2019_variant_has_its_own_keys(pdf_2019):
    spec, report = pdf_2019
    assert_tables(report, spec)
    assert report.meta["table2_variant"] == "2019"
    assert report.meta["table3_variant"] == "2019"
    assert report.facts["proactive.central_procurement.amount_yuan"] == 152000
    assert report.facts["proactive.admin_licensing.change"] == -3
    assert "requests.other.total" in report.facts
    assert not any(k.startswith("requests.other.misc") for k in report.facts)
    assert not any(k.endswith((".issued", ".in_force")) for k in report.facts)


def test_pdf_blank_cells_are_none_and_variants_mixed(pdf_blank_mixed):
    spec, report = pdf_blank_mixed
    assert_tables(report, spec)
    blanks = [k for k, v in F.expected_facts(spec).items() if k.startswith("requests.") and v is None]
    assert blanks and all(report.facts[k] is None for k in blanks)
    assert report.meta["table2_variant"] == "2021"
    assert report.meta["table3_variant"] == "2019"
    # blank cells are "not assessable": no arithmetic finding on a consistent table
    assert not [c for c in report.checks if c.rule.startswith(("T3", "T4"))]


def test_pdf_totals_that_dont_add_up(pdf_inconsistent):
    spec, report = pdf_inconsistent
    assert_tables(report, spec)  # values kept as printed
    assert report.facts["requests.granted.total"] == 99
    assert report.facts["review.total"] == 0
    rules = {c.rule for c in report.checks}
    assert {"T3-ROW", "T3-BAL", "T4-SUM"} <= rules
    row = next(c for c in report.checks if c.rule == "T3-ROW")
    assert "requests.granted.total" in row.keys and "99" in row.message
    t4 = next(c for c in report.checks if c.rule == "T4-SUM")
    assert t4.severity == "warning" and "review.total" in t4.keys


# -- HTML and Markdown grids ---------------------------------------------------------

@pytest.mark.parametrize("variant", ["2019", "2021"])
def test_html_rowspan_colspan(tmp_path, variant):
    spec = F.default_spec(variant=variant, split_table3_at_row=12, wrap_labels=True)
    path = tmp_path / "r.html"
    path.write_bytes(F.render_html(spec))
    report = govreport.parse(path)
    assert_tables(report, spec)
    assert report.meta["table3_variant"] == variant


def test_html_blank_cells_units_and_merged_value_cells(tmp_path):
    """A 2019 table 二 whose value cells span columns differently from the header row
    (colspan=2 under a single header), units inside cells, &nbsp; blanks."""
    t2 = """<table border="1"><tr><td colspan="5">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td colspan="2">本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="2">12</td><td>-2</td><td>340</td></tr>
<tr><td>其他对外管理服务事项</td><td colspan="2">5</td><td>5</td><td>5</td></tr>
<tr><td colspan="5">第二十条第（九）项</td></tr>
<tr><td>信息内容</td><td colspan="2">采购项目数量</td><td colspan="2">采购总金额</td></tr>
<tr><td>政府集中采购</td><td colspan="2">6</td><td colspan="2">251000元</td></tr></table>"""
    t4 = """<table border="1"><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果<br/>维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>
<td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td>
<td colspan="5">复议后起诉</td></tr><tr>""" + "".join(
        f"<td>{w}</td>" for w in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2) + \
        "</tr><tr>" + "".join(f"<td>{v}</td>" for v in
                              ["5", "&nbsp;", "&nbsp;", "2", "7", "8", "&nbsp;", "&nbsp;", "1", "9"]
                              + ["&nbsp;"] * 5) + "</tr></table>"
    html = ("<html><head><meta charset='utf-8'><title>某某市人民政府办公厅2019年政府信息公开工作年度报告</title>"
            "</head><body><p>某某市人民政府办公厅2019年政府信息公开工作年度报告</p><p>一、总体情况</p>"
            "<p>本机关依法做好政府信息公开工作。</p><p>二、主动公开政府信息情况</p>" + t2 +
            "<p>四、政府信息公开行政复议、行政诉讼情况</p>" + t4 + "</body></html>")
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    f = govreport.parse(path).facts
    assert (f["proactive.admin_licensing.prev_year_items"], f["proactive.admin_licensing.change"],
            f["proactive.admin_licensing.decisions"]) == (12, -2, 340)
    assert (f["proactive.other_services.prev_year_items"], f["proactive.other_services.change"],
            f["proactive.other_services.decisions"]) == (5, 5, 5)
    assert f["proactive.central_procurement.items"] == 6
    assert f["proactive.central_procurement.amount_yuan"] == 251000
    assert [f[f"review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] == \
        [5, None, None, 2, 7]
    assert f["litigation_direct.total"] == 9
    assert f["litigation_after_review.total"] is None


def test_markdown_grids(tmp_path):
    spec = F.random_spec(3, variant="2021", split_table3_at_row=9, wrap_labels=True)
    path = tmp_path / "r.md"
    path.write_text(F.render_markdown(spec), encoding="utf-8")
    report = govreport.parse(path)
    assert_tables(report, spec)


def test_markdown_invented_headers_and_scattered_tables(tmp_path):
    """A converter's output: headers 数据1…数据6, one pipe table per group, a false header
    row in the middle, table 四 as three five-column tables."""
    rows = F.t3_rows("2021")
    spec = F.random_spec(11, variant="2021")
    vals = spec.table3.values
    out = ["# 某某县人民政府2024年政府信息公开工作年度报告", "", "## 三、收到和处理政府信息公开申请情况", ""]
    for i, (key, label, _kind) in enumerate(rows):
        if i % 6 == 0:
            out += ["", "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |", "|---|---|---|---|---|---|---|---|"]
        if i == 20:
            out.append("| 项目 | 本年新收件数 | 上年结转件数 | 予以公开 | 部分公开 | 不予公开 | 结转下年度 | 总计 |")
        cells = [str(vals[f"requests.{key}.{c}"]) for c, _ in F.T3_COLUMNS]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out += ["", "## 四、政府信息公开行政复议、行政诉讼情况", ""]
    for block, title in F.T4_BLOCKS:
        out += [f"### {title}", "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |", "|---|---|---|---|---|",
                "| " + " | ".join(str(spec.table4.values[f"{block}.{c}"]) for c, _ in F.T4_COLUMNS) + " |", ""]
    path = tmp_path / "r.md"
    path.write_text("\n".join(out), encoding="utf-8")
    report = govreport.parse(path)
    want = {k: v for k, v in F.expected_facts(spec).items()
            if k.startswith(("requests.", "review.", "litigation_"))}
    assert {k: report.facts.get(k) for k in want} == want
    assert report.meta["table3_variant"] == "2021"


def test_tables_found_by_content_when_out_of_order(tmp_path):
    """Table 二 printed after table 三, inside the requests section."""
    import re

    spec = F.default_spec(variant="2021")
    html = F.render_html(spec).decode()
    t2, t3 = re.findall(r"<table.*?</table>", html, flags=re.S)[:2]
    html = html.replace(t2, "", 1).replace(t3, t3 + t2, 1)
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    report = govreport.parse(path)
    assert_tables(report, spec)
    assert report.provenance["proactive.rules.issued"]["section"] == "requests"


def test_html_table4_with_a_row_label_column(tmp_path):
    head = ('<tr><td rowspan="3">类别</td><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
            '<tr>' + "".join(f'<td rowspan="2">{w}</td>' for w in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
            + '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr><tr>'
            + "".join(f"<td>{w}</td>" for w in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2) + "</tr>")
    data = "<tr><td>件数</td>" + "".join(f"<td>{v}</td>" for v in (1, 2, 0, 0, 3, 4, 0, 0, 1, 5, 0, 0, 0, 2, 2)) + "</tr>"
    html = ("<html><head><meta charset='utf-8'></head><body><p>某某局2023年政府信息公开工作年度报告</p>"
            "<p>一、总体情况</p><p>依法公开政府信息。</p><p>四、政府信息公开行政复议、行政诉讼情况</p>"
            f"<table border='1'>{head}{data}</table></body></html>")
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    f = govreport.parse(path).facts
    assert [f[f"review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] == [1, 2, 0, 0, 3]
    assert f["litigation_direct.pending"] == 1 and f["litigation_after_review.total"] == 2
