"""govreport.compare / ``govreport compare``: deltas checked against the truth files,
problems matched by meaning, offline HTML, an office's series."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import govreport
from _corpus import CORPUS, needs_corpus
from govreport.cli import main
from govreport.comparison import delta, match_problems, office_series
from govreport.comparison_render import render_html, render_series_html, render_text
from govreport.testing import make_series

TRUTH = CORPUS.parent / "truth"
OFFICE = "某某区人民政府"


def _numeric(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _truth(name: str) -> dict:
    return json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))["facts"]


PAIRS = [("hongze-2023", "hongze-2023.pdf", "huaian-2024", "huaian-2024.pdf"),
         ("pingtan-syq-2021", "pingtan-syq-2021.txt", "pingtan-syq-2022", "pingtan-syq-2022.txt"),
         ("pingtan-syq-2024", "pingtan-syq-2024.txt", "pingtan-syq-2025", "pingtan-syq-2025.txt")]


@needs_corpus
@pytest.mark.parametrize("ta,fa,tb,fb", PAIRS, ids=[p[0] + "-vs-" + p[2] for p in PAIRS])
def test_deltas_of_every_indicator_both_truths_state(ta, fa, tb, fb, capsys):
    truth_a, truth_b = _truth(ta), _truth(tb)
    both = [k for k in truth_a if k in truth_b and _numeric(truth_a[k]) and _numeric(truth_b[k])]
    assert len(both) > 150
    result = govreport.compare(govreport.parse(CORPUS / fa), govreport.parse(CORPUS / fb))
    rows = {r["key"]: r for r in result["indicators"]}
    for key in both:
        row = rows[key]
        want = truth_b[key] - truth_a[key]
        assert (row["a"], row["b"]) == (truth_a[key], truth_b[key]), key
        assert row["change"] == pytest.approx(want, abs=1e-6), key
        if truth_a[key]:
            assert row["pct_change"] == pytest.approx(100 * want / truth_a[key], abs=0.01), key
        else:
            assert row["pct_change"] is None, key

    assert main(["compare", str(CORPUS / fa), str(CORPUS / fb)]) == 0
    out = capsys.readouterr().out
    lines = {ln.split()[0]: ln.split() for ln in out.splitlines() if ln.split()}
    for key in both:  # the printed table says the same
        cells = lines[key]
        assert float(cells[1]) == truth_a[key] and float(cells[2]) == truth_b[key], key
        change = truth_b[key] - truth_a[key]
        assert float(cells[3]) == pytest.approx(change, abs=1e-6), key


@needs_corpus
def test_html_page_is_offline(tmp_path):
    page = tmp_path / "c.html"
    assert main(["compare", str(CORPUS / "hongze-2023.pdf"), str(CORPUS / "huaian-2024.pdf"),
                 "--html", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "requests.new_received.total" in text
    assert re.findall(r"(?i)<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|https?:|//", text) == []
    assert "实质公开率" in text


def test_delta():
    assert delta(21, 3119) == (3098, pytest.approx(14752.38))
    assert delta(0, 5) == (5, None)              # no base for a percentage
    assert delta(None, 5) == (None, None)        # blank cell: no change computed
    assert delta(7730.28, 96171.6) == (88441.32, pytest.approx(1144.09))


def test_problems_matched_by_meaning_not_text():
    before = ["政策解读形式不够丰富，未能充分运用图表图解等方式", "基层公开队伍力量较为薄弱"]
    after = ["依申请公开答复质量有待进一步提升", "政策解读形式单一，缺少多种形式的解读"]
    m = match_problems(before, after)
    assert [(r["before"], r["after"]) for r in m["repeated"]] == [(before[0], after[1])]
    assert m["new"] == [after[0]] and m["dropped"] == [before[1]]
    # sharing one common word is not the same problem
    assert match_problems(["意见征集形式较为单一"], ["政策解读形式仍需创新"])["repeated"] == []


def test_compare_generated_years(tmp_path):
    problems = {2022: "存在的主要问题：一是政策解读形式不够丰富，未能充分运用图表图解；"
                      "二是基层公开队伍力量较为薄弱。",
                2023: "存在的主要问题：一是政策解读形式单一，缺少多种形式的解读；"
                      "二是依申请公开答复质量有待进一步提升。"}
    a, b = make_series(tmp_path, [2022, 2023], granted={2023: 30}, problems=problems)
    result = govreport.compare(govreport.parse(a.path), govreport.parse(b.path).to_dict())
    rows = {r["key"]: r for r in result["indicators"]}
    assert rows["requests.granted.total"]["change"] == 20
    assert rows["requests.granted.total"]["pct_change"] == 200.0
    for key in set(a.expected_facts) & set(b.expected_facts):
        va, vb = a.expected_facts[key], b.expected_facts[key]
        if _numeric(va) and _numeric(vb):
            assert rows[key]["change"] == pytest.approx(vb - va), key
    rates = {r["name"]: r for r in result["rates"]}
    assert rates["grant_rate"]["a"] == pytest.approx(10 / 16)
    assert rates["grant_rate"]["b"] == pytest.approx(30 / 36)
    assert rates["review_correction_rate"]["status_a"] == "ok"
    p = result["problems"]
    assert len(p["repeated"]) == 1 and "政策解读" in p["repeated"][0]["after"]
    assert len(p["new"]) == 1 and "依申请公开" in p["new"][0]
    assert len(p["dropped"]) == 1 and "队伍" in p["dropped"][0]
    assert "requests.granted.total" in render_text(result)
    assert "<script" not in render_html(result)


def test_checks_that_differ(tmp_path):
    a, b = make_series(tmp_path, [2022, 2023])
    ra, rb = govreport.parse(a.path).to_dict(), govreport.parse(b.path).to_dict()
    rb["checks"] = [{"rule": "T3-SUM", "severity": "warning", "keys": ["requests.granted.total"],
                     "message": "x"}]
    checks = govreport.compare(ra, rb)["checks"]
    assert [c["rule"] for c in checks["only_b"]] == ["T3-SUM"]
    assert checks["only_a"] == [] and checks["both"] == []


def _batch_folder(tmp_path, records) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    with open(out / "reports.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return out


def test_office_series_and_cli(tmp_path, capsys):
    reports = make_series(tmp_path / "in", [2021, 2022, 2023], carried_over={2023: 4},
                          granted={2022: 12, 2023: 15})
    records = [govreport.parse(r.path).to_dict() for r in reports]
    records[1]["facts"]["requests.granted.commercial"] = None  # printed blank
    del records[2]["facts"]["proactive.items"]                 # not stated
    series = office_series(records, "某某区")
    assert series["office"] == OFFICE and [r["year"] for r in series["reports"]] == [2021, 2022, 2023]
    rows = {r["key"]: r for r in series["indicators"]}
    assert rows["requests.granted.total"]["values"] == [10, 12, 15]
    assert rows["requests.granted.commercial"]["values"] == [0, None, 0]
    assert rows["proactive.items"]["stated"] == [True, True, False]
    assert [c["rule"] for c in series["cross_checks"]] == ["XY-CARRY"]
    assert "<script" not in render_series_html(series)

    out = _batch_folder(tmp_path, records)
    assert main(["compare", str(out), "--issuer", "某某区"]) == 0
    text = capsys.readouterr().out
    granted = next(ln for ln in text.splitlines() if ln.startswith("requests.granted.total "))
    assert granted.split()[1:] == ["10", "12", "15"]
    assert "XY-CARRY" in text
    assert main(["compare", f"{out}#2021", f"{out}#2023", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [data["a"]["year"], data["b"]["year"]] == [2021, 2023]
    assert main(["compare", f"{out}#某某区", f"{out}#2023"]) == 2
    assert "3 reports match" in capsys.readouterr().err
    assert main(["compare", str(out), "--issuer", "没有这个"]) == 2
    assert "no office matches" in capsys.readouterr().err


def test_crosscheck_cli_writes_the_folder(tmp_path, capsys):
    reports = make_series(tmp_path / "in", [2021, 2022], carried_over={2022: 4})
    out = _batch_folder(tmp_path, [govreport.parse(r.path).to_dict() for r in reports])
    assert main(["crosscheck", str(out), "--jump-factor", "3"]) == 0
    captured = capsys.readouterr()
    assert "XY-CARRY" in captured.out and "1 findings (XY-CARRY 1)" in captured.err
    lines = (out / "checks.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["rule"] for x in lines] == ["XY-CARRY"]
    assert json.loads((out / "cross_checks.json").read_text())["by_rule"] == {"XY-CARRY": 1}
    assert main(["crosscheck", str(tmp_path / "nothing")]) == 2
