"""The year's count of proactively published items (``proactive.items``), read by meaning.

A count is bound to the act of proactive publication when, in one clause, a proactive
verb (主动公开, 主动发布, 主动向社会公开 …) governs it:

- verb, object, number: 主动公开涵盖办事程序、人事任免等政府信息135条 / 主动公开政府信息的
  数量为135条 / 主动公开政府信息数量：135条;
- verb, number, object: 主动公开99条政策 / 主动发布了135条信息;
- object, verb, number: 政府信息主动公开235条;
- number, object, passive verb: 共有135条政府信息被主动公开.

:mod:`prose_scope` then says what the count covers; only the year's total is a fact:
cumulative, 分别, class and sibling-channel counts are dropped, a part (其中) or a
subunit's count is a weaker candidate, a single channel's count is a fallback.  A plain
verb (发布, 公布 …) counts only with a scope word of the year and an information object,
as the weakest fallback.  Approximate numbers (余, 约) are never facts.
"""
from __future__ import annotations

import re

from . import prose_lexicon as lex
from . import prose_scope
from .prose_numbers import NUM, count, is_approximate
from .prose_text import Candidate, Missing, Sentence

_NOT_NOUN_AFTER_UNIT = r"(?![例件款目理文线龙])"


def _patterns() -> dict[str, re.Pattern[str]]:
    verb_p = (r"(?<![应不未可拟需])(?P<verb>" + lex.alt("proactive/verbs_proactive") +
              r"|主动(?:[^，。；;,:：、\d]{1,10}?)(?:公开|发布|公布|推送|披露))")
    units = lex.alt("item_units")
    link = r"(?P<link>(?:\s|的|[:：]|" + lex.alt("linkers") + r")*)"
    num = r"(?P<num>" + NUM + r")(?P<approx>\s*(?:余|多))?\s*(?P<unit>" + units + r")" + \
        _NOT_NOUN_AFTER_UNIT
    objects = lex.alt("proactive/objects")
    return {
        # verb [object] number [object]
        "forward": re.compile(
            verb_p + r"(?:了|出)?(?P<obj>[^，。；;,:：\d]{0,40}?)" + link + num +
            r"(?P<after>(?:的)?(?:各类|各项)?(?:政府|政务)?" + objects + r")?"),
        # number object passive-verb
        "passive": re.compile(
            r"(?P<num>" + NUM + r")(?P<approx>\s*(?:余|多))?\s*(?P<unit>" + units + r")"
            r"(?P<obj>(?:的)?[^，。；;,:：\d]{0,12}?" + objects + r")"
            r"(?:均|已|都)?(?:被|予以|已经|已)?(?P<verb>主动公开|主动发布|主动公布)"),
        "plain": re.compile(
            r"(?<!主动)(?<![应不未可拟需])(?P<verb>" + lex.alt("proactive/verbs_plain") + r")"
            r"(?:了)?(?P<obj>(?:各类|各项)?(?:政府|政务)信息)" + link + num),
        "generic_after": re.compile(r"^(?:的)?(?:各类|各项)?(?:政府|政务)?(?:信息|资讯)?$"),
        "obj_end": re.compile("(?:" + objects + r")(?:的)?(?:" + lex.alt("proactive/measures") +
                              r")?\s*$"),
    }


_RX: dict[str, re.Pattern[str]] = {}


def _rx(name: str) -> re.Pattern[str]:
    if not _RX:
        _RX.update(_patterns())
    return _RX[name]


# A count with the number left out: "主动公开政府信息 条，".
_MISSING = re.compile(
    r"(?<![应不未])主动公开(?:了)?"
    r"(?P<obj>[^，。；、,;:：\d\s]{1,12}?政府信息|(?:各类|各项|各种|的)?(?:政府)?信息)"
    r"(?:的)?(?:数量|总数|总量|数|条目)?(?:共计|共|合计|总计|累计|为|达到|达|有)*\s*"
    r"(?:条|件|项)(?=[，。；、,;）)]|$)"
)


