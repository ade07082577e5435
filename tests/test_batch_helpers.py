"""Shared helpers of the batch tests (no tests here).

``fake_parse`` stands in for ``govreport.parse`` where a test needs a parse that hangs,
crashes or is slow on purpose; batch loads it in its workers through the
``"path/to/file.py:function"`` form of ``parse_func`` / ``GOVREPORT_BATCH_PARSE_FUNC``.
The inputs are small text files holding directives:

    HANG          never returns (sleeps)          SPIN      never returns (pure Python loop)
    CRASH         the worker process dies         FAIL      raises EncryptedError
    BUG           raises ZeroDivisionError        SLOW 0.2  sleeps 0.2 s first
    FAILIF PATH   raises EncryptedError while PATH exists
    WARM          fact ``warm`` = 1 if this process started with jieba already built
    key=NUMBER    becomes a fact
"""
from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

HELPERS = str(Path(__file__).resolve())
FAKE = f"{HELPERS}:fake_parse"


def warm_forkserver():
    """Start the (process-wide) fork server warmed up once, so that every WorkerPool of the
    test session forks ready workers instead of loading jieba/OpenCC per worker."""
    from govreport.batch import _start_warm_forkserver

    _start_warm_forkserver()


def fake_parse(path, options=None, plugins_dir=None):
    from govreport.errors import EncryptedError
    from govreport.model import Report

    data = Path(path).read_bytes()
    text = data.decode("utf-8", errors="replace")
    if "HANG" in text:
        while True:
            time.sleep(0.05)
    if "SPIN" in text:
        n = 0
        while True:
            n += 1
    if "CRASH" in text:
        os._exit(7)
    flag = re.search(r"FAILIF (\S+)", text)
    if re.search(r"\bFAIL\b", text) or (flag and os.path.exists(flag.group(1))):
        raise EncryptedError(path, "encrypted PDF: a password is needed (fake)")
    if "BUG" in text:
        return 1 // 0
    m = re.search(r"SLOW ([\d.]+)", text)
    if m:
        time.sleep(float(m.group(1)))
    facts = {k: int(v) for k, v in re.findall(r"([a-z][\w.]*)=(\d+)", text)}
    if "WARM" in text:
        from govreport.extractors import narrative

        facts["warm"] = int("tokenizer" in narrative._STATE)
    prov = {k: {"section": "overview", "page": 1, "text": f"{k}={v}"} for k, v in facts.items()}
    return Report(source={"path": str(path), "sha256": hashlib.sha256(data).hexdigest(),
                          "kind": "text"},
                  meta={"title": text.splitlines()[0] if text else "", "year": 2023,
                        "era": "post2019"},
                  sections=[], facts=facts, provenance=prov,
                  plugins={"metrics": {"rate": 0.5, "nested": {"x": 1}}})


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def report_text(i: int, extra: str = "") -> str:
    return (f"某某区人民政府2023年政府信息公开工作年度报告 第{i}号\n"
            f"requests.new_received.total={i} review.total={i % 3}\n{extra}\n")


def bad_pdfs(folder: Path) -> dict[str, Path]:
    """Empty, truncated, random-bytes, encrypted and scanned (no text layer) PDFs."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    out["empty"] = folder / "empty.pdf"
    out["empty"].write_bytes(b"")
    out["random"] = folder / "random.pdf"
    out["random"].write_bytes(os.urandom(4096))
    text_pdf = folder / "_whole.tmp"
    c = canvas.Canvas(str(text_pdf))
    for i in range(40):
        c.drawString(72, 800 - i * 18, f"line {i} " * 8)
    c.save()
    data = text_pdf.read_bytes()
    text_pdf.unlink()
    out["truncated"] = folder / "truncated.pdf"
    out["truncated"].write_bytes(data[: len(data) // 2])
    out["encrypted"] = folder / "encrypted.pdf"
    c = canvas.Canvas(str(out["encrypted"]), encrypt=pdfencrypt.StandardEncryption("secret", "owner"))
    c.drawString(100, 700, "secret")
    c.save()
    out["scanned"] = folder / "scanned.pdf"
    c = canvas.Canvas(str(out["scanned"]))
    for i in range(30):
        c.rect(50 + i * 5, 100 + i * 7, 40, 30, fill=1)
    c.showPage()
    c.save()
    return out


def jsonl(path: Path) -> list[dict]:
    import json

    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def settled_paths(outdir: Path) -> list[str]:
    """Every input path recorded in reports.jsonl and errors.jsonl (with repeats)."""
    return ([r["batch"]["input"] for r in jsonl(outdir / "reports.jsonl")]
            + [e["path"] for e in jsonl(outdir / "errors.jsonl")])
