"""Prose read by meaning: classes of sentences from reports nobody here had seen.

Each test is a class (a construction, a scope word, a negation form), written with new
wording — the paraphrase benchmark (benchmarks/paraphrase.py) varies them at scale."""
from __future__ import annotations

import pytest

from govreport.extractors.prose import ProseFacts
from govreport.extractors.prose_scope import is_cumulative, other_year
from govreport.testing import extract_snippet

PRE = {"era": "pre2019", "year": 2014}
POST = {"era": "post2019", "year": 2024}


def values(text: str, key: str = "proactive", meta=PRE) -> dict:
    return extract_snippet(ProseFacts(), text, key, meta=meta).values


def checks(text: str, key: str = "overview", meta=PRE) -> list:
    return extract_snippet(ProseFacts(), text, key, meta=meta).checks


@pytest.mark.parametrize("text,want", [
    # a long object listing kinds, after 全年累计 (the year's, not since some year)
    ("全年累计主动公开涵盖办事程序、便民政策、人事任免等政府信息135条，有效保障了知情权。", 135),
    # the year to date; the channel share after 其中 is not the total
    ("截止今年12月，全局主动公开执法信息30条，其中网上公开信息14条，占总数的47%。", 30),
    # object before the verb; number before a passive verb
    ("2014年，政府信息主动公开235条。", 235),
    ("本年度共有88条政府信息被主动公开。", 88),
    # verb, number, object
    ("全年主动公开了99条政策文件。", 99),
    # channels listed together: the total over them
    ("我局通过门户网站、微信公众号等渠道主动公开政府信息120条。", 120),
])
def test_the_years_proactive_count(text, want):
    assert values(text)["proactive.items"] == want


@pytest.mark.parametrize("text", [
    "今年累计主动公开采购信息25条、工程招投标信息188条。",        # kinds listed one by one
    "截至发文之日，共主动公开政策性文件90份。",                   # everything so far
    "通过门户网站主动公开信息120条，通过微信公众号发布信息35条。",  # one channel among several
    "上年度主动公开政府信息300条。",                              # another year
    "2013年，主动公开政府信息300条。",                            # another year, by number
    "主动公开机构职能类信息30条。",                               # one class of information
])
def test_not_the_years_proactive_count(text):
    assert "proactive.items" not in values(text)


def test_scope_rules():
    assert is_cumulative("截至2013年12月27日，我局累计", 2013)
    assert not is_cumulative("全年累计", 2013)
    assert not is_cumulative("截止今年12月，全局", 2013)
    assert not is_cumulative("今年以来，", 2013)
    assert is_cumulative("自2008年以来，", 2013)
    assert other_year("去年", 2013) and other_year("2012年，", 2013)
    assert not other_year("与上年相比，今年", 2013) and not other_year("2013年", 2013)


def test_information_by_disclosure_class_is_not_answers():
    got = values("2015年度我局依申请公开政府信息79条，不予以公开信息93条。", "requests")
    assert "legacy.responses.denied" not in got
    assert "legacy.requests.received" not in got


@pytest.mark.parametrize("text,key", [
    ("2014年，我局未受理政府信息公开申请事项。", "legacy.requests.received"),
    ("政府信息公开申请，本年度未收到。", "legacy.requests.received"),
    ("本年度政府信息公开申请数为零。", "legacy.requests.received"),
    ("行政复议、行政诉讼：无。", "review.total"),
    ("因政府信息公开申请行政复议、提起行政诉讼的情况为零。", "litigation.total"),
    ("我区各级工作部门依申请提供政府信息暂不收费。", "fees.collected_yuan"),
])
def test_negations_mean_zero(text, key):
    section = {"review.total": "review_litigation", "litigation.total": "review_litigation",
               "fees.collected_yuan": "fees"}.get(key, "requests")
    assert values(text, section)[key] == 0


@pytest.mark.parametrize("text", [
    "没有行政复议被纠错的情况。",
    "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉",
    "因政府信息公开申请行政复议的，按规定办理。",
])
def test_outcomes_and_headers_are_no_zero(text):
    assert not {"review.total", "litigation.total"} & set(values(text, "review_litigation"))


@pytest.mark.parametrize("text", ["2024年，无收取信息处理费情况。", "2024年度我局未产生信息公开处理费。",
                                  "信息处理费收取情况：无。"])
def test_info_fee_none(text):
    assert values(text, "other", POST)["info_fee.collected_amount_yuan"] == 0


def test_a_negated_sentence_needs_no_number():
    assert not [c for c in checks("2023年我局未收到政府信息公开申请件。") if c.rule == "MISSING"]
    assert [c for c in checks("全年受理政府信息公开申请件。") if c.rule == "MISSING"]


def test_post2019_lawsuits_belong_to_table_four():
    text = "2023年未发生因政府信息公开引起的行政复议和行政诉讼。"
    read = {"litigation_direct.total": 0, "litigation_after_review.total": 0, "review.total": 0}
    got = extract_snippet(ProseFacts(), text, "review_litigation", meta=POST, facts=read).values
    assert "litigation.total" not in got and "review.total" not in got
    alone = extract_snippet(ProseFacts(), text, "review_litigation", meta=POST).values
    assert alone["litigation.total"] == 0 and alone["review.total"] == 0
