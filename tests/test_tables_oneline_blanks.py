"""One-line crawler dumps of tables with BLANK cells: a blank cell prints nothing, so
where cells run together it vanishes and a row prints fewer numbers than it has cells.
No reading may then be taken on the row's own sum alone; cells no consistent reading of
the whole table settles are left out, never guessed."""
from __future__ import annotations

import random

import pytest

import govreport
from govreport import fixtures as F
from govreport.extractors.table3_solve import joint_filter
from govreport.extractors.table_text import UNKNOWN, Readings, common_cells, row_splits

TABLE_KEYS = ("requests.", "review.", "litigation_direct.", "litigation_after_review.", "proactive.")
TYPO = {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开"}
COLS = [c for c, _ in F.T3_COLUMNS]


def parse_oneline(tmp_path, spec, name="r.txt"):
    path = tmp_path / name
    path.write_text(F.render_oneline(spec), encoding="utf-8")
    return govreport.parse(path)


def wrong_cells(report, spec) -> dict:
    """Table facts the report states with a value other than the spec's."""
    want = F.expected_facts(spec)
    return {k: (want[k], v) for k, v in report.facts.items()
            if k.startswith(TABLE_KEYS) and k in want and v != want[k]}


def row(report, key):
    return [report.facts.get(f"requests.{key}.{c}", "<absent>") for c in COLS]


# -- the two reports that were read wrong ----------------------------------------------

def test_seed_44_new_received_other_org(tmp_path):
    """'201221214249' (201 22 _ _ 12 14 | 249) also splits into seven cells that add up
    (… 4 | 249); only the column arithmetic of the whole table tells."""
    spec = F.random_spec(44, "post2019", "2021", blank_rate=0.2, traditional=True, label_typos=TYPO)
    report = parse_oneline(tmp_path, spec)
    assert wrong_cells(report, spec) == {}
    assert report.facts.get("requests.new_received.other_org", 14) == 14


def test_seed_89_unavailable_not_held(tmp_path):
    """'261301242' is 26 13 0 1 2 _ | 42, not the seven-cell 2 6 1 30 1 2 | 42."""
    spec = F.random_spec(89, "post2019", "2019", blank_rate=0.2, split_table3_at_row=10,
                         label_typos=TYPO)
    report = parse_oneline(tmp_path, spec)
    assert wrong_cells(report, spec) == {}
    got = row(report, "unavailable.not_held")
    assert all(g in ("<absent>", w) for g, w in zip(got, [26, 13, 0, 1, 2, None, 42]))
    assert got[0] != 2 and got[3] != 30


# -- many generated reports ---------------------------------------------------------------

def _knobs(seed: int) -> tuple[str, dict]:
    rnd = random.Random(seed)
    variant = rnd.choice(["2019", "2021", "mixed"])
    kw: dict = {"blank_rate": rnd.choice([0.2, 0.2, 0.4])}
    if rnd.random() < 0.3:
        kw["wrap_labels"] = True
    if rnd.random() < 0.3:
        kw["split_table3_at_row"] = rnd.randint(5, 18)
    if rnd.random() < 0.2:
        kw["traditional"] = True
    if rnd.random() < 0.3:
        kw["label_typos"] = TYPO
    return variant, kw


# Share of the table cells of the sweep read right. Precision comes first (a blank cell
# that vanished from run-together digits makes a row unreadable, and it is left out), so
# about half are read (0.49-0.53 when this floor was set); an extractor that read
# nothing, or gave up on every row with a blank, would fall far below it.
RECALL_FLOOR = 0.45


@pytest.mark.parametrize("seeds", [range(0, 40), range(40, 80), range(80, 120)],
                         ids=["0-39", "40-79", "80-119"])
def test_no_wrong_value_from_blank_cells(tmp_path, seeds):
    bad = {}
    right = total = 0
    for seed in seeds:
        variant, kw = _knobs(seed)
        spec = F.random_spec(seed, "post2019", variant, **kw)
        report = parse_oneline(tmp_path, spec, f"s{seed}.txt")
        if wrong_cells(report, spec):
            bad[seed] = (kw, wrong_cells(report, spec))
        want = {k: v for k, v in F.expected_facts(spec).items() if k.startswith(TABLE_KEYS)}
        total += len(want)
        right += sum(1 for k, v in want.items() if k in report.facts and report.facts[k] == v)
    assert bad == {}
    assert right / total >= RECALL_FLOOR, f"read {right} of {total} table cells"


def test_blanks_cost_cells_not_everything(tmp_path):
    """The joint reading still settles most non-blank rows."""
    spec = F.random_spec(89, "post2019", "2019", blank_rate=0.2)
    report = parse_oneline(tmp_path, spec)
    want = F.expected_facts(spec)
    keys = [k for k in want if k.startswith("requests.")]
    assert sum(k in report.facts for k in keys) > len(keys) // 2


# -- the pieces ---------------------------------------------------------------------------

def test_row_readings_with_vanished_blanks():
    # 201 22 _ _ 12 14 | 249 and the seven-cell 201 22 1 2 1 4 | 249 ... all add up
    splits = row_splits(["201221214249"])
    assert ["201", "22", None, None, "12", "14", "249"] in splits
    assert any(None not in s for s in splits)
    assert common_cells(splits)[-1] == "249"
    # the count of readings agrees with the listing
    assert Readings(["201221214249"]).count == len(splits)
    # a row that prints all its cells as zeros has one reading
    assert row_splits(["0000000"]) == [["0"] * 7]
    # fewer digits than cells: blank somewhere, never read as seven cells
    assert all(None in s for s in row_splits(["20002"]))


def test_joint_filter_uses_the_column_sums():
    """Two readings of 予以公开; only one makes the result rows add up to （七）."""
    zero = ["0"] * 7
    cands = {
        "new_received": [["27", "0", "0", "2", "0", "1", "30"]],
        "carried_over": [zero], "carried_forward": [zero],
        "granted": [["27", "0", "0", "2", "0", "1", "30"], ["2", "7", "0", "0", "20", "1", "30"]],
        "total_processed": [["27", "0", "0", "2", "0", "1", "30"]],
    }
    results = ["granted"]
    out = joint_filter(cands, results)
    assert out["granted"] == [["27", "0", "0", "2", "0", "1", "30"]]
    # blank and absent cells count 0
    cands["granted"] = [["27", None, None, "2", "-", "1", "30"], ["2", "7", "0", "0", "20", "1", "30"]]
    assert joint_filter(cands, results)["granted"] == [["27", None, None, "2", "-", "1", "30"]]
    # a table whose own numbers don't add up: the rule is not used, both readings stay
    cands["total_processed"] = [["26", "0", "0", "2", "0", "1", "29"]]
    cands["new_received"] = [["26", "0", "0", "2", "0", "1", "29"]]
    assert len(joint_filter(cands, results)["granted"]) == 2


def test_t4_readings_agree_cell_by_cell():
    r = Readings(["10203120001200000"], (5, 5, 5))
    cells, _ = r.common()
    assert cells[:5] == ["1", "0", "2", "0", "3"] and cells[5] is UNKNOWN  # 12 or 1200 or 12000
    full = Readings(["10203120001200000"], (5, 5, 5), absent=False)
    assert full.count == 1
    assert full.common()[0] == ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]


