"""Text dumps of tables: cells with units, a blank cell shown as a space among zeros,
cells every split agrees on, and a table 四 that no split makes add up.

Each case takes a generated one-line report (facts known) and reprints one row the way
real crawler dumps do."""
from __future__ import annotations

import re

import pytest

import govreport
from govreport import fixtures as F
from govreport.extractors.table_free_split import agreed_cells


@pytest.fixture(scope="module")
def report_text():
    return F.render_oneline(F.random_spec(3, "post2019", "2019"))


def parse(tmp_path, text: str):
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    return govreport.parse(path)


def test_a_count_and_an_amount_in_one_cell(tmp_path, report_text):
    text = re.sub(r"政府集中采购\d+", "政府集中采购1个246900元", report_text)
    facts = parse(tmp_path, text).facts
    assert facts["proactive.central_procurement.items"] == 1
    assert facts["proactive.central_procurement.amount_yuan"] == 246900


def test_cells_every_split_agrees_on(tmp_path, report_text):
    """'3500' is 35|0|0 or 3|50|0: the decisions cell is 0 either way, the others unknown."""
    text = re.sub(r"行政强制\d+", "行政强制3500", report_text)
    facts = parse(tmp_path, text).facts
    assert facts["proactive.admin_coercion.decisions"] == 0
    assert "proactive.admin_coercion.prev_year_items" not in facts
    assert "proactive.admin_coercion.change" not in facts


def test_a_space_among_zeros_is_the_blank_cell(tmp_path, report_text):
    m = re.search(r"(本年新收政府信息公开申请数量\s*)([\d ]+?)(二、)", report_text)
    text = report_text[:m.start(2)] + "0 00000" + report_text[m.end(2):]
    facts = parse(tmp_path, text).facts
    row = [facts.get(f"requests.new_received.{c}", "absent") for c, _ in F.T3_COLUMNS]
    assert row == [0, None, 0, 0, 0, 0, 0]


def test_table_four_that_no_split_adds_up(tmp_path, report_text):
    """17 digits for 15 cells and no split whose totals add up: the two leading zeros are
    certain, nothing after them is, and T4-SUM says the table contradicts itself."""
    m = re.search(r"(尚未审结总计)(\d+)(五、)", report_text)
    text = report_text[:m.start(2)] + "00202000001324015" + report_text[m.end(2):]
    report = parse(tmp_path, text)
    t4 = {k: v for k, v in report.facts.items() if k.startswith(("review.", "litigation_"))}
    assert t4 == {"review.upheld": 0, "review.corrected": 0}
    assert [c.rule for c in report.checks].count("T4-SUM") == 1
    # the reason the other cells were left out reaches the JSON output
    assert any("00202000001324015" in w for w in report.to_dict()["warnings"])


@pytest.mark.parametrize("tokens,n,want", [
    (["00202000001324015"], 15, {0: "0", 1: "0"}),
    (["3500"], 3, {}),          # 35|0|0 or 3|50|0: the first cell already differs
    (["0", "0"], 2, {0: "0", 1: "0"}),
    (["12"], 3, None),          # too few digits
    (["1x"], 2, None),          # not a digit run
])
def test_agreed_cells(tokens, n, want):
    assert agreed_cells(tokens, n) == want
