"""Phrasing families of the prose facts (keys in docs/reference/facts.md).

Each family is a small set of regular expressions over one sentence of the flat section
text (see :mod:`prose_text`).  A match gives a :class:`Candidate`; the plugin
(:mod:`govreport.extractors.prose`) chooses among candidates report-wide.  Families:

- proactive item counts (主动公开政府信息N条; the year's figure, never 累计/历年 totals,
  never approximate 余/多 figures; 公布/发布政府信息N条 only as a fallback);
- requests received, by channel, closed, closed on time, and the old outcome words
  (同意公开 / 同意部分公开 / 不予公开 / 信息不存在 / 非本机关 / 已主动公开);
- review / litigation / complaints, numbers or negations (没有出现…行政复议、行政诉讼);
- fees collected and waived (未收费 → 0) and the post-2019 信息处理费 of section 六;
- a sentence whose number is missing ("主动公开政府信息条，") — reported, never filled.

Negations and quantifiers give explicit values: "未收到政府信息公开申请" → 0,
"共受理…11件，均在规定期限内答复办结" → received 11, closed 11, closed on time 11.
Only substring and regex matching is used here: it is exact and fast (jieba is for the
narrative only).
"""
from __future__ import annotations

import re

from ..lazyre import lazy
from .prose_negation import zeros
from .prose_numbers import NUM, count, is_approximate, money
from .prose_proactive import proactive  # noqa: F401  (one entry point per fact family)
from .prose_text import Candidate, Missing, Sentence

# ---------------------------------------------------------------------------------------
# Candidates


# ---------------------------------------------------------------------------------------
# Shared pieces

_NUMG = r"(?P<num>" + NUM + r")"
_APPROX = r"\s*(?P<approx>余|多)?\s*"
_JOIN = r"(?:共计|共|合计|总计|累计|为|达到|达|有)*\s*"
_NOT_WORD_AFTER_UNIT = r"(?![例件款目理文线龙])"
_FEE_STOP = lazy(r"支出|经费|税|预算|决算|行政事业性收费")

CHANNEL_KEYS = {
    "当面": "legacy.requests.in_person", "现场": "legacy.requests.in_person",
    "来访": "legacy.requests.in_person",
    "网上": "legacy.requests.online", "网络": "legacy.requests.online",
    "在线": "legacy.requests.online", "互联网": "legacy.requests.online",
    "网站": "legacy.requests.online",
    "信函": "legacy.requests.letter", "邮寄": "legacy.requests.letter",
    "来信": "legacy.requests.letter", "书面": "legacy.requests.letter",
    "传真": "legacy.requests.fax",
    "电子邮件": "legacy.requests.email", "电子邮箱": "legacy.requests.email",
    "邮件": "legacy.requests.email", "email": "legacy.requests.email",
    "e-mail": "legacy.requests.email",
}
CHANNEL_WORDS = "|".join(sorted(map(re.escape, CHANNEL_KEYS), key=len, reverse=True))


def _channel_key(word: str) -> str | None:
    return CHANNEL_KEYS.get(word.lower())


def _approx_near(sentence: str, start: int, end: int) -> bool:
    return is_approximate(sentence[max(0, start - 4):start], sentence[end:end + 3])


# ---------------------------------------------------------------------------------------
# 1. Proactive disclosure: the year's count of items

# A clause about part of the issuer (其中…各乡镇…) is a share, not the total.
_SUBSCOPE = lazy(r"各乡镇|乡镇|县直|区直|市直|各单位|其中|在互联网上|网站上")
_CATALOGUE = lazy(r"制作|获取|编目")


# proactive.items is read by :mod:`prose_proactive` (re-exported here).


# ---------------------------------------------------------------------------------------
# 2. Requests (pre-2019 legacy.requests.*, legacy.responses.*)

