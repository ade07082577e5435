"""Cross-report checks: every rule fires when it should and stays silent when it should not.

Generated series (``govreport.testing.make_series``) are parsed end to end; the 平潭
reports of the shared corpus give the real carry-over test.
"""
from __future__ import annotations

import json
import shutil
import sys
import types
from pathlib import Path

import pytest

import govreport
from _corpus import CORPUS, needs_corpus
from govreport.crossyear import CHECKS_JSONL, CROSS_CHECKS_JSON, CrossOptions, run_checks, summary, write_outputs
from govreport.crossyear_rules import BUILTIN_CHECKS, CarryOver, Duplicate, Gap, Jump, YearMismatch
from govreport.errors import RecordsError
from govreport.testing import load_registry, make_series

OFFICE = "某某区人民政府"


def parsed(reports) -> list[dict]:
    return [govreport.parse(r.path).to_dict() for r in reports]


def only(findings, rule):
    return [f for f in findings if f.rule == rule]


def names(finding) -> list[str]:
    return [Path(r["path"]).name for r in finding.reports]


# ---------------------------------------------------------------------------------------
# XY-CARRY


def test_carry_silent_on_a_consistent_series(tmp_path):
    recs = parsed(make_series(tmp_path, [2021, 2022, 2023], carried_forward={2021: 3, 2022: 2}))
    assert [r["facts"]["requests.carried_over.total"] for r in recs] == [0, 3, 2]
    assert run_checks(recs, checks=[CarryOver()]) == []


def test_carry_fires_on_a_broken_chain_naming_both_reports(tmp_path):
    recs = parsed(make_series(tmp_path, [2021, 2022, 2023], carried_over={2023: 5}))
    found = run_checks(recs, checks=[CarryOver()])
    assert len(found) == 1
    f = found[0]
    assert f.rule == "XY-CARRY" and f.office == OFFICE
    assert names(f) == [f"{OFFICE}-2022.txt", f"{OFFICE}-2023.txt"]
    assert [r["year"] for r in f.reports] == [2022, 2023]
    assert f.values == {"natural_person": {"carried_forward": 1, "carried_over": 5},
                        "total": {"carried_forward": 1, "carried_over": 5}}
    assert "5 vs 1" in f.message


def test_carry_compares_only_consecutive_years_and_printed_cells(tmp_path):
    recs = parsed(make_series(tmp_path, [2021, 2023], carried_over={2023: 5}))
    assert run_checks(recs, checks=[CarryOver()]) == []  # 2022 missing: nothing to compare
    recs = parsed(make_series(tmp_path / "b", [2021, 2022], carried_over={2022: 5}))
    for key in [k for k in recs[1]["facts"] if k.startswith("requests.carried_over.")]:
        recs[1]["facts"][key] = None  # printed blank
    assert run_checks(recs, checks=[CarryOver()]) == []


@needs_corpus
def test_carry_on_the_pingtan_reports(tmp_path):
    """The real series raises no XY-CARRY (its printed numbers agree); altering one year's
    上年结转 in a copy makes XY-CARRY name exactly that report and the year before."""
    files = sorted(CORPUS.glob("pingtan-*.txt"))
    assert len(files) > 20
    recs = [govreport.parse(f).to_dict() for f in files]
    checked = [(a, b) for a in recs for b in recs
               if a["meta"]["issuer"] == b["meta"]["issuer"]
               and b["meta"]["year"] == a["meta"]["year"] + 1
               and "requests.carried_forward.total" in a["facts"]
               and "requests.carried_over.total" in b["facts"]]
    assert len(checked) >= 2  # 2021→2022 and 2024→2025 of 平潭综合实验区
    assert only(run_checks(recs), "XY-CARRY") == []

    copy = tmp_path / "pingtan-syq-2022.txt"
    text = (CORPUS / "pingtan-syq-2022.txt").read_text(encoding="utf-8")
    row = "上年结转政府信息公开申请数量 1000001"
    assert text.count(row) == 1
    copy.write_text(text.replace(row, "上年结转政府信息公开申请数量 4000004"), encoding="utf-8")
    altered = govreport.parse(copy).to_dict()
    assert altered["facts"]["requests.carried_over.total"] == 4
    recs = [altered if Path(r["source"]["path"]).name == copy.name else r for r in recs]
    found = only(run_checks(recs), "XY-CARRY")
    assert len(found) == 1
    assert names(found[0]) == ["pingtan-syq-2021.txt", "pingtan-syq-2022.txt"]
    assert found[0].reports[1]["path"] == str(copy)
    assert found[0].values["total"] == {"carried_forward": 1, "carried_over": 4}


