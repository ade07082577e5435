"""Benchmark the cross-report checks over a batch folder of 10,000 reports' records.

    .venv/bin/python benchmarks/bench_crosscheck.py [--reports 10000] [--years 5] [--json]

One generated report is parsed once; its record (``Report.to_dict()``, provenance and
narrative included, so each line is as large as a real one) is copied into ``--reports``
records of ``reports / years`` offices over ``years`` years, with the request counts
varied per office-year (the carry-over chain kept, except for 1 % broken links and a few
jumps, so every rule has something to find). They are written as a batch folder's
reports.jsonl. Timed (wall clock and CPU time of this process — on a shared machine the CPU time is
the steadier figure), in the same run:

- baseline: reading and JSON-decoding reports.jsonl (the least any pass over it costs);
- checks: ``run_checks(folder)`` (read + group + every built-in rule);
- compare: ``office_series`` for one office;
- re-parse estimate: the parse time of the generated report × the number of reports —
  what the checks would cost if they parsed the sources again.
"""
from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import govreport
from govreport.crossyear import run_checks, summary
from govreport.outputs import iter_lines
from govreport.testing import make_series


def _records(template: dict, reports: int, years: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    offices = reports // years
    for o in range(offices):
        issuer = f"测试市第{o}局"
        carried = 0
        base = rng.randint(5, 400)
        for y in range(2019, 2019 + years):
            rec = copy.deepcopy(template)
            rec["source"] = {**rec["source"], "path": f"/archive/{o}/{y}.pdf",
                             "sha256": f"{o:08d}{y}"}
            rec["meta"] = {**rec["meta"], "issuer": issuer, "issuer_canonical": issuer,
                           "year": y, "title": f"{issuer}{y}年政府信息公开工作年度报告"}
            facts = rec["facts"]
            received = int(base * rng.uniform(0.7, 1.4)) * (8 if rng.random() < 0.01 else 1)
            forward = rng.randint(0, 10)
            over = carried if rng.random() > 0.01 else carried + 3
            facts["requests.new_received.total"] = received
            for col in ("natural_person", "total"):  # the other applicant columns stay 0
                facts[f"requests.carried_over.{col}"] = over
                facts[f"requests.carried_forward.{col}"] = forward
            facts["requests.granted.total"] = received // 2
            facts["requests.total_processed.total"] = received + over - forward
            carried = forward
            out.append(rec)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        generated = make_series(Path(tmp) / "src", [2023])[0]
        t0 = time.perf_counter()
        template = govreport.parse(generated.path).to_dict()
        t0 = time.perf_counter()
        for _ in range(5):
            govreport.parse(generated.path)
        parse_s = (time.perf_counter() - t0) / 5

        out = Path(tmp) / "out"
        out.mkdir()
        records = _records(template, args.reports, args.years)
        with open(out / "reports.jsonl", "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        size_mb = (out / "reports.jsonl").stat().st_size / 1e6
        del records

        t0, c0 = time.perf_counter(), time.process_time()
        n = sum(1 for _, line in iter_lines(out / "reports.jsonl") if json.loads(line))
        baseline_s, baseline_cpu = time.perf_counter() - t0, time.process_time() - c0

        t0, c0 = time.perf_counter(), time.process_time()
        found = run_checks(out)
        checks_s, checks_cpu = time.perf_counter() - t0, time.process_time() - c0

        from govreport.comparison import office_series
        from govreport.records import load_records

        recs = load_records(out)
        t0 = time.perf_counter()
        office_series(recs, "测试市第1局", cross_checks=[])
        series_s = time.perf_counter() - t0

    result = {"reports": n, "jsonl_mb": round(size_mb, 1),
              "baseline_read_s": round(baseline_s, 2), "checks_s": round(checks_s, 2),
              "baseline_read_cpu_s": round(baseline_cpu, 2), "checks_cpu_s": round(checks_cpu, 2),
              "checks_over_baseline": round(checks_s / baseline_s, 2),
              "reports_per_s": round(n / checks_s),
              "office_series_s": round(series_s, 3),
              "parse_s_per_report": round(parse_s, 4),
              "reparse_estimate_s": round(parse_s * n, 1),
              "speedup_vs_reparse": round(parse_s * n / checks_s, 1),
              "findings": summary(found)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for k, v in result.items():
            print(f"{k:22} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