_REQ_OBJ = r"(?:政府信息公开|信息公开|依申请公开(?:政府信息)?|公开政府信息)"
_RECEIVED = lazy(
    r"(?:受理|收到|接到|接收|办理)(?:了)?(?P<gap>[^，。；,;\d]{0,14}?)" + _REQ_OBJ +
    r"(?:的)?(?P<chan>[^，。；,;\d]{0,4}?)申请(?:的)?(?:数量|总数|总量|件数|数)?" + _JOIN +
    _NUMG + _APPROX + r"(?P<unit>件|条|个|份|宗|人次|次)"
)
_RECEIVED_YISQ = lazy(
    r"(?:受理|收到|接到)(?:了)?(?:[^，。；,;\d]{0,10}?)依申请公开(?:政府信息)?" + _JOIN +
    _NUMG + _APPROX + r"(?P<unit>件|条|个|份)"
)
# Plain "共受理申请N件" — only inside the requests section.
_RECEIVED_PLAIN = lazy(
    r"(?:受理|收到|接到)(?:了)?(?:[^，。；,;\d]{0,8}?)申请" + _JOIN +
    _NUMG + _APPROX + r"(?P<unit>件|条|个|份)"
)
_NOT_REQUEST = lazy(r"复议|诉讼|申诉|审批|许可|行政服务|窗口|事项|咨询|信访|投诉|举报")
_ALL_DONE = lazy(
    r"(?:均|全部|都|全都|悉数|皆)(?:已|已经|能|得到|按规定)?"
    r"(?P<ontime>(?:在|于)?(?:规定|法定|规定的|法定的|承诺)(?:期限|时限|时间|工作日)(?:内)?"
    r"|按时|按期|及时|限时|如期)?"
    r"(?:予以|作出|进行|给予|依法)?(?:了)?(?:答复|办结|回复|处理完毕|办理完毕)"
)
_CHANNEL = lazy(
    r"(?:通过)?(?P<ch>" + CHANNEL_WORDS + r")(?:方式|形式|渠道)?(?:提出|提交|递交)?(?:的)?"
    r"(?:政府信息公开)?申请(?:数|的)?" + _JOIN + _NUMG + _APPROX + r"(?P<unit>件|条|个|份|次)",
    re.I,
)
_CLOSED = lazy(
    r"(?P<pre>按时|按期|如期|(?:在|于)?(?:规定|法定)(?:的)?(?:期限|时限)内|延期|逾期)?"
    r"(?:答复|办结|回复)(?:的)?(?:申请)?(?:总数|数|总量|件数)?(?:共计|共|为|合计)?\s*"
    + _NUMG + _APPROX + r"(?P<unit>件|条)"
)
_RESPONSES = [
    ("legacy.responses.partially_granted",
     r"(?:同意部分公开|予以部分公开|部分公开|部分同意公开)"),
    ("legacy.responses.granted", r"(?<![不部])(?:同意公开|予以公开|全部公开|准予公开)"),
    ("legacy.responses.denied", r"(?:不予公开|不同意公开|否决公开|不予以公开)"),
    ("legacy.responses.not_exist", r"(?:申请的?|所申请的?)?信息不存在"),
    ("legacy.responses.not_this_agency",
     r"(?:非本(?:机关|部门|单位)|不属于本(?:行政)?(?:机关|部门|单位))(?:掌握|职责|职权|公开)?(?:范围)?"),
    ("legacy.responses.already_public", r"(?:属于)?已(?:经)?主动公开(?:范围)?"),
]
_RESPONSE_RES = [
    (key, lazy(words + r"(?:的)?(?:信息|政府信息)?(?:答复|申请)?(?:数)?" + _JOIN + _NUMG
                     + _APPROX + r"(?P<unit>件|条)"))
    for key, words in _RESPONSES
]


