"""Legacy Office and WPS files (.doc, .xls, .wps, .et, .rtf; also .xlsx) via LibreOffice.

Word 97 ``.doc`` and Kingsoft ``.wps`` (the same OLE2 binary inside), ``.rtf``, and
spreadsheets (``.xls``, ``.et``, ``.xlsx``) are converted by LibreOffice in headless
mode, then read by the readers we already trust: text documents become DOCX (read by
:mod:`.docx`), spreadsheets become HTML with one ``<table>`` per sheet (read by
:mod:`.html`) — so a statistics attachment's tables reach the table extractors.

Each conversion gets a fresh temporary LibreOffice profile (``-env:UserInstallation``;
parallel batch workers never share one, and nothing persists) whose settings disable
macros, and a time limit after which the whole process group is killed. Without
``soffice`` on the PATH the error says what to install.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import GovReportError, LimitExceededError, UnreadableError, UnsupportedTypeError
from ..model import Document
from ..options import Options

#: seconds one conversion may take when the parse has no ``timeout`` of its own
DEFAULT_TIMEOUT = 120.0
INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui "
                "libreoffice-calc-nogui) so that `soffice` is on the PATH, or save the file as "
                ".docx or PDF")

# Registry settings of the throw-away profile: never run a macro, whatever the file says.
_NO_MACROS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
 <prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
 <prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""

# OLE2 stream names (UTF-16LE in the directory) that tell a text document from a workbook.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_BOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))


def soffice_path() -> str | None:
    """The LibreOffice executable on the PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_kind(data: bytes) -> tuple[str, str]:
    """(source kind, "text" | "sheet") of an OLE2, RTF or XLSX file."""
    if data.startswith(b"{\\rtf"):
        return "rtf", "text"
    if data.startswith(b"PK"):
        return "xlsx", "sheet"
    if _WORD_STREAM in data:
        return "doc", "text"
    if any(s in data for s in _BOOK_STREAMS):
        return "xls", "sheet"
    return "ole", "unknown"


def read_office(data: bytes, *, path: str = "<bytes>", sha256: str = "",
                options: Options | None = None) -> Document:
    opts = Options.coerce(options)
    kind, family = office_kind(data)
    if family == "unknown":
        raise UnsupportedTypeError(path, "unsupported file type: an OLE2 file that is neither "
                                         "a Word/WPS document nor a workbook (.ppt, .msg …)")
    soffice = soffice_path()
    if soffice is None:
        what = {"rtf": "RTF document", "xls": "Excel 97 workbook (.xls/.et)",
                "xlsx": "Excel workbook (.xlsx)"}.get(kind, "Word 97 / WPS document (.doc/.wps)")
        raise UnsupportedTypeError(path, f"{what} needs LibreOffice: {INSTALL_HINT}")
    target = "docx" if family == "text" else "html"
    timeout = opts.timeout or DEFAULT_TIMEOUT
    with tempfile.TemporaryDirectory(prefix="govreport-soffice-") as tmp:
        out = _convert(soffice, data, kind, target, Path(tmp), timeout, path)
        converted = out.read_bytes()
    try:
        if target == "docx":
            from .docx import read_docx
            doc = read_docx(converted, path=path, sha256=sha256, options=opts)
        else:
            from .html import read_html
            doc = read_html(converted, path=path, sha256=sha256, options=opts)
    except GovReportError as exc:
        raise type(exc)(path, f"{kind} converted by LibreOffice: {exc.reason}") from None
    doc.kind = kind
    return doc


def _convert(soffice: str, data: bytes, kind: str, target: str, tmp: Path, timeout: float,
             path: str) -> Path:
    profile = tmp / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_NO_MACROS, encoding="utf-8")
    src = tmp / f"input.{kind if kind != 'ole' else 'doc'}"
    src.write_bytes(data)
    outdir = tmp / "out"
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
           "--norestore", "--nolockcheck", "--nodefault", "--nofirststartwizard",
           "--convert-to", target, "--outdir", str(outdir), str(src)]
    env = dict(os.environ, HOME=str(tmp), SAL_USE_VCLPLUGIN="svp")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=tmp, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LimitExceededError(path, f"LibreOffice did not convert the {kind} file in "
                                       f"{timeout:g} s") from None
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    produced = sorted(outdir.glob(f"*.{target}")) if outdir.is_dir() else []
    if proc.returncode != 0 or not produced:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
        raise UnreadableError(path, f"LibreOffice could not convert the {kind} file "
                                    f"(exit {proc.returncode}){': ' + detail[0] if detail else ''}")
    return produced[0]
