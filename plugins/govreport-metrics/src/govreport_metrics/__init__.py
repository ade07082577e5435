"""govreport-metrics: derived research metrics per report (a govreport plugin).

Implements one hook, ``govreport_report_extras``: after a report is parsed, govreport's
measures (``govreport.rates``, defined in ``govreport/data/rates.json``) are computed from its facts and added under ``report.plugins["govreport-metrics"]``
as a flat dict (batch output turns each field into a CSV column
``plugins.govreport-metrics.<field>``).

A figure is ``None`` when its denominator is 0 or when a fact it needs is absent or
printed blank (``None``): a blank cell is not guessed to be 0.

Use :func:`compute_metrics` directly on a facts dict, e.g. over a batch's JSON Lines.
"""
from __future__ import annotations

from typing import Any, Mapping

import govreport
from govreport.schema import APPLICANT_COLUMNS, T3_ROWS

__version__ = "0.1.0"

#: The registered plugin name (= the entry point name in pyproject.toml).
PLUGIN_NAME = "govreport-metrics"

#: The table 三 denial reasons and legal-person applicant columns, from govreport's schema.
DENIAL_REASONS = tuple(r.key.split(".", 1)[1] for r in T3_ROWS["2021"] if r.group == "denied")
LEGAL_PERSON_COLUMNS = tuple(c for c in APPLICANT_COLUMNS if c != "natural_person")


def compute_metrics(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The metrics for one report's facts (fact keys, docs/reference/facts.md) — a flat dict, always with the
    same fields, in a stable order.

    The fields and their formulas are govreport's own measures
    (``govreport/data/rates.json``, evaluated by :func:`govreport.rates.compute`): this
    plugin publishes them, it does not define them.
    """
    from govreport.rates import compute

    return compute(facts)


@govreport.hookimpl
def govreport_requires_api():
    return 1


@govreport.hookimpl
def govreport_report_extras(report):
    return compute_metrics(report.facts)