def requests(sentence: Sentence, section_key: str) -> list[Candidate]:
    """legacy.requests.* and legacy.responses.* of one pre-2019 sentence."""
    m: re.Match[str] | None
    out: list[Candidate] = []
    s = sentence.text
    received: Candidate | None = None
    for rx, prio in ((_RECEIVED, 1), (_RECEIVED_YISQ, 1)):
        for m in rx.finditer(s):
            if m.group("approx"):
                continue
            chan = m.groupdict().get("chan") or ""
            gap = m.groupdict().get("gap") or ""
            if re.search(r"复议|诉讼|申诉|举报|投诉", chan + gap):
                continue
            value = count(m.group("num"))
            if value is None:
                continue
            p = prio
            if re.search(CHANNEL_WORDS, chan + gap, re.I):
                p = 3  # "收到…的信函申请1条": the total only if nothing else says it
            cstart, _ = sentence.clause_at(m.start())
            if _SUBSCOPE.search(s[cstart:m.start()]) and "其中" in s[cstart:m.start()]:
                p = max(p, 2)
            c = Candidate("legacy.requests.received", value, sentence, m.start("num"),
                          m.end("num"), priority=p)
            out.append(c)
            received = received or c
    if received is None and section_key == "requests":
        for m in _RECEIVED_PLAIN.finditer(s):
            if m.group("approx") or _NOT_REQUEST.search(s[:m.end()]):
                continue
            value = count(m.group("num"))
            if value is not None:
                received = Candidate("legacy.requests.received", value, sentence,
                                     m.start("num"), m.end("num"), priority=2)
                out.append(received)
    if received is None:
        span = zeros(sentence, section_key).get("requests")
        if span:
            received = Candidate("legacy.requests.received", 0, sentence, *span,
                                 priority=1, evidence="negation")
            out.append(received)
    # "均在规定期限内答复办结": every request received was closed (on time).
    if received is not None and received.evidence == "number":
        m = _ALL_DONE.search(s, received.end)
        if m:
            out.append(Candidate("legacy.requests.closed", received.value, sentence,
                                 m.start(), m.end(), priority=2, evidence="quantifier"))
            if m.group("ontime"):
                out.append(Candidate("legacy.requests.closed_on_time", received.value,
                                     sentence, m.start(), m.end(), priority=2,
                                     evidence="quantifier"))
    requesty = received is not None or section_key in ("requests", "attachment")
    if not requesty or _NOT_REQUEST.search(s):
        return out
    for m in _CHANNEL.finditer(s):
        key = _channel_key(m.group("ch"))
        value = count(m.group("num"))
        if key and value is not None and not m.group("approx"):
            out.append(Candidate(key, value, sentence, m.start("num"), m.end("num")))
    if _CATALOGUE.search(s):
        return out  # "不予公开信息数1402": the catalogue, not answers to requests
    for m in _CLOSED.finditer(s):
        pre = m.group("pre") or ""
        if not pre and s[max(0, m.start() - 2):m.start()] in ("公开", "提供", "处理", "存在"):
            continue  # "予以公开答复966件" is an outcome, not the requests closed
        value = count(m.group("num"))
        if value is None or m.group("approx") or pre in ("延期", "逾期"):
            continue
        key = "legacy.requests.closed_on_time" if pre else "legacy.requests.closed"
        out.append(Candidate(key, value, sentence, m.start("num"), m.end("num")))
    # "依申请公开政府信息79条，不予以公开信息93条": information by disclosure class, not
    # answers to requests — outcomes need a request or an answer in the sentence.
    if not re.search(r"申请|答复|回复|办结|请求", s.replace("依申请公开", "")):
        return out
    for key, rx in _RESPONSE_RES:
        for m in rx.finditer(s):
            value = count(m.group("num"))
            if value is not None and not m.group("approx"):
                out.append(Candidate(key, value, sentence, m.start("num"), m.end("num")))
    return out


# ---------------------------------------------------------------------------------------
# 3. Review, litigation and complaints

_REVIEW_NUM = lazy(r"(?:行政)?复议(?:案件|申请)?" + _JOIN + _NUMG + r"\s*(?P<unit>件|起|宗|次|个)")
_LITIG_NUM = lazy(r"(?:行政)?诉讼(?:案件)?" + _JOIN + _NUMG + r"\s*(?P<unit>件|起|宗|次|个)")
_COMPL_NUM = lazy(r"(?:行政)?(?:申诉|举报投诉|投诉举报)(?:案件)?" + _JOIN + _NUMG +
                        r"\s*(?P<unit>件|起|宗|次|个)")
_FEE_WORDS = lazy(r"费用|支出|经费|收费")


def review(sentence: Sentence, section_key: str, era: str) -> list[Candidate]:
    """review.total / litigation.total / legacy.complaints.total from one sentence."""
    s = sentence.text
    if not re.search(r"复议|诉讼|申诉", s):
        return []
    on_topic = section_key == "review_litigation" or "公开" in s
    if not on_topic:
        return []
    out: list[Candidate] = []
    # "有1件…行政复议，该行政复议件未被…纠错": a count elsewhere in the sentence means the
    # negation is about an outcome, not about whether cases happened.
    if re.search(r"\d\s*(?:件|起|宗)", s):
        return out if era != "pre2019" else _review_numbers(sentence, s, out)
    keys = {"review": "review.total", "litigation": "litigation.total"}
    if era == "pre2019":
        keys["complaints"] = "legacy.complaints.total"
    for concept, span in zeros(sentence, section_key).items():
        if concept in keys and not _FEE_WORDS.search(s[span[0]:span[1]]):
            out.append(Candidate(keys[concept], 0, sentence, *span, evidence="negation"))
    if era != "pre2019":
        return out
    return _review_numbers(sentence, s, out)


