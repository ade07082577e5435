"""The quick check of a fact's data gives the full walk's verdict on any data."""
from __future__ import annotations

import math
import random

from govreport.isolation import _plain, _structural, fact_problem
from govreport.model import Fact


def _random_value(rng: random.Random, depth: int = 0):
    leaves = [None, True, 0, -7, 2**63 - 1, 2**63, -(2**63) - 1, 1.5, math.nan, math.inf,
              "文本", "", object(), b"bytes", {1, 2}]
    if depth > 3 or rng.random() < 0.4:
        return rng.choice(leaves)
    if rng.random() < 0.5:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = ["page", "bbox", "kind", 3, ("t",)]
    return {rng.choice(keys): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def test_quick_yes_only_for_what_the_full_walk_accepts():
    rng = random.Random(5)
    plain = 0
    for _ in range(4000):
        value = _random_value(rng)
        if _plain(value, 0):
            plain += 1
            assert _structural(value) == []
    assert plain > 500


def test_fact_verdicts_unchanged_by_the_quick_check():
    rng = random.Random(8)
    for _ in range(2000):
        fact = Fact(key="k", value=_random_value(rng), provenance={"page": _random_value(rng)})
        full = _structural({"value": fact.value, "provenance": fact.provenance})
        got = fact_problem(fact)
        assert (got is None) == (full == []), (fact, got, full)


def test_cycles_and_deep_nesting_go_to_the_full_walk():
    loop: list = []
    loop.append(loop)
    deep: list = []
    cur = deep
    for _ in range(300):
        cur.append([])
        cur = cur[0]
    for value in (loop, deep):
        assert not _plain(value, 0)
        assert fact_problem(Fact(key="k", value=value, provenance={})) is not None
