"""The paraphrase benchmark (benchmarks/paraphrase.py) holds its floors: generated
sentences of every prose fact kind — other verbs, objects, orders, negations, measure
words, numerals, punctuation, Traditional script — are read (recall ≥ 98 %), and no
look-alike (cumulative, per-channel, information by class, approximate, outcome negation,
another year, other fees) is taken as a fact."""
from __future__ import annotations

from pathlib import Path

import pytest

from govreport.plugins import import_file

BENCH = import_file("paraphrase_bench", Path(__file__).parents[1] / "benchmarks" / "paraphrase.py")


@pytest.fixture(scope="module")
def result():
    return BENCH.evaluate(BENCH.cases(seed=11, per_kind=60))


def test_every_kind_has_cases_and_lookalikes():
    all_cases = BENCH.cases(seed=11, per_kind=60)
    kinds = {c.kind.split("/")[0] for c in all_cases if not c.lookalike}
    assert {"proactive.items", "legacy.requests.received", "zero", "info_fee.amount"} <= kinds
    assert sum(c.lookalike for c in all_cases) >= 100
    assert any("/trad" in c.kind for c in all_cases)


def test_recall_floor(result):
    missed = [f"{c.kind}: {c.text} -> {d}" for c, d in result.misses if not c.lookalike]
    assert result.recall >= 0.98, "\n".join(missed[:20])


def test_no_lookalike_taken(result):
    taken = [f"{c.kind}: {c.text} -> {d}" for c, d in result.misses if c.lookalike]
    assert result.taken == 0, "\n".join(taken)


def test_a_lookalike_taken_is_counted():
    """The benchmark can fail: a cumulative count the reader dropped, marked as expected."""
    case = BENCH.Case("probe", "截至目前，我局累计主动公开政府信息500条。", "proactive",
                      BENCH.PRE, {"proactive.items": 500})
    res = BENCH.evaluate([case])
    assert res.recalled == 0 and res.recall == 0.0
