"""T3-BAL / T3-SUM / T3-ROW / T4-SUM / TXT-TABLE on facts, without parsing a file."""
from __future__ import annotations

from govreport import fixtures as F
from govreport.checks.tables import ProseVersusTables, TableArithmetic
from govreport.model import Section
from govreport.testing import report_from_facts


def consistent(variant="2021") -> dict:
    spec = F.default_spec(variant=variant)
    return {k: v for k, v in F.expected_facts(spec).items()
            if k.startswith(("requests.", "review.", "litigation_"))}


def run(facts, variant="2021", sections=()):
    report = report_from_facts(facts, meta={"table3_variant": variant})
    report.sections = list(sections)
    return list(TableArithmetic().check(report)) + list(ProseVersusTables().check(report))


def test_consistent_tables_pass():
    assert run(consistent()) == []
    assert run(consistent("2019"), "2019") == []


def test_each_rule_names_its_keys_and_the_numbers():
    f = consistent()
    f["requests.granted.commercial"] += 1              # T3-ROW and T3-SUM (commercial)
    f["requests.carried_over.total"] += 5              # T3-BAL (total) and T3-ROW
    f["litigation_direct.total"] = 9                   # T4-SUM
    checks = run(f)
    rules = sorted({c.rule for c in checks})
    assert rules == ["T3-BAL", "T3-ROW", "T3-SUM", "T4-SUM"]
    row = [c for c in checks if c.rule == "T3-ROW"]
    assert {c.keys[0] for c in row} == {"requests.granted.total", "requests.carried_over.total"}
    t4 = next(c for c in checks if c.rule == "T4-SUM")
    assert t4.keys[0] == "litigation_direct.total" and "9" in t4.message
    assert all(c.severity == "warning" for c in checks)
    bal = next(c for c in checks if c.rule == "T3-BAL")
    assert "requests.carried_over.total" in bal.keys and "column total" in bal.message


def test_blank_or_missing_cells_are_not_assessable():
    f = consistent()
    f["requests.granted.research"] = None
    f["requests.granted.total"] = None
    del f["requests.carried_forward.natural_person"]
    f["review.pending"] = None
    assert run(f) == []


def test_parts_over_total_fail_even_with_blanks():
    f = consistent()
    f["review.upheld"], f["review.corrected"], f["review.total"] = 10, None, 3
    assert [c.rule for c in run(f)] == ["T4-SUM"]


def test_txt_table_fires_on_contradicting_prose_only():
    f = consistent()
    new = f["requests.new_received.total"]
    co = f["requests.carried_over.total"]
    ok = Section("overview", "一、总体情况",
                 f"全年共受理政府信息公开申请{new}件，其中上年结转{co}件。"
                 f"共收到申请{new + co}件。行政复议{f['review.total']}件。", 0, 60)
    assert run(f, sections=[ok]) == []
    bad = Section("overview", "一、总体情况",
                  f"全年共受理政府信息公开申请{new + 80}件，予以公开及部分公开1件。", 0, 40)
    checks = run(f, sections=[bad])
    assert [c.rule for c in checks] == ["TXT-TABLE", "TXT-TABLE"]
    assert "requests.new_received.total" in checks[0].keys
    assert f"{new + 80}" in checks[0].message


def test_txt_table_all_upheld_but_some_pending():
    f = consistent()  # default: review (2, 1, 0, 1)
    sec = Section("review_litigation", "四、…", "信息公开类行政复议4件，诉讼2件，均获维持。", 0, 20)
    checks = run(f, sections=[sec])
    assert [c.rule for c in checks] == ["TXT-TABLE"]
    assert "review.pending" in checks[0].keys


def test_txt_table_only_post2019():
    f = consistent()
    report = report_from_facts(f, meta={"era": "pre2019"})
    report.sections = [Section("overview", "", "受理政府信息公开申请999件。", 0, 14)]
    assert list(ProseVersusTables().check(report)) == []
