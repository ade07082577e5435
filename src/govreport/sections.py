"""Split a report's normalised text into the canonical sections listed in docs/extracts.md ("Sections").

Headings are found by their numbering marker (一、 / （一） / 1. / 第一部分) at a line start
or after a sentence end — crawler dumps run headings inline — and classified by meaning:
the words of the heading, never its number. A contents line ("一、概述,二、主动公开…")
is not a heading: a marker preceded by a comma or enumeration mark is ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import parse_number

# Section keys in the order their rules are tried: the first rule whose words occur in
# the heading wins, so specific headings ("依申请公开的收费情况") beat general ones.
SECTION_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("attachment", ("附表", "统计表", "统计附表", "附件")),
    ("problems", ("存在的主要问题", "存在问题", "主要问题", "问题和改进", "问题及改进",
                  "改进措施", "改进情况", "工作打算", "下一步工作")),
    ("review_litigation", ("复议", "诉讼", "申诉")),
    ("fees", ("收费", "减免", "收支")),
    ("institutions", ("保障经费", "培训会议", "机构建设、", "人员及", "人员和经费",
                      "事务支出", "支出情况", "机构设置")),
    ("requests", ("依申请", "申请公开", "收到和处理", "申请情况", "申请处理", "申请办理",
                  "申请的情况")),
    ("proactive", ("主动公开",)),
    ("consultation", ("咨询", "谘询")),
    ("interpretation", ("回应解读", "政策解读", "解读回应", "解读工作")),
    ("other", ("其他需要报告", "需要说明", "其他事项", "其他需要", "其它需要报告")),
    ("overview", ("概述", "总体情况", "基本情况", "工作情况", "概况", "总体工作", "基本工作",
                  "主要工作", "工作综述", "工作开展情况", "开展情况", "工作开展")),
]

# Keys that pre-2019 reports often put under a sub-heading of another section
# （"（四）开展政策解读工作情况" inside 主动公开）: taken from a lower level when the top
# level lacks them.
SUBSECTION_KEYS = {"interpretation", "consultation", "fees", "problems"}
# Post-2019 reports have six fixed parts; only a lost 五 is looked for lower down
# (a converter that dropped "五、存在的主要问题…" but kept "（一）主要问题").
SUBSECTION_KEYS_POST2019 = {"problems"}
# Headings so specific they start a section even glued to the previous cell's digits
# ("…432.52元三、收到和处理政府信息公开申请情况").
CANONICAL_HEADINGS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                      "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况",
                      "其他需要报告的事项")
# A statistics attachment: "附表：…统计表", or any 附件/附表 (or a title) whose statistics
# table follows at once ("附件 …工作统计数据 指标名称 计量单位 …", printed after the signature).
_ATTACHMENT = re.compile(r"附(?:件|表)\s*\d*\s*[:：]?\s*[^。\n]{0,30}?统计表"
                         r"|(?:附(?:件|表)\s*\d*\s*[:：]?\s*)?[^\s。，,；]{0,40}?"
                         r"统计(?:表|数据|资料|报表|情况)(?=\s*指标名称)")

# A heading that names no section ("政府信息公开情况") is the section its content is:
# proactive disclosure when its first sentence says what was published.
_GENERIC_HEADING = re.compile(r"(?:政府)?(?:信息)?公开(?:工作)?(?:的)?(?:主要)?(?:情况|内容)")
_GENERIC_LOOKAHEAD = 60

_MARKER = re.compile(
    r"(?P<part>第[一二三四五六七八九十]{1,3}部分)"
    r"|(?P<dun>[一二三四五六七八九十]{1,3})\s*[、.．]"
    r"|[（(](?P<paren>[一二三四五六七八九十]{1,3})[)）]"
    r"|(?<![\d.])(?P<arabic>[1-9]\d?)\s*[、.．](?!\d)"
)
# Numbering styles from outermost to innermost; "bare" is a heading printed on a line of
# its own without any number ("概述"), trusted only when no numbered style names sections.
LEVELS = ("part", "dun", "paren", "arabic", "bare")
# Levels that could be list items or table labels: they must name two sections to count.
_WEAK_LEVELS = {"arabic", "bare"}
_BARE_LINE = re.compile(r"^[ \t#>*]*([^\s\-•·*#|][^\n]{1,23}?)[ \t*#]*$", re.M)
_NOT_A_HEADING_LINE = re.compile(r"[。，,；;：:！？!?\d|]")
# Words that end a heading when it runs inline into its first sentence.
_HEADING_END = re.compile(r"情况|措施|事项|概述|打算|统计表|方面|概况|附表|问题|[。；：:]")
_OK_BEFORE = set("。；;：:！!？?.）)】」”\"'#*>|-—…")
_HEADING_WINDOW = 40


@dataclass
class Heading:
    key: str
    level: str  # "part" | "dun" | "paren"
    ordinal: int
    start: int  # offset of the marker in the text
    title: str  # the heading as printed (marker + words)


def _cn_ordinal(s: str) -> int:
    """一 … 九十九 (the heading patterns match only those) as an int, by the one Chinese
    numeral parser (:func:`govreport.numbers.parse_number`)."""
    value = parse_number(s)
    return int(value) if value is not None else 0


def classify_heading(words: str) -> str | None:
    """The section key a heading's words mean, or None: the first rule with one of its
    words in them (each rule's words searched as one pattern)."""
    words = _SPACE.sub("", words)
    for key, needles in _rule_patterns():
        if needles.search(words):
            return key
    return None


_SPACE = re.compile(r"\s+")
_RULES: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


def _rule_patterns() -> list[tuple[str, re.Pattern[str]]]:
    rules = _RULES.get("rules")
    if rules is None:  # built whole, then published: threads never see half of it
        rules = [(key, re.compile("|".join(map(re.escape, needles))))
                 for key, needles in SECTION_RULES]
        _RULES["rules"] = rules
    return rules


def _position(text: str, pos: int) -> str:
    """Whether a marker at ``pos`` can start a heading: "yes", "no" or "glued".

    "yes" at a line start, after a sentence end or after a gap; "no" after a comma or
    enumeration mark (a contents line); "glued" right after other text.
    """
    i = pos - 1
    saw_space = False
    while i >= 0 and text[i] in " \t\u3000":
        i -= 1
        saw_space = True
    if i < 0 or text[i] == "\n":
        return "yes"
    ch = text[i]
    if ch in "，,、（(“《":
        return "no"
    return "yes" if saw_space or ch in _OK_BEFORE or ch.isdigit() else "glued"


def _allowed_position(text: str, pos: int) -> bool:
    return _position(text, pos) == "yes"


def _heading_words(text: str, start: int) -> tuple[str, int]:
    """The words of a heading starting at ``start`` and where they end.

    Looks no further than the heading window for the line end: on single-line text (a
    crawler dump) searching to the end for every marker made the scan quadratic."""
    line_end = text.find("\n", start, start + _HEADING_WINDOW + 1)
    if line_end == -1:  # no line end within the window: the line is longer, or ends the text
        line_end = min(len(text), start + _HEADING_WINDOW + 1)
    window = text[start:min(line_end, start + _HEADING_WINDOW)]
    m = _HEADING_END.search(window)
    if m:
        end = m.start() if m.group(0) in "。；：:" else m.end()
        return window[:end], start + end
    return window[:16] if line_end - start > _HEADING_WINDOW else window, start + len(window)


def find_headings(text: str) -> list[Heading]:
    """Every classified heading candidate, in text order."""
    found: list[Heading] = []
    for m in _MARKER.finditer(text):
        where = _position(text, m.start())
        if where == "no":
            continue
        if where == "glued" and not text[m.end():m.end() + 20].lstrip().startswith(
                CANONICAL_HEADINGS):
            continue
        level = next(lv for lv in ("part", "dun", "paren", "arabic") if m.group(lv))
        digits = m.group(level).strip("第部分")
        words, end = _heading_words(text, m.end())
        key = classify_heading(words)
        if key is None and _GENERIC_HEADING.fullmatch(re.sub(r"\s+", "", words)) and \
                "主动公开" in text[end:end + _GENERIC_LOOKAHEAD]:
            key = "proactive"  # "二、政府信息公开情况" that reports what was published
        if key is None and "统计表" in text[m.end():m.end() + 30].split("。")[0]:
            key, end = "attachment", text.index("统计表", m.end()) + 3
        if key is None:
            continue
        title = re.sub(r"\s+", "", text[m.start():end])
        ordinal = int(digits) if digits.isdigit() else _cn_ordinal(digits)
        found.append(Heading(key, level, ordinal, m.start(), title))
    for m in _BARE_LINE.finditer(text):
        words = m.group(1)
        if _NOT_A_HEADING_LINE.search(words) or _MARKER.match(words):
            continue
        key = classify_heading(words)
        if key is not None:
            found.append(Heading(key, "bare", 0, m.start(1), re.sub(r"\s+", "", words)))
    for m in _ATTACHMENT.finditer(text):
        # 附件/统计表 is distinctive enough to start a section even glued to the text
        # before it (normalisation removes the gap a dump left between CJK words).
        if _position(text, m.start()) != "no":
            found.append(Heading("attachment", "attach", 0, m.start(), m.group(0)))
    found.sort(key=lambda h: h.start)
    return found


def choose_headings(candidates: list[Heading], *, pre2019: bool) -> list[Heading]:
    """Keep the top-level headings, first one per key, plus pre-2019 sub-sections."""
    if not candidates:
        return []
    by_level: dict[str, set[str]] = {}
    for h in candidates:
        if h.level != "attach":
            by_level.setdefault(h.level, set()).add(h.key)
    if not by_level:
        return []
    # The outermost numbering style that names any section is the top level; a weak
    # style (arabic numbers, bare lines) only when it names two sections or more.
    usable = [lv for lv in LEVELS
              if len(by_level.get(lv, ())) >= (2 if lv in _WEAK_LEVELS else 1)]
    if not usable:
        return []
    top = usable[0]
    chosen: dict[str, Heading] = {}
    for h in candidates:
        if h.level == top and h.key not in chosen:
            chosen[h.key] = h
    if "attachment" not in chosen:
        attach = [h for h in candidates if h.level == "attach"]
        if attach:
            chosen["attachment"] = attach[0]
    sub_keys = SUBSECTION_KEYS if pre2019 else SUBSECTION_KEYS_POST2019
    if sub_keys:
        # Not inside the overview, whose sub-headings name work areas, not sections.
        tops = sorted(chosen.values(), key=lambda h: h.start)
        def in_overview(pos: int) -> bool:
            for i, h in enumerate(tops):
                end = tops[i + 1].start if i + 1 < len(tops) else None
                if h.start <= pos and (end is None or pos < end):
                    return h.key == "overview"
            return False
        for h in candidates:
            if (h.level not in (top, "bare") and h.key in sub_keys and h.key not in chosen
                    and not in_overview(h.start)):
                chosen[h.key] = h
    return sorted(chosen.values(), key=lambda h: h.start)


@dataclass
class Span:
    key: str
    title: str
    start: int
    end: int


def split_sections(text: str, *, pre2019: bool = False) -> tuple[Span | None, list[Span]]:
    """(preamble, sections) as spans over ``text``; the preamble precedes the first heading."""
    heads = choose_headings(find_headings(text), pre2019=pre2019)
    if heads and heads[0].key != "overview" and heads[0].ordinal == 2 and pre2019:
        # Part 一 printed without a heading (wiki mirrors): the overview is the body
        # from its first sub-heading up to part 二.
        first_sub = re.search(r"[（(]一[)）]", text[:heads[0].start])
        if first_sub and _allowed_position(text, first_sub.start()):
            heads.insert(0, Heading("overview", heads[0].level, 1, first_sub.start(), ""))
    spans: list[Span] = []
    for i, h in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else len(text)
        spans.append(Span(h.key, h.title, h.start, end))
    preamble = Span("preamble", "", 0, heads[0].start if heads else len(text))
    return preamble, spans
