"""Batch building blocks: sniffing, discovery, option fingerprints, output files."""
from __future__ import annotations

import csv
import io
import json
import os
import zipfile

import pytest

from govreport.batch import discover, options_fingerprint, sniff
from govreport.options import Options
from govreport.outputs import atomic_writer, export_tables, iter_lines, read_batch_meta, repair_tail

CN = "某某区人民政府2023年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息12条。\n"


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("name, head, kind", [
    ("a.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
    ("noext", b"%PDF-1.4\n", "pdf"),
    ("page", b"<!DOCTYPE html><html><head><meta charset=utf-8>", "html"),
    ("page.bin", b"\xef\xbb\xbf  <html><body><p>x</p>", "html"),
    ("r.dat", CN.encode("utf-8"), "text"),
    ("r.dat", CN.encode("gb18030"), "text"),
    ("r.dat", CN.encode("utf-16"), "text"),
    ("r", "臺北市政府資訊公開年報，政府資訊公開工作".encode("big5"), "text"),
    ("r.md", b"# report\n| a | b |\n|---|---|\n", "text"),
    ("a.pdf", b"", "unknown"),                       # named like a report: the parser says why
    ("a.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "unknown"),
    ("a.pdf", bytes(range(256)) * 4, "unknown"),
])
def test_sniff_inputs(name, head, kind, tmp_path):
    assert sniff(head, str(tmp_path / name))[0] == kind


@pytest.mark.parametrize("name, head, what", [
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "PNG image"),
    ("photo", b"\xff\xd8\xff\xe0\0\x10JFIF", "JPEG image"),
    ("x.gz", b"\x1f\x8b\x08\0", "gzip archive"),
    ("blob", bytes(range(256)) * 4, "binary data"),
    ("empty", b"", "empty file"),
    ("manifest.jsonl", b'{"id": "\xe6\x94\xbf"}\n', "data file (.jsonl)"),
    ("notes", b'{"a": "\xe6\x94\xbf\xe5\xba\x9c\xe4\xbf\xa1\xe6\x81\xaf\xe5\x85\xac\xe5\xbc\x80\xe5\xb7\xa5\xe4\xbd\x9c"}\n', "JSON data"),
    ("README", b"Just some English notes, nothing else.\n", "text without Chinese"),
])
def test_sniff_skips_non_reports(name, head, what, tmp_path):
    assert sniff(head, str(tmp_path / name)) == (None, what)


def test_sniff_docx_and_plain_zip(tmp_path):
    d = tmp_path / "report.bin"
    d.write_bytes(_docx_bytes())
    assert sniff(d.read_bytes()[:4096], str(d))[0] == "docx"
    z = tmp_path / "bundle.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("a.txt", "x")
    assert sniff(z.read_bytes(), str(z)) == (None, "ZIP archive")


def test_discover_recursive_sorted_hidden_and_outdir(tmp_path):
    for rel in ["b/2.txt", "b/1.txt", "a.txt", ".git/config", "b/.DS_Store", "out/reports.jsonl"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    found = list(discover([tmp_path], exclude=[tmp_path / "out"]))
    assert found == [str(tmp_path / "a.txt"), str(tmp_path / "b/1.txt"), str(tmp_path / "b/2.txt")]
    # a missing path is passed through for the caller to report
    assert list(discover([tmp_path / "nope.pdf"])) == [str(tmp_path / "nope.pdf")]


def test_options_fingerprint():
    base = options_fingerprint(Options())
    assert options_fingerprint(Options(timeout=5)) == base          # timeout is not a result
    assert options_fingerprint({"max_pages": 3}) != base
    assert options_fingerprint(Options(password="a")) == options_fingerprint(Options(password="b"))
    assert options_fingerprint(Options(), plugins_dir="/x") != base
    assert options_fingerprint(Options(), parse_func="m:f") != base


def test_repair_tail(tmp_path):
    p = tmp_path / "r.jsonl"
    p.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert repair_tail(p) == len(b'{"c": ')
    assert p.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert repair_tail(p) == 0
    p.write_bytes(b'{"torn')
    assert repair_tail(p) == 6 and p.read_bytes() == b""
    assert repair_tail(tmp_path / "missing.jsonl") == 0


def test_iter_lines_ignores_torn_tail_and_blank_lines(tmp_path):
    p = tmp_path / "r.jsonl"
    p.write_bytes(b'{"a": 1}\n\n{"b": 2}\n{"c"')
    assert [line for _, line in iter_lines(p)] == [b'{"a": 1}', b'{"b": 2}']
    offsets = [o for o, _ in iter_lines(p)]
    assert offsets == [0, 10]


def test_read_batch_meta():
    line = '{"batch": {"input": "/x/政府.txt", "options": "f"}, "source": {"path": "/x"}}'
    assert read_batch_meta(line) == {"input": "/x/政府.txt", "options": "f"}
    assert read_batch_meta('{"source": {}, "batch": {"input": "y"}}') == {"input": "y"}
    assert read_batch_meta('{"batch": {"inp') is None


def test_atomic_writer_leaves_nothing_on_error(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as fh:
            fh.write("new")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["t.csv"]


def _line(path, facts, meta=None, plugins=None, options="f1"):
    report = {"batch": {"input": path, "sha256": "s" + path, "options": options},
              "source": {"path": path, "sha256": "s" + path, "kind": "text"},
              "meta": meta or {"title": "报告", "issuer": "某区", "year": 2023, "era": "post2019"},
              "sections": [], "facts": facts,
              "provenance": {k: {"section": "requests", "page": 3, "text": f"{v}件"}
                             for k, v in facts.items()},
              "narrative": {}, "checks": [{"rule": "T3-BAL", "severity": "warning", "keys": [],
                                           "message": "m"}],
              "plugins": plugins or {}}
    return json.dumps(report, ensure_ascii=False) + "\n"


def test_export_csv(tmp_path):
    (tmp_path / "reports.jsonl").write_text(
        _line("/a.txt", {"requests.new_received.total": 21, "review.total": None})
        + _line("/b.txt", {"proactive.admin_fees.amount_wan": 1.5},
                plugins={"metrics": {"grant_rate": 0.25, "by": {"x": 2}}, "tags": ["a"]})
        + _line("/a.txt", {"requests.new_received.total": 22}, options="f2"),  # rerun: last wins
        encoding="utf-8")
    written = export_tables(tmp_path, ["csv"])
    assert [p.name for p in written] == ["reports.csv", "facts.csv"]
    raw = (tmp_path / "reports.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    header = list(rows[0])
    assert header[:3] == ["source.path", "source.sha256", "source.kind"]
    from govreport.research.panel import META_COLUMNS

    assert header[3:3 + len(META_COLUMNS)] == [f"meta.{c}" for c in META_COLUMNS]
    assert header[3 + len(META_COLUMNS)] == "checks"
    assert header.index("requests.new_received.total") < header.index("plugins.metrics.grant_rate")
    assert "plugins.metrics.by.x" in header and "plugins.tags" in header
    assert [r["source.path"] for r in rows] == ["/b.txt", "/a.txt"]
    assert rows[1]["requests.new_received.total"] == "22"
    assert rows[0]["proactive.admin_fees.amount_wan"] == "1.5"
    assert rows[0]["plugins.metrics.grant_rate"] == "0.25"
    assert rows[0]["plugins.tags"] == '["a"]'
    assert rows[1]["checks"] == "T3-BAL"
    facts = list(csv.DictReader(io.StringIO((tmp_path / "facts.csv").read_text("utf-8-sig"))))
    assert list(facts[0]) == ["source", "key", "value", "kind", "section", "page", "wording"]
    assert {(f["source"], f["key"], f["value"], f["page"], f["wording"]) for f in facts} == {
        ("/b.txt", "proactive.admin_fees.amount_wan", "1.5", "3", "1.5件"),
        ("/a.txt", "requests.new_received.total", "22", "3", "22件")}


def test_export_parquet(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    (tmp_path / "reports.jsonl").write_text(
        _line("/a.txt", {"requests.new_received.total": 21, "review.total": None})
        + _line("/b.txt", {"requests.new_received.total": 3, "proactive.admin_fees.amount_wan": 2},
                plugins={"metrics": {"grant_rate": 0.25}})
        + _line("/c.txt", {"proactive.admin_fees.amount_wan": 1.5}), encoding="utf-8")
    export_tables(tmp_path, ["parquet"])
    assert not (tmp_path / "reports.csv").exists()
    table = pq.read_table(tmp_path / "reports.parquet")
    assert table.num_rows == 3
    assert str(table.schema.field("requests.new_received.total").type) == "int64"
    assert str(table.schema.field("proactive.admin_fees.amount_wan").type) == "double"
    assert str(table.schema.field("meta.year").type) == "int64"
    assert table.column("requests.new_received.total").to_pylist() == [21, 3, None]
    facts = pq.read_table(tmp_path / "facts.parquet").to_pylist()
    assert len(facts) == 5
    nulls = [f for f in facts if f["key"] == "review.total"]
    assert nulls[0]["value"] is None and nulls[0]["value_raw"] == "null"
    assert not [n for n in os.listdir(tmp_path) if ".tmp" in n]


def test_export_empty(tmp_path):
    export_tables(tmp_path, ["csv"])
    assert (tmp_path / "reports.csv").read_text("utf-8-sig").startswith("source.path,")


def test_progress_lines():
    from govreport.batch import BatchSummary
    from govreport.batch.cli import Progress, format_summary

    s = BatchSummary(total=10)
    out = io.StringIO()
    tty = Progress(out, tty=True, every=0)
    tty.start(10)
    s.parsed, s.failed = 3, 1
    tty.update(s)
    s.parsed, s.skipped = 8, 1
    tty.finish(s)
    text = out.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n")
    assert "10/10 100%" in text and "/s" in text and "ETA" in text and "[####" in text

    out = io.StringIO()
    plain = Progress(out, tty=False, every=3600)
    plain.start(10)
    s2 = BatchSummary(total=10, parsed=5)
    plain.update(s2)
    plain.update(s2)           # nothing new to say yet
    plain.finish(s2)
    lines = out.getvalue().splitlines()
    assert lines[0] == "batch: 10 inputs" and len(lines) == 3 and "\r" not in out.getvalue()

    s.error_types.update({"EncryptedError": 1})
    s.failed_examples["EncryptedError"] = "/a.pdf: encrypted"
    s.skipped_kinds.update({"PNG image": 1})
    s.skipped_paths.append("/p.png")
    summary = format_summary(s, "out")
    assert "8 parsed, 1 failed, 1 skipped" in summary
    assert "EncryptedError" in summary and "/p.png" in summary