def _review_numbers(sentence: Sentence, s: str, out: list[Candidate]) -> list[Candidate]:
    if _FEE_WORDS.search(s):
        return out
    for key, rx in (("review.total", _REVIEW_NUM), ("litigation.total", _LITIG_NUM),
                    ("legacy.complaints.total", _COMPL_NUM)):
        for m in rx.finditer(s):
            value = count(m.group("num"))
            if value is not None and not _approx_near(s, m.start("num"), m.end("num")):
                out.append(Candidate(key, value, sentence, m.start("num"), m.end("num")))
    return out


# ---------------------------------------------------------------------------------------
# 4. Fees: pre-2019 收费及减免, post-2019 信息处理费

# Contents lines of the preamble ("全文包括…收费及减免…") state nothing.
_CONTENTS = lazy(r"全文包括|本报告由|报告由|组成|以下简称|包括[^。]{0,40}情况、")
_FEE_PAID = lazy(
    r"收取(?:了)?(?:[^，。；,;\d]{0,16}?)(?:费用|费)" + _JOIN + _NUMG + r"\s*(?P<unit>(?:人民币)?(?:万元|元))"
)
_FEE_WAIVED = lazy(
    r"减免(?:[^，。；,;\d]{0,10}?)(?:费用|金额|费)?" + _JOIN + _NUMG + r"\s*(?P<unit>(?:人民币)?(?:万元|元))"
)
_FEE_CONTEXT = lazy(r"依申请|信息公开|提供政府信息|公开政府信息|提供信息|申请人")

_INFO_FEE_PAID = lazy(
    r"(?:收取|收缴|收到)(?:了)?(?:[^，。；,;\d]{0,16}?)(?:处理费|费用)(?:收入)?" + _JOIN + r"(?:人民币)?" + _NUMG
    + r"\s*(?P<unit>(?:人民币)?(?:万元|元))"
    r"|处理费(?:收入|总额|金额)?" + _JOIN + r"(?:人民币)?(?P<num2>" + NUM + r")\s*(?P<unit2>(?:人民币)?(?:万元|元))"
)
_NOTICES = lazy(
    r"(?:发出|开具|送达|下发)(?:了)?(?:[^，。；,;\d]{0,8}?)收费通知(?:书|单)?" + _JOIN + _NUMG
    + r"\s*(?P<unit>件|份|次|个)"
)
_NOTICES_NONE = lazy(r"(?:未|没有|无)(?:发出|开具|送达|下发)(?:任何)?(?:[^，。；,;\d]{0,6}?)收费通知")
_NOTICES_AMOUNT = lazy(r"(?:金额|总额|共计|合计)" + _JOIN + _NUMG + r"\s*(?P<unit>(?:人民币)?(?:万元|元))")


def fees(sentence: Sentence, section_key: str, era: str) -> list[Candidate]:
    m: re.Match[str] | None
    s = sentence.text
    out: list[Candidate] = []
    if era != "pre2019":
        return info_fee(sentence, section_key)
    if "处理费" in s or _FEE_STOP.search(s):
        return out
    if section_key != "fees" and not _FEE_CONTEXT.search(s):
        return out
    if section_key in ("review_litigation",) or _CONTENTS.search(s):
        return out
    for m in _FEE_PAID.finditer(s):
        v = money(m.group("num"), m.group("unit"), "yuan")
        if v is not None:
            out.append(Candidate("fees.collected_yuan", v, sentence, m.start("num"), m.end("num")))
    for m in _FEE_WAIVED.finditer(s):
        v = money(m.group("num"), m.group("unit"), "yuan")
        if v is not None:
            out.append(Candidate("fees.waived_yuan", v, sentence, m.start("num"), m.end("num")))
    none = zeros(sentence, section_key)
    for concept, key in (("fees", "fees.collected_yuan"), ("waived", "fees.waived_yuan")):
        if concept in none and not any(c.key == key for c in out):
            out.append(Candidate(key, 0, sentence, *none[concept], evidence="negation"))
    return out


