"""The batch dashboard without a browser: counts from a batch output folder, optional
fields (regions, office types, series, cross-report checks) read when present."""
import csv
import io
import json
import re
from base64 import b64decode

import pytest

import govreport
from govreport.cli import main
from govreport.testing import make_report
from govreport.view.dashboard import dashboard_html
from govreport.view.dashboard_data import DashboardInputError, load_batch, quartiles
from test_view import assert_offline


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    gen = make_report(tmp_path_factory.mktemp("gen"), kind="text")
    return govreport.parse(gen.path).to_dict()


def _write(folder, records, errors=()):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "reports.jsonl", "w", encoding="utf-8") as fh:
        for i, rec in enumerate(records):
            fh.write(json.dumps({"batch": {"input": f"in/{i}.txt"}, **rec}, ensure_ascii=False) + "\n")
    with open(folder / "errors.jsonl", "w", encoding="utf-8") as fh:
        for e in errors:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    return folder


def _vary(rec, year, value, **meta):
    out = json.loads(json.dumps(rec))
    out["meta"].update(year=year, region=None, office_type=None)  # only what a test sets
    out["meta"].update(meta)
    out["facts"]["requests.new_received.total"] = value
    out["series"] = {"requests_received": value}  # the harmonised series, as records may carry it
    return out


def _csv_tables(page):
    """Every chart's CSV (decoded from its data: link), by the chart's caption."""
    out = {}
    for fig in re.findall(r'<figure class="fig" id="fig-\d+">.*?</figure>', page, re.S):
        title = re.search(r"<figcaption>(.*?)</figcaption>", fig).group(1)
        data = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', fig).group(1)
        text = b64decode(data).decode("utf-8").lstrip("\ufeff")
        out[title] = list(csv.reader(io.StringIO(text)))
    return out


def test_counts_quartiles_and_failures(tmp_path, record):
    recs = [_vary(record, 2020, v) for v in (1, 2, 3, 4, 5)] + [_vary(record, 2021, 10)]
    errors = [{"path": "in/x.pdf", "type": "EncryptedError", "skipped": False},
              {"path": "in/y.pdf", "type": "UnreadableError", "skipped": False},
              {"path": "in/z.pdf", "type": "UnreadableError", "skipped": False},
              {"path": "in/0.txt", "type": "ParseTimeoutError", "skipped": False},  # parsed later
              {"path": "in/a.png", "type": "UnsupportedTypeError", "skipped": True,
               "skip_kind": "image"}]
    page = dashboard_html(_write(tmp_path / "out", recs, errors))
    assert_offline(page)
    tables = _csv_tables(page)
    era = tables["Reports by year and era"]
    assert era[0] == ["year", "post2019"] and era[1:] == [["2020", "5"], ["2021", "1"]]
    assert sorted(tables["Inputs that failed, by reason"][1:]) == [["EncryptedError", "1"],
                                                                   ["UnreadableError", "2"]]
    trend = tables["requests_received: median and quartiles by year"]
    assert trend[1][:4] == ["2020", "5", "2.0", "3.0"] and trend[2][:2] == ["2021", "1"]
    assert "Reports by province" in page and "resolved region" in page  # absent, said so


def test_regions_office_types_series_and_cross_checks_when_present(tmp_path, record):
    region = {"province": "江苏省", "status": "resolved", "code": "320813"}
    recs = [_vary(record, 2023, 5, region=region, office_type="government"),
            _vary(record, 2024, 9, region=region, office_type="department"),
            _vary(record, 2024, 9, region={"province": "福建省", "status": "ambiguous"})]
    recs[0]["series"] = {"requests_received": 5}
    recs[1]["series"] = {"requests_received": 7}
    folder = _write(tmp_path / "out", recs)
    finding = {"scope": "batch", "rule": "XY-CARRY", "reports": [{"path": "in/0.txt", "year": 2023},
                                                                 {"path": "in/1.txt", "year": 2024}]}
    (folder / "checks.jsonl").write_text(json.dumps(finding) + "\n", encoding="utf-8")
    tables = _csv_tables(dashboard_html(folder))
    assert tables["Reports by province (resolved regions)"][1:] == [["江苏省", "2"]]
    office = tables["Reports by year and office type"]
    assert office[0] == ["year", "government", "department", "unknown"]
    assert tables["Cross-report findings by rule (checks.jsonl)"][1:] == [["XY-CARRY", "1"]]
    by_year = tables["Cross-report findings by rule and year (year of the later report)"]
    assert by_year == [["rule", "2024"], ["XY-CARRY", "1"]]
    assert "requests_received: median and quartiles by year" in tables
    assert tables["requests_received: by province"][1][:2] == ["江苏省", "2"]


def test_last_line_of_an_input_wins(tmp_path, record):
    folder = _write(tmp_path / "out", [_vary(record, 2020, 1)])
    with open(folder / "reports.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"batch": {"input": "in/0.txt"}, **_vary(record, 2022, 1)}) + "\n")
        fh.write("{torn\n")
    batch = load_batch(folder)
    assert [r.year for r in batch.rows] == [2022]


def test_not_a_batch_folder(tmp_path, capsys):
    with pytest.raises(DashboardInputError, match="not a govreport batch output"):
        load_batch(tmp_path)
    assert main(["dashboard", str(tmp_path / "nope"), "-o", str(tmp_path / "d.html")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_quartiles():
    assert quartiles([4.0]) == (4.0, 4.0, 4.0)
    assert quartiles([1.0, 2.0, 3.0, 4.0, 5.0]) == (2.0, 3.0, 4.0)
