"""Research outputs: the SQLite panel (+ Datasette), fixed CSV columns, consistent reruns."""
from __future__ import annotations

import concurrent.futures as cf
import csv
import io
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import govreport
from _corpus import CORPUS, needs_corpus
from govreport.outputs import REPORTS_JSONL, export_tables
from govreport.research.panel import META_COLUMNS, fact_columns, series_columns
from govreport.testing import make_report
from test_batch_helpers import FAKE, jsonl, write


def _jsonl(out: Path, reports) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / REPORTS_JSONL, "w", encoding="utf-8") as fh:
        for r in reports:
            d = r.to_dict()
            fh.write(json.dumps({"batch": {"input": d["source"]["path"]}, **d}, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    out = tmp_path_factory.mktemp("panel")
    files = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".pdf", ".html", ".md"))
    reports = [govreport.parse(p) for p in files]
    _jsonl(out, reports)
    export_tables(out, ["csv", "sqlite"])
    return out, reports


@needs_corpus
def test_sqlite_of_the_corpus_is_sound_and_typed(corpus_db):
    out, reports = corpus_db
    db = sqlite3.connect(out / "govreport.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == len(reports)
    # counts are INTEGER (never 21.0), money may be REAL, blanks NULL
    types = dict(db.execute("SELECT c.unit || ':' || typeof(f.value), count(*) FROM facts f "
                            "JOIN catalog c ON c.key = f.key GROUP BY 1").fetchall())
    assert types.get("count:integer", 0) > 1000 and "count:real" not in types
    assert db.execute("SELECT typeof(year) FROM reports WHERE year IS NOT NULL GROUP BY 1").fetchall() == [("integer",)]
    hongze = db.execute("SELECT f.value, f.kind, r.region_code, r.year FROM facts f JOIN reports r "
                        "ON r.id = f.report_id WHERE r.source_path LIKE '%hongze-2023.pdf' "
                        "AND f.key = 'requests.new_received.total'").fetchone()
    assert hongze == (21, "printed", "320813", 2023)
    assert {r[0] for r in db.execute("SELECT kind FROM facts")} <= {"printed", "stated_zero", "blank", "not_applicable"}
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"facts_key", "series_indicator", "reports_region_year"} <= indexes
    # the harmonised series spans both eras
    eras = {r[0] for r in db.execute("SELECT r.era FROM series s JOIN reports r ON r.id = s.report_id "
                                     "WHERE s.indicator = 'requests_received'")}
    assert eras == {"pre2019", "post2019"}
    assert db.execute("SELECT count(*) FROM problems WHERE themes != ''").fetchone()[0] > 0
    meta = json.loads((out / "metadata.json").read_text("utf-8"))
    assert meta["databases"]["govreport"]["tables"]["reports"]["columns"]["region_code"].startswith("行政区划代码")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@needs_corpus
def test_datasette_serves_a_fact(corpus_db):
    pytest.importorskip("datasette")
    out, _ = corpus_db
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(out / "govreport.db"),
                             "-m", str(out / "metadata.json"), "-h", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("datasette did not start: " + proc.stderr.read1().decode()[-500:])
                time.sleep(0.3)
        sql = ("SELECT f.value, f.kind FROM facts f JOIN reports r ON r.id = f.report_id "
               "WHERE r.source_path LIKE '%hongze-2023.pdf' AND f.key = 'requests.new_received.total'")
        url = base + "/govreport.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"})
        rows = json.loads(urllib.request.urlopen(url, timeout=30).read())
        assert rows == [{"value": 21, "kind": "printed"}]
        page = urllib.request.urlopen(base + "/govreport/reports", timeout=30).read().decode()
        assert "行政区划代码" in page  # the Chinese column labels of metadata.json
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_one_era_batch_has_every_catalog_column(tmp_path):
    gens = [make_report(tmp_path / "in", name=f"r{i}", kind="text", era="pre2019", year=2015 + i,
                        sections={"requests": f"{2015 + i}年，本机关未收到政府信息公开申请。"},
                        prose_facts={"legacy.requests.received": 0}) for i in range(2)]
    out = tmp_path / "out"
    _jsonl(out, [govreport.parse(g.path) for g in gens])
    export_tables(out, ["csv"])
    header = next(csv.reader(io.StringIO((out / "reports.csv").read_text("utf-8-sig"))))
    assert set(fact_columns()) <= set(header)
    assert set(series_columns()) <= set(header) and "duplicate_of" in header
    assert {f"meta.{c}" for c in META_COLUMNS} <= set(header)
    rows = list(csv.DictReader(io.StringIO((out / "reports.csv").read_text("utf-8-sig"))))
    assert [r["series.requests_received"] for r in rows] == ["0", "0"]
    assert rows[0]["requests.new_received.total"] == ""  # a post-2019 key, empty, still a column
    facts = list(csv.DictReader(io.StringIO((out / "facts.csv").read_text("utf-8-sig"))))
    assert {f["kind"] for f in facts if f["key"] == "legacy.requests.received"} == {"stated_zero"}


