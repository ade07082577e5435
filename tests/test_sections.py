"""Section splitting: headings by meaning, in every numbering style and inline."""
from govreport.sections import classify_heading, split_sections

POST2019 = """某某区人民政府2023年政府信息公开工作年度报告
根据《条例》要求编制本报告。
一、总体情况
（一）主动公开情况
全年主动公开政府信息1136条。
（二）依申请公开情况
共受理申请21件。
二、主动公开政府信息情况
第二十条第（一）项
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21
二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0
四、结转下年度继续办理 0 0 0 0 0 0 0
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
一是公开制度有待完善。
六、其他需要报告的事项
全年收取信息处理费0元。
"""


def keys(text, pre2019=False):
    return [s.key for s in split_sections(text, pre2019=pre2019)[1]]


def test_post2019_six_sections_in_order():
    assert keys(POST2019) == ["overview", "proactive", "requests", "review_litigation",
                              "problems", "other"]


def test_sub_headings_and_table_rows_are_not_sections():
    _, spans = split_sections(POST2019)
    overview = spans[0]
    assert "依申请公开情况" in POST2019[overview.start:overview.end]
    requests = spans[2]
    assert "结转下年度继续办理" in POST2019[requests.start:requests.end]


def test_preamble_is_text_before_first_heading():
    pre, spans = split_sections(POST2019)
    assert POST2019[pre.start:pre.end].startswith("某某区人民政府")
    assert pre.end == spans[0].start


def test_one_line_dump_headings_inline():
    text = ("正文 本报告所列数据的统计期限自2013年1月1日起至2013年12月31日止。 一、 概述推进政府信息"
            "公开工作是本县的重要工作。 二、 主动公开政府信息情况（一）主动公开政府信息的数量全年"
            "公开425条。 三、 政府信息依申请公开工作情况 全年未收到申请。 四、 政府信息公开工作存在的"
            "主要问题及改进情况目前仍有不足。 附件1：某县政府信息公开情况统计表 指标名称")
    assert keys(text, pre2019=True) == ["overview", "proactive", "requests", "problems",
                                        "attachment"]


def test_contents_line_is_not_a_heading():
    toc = "一、概述,(一)注重重点推进。,二、主动公开政府信息情况,三、依申请公开政府信息情况,\n一、概述\n正文"
    assert keys(toc, pre2019=True) == ["overview"]


def test_pre2019_headings_by_meaning():
    text = ("一、概述\n正文\n二、政府信息主动公开情况\n正文\n三、政府信息依申请公开情况\n"
            "（一）申请情况\n（二）咨询情况\n正文\n四、人员和收支情况\n正文\n五、行政复议和行政诉讼情况\n"
            "正文\n六、主要问题和改进措施\n正文\n")
    assert keys(text, pre2019=True) == ["overview", "proactive", "requests", "consultation",
                                        "fees", "review_litigation", "problems"]


def test_overview_subheadings_do_not_become_sections():
    text = "一、概述\n（一）加强制度建设\n（二）加强政策解读和舆情回应\n二、主动公开政府信息情况\n"
    assert keys(text, pre2019=True) == ["overview", "proactive"]


def test_heading_glued_to_previous_cell_is_found_when_canonical():
    text = "二、主动公开政府信息情况 采购总金额432.52元三、收到和处理政府信息公开申请情况（本列数据）"
    assert keys(text) == ["proactive", "requests"]


def test_classify_specific_before_general():
    assert classify_heading("依申请政府信息公开的收费情况") == "fees"
    assert classify_heading("因政府信息公开申请行政复议、提起行政诉讼的情况") == "review_litigation"
    assert classify_heading("依申请公开、不予公开及咨询政府信息情况") == "requests"
    assert classify_heading("工作人员及信息公开事务支出情况") == "institutions"
    assert classify_heading("组织领导方面") is None


def test_unnumbered_headings_on_their_own_lines():
    text = ("某县2012年政府信息公开工作年度报告\n概述\n2012年，我县认真贯彻《条例》。\n"
            "主动公开政府信息情况\n全年主动公开信息425条。\n依申请公开政府信息情况\n未收到申请。\n"
            "存在的主要问题及改进措施\n公开内容有待深化。\n")
    assert keys(text, pre2019=True) == ["overview", "proactive", "requests", "problems"]


