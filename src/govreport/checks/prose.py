"""Built-in validator of the prose facts (pre-2019 ``legacy.*`` and the 信息处理费 of section 六).

Rules LEGACY-SUM and FEE-1; what each must hold is data in :mod:`govreport.schema`
(listed in docs/extracts.md, "Checks").

A rule whose facts are absent is not assessable and stays silent.  Checks are findings about
the report: values are never changed.  (``MISSING`` — a sentence without its number — and
``TXT-TABLE`` between a sentence and a pre-2019 statistics table are yielded by the prose
extractor, which sees the sentences.)
"""
from __future__ import annotations

import govreport
from govreport.model import Check
from govreport.schema import PROSE_CHANNELS, PROSE_FACTS

CHANNELS = PROSE_CHANNELS
OUTCOMES = tuple(f["key"] for f in PROSE_FACTS if f["key"].startswith("legacy.responses."))


def _num(facts: dict, key: str):
    v = facts.get(key)
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


class ProseChecks:
    name = "prose-checks"

    def check(self, report):
        facts = report.facts
        yield from self._legacy(facts)
        yield from self._fees(facts)

    def _legacy(self, facts):
        received = _num(facts, "legacy.requests.received")
        closed = _num(facts, "legacy.requests.closed")
        on_time = _num(facts, "legacy.requests.closed_on_time")
        channels = [_num(facts, k) for k in CHANNELS]
        if received is not None and all(v is not None for v in channels) \
                and sum(channels) != received:
            yield Check("LEGACY-SUM", "warning", ["legacy.requests.received", *CHANNELS],
                        f"requests by channel add up to {sum(channels)}, "
                        f"but {received} requests were received")
        if received is not None and closed is not None and closed > received:
            yield Check("LEGACY-SUM", "warning",
                        ["legacy.requests.closed", "legacy.requests.received"],
                        f"{closed} requests closed but only {received} received")
        if closed is not None and on_time is not None and on_time > closed:
            yield Check("LEGACY-SUM", "warning",
                        ["legacy.requests.closed_on_time", "legacy.requests.closed"],
                        f"{on_time} requests closed on time but only {closed} closed")
        outcomes = {k: _num(facts, k) for k in OUTCOMES if _num(facts, k) is not None}
        if closed is not None and outcomes and sum(outcomes.values()) > closed:
            yield Check("LEGACY-SUM", "warning", ["legacy.requests.closed", *outcomes],
                        f"answers by outcome add up to {sum(outcomes.values())}, "
                        f"more than the {closed} requests closed")

    def _fees(self, facts):
        collected = _num(facts, "info_fee.collected_amount_yuan")
        count = _num(facts, "info_fee.notices_count")
        amount = _num(facts, "info_fee.notices_amount_yuan")
        unpaid = _num(facts, "requests.other.fee_unpaid.total")
        if collected is not None and amount is not None and collected > amount:
            yield Check("FEE-1", "warning",
                        ["info_fee.collected_amount_yuan", "info_fee.notices_amount_yuan"],
                        f"信息处理费 collected ({collected} 元) exceeds the amount of the "
                        f"fee notices ({amount} 元)")
        if count is not None and count > 0 and amount is not None and amount <= 0:
            yield Check("FEE-1", "warning",
                        ["info_fee.notices_count", "info_fee.notices_amount_yuan"],
                        f"{count} fee notices sent for a total of {amount} 元")
        if unpaid is not None and unpaid > 0 and count is not None and count == 0:
            yield Check("FEE-1", "warning",
                        ["requests.other.fee_unpaid.total", "info_fee.notices_count"],
                        f"{unpaid} requests dropped for unpaid fees, but no fee notice "
                        f"was sent")


@govreport.hookimpl
def govreport_register_checks(register):
    register(ProseChecks())
