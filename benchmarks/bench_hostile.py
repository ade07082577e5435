"""The hostile-input trials of docs/reliability.md: each generated attack file parsed by
``govreport parse FILE`` with no options (the default limits), in a child process.

    python benchmarks/bench_hostile.py                 # every class at full size
    python benchmarks/bench_hostile.py --scale 0.1     # quicker, smaller files
    python benchmarks/bench_hostile.py --markdown      # the table for the docs page

Prints one row per trial: input, size, exit code, wall seconds, peak RSS (MiB, from
wait4 on the parse process) and the one-line message. The baseline row parses a
generated well-formed report the same way, so the figures compare within one run.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _hostile import GENERATORS, run_cli, write  # noqa: E402


def _baseline(folder: Path) -> Path:
    from govreport.fixtures import default_spec, render_text

    path = folder / "baseline-report.txt"
    path.write_text(render_text(default_spec()), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="size factor of the costly files")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    ap.add_argument("names", nargs="*", help="only these classes (default: all)")
    args = ap.parse_args(argv)
    names = args.names or list(GENERATORS)
    rows = []
    with tempfile.TemporaryDirectory(prefix="govreport-hostile-") as tmp:
        folder = Path(tmp)
        trials = [("baseline (a well-formed report)", _baseline(folder))]
        for name in names:
            trials.append((name, write(name, folder, args.scale)))
        for label, path in trials:
            size = path.stat().st_size
            code, err, wall, rss = run_cli(["parse", str(path)], timeout=600)
            message = err.strip().replace(str(path), "FILE") or "(report parsed)"
            rows.append((label, size, code, wall, rss, message))
            if not args.markdown:
                print(f"{label:32} {size:>11,} B  exit {code}  {wall:6.1f} s  {rss:7.0f} MiB  "
                      f"{message[:110]}", flush=True)
            path.unlink()
    if args.markdown:
        print("| input | size | exit | wall (s) | peak RSS (MiB) | message |")
        print("|---|---:|---:|---:|---:|---|")
        for label, size, code, wall, rss, message in rows:
            msg = message.replace("govreport: error: ", "").replace("|", "\\|")
            if len(msg) > 120:
                msg = msg[:117] + "…"
            print(f"| {label} | {size:,} | {code} | {wall:.1f} | {rss:.0f} | {msg} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