# ---------------------------------------------------------------------------------------
# XY-JUMP


def test_jump_fires_on_a_fivefold_indicator(tmp_path):
    recs = parsed(make_series(tmp_path, [2021, 2022], granted={2022: 200}))
    found = run_checks(recs, checks=[Jump()])
    keys = {f.values.get("key") for f in found}
    assert "requests_granted" in keys
    f = next(f for f in found if f.values.get("key") == "requests_granted")
    assert f.values["before"] == 10 and f.values["after"] == 200 and f.values["factor"] == 20
    assert names(f) == [f"{OFFICE}-2021.txt", f"{OFFICE}-2022.txt"]


def test_jump_silent_on_steady_growth_and_small_counts(tmp_path):
    recs = parsed(make_series(tmp_path, [2021, 2022, 2023], granted={2021: 10, 2022: 14, 2023: 30}))
    assert run_checks(recs, checks=[Jump()]) == []
    recs = parsed(make_series(tmp_path / "small", [2021, 2022], granted={2021: 1, 2022: 9}))
    assert run_checks(recs, checks=[Jump()]) == []  # ×9, but below the minimum volume
    found = run_checks(recs, checks=[Jump()], options={"jump_min_volume": 5})
    assert [f.values["key"] for f in found] == ["requests_granted"]


def test_jump_on_a_rate(tmp_path):
    recs = parsed(make_series(tmp_path, [2021, 2022], granted={2021: 0, 2022: 40}))
    # disclosure rate 2/6 → 42/46: +58 points, but 2021 decided only 6 requests
    assert not [f for f in run_checks(recs, checks=[Jump()]) if "rate" in f.values]
    found = [f for f in run_checks(recs, checks=[Jump()], options={"rate_min_denominator": 5})
             if f.values.get("rate") == "disclosure_rate"]
    assert len(found) == 1
    assert found[0].values["before"] == pytest.approx(2 / 6)
    assert found[0].values["after"] == pytest.approx(42 / 46)
    assert found[0].values["points"] == pytest.approx(100 * (42 / 46 - 2 / 6), abs=0.01)


# ---------------------------------------------------------------------------------------
# XY-DUP, XY-GAP, XY-YEAR


def test_dup(tmp_path):
    one = parsed(make_series(tmp_path / "a", [2021, 2022]))
    assert run_checks(one, checks=[Duplicate()]) == []
    other = parsed(make_series(tmp_path / "b", [2022], granted={2022: 11}))
    found = run_checks(one + other, checks=[Duplicate()])
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].values == {"documents": 2, "same_content": False}
    assert {r["path"] for r in found[0].reports} == {one[1]["source"]["path"],
                                                      other[0]["source"]["path"]}
    shutil.copy(one[1]["source"]["path"], tmp_path / "copy.txt")
    copy = govreport.parse(tmp_path / "copy.txt").to_dict()
    found = run_checks(one + [copy], checks=[Duplicate()])
    assert len(found) == 1 and found[0].severity == "info"
    assert found[0].values["same_content"] is True


