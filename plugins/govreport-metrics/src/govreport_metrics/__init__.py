"""govreport-metrics: derived research metrics per report (a govreport plugin).

Implements one hook, ``govreport_report_extras``: after a report is parsed, the rates
below are computed from its facts and added under ``report.plugins["govreport-metrics"]``
as a flat dict (batch output turns each field into a CSV column
``plugins.govreport-metrics.<field>``).

A figure is ``None`` when its denominator is 0 or when a fact it needs is absent or
printed blank (``None``): a blank cell is not guessed to be 0.

Use :func:`compute_metrics` directly on a facts dict, e.g. over a batch's JSON Lines.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import govreport
from govreport.schema import APPLICANT_COLUMNS, T3_ROWS

__version__ = "0.1.0"

#: The registered plugin name (= the entry point name in pyproject.toml).
PLUGIN_NAME = "govreport-metrics"



def _reasons(group: str) -> tuple[str, ...]:
    """The sub-rows of a table 三 group, from govreport's schema ("denied.state_secret" -> "state_secret")."""
    return tuple(r.key.split(".", 1)[1] for r in T3_ROWS["2021"] if r.group == group)


DENIAL_REASONS = _reasons("denied")
UNAVAILABLE_REASONS = _reasons("unavailable")
NOT_PROCESSED_REASONS = _reasons("not_processed")
LEGAL_PERSON_COLUMNS = tuple(c for c in APPLICANT_COLUMNS if c != "natural_person")



def _num(facts: Mapping[str, Any], key: str) -> int | float | None:
    value = facts.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _sum(facts: Mapping[str, Any], keys: Iterable[str]) -> int | float | None:
    """The sum of the facts, or None if any of them is missing or blank."""
    total: int | float = 0
    for key in keys:
        value = _num(facts, key)
        if value is None:
            return None
        total += value
    return total


def _ratio(numerator: int | float | None, denominator: int | float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _first(*values: int | float | None) -> int | float | None:
    return next((v for v in values if v is not None), None)


def compute_metrics(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The metrics for one report's facts (fact keys, docs/reference/facts.md) — a flat dict, always with the
    same fields, in a stable order."""
    out: dict[str, Any] = {}
    req = "requests."
    processed = _num(facts, "requests.total_processed.total")
    granted = _num(facts, "requests.granted.total")
    partial = _num(facts, "requests.partially_granted.total")
    out["requests_processed"] = processed
    out["disclosure_rate"] = _ratio(_sum(facts, [f"{req}granted.total",
                                                 f"{req}partially_granted.total"]), processed)
    out["grant_rate"] = _ratio(granted, processed)
    out["partial_grant_rate"] = _ratio(partial, processed)

    denied = _sum(facts, [f"{req}denied.{r}.total" for r in DENIAL_REASONS])
    out["denied_total"] = denied
    out["denial_rate"] = _ratio(denied, processed)
    for reason in DENIAL_REASONS:
        out[f"denial_share_{reason}"] = _ratio(_num(facts, f"{req}denied.{reason}.total"), denied)

    unavailable = _sum(facts, [f"{req}unavailable.{r}.total" for r in UNAVAILABLE_REASONS])
    out["unavailable_total"] = unavailable
    out["unavailable_rate"] = _ratio(unavailable, processed)
    not_processed = _sum(facts, [f"{req}not_processed.{r}.total" for r in NOT_PROCESSED_REASONS])
    out["not_processed_total"] = not_processed
    out["not_processed_rate"] = _ratio(not_processed, processed)

    out["legal_person_share"] = _ratio(
        _sum(facts, [f"{req}new_received.{c}" for c in LEGAL_PERSON_COLUMNS]),
        _num(facts, "requests.new_received.total"))

    out["review_correction_rate"] = _ratio(
        _num(facts, "review.corrected"),
        _sum(facts, ["review.upheld", "review.corrected", "review.other"]))
    blocks = ("litigation_direct", "litigation_after_review")
    out["litigation_correction_rate"] = _ratio(
        _sum(facts, [f"{b}.corrected" for b in blocks]),
        _sum(facts, [f"{b}.{c}" for b in blocks for c in ("upheld", "corrected", "other")]))

    lawsuits = _first(_sum(facts, [f"{b}.total" for b in blocks]),
                      _num(facts, "litigation.total"))
    disputes = _sum({"r": _num(facts, "review.total"), "l": lawsuits}, ["r", "l"])
    out["disputes_total"] = disputes
    out["dispute_conversion"] = _ratio(
        disputes, _first(_num(facts, "requests.new_received.total"),
                         _num(facts, "legacy.requests.received")))
    return out


@govreport.hookimpl
def govreport_requires_api():
    return 1


@govreport.hookimpl
def govreport_report_extras(report):
    return compute_metrics(report.facts)