def info_fee(sentence: Sentence, section_key: str) -> list[Candidate]:
    """info_fee.* (信息处理费, section 六 of post-2019 reports)."""
    m: re.Match[str] | None
    s = sentence.text
    out: list[Candidate] = []
    if re.search(r"逾期|缴纳费用|\|", s) or _FEE_STOP.search(s):
        return out
    if "处理费" not in s and not (section_key in ("other", "fees") and "收费" in s):
        return out
    if "处理费" in s and re.search(r"管理办法》?$|通知》", s.rstrip("。；，")):
        return out
    for m in _NOTICES.finditer(s):
        v = count(m.group("num"))
        if v is not None:
            out.append(Candidate("info_fee.notices_count", v, sentence, m.start("num"), m.end("num")))
            am = _NOTICES_AMOUNT.search(s, m.end())
            if am:
                money_v = money(am.group("num"), am.group("unit"), "yuan")
                if money_v is not None:
                    out.append(Candidate("info_fee.notices_amount_yuan", money_v, sentence,
                                         am.start("num"), am.end("num")))
    if not out and (m := _NOTICES_NONE.search(s)):
        out.append(Candidate("info_fee.notices_count", 0, sentence, m.start(), m.end(),
                             evidence="negation"))
    paid = None
    for m in _INFO_FEE_PAID.finditer(s):
        num = m.group("num") if m.group("num") is not None else m.group("num2")
        unit = m.group("unit") if m.group("num") is not None else m.group("unit2")
        amount = money(num, unit, "yuan")
        if amount is not None:
            g = "num" if m.group("num") is not None else "num2"
            paid = Candidate("info_fee.collected_amount_yuan", amount, sentence,
                             m.start(g), m.end(g))
            out.append(paid)
            break
    if paid is None:
        none = zeros(sentence, section_key)
        span = none.get("info_fee") or (none.get("fees") if section_key in ("other", "fees")
                                        else None)
        if span:
            out.append(Candidate("info_fee.collected_amount_yuan", 0, sentence, *span,
                                 evidence="negation"))
    return out


# ---------------------------------------------------------------------------------------
# 5. Sentences that name a count but print no number

_MISSING = lazy(
    r"(?P<verb>主动公开|公开|发布|公布|受理|收到|办理|答复|办结|收取|制作)(?:了)?"
    r"(?P<obj>[^，。；、,;:：\d\s（）()“”《》]{1,14}?)(?P<unit>条|件)(?=[，。；、,;）)]|$)"
)
_UNIT_WORDS = ("文件", "事件", "案件", "证件", "稿件", "邮件", "条件", "软件", "硬件", "附件",
               "物件", "部件", "组件", "要件", "信件", "函件", "快件", "来件", "收件", "急件",
               "批件", "头条", "萧条", "教条", "面条", "链条", "线条", "便条", "收条", "金条",
               "条条", "一件", "一条", "每件", "每条", "各条", "本条", "该条", "此条", "上述条",
               "实事件", "要件", "复件", "原件", "抄件", "文条")
_NUMERAL_END = set("零一二三四五六七八九十百千万亿两几多余每各该本此首单")


def missing(sentence: Sentence) -> list[Missing]:
    out: list[Missing] = []
    s = sentence.text
    for m in _MISSING.finditer(s):
        obj, unit = m.group("obj"), m.group("unit")
        tail = obj + unit
        if obj[-1] in _NUMERAL_END or any(tail.endswith(w) for w in _UNIT_WORDS):
            continue
        if re.search(r"(?:未|没有|没|无|尚未|并未|从未|不)(?:曾|再)?$", s[max(0, m.start() - 3):m.start()]):
            continue  # "未收到政府信息公开申请件": none received, no number is needed
        if m.group("verb") == "主动公开" and "信息" in obj:
            keys = ["proactive.items"]
        elif m.group("verb") in ("受理", "收到") and "申请" in obj:
            keys = ["legacy.requests.received"]
        else:
            keys = []
        out.append(Missing(keys, sentence, m.start(), m.end()))
    return out
