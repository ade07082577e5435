"""`govreport batch`: every input exactly once, resume, retry, kill -9, real files."""
from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from _corpus import CORPUS
from govreport.batch import PARSE_FUNC_ENV
from govreport.cli import main
from test_batch_helpers import FAKE, bad_pdfs, jsonl, report_text, settled_paths, warm_forkserver, write


@pytest.fixture(autouse=True, scope="module")
def _warm():
    warm_forkserver()


def _files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def _assert_exactly_once(out: Path, inputs: list[str]) -> None:
    seen = Counter(settled_paths(out))
    dupes = {p: n for p, n in seen.items() if n > 1}
    assert not dupes, f"written twice: {dupes}"
    assert sorted(seen) == sorted(inputs)


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setenv(PARSE_FUNC_ENV, FAKE)


def _fake_inputs(root: Path) -> Path:
    src = root / "in"
    for i in range(6):
        write(src / ("sub" if i % 2 else "") / f"ok{i}.txt", report_text(i))
    write(src / "copy-of-ok0.txt", report_text(0))            # same bytes as ok0.txt
    write(src / "hang.txt", report_text(10, "HANG"))
    write(src / "crash.txt", report_text(11, "CRASH"))
    write(src / "fail.txt", report_text(12, "FAIL"))
    write(src / "bug.txt", report_text(13, "BUG"))
    write(src / "flaky.txt", report_text(14, f"FAILIF {root / 'flag'}"))
    (src / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    write(src / "manifest.jsonl", '{"id": "政府信息公开"}\n')
    write(src / ".hidden.txt", report_text(99))                # ignored, not an input
    return src


def test_batch_fake_every_outcome_resume_retry(tmp_path, fake, capsys):
    src = _fake_inputs(tmp_path)
    (tmp_path / "flag").write_text("x")
    out = tmp_path / "out"
    inputs = [p for p in _files(src)]
    args = ["batch", str(src), "-o", str(out), "--workers", "2", "--timeout", "1"]

    assert main(args) == 1
    _assert_exactly_once(out, inputs)
    errors = {Path(e["path"]).name: e for e in jsonl(out / "errors.jsonl")}
    assert errors["hang.txt"]["type"] == "ParseTimeoutError"
    assert errors["crash.txt"]["type"] == "WorkerCrashedError"
    assert errors["fail.txt"]["code"] == "encrypted"
    assert errors["bug.txt"]["type"] == "ZeroDivisionError"
    assert errors["flaky.txt"]["type"] == "EncryptedError"
    assert errors["photo.png"]["skipped"] and errors["photo.png"]["type"] == "UnsupportedTypeError"
    assert errors["manifest.jsonl"]["skipped"]
    assert all(set(e) >= {"path", "sha256", "type", "message"} for e in errors.values())
    reports = {Path(r["batch"]["input"]).name: r for r in jsonl(out / "reports.jsonl")}
    assert reports["copy-of-ok0.txt"]["facts"] == reports["ok0.txt"]["facts"]
    assert reports["copy-of-ok0.txt"]["source"]["path"].endswith("copy-of-ok0.txt")
    copied = [n for n in ("copy-of-ok0.txt", "ok0.txt") if "copied_from" in reports[n]["batch"]]
    assert len(copied) == 1  # parsed once, the twin's result copied
    summary = capsys.readouterr()
    assert "7 parsed, 5 failed, 2 skipped" in summary.out
    assert "most common errors" in summary.out and "PNG image" in summary.out
    assert summary.err.startswith("batch: 14 inputs")

    rows = list(csv.DictReader(io.StringIO((out / "reports.csv").read_text("utf-8-sig"))))
    assert len(rows) == 7
    assert {"plugins.metrics.rate", "plugins.metrics.nested.x", "review.total"} <= set(rows[0])
    facts = list(csv.DictReader(io.StringIO((out / "facts.csv").read_text("utf-8-sig"))))
    assert len(facts) == 14 and facts[0]["wording"].startswith(facts[0]["key"])

    # the same command again: nothing changes, still exit 1
    before = _snapshot(out)
    assert main(args) == 1
    assert _snapshot(out) == before
    assert "(14 done by an earlier run)" in capsys.readouterr().out

    # --retry-failed retries only the failures; the flaky one now parses
    (tmp_path / "flag").unlink()
    assert main(args + ["--retry-failed", "-q"]) == 1
    _assert_exactly_once(out, inputs)
    names = {Path(r["batch"]["input"]).name for r in jsonl(out / "reports.jsonl")}
    assert "flaky.txt" in names and "flaky.txt" not in {Path(e["path"]).name
                                                        for e in jsonl(out / "errors.jsonl")}
    assert (out / "reports.jsonl").read_bytes().startswith(before["reports.jsonl"])

    # --no-resume starts over
    assert main(args + ["--no-resume", "-q"]) == 1
    _assert_exactly_once(out, inputs)
    assert len(jsonl(out / "reports.jsonl")) == 8


def test_batch_repairs_a_torn_last_line(tmp_path, fake):
    src = tmp_path / "in"
    for i in range(5):
        write(src / f"r{i}.txt", report_text(i))
    out = tmp_path / "out"
    args = ["batch", str(src), "-o", str(out), "--workers", "1", "-q", "--format", "jsonl"]
    assert main(args) == 0
    data = (out / "reports.jsonl").read_bytes()
    (out / "reports.jsonl").write_bytes(data[:-25])  # kill -9 in the middle of a write
    (out / ".reports.csv.tmp-12345").write_text("half a table")  # killed while exporting
    assert main(args) == 0
    assert not (out / ".reports.csv.tmp-12345").exists()
    _assert_exactly_once(out, _files(src))
    assert (out / "reports.jsonl").read_bytes() == data or len(jsonl(out / "reports.jsonl")) == 5
    assert not (out / "reports.csv").exists()


def test_kill_9_half_way_then_rerun(tmp_path):
    src = tmp_path / "in"
    for i in range(40):
        write(src / f"r{i:02d}.txt", report_text(i, "SLOW 0.08"))
    out = tmp_path / "out"
    env = {**os.environ, PARSE_FUNC_ENV: FAKE}
    cmd = [sys.executable, "-m", "govreport.cli", "batch", str(src), "-o", str(out),
           "--workers", "2", "-q"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            path = out / "reports.jsonl"
            if path.exists() and path.read_bytes().count(b"\n") >= 10:
                break
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    done_first = len(settled_paths(out))
    assert 10 <= done_first < 40
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    _assert_exactly_once(out, _files(src))
    assert len(jsonl(out / "reports.jsonl")) == 40


def test_usage_errors(tmp_path, fake, capsys):
    assert main(["batch", str(tmp_path / "nope"), "-o", str(tmp_path / "o")]) == 2
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--format", "xls"]) == 2
    from govreport.outputs import OutdirLock

    (tmp_path / "o").mkdir(exist_ok=True)
    with OutdirLock(tmp_path / "o"):
        assert main(["batch", str(tmp_path), "-o", str(tmp_path / "o")]) == 2
    assert "another govreport batch run" in capsys.readouterr().err


def _real_folder(root: Path) -> Path:
    """Generated reports plus every kind of bad PDF and a non-report file."""
    from govreport.fixtures import random_spec, render_html, render_markdown, render_text

    src = root / "in"
    for i in range(3):
        write(src / f"report{i}.txt", render_text(random_spec(i, era="pre2019" if i == 2 else "post2019")))
    write(src / "report.md", render_markdown(random_spec(5)))
    (src / "page.html").write_bytes(render_html(random_spec(6)))
    bad_pdfs(src / "bad")
    (src / "bad" / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0\0\x10JFIF" + os.urandom(64))
    return src


def test_batch_real_pipeline(tmp_path, capsys):
    src = _real_folder(tmp_path)
    out = tmp_path / "out"
    formats = "jsonl,csv,parquet" if _has_pyarrow() else "jsonl,csv"
    args = ["batch", str(src), "-o", str(out), "--workers", "2", "--format", formats]
    assert main(args) == 1
    _assert_exactly_once(out, _files(src))
    errors = {Path(e["path"]).name: e["type"] for e in jsonl(out / "errors.jsonl")}
    for name in ("empty.pdf", "random.pdf", "truncated.pdf", "encrypted.pdf", "scanned.pdf"):
        assert name in errors
    assert errors["scan.jpg"] == "UnsupportedTypeError"
    before = _snapshot(out)
    assert main(args) == 1
    assert _snapshot(out) == before
    if _has_pyarrow():
        import pyarrow.parquet as pq

        n = len(jsonl(out / "reports.jsonl"))
        assert pq.read_table(out / "reports.parquet").num_rows == n
    capsys.readouterr()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_batch_shared_corpus_with_bad_pdfs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in CORPUS.rglob("*"):
        if p.is_file():
            link = src / p.relative_to(CORPUS)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(p)
    bad_pdfs(src / "bad")
    out = tmp_path / "out"
    # the inputs are symlinks to the corpus outside the input folder: read on request only
    args = ["batch", str(src), "-o", str(out), "--workers", "2", "-q", "--follow-symlinks"]
    assert main(args) == 1
    inputs = _files(src)
    _assert_exactly_once(out, inputs)
    n_reports = len(jsonl(out / "reports.jsonl"))
    assert n_reports >= 1
    before = _snapshot(out)
    assert main(args) == 1
    assert _snapshot(out) == before


def _has_pyarrow() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True