def test_gap(tmp_path):
    recs = parsed(make_series(tmp_path, [2019, 2020, 2023]))
    found = run_checks(recs, checks=[Gap()])
    assert len(found) == 1
    assert found[0].values == {"missing_years": [2021, 2022]}
    assert names(found[0]) == [f"{OFFICE}-2020.txt", f"{OFFICE}-2023.txt"]
    assert run_checks(recs[:2], checks=[Gap()]) == []


def test_year_against_title_and_dates(tmp_path):
    recs = parsed(make_series(tmp_path, [2022, 2023]))
    assert run_checks(recs, checks=[YearMismatch()]) == []
    wrong = json.loads(json.dumps(recs[1]))
    wrong["meta"]["year"] = 2021
    found = run_checks([recs[0], wrong], checks=[YearMismatch()])
    assert len(found) == 1 and found[0].values == {"year": 2021, "title_year": 2023}
    dated = json.loads(json.dumps(recs[1]))
    dated["meta"]["report_date"] = "2024-01-20"       # the year after: normal
    assert run_checks([dated], checks=[YearMismatch()]) == []
    dated["meta"]["report_date"] = "2021-12-30"       # before the year it reports on
    found = run_checks([dated], checks=[YearMismatch()])
    assert [f.values for f in found] == [{"year": 2023, "report_date": "2021-12-30"}]


def test_title_year_in_chinese_digits():
    from govreport.crossyear_rules import _title_year

    assert _title_year("某某区二〇二三年政府信息公开工作年度报告") == 2023
    assert _title_year("某某区2019年度政府信息公开工作年度报告") == 2019
    assert _title_year("政府信息公开工作年度报告") is None


# ---------------------------------------------------------------------------------------
# Sources, outputs, plugins


def test_runs_on_a_batch_folder_without_parsing(tmp_path, monkeypatch):
    recs = parsed(make_series(tmp_path / "in", [2021, 2022], carried_over={2022: 4}))
    out = tmp_path / "out"
    out.mkdir()
    with open(out / "reports.jsonl", "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    import govreport.pipeline

    def no_parse(*a, **k):
        raise AssertionError("the checks must not parse")

    monkeypatch.setattr(govreport.pipeline, "parse", no_parse)
    monkeypatch.setattr(govreport, "parse", no_parse)
    found = run_checks(out)
    assert [f.rule for f in found] == ["XY-CARRY"]
    paths = write_outputs(out, found)
    lines = (out / CHECKS_JSONL).read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["rule"] for x in lines] == ["XY-CARRY"]
    assert json.loads(lines[0])["reports"][1]["year"] == 2022
    assert json.loads((out / CROSS_CHECKS_JSON).read_text()) == summary(found)
    assert summary(found)["by_rule"] == {"XY-CARRY": 1} and len(paths) == 2


def test_bad_source_is_a_typed_error(tmp_path):
    with pytest.raises(RecordsError, match="no reports.jsonl"):
        run_checks(tmp_path)
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2]")
    with pytest.raises(RecordsError, match="x.json"):
        run_checks(bad)


def test_unknown_option_is_refused():
    with pytest.raises(ValueError, match="jump_factr"):
        CrossOptions.coerce({"jump_factr": 3})


def test_builtins_register_through_the_hook():
    registry = load_registry(builtins=True)
    assert [c.name for c in registry.batch_checks] == [c.name for c in BUILTIN_CHECKS]


def test_a_plugin_adds_a_batch_check_and_a_broken_one_is_isolated(tmp_path):
    recs = parsed(make_series(tmp_path, [2021, 2022]))
    plugin = types.ModuleType("my_batch_plugin")

    class ManyRequests:
        name = "many-requests"

        def check(self, batch):
            for office, series in batch.offices.items():
                total = sum(r["facts"].get("requests.new_received.total", 0) for r in series)
                yield batch.finding("MY-TOTAL", series, f"{office}: {total} requests",
                                    values={"total": total}, office=office)

    class Broken:
        name = "broken"

        def check(self, batch):
            raise RuntimeError("boom")

    @govreport.hookimpl
    def govreport_register_batch_checks(register):
        register(ManyRequests())
        register(Broken())

    plugin.govreport_register_batch_checks = govreport_register_batch_checks
    registry = load_registry([plugin], builtins=True)
    found = run_checks(recs, registry=registry)
    mine = only(found, "MY-TOTAL")
    assert len(mine) == 1 and mine[0].check == "many-requests"
    want = sum(r["facts"]["requests.new_received.total"] for r in recs)
    assert mine[0].values == {"total": want} and len(mine[0].reports) == 2
    errors = only(found, "PLUGIN-ERROR")
    assert len(errors) == 1 and "boom" in errors[0].message
    assert sys.modules.get("my_batch_plugin") is None


