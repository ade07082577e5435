"""``govreport parse FILE`` on bad input: exit 2 and one line on stderr naming the file and
the reason, no traceback; the limit options and ``--password`` work end to end."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from govreport.cli import main
from test_bad_input import cid_garbage_pdf, image_only_pdf, text_pdf, zero_page_pdf


def _bad_files(report_pdf: bytes, report_text: str) -> dict[str, tuple[bytes, str]]:
    """file name -> (bytes, a word the one-line message must contain)."""
    rng = random.Random(3)
    noise = bytes(rng.randrange(256) for _ in range(4096))
    page404 = ("<html><head><title>404</title></head><body><p>首页 政府信息公开</p>"
               "<h1>404 Not Found</h1><p>页面不存在</p></body></html>")
    return {
        "empty.pdf": (b"", "file is empty"),
        "truncated.pdf": (report_pdf[: len(report_pdf) // 2], "truncated PDF"),
        "random.pdf": (noise, "unsupported file type"),
        "encrypted.pdf": (text_pdf(report_text.split("\n"), password="pw"), "--password"),
        "scanned.pdf": (image_only_pdf(), "OCR plugin"),
        "zero-pages.pdf": (zero_page_pdf(), "no pages"),
        "cid-garbage.pdf": (cid_garbage_pdf(), "(cid:N)"),
        "error-page.pdf": (page404.encode("utf-8"), "not a government information-disclosure annual report"),
        "not-a-report.txt": ("会议纪要：讨论了食堂菜单。".encode("gbk"), "not a government"),
        "image.pdf": (b"\x89PNG\r\n\x1a\n" + noise, "PNG image"),
        "名字 with space.pdf": (b"   \n", "only whitespace"),
    }


def _one_error_line(capsys, path: Path, word: str) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    line = lines[0]
    assert line.startswith(f"govreport: error: {path}: "), line
    assert word.lower() in line.lower(), (word, line)
    return line


@pytest.mark.parametrize("name", list(_bad_files(b"%PDF-", "x").keys()))
def test_parse_bad_file_exit_2_one_line(tmp_path, capsys, report_pdf, report_text, name):
    data, word = _bad_files(report_pdf, report_text)[name]
    f = tmp_path / name
    f.write_bytes(data)
    assert main(["parse", str(f)]) == 2
    _one_error_line(capsys, f, word)
    assert main(["sections", str(f)]) == 2
    _one_error_line(capsys, f, word)


def test_missing_file_and_directory(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "nope.pdf")]) == 2
    _one_error_line(capsys, tmp_path / "nope.pdf", "not found")
    assert main(["parse", str(tmp_path)]) == 2
    _one_error_line(capsys, tmp_path, "directory")


def test_file_name_with_line_break_stays_one_line(tmp_path, capsys):
    f = tmp_path / "bad\nname.pdf"
    f.write_bytes(b"")
    assert main(["parse", str(f)]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "bad\\nname.pdf" in err


def test_password_option(tmp_path, capsys, report_text):
    f = tmp_path / "locked.pdf"
    f.write_bytes(text_pdf(report_text.split("\n"), password="pw"))
    assert main(["parse", "--password", "wrong", str(f)]) == 2
    _one_error_line(capsys, f, "password given is wrong")
    assert main(["parse", "--password", "pw", str(f)]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["facts"]["proactive.items"] == 1136 and data["source"]["path"] == str(f)


def test_limit_options(tmp_path, capsys, report_pdf, report_text):
    f = tmp_path / "r.pdf"
    f.write_bytes(report_pdf)
    assert main(["parse", "--max-pages", "1", str(f)]) == 2
    _one_error_line(capsys, f, "over the limit of 1")
    assert main(["parse", "--max-bytes", "500", str(f)]) == 2
    _one_error_line(capsys, f, "over the limit of 500")
    big = tmp_path / "big.txt"
    big.write_text(report_text * 300, encoding="utf-8")
    assert main(["parse", "--timeout", "0.2", str(big)]) == 2
    _one_error_line(capsys, big, "timeout of 0.2 s")
    assert main(["parse", "--timeout", "60", "--max-pages", "50", str(f)]) == 0
    assert json.loads(capsys.readouterr().out)["facts"]


def test_debug_shows_the_traceback(tmp_path):
    f = tmp_path / "empty.pdf"
    f.write_bytes(b"")
    from govreport.errors import EmptyFileError

    with pytest.raises(EmptyFileError):
        main(["--debug", "parse", str(f)])


def test_subprocess_exit_code_and_stderr(tmp_path, report_pdf, report_text):
    """The real command line, in a fresh interpreter."""
    files = _bad_files(report_pdf, report_text)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVREPORT_")}
    for name in ("truncated.pdf", "encrypted.pdf", "error-page.pdf"):
        data, word = files[name]
        f = tmp_path / name
        f.write_bytes(data)
        proc = subprocess.run([sys.executable, "-m", "govreport.cli", "parse", str(f)],
                              capture_output=True, text=True, timeout=120, env=env)
        assert proc.returncode == 2, proc.stderr
        assert proc.stdout == ""
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.startswith(f"govreport: error: {f}: ") and word in proc.stderr
    # a PDF that makes pdfminer log warnings (no /FontBBox) and then fails: still one line
    noisy = tmp_path / "noisy.pdf"
    noisy.write_bytes(text_pdf(["今日菜单", "红烧肉 38元"]).replace(b"/FontBBox [-25 -254 1000 880] ", b""))
    proc = subprocess.run([sys.executable, "-m", "govreport.cli", "parse", str(noisy)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith(f"govreport: error: {noisy}: not a government")
