"""Accuracy split by kind (table cells, prose facts, meta, checks) and by corpus.

One big figure can hide a weak prose reader behind thousands of table cells, so this
prints each kind on its own, for three corpora:

- **real**: the reports in ``../shared/corpus`` against their hand-checked truth (the same
  comparison as ``../shared/eval/score.py``: a fact is right when its value is exact; an
  extra fact under a prefix the truth annotates completely is wrong);
- **paraphrase**: ``benchmarks/paraphrase.py`` (prose only; recall, and look-alikes taken);
- **generated**: reports rendered from :mod:`govreport.fixtures` specs, whose facts are
  known exactly (plain text and one-line dumps, both eras).

A fact is a *prose fact* when the catalogue says the prose extractor states it
(:func:`govreport.catalog.prose_facts`), a *table cell* otherwise.

    python benchmarks/accuracy_by_kind.py [--shared ../shared] [--generated 40]
"""
from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

import govreport
from govreport.catalog import prose_facts
from govreport.plugins import import_file

ROOT = Path(__file__).resolve().parents[1]


def _kind(key: str, prose: set[str]) -> str:
    return "prose facts" if key in prose else "table cells"


def real(shared: Path, prose: set[str]) -> tuple[Counter, Counter]:
    score = import_file("govreport_score", shared / "eval" / "score.py")
    ok, total = Counter(), Counter()
    for _name, truth in score.load_truths(shared / "truth", []):
        report = govreport.parse(shared / "corpus" / truth["file"])
        data = report.to_dict()
        facts = data["facts"]
        want = truth.get("facts") or {}
        for key, expected in want.items():
            kind = _kind(key, prose)
            total[kind] += 1
            ok[kind] += score.same(expected, facts.get(key))
        for prefix in truth.get("closed") or []:
            for key, got in facts.items():
                if key.startswith(prefix) and key not in want and got is not None:
                    total[_kind(key, prose)] += 1
        for key, expected in (truth.get("meta") or {}).items():
            got = data["meta"].get(key)
            total["meta"] += 1
            ok["meta"] += (score.issuer_matches(expected, got) if key == "issuer"
                           else score.same(expected, got))
        fired = {c["rule"] for c in data["checks"]}
        for rule in truth.get("checks") or []:
            total["checks"] += 1
            ok["checks"] += rule in fired
    return ok, total


def generated(n: int, prose: set[str]) -> tuple[Counter, Counter]:
    from govreport import fixtures as F

    ok, total = Counter(), Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(n):
            era = "pre2019" if seed % 2 else "post2019"
            spec = F.random_spec(seed, era, "2021" if seed % 4 else "2019")
            render = F.render_oneline if seed % 3 == 0 else F.render_text
            path = Path(tmp) / f"g{seed}.txt"
            path.write_text(render(spec), encoding="utf-8")
            facts = govreport.parse(path).facts
            for key, expected in F.expected_facts(spec).items():
                kind = _kind(key, prose)
                total[kind] += 1
                ok[kind] += facts.get(key) == expected
                wrong = key in facts and facts[key] != expected
                total[kind + " wrong"] += wrong
    return ok, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--generated", type=int, default=40)
    args = ap.parse_args()
    prose = {item.key for item in prose_facts()}
    rows = []
    if (args.shared / "truth").is_dir():
        ok, total = real(args.shared, prose)
        for kind in ("table cells", "prose facts", "meta", "checks"):
            rows.append(("real", kind, ok[kind], total[kind]))
    bench = import_file("paraphrase_bench", ROOT / "benchmarks" / "paraphrase.py")
    res = bench.evaluate(bench.cases())
    rows.append(("paraphrase", "prose facts", res.recalled, res.positives))
    rows.append(("paraphrase", "look-alikes taken", res.taken, res.lookalikes))
    ok, total = generated(args.generated, prose)
    for kind in ("table cells", "prose facts"):
        rows.append(("generated", kind, ok[kind], total[kind]))
        rows.append(("generated", kind + ": a value other than the truth's", total[kind + " wrong"],
                      total[kind]))
    print("| corpus | kind | right | of | % |\n|---|---|---|---|---|")
    for corpus, kind, good, of in rows:
        pct = f"{100 * good / of:.1f} %" if of else "n/a"
        print(f"| {corpus} | {kind} | {good} | {of} | {pct} |")
    print(json.dumps({f"{c}/{k}": [g, o] for c, k, g, o in rows}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