# -- a row whose cells are all blank prints nothing -----------------------------------------

HEAD = ("标题: 某某区2023年政府信息公开工作年度报告\n==== 正文 ====\n一、总体情况本年度依法做好政府信息公开工作。"
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")


def test_an_all_blank_row_does_not_take_the_next_rows_numbers(tmp_path):
    spec = F.random_spec(721, "post2019", "2019", blank_rate=0.5, split_table3_at_row=16)
    text = F.render_oneline(spec)
    assert "（六）其他处理（七）总计" in text  # 其他处理 printed no number at all
    report = parse_oneline(tmp_path, spec)
    assert wrong_cells(report, spec) == {}
    assert not any(k.startswith("requests.other.") for k in report.facts)
    assert report.facts["requests.total_processed.total"] == 213


def test_table2_row_that_may_have_lost_a_blank(tmp_path):
    """'102' is 1 0 2 — or 10 _ 2, 1 _ 02 … when the report leaves cells blank."""
    body = ("二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
            "规章102行政规范性文件000第二十条第（五）项信息内容本年处理决定数量行政许可97"
            "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
            "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
            "一、本年新收政府信息公开申请数量20002二、上年结转政府信息公开申请数量0000000"
            "三、本年度办理结果（一）予以公开2000002（七）总计2000002四、结转下年度继续办理0000000"
            "四、政府信息公开行政复议、行政诉讼情况")
    text = "标题: 某某区2023年政府信息公开工作年度报告\n==== 正文 ====\n一、总体情况本年度依法做好政府信息公开工作。" + body
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    report = govreport.parse(path)
    f = report.facts
    assert not any(k.startswith("proactive.rules.") for k in f)
    assert [f[f"proactive.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert f["proactive.admin_licensing.decisions"] == 97
    assert any("规章" in w and "blank" in w for w in report.warnings)
    # in a report whose table 三 prints every cell (zeros as 0) the row reads as printed
    spec = F.default_spec(variant="2021")
    spec.table2.values.update({"proactive.rules.issued": 1, "proactive.rules.repealed": 0,
                               "proactive.rules.in_force": 2})
    assert "规章102行政规范性文件" in F.render_oneline(spec)
    f = parse_oneline(tmp_path, spec).facts
    assert [f[f"proactive.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [1, 0, 2]
