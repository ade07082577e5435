"""OCR: scans of the corpus PDFs against their text layer, OCR speed, a mixed batch.

    .venv/bin/python benchmarks/bench_ocr.py [--corpus ../shared/corpus] [--batch]
                                             [--score] [--json]

Needs the OCR plugin (``pip install ./plugins/govreport-ocr``).

1. For each PDF in the corpus an image-only copy is made (every page rendered at 200 dpi
   and re-wrapped with no text layer; nothing is kept). Both are parsed; printed: the
   share of the text-layer PDF's facts that the scan gives with the same value, the
   table 三 cells read wrong, and how many of those the arithmetic (OCR-ARITHMETIC)
   flags — the target is 0 wrong cells that the arithmetic accepts — and OCR pages per
   second per worker (the baseline in the same run: the text-layer parse).
2. ``--score``: the shared scorer on a corpus folder where the PDFs are the scans.
   ``--doc``: the corpus's HTML reports saved as .doc by LibreOffice, against the HTML.
3. ``--batch``: ``run_batch`` with 2 workers over a mixed folder (the corpus's text
   reports, its PDFs and their scans): reports and pages per second.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import govreport

#: OCR takes seconds a page: the measurement lifts the default per-document caps
NO_CAPS = {"timeout": None, "max_memory_mb": None}


def parse(path):
    return govreport.parse(path, options=NO_CAPS)


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def compare(corpus: Path, out: Path, parse_them: bool = True) -> list[dict]:
    from govreport_ocr.scans import image_only_pdf

    rows = []
    for pdf in sorted(corpus.glob("*.pdf")):
        scan = out / pdf.name
        scan.write_bytes(image_only_pdf(pdf.read_bytes()))
        if not parse_them:
            continue
        t0 = time.perf_counter()
        text = parse(pdf)
        t_text = time.perf_counter() - t0
        t0 = time.perf_counter()
        ocr = parse(scan)
        t_ocr = time.perf_counter() - t0
        flagged = {k for c in ocr.checks if c.rule == "OCR-ARITHMETIC" for k in c.keys}
        same = [k for k, v in text.facts.items() if k in ocr.facts and ocr.facts[k] == v]
        wrong = [k for k, v in text.facts.items() if k in ocr.facts and ocr.facts[k] != v]
        t3_wrong = [k for k in wrong if k.startswith("requests.") and k.count(".") >= 2]
        n = _pages(pdf)
        rows.append({"file": pdf.name, "pages": n, "facts": len(text.facts), "same": len(same),
                     "recall": round(len(same) / len(text.facts), 4) if text.facts else None,
                     "wrong": wrong, "t3_wrong": len(t3_wrong),
                     "t3_wrong_accepted": len([k for k in t3_wrong if k not in flagged]),
                     "missing": sorted(set(text.facts) - set(ocr.facts)),
                     "seconds_text": round(t_text, 2), "seconds_ocr": round(t_ocr, 2),
                     "ocr_pages_per_s": round(n / t_ocr, 3)})
    return rows


def score(corpus: Path, scans: Path) -> str:
    """The shared scorer's summary line on a corpus whose PDFs are the scans."""
    mixed = scans.parent / "scored-corpus"
    shutil.copytree(corpus, mixed)
    for scan in scans.glob("*.pdf"):
        shutil.copy(scan, mixed / scan.name)
    return _run_scorer(corpus, mixed, [p.stem for p in scans.glob("*.pdf")])


def _run_scorer(corpus: Path, folder: Path, ids: list[str]) -> str:
    """The shared scorer's last line, its parse() called without the default caps."""
    scorer = corpus.parent / "eval" / "score.py"
    wrapper = ("import runpy, sys, govreport\n"
               "_parse = govreport.parse\n"
               f"govreport.parse = lambda src, **kw: _parse(src, options={NO_CAPS!r})\n"
               f"sys.argv = [{str(scorer)!r}] + sys.argv[1:]\n"
               f"runpy.run_path({str(scorer)!r}, run_name='__main__')\n")
    out = subprocess.run([sys.executable, "-c", wrapper, "--corpus", str(folder), "--only", *ids],
                         capture_output=True, text=True, check=False)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-500:]