def test_arabic_numbered_top_level():
    text = ("1.概述\n正文。\n2.主动公开政府信息情况\n正文。\n3.依申请公开政府信息情况\n"
            "4.因政府信息公开申请行政复议、提起行政诉讼的情况\n没有发生。\n")
    assert keys(text, pre2019=True) == ["overview", "proactive", "requests", "review_litigation"]


def test_bare_lines_never_add_sections_to_a_numbered_report():
    text = POST2019.replace("四、政府信息公开行政复议、行政诉讼情况\n",
                            "四、政府信息公开行政复议、行政诉讼情况\n行政复议\n行政诉讼\n")
    text = text.replace("第二十条第（一）项\n", "第二十条第（一）项\n政策解读\n咨询处理\n")
    assert keys(text) == ["overview", "proactive", "requests", "review_litigation",
                          "problems", "other"]
    assert keys(text, pre2019=True)[:3] == ["overview", "proactive", "requests"]
    assert "interpretation" not in keys(text, pre2019=True)


def test_a_single_bare_line_or_list_item_is_not_a_section():
    assert keys("正文开始。\n概述\n正文。\n1.主动公开政府信息情况较好。\n", pre2019=True) == []


def test_heading_words_look_only_within_the_window():
    """The line end is searched for within the heading window only (single-line dumps
    made the unbounded search quadratic); the words found are those of the whole line."""
    import random

    from govreport.sections import _HEADING_WINDOW, _heading_words

    rng = random.Random(5)
    pieces = ["情况", "措施", "。", "，", "\n", "主动公开", "政府信息", "年度", " ", "a", "1"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        start = rng.randint(0, len(text))
        words, end = _heading_words(text, start)
        line = text[start:].split("\n", 1)[0]
        window = line[:_HEADING_WINDOW]
        assert text.startswith(words, start) and start <= end <= start + len(window)
        assert "\n" not in words
        if len(line) <= _HEADING_WINDOW:
            assert end <= start + len(line)


# -- headings read by meaning: an attachment after the signature, generic headings ---------

def test_statistics_attachment_after_the_signature():
    text = ("一、概述 2013年，我局认真贯彻《条例》。二、主动公开政府信息情况 全年主动公开政府信息"
            "235条。附件：2013年度政府信息公开工作统计数据 平潭某局 2014年3月3日 附件 某局2013年度"
            "政府信息公开工作统计数据 指标名称 计量单位 2013年度 历年累计 主动公开信息数 条 235 440")
    _, spans = split_sections(text, pre2019=True)
    keys = [s.key for s in spans]
    assert keys == ["overview", "proactive", "attachment"]
    attachment = spans[-1]
    # the table itself, not the line in the body that names the attachment
    assert "指标名称" in text[attachment.start:attachment.start + 60]
    assert "2014年3月3日" not in text[attachment.start:attachment.end]


def test_a_generic_heading_is_the_section_its_content_is():
    text = ("一、政府信息公开工作开展情况 一是加强领导。二是健全制度。"
            "二、政府信息公开情况 2014年，我局主动公开政府信息30条。"
            "三、存在问题和不足 公开形式不够丰富。")
    assert keys(text, pre2019=True) == ["overview", "proactive", "problems"]
    # a generic heading about something else stays unclassified
    other = ("一、概述 加强领导。二、政府信息公开情况 我局召开会议三次。三、存在问题和不足 不够丰富。")
    assert keys(other, pre2019=True) == ["overview", "problems"]


def test_classify_heading_is_the_first_rule_with_one_of_its_words():
    import random
    import re

    from govreport.sections import SECTION_RULES, classify_heading

    def by_definition(words: str):
        words = re.sub(r"\s+", "", words)
        return next((key for key, needles in SECTION_RULES if any(n in words for n in needles)), None)

    rng = random.Random(71)
    pieces = [n for _, needles in SECTION_RULES for n in needles] + ["一、", "（二）", " ", "\u3000",
                                                                    "年度", "政府", "情况", "的"]
    for _ in range(3000):
        words = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
        assert classify_heading(words) == by_definition(words), words
