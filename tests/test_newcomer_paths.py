"""The paths a newcomer walks first: the README's first command, a mistyped option, report
text passed where a path goes, a crawled folder full of things that are not reports."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import govreport
from govreport import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "sample-report.pdf"


def test_parse_at_a_terminal_prints_a_summary(monkeypatch, capsys):
    monkeypatch.setattr(cli, "_stdout_is_terminal", lambda: True)
    assert cli.main(["parse", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{SAMPLE}: 某某区人民政府2023年政府信息公开工作年度报告")
    assert "year 2023" in out and "requests.new_received.total" in out and "«" in out
    assert len(out.splitlines()) < 30  # a summary, not 2,000 lines of JSON
    # --json and --pretty still give the JSON at a terminal
    assert cli.main(["parse", "--json", str(SAMPLE)]) == 0
    assert json.loads(capsys.readouterr().out)["meta"]["year"] == 2023
    assert cli.main(["parse", "--pretty", str(SAMPLE)]) == 0
    assert json.loads(capsys.readouterr().out)["facts"]["requests.new_received.total"] == 21


def test_piped_parse_prints_json(capsys):
    assert cli.main(["parse", str(SAMPLE)]) == 0  # capsys is not a terminal
    data = json.loads(capsys.readouterr().out)
    assert data["facts"]["proactive.items"] == 1136 and "warnings" in data


def test_mistyped_plugins_dir_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--plugins-dir", str(tmp_path / "plugns"), "parse", str(SAMPLE)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "plugns" in err and "does not exist" in err


def test_batch_output_naming_a_file_is_a_usage_error(tmp_path, capsys):
    target = tmp_path / "out.json"
    target.write_text("{}", encoding="utf-8")
    assert cli.main(["batch", str(SAMPLE), "-o", str(target), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govreport: error: ") and "exists and is not a folder" in err
    assert "Traceback" not in err and target.read_text(encoding="utf-8") == "{}"


def test_report_text_given_as_a_path(tmp_path):
    text = (ROOT / "samples" / "sample-report.txt").read_text(encoding="utf-8")
    with pytest.raises(govreport.NotAPathError) as exc:
        govreport.parse(text)
    message = str(exc.value)
    assert len(message) < 300 and "encode" in message
    assert isinstance(exc.value, TypeError)
    # the way the message points to works
    assert govreport.parse(text.encode("utf-8")).meta["year"] == 2017
    # a real path with a line break in its name is still a path
    odd = tmp_path / "a\nb.txt"
    odd.write_text(text, encoding="utf-8")
    assert govreport.parse(str(odd)).meta["year"] == 2017


def test_batch_of_things_that_are_not_reports_exits_0(tmp_path, capsys):
    src = tmp_path / "crawl"
    src.mkdir()
    (src / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (src / "notice.txt").write_text("关于召开全区安全生产工作会议的通知\n各单位：定于下周一召开会议。\n",
                                    encoding="utf-8")
    assert cli.main(["batch", str(src), "-o", str(tmp_path / "out"), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "0 failed" in out and "1 skipped" in out and "1 not a report" in out
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text(
        encoding="utf-8").splitlines()]
    assert {e["type"] for e in errors} == {"UnsupportedTypeError", "NotAReportError"}
