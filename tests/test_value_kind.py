"""Provenance ``kind``: a printed number, a stated zero, a blank cell or not applicable."""
import pytest

import govreport
from govreport.numbers import VALUE_KINDS, value_kind
from govreport.testing import make_report


@pytest.mark.parametrize("value,wording,kind", [
    (21, "21", "printed"),
    (0, "0", "printed"),
    (0, "其中：1、当面申请数条00", "printed"),
    (0, "2013年，我局收到以有关政府信息公开行政复议0件。", "printed"),
    (0, "2016年我局未收到有关政府信息公开的申请。", "stated_zero"),
    (0, "统计期限自2016年1月1日起至2016年12月31日止，没有出现行政复议的情况", "stated_zero"),
    (0.0, "未收取任何费用", "stated_zero"),
    (None, "", "blank"),
    (None, " \u3000", "blank"),
    (None, "/", "not_applicable"),
    (None, "——", "not_applicable"),
    (None, "无", "not_applicable"),
])
def test_value_kind(value, wording, kind):
    assert value_kind(value, wording) == kind


@pytest.mark.parametrize("kind,blank", [("html", "blank"), ("text", "not_applicable")])
def test_every_fact_of_a_parse_has_a_kind(tmp_path, kind, blank):
    """The HTML renderer leaves the cell empty; the text dump prints "-" there."""
    gen = make_report(tmp_path, {"requests.granted.natural_person": None}, kind=kind)
    report = govreport.parse(gen.path)
    kinds = {k: p["kind"] for k, p in report.provenance.items()}
    assert set(kinds) == set(report.facts)
    assert set(kinds.values()) <= set(VALUE_KINDS)
    assert kinds["requests.new_received.total"] == "printed"
    if "requests.granted.natural_person" in report.facts:
        assert report.facts["requests.granted.natural_person"] is None
        assert kinds["requests.granted.natural_person"] == blank
    assert report.to_dict()["provenance"]["requests.new_received.total"]["kind"] == "printed"


def test_a_negation_sentence_is_a_stated_zero(tmp_path):
    gen = make_report(tmp_path, era="pre2019", kind="text", year=2016,
                      sections={"requests": "2016年，本机关未收到政府信息公开申请。"},
                      prose_facts={"legacy.requests.received": 0})
    report = govreport.parse(gen.path)
    assert report.facts["legacy.requests.received"] == 0
    assert report.provenance["legacy.requests.received"]["kind"] == "stated_zero"
