"""Numbers read by OCR, judged by the recogniser's confidence and the report's own sums.

A number OCR read with low confidence is flagged (``OCR-LOW-CONFIDENCE``) unless the
report's arithmetic over it holds: the table 三 column balances and sums (T3-BAL,
T3-SUM, and the row sums T3-ROW) or the table 四 block sums (T4-SUM) were checked with
every value present and did not fail — then it is accepted (``OCR-ACCEPTED``, info). An OCR'd number inside a sum
that fails is flagged ``OCR-ARITHMETIC`` whatever its confidence: check it against the
scan. This validator only reads the report: it never changes or invents a value.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from govreport.model import Check, Report

#: below this recognition confidence a number is doubtful
LOW_CONFIDENCE = 0.9
ARITHMETIC_RULES = ("T3-BAL", "T3-SUM", "T3-ROW", "T4-SUM")
_T3_BALANCE = ("new_received", "carried_over", "total_processed", "carried_forward")
_T4_BLOCKS = ("review.", "litigation_direct.", "litigation_after_review.")


def _column_checked(facts: dict[str, Any], key: str) -> bool:
    """The arithmetic over ``key``'s table 三 column or table 四 block had all its values."""
    if key.startswith("requests."):
        col = key.rsplit(".", 1)[-1]
        return all(isinstance(facts.get(f"requests.{r}.{col}"), (int, float)) for r in _T3_BALANCE)
    for block in _T4_BLOCKS:
        if key.startswith(block):
            return isinstance(facts.get(block + "total"), (int, float))
    return False


class OcrConfidence:
    name = "ocr-confidence"

    def check(self, report: Report) -> Iterable[Check]:
        ocr = {k: p for k, p in report.provenance.items() if p.get("ocr")}
        if not ocr:
            return
        failing: dict[str, str] = {}
        for c in report.checks:
            if c.rule in ARITHMETIC_RULES:
                for k in c.keys:
                    failing.setdefault(k, c.rule)
        in_failing = sorted(k for k in ocr if k in failing)
        if in_failing:
            rules = sorted({failing[k] for k in in_failing})
            yield Check("OCR-ARITHMETIC", "error", in_failing,
                        f"{len(in_failing)} numbers read by OCR are in sums that do not add up "
                        f"({', '.join(rules)}): compare them with the scan")
        low = sorted(k for k, p in ocr.items()
                     if isinstance(p.get("confidence"), (int, float))
                     and p["confidence"] < LOW_CONFIDENCE and k not in failing)
        accepted = [k for k in low if isinstance(report.facts.get(k), (int, float))
                    and _column_checked(report.facts, k)]
        doubtful = [k for k in low if k not in accepted]
        if accepted:
            yield Check("OCR-ACCEPTED", "info", accepted,
                        f"{len(accepted)} numbers read by OCR with low confidence; the table's own "
                        f"arithmetic ({', '.join(ARITHMETIC_RULES)}) holds over them")
        if doubtful:
            yield Check("OCR-LOW-CONFIDENCE", "warning", doubtful,
                        f"{len(doubtful)} numbers read by OCR with confidence under "
                        f"{LOW_CONFIDENCE} and no sum to confirm them: compare them with the scan")