def test_batch_run_writes_the_cross_checks(tmp_path):
    from govreport.cli import main

    make_series(tmp_path / "in", [2021, 2022], carried_over={2022: 4})
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "--workers", "1", "-q",
                 "--format", "jsonl,sqlite"]) == 0
    lines = [json.loads(x) for x in (out / CHECKS_JSONL).read_text(encoding="utf-8").splitlines()]
    assert [x["rule"] for x in lines] == ["XY-CARRY"]
    assert [Path(r["path"]).name for r in lines[0]["reports"]] == [f"{OFFICE}-2021.txt",
                                                                   f"{OFFICE}-2022.txt"]
    assert json.loads((out / CROSS_CHECKS_JSON).read_text())["by_rule"] == {"XY-CARRY": 1}
    import sqlite3

    con = sqlite3.connect(out / "govreport.db")
    assert con.execute("SELECT r.year, c.rule FROM checks c JOIN reports r ON r.id = c.report_id "
                       "WHERE c.rule LIKE 'XY-%' ORDER BY r.year").fetchall() == [
        (2021, "XY-CARRY"), (2022, "XY-CARRY")]
    assert con.execute("SELECT rule FROM cross_checks").fetchall() == [("XY-CARRY",)]


def test_year_ignores_weak_dates(tmp_path):
    rec = parsed(make_series(tmp_path, [2023]))[0]
    rec["meta"].update(published_date="2021-05-01",
                       published_date_source="pdf CreationDate (weak)")
    assert run_checks([rec], checks=[YearMismatch()]) == []
    rec["meta"]["published_date_source"] = "page header 发布时间"
    assert [f.values for f in run_checks([rec], checks=[YearMismatch()])] == [
        {"year": 2023, "published_date": "2021-05-01"}]


def test_findings_join_the_reports_of_a_sqlite_file(tmp_path):
    import sqlite3

    from govreport.crossyear import add_to_sqlite

    recs = parsed(make_series(tmp_path / "in", [2021, 2022], carried_over={2022: 4}))
    db = tmp_path / "govreport.db"
    con = sqlite3.connect(db)
    con.executescript("CREATE TABLE reports (id INTEGER PRIMARY KEY, source_path TEXT);"
                      "CREATE TABLE checks (report_id INTEGER NOT NULL, rule TEXT, severity TEXT,"
                      " keys TEXT, message TEXT);")
    con.executemany("INSERT INTO reports (source_path) VALUES (?)",
                    [(r["source"]["path"],) for r in recs])
    con.commit()
    found = run_checks(recs)
    assert add_to_sqlite(db, found) == 2
    rows = con.execute("SELECT r.source_path, c.rule FROM checks c JOIN reports r "
                       "ON r.id = c.report_id ORDER BY r.id").fetchall()
    assert rows == [(recs[0]["source"]["path"], "XY-CARRY"), (recs[1]["source"]["path"], "XY-CARRY")]
    (rule, reports, values), = con.execute(
        "SELECT rule, reports, report_values FROM cross_checks").fetchall()
    assert rule == "XY-CARRY" and [r["year"] for r in json.loads(reports)] == [2021, 2022]
    assert json.loads(values)["total"] == {"carried_forward": 1, "carried_over": 4}
