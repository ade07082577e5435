"""One series across eras: the crosswalk from legacy.* and post-2019 keys."""
import json

import govreport
from _corpus import CORPUS, needs_corpus
from govreport.research import crosswalk, indicators, series_detail


def _report(era, facts):
    return {"meta": {"era": era}, "facts": facts}


def test_pre_and_post_2019_keys_meet_in_one_indicator():
    assert govreport.series(_report("pre2019", {"legacy.requests.received": 7}))["requests_received"] == 7
    assert govreport.series(_report("post2019", {"requests.new_received.total": 21}))["requests_received"] == 21


def test_every_indicator_is_a_key_even_when_unstated():
    assert list(govreport.series(_report("pre2019", {}))) == indicators()
    assert set(govreport.series(_report("pre2019", {})).values()) == {None}


def test_a_key_of_the_other_era_is_not_read():
    assert govreport.series(_report("post2019", {"legacy.requests.received": 3}))["requests_received"] is None


def test_sums_need_every_addend():
    parts = {"litigation_direct.total": 2, "litigation_after_review.total": 3}
    assert govreport.series(_report("post2019", parts))["lawsuits"] == 5
    assert govreport.series(_report("post2019", {"litigation_direct.total": 2}))["lawsuits"] is None
    blank = dict(parts, **{"litigation_after_review.total": None})
    assert govreport.series(_report("post2019", blank))["lawsuits"] is None


def test_detail_names_keys_and_caveat():
    d = series_detail(_report("pre2019", {"fees.collected_yuan": 0}))["fees_collected_yuan"]
    assert d["keys"] == ["fees.collected_yuan"] and "legal basis" in d["caveat"]


def test_crosswalk_keys_exist_in_the_catalog():
    from govreport.catalog import fact_catalog

    known = set(fact_catalog())
    missing = {k for m in crosswalk() for k in m.keys if k not in known}
    assert not missing
    assert all(m.era in ("pre2019", "post2019", "any") for m in crosswalk())
    # where eras differ, the row says so
    assert all(m.caveat for m in crosswalk() if m.indicator in ("requests_received", "fees_collected_yuan"))


@needs_corpus
def test_pingtan_requests_received_series_has_every_stated_year():
    truth_dir = CORPUS.parent / "truth"
    stated = {}
    for path in sorted(truth_dir.glob("pingtan-syq-*.json")) + sorted(truth_dir.glob("pingtan-county-*.json")):
        truth = json.loads(path.read_text("utf-8"))
        facts = truth["facts"]
        want = facts.get("requests.new_received.total", facts.get("legacy.requests.received"))
        if want is None:
            continue
        report = govreport.parse(CORPUS / truth["file"])
        stated[(path.stem, report.meta["year"])] = (govreport.series(report)["requests_received"], want)
    assert len(stated) >= 12
    eras = {y >= 2019 for _, y in stated}
    assert eras == {True, False}
    assert {k: v for k, v in stated.items() if v[0] != v[1]} == {}
