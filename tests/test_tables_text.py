"""Tables read from text: plain lines, PDF text without grids, one-line crawler dumps
with run-together digits, pipe lines; and the pieces (label matching, splitting)."""
from __future__ import annotations

import govreport
from govreport import fixtures as F
from govreport.extractors import table_labels as L
from govreport.extractors.table3_solve import joint_filter
from govreport.extractors.table_text import (
    UNKNOWN,
    common_cells,
    find_runs,
    row_splits,
    segmentations,
    t4_splits,
)
from govreport.model import Document, Page
from govreport.pipeline import parse_document

T3_KEYS = ("requests.", "review.", "litigation_direct.", "litigation_after_review.")


def parse_text(tmp_path, text, name="r.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return govreport.parse(path)


# -- splitting ------------------------------------------------------------------------

def test_row_readings_let_blank_cells_vanish():
    # 64 0 0 2 0 4 | 70 — or, a blank cell lost, 6 40 0 20 4 | 70 with the blank anywhere
    splits = row_splits(["640020470"])
    assert ["64", "0", "0", "2", "0", "4", "70"] in splits
    assert [None, "6", "40", "0", "20", "4", "70"] in splits
    assert len(splits) == 7
    assert common_cells(splits) == [UNKNOWN] * 6 + ["70"]
    assert row_splits(["500000", "5"]) == [["5", "0", "0", "0", "0", "0", "5"]]
    assert row_splits(["0", "0", "0", "0", "0", "00"]) == [["0"] * 7]
    # six zeros: one cell is blank, which one is unknowable
    assert common_cells(row_splits(["000000"])) == [UNKNOWN] * 7


def test_ambiguous_row_split_keeps_only_common_cells():
    splits = row_splits(["270020130"])
    assert ["27", "0", "0", "2", "0", "1", "30"] in splits
    assert ["2", "7", "0", "0", "20", "1", "30"] in splits
    assert common_cells(splits) == [UNKNOWN, UNKNOWN, "0", UNKNOWN, UNKNOWN, "1", "30"]


def test_no_leading_zeros_and_signs():
    assert segmentations(["000"], 3) == [["0", "0", "0"]]
    assert segmentations(["100"], 3) == [["1", "0", "0"]]
    assert len(segmentations(["693665"], 3)) > 1
    assert ["305", "-13", "230"] in segmentations(["305", "-13230"], 3)
    assert row_splits(["-1000001"]) == []


def test_t4_split_and_joint_filter():
    assert t4_splits(["21317000001324019"]) == [
        ["2", "1", "3", "1", "7", "0", "0", "0", "0", "0", "13", "2", "4", "0", "19"]]
    cands = {"new_received": [["1", "1", "0", "0", "0", "0", "2"], ["11", "0", "0", "0", "0", "0", "11"]],
             "carried_over": [["0"] * 7], "carried_forward": [["0"] * 7],
             "total_processed": [["11", "0", "0", "0", "0", "0", "11"]]}
    assert joint_filter(cands)["new_received"] == [["11", "0", "0", "0", "0", "0", "11"]]


def test_runs_give_label_numbers_back():
    text = "（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开1000001"
    runs = find_runs(text, one_line=True)
    assert [r.text for r in runs] == ["0000000", "1000001"]
    assert runs[1].label.startswith("2.其他法律")


# -- label matching -------------------------------------------------------------------

def test_rows_matched_by_meaning_and_position():
    assert L.match_t3_row("2.其他法律行政止公开", "denied").key == "denied.prohibited_by_law"
    m = L.match_t3_row("5.属于三内部事物信息", "denied")
    assert m.key == "denied.internal_affairs" and not m.strong
    assert L.match_t3_row("三\n、\n本\n年 4.保护第三方合法权益", None).key == "denied.third_party_rights"
    assert L.match_t3_row("3.其他", "other", "2021").key == "other.misc"
    assert L.match_t3_row("（六）其他处理", None, "2019").key == "other"
    assert L.match_t3_row("（六）其他处理", None, "2021") is None
    assert L.match_t3_row("（七）总计", None).key == "total_processed"
    assert L.match_t3_row("1、申请人无正当理由逾期不补\n正、行政机关不再处理其政府信\n息公开申请",
                          "other").key == "other.no_correction"
    assert L.t3_column("社会\n公益\n组织") == "social_welfare"
    assert L.t3_column("法人或其他组织 其他") == "other_org"


# -- one-line dumps -------------------------------------------------------------------

def test_oneline_dump_unique_splits(tmp_path):
    spec = F.default_spec(variant="2021")
    report = parse_text(tmp_path, F.render_oneline(spec))
    want = {k: v for k, v in F.expected_facts(spec).items() if k.startswith(T3_KEYS)}
    assert {k: report.facts.get(k) for k in want} == want
    assert report.meta["table3_variant"] == "2021"
    # a cell split out of a run points at its own digits
    p = report.provenance["requests.new_received.total"]
    assert p["text"] == str(want["requests.new_received.total"]) and "span" in p
    # table 二: 行政规范性文件 '4237' splits three ways -> left out, with a warning
    assert "proactive.normative_docs.issued" not in report.facts
    assert report.facts["proactive.rules.issued"] == 0
    assert any("4237" in w and "left out" in w for w in report.warnings)


def test_oneline_ambiguous_row_left_out_with_warning(tmp_path):
    body = ("三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
            "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
            "一、本年新收政府信息公开申请数量320000032二、上年结转政府信息公开申请数量0000000"
            "三、本年度办理结果（一）予以公开270020130（二）部分公开（区分处理的，只计这一情形，不计其他情形）2000002"
            "（七）总计320000032四、结转下年度继续办理0000000四、政府信息公开行政复议、行政诉讼情况")
    text = "标题: 某某区2022年政府信息公开工作年度报告\n==== 正文 ====\n一、总体情况本年度依法做好政府信息公开工作。" + body
    report = parse_text(tmp_path, text)
    f = report.facts
    assert f["requests.new_received.natural_person"] == 32
    assert f["requests.granted.total"] == 30 and f["requests.granted.other_org"] == 1
    assert f["requests.granted.research"] == 0
    for col in ("natural_person", "commercial", "social_welfare", "legal_services"):
        assert f"requests.granted.{col}" not in f
    assert any("granted" in w and "splits 2 ways" in w for w in report.warnings)


def test_plain_text_lines_with_wrapped_labels_and_blanks(tmp_path):
    spec = F.random_spec(5, variant="2019", wrap_labels=True, blank_rate=0.3,
                         label_typos={"7.属于行政执法案卷": "7.属于行政执法卷"})
    report = parse_text(tmp_path, F.render_text(spec))
    want = {k: v for k, v in F.expected_facts(spec).items()
            if k.startswith(T3_KEYS) or k.startswith("proactive.") and k != "proactive.items"}
    assert {k: report.facts.get(k, "<absent>") for k in want} == want


def test_pipe_lines_in_text_with_blank_cells(tmp_path):
    text = "\n".join([
        "某某局2023年政府信息公开工作年度报告", "一、总体情况", "我局依法公开政府信息。",
        "三、收到和处理政府信息公开申请情况",
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |",
        "自然人 | 法人或其他组织 | 总计 |",
        "一、本年新收政府信息公开申请数量 | 2 | | | | | | 2 |",
        "二、上年结转政府信息公开申请数量 | | | | | | | 0 |",
        "三、本年度办理结果 | (一)予以公开 | 1 | | | | | | 1 |",
        "| (二)部分公开(区分处理的,只计这一情形,不计其他情形) | | | | | | | 0 |",
    ])
    f = parse_text(tmp_path, text).facts
    assert f["requests.new_received.natural_person"] == 2
    assert f["requests.new_received.commercial"] is None
    assert f["requests.carried_over.total"] == 0 and f["requests.carried_over.natural_person"] is None
    assert f["requests.granted.total"] == 1
    assert f["requests.partially_granted.total"] == 0


# -- PDF text without grids -----------------------------------------------------------

PDF_TEXT = """某某区人民政府2023年政府信息公开工作年度报告
一、总体情况
全年受理政府信息公开申请13件。
三、收到和处理政府信息公开申请情况
申请人情况
（本列数据的勾稽关系为：第一项加第二项之和，等
于第三项加第四项之和）
自然人 社会 法律 总计
商业 科研
一、本年新收政府信息公开申请数量 12 1 0 0 0 0 13
二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1
（一）予以公开 4 0 0 0 0 0 4
（二）部分公开（区分处理的，只计这一情 形，不
2 1 0 0 0 0 3
计其他情形）
1 0 0 0 0 0 1
1.属于国家秘密
三 2.其他法律行政止公开 0 0 0 0 0 0 0
、
0 0 0 0 0 0 0
本 3.危及“三安全一稳定”
度 4.保护第三方合法权益 0 0 0 0 0 0 0
理 5.属于三类内部事务信息 0 0 0 0 0 0 0
6.属于四类过程性信息 1 0 0 0 0 0 1
7.属于行政执法案卷 0 0 0 0 0 0 0
8.属于行政查询事项 0 0 0 0 0 0 0
4 0 0 0 0 0 4
1.本机关不掌握相关政府信息
（四）无法提供
1 0 0 0 0 0 1
2.没有现成信息需要另行制作
3.补正后申请内容仍不明确 0 0 0 0 0 0 0
1.信访举报投诉类申请 0 0 0 0 0 0 0
2.重复申请 0 0 0 0 0 0 0
3.要求提供公开出版物 0 0 0 0 0 0 0
（五）不予处理
0 0 0 0 0 0 0
4.无正当理由大量反复 申请
5.要求行政机关确认或重 新出具
0 0 0 0 0 0 0
已获取信息
（六）其他处理 0 0 0 0 0 0 0
（七）总计 13 1 0 0 0 0 14
四、结转下年度继续办理 0 0 0 0 0 0 0
四、政府信息公开行政复议、行政诉讼情况
结果 结果 其他 尚未 总 计
维持 纠正 结果 审结
1 0 0 0 1 0 0 0 0 0 0 0 0 0 0
"""


def test_pdf_text_numbers_before_wrapped_labels():
    doc = Document(path="<t>", sha256="", kind="pdf", pages=[Page(number=3, text=PDF_TEXT)])
    report = parse_document(doc)
    f = report.facts
    assert report.meta["table3_variant"] == "2019"
    assert [f[f"requests.partially_granted.{c}"] for c in ("natural_person", "commercial", "total")] == [2, 1, 3]
    assert f["requests.denied.state_secret.total"] == 1
    assert f["requests.denied.security_stability.total"] == 0
    assert f["requests.unavailable.not_held.total"] == 4
    assert f["requests.unavailable.needs_creation.total"] == 1
    assert f["requests.not_processed.excessive.total"] == 0
    assert f["requests.total_processed.total"] == 14
    assert f["review.upheld"] == 1 and f["litigation_after_review.total"] == 0
    assert report.provenance["requests.new_received.total"]["page"] == 3
    assert not [c for c in report.checks if c.rule != "MISSING"]


def test_markdown_header_order_subtotal_column_and_a_lost_cell(tmp_path):
    """A header in its own order with a 法人或其他组织小计 column: cells go by the header;
    a row that lost a cell is left out (which cell moved is unknowable), not shifted."""
    head = ("| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 总计 | 自然人 | 商业企业 "
            "| 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 法人或其他组织小计 |")
    text = "\n".join([
        "# 某某局2024年政府信息公开工作年度报告", "", "## 三、收到和处理政府信息公开申请情况", "",
        head, "|---|---|---|---|---|---|---|---|---|",
        "| 一、本年新收政府信息公开申请数量 | 5 | 4 | 1 | 0 | 0 | 0 | 0 | 1 |",
        "| （一）予以公开 | 3 | 2 | 1 | 0 | 0 | 0 | 0 | 1 |",
        "| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 1 | 1 | 0 | 0 | 0 | 0 | 1 |",
    ])
    report = parse_text(tmp_path, text, "r.md")
    f = report.facts
    assert [f[f"requests.new_received.{c}"] for c in ("natural_person", "commercial", "other_org", "total")] \
        == [4, 1, 0, 5]
    assert f["requests.granted.total"] == 3
    assert not any(k.startswith("requests.partially_granted.") for k in f)
    assert any("partially_granted" in w and "left out" in w for w in report.warnings)


def test_markdown_table2_row_that_lost_a_cell(tmp_path):
    text = "\n".join([
        "# 某某局2024年政府信息公开工作年度报告", "", "## 二、主动公开政府信息情况", "",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
        "| 规章 | 0 | 0 |", "| 行政规范性文件 | 3 | 1 | 20 |", "| 行政许可 | 97 |"])
    report = parse_text(tmp_path, text, "r.md")
    f = report.facts
    assert not any(k.startswith("proactive.rules.") for k in f)
    assert f["proactive.normative_docs.in_force"] == 20
    assert f["proactive.admin_licensing.decisions"] == 97
