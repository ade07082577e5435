"""How much `import govreport` adds to interpreter start-up (target: ≤ 0.3 s).

Runs a bare interpreter and one that imports govreport, interleaved, and prints the
medians and the difference. pdfplumber, opencc and jieba must load lazily for this to pass.

    python benchmarks/bench_import.py [--rounds 20]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def run(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    bare, full = [], []
    for _ in range(args.rounds):
        bare.append(run("pass"))
        full.append(run("import govreport"))
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, govreport; print(sorted(m for m in "
         "('pdfplumber', 'opencc', 'jieba', 'lxml', 'docx') if m in sys.modules))"],
        check=True, capture_output=True, text=True).stdout.strip()
    b, f = statistics.median(bare), statistics.median(full)
    print(f"bare interpreter {b:.3f}s, with import govreport {f:.3f}s, "
          f"added {f - b:.3f}s (target ≤ 0.300s); heavy modules loaded at import: {heavy}")
    return 0 if f - b <= 0.3 else 1


if __name__ == "__main__":
    sys.exit(main())
