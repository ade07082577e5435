#!/usr/bin/env python3
"""Time ``govreport.parse`` against pdfplumber's bare ``extract_text`` on the same PDFs.

    python benchmarks/bench_pdf.py [--rounds 7] [--target 1.25] [PDF ...]

Without arguments it uses the PDFs of the shared corpus (``../shared/corpus/*.pdf``
next to the repository) and skips cleanly when they are absent. The two are run
interleaved in one process — parse, bare, parse, bare … — after one warm-up each, so
that caches, CPU frequency and the page cache treat both alike; the medians are
compared. Both CPU time of this process (the verdict: it is not inflated by other jobs
on a shared machine) and wall-clock time are shown. The baseline opens the PDF, calls ``page.extract_text()`` on every page and
closes each page (what any pdfplumber user does to get the text at all).

Prints one line per PDF and the overall ratio (sum of medians); exits 1 when the ratio
exceeds ``--target`` (so CI can use it), 0 otherwise, 0 with a note when nothing to run.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "corpus"


def bare_text(path: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            n += len(page.extract_text() or "")
            page.close()
    return n


def parse(path: Path) -> int:
    import govreport

    return len(govreport.parse(path).facts)


def bench(path: Path, rounds: int) -> dict[str, tuple[float, float]]:
    """{"cpu": (parse, bare), "wall": (parse, bare)} medians in seconds."""
    parse(path)  # warm-up: plugin loading, OpenCC, jieba, regex compilation
    bare_text(path)
    times: dict[str, dict[str, list[float]]] = {"cpu": {"parse": [], "bare": []},
                                                "wall": {"parse": [], "bare": []}}
    for i in range(rounds):
        order = (parse, bare_text) if i % 2 == 0 else (bare_text, parse)
        for fn in order:
            c0, w0 = time.process_time(), time.perf_counter()
            fn(path)
            c1, w1 = time.process_time(), time.perf_counter()
            which = "parse" if fn is parse else "bare"
            times["cpu"][which].append(c1 - c0)
            times["wall"][which].append(w1 - w0)
    return {k: (statistics.median(v["parse"]), statistics.median(v["bare"])) for k, v in times.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--target", type=float, default=1.25)
    args = ap.parse_args(argv)
    pdfs = args.pdfs or (sorted(SHARED.glob("*.pdf")) if SHARED.is_dir() else [])
    pdfs = [p for p in pdfs if p.is_file()]
    if not pdfs:
        print(f"no PDFs to time (shared corpus not found at {SHARED}); skipped")
        return 0
    totals = {"cpu": [0.0, 0.0], "wall": [0.0, 0.0]}
    for p in pdfs:
        res = bench(p, args.rounds)
        for k, (tp, tb) in res.items():
            totals[k][0] += tp
            totals[k][1] += tb
        (cp, cb), (wp, wb) = res["cpu"], res["wall"]
        print(f"{p.name:24s} cpu: parse {cp * 1000:7.1f} ms  extract_text {cb * 1000:7.1f} ms  "
              f"ratio {cp / cb:4.2f}   wall: {wp * 1000:7.1f} / {wb * 1000:7.1f} ms  ratio {wp / wb:4.2f}")
    ratio = totals["cpu"][0] / totals["cpu"][1]
    wall = totals["wall"][0] / totals["wall"][1]
    verdict = "ok" if ratio <= args.target else f"over the target {args.target}"
    print(f"overall ratio {ratio:.2f} cpu, {wall:.2f} wall ({verdict}; medians of "
          f"{args.rounds} interleaved rounds)")
    return 0 if ratio <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
