"""Benchmark the research layer: issuer/region resolution, dates, series and the SQLite
panel, against the parse time of the same reports (target: under 5% extra).

    .venv/bin/python benchmarks/bench_research.py [--corpus /work/shared/corpus]
                                                  [--repeat 3] [--rows 1000] [--json]

Measured in one run over the corpus reports (PDF, HTML, text, markdown):

- ``parse``: ``govreport.parse`` per report (it includes resolution and dates);
- ``resolution``: ``issuer_meta`` + ``date_meta`` alone on the same normalised text
  (what resolution adds to a parse), warm (the code lists loaded once per process —
  the one-time load is printed separately as ``cold load``);
- ``outputs``: the ``series.*`` columns of the panel row, and what ``--format sqlite``
  adds to a CSV export (``export_tables(["csv", "sqlite"])`` minus ``["csv"]``) per
  report;
- the SQLite file size per 1,000 reports (the corpus reports repeated to ``--rows``).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import govreport
from govreport.batch import discover, sniff

DEFAULT_CORPUS = Path(os.environ.get("GOVREPORT_CORPUS", "/work/shared/corpus"))


def _reports(corpus: Path) -> list[Path]:
    out = []
    for p in discover([corpus]):
        with open(p, "rb") as fh:
            if sniff(fh.read(65536), p)[0] is not None:
                out.append(Path(p))
    return out


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from govreport import regions
    from govreport.dates import date_meta
    from govreport.issuer import issuer_meta
    from govreport.normalize import normalize
    from govreport.outputs import REPORTS_JSONL, export_tables, report_row
    from govreport.readers import read_document

    files = _reports(args.corpus)
    if not files:
        print(f"no reports under {args.corpus}", file=sys.stderr)
        return 1
    t = time.perf_counter()
    regions.name_index(regions.revision_for(None))
    cold = time.perf_counter() - t

    reports = [govreport.parse(p) for p in files]  # warm-up (jieba, OpenCC, code lists)
    parse = _best(lambda: [govreport.parse(p) for p in files], args.repeat)
    texts = [(normalize(read_document(str(p)).text).text, r.meta, None) for p, r in zip(files, reports)]

    from govreport.issuer import full_form_in_text

    def resolve():
        full_form_in_text.cache_clear()  # as in a parse: every text is new
        for text, meta, created in texts:
            m = dict(meta)
            m.update(issuer_meta(meta.get("issuer"), meta.get("year"), text))
            m.update(date_meta(text, m, created))

    resolution = _best(resolve, args.repeat)
    dicts = [r.to_dict() for r in reports]

    def write_jsonl(folder: Path, n: int) -> None:
        with open(folder / REPORTS_JSONL, "w", encoding="utf-8") as fh:
            for i in range(n):
                d = dict(dicts[i % len(dicts)])
                d["source"] = dict(d["source"], path=f"{d['source']['path']}#{i}",
                                   sha256=f"{i:064x}")
                fh.write(json.dumps({"batch": {"input": d["source"]["path"]}, **d},
                                    ensure_ascii=False) + "\n")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_jsonl(folder, len(dicts))
        rows = _best(lambda: [report_row(d) for d in dicts], args.repeat)
        rows -= _best(lambda: [report_row(d, series=False) for d in dicts], args.repeat)
        csv_only = _best(lambda: export_tables(folder, ["csv"]), args.repeat)
        sqlite = _best(lambda: export_tables(folder, ["csv", "sqlite"]), args.repeat) - csv_only
        big = folder / "big"
        big.mkdir()
        write_jsonl(big, args.rows)
        t = time.perf_counter()
        export_tables(big, ["sqlite"])
        sqlite_rows = time.perf_counter() - t
        size = (big / "govreport.db").stat().st_size

    n = len(files)
    per = {"parse": parse / n, "resolution": resolution / n, "series_and_row": rows / n,
           "sqlite": sqlite / n}
    extra = per["resolution"] + per["series_and_row"] + per["sqlite"]
    result = {
        "reports": n, "cold_load_s": round(cold, 4),
        "ms_per_report": {k: round(v * 1000, 3) for k, v in per.items()},
        "extra_share_of_parse": round(extra / per["parse"], 4),
        "sqlite_bytes_per_1000_reports": round(size * 1000 / args.rows),
        "sqlite_seconds_per_1000_reports": round(sqlite_rows * 1000 / args.rows, 2),
        "median_facts_per_report": statistics.median(len(d["facts"]) for d in dicts),
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    ms = result["ms_per_report"]
    print(f"{n} corpus reports, best of {args.repeat}")
    print(f"  parse                 {ms['parse']:9.2f} ms/report (includes resolution and dates)")
    print(f"  resolution + dates    {ms['resolution']:9.2f} ms/report")
    print(f"  series columns        {ms['series_and_row']:9.2f} ms/report")
    print(f"  SQLite (beyond CSV)   {ms['sqlite']:9.2f} ms/report")
    print(f"  extra cost            {100 * result['extra_share_of_parse']:9.2f} % of parse time (target < 5 %)")
    print(f"  code lists cold load  {cold * 1000:9.1f} ms once per process")
    print(f"  SQLite size           {result['sqlite_bytes_per_1000_reports'] / 1e6:9.2f} MB per 1,000 reports "
          f"({result['sqlite_seconds_per_1000_reports']:.2f} s to write them)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
