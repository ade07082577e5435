"""Benchmark ``govreport dashboard`` on a synthetic 10,000-report batch output folder.

    .venv/bin/python benchmarks/bench_dashboard.py [--reports 10000] [--json]

Records are real parses of generated reports (both eras, both table variants, text and
HTML), varied per copy — year, office type, a resolved or unresolved region, a
harmonised series, admitted problems with themes, check findings, a share of failures —
and written as a batch's ``reports.jsonl``/``errors.jsonl`` with their full provenance,
so the file is as large as a real batch's. Timed in the same run:

* the floor: ``json.loads`` of every line of reports.jsonl (what any reader of the
  folder must pay);
* the dashboard: reading the folder, counting, drawing every chart, writing the page.

Printed: both times, their ratio, the page size (the target: a few MB at 10,000
reports) and the reports.jsonl size.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import govreport
from govreport.testing import make_report
from govreport.view.dashboard import dashboard_html

PROVINCES = ["江苏省", "福建省", "上海市", "北京市", "浙江省", "广东省", "四川省", "湖北省"]
OFFICE_TYPES = ["people_government", "general_office", "department", "township", "zone"]
THEMES = ["队伍与培训", "制度机制", "依申请公开规范性", "公开内容深度广度", "政策解读与回应",
          "意识与重视", "平台建设", "主动公开时效"]
ERRORS = ["UnreadableError", "EncryptedError", "NoTextLayerError", "NotAReportError",
          "ParseTimeoutError"]


def _templates(folder: Path) -> list[dict]:
    out = []
    for i, (era, variant, kind) in enumerate([("post2019", "2021", "text"),
                                              ("post2019", "2019", "html"),
                                              ("pre2019", "2021", "text")]):
        gen = make_report(folder / str(i), kind=kind, era=era, variant=variant)
        out.append(govreport.parse(gen.path).to_dict())
    return out


def _vary(template: dict, n: int, rng: random.Random) -> dict:
    rec = json.loads(json.dumps(template))
    pre = rec["meta"].get("era") == "pre2019"
    year = rng.randint(2008, 2018) if pre else rng.randint(2019, 2025)
    resolved = rng.random() < 0.8
    rec["meta"].update(year=year, office_type=rng.choice(OFFICE_TYPES),
                       region={"province": rng.choice(PROVINCES),
                               "status": "resolved" if resolved else "ambiguous"})
    scale = rng.lognormvariate(0, 1)
    for key, value in rec["facts"].items():
        if isinstance(value, int) and not isinstance(value, bool):
            rec["facts"][key] = int(value * scale)
    received = rng.randint(0, 500)
    rec["series"] = {"requests_received": received, "requests_granted": rng.randint(0, received),
                     "reviews": rng.randint(0, 10), "lawsuits": rng.randint(0, 5)}
    rec["narrative"]["problem_themes"] = [
        {"text": f"问题{k}", "themes": rng.sample(THEMES, rng.randint(1, 3))}
        for k in range(rng.randint(0, 3))]
    rec["checks"] = [{"rule": rng.choice(["T3-BAL", "T3-SUM", "T3-ROW", "T4-SUM", "TXT-TABLE",
                                          "MISSING"]), "severity": "warning", "keys": [],
                      "message": "synthetic"} for _ in range(rng.choice([0, 0, 0, 1, 2]))]
    rec["source"]["path"] = f"archive/{n:05d}.txt"
    return {"batch": {"input": rec["source"]["path"], "sha256": f"{n:064x}"}, **rec}


def build(folder: Path, n: int, seed: int = 13) -> Path:
    rng = random.Random(seed)
    templates = _templates(folder / "gen")
    out = folder / "out"
    out.mkdir()
    with open(out / "reports.jsonl", "w", encoding="utf-8") as reps, \
            open(out / "errors.jsonl", "w", encoding="utf-8") as errs:
        for i in range(n):
            if rng.random() < 0.03:
                errs.write(json.dumps({"path": f"archive/{i:05d}.pdf", "type": rng.choice(ERRORS),
                                       "skipped": False}) + "\n")
                continue
            reps.write(json.dumps(_vary(rng.choice(templates), i, rng), ensure_ascii=False) + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = build(Path(tmp), args.reports)
        jsonl = out / "reports.jsonl"
        t0 = time.perf_counter()
        with open(jsonl, "rb") as fh:
            n = sum(1 for line in fh if json.loads(line))
        floor = time.perf_counter() - t0
        t0 = time.perf_counter()
        page = dashboard_html(out)
        (out / "dashboard.html").write_text(page, encoding="utf-8")
        seconds = time.perf_counter() - t0
        figures = {"reports": n, "reports_jsonl_mb": round(jsonl.stat().st_size / 1e6, 1),
                   "json_floor_s": round(floor, 2), "dashboard_s": round(seconds, 2),
                   "ratio_to_floor": round(seconds / floor, 2),
                   "page_mb": round(len(page.encode("utf-8")) / 1e6, 3),
                   "charts": page.count('<figure class="fig" id=')}
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{figures['reports']:,} reports, reports.jsonl {figures['reports_jsonl_mb']} MB")
        print(f"json.loads of every line (floor): {figures['json_floor_s']} s")
        print(f"dashboard (read, count, draw, write): {figures['dashboard_s']} s "
              f"= {figures['ratio_to_floor']}x the floor")
        print(f"page: {figures['page_mb']} MB, {figures['charts']} charts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
