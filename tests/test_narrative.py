"""Narrative: problems and improvements split into items, themes, keywords, lazy jieba."""
from __future__ import annotations

import subprocess
import sys

import pytest

from govreport.extractors import narrative as nv
from govreport.testing import extract_snippet


@pytest.fixture(scope="session")
def jieba_ready():
    """Initialise jieba once for the whole session (it costs ~1 s)."""
    nv.tokenizer()
    nv.keywords("政策解读")
    return True


def test_import_govreport_does_not_import_jieba():
    code = ("import sys, govreport, govreport.extractors.narrative; "
            "print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


# --------------------------------------------------------------------------------------
# splitting


SHI = ("六、存在的主要问题及改进措施\n虽然取得了一定成效，但还存在以下问题：一是部分单位公开意识不强；"
       "二是政务新媒体更新不及时；三是工作人员业务培训不足。下一步，我们将采取以下措施："
       "一是加强考核监督；二是完善政府网站栏目设置。")


def test_yi_shi_items():
    problems, improvements = nv.split_parts(SHI.split("\n", 1)[1])
    assert nv.split_items(problems, problems=True) == [
        "部分单位公开意识不强", "政务新媒体更新不及时", "工作人员业务培训不足"]
    assert nv.split_items(improvements, problems=False) == [
        "加强考核监督", "完善政府网站栏目设置"]


def test_paren_headings_split_parts():
    text = ("（一）存在的主要问题\n1.依申请公开答复文书不够规范。\n2.政策解读形式较为单一。\n"
            "（二）改进措施\n1.规范依申请公开办理流程。\n2.丰富政策解读形式。")
    problems, improvements = nv.split_parts(text)
    assert nv.split_items(problems, problems=True) == [
        "依申请公开答复文书不够规范", "政策解读形式较为单一"]
    assert nv.split_items(improvements, problems=False) == [
        "规范依申请公开办理流程", "丰富政策解读形式"]


def test_list_of_admitted_shortcomings():
    text = ("工作开展以来虽然取得了一定的成绩，但同时也存在公开制度有待进一步完善、公开内容有待进一步"
            "深化、公开形式的便民性有待进一步提高等不足之处。下一步将进一步完善工作制度。")
    problems, improvements = nv.split_parts(text)
    assert nv.split_items(problems, problems=True) == [
        "公开制度有待进一步完善", "公开内容有待进一步深化", "公开形式的便民性有待进一步提高"]
    assert nv.split_items(improvements, problems=False) == ["下一步将进一步完善工作制度"]


def test_semicolon_clauses_and_fragments():
    text = ("仍存在不足，如工作机制有待进一步调整；政策解读形式仍需创新；"
            "智能化、数字化手段运用还不够充分等。")
    problems, _ = nv.split_parts(text)
    assert nv.split_items(problems, problems=True) == [
        "工作机制有待进一步调整", "政策解读形式仍需创新", "智能化、数字化手段运用还不够充分"]


def test_lines_broken_inside_sentences_are_joined():
    text = "仍存在一定差距。如依申请公开工作规范性还有待提\n高、政务公开队伍建设\n有待加强等。"
    problems, _ = nv.split_parts(text)
    assert nv.split_items(problems, problems=True) == [
        "依申请公开工作规范性还有待提高", "政务公开队伍建设有待加强"]


# --------------------------------------------------------------------------------------
# themes and keywords


@pytest.mark.parametrize("item,theme", [
    ("依申请公开答复文书不够规范", "依申请公开规范性"),
    ("公开内容的深度和广度不够", "公开内容深度广度"),
    ("政务新媒体更新不及时", "平台与政务新媒体"),
    ("工作人员兼职多、流动性大", "队伍与培训"),
    ("政策解读形式单一，回应社会关切不及时", "政策解读与回应"),
    ("公开制度有待进一步完善", "制度机制"),
    ("社会评议和责任追究落实不到位", "考核监督"),
    ("公开形式的便民性有待进一步提高", "便民性"),
    ("部分单位公开意识不强", "意识与重视"),
    ("公众参与渠道有限，宣传力度不够", "公众参与与宣传"),
])
def test_theme_tagger(jieba_ready, item, theme):
    assert theme in nv.tag_themes(item)


def test_every_theme_is_documented():
    import json
    from importlib import resources

    raw = json.loads(resources.files("govreport").joinpath("data", "themes.json")
                     .read_text(encoding="utf-8"))
    for name, spec in raw["themes"].items():
        assert spec["description"] and spec["keywords"], name


def test_keywords_skip_domain_stop_words(jieba_ready):
    text = ("政府信息公开工作不断加强，政务新媒体建设稳步推进。政策解读形式不断丰富，政务新媒体"
            "发布政策解读稿件，依申请公开办理流程更加规范。政务新媒体矩阵持续完善。") * 3
    words = nv.keywords(text)
    assert "政务新媒体" in words and "政策解读" in words
    assert not {"公开", "信息", "工作", "政府信息公开"} & set(words)


# --------------------------------------------------------------------------------------
# the extractor


def test_extractor_output(jieba_ready):
    snip = extract_snippet(nv.Narrative(), SHI, "problems",
                           title="六、存在的主要问题及改进措施", meta={"era": "pre2019"})
    n = snip.report.narrative
    assert n["problems"] == ["部分单位公开意识不强", "政务新媒体更新不及时", "工作人员业务培训不足"]
    assert n["improvements"] == ["加强考核监督", "完善政府网站栏目设置"]
    assert [p["text"] for p in n["problem_themes"]] == n["problems"]
    assert all(p["themes"] for p in n["problem_themes"])
    assert set(n["themes"]) >= {"意识与重视", "平台与政务新媒体", "队伍与培训", "考核监督"}
    assert isinstance(n["keywords"], list)


# --------------------------------------------------------------------------------------
# a whole pre-2019 report (text written for this test), through govreport.parse

REPORT = """某某市2013年政府信息公开年度报告

一、概述
2013年，我市政府信息公开工作稳步推进。
二、主动公开政府信息情况
2013年，全市各级政府及部门主动公开政府信息 条，主要包括规章和规范性文件、政府工作报告等。
三、依申请公开政府信息情况
2013年，全市共受理政府信息公开申请十一件，均在规定期限内答复办结。
四、依申请公开的收费情况
目前，我市对依申请公开政府信息事项未收费。
五、申请行政复议和提起行政诉讼情况
2013年，全市没有出现因政府信息公开申请行政复议、提起行政诉讼等情况。
六、存在的主要问题及改进措施
我市虽然取得了一定成绩，但也存在公开制度有待进一步完善、公开内容有待进一步深化、公开形式的便民性有待进一步提高等不足之处。下一步我市将进一步完善政府信息公开工作制度，加大考核力度。
"""


def test_whole_report(tmp_path, jieba_ready):
    import govreport

    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    report = govreport.parse(path)
    f = report.facts
    assert "proactive.items" not in f
    assert f["legacy.requests.received"] == 11 and f["legacy.requests.closed_on_time"] == 11
    assert f["fees.collected_yuan"] == 0
    assert f["review.total"] == 0 and f["litigation.total"] == 0
    assert any(c.rule == "MISSING" and c.keys == ["proactive.items"] for c in report.checks)
    n = report.to_dict()["narrative"]
    assert n["problems"] == ["公开制度有待进一步完善", "公开内容有待进一步深化",
                             "公开形式的便民性有待进一步提高"]
    assert all(p["themes"] for p in n["problem_themes"])
    assert n["improvements"] and n["themes"] and n["keywords"]


@pytest.mark.parametrize("text, expected", [
    ("2023年，工作取得一定成效，但仍存在一些不足：政策解读形式不够丰富，依申请公开办理规范化水平"
     "有待提高，基层公开队伍力量较为薄弱。",
     ["政策解读形式不够丰富", "依申请公开办理规范化水平有待提高", "基层公开队伍力量较为薄弱"]),
    ("同时也存在以下问题：网站栏目更新不及时，政策解读形式单一。",
     ["网站栏目更新不及时", "政策解读形式单一"]),
    ("主要表现为：公开意识有待加强，答复文书不够规范，培训次数偏少。",
     ["公开意识有待加强", "答复文书不够规范", "培训次数偏少"]),
])
def test_problems_listed_as_comma_clauses_after_a_colon(text, expected):
    problems, _ = nv.split_parts(text)
    assert nv.split_items(problems, problems=True) == expected


def test_comma_clauses_are_not_split_when_one_states_no_problem():
    """"A和B方面，C有待加强": the first clause names an area, not a problem — the
    sentence stays one item rather than becoming a wrong one."""
    text = "存在的问题主要是：政策解读和回应关切方面，工作力度有待进一步加强。"
    problems, _ = nv.split_parts(text)
    items = nv.split_items(problems, problems=True)
    assert "政策解读和回应关切方面" not in items
    assert len(items) == 1 and "工作力度有待进一步加强" in items[0]
