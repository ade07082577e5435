"""Derived measures of one report (实质公开率, 不予公开率, 复议纠错率, 诉讼败诉率 …), defined once.

The definitions are data (``govreport/data/rates.json``): each measure has a name, labels,
one or more *forms* (the era it applies to, the fact keys it adds up, or a numerator and a
denominator) and its caveats. This module evaluates them; the ``govreport-metrics`` plugin,
``govreport compare`` and the cross-year checks all read the same definitions, so a rate
means the same thing everywhere.

A measure is ``None`` when a fact it needs is missing or printed blank (a blank cell is
not 0), and a rate is ``None`` — *not applicable*, never 0 % or 100 % — when its
denominator is 0. :func:`explain` says which of these happened.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

Number = int | float

#: explain() statuses
OK, MISSING, NOT_APPLICABLE = "ok", "missing", "not_applicable"


@dataclass(frozen=True)
class Form:
    """One way of computing a measure: ``sum`` (a count) or ``numerator``/``denominator``."""

    era: str
    sum: tuple[str, ...] = ()
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    """A derived count or rate as defined in ``data/rates.json``."""

    name: str
    kind: str  # "count" | "rate"
    label_zh: str
    label_en: str
    forms: tuple[Form, ...]
    caveats: tuple[str, ...] = field(default=())

    @property
    def eras(self) -> list[str]:
        return list(dict.fromkeys(f.era for f in self.forms))


@lru_cache(maxsize=1)
def measures() -> tuple[Measure, ...]:
    """Every measure of ``data/rates.json``, in file order (a measure may use earlier ones)."""
    raw = json.loads(resources.files("govreport").joinpath("data/rates.json")
                     .read_text(encoding="utf-8"))
    out: list[Measure] = []
    known: set[str] = set()
    for spec in raw["measures"]:
        forms = tuple(Form(era=f.get("era", "any"), sum=tuple(f.get("sum", ())),
                           numerator=tuple(f.get("numerator", ())),
                           denominator=tuple(f.get("denominator", ()))) for f in spec["forms"])
        for form in forms:
            for term in (*form.sum, *form.numerator, *form.denominator):
                if term.startswith("=") and term[1:] not in known:
                    raise ValueError(f"rates.json: {spec['name']} uses {term} before it is defined")
        out.append(Measure(spec["name"], spec["kind"], spec["label_zh"], spec["label_en"], forms,
                           tuple(spec.get("caveats", ()))))
        known.add(spec["name"])
    return tuple(out)


def measure(name: str) -> Measure:
    """The definition called ``name`` (KeyError if there is none)."""
    for m in measures():
        if m.name == name:
            return m
    raise KeyError(name)


def _number(value: Any) -> Number | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _sum(terms: tuple[str, ...], facts: Mapping[str, Any], done: Mapping[str, Any]) -> Number | None:
    total: Number = 0
    for term in terms:
        value = _number(done.get(term[1:]) if term.startswith("=") else facts.get(term))
        if value is None:
            return None
        total += value
    return total


def explain(facts: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every measure for one report's facts: ``{name: {"value", "status", "era",
    "numerator", "denominator"}}`` — status ``ok``, ``missing`` (a needed fact is absent or
    blank) or ``not_applicable`` (denominator 0)."""
    values: dict[str, Any] = {}
    out: dict[str, dict[str, Any]] = {}
    for m in measures():
        entry: dict[str, Any] = {"value": None, "status": MISSING, "era": None}
        for form in m.forms:
            if m.kind == "count":
                total = _sum(form.sum, facts, values)
                if total is not None:
                    entry = {"value": total, "status": OK, "era": form.era}
                    break
                continue
            num, den = _sum(form.numerator, facts, values), _sum(form.denominator, facts, values)
            if num is None or den is None:
                continue
            entry = {"value": num / den if den else None, "status": OK if den else NOT_APPLICABLE,
                     "era": form.era, "numerator": num, "denominator": den}
            break
        values[m.name] = entry["value"]
        out[m.name] = entry
    return out


def compute(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Every measure's value (``None`` when missing or not applicable), in definition order."""
    return {name: entry["value"] for name, entry in explain(facts).items()}


def rate_names() -> list[str]:
    """The names of the measures that are rates (ratios), in definition order."""
    return [m.name for m in measures() if m.kind == "rate"]
