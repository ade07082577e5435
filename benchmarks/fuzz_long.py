"""A longer local run of the mutation fuzzer (tests/test_fuzz_mutation.py).

    .venv/bin/python benchmarks/fuzz_long.py                 # 5 minutes, all targets
    .venv/bin/python benchmarks/fuzz_long.py --seconds 1800 --jobs 4 --targets pdf pdf-raw
    .venv/bin/python benchmarks/fuzz_long.py --start 100000  # other cases than last time

Targets are taken round-robin; each case is ``make_case(target, index, seed)``, so any
failure is reproducible from the printed target, index and seed (and the input is saved
under ``--save``). Case indices start at ``--start`` (default 10000, past the CI budget).
Prints, per target, the number of cases tried and how they ended (parsed / each typed
error / FAIL), the slowest case, and every failure. Exit status 1 if anything failed.
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import logging
import multiprocessing as mp
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_engine():
    spec = importlib.util.spec_from_file_location("govreport_fuzz_engine",
                                                  ROOT / "tests" / "test_fuzz_mutation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def worker(args: tuple) -> dict:
    wid, jobs, targets, seed, start, deadline, timeout, save = args
    logging.disable(logging.WARNING)  # pdfminer is chatty on broken files
    fz = load_engine()
    from govreport.pipeline import parse

    seeds = fz.seeds()
    parse(seeds["text"])  # warm up (jieba, OpenCC): not part of any case's time
    counts: dict[str, collections.Counter] = {t: collections.Counter() for t in targets}
    slowest: dict[str, tuple[float, int]] = {}
    failures: list[dict] = []
    k = 0
    while time.time() < deadline:
        index = start + k * jobs + wid
        for target in targets:
            if time.time() >= deadline:
                break
            o = fz.run_case(target, index, seed, timeout)
            counts[target][o.status] += 1
            if o.seconds > slowest.get(target, (0.0, 0))[0]:
                slowest[target] = (o.seconds, index)
            if o.failed:
                rec = {"target": target, "index": index, "seed": seed, "ops": o.ops,
                       "detail": o.detail, "seconds": round(o.seconds, 2)}
                if save:
                    data, _ = fz.make_case(target, index, seed)
                    f = Path(save) / f"{target}-{seed}-{index}.bin"
                    f.parent.mkdir(parents=True, exist_ok=True)
                    f.write_bytes(data)
                    rec["saved"] = str(f)
                failures.append(rec)
        k += 1
    return {"counts": {t: dict(c) for t, c in counts.items()}, "slowest": slowest, "failures": failures}


def main(argv: list[str] | None = None) -> int:
    fz = load_engine()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=300.0, help="how long to run (default 300)")
    ap.add_argument("--targets", nargs="+", default=sorted(fz.CI_BUDGET), choices=sorted(fz.CI_BUDGET))
    ap.add_argument("--seed", type=int, default=fz.FUZZ_SEED)
    ap.add_argument("--start", type=int, default=10_000, help="first case index (default 10000)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--timeout", type=float, default=fz.CASE_TIMEOUT,
                    help=f"seconds after which a case is a hang (default {fz.CASE_TIMEOUT:g})")
    ap.add_argument("--save", default="fuzz-failures", help="folder for failing inputs")
    ap.add_argument("--json", help="also write the summary as JSON to this file")
    args = ap.parse_args(argv)

    t0 = time.time()
    deadline = t0 + args.seconds
    jobs = max(1, args.jobs)
    tasks = [(w, jobs, args.targets, args.seed, args.start, deadline, args.timeout, args.save)
             for w in range(jobs)]
    if jobs == 1:
        results = [worker(tasks[0])]
    else:
        with mp.get_context("spawn").Pool(jobs) as pool:
            results = pool.map(worker, tasks)

    counts: dict[str, collections.Counter] = {t: collections.Counter() for t in args.targets}
    slowest: dict[str, tuple[float, int]] = {}
    failures: list[dict] = []
    for r in results:
        for t, c in r["counts"].items():
            counts[t].update(c)
        for t, s in r["slowest"].items():
            if s[0] > slowest.get(t, (0.0, 0))[0]:
                slowest[t] = tuple(s)
        failures += r["failures"]

    elapsed = time.time() - t0
    total = sum(sum(c.values()) for c in counts.values())
    print(f"fuzz_long: {total} cases in {elapsed:.0f} s ({jobs} job(s), seed {args.seed}, "
          f"indices from {args.start})")
    print(f"{'target':10} {'cases':>6} {'parsed':>7} {'typed errors':>13} {'FAIL':>5}  slowest")
    for t in args.targets:
        c = counts[t]
        n = sum(c.values())
        errors = sum(v for k, v in c.items() if k.startswith("error:"))
        s = slowest.get(t, (0.0, 0))
        print(f"{t:10} {n:6d} {c.get('parsed', 0):7d} {errors:13d} {c.get('FAIL', 0):5d}  "
              f"{s[0]:.1f} s (#{s[1]})")
    kinds = collections.Counter()
    for c in counts.values():
        kinds.update({k: v for k, v in c.items() if k.startswith("error:")})
    print("typed errors: " + ", ".join(f"{k[6:]} {v}" for k, v in kinds.most_common()))
    for f in failures:
        print(f"\nFAIL {f['target']}#{f['index']} (seed {f['seed']}) ops={f['ops']} {f['seconds']} s"
              + (f" saved {f['saved']}" if "saved" in f else ""))
        print("    " + f["detail"].replace("\n", "\n    "))
    print(f"\n{len(failures)} failure(s)")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "seconds": round(elapsed, 1), "jobs": jobs, "seed": args.seed, "start": args.start,
            "counts": {t: dict(c) for t, c in counts.items()}, "failures": failures,
        }, ensure_ascii=False, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
