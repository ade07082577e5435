"""Metadata from the text: title, issuer as the title names it, statistics year, era."""
from govreport.meta import detect_meta, find_year, issuer_from_title


def meta(text, hint=None):
    return detect_meta(text, title_hint=hint, script="simplified")


def test_title_issuer_year_from_first_lines():
    m = meta("http://example.gov.cn/a/202101/t1.html\n某某镇2020年政府信息公开工作年度报告\n日期:2021-01-29\n")
    assert m["title"] == "某某镇2020年政府信息公开工作年度报告"
    assert m["issuer"] == "某某镇" and m["year"] == 2020 and m["era"] == "post2019"


def test_year_is_statistics_year_not_publication_year():
    m = meta("标题: 某市2012年政府信息公开工作年度报告\n发布时间: 2013-03-20\n")
    assert m["year"] == 2012 and m["era"] == "pre2019"


def test_issuer_after_year_and_wrapped_title():
    assert issuer_from_title("2016年北京市政府信息公开工作年度报告") == "北京市"
    m = meta("某县水头镇2008年政府信息公开工作\n年度报告\n一、概述\n")
    assert m["title"] == "某县水头镇2008年政府信息公开工作年度报告"


def test_issuer_from_body_when_no_title():
    m = meta("本年度报告是根据《条例》的要求,由某某区人民政府办公室编制。报告全文包括概述。2011年,我区")
    assert m["issuer"] == "某某区人民政府办公室" and m["year"] == 2011


def test_chinese_numeral_year_and_statistics_period():
    assert find_year("", "某县二〇一〇年政府信息公开年度报告") == 2010
    assert find_year("本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。", None) == 2023


def test_era_without_year_from_post2019_words():
    assert meta("三、收到和处理政府信息公开申请情况")["era"] == "post2019"
    assert meta("一、概述 依申请公开政府信息情况")["era"] == "pre2019"
