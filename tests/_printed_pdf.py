"""Reports printed to PDF by headless Chromium and by LibreOffice, for reader tests.

Both are optional: ``print_html`` returns None when the program is absent (tests skip),
so the suite runs anywhere; ``.ci/run`` installs both. The HTML is self-contained (no
external resources) and Chromium runs with background networking off.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser",
                                                       "google-chrome")) if p), None)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def print_html(html: bytes, out: Path, printer: str) -> Path | None:
    """``html`` printed to ``out`` by ``printer`` ("chromium" | "libreoffice"), or None
    when that program is not installed or fails."""
    out.parent.mkdir(parents=True, exist_ok=True)
    src = out.with_suffix(".html")
    src.write_bytes(html)
    profile = out.parent / f".profile-{printer}"
    if printer == "chromium":
        if not CHROMIUM:
            return None
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-extensions",
               f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={out}", src.as_uri()]
        made = out
    else:
        if not SOFFICE:
            return None
        outdir = out.parent / f".lo-{out.stem}"
        cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--convert-to", "pdf", "--outdir", str(outdir), str(src)]
        made = outdir / f"{src.stem}.pdf"
    try:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if not made.is_file() or made.stat().st_size == 0:
        return None
    if made != out:
        made.replace(out)
    return out
