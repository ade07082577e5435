"""Built-in extractor of the facts that reports state in sentences (SCHEMA §3).

Pre-2019 reports state every number in prose, in agency-chosen wording; post-2019 reports
still state some there (the year's count of proactively published items, the 信息处理费 of
section 六).  This plugin reads every section, collects candidates with the phrasing
families of :mod:`prose_rules` and the statistics attachments of :mod:`prose_stats`,
decides report-wide which candidate states each fact, and yields each fact from the
section that states it, with the sentence as written as provenance.

Decisions, in order:

- the best candidate of a key wins (an unscoped "主动公开政府信息N条" beats "其中各乡镇…",
  a number beats a fallback wording), then the first in the report;
- a statistics-table value is used when no sentence states the key; when both exist and
  disagree the sentence wins and a ``TXT-TABLE`` check says so; request channels the
  table gives but the prose implies are 0 (the prose channels add up to the total) are
  dropped when they disagree;
- a sentence that names a count but prints none yields a ``MISSING`` check, never a number;
- era: ``legacy.*`` and ``fees.*`` keys only for pre-2019 reports, ``info_fee.*`` only for
  post-2019 ones; in post-2019 reports ``review.total`` belongs to table 四 and prose adds
  only a "none happened" zero when the table gave nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import govreport

from . import prose_rules as rules
from .prose_stats import table_values
from .prose_text import Flat, Sentence, flatten, sentences

CHANNEL_KEYS = ("legacy.requests.in_person", "legacy.requests.online",
                "legacy.requests.letter", "legacy.requests.fax", "legacy.requests.email")
_PLAN_ATTR = "_govreport_prose_plan"


@dataclass
class _SectionScan:
    section: Any
    flat: Flat
    sentences: list[Sentence]
    table: dict = field(default_factory=dict)
    table_span: tuple[int, int] | None = None


@dataclass
class _Planned:
    facts: list[tuple[str, Any, tuple[int, int], dict]] = field(default_factory=list)
    checks: list[tuple[str, str, list[str]]] = field(default_factory=list)


def _sentence_span(scan: _SectionScan, sentence: Sentence) -> tuple[int, int]:
    return scan.flat.span(sentence.start, sentence.end)


def _clip(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def scan_sections(all_sections: list, era: str, year: int | None = None) -> tuple[list[_SectionScan], list, list]:
    """Candidates and missing-number findings of every section."""
    scans: list[_SectionScan] = []
    cands: list[rules.Candidate] = []
    missing: list[rules.Missing] = []
    order = 0
    for idx, section in enumerate(all_sections):
        flat = flatten(section.text or "")
        title = getattr(section, "title", "") or ""
        if title and flat.text.replace(" ", "").startswith(title):
            # the heading runs into the first sentence in flattened dumps
            cut, seen = 0, 0
            while cut < len(flat.text) and seen < len(title):
                seen += flat.text[cut] != " "
                cut += 1
            flat.breaks.add(cut)
        scan = _SectionScan(section, flat, sentences(flat))
        if era == "pre2019":
            scan.table, scan.table_span = table_values(flat.text)
        scans.append(scan)
        for sent in scan.sentences:
            if scan.table_span and sent.end > scan.table_span[0] and sent.start < scan.table_span[1]:
                continue
            found: list[rules.Candidate] = []
            pro, miss = rules.proactive(sent, section.key, era, year)
            found += pro
            if era == "pre2019":
                found += rules.requests(sent, section.key)
            found += rules.review(sent, section.key, era)
            found += rules.fees(sent, section.key, era)
            miss += rules.missing(sent)
            for c in found:
                c.section_index, c.order = idx, order
                order += 1
                cands.append(c)
            flagged: set[int] = set()  # sentence starts already reported
            for mm in miss:
                if mm.sentence.start in flagged:
                    # one finding per sentence; keep the one that names a key
                    continue
                flagged.add(mm.sentence.start)
                mm.section_index = idx
                missing.append(mm)
    return scans, cands, missing


def _allowed(key: str, era: str, c: rules.Candidate, table_facts: dict) -> bool:
    if era == "pre2019":
        return not key.startswith("info_fee.")
    if key.startswith(("legacy.", "fees.")):
        return False
    if key == "review.total":
        return c.evidence == "negation" and "review.total" not in table_facts
    if key == "litigation.total":
        return c.evidence == "negation"
    return True


def make_plan(all_sections: list, era: str, known_facts: dict,
              year: int | None = None) -> dict[int, _Planned]:
    scans, cands, missing = scan_sections(all_sections, era, year)
    plan: dict[int, _Planned] = {id(s.section): _Planned() for s in scans}

    # 1. best prose candidate per key
    chosen: dict[str, rules.Candidate] = {}
    for c in sorted(cands, key=lambda c: (c.priority, c.section_index, c.order)):
        if c.key in chosen or not _allowed(c.key, era, c, known_facts):
            continue
        chosen[c.key] = c
    values: dict[str, Any] = {k: c.value for k, c in chosen.items()}

    def add_fact(scan: _SectionScan, key: str, value: Any, span: tuple[int, int], **extra):
        plan[id(scan.section)].facts.append((key, value, span, extra))

    for key, c in chosen.items():
        scan = scans[c.section_index]
        a, b = _sentence_span(scan, c.sentence)
        num = scan.flat.span(c.start, c.end)
        add_fact(scan, key, c.value, (a, b), evidence=c.evidence, value_span=list(num))

    # 2. statistics tables (pre-2019)
    for scan in scans:
        if not scan.table:
            continue
        checks = plan[id(scan.section)].checks
        table_certain = {k: (v, row) for k, (v, row) in scan.table.items() if v is not None}
        prose_channels = {k: values[k] for k in CHANNEL_KEYS if k in values}
        received = values.get("legacy.requests.received")
        if received is None and "legacy.requests.received" in table_certain:
            received = table_certain["legacy.requests.received"][0]
        complete = bool(prose_channels) and received is not None and \
            sum(prose_channels.values()) == received
        for key, (v, row) in table_certain.items():
            if key in values or key in (known_facts or {}):
                have = values.get(key, (known_facts or {}).get(key))
                if have != v and not (isinstance(have, (int, float)) and have == v):
                    checks.append(("TXT-TABLE", f"{key}: the text states {have!r}, the "
                                   f"statistics table {v!r} (row {row.label!r})", [key]))
                continue
            if key in CHANNEL_KEYS and complete and v != 0:
                checks.append(("TXT-TABLE", f"{key}: the statistics table gives {v!r} but the "
                               f"request channels in the text already add up to {received}",
                               [key]))
                continue
            plan[id(scan.section)].facts.append(
                (key, v, scan.flat.span(row.start, row.end),
                 {"evidence": "table", "row": row.label, "col": "本年度"}))
            values[key] = v
        for prose_key, table_key in (("review.total", "legacy.review.total"),
                                     ("litigation.total", "legacy.litigation.total")):
            if prose_key in values and table_key in table_certain and \
                    values[prose_key] != table_certain[table_key][0]:
                checks.append(("TXT-TABLE", f"{prose_key}: the text states "
                               f"{values[prose_key]!r}, the statistics table "
                               f"{table_certain[table_key][0]!r}", [prose_key, table_key]))

    # 3. sentences that name a count but print no number
    for mm in missing:
        scan = scans[mm.section_index]
        plan[id(scan.section)].checks.append(
            ("MISSING", f"{scan.section.key}: the sentence names a count but prints no "
             f"number: «{_clip(mm.sentence.text)}»", list(mm.keys)))
    return plan


class ProseFacts:
    """Facts stated in sentences, and the pre-2019 statistics attachments."""

    name = "prose"
    sections = "*"

    def extract(self, section, context):
        report = context.report
        plan = getattr(report, _PLAN_ATTR, None)
        if plan is None:
            all_sections = list(context.sections)
            if all(s is not section for s in all_sections):
                all_sections.insert(0, section)
            year = context.meta.get("year")
            plan = make_plan(all_sections, context.meta.get("era") or "pre2019",
                             dict(context.facts), year if isinstance(year, int) else None)
            setattr(report, _PLAN_ATTR, plan)
        planned = plan.pop(id(section), None)
        if planned is None:
            return
        for key, value, span, extra in planned.facts:
            yield context.fact(key, value, span=span, **extra)
        for rule, message, keys in planned.checks:
            yield context.check(rule, message, keys, severity="warning")


@govreport.hookimpl
def govreport_register_extractors(register):
    register(ProseFacts())