def doc_twins(corpus: Path, tmp: Path) -> dict:
    """The corpus's HTML reports saved as Word 97 .doc by LibreOffice (kept under the
    HTML's name: the bytes decide the reader), facts against the HTML, and the scorer."""
    from govreport.readers.office import soffice_path

    folder = tmp / "doc-corpus"
    shutil.copytree(corpus, folder)
    rows = []
    for html in sorted(corpus.glob("*.htm*")):
        out = tmp / "doc-out"
        subprocess.run([soffice_path(), f"-env:UserInstallation={(tmp / 'prof').as_uri()}",
                        "--headless", "--convert-to", "doc:MS Word 97", "--outdir", str(out),
                        str(html)], check=True, capture_output=True, timeout=300)
        doc = out / (html.stem + ".doc")
        shutil.copy(doc, folder / html.name)
        a, b = parse(html), parse(folder / html.name)
        same = sum(1 for k, v in a.facts.items() if b.facts.get(k) == v and k in b.facts)
        rows.append({"file": html.name, "kind": b.source["kind"], "facts": len(a.facts),
                     "same": same, "extra": sorted(set(b.facts) - set(a.facts))})
    ids = [h.stem for h in corpus.glob("*.htm*")]
    return {"twins": rows, "score_doc": _run_scorer(corpus, folder, ids),
            "score_html": _run_scorer(corpus, corpus, ids)}


def batch(corpus: Path, scans: Path, workers: int) -> dict:
    from govreport.batch import run_batch

    inputs = scans.parent / "mixed"
    inputs.mkdir()
    for f in corpus.iterdir():
        if f.suffix in (".pdf", ".txt", ".md", ".html"):
            shutil.copy(f, inputs / f.name)
    for s in scans.glob("*.pdf"):
        shutil.copy(s, inputs / ("scan-" + s.name))
    t0 = time.perf_counter()
    summary = run_batch([str(inputs)], str(scans.parent / "out"), workers=workers)
    secs = time.perf_counter() - t0
    return {"inputs": summary.total, "parsed": summary.parsed, "failed": summary.failed,
            "ocr_pages": summary.ocr_pages, "workers": workers, "seconds": round(secs, 1),
            "reports_per_s": round(summary.parsed / secs, 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    ap.add_argument("--score", action="store_true")
    ap.add_argument("--batch", action="store_true")
    ap.add_argument("--doc", action="store_true", help="also the .doc twins of the HTML reports")
    ap.add_argument("--no-ocr", action="store_true",
                    help="make the scans but do not compare them (with --score, --doc)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    os.environ.setdefault("GOVREPORT_OCR_THREADS", "2")
    with tempfile.TemporaryDirectory() as tmp:
        scans = Path(tmp) / "scans"
        scans.mkdir()
        result: dict = {"compare": compare(args.corpus, scans, parse_them=not args.no_ocr)}
        if args.doc:
            result["doc"] = doc_twins(args.corpus, Path(tmp))
        if args.score:
            result["score"] = score(args.corpus, scans)
        if args.batch:
            result["batch"] = batch(args.corpus, scans, args.workers)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for r in result["compare"]:
        print(f"{r['file']}: {r['pages']} pages, {r['same']}/{r['facts']} facts as the text layer "
              f"({100 * (r['recall'] or 0):.1f}%), table 三 cells wrong {r['t3_wrong']} "
              f"(accepted by the arithmetic: {r['t3_wrong_accepted']}); OCR {r['seconds_ocr']} s "
              f"= {r['ocr_pages_per_s']} pages/s (text layer {r['seconds_text']} s)")
        if r["wrong"] or r["missing"]:
            print(f"    wrong {r['wrong']}  missing {r['missing'][:20]}")
    if "score" in result:
        print("scorer on the scans:", result["score"])
    if "doc" in result:
        for r in result["doc"]["twins"]:
            print(f".doc twin of {r['file']}: {r['same']}/{r['facts']} facts as the HTML "
                  f"(read as {r['kind']}); extra {r['extra']}")
        print("scorer, HTML:", result["doc"]["score_html"])
        print("scorer, .doc:", result["doc"]["score_doc"])
    if "batch" in result:
        print("mixed batch:", result["batch"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
