"""Tables on real reports of the shared corpus (skipped when it is absent).

Only read from ../shared/corpus; nothing from it is copied into the repository.
"""
from __future__ import annotations

import pytest

import govreport
from _corpus import CORPUS


def parse(name: str):
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"shared corpus not available ({path})")
    return govreport.parse(path)


def test_pdf_split_table_with_typo_and_inconsistent_table4():
    r = parse("hongze-2023.pdf")
    f = r.facts
    assert (r.meta["table2_variant"], r.meta["table3_variant"]) == ("2021", "2019")
    assert f["requests.new_received.total"] == 21
    assert f["requests.denied.prohibited_by_law.total"] == 0
    assert "行政止公开" in r.provenance["requests.denied.prohibited_by_law.total"]["row"]
    assert f["requests.unavailable.needs_creation.natural_person"] == 3
    assert f["requests.unavailable.unclear_after_correction.total"] == 0   # next page
    assert r.provenance["requests.unavailable.unclear_after_correction.total"]["page"] == 4
    assert f["proactive.admin_fees.amount_wan"] == 7730.28
    # table 四 as printed (总计 0), with the T4-SUM finding
    assert (f["review.upheld"], f["review.corrected"], f["review.total"]) == (10, 1, 0)
    assert {tuple(c.keys[:1]) for c in r.checks if c.rule == "T4-SUM"} == {
        ("review.total",), ("litigation_after_review.total",)}


def test_pdf_2021_table3_split_inside_a_group():
    r = parse("huaian-2024.pdf")
    f = r.facts
    assert r.meta["table3_variant"] == "2021"
    assert f["requests.unavailable.not_held.total"] == 769
    assert f["requests.unavailable.needs_creation.total"] == 11
    assert f["requests.other.fee_unpaid.total"] == 6
    assert f["litigation_after_review.total"] == 20
    assert not [c for c in r.checks if c.rule.startswith(("T3", "T4", "TXT"))]


def test_html_blanks_are_null_and_prose_disagrees():
    r = parse("shanghai-bgt-2019.html")
    f = r.facts
    assert f["requests.granted.natural_person"] == 258
    assert f["requests.granted.total"] is None
    assert f["proactive.central_procurement.amount_yuan"] == 251000
    assert f["litigation_after_review.total"] is None
    assert "TXT-TABLE" in {c.rule for c in r.checks}
    assert not [c for c in r.checks if c.rule.startswith(("T3", "T4"))]


def test_oneline_dump_splits_only_when_unique():
    r = parse("pingtan-syq-2021.txt")
    f = r.facts
    assert [f[f"requests.new_received.{c}"] for c in
            ("natural_person", "commercial", "research", "social_welfare", "legal_services",
             "other_org", "total")] == [64, 0, 0, 2, 0, 4, 70]
    # 270020130 reads two ways on its own; only 27 0 0 2 0 1 | 30 makes the result rows
    # add up to （七）总计 column by column (T3-SUM)
    assert [f[f"requests.granted.{c}"] for c in
            ("natural_person", "commercial", "research", "social_welfare", "legal_services",
             "other_org", "total")] == [27, 0, 0, 2, 0, 1, 30]
    assert "proactive.normative_docs.issued" not in f    # 693665
    assert f["proactive.admin_fees.amount_wan"] == 24252.311082
    assert any("left out" in w for w in r.warnings)


def test_markdown_with_detached_labels():
    r = parse("shanghai-kewei-2024.md")
    f = r.facts
    assert r.meta["table3_variant"] == "2021"
    assert f["requests.other.no_correction.total"] == 10
    assert f["requests.unavailable.needs_creation.natural_person"] == 6
    assert f["review.total"] == 1