def test_duplicates_are_kept_and_flagged(tmp_path):
    a = make_report(tmp_path / "in", name="a", kind="text")
    b = tmp_path / "in" / "b.txt"
    b.write_bytes(a.path.read_bytes())
    c = make_report(tmp_path / "in", {"requests.granted.total": 41}, name="c", kind="text")
    out = tmp_path / "out"
    _jsonl(out, [govreport.parse(p) for p in (a.path, b, c.path)])
    export_tables(out, ["csv"])
    rows = {Path(r["source.path"]).name: r
            for r in csv.DictReader(io.StringIO((out / "reports.csv").read_text("utf-8-sig")))}
    assert rows["a.txt"]["duplicate_of"] == ""
    assert (Path(rows["b.txt"]["duplicate_of"]).name, rows["b.txt"]["duplicate_reason"]) == ("a.txt", "same content")
    assert rows["c.txt"]["duplicate_reason"] == "same issuer and year, other content"


def test_stale_tables_of_another_format_are_removed_with_a_note(tmp_path):
    out = tmp_path / "out"
    _jsonl(out, [govreport.parse(make_report(tmp_path / "in", kind="text").path)])
    export_tables(out, ["parquet", "sqlite"] if _has_pyarrow() else ["sqlite"])
    notes: list[str] = []
    export_tables(out, ["csv"], notes)
    assert not (out / "govreport.db").exists() and not (out / "reports.parquet").exists()
    assert any("govreport.db" in n and "--format sqlite" in n for n in notes)


def _has_pyarrow() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def test_errors_jsonl_drops_failures_that_parsed_later(tmp_path):
    from govreport.batch.run import run_batch

    flag = tmp_path / "flag"
    flag.write_text("x")
    src = tmp_path / "src"
    write(src / "flaky.txt", f"某区2023年报告\nFAILIF {flag}\nrequests.new_received.total=3\n")
    write(src / "ok.txt", "某区2023年报告\nrequests.new_received.total=4\n")
    out = tmp_path / "out"
    with cf.ThreadPoolExecutor(1) as ex:
        first = run_batch([src], out, parse_func=FAKE, executor=ex, formats=["jsonl"])
    assert first.failed == 1 and [Path(e["path"]).name for e in jsonl(out / "errors.jsonl")] == ["flaky.txt"]
    flag.unlink()
    with cf.ThreadPoolExecutor(1) as ex:  # other options: the input is parsed again, and parses
        second = run_batch([src], out, parse_func=FAKE, executor=ex, formats=["jsonl"],
                           options={"max_pages": 500})
    assert second.failed == 0
    assert jsonl(out / "errors.jsonl") == []
    assert any("errors.jsonl" in n for n in second.notes)


def test_a_run_whose_workers_cannot_start_says_so_once(tmp_path, capsys):
    import os

    from govreport.batch import WorkerPool, WorkersUnavailableError
    from govreport.batch.run import run_batch

    src = tmp_path / "src"
    for i in range(6):
        write(src / f"r{i}.txt", f"某区2023年报告\nrequests.new_received.total={i}\n")
    out = tmp_path / "out"
    pool = WorkerPool(2, initializer=os._exit, initargs=(3,))  # every worker dies on start
    with pytest.raises(WorkersUnavailableError, match="die on start"):
        run_batch([src], out, parse_func=FAKE, executor=pool, formats=["jsonl"])
    pool.terminate()
    assert jsonl(out / "errors.jsonl") == []  # no document blamed


def test_sqlite_keeps_a_huge_count_as_text(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    line = {"batch": {"input": "/a.txt"}, "source": {"path": "/a.txt", "sha256": "x", "kind": "text"},
            "meta": {"year": 2023, "era": "post2019"}, "facts": {"proactive.admin_licensing.decisions": 2**70},
            "provenance": {}, "checks": [], "narrative": {}, "plugins": {}}
    (out / REPORTS_JSONL).write_text(json.dumps(line) + "\n", encoding="utf-8")
    export_tables(out, ["sqlite"])
    db = sqlite3.connect(out / "govreport.db")
    assert db.execute("SELECT value, typeof(value) FROM facts").fetchone() == (str(2**70), "text")
