"""Rates are defined once (data/rates.json) and mean the same everywhere."""
from __future__ import annotations

import pytest

from govreport import rates
from govreport.catalog import fact_catalog


def test_every_term_is_a_known_fact_or_an_earlier_measure():
    keys = set(fact_catalog())
    seen: set[str] = set()
    for m in rates.measures():
        assert m.kind in ("count", "rate") and m.label_zh and m.label_en and m.forms
        for form in m.forms:
            assert form.era in ("post2019", "pre2019", "any")
            terms = form.sum if m.kind == "count" else form.numerator + form.denominator
            assert terms and (not form.sum or m.kind == "count")
            for term in terms:
                assert term[1:] in seen if term.startswith("=") else term in keys, (m.name, term)
        seen.add(m.name)


def test_the_named_rates_exist_with_their_chinese_names():
    names = {m.label_zh: m.name for m in rates.measures()}
    assert names["实质公开率"] == "disclosure_rate"
    assert names["不予公开率"] == "denial_rate"
    assert names["复议纠错率"] == "review_correction_rate"
    assert names["诉讼败诉率"] == "litigation_correction_rate"
    assert all(any("denominator 0" in c for c in rates.measure(n).caveats)
               for n in ("disclosure_rate", "denial_rate", "review_correction_rate"))


def test_denominator_zero_is_not_applicable_not_a_percentage():
    facts = {"review.upheld": 0, "review.corrected": 0, "review.other": 0}
    got = rates.explain(facts)["review_correction_rate"]
    assert got == {"value": None, "status": rates.NOT_APPLICABLE, "era": "post2019",
                   "numerator": 0, "denominator": 0}
    assert rates.explain({})["review_correction_rate"]["status"] == rates.MISSING
    facts = {"review.upheld": 3, "review.corrected": 1, "review.other": None}  # blank cell
    assert rates.explain(facts)["review_correction_rate"]["status"] == rates.MISSING
    facts["review.other"] = 0
    assert rates.compute(facts)["review_correction_rate"] == pytest.approx(0.25)


def test_a_later_form_serves_the_other_era():
    pre = rates.explain({"review.total": 1, "litigation.total": 2, "legacy.requests.received": 30})
    assert pre["lawsuits_total"] == {"value": 2, "status": "ok", "era": "pre2019"}
    assert pre["dispute_conversion"]["era"] == "pre2019"
    assert pre["dispute_conversion"]["value"] == pytest.approx(3 / 30)
    post = rates.explain({"review.total": 1, "litigation_direct.total": 2,
                          "litigation_after_review.total": 0, "litigation.total": 9,
                          "requests.new_received.total": 10})
    assert post["lawsuits_total"]["value"] == 2 and post["dispute_conversion"]["value"] == 0.3
