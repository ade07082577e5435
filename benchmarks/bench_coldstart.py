#!/usr/bin/env python3
"""CPU of a one-shot ``govreport parse x.pdf`` in a fresh process (target: ≤ 0.5 s).

    python benchmarks/bench_coldstart.py [--rounds 15] [--target 0.5] [PDF ...]

Each round runs, interleaved, a bare interpreter (``python -c pass``) and one fresh
``govreport parse PDF`` per PDF (the console script's own entry point, output to
/dev/null). The CPU of each child (user + system) is the change of
``resource.getrusage(RUSAGE_CHILDREN)`` across its run. Prints the medians and the parse
minus the bare interpreter; exits 1 when a parse's median exceeds ``--target``.

The children run with ``PYTHONDONTWRITEBYTECODE`` unset and after one warm-up run each,
so they import from ``.pyc`` files as an installed package does: with the variable set
(this project's sandbox sets it) every import recompiles its module, ~0.1 s more.

Without arguments it uses the PDFs of the shared corpus (``../shared/corpus/*.pdf`` next
to the repository) and, when there are none, a generated fixture report.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "corpus"
PARSE = "import sys; from govreport.cli import console_main; sys.argv[0] = 'govreport'; console_main()"


def child_cpu(argv: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one child process running ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fixture_pdf(folder: Path) -> Path:
    from govreport.fixtures import default_spec, render_pdf

    return render_pdf(default_spec(), folder / "fixture-report.pdf")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--target", type=float, default=0.5, help="CPU seconds per parse")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = args.pdfs or sorted(SHARED.glob("*.pdf")) or [fixture_pdf(Path(tmp))]
        jobs = {"bare interpreter": [sys.executable, "-c", "pass"]}
        for pdf in pdfs:
            jobs[f"parse {pdf.name}"] = [sys.executable, "-c", PARSE, "parse", str(pdf)]
        for argv in jobs.values():  # warm-up: writes the .pyc files, fills the page cache
            child_cpu(argv, env)
        times: dict[str, list[float]] = {name: [] for name in jobs}
        names = list(jobs)
        for r in range(args.rounds):
            for name in names[r % len(names):] + names[:r % len(names)]:
                times[name].append(child_cpu(jobs[name], env))
    bare = statistics.median(times["bare interpreter"])
    print(f"{'bare interpreter':36} {bare:6.3f} s CPU (median of {args.rounds})")
    worst = 0.0
    for name in names[1:]:
        med = statistics.median(times[name])
        worst = max(worst, med)
        print(f"{name:36} {med:6.3f} s CPU, {med - bare:6.3f} s over the bare interpreter "
              f"(min {min(times[name]):.3f}, max {max(times[name]):.3f})")
    verdict = "ok" if worst <= args.target else "OVER"
    print(f"one-shot parse: worst median {worst:.3f} s CPU, target ≤ {args.target:.3f} s: {verdict}")
    return 0 if worst <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
