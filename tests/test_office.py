"""Legacy Office / WPS files read through headless LibreOffice: same facts as the twins.

The .doc and .xls inputs are made here by LibreOffice from generated HTML reports; the
tests that need ``soffice`` skip without it (CI installs it, see .ci/run).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import govreport.fixtures as F
from govreport import parse
from govreport.errors import LimitExceededError, UnsupportedTypeError
from govreport.readers import office
from govreport.readers.sniff import sniff_bytes

needs_soffice = pytest.mark.skipif(office.soffice_path() is None,
                                   reason="LibreOffice (soffice) is not installed")


def _soffice_convert(src: Path, target: str, infilter: str | None = None) -> Path:
    """Make a legacy file with LibreOffice itself, as an office would."""
    out = src.parent / "made"
    cmd = [office.soffice_path(), f"-env:UserInstallation={(src.parent / 'prof').as_uri()}",
           "--headless", "--convert-to", target, "--outdir", str(out), str(src)]
    if infilter:
        cmd[2:2] = [f"--infilter={infilter}"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    return out / (src.stem + "." + target.split(":")[0])


@pytest.fixture(scope="module")
def spec():
    return F.random_spec(7)


@pytest.fixture(scope="module")
def html_twin(spec, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("office") / "report.html"
    path.write_bytes(F.render_html(spec))
    return path


@needs_soffice
def test_doc_and_wps_give_the_facts_of_their_html_twin(html_twin, tmp_path):
    doc = _soffice_convert(html_twin, "doc:MS Word 97")
    assert sniff_bytes(doc.read_bytes()).kind == "ole"
    twin, report = parse(html_twin), parse(doc)
    assert report.source["kind"] == "doc"
    assert report.facts == twin.facts
    assert len(report.facts) > 100
    wps = tmp_path / "report.wps"  # Kingsoft WPS writes the same binary; the bytes decide
    shutil.copy(doc, wps)
    assert parse(wps).facts == twin.facts


@needs_soffice
def test_xls_statistics_attachment_feeds_the_table_extractors(spec, html_twin, tmp_path):
    html = F.render_html(spec).decode("utf-8")
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    tables = "".join(re.findall(r"<table.*?</table>", html, re.S))
    attachment = tmp_path / "attachment.html"
    attachment.write_text(f"<html><head><meta charset=utf-8><title>{title}</title></head>"
                          f"<body><h1>{title} 附表</h1>{tables}</body></html>", encoding="utf-8")
    xls = _soffice_convert(attachment, "xls", infilter="HTML (StarCalc)")
    report = parse(xls)
    assert report.source["kind"] == "xls"
    twin = parse(html_twin)
    table_facts = {k: v for k, v in twin.facts.items()
                   if twin.provenance[k].get("table") is not None}
    assert len(table_facts) > 100
    assert report.facts == table_facts


def test_without_libreoffice_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(office, "soffice_path", lambda: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 200 + "WordDocument".encode("utf-16-le")
    with pytest.raises(UnsupportedTypeError,
                       match=r"x\.doc: Word 97 / WPS .*apt-get install libreoffice-writer-nogui "
                             r"libreoffice-calc-nogui"):
        office.read_office(ole, path="x.doc")


def test_a_hanging_libreoffice_is_killed_at_the_timeout(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setattr(office, "soffice_path", lambda: str(fake))
    rtf = b"{\\rtf1\\ansi hello}"
    with pytest.raises(LimitExceededError, match=r"x\.rtf: LibreOffice did not convert .* 1 s"):
        office.read_office(rtf, path="x.rtf", options={"timeout": 1})


def test_the_profile_forbids_macros(monkeypatch, tmp_path):
    """The throw-away profile LibreOffice is started with disables macro execution."""
    seen = tmp_path / "seen.xcu"
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nfor a in \"$@\"; do case $a in -env:UserInstallation=file://*) "
                    "cp \"${a#-env:UserInstallation=file://}/user/registrymodifications.xcu\" "
                    f"{seen};; esac; done\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(office, "soffice_path", lambda: str(fake))
    with pytest.raises(Exception, match="could not convert"):
        office.read_office(b"{\\rtf1 x}", path="x.rtf")
    xcu = seen.read_text(encoding="utf-8")
    assert "DisableMacrosExecution" in xcu and "<value>true</value>" in xcu


def test_an_ole_file_that_is_no_document_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 300
    with pytest.raises(UnsupportedTypeError, match="neither a Word/WPS document nor a workbook"):
        office.read_office(ole, path="x.ppt")
