"""Counts stated as none: "未收到政府信息公开申请" → 0, in every order the language allows.

A concept (requests received, review, litigation, fees collected, fees waived, the
信息处理费) is zero when a negation governs it in one clause:

- negation before the concept: 未收到…申请 / 没有发生…行政复议、行政诉讼 / 无收取信息处理费
  情况 / 至今未发生… ("none so far" is none this year too);
- concept before the negation: 政府信息公开申请为零 / 信息处理费：无 / 行政复议和行政诉讼
  案件数均为0 / 政府信息公开申请，本年度未收到;
- a negation of a concept's *outcome* is not a zero total: 没有行政复议被纠错 (blocked words
  in the data), nor is a clause that prints a count (the number rules read it).

Words come from the ``negation`` / ``requests`` / ``fees`` / ``review`` lists of
:mod:`prose_lexicon`; each zero comes with the span of its evidence.
"""
from __future__ import annotations

import functools
import re

from . import prose_lexicon as lex
from .prose_text import Sentence

_CUT = re.compile(r"[，,；;。！？!?]")


@functools.lru_cache(maxsize=1)
def _nouns() -> dict[str, re.Pattern[str]]:
    return {
        "requests": re.compile(
            r"(?:依申请公开|政府信息公开|信息公开|公开政府信息|政府信息|公开)(?:的)?(?:申请|请求)"
            r"(?!人|表|书|条件|方式|渠道|流程|行政复议|复议|行政诉讼|诉讼)"
            r"|依申请公开(?:政府信息)?(?:的)?(?:情况|事项|工作|业务|件)?(?![^，。；]{0,6}?(?:信息\d|\d))"),
        "review": re.compile(r"(?:行政)?复议(?!机关|机构)"),
        "litigation": re.compile(r"(?:行政)?诉讼(?!费)"),
        "fees": re.compile(r"(?:收取|收缴|征收|计收|收)(?:[^，。；,;\d]{0,16}?)(?:费用|费)(?!减免)"
                           r"|收费|费用"),
        "waived": re.compile(r"减免"),
        "complaints": re.compile(lex.alt("review/complaint_nouns")),
        "info_fee": re.compile(lex.alt("fees/info_fee_nouns")),
    }


@functools.lru_cache(maxsize=1)
def _negations() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    before = re.compile(lex.alt("negation/before") + r"(?:过|再|曾)?(?:任何)?")
    after = re.compile(
        r"(?:[:：]\s*)?(?:" + lex.alt("negation/after") + r")"
        r"|(?:本年度|全年|今年|本年|当年)?(?:均|都|也|一直|暂|至今|目前)?"
        + lex.alt("negation/before") + r"(?:" + lex.alt("negation/verbs") + r")")
    blocked = re.compile(lex.alt("negation/blocked"))
    return before, after, blocked


_RECEIVE = re.compile(r"收到|受理|接到|接收|接受|办理|收悉")


def _clauses(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _CUT.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if b > a]


def _prints_count(clause: str) -> bool:
    return re.search(r"[0-9０-９]\s*(?:件|条|起|宗|次|个|元|份|项)", clause) is not None


def zeros(sentence: Sentence, section_key: str = "") -> dict[str, tuple[int, int]]:
    """{concept: (start, end) of the evidence} for every concept the sentence says is none."""
    s = sentence.text
    nouns = _nouns()
    before, after, blocked = _negations()
    out: dict[str, tuple[int, int]] = {}
    spans = _clauses(s)
    for i, (a, b) in enumerate(spans):
        clause = s[a:b]
        if _prints_count(clause):
            continue
        # 1. negation before the concept
        for neg in before.finditer(clause):
            scope = clause[neg.start():]
            if lex.rx("negation/need_verb").fullmatch(neg.group(0).rstrip("过再曾任何")) and \
                    not re.match(r"(?:[向对给为在][^，。；]{0,10}?)?[^，。；]{0,3}?" + lex.alt("negation/verbs"),
                                 clause[neg.end():]):
                continue  # "未" negates a verb: "未收到", not "未经复议"
            if blocked.search(scope):
                break
            for concept, rx in nouns.items():
                m = rx.search(scope)
                if m and _fits(concept, scope, m, receive_needed=False, section_key=section_key):
                    out.setdefault(concept, (a + neg.start(), b))
            break
        # 2. concept before the negation (same clause, or the next one: "…申请，本年度未收到")
        tail = clause
        if i + 1 < len(spans) and not _prints_count(s[spans[i + 1][0]:spans[i + 1][1]]):
            nxt = s[spans[i + 1][0]:spans[i + 1][1]]
            if len(nxt) <= 16:
                tail = clause + "，" + nxt
        for concept, rx in nouns.items():
            if concept in out:
                continue
            for m in rx.finditer(tail):
                rest = tail[m.end():]
                said = after.search(rest, 0, 24)
                if said is None:
                    continue
                gap = rest[:said.start()]
                if re.search(r"\d", gap) or len(re.findall(r"[，,]", gap)) > 1 or \
                        blocked.search(rest[:said.end()]) or not _only_list(gap, nouns, concept):
                    continue
                if not _ends_clause(rest, said.end()):
                    continue
                if not _fits(concept, tail, m, receive_needed=False, section_key=section_key):
                    continue
                out.setdefault(concept, (a + m.start(), min(b, a + m.end() + said.end())))
                break
    free = lex.rx("fees/none_phrases").search(s)
    if free and "fees" not in out and not re.search(lex.alt("fees/not_fees"), s):
        out["fees"] = free.span()
    return out


def _only_list(gap: str, nouns: dict[str, re.Pattern[str]], concept: str) -> bool:
    """A gap naming other concepts must only list them: "行政复议、行政诉讼：无"."""
    rest = gap
    for c2, other in nouns.items():
        if c2 != concept:
            rest = other.sub("", rest)
    if rest == gap:
        return True
    return re.fullmatch(r"[、和及与或以及\s]*(?:提起|提出|被申请|申请|引起|引发)?(?:的)?"
                        r"(?:案件|情况|事项)?(?:数量|总数|数)?(?:均|都|皆)?[:：]?\s*", rest) is not None


def _ends_clause(rest: str, end: int) -> bool:
    """The negation closes the statement: "…为零。" / "…：无，" / "…无…情况"."""
    tail = rest[end:end + 8]
    return tail == "" or tail[0] in "，,；;。" or re.match(
        r"(?:的)?(?:情况|现象|事件|事项|案件|发生|产生|记录|申请|行为)", tail) is not None \
        or re.match(r"(?:收到|受理|发生|产生|出现|收取)", tail) is not None


def _fits(concept: str, scope: str, m: re.Match[str], *, receive_needed: bool,
          section_key: str) -> bool:
    """Concept-specific guards: a request is not a request for review, fees are not taxes."""
    if concept == "requests":
        # "因政府信息公开申请行政复议": 申请 is the verb of a review, not a request
        if re.search(r"复议|诉讼", scope[m.end():m.end() + 8]) or \
                re.search(r"因[^，。；]{0,10}$", scope[:m.start()]):
            return False
        if re.search(lex.alt("requests/not_requests"), m.group(0)):
            return False
    if concept in ("fees", "waived", "info_fee"):
        if re.search(lex.alt("fees/not_fees"), scope):
            return False
    if concept == "fees" and ("处理费" in scope or "减免" in m.group(0)):
        return False
    return True
