"""Report metadata: title, issuer, statistics year and era, from the normalised text.

PDF metadata is often garbage (WPS writes UTF-16 junk into Title), so everything is read
from the text itself: the title line near the top, the issuer as the title names it, the
year the statistics cover (a 2012 report published in 2013 is 2012).
"""
from __future__ import annotations

import re
from collections import Counter

from .lazyre import lazy
from .numbers import parse_number

_TITLE_END = lazy(r"(?:信息公开|政务公开)[^\n。，,]{0,12}?(?:年度报告|年报|工作报告)|年度报告|年报")
_YEAR = lazy(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = lazy(r"([二〇零一三四五六七八九]{4})\s*年")
_ISSUER_JUNK = lazy(r"^(?:[\w.-]+\.(?:com|cn|net|org))|关于公布|关于印发|关于发布|^[【\[].*?[】\]]")
# Post-2019 markers: words only the 2019 条例's format prints.
_POST2019_WORDS = ("收到和处理政府信息公开申请", "本年新收政府信息公开申请数量",
                   "第二十条第", "上年结转政府信息公开申请数量")
_HEAD_CHARS = 1200
_HEADING_START = lazy(r"\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])")


def _clean_line(line: str) -> str:
    line = re.sub(r"^\s*(?:标题|题目|title)\s*[:：|]\s*", "", line, flags=re.I)
    return line.strip(" |#*\t")


def find_title(text: str, hint: str | None = None) -> str | None:
    """The report's title: a line near the top naming a year and 年度报告 / 年报."""
    if hint:
        hint = _clean_line(hint)
        if _TITLE_END.search(hint):
            return hint
    lines = [_clean_line(x) for x in text[:_HEAD_CHARS].split("\n")]
    for i, line in enumerate(lines):
        if (not line or len(line) > 60 or "http" in line or "www." in line
                or "根据" in line or "本报告" in line):
            continue
        candidates = [line]
        if i + 1 < len(lines) and lines[i + 1] and len(lines[i + 1]) < 20:
            candidates.append(line + lines[i + 1])  # title wrapped over two lines
        for cand in candidates:
            if "根据" in cand or "本报告" in cand or _HEADING_START.match(cand):
                continue
            m = _TITLE_END.search(cand)
            if m and (_YEAR.search(cand) or _CN_YEAR.search(cand)):
                return cand[:m.end()].strip()
    return hint or None


def issuer_from_title(title: str | None) -> str | None:
    """The body the title names: the words before the year, or after it."""
    if not title:
        return None
    t = re.sub(r"\s+", "", title)
    m = _YEAR.search(t)
    if not m:
        return None
    before = _ISSUER_JUNK.sub("", t[:m.start()]).strip("《》“”\"：:，,")
    if len(before) >= 2:
        return before
    after = t[m.end():]
    after = re.sub(r"^度", "", after)
    cut = re.search(r"政府信息公开|政务公开|信息公开|年度报告", after)
    name = after[:cut.start()].strip("《》“”\"：:，,") if cut else ""
    return name or None


# "由山西省人民政府办公厅编制", "综合2017年度丽水市各县…", "蒲纺工业园区2020年政府信息公开…"
_ISSUER_IN_BODY = (
    lazy(r"由([^\s，。,、：:（）()《》]{3,20}?)(?:编制|综合|汇总)"),
    lazy(r"([^\s，。,、：:（）()《》“”]{2,24}?)(?:19|20)\d{2}\s*年度?(?:政府)?信息公开"),
    lazy(r"(?:19|20)\d{2}\s*年度?([^\s，。,、的]{2,10}?(?:省|市|区|县|旗|镇|乡))各"),
)
_ADMIN_SUFFIX = lazy(r"(?:省|市|区|县|旗|镇|乡|局|委|委员会|厅|办|政府|园区|管委会|中心|街道|"
                     r"办事处|办公室|公司|院|所|署|部|会)$")
_VERB_PREFIX = lazy(r"^.*?(?:关于公布|公布|印发|发布|现将|编制了?)")


def issuer_from_body(text: str) -> str | None:
    """The issuer named in the opening paragraphs, for reports without a title line."""
    head = text[:_HEAD_CHARS * 2]
    for pattern in _ISSUER_IN_BODY:
        for m in pattern.finditer(head):
            name = _VERB_PREFIX.sub("", m.group(1)).strip("《》“”\"：:")
            if (len(name) >= 2 and _ADMIN_SUFFIX.search(name)
                    and not re.search(r"\d|条例|报告|规定|通知", name)):
                return name
    return None


def _cn_year(s: str) -> int | None:
    """二〇一三 → 2013 (digit by digit), by the one Chinese numeral parser."""
    value = parse_number(s)
    return value if isinstance(value, int) and 1900 <= value <= 2099 else None


def find_year(text: str, title: str | None) -> int | None:
    """The year the statistics cover."""
    if title:
        m = _YEAR.search(title.replace(" ", ""))
        if m:
            return int(m.group(1))
        m = _CN_YEAR.search(title)
        if m and _cn_year(m.group(1)):
            return _cn_year(m.group(1))
    head = text[:3000]
    m = re.search(r"统计(?:期限|时限|周期|区间)[^。]{0,10}?((?:19|20)\d{2})\s*年", head)
    if m:
        return int(m.group(1))
    # The most frequent plausible year in the opening, ignoring publication dates.
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\d{1,2}月\d{1,2}日发布)", head)
             if 2007 <= int(y) <= 2035]
    if years:
        return Counter(years).most_common(1)[0][0]
    # Last resort: the one plausible year in a source address ("…/lys2013nd…").
    first = text[:300]
    found = {int(y) for y in re.findall(r"(?<!\d)(20[0-3]\d)(?!\d)", first)}
    return found.pop() if len(found) == 1 else None


def find_era(text: str, year: int | None) -> str:
    if year is not None:
        return "post2019" if year >= 2019 else "pre2019"
    return "post2019" if any(w in text for w in _POST2019_WORDS) else "pre2019"


def detect_meta(text: str, *, title_hint: str | None, script: str) -> dict:
    title = find_title(text, title_hint)
    year = find_year(text, title)
    return {
        "title": title,
        "issuer": issuer_from_title(title) or issuer_from_body(text),
        "year": year,
        "era": find_era(text, year),
        "script": script,
    }