def _approx(s: str, m: re.Match[str]) -> bool:
    return bool(m.group("approx")) or is_approximate(s[max(0, m.start("num") - 4):m.start("num")],
                                                     s[m.end("num"):m.end("num") + 3])


def _object_ok(obj: str, after: str | None, sentence: str, verb_start: int) -> bool:
    """The count is of published information: an object names it, before or after."""
    obj = obj.strip()
    if re.search(r"依申请|不予|不公开|申请", obj):
        return False
    if obj:
        return _rx("obj_end").search(obj) is not None
    if after:
        return True
    # object before the verb: "政府信息主动公开235条" — or none at all: "全年主动公开135条"
    return True


_GENERIC_OBJ = re.compile(r"^(?:的|各类|各项|各种|政府|政务|公开|相关)*(?:信息|资讯|文件|条目|事项|内容)?"
                          r"(?:的)?(?:数量|总数|总量|条数|件数|数)?$")


def _kind_list(obj: str, s: str, end: int) -> bool:
    """"采购信息25条、招投标信息188条": counts of kinds of information listed one by one."""
    if _GENERIC_OBJ.match(obj.strip()):
        return False
    return re.match(r"\s*[、和及]\s*[^，。；;\d]{1,16}?(?:" + NUM + r")\s*" + lex.alt("item_units"),
                    s[end:]) is not None


def proactive(sentence: Sentence, section_key: str, era: str,
              year: int | None = None) -> tuple[list[Candidate], list[Missing]]:
    """Candidates for ``proactive.items`` in one sentence, and a MISSING finding if any."""
    s = sentence.text
    found: list[Candidate] = []
    missing: list[Missing] = []
    count_rx = re.compile(r"(?:" + NUM + r")\s*" + lex.alt("item_units"))
    siblings = prose_scope.channel_siblings(s, count_rx)
    for name in ("forward", "passive"):
        for m in _rx(name).finditer(s):
            cand = _judge(sentence, m, siblings, year, priority=1)
            if cand is not None:
                found.append(cand)
    if section_key == "proactive" or era == "post2019":
        for m in _rx("plain").finditer(s):
            if not prose_scope.has_annual(s[:m.start()], year):
                continue
            cand = _judge(sentence, m, siblings, year, priority=3)
            if cand is not None:
                found.append(cand)
    if not found:
        for m in _MISSING.finditer(s):
            missing.append(Missing(["proactive.items"], sentence, m.start(), m.end()))
    return found, missing


def _judge(sentence: Sentence, m: re.Match[str], siblings: int, year: int | None,
           priority: int) -> Candidate | None:
    s = sentence.text
    if _approx(s, m):
        return None
    value = count(m.group("num"))
    if value is None:
        return None
    obj = m.group("obj") or ""
    after = m.groupdict().get("after")
    verb_start = m.start("verb")
    if m.re is not _rx("passive") and not _object_ok(obj, after, s, verb_start):
        return None
    sc = prose_scope.scope_of(s, verb_start, m.start("num"), obj, year)
    if sc.cumulative or sc.each or sc.klass or sc.other_year:
        return None
    if m.re is _rx("passive"):
        sc.cumulative = prose_scope.is_cumulative(s[:m.start()], year)
        if sc.cumulative:
            return None
    if _kind_list(obj, s, m.end()):
        return None
    if sc.channel and not sc.channels_together:
        if siblings > 1:
            return None  # one channel's count among several: never the total
        priority = max(priority, 2)
    if sc.part or sc.subunit:
        priority = max(priority, 2)
    elif not _GENERIC_OBJ.match(obj.strip()) or not _rx("generic_after").match(after or ""):
        priority = max(priority, 2)  # one kind of information (执法信息) may be a part
    return Candidate("proactive.items", value, sentence, m.start("num"), m.end("num"),
                     priority=priority)
