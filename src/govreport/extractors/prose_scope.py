"""What a count in a sentence covers: the year's total, a cumulative total, a part, a channel.

The rules, applied to the words before the count (words from :mod:`prose_lexicon`):

- **cumulative**: a cumulative word (历年, 以来, 至今, 截至目前, 累计 …) is the *last* scope word
  before the verb — unless it is qualified by the year itself: 全年累计, 2024年累计, 今年以来,
  截至今年12月 (the year to date) are annual.  "截至2013年12月27日…累计主动公开440条" is
  cumulative; "截止今年12月，主动公开30条" is the year's.
- **part**: 其中 opens the clause (a share of a total stated before) — except right after a
  count of all information made or obtained (制作、获取…N条，其中主动公开M条), where the
  proactive count *is* the total; a subunit (各乡镇, 县直 …) names a share of the issuer.
- **each**: 分别 before the numbers — one number per item listed, none of them the total.
- **channel**: a channel (门户网站, 微信, 政府公报 …) in the clause — a channel's count. Channels
  listed together (网站、微信等渠道) are the total over them; one channel with no sibling
  channel count in the sentence may be the total and is only a fallback.
- **class**: a count of one class of information (机构职能类信息30条) — never the total
  (各类 = all classes is not a class).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import prose_lexicon as lex

#: Clause boundaries: commas, semicolons, colons not followed by a number, brackets.
_CLAUSE_CUT = re.compile(r"[，,；;（）()]|[：:](?!\s*[0-9０-９零一二三四五六七八九十两])")


@dataclass
class Scope:
    cumulative: bool = False
    other_year: bool = False
    part: bool = False
    subunit: bool = False
    each: bool = False
    channel: bool = False
    channels_together: bool = False
    klass: bool = False
    annual: bool = False


def clause_start(text: str, pos: int) -> int:
    """Offset where the clause holding ``pos`` starts."""
    start = 0
    for m in _CLAUSE_CUT.finditer(text, 0, pos):
        start = m.end()
    return start


def clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_CUT.search(text, pos)
    return m.start() if m else len(text)


def _annual_words() -> str:
    return lex.alt("scope/annual")


def _year_rx(year: int | None) -> str:
    return str(year) if year else r"(?!)"


def is_cumulative(prefix: str, year: int | None = None) -> bool:
    """True when the last scope word of ``prefix`` makes a count cumulative."""
    annual = _annual_words()
    this_year = r"(?:" + annual + r"|" + _year_rx(year) + r"\s*年度?)"
    # words of the year that contain a cumulative word: the year to date
    masked = re.sub(this_year + r"\s*(?:共|内|度|共计|已)?\s*累计", "全年", prefix)
    masked = re.sub(r"(?:今年|本年|年初|一年|" + _year_rx(year) + r"\s*年(?:\d{1,2}月份?)?)"
                    r"(?:以来|至今)", "全年", masked)
    masked = re.sub(r"截[至止](?:到)?\s*(?:今年|本年|年底|年末|" + _year_rx(year) + r"\s*年)", "全年",
                    masked)
    # "截至发文之日" / "截至报告发布之日": everything so far, not the year's
    masked = re.sub(r"截[至止](?:到)?[^，。；\d]{0,8}?之日", "至今", masked)
    last_cum = -1
    for m in lex.rx("scope/cumulative").finditer(masked):
        last_cum = m.start()
    if last_cum < 0:
        return False
    last_annual = -1
    for m in re.finditer(annual + r"|\d{4}\s*年", masked):
        last_annual = m.start()
    # "2013年，截至目前累计…" – the cumulative word comes last; "截至目前，今年…" – the year does
    return last_cum > last_annual or "历年" in masked or re.search(r"自\s*\d{4}\s*年", masked) is not None


_LAST_YEAR = r"上一?年度?|去年|前年|上年"


def other_year(prefix: str, year: int | None = None) -> bool:
    """True when the last time word before the count names another year (去年, 2015年 in a
    2016 report): that year's count is not this one's."""
    last = None
    for m in re.finditer(r"(?P<other>" + _LAST_YEAR + r")|(?P<y>\d{4})\s*年|" + _annual_words(),
                         prefix):
        last = m
    if last is None:
        return False
    if last.group("other"):
        return not re.search(r"[比较与同]$", prefix[:last.start()])
    if last.group("y") and year:
        return int(last.group("y")) not in (year, year + 1) or (
            int(last.group("y")) == year + 1 and not re.search(r"截[至止]", prefix))
    return False


def has_annual(prefix: str, year: int | None = None) -> bool:
    return re.search(_annual_words() + r"|\d{4}\s*年|共", prefix) is not None


def scope_of(sentence: str, verb_start: int, num_start: int, obj: str,
             year: int | None = None) -> Scope:
    """Scope of the count at ``num_start`` whose verb starts at ``verb_start``."""
    cstart = clause_start(sentence, verb_start)
    clause_prefix = sentence[cstart:verb_start]
    around = sentence[cstart:num_start]
    sc = Scope()
    sc.cumulative = is_cumulative(sentence[:verb_start], year) or \
        re.search(r"历年|以来|至今|迄今", obj) is not None
    sc.annual = has_annual(sentence[:verb_start], year)
    sc.other_year = other_year(sentence[:verb_start], year)
    if lex.rx("scope/part").search(clause_prefix):
        catalogue = re.search(lex.alt("proactive/catalogue_verbs"), sentence[:cstart])
        sc.part = catalogue is None
    sc.subunit = lex.rx("scope/subunits").search(clause_prefix) is not None
    sc.each = lex.rx("scope/each").search(around) is not None
    sc.channel = lex.rx("scope/channels").search(around) is not None
    sc.channels_together = sc.channel and (
        lex.rx("scope/channel_together").search(around) is not None
        or re.search(lex.alt("scope/channels") + r"[^，,；;]{0,6}[、和及与]\s*[^，,；;]{0,8}?"
                     + lex.alt("scope/channels"), around) is not None)
    sc.klass = is_class(obj)
    return sc


def is_class(obj: str) -> bool:
    """"机构职能类信息": one class of information; "各类信息" is all of them."""
    for m in re.finditer(r"类", obj):
        before = obj[max(0, m.start() - 1):m.start() + 1]
        if not lex.rx("scope/class_all").fullmatch(before):
            return True
    return False


def channel_siblings(sentence: str, count_rx: re.Pattern[str]) -> int:
    """How many counts in the sentence sit in a clause that names a channel."""
    n = 0
    for m in count_rx.finditer(sentence):
        cstart = clause_start(sentence, m.start())
        if lex.rx("scope/channels").search(sentence[cstart:m.start()]):
            n += 1
    return n
