"""Hostile folders for ``govreport batch`` (issue #18): special files, symlinks out of the
inputs, names of any bytes, planted output symlinks, bad output folders, exports that a
report's own text or numbers could break."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govreport.fixtures import default_spec, render_text

SECRET = "root:$6$very-secret-hash-of-the-test:19000:0:99999:7:::"


def _batch(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govreport.cli", "batch", *args, "-q",
                           "--workers", "1"], capture_output=True, text=True, timeout=timeout)


def _records(out: Path) -> tuple[list[dict], list[dict]]:
    def load(name: str) -> list[dict]:
        p = out / name
        return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()
                if line.strip()] if p.exists() else []
    return load("reports.jsonl"), load("errors.jsonl")


@pytest.fixture
def hostile_folder(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    report = render_text(default_spec()).encode("utf-8")
    (inp / "good.txt").write_bytes(report)
    gbk_name = os.fsencode(inp) + b"/" + "年报".encode("gbk") + b".txt"
    with open(gbk_name, "wb") as fh:
        fh.write(report.replace(b"2023", b"2022"))
    os.mkfifo(inp / "pipe.txt")
    os.symlink("/dev/zero", inp / "zero.txt")
    outside = tmp_path / "shadow"
    outside.write_text(SECRET + "\n")
    os.symlink(outside, inp / "secret.txt")
    os.symlink(inp / "good.txt", inp / "alias.txt")  # inside the inputs: followed
    return inp, os.fsdecode(gbk_name)


def test_hostile_input_folder_is_accounted_for_once_and_reads_nothing_outside(tmp_path, hostile_folder):
    inp, gbk = hostile_folder
    out = inp / "out"  # the output folder inside the input folder
    for run in range(2):
        done = _batch(str(inp), "-o", str(out))
        assert done.returncode in (0, 1), done.stderr
        reports, errors = _records(out)
        paths = [r["batch"]["input"] for r in reports] + [e["path"] for e in errors]
        assert sorted(paths) == sorted(set(paths)), "an input was recorded twice"
        names = {os.path.basename(p) for p in paths}
        assert names == {"good.txt", "alias.txt", "pipe.txt", "zero.txt", "secret.txt",
                         os.path.basename(gbk)}, (run, names)
        assert gbk in [r["batch"]["input"] for r in reports]  # the GBK name, surrogate-escaped
        skipped = {os.path.basename(e["path"]): e for e in errors if e.get("skipped")}
        assert {"pipe.txt", "zero.txt", "secret.txt"} <= set(skipped)
        assert "outside the input folders" in skipped["secret.txt"]["message"]
        for name in out.iterdir():
            if name.is_file():
                assert SECRET[:20] not in name.read_text(encoding="utf-8-sig", errors="replace")
        assert not any("out" in Path(p).parts[-2:-1] for p in paths)  # outputs never inputs


def test_follow_symlinks_reads_outside_but_never_quotes_a_non_report(tmp_path, hostile_folder):
    inp, _ = hostile_folder
    out = tmp_path / "out"
    done = _batch(str(inp), "-o", str(out), "--follow-symlinks")
    assert done.returncode == 1, done.stderr
    _, errors = _records(out)
    secret = [e for e in errors if e["path"].endswith("secret.txt")]
    assert secret and secret[0]["type"] == "NotAReportError", secret
    assert SECRET[:8] not in (out / "errors.jsonl").read_text(encoding="utf-8")


def test_planted_output_symlink_is_refused_not_written_through(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "r.txt").write_text(render_text(default_spec()), encoding="utf-8")
    victim = tmp_path / "victim"
    victim.write_text("untouched\n")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(victim, out / "reports.jsonl")
    done = _batch(str(inp), "-o", str(out))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "symbolic link" in done.stderr, done.stderr
    assert victim.read_text() == "untouched\n"


@pytest.mark.parametrize("where", ["file", "proc"])
def test_invalid_output_folder_is_a_usage_error(tmp_path, where):
    inp = tmp_path / "r.txt"
    inp.write_text(render_text(default_spec()), encoding="utf-8")
    out = tmp_path / "a-file" if where == "file" else Path("/proc/self/govreport-out")
    if where == "file":
        out.write_text("x")
    done = _batch(str(inp), "-o", str(out))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("govreport: error: output folder ") and done.stderr.count("\n") == 1


PLUGIN = '''
import govreport

class Odd:
    name = "odd"
    sections = "*"
    def extract(self, section, ctx):
        if section.key != "preamble":
            return []
        ctx.report.source["path"] = "the-same-for-all"      # must not collapse rows
        return [ctx.fact("odd.huge", 10 ** 30, text="x"), ctx.fact("odd.nan", float("nan"), text="x"),
                ctx.fact("odd.formula", "=1+2", text="x"), ctx.fact("odd.negative", -3, text="x")]

@govreport.hookimpl
def govreport_register_extractors(register):
    register(Odd())
'''


def test_exports_take_any_number_strict_json_and_neutralise_formulas(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    title = '标题: =HYPERLINK("http://evil.example/x","2023年政府信息公开工作年度报告")\n'
    text = render_text(default_spec())
    (inp / "a.txt").write_text(title + text, encoding="utf-8")
    (inp / "b.txt").write_text(text.replace("2023", "2021"), encoding="utf-8")
    pdir = tmp_path / "plugins"
    pdir.mkdir()
    (pdir / "odd.py").write_text(PLUGIN)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "govreport.cli", "--plugins-dir", str(pdir),
                           "batch", str(inp), "-o", str(out), "-q", "--workers", "1",
                           "--format", "jsonl,csv,parquet"], capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stderr
    raw = (out / "reports.jsonl").read_text(encoding="utf-8")
    assert "NaN" not in raw and "Infinity" not in raw
    reports = [json.loads(line) for line in raw.splitlines()]
    assert {r["source"]["path"] for r in reports} == {str(inp / "a.txt"), str(inp / "b.txt")}
    r = reports[0]
    assert r["facts"]["odd.huge"] == str(10 ** 30) and "odd.nan" not in r["facts"]
    assert any("too large" in w for w in r["warnings"])
    assert any(c["rule"] == "PLUGIN-ERROR" and "odd.nan" in c["message"] for c in r["checks"])
    with open(out / "reports.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2
    cells = [c for row in rows for c in row.values() if c]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert {row["odd.negative"] for row in rows} == {"-3"}  # numbers stay numbers
    assert {row["odd.huge"] for row in rows} == {str(10 ** 30)}
    import pyarrow.parquet as pq

    table = pq.read_table(out / "reports.parquet")
    assert table.num_rows == 2


def test_rerun_keeps_one_current_record_per_input(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    text = render_text(default_spec())
    (inp / "a.txt").write_text(text, encoding="utf-8")
    (inp / "b.txt").write_text(text.replace("2023", "2021"), encoding="utf-8")
    out = tmp_path / "out"
    assert _batch(str(inp), "-o", str(out)).returncode == 0
    (inp / "a.txt").write_text(text.replace("2023", "2022"), encoding="utf-8")  # changed
    (inp / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))              # now an image
    assert _batch(str(inp), "-o", str(out)).returncode == 1  # b.txt fails now
    reports, errors = _records(out)
    paths = [r["batch"]["input"] for r in reports] + [e["path"] for e in errors]
    assert sorted(paths) == sorted({str(inp / "a.txt"), str(inp / "b.txt")})
    assert reports[0]["meta"]["year"] == 2022


def test_report_json_is_strict():
    from govreport.jsonsafe import report_json

    text = report_json({"facts": {"a": float("nan"), "b": float("inf"), "c": 10 ** 40},
                        "warnings": []})
    data = json.loads(text)
    assert data["facts"] == {"a": None, "b": None, "c": str(10 ** 40)}
    assert len(data["warnings"]) == 3 and "NaN" not in text and "Infinity" not in text
