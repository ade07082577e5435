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

__version__ = "0.1.0"

#: The registered plugin name (= the entry point name in pyproject.toml).
PLUGIN_NAME = "govreport-metrics"

DENIAL_REASONS = ("state_secret", "prohibited_by_law", "security_stability",
                  "third_party_rights", "internal_affairs", "process_info",
                  "enforcement_file", "admin_query")
LEGAL_PERSON_COLUMNS = ("commercial", "research", "social_welfare", "legal_services",
                        "other_org")


def compute_metrics(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The metrics for one report's facts (SCHEMA §3 keys) — a flat dict, always with the
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
