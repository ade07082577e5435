"""Prose facts: every phrasing family on generated sentences, numerals, provenance, checks."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreport.checks.prose import ProseChecks
from govreport.extractors.prose import ProseFacts
from govreport.extractors.prose_stats import _splits, table_values
from govreport.testing import extract_snippet, report_from_facts

PRE = {"era": "pre2019", "year": 2012}
POST = {"era": "post2019", "year": 2023}


def run(text: str, key: str = "overview", meta=PRE):
    return extract_snippet(ProseFacts(), text, key, meta=meta)


def values(text: str, key: str = "overview", meta=PRE) -> dict:
    return run(text, key, meta).values


# --------------------------------------------------------------------------------------
# numbers in every written form


_CN = "零一二三四五六七八九"


def _cn_below_10000(n: int, *, liang: bool) -> str:
    out, zero = "", False
    for unit, div in (("千", 1000), ("百", 100), ("十", 10)):
        d = n // div
        n %= div
        if d:
            if zero:
                out += "零"
                zero = False
            digit = "两" if (liang and d == 2 and unit in "千百") else _CN[d]
            out += "" if (unit == "十" and d == 1 and not out) else digit
            out += unit
        elif out:
            zero = True
    if n:
        if zero:
            out += "零"
        out += "两" if (liang and n == 2 and not out) else _CN[n]
    return out


def chinese(n: int, *, liang: bool = False) -> str:
    """My own int → Chinese numeral writer (十一, 一千零五, 两千, 三万零二十)."""
    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    if not high:
        return _cn_below_10000(low, liang=liang)
    out = _cn_below_10000(high, liang=liang) + "万"
    if low:
        if low < 1000:
            out += "零"
        part = _cn_below_10000(low, liang=liang)
        if low < 20 and low >= 10:
            part = "一" + part  # 三万零一十
        out += part
    return out


def written_forms(n: int) -> list[str]:
    forms = [str(n), f"{n:,}", f"{n:,}".replace(",", "，"),
             str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
             chinese(n), chinese(n, liang=True)]
    if n >= 10000 and n % 1000 == 0:
        forms.append(f"{n / 10000:g}万")
    return forms


@pytest.mark.parametrize("n,text", [(11, "十一"), (2, "两"), (1005, "一千零五"),
                                    (20000, "两万"), (30020, "三万零二十"), (110, "一百一十")])
def test_my_numeral_writer(n, text):
    assert chinese(n, liang=True) == text or chinese(n) == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=99_999_999), st.data())
def test_counts_in_every_written_form(n, data):
    form = data.draw(st.sampled_from(written_forms(n)))
    got = values(f"2012年，全区主动公开政府信息{form}条。", "proactive")
    assert got.get("proactive.items") == n, form


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=1, max_value=9_999_999), st.data())
def test_requests_received_in_every_written_form(n, data):
    form = data.draw(st.sampled_from(written_forms(n)))
    got = values(f"本年度共受理政府信息公开申请{form}件。", "requests")
    assert got.get("legacy.requests.received") == n, form


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=9_999_999), st.sampled_from(["元", "万元"]))
def test_fees_converted_to_yuan(cents, unit):
    amount = cents / 100
    text = f"全年依申请公开收取检索、复制、邮寄费用{amount:.2f}{unit}。"
    got = values(text, "fees").get("fees.collected_yuan")
    expected = amount * (10000 if unit == "万元" else 1)
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------------------
# phrasing families


@pytest.mark.parametrize("sentence,n", [
    ("2012年，全区主动公开政府信息{n}条。", None),
    ("本单位对应主动公开的政府信息进行了梳理和编目，本年度共新增主动公开政府信息{n}条。", None),
    ("2012年制作、获取政府信息总数99999条，其中主动公开政府信息{n}条，不予公开5条。", None),
    ("全年通过门户网站主动公开各类政府信息{n}条。", None),
    ("全年主动公开我区各级单位政府信息{n}条，主要通过政府网站公开。", None),
    ("我局主动公开政府信息共计{n}条。", None),
    ("截至12月31日，全年累计主动公开政府信息的数量{n}条。", None),
    ("主动公开政府信息 {n} 条。", None),
])
def test_proactive_family(sentence, n):
    got = values(sentence.format(n=4321), "proactive")
    assert got.get("proactive.items") == 4321


@pytest.mark.parametrize("sentence", [
    "截至目前，累计主动公开政府信息5928条。",
    "历年累计主动公开政府信息5928条。",
    "全年主动公开政府信息5500余条。",
    "主动公开各类信息约300条。",
    "其他应主动公开的信息946条。",
])
def test_proactive_never_cumulative_nor_approximate(sentence):
    assert "proactive.items" not in values(sentence, "proactive")


def test_cumulative_beside_the_annual_figure():
    text = "累计主动公开政府信息5928条，本年度新增主动公开政府信息2110条。"
    assert values(text, "proactive")["proactive.items"] == 2110


def test_share_loses_to_the_total():
    text = ("各乡镇主动公开政府信息122条。区直各单位主动公开政府信息303条。"
            "2012年，全区主动公开政府信息425条。")
    assert values(text, "proactive")["proactive.items"] == 425


def test_fallback_wording_for_published_items_post2019():
    text = "今年，我区政府信息公开单位共公布政府信息2599条，其中机构职能类信息25条。"
    assert values(text, "overview", POST)["proactive.items"] == 2599
    assert "proactive.items" not in values("网站共发布各类信息46106条。", "overview", POST)


@pytest.mark.parametrize("sentence,expected", [
    ("2013年，全市共受理政府信息公开申请11件，均在规定期限内答复办结。",
     {"legacy.requests.received": 11, "legacy.requests.closed": 11,
      "legacy.requests.closed_on_time": 11}),
    ("全年共收到有关政府信息公开的申请7条，网上申请数3条，信函申请数4条。",
     {"legacy.requests.received": 7, "legacy.requests.online": 3,
      "legacy.requests.letter": 4}),
    ("全年共收到依申请公开共9件。", {"legacy.requests.received": 9}),
    ("本年度受理政府信息公开申请21件，均已答复。",
     {"legacy.requests.received": 21, "legacy.requests.closed": 21}),
    ("共受理申请30件，其中通过网络申请20件，当面申请6件，传真申请1件，电子邮件申请3件。",
     {"legacy.requests.received": 30, "legacy.requests.online": 20,
      "legacy.requests.in_person": 6, "legacy.requests.fax": 1, "legacy.requests.email": 3}),
    ("对依申请公开的答复总数3条，其中同意公开答复数2条，同意部分公开1条。",
     {"legacy.requests.closed": 3, "legacy.responses.granted": 2,
      "legacy.responses.partially_granted": 1}),
    ("全年共受理政府信息公开申请1499件。其中通过网络申请1303件，占86.92%；通过信函申请172件；"
     "通过当面申请24件。予以公开答复966件，部分公开67件，不予公开81件。",
     {"legacy.requests.received": 1499, "legacy.requests.online": 1303,
      "legacy.requests.letter": 172, "legacy.requests.in_person": 24,
      "legacy.responses.granted": 966, "legacy.responses.partially_granted": 67,
      "legacy.responses.denied": 81, "legacy.requests.closed": None}),
    ("共受理申请十二件，其中同意公开五件，不予公开两件，信息不存在三件，"
     "非本机关掌握一件，属于已主动公开范围一件。",
     {"legacy.requests.received": 12, "legacy.responses.granted": 5,
      "legacy.responses.denied": 2, "legacy.responses.not_exist": 3,
      "legacy.responses.not_this_agency": 1, "legacy.responses.already_public": 1}),
])
def test_request_family(sentence, expected):
    got = values(sentence, "requests")
    for key, value in expected.items():
        assert got.get(key) == value, key


@pytest.mark.parametrize("sentence", [
    "2011年全区未收到有关政府信息公开的申请。",
    "本单位2008年没有收到政府信息公开申请。",
    "我局2008年度依申请受理信息公开申请:无。",
    "因未发生政府信息公开申请，故不存在答复处理情况。",
])
def test_no_requests_is_zero(sentence):
    assert values(sentence, "requests")["legacy.requests.received"] == 0


def test_a_review_request_is_not_a_disclosure_request():
    got = values("2012年全区未收到有关政府信息公开行政复议申请。", "requests")
    assert "legacy.requests.received" not in got
    assert got["review.total"] == 0


def test_approvals_are_not_requests():
    text = "今年我局共受理审批事项117件，办结171件；行政服务中心共受理申请121510件。"
    got = values(text, "requests")
    assert not any(k.startswith("legacy.requests") for k in got)


@pytest.mark.parametrize("sentence,review,litigation", [
    ("2013年，全市没有出现因政府信息公开申请行政复议、提起行政诉讼等情况。", 0, 0),
    ("我局未收到有关政府信息公开行政复议、提起行政诉讼的申请。", 0, 0),
    ("2010年，未产生针对我局政府信息公开的行政复议与行政诉讼。", 0, 0),
    ("我局2008年度没有发生针对本部门有关政府信息公开事务的行政复议案件。", 0, None),
    ("全年无因政府信息公开引起的行政复议和行政诉讼案件。", 0, 0),
    ("2013年，我局收到有关政府信息公开行政复议0件。", 0, None),
    ("因政府信息公开申请行政复议3件，提起行政诉讼两件。", 3, 2),
    ("全年发生信息公开类行政复议7件，诉讼9件，均获维持。", 7, 9),
    ("行政复议、行政诉讼情况：无。", 0, 0),
])
def test_review_family(sentence, review, litigation):
    got = values(sentence, "review_litigation")
    assert got.get("review.total") == review
    assert got.get("litigation.total") == litigation


def test_complaints_negation():
    text = "截止到2015年末，我市尚未有因政府信息公开而申请行政复议、提起诉讼和申诉情况。"
    got = values(text, "review_litigation")
    assert got["review.total"] == 0 and got["litigation.total"] == 0
    assert got["legacy.complaints.total"] == 0


@pytest.mark.parametrize("sentence", [
    "（二）与行政复议、行政诉讼有关的费用支出：无。",
    "该行政复议案件未被复议机关纠错，共1件。",
])
def test_review_words_that_are_not_a_count(sentence):
    got = values(sentence, "fees" if "费用" in sentence else "overview", POST)
    assert "review.total" not in got


@pytest.mark.parametrize("sentence,collected,waived", [
    ("目前，我市对依申请公开政府信息事项未收费。", 0, None),
    ("2014年我区各级工作部门依申请提供政府信息暂不收费。", 0, None),
    ("本年度依申请公开政府信息未收取任何费用，也无减免情况。", 0, 0),
    ("无收费及减免情况。", 0, 0),
    ("（三）公民、法人和其他组织的收费情况：无。", 0, None),
    ("依申请提供政府信息收取检索、复制费用一百二十元，减免费用30元。", 120, 30),
    ("本机关未对申请人收取任何费用。", 0, None),
])
def test_fee_family(sentence, collected, waived):
    got = values(sentence, "fees")
    assert got.get("fees.collected_yuan") == collected
    assert got.get("fees.waived_yuan") == waived


@pytest.mark.parametrize("sentence", [
    "（一）政府信息公开事务的财政与实际支出情况：无。",
    "其中办理下岗失业人员减免税共计91件，共计减免金额219062.78元。",
    "用于设立和更新公开栏等产生的政府信息公开费用1万元。",
    "全文包括重点工作情况，以及主动公开、依申请公开（含不予公开、收费及减免）等相关数据。",
])
def test_not_fees_collected(sentence):
    got = values(sentence, "fees")
    assert "fees.collected_yuan" not in got and "fees.waived_yuan" not in got


@pytest.mark.parametrize("sentence,expected", [
    ("2023年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 0 元。",
     {"info_fee.collected_amount_yuan": 0}),
    ("全县行政机关在办理2025年度信息公开申请中收取信息处理费共计380元。",
     {"info_fee.collected_amount_yuan": 380}),
    ("2021年，无收取信息处理费情况。", {"info_fee.collected_amount_yuan": 0}),
    ("全年发出收费通知3件，金额共计1500元，实际收取信息处理费0.12万元。",
     {"info_fee.notices_count": 3, "info_fee.notices_amount_yuan": 1500,
      "info_fee.collected_amount_yuan": 1200}),
])
def test_info_fee_family(sentence, expected):
    got = values(sentence, "other", POST)
    for key, value in expected.items():
        assert got.get(key) == pytest.approx(value), key


def test_era_decides_the_keys():
    pre = values("本年度依申请公开政府信息未收取任何费用。", "fees", PRE)
    post = values("本年度依申请公开政府信息未收取任何费用。", "fees", POST)
    assert "fees.collected_yuan" in pre and not any(k.startswith("fees.") for k in post)
    post = values("共受理政府信息公开申请11件。", "requests", POST)
    assert not any(k.startswith("legacy.") for k in post)
    pre = values("全年收取信息处理费380元。", "other", PRE)
    assert not any(k.startswith("info_fee.") for k in pre)


def test_rule_of_table_four_wins_post2019():
    text = "2023年未发生因政府信息公开引起的行政复议和行政诉讼。"
    got = extract_snippet(ProseFacts(), text, "overview", meta=POST,
                          facts={"review.total": 3}).values
    assert "review.total" not in got and got["litigation.total"] == 0


# --------------------------------------------------------------------------------------
# missing numbers


@pytest.mark.parametrize("sentence,key", [
    ("2013年，全市各级政府及部门主动公开政府信息 条，主要包括规章和规范性文件。",
     "proactive.items"),
    ("全年公开核准企业资质条、施工许可证76条。", None),
])
def test_missing_number_is_a_check_not_a_fact(sentence, key):
    snip = run(sentence, "proactive")
    assert "proactive.items" not in snip.values
    missing = [c for c in snip.checks if c.rule == "MISSING"]
    assert len(missing) == 1
    assert missing[0].keys == ([key] if key else [])


def test_missing_number_never_borrowed_from_a_neighbour():
    text = "主动公开政府信息条，公开规范性文件12件，政务微博发布信息300条。"
    snip = run(text, "proactive")
    assert "proactive.items" not in snip.values
    assert any(c.rule == "MISSING" for c in snip.checks)


@pytest.mark.parametrize("sentence", [
    "本报告所列数据的统计期限自至。",
    "认真贯彻落实《条例》，公开了相关文件，",
    "推行一条龙服务，公开办事条件。",
])
def test_no_false_missing(sentence):
    assert not [c for c in run(sentence, "overview").checks if c.rule == "MISSING"]


# --------------------------------------------------------------------------------------
# provenance


def test_provenance_is_the_sentence_as_written():
    text = "一、概述\n本年度情况良好。\n三、依申请公开情况\n2013年，全市共受理政府信息公開申請11件，均在規定期限內答覆辦結。"
    snip = run(text, "requests")
    fact = next(f for f in snip.facts if f.key == "legacy.requests.received")
    prov = fact.provenance
    assert prov["section"] == "requests" and prov["extractor"] == "prose"
    assert "申請11件" in prov["text"]  # the source's own (Traditional) wording
    assert prov["text"].endswith("辦結。") and "本年度情况良好" not in prov["text"]
    a, b = prov["span"]
    assert text[a:b] == prov["text"]
    assert prov["evidence"] == "number"


# --------------------------------------------------------------------------------------
# statistics attachments


def test_certain_splits():
    assert _splits("00", 2) == [(0, 0)]
    assert _splits("728", 2) == [(7, 28)]
    assert _splits("018", 2) == [(0, 18)]
    assert len(_splits("4251516", 2)) > 1


def test_glued_table_takes_only_certain_values():
    text = ("附件：统计表 指标名称计量单位2011年度历年累计主动公开信息数条4251516其中：1.网站公开条"
            "41815092.政府公报公开条77受理依申请公开信息总数条728其中：1.当面申请数条0182.传真"
            "申请数条003.网上申请数条44对申请的答复数条324行政复议数条00行政诉讼数条00行政申诉数条01")
    found, _ = table_values(text)
    got = {k: v for k, (v, _row) in found.items()}
    assert got["proactive.items"] is None  # 4|251516, 42|51516, 425|1516 …
    assert got["legacy.requests.received"] == 7
    assert got["legacy.requests.in_person"] == 0
    assert got["legacy.requests.fax"] == 0
    assert got["legacy.requests.online"] == 4
    assert got["legacy.requests.closed"] == 3
    assert got["legacy.review.total"] == 0 and got["legacy.complaints.total"] == 0


def test_spaced_table_and_prose_disagreement():
    text = ("2012年全区主动公开政府信息1913条。统计表 指标名称 计量单位 2012年度 历年累计 "
            "主动公开信息数 条 739 4359 受理依申请公开信息总数 条 0 0 行政复议数 件 0 0")
    snip = run(text, "proactive")
    assert snip.values["proactive.items"] == 1913
    assert snip.values["legacy.requests.received"] == 0
    assert snip.values["legacy.review.total"] == 0
    assert [c.keys for c in snip.checks if c.rule == "TXT-TABLE"] == [["proactive.items"]]


def test_table_channels_the_prose_contradicts_are_dropped():
    text = ("共收到政府信息公开申请7条，网上申请数3条，信函申请数4条。统计表 指标名称计量单位"
            "2013年度历年累计受理依申请公开信息总数条728其中：1.当面申请数条0182.电子邮件申请数"
            "条363.网上申请数条444.信函申请数条00")
    snip = run(text, "requests")
    v = snip.values
    assert (v["legacy.requests.online"], v["legacy.requests.letter"]) == (3, 4)
    assert v["legacy.requests.in_person"] == 0
    assert "legacy.requests.email" not in v
    assert len([c for c in snip.checks if c.rule == "TXT-TABLE"]) == 3


# --------------------------------------------------------------------------------------
# validator


def test_prose_checks():
    report = report_from_facts({"legacy.requests.received": 5, "legacy.requests.closed": 6,
                                "legacy.requests.in_person": 1, "legacy.requests.online": 1,
                                "legacy.requests.letter": 1, "legacy.requests.fax": 0,
                                "legacy.requests.email": 0,
                                "info_fee.collected_amount_yuan": 500.0,
                                "info_fee.notices_amount_yuan": 300.0,
                                "info_fee.notices_count": 2}, meta=PRE)
    rules = [c.rule for c in ProseChecks().check(report)]
    assert rules.count("LEGACY-SUM") == 2 and rules.count("FEE-1") == 1
    ok = report_from_facts({"legacy.requests.received": 2, "legacy.requests.closed": 2,
                            "legacy.requests.closed_on_time": 2})
    assert list(ProseChecks().check(ok)) == []
