#!/usr/bin/env python3
"""Time ``govreport.parse`` on PDFs against two baselines, and the two PDF engines.

    python benchmarks/bench_pdf.py [--rounds 7] [--target 5] [PDF ...]

Three ratios, in one run, from CPU medians of interleaved rounds (every timed job runs
once per round, in an order that rotates between rounds, after one warm-up each, so that
caches, CPU frequency and other jobs on a shared machine treat them alike):

1. parse ÷ pdfplumber ``extract_text`` (open, every page's text, close): what any
   pdfplumber user pays to get the text at all;
2. parse ÷ PDFium ``get_text_range`` (open, every page's text, close): the floor — no
   reader can get the text for less; **the verdict** (``--target``, default 5);
3. the PDFium reader ÷ the pdfminer reader (``read_document`` with each engine);
4. the PDFium reader with its optional C helper ÷ without it (``GOVREPORT_PDFIUM_BULK=0``:
   the same PDFium calls one by one through ctypes), when the helper is built.

Without arguments it uses the PDFs of the shared corpus (``../shared/corpus/*.pdf``
next to the repository) and skips cleanly when they are absent. Prints one line per PDF
and the overall ratios (sums of medians); exits 1 when ratio 2 exceeds ``--target``.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "corpus"


def plumber_text(path: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            n += len(page.extract_text() or "")
            page.close()
    return n


def pdfium_text(path: Path) -> int:
    import pypdfium2 as pdfium

    n = 0
    pdf = pdfium.PdfDocument(path)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            n += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return n


def parse(path: Path) -> int:
    import govreport

    return len(govreport.parse(path).facts)


def read_with(engine: str):
    def read(path: Path) -> int:
        from govreport.options import Options
        from govreport.readers import read_document

        return len(read_document(path, options=Options(pdf_engine=engine)).text)

    read.__name__ = f"read_{engine}"
    return read


def read_ctypes(path: Path) -> int:
    import os

    before = os.environ.get("GOVREPORT_PDFIUM_BULK")
    os.environ["GOVREPORT_PDFIUM_BULK"] = "0"
    try:
        return read_with("pdfium")(path)
    finally:
        if before is None:
            del os.environ["GOVREPORT_PDFIUM_BULK"]
        else:
            os.environ["GOVREPORT_PDFIUM_BULK"] = before


JOBS = {"parse": parse, "plumber": plumber_text, "pdfium": pdfium_text,
        "read_pdfium": read_with("pdfium"), "read_pdfminer": read_with("pdfminer"),
        "read_ctypes": read_ctypes}


def bench(path: Path, rounds: int) -> dict[str, float]:
    """{job: CPU median in seconds}."""
    for fn in JOBS.values():
        fn(path)  # warm-up: imports, plugin loading, OpenCC, jieba, regex compilation
    names = list(JOBS)
    times: dict[str, list[float]] = {n: [] for n in names}
    for i in range(rounds):
        order = names[i % len(names):] + names[:i % len(names)]
        for name in order:
            c0 = time.process_time()
            JOBS[name](path)
            times[name].append(time.process_time() - c0)
    return {n: statistics.median(v) for n, v in times.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--target", type=float, default=5.0,
                    help="largest acceptable parse ÷ PDFium text ratio")
    args = ap.parse_args(argv)
    pdfs = args.pdfs or (sorted(SHARED.glob("*.pdf")) if SHARED.is_dir() else [])
    pdfs = [p for p in pdfs if p.is_file()]
    if not pdfs:
        print(f"no PDFs to time (shared corpus not found at {SHARED}); skipped")
        return 0
    total = dict.fromkeys(JOBS, 0.0)
    for p in pdfs:
        res = bench(p, args.rounds)
        for k, v in res.items():
            total[k] += v
        print(f"{p.name:24s} parse {res['parse'] * 1000:6.1f} ms | extract_text "
              f"{res['plumber'] * 1000:6.1f} | PDFium text {res['pdfium'] * 1000:5.1f} | "
              f"reader pdfium {res['read_pdfium'] * 1000:6.1f} / pdfminer "
              f"{res['read_pdfminer'] * 1000:6.1f} ms CPU")
    r_plumber = total["parse"] / total["plumber"]
    r_floor = total["parse"] / total["pdfium"]
    r_engine = total["read_pdfium"] / total["read_pdfminer"]
    r_helper = total["read_pdfium"] / total["read_ctypes"]
    ok = r_floor <= args.target
    print(f"parse ÷ pdfplumber extract_text  {r_plumber:5.2f}")
    print(f"parse ÷ PDFium get_text_range    {r_floor:5.2f}  "
          f"({'ok' if ok else 'over'} the target {args.target})")
    print(f"PDFium reader ÷ pdfminer reader  {r_engine:5.2f}")
    from govreport.readers.pdfium_calls import bulk

    print(f"C helper ÷ ctypes (PDFium reader) {r_helper:5.2f}"
          + ("" if bulk() is not None else "  (the C helper is not built: both ctypes)"))
    print(f"(CPU medians of {args.rounds} interleaved rounds, {len(pdfs)} PDFs)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
