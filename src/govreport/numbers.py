"""Parse one number span: Arabic, full-width or Chinese numerals, with a trailing unit.

These functions are meant for a *span where a number is expected* (a table cell, the
``(...)`` group of an extractor regex), never for running text: a numeral converter run
over whole text rewrites ordinary words (统一 → 统1).

- :func:`parse_number` returns the number as printed, in the unit it is printed in:
  ``"11件"`` → 11, ``"1.5万"`` → 15000 (万 is part of the numeral), but
  ``"7730.28万元"`` → 7730.28 (万元 is a unit and is stripped like 件).
- :func:`parse_amount` converts money between 元 / 万元 / 亿元.
- Not-applicable markers (blank, ``/``, ``—``, ``-``, ``--``, ``无``, ``不适用`` …) give
  ``None``; so does anything that is not exactly one number (``"21 0 0"``, ``"十余"``).

Nothing here raises: any input, of any type, gives a number or ``None`` (an ``int`` or a
finite ``float`` passed in is returned as is).
Arithmetic is done in :class:`~decimal.Decimal`; integral results come back as ``int``,
others as ``float`` (``float(Decimal("7730.28"))`` — no binary noise from the scaling).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["NUMBER_PATTERN", "is_blank_marker", "parse_number", "parse_amount", "value_kind",
           "VALUE_KINDS"]

# --- character tables --------------------------------------------------------------------

_FULLWIDTH = str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},  # ０-９
    "．": ".", "，": ",", "－": "-", "＋": "+", "﹣": "-", "−": "-",
})

# Chinese digits (incl. financial 大写 forms and Traditional variants).
# (洞, radio-speak for 0, is left out on purpose: it is not a number in a report.)
_CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2, "俩": 2, "倆": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10 ** 4, "萬": 10 ** 4, "亿": 10 ** 8, "億": 10 ** 8}
_TENS = {"廿": 20, "卅": 30}

_CN_CHARS = "".join(_CN_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS) + "".join(_TENS)

#: Regex source matching one number token — Arabic (``1,234`` ``1，234`` ``12.5``),
#: full-width (``１２３``), Arabic with 万/亿 (``1.5万``), or Chinese (``一千二百三十``).
#: No capturing groups and no anchors, so it can be embedded in an extractor's pattern.
#: Normal spaces are *not* accepted as digit-group separators here (in extracted tables a
#: space separates cells: ``21 0 0``); thin / narrow no-break spaces are.
NUMBER_PATTERN = (
    r"(?:"
    r"(?:[0-9０-９]{1,3}(?:[,，\u2009\u202f][0-9０-９]{3})+|[0-9０-９]+)"
    r"(?:[.．][0-9０-９]+)?"
    r"(?:[万亿萬億](?:[0-9０-９]+(?:[.．][0-9０-９]+)?[万萬]?)?)?"
    r"|[" + _CN_CHARS + r"]+"
    r")"
)

# Units stripped from the end of a span (longest first).  万元/亿元 are units like 件: the
# number is returned in the unit it is printed in (use parse_amount to convert money).
_UNITS = (
    "人民币万元", "人民币亿元", "人民币元", "万元", "萬元", "亿元", "億元",
    "人次", "件次",
    "件", "条", "條", "个", "個", "次", "人", "篇", "份", "项", "項", "元", "页", "頁",
    "家", "起", "场", "場", "期", "批", "户", "戶", "名", "位", "天", "日",
)
_UNIT_RE = re.compile(r"(?:" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + r")$")

_BLANK_MARKERS = frozenset({
    "", "/", "／", "\\", "-", "--", "---", "－", "－－", "—", "——", "–", "––", "─",
    "无", "無", "不适用", "不適用", "不涉及", "暂无", "暫無", "空", "n/a", "na", "none", "null",
    "…", "……", "*", "×",
})

_WS_RE = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_ARABIC_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$", re.ASCII)
_GROUPED_SPACE_RE = re.compile(r"^[+-]?[1-9]\d{0,2}(?: \d{3})+(?:\.\d+)?$", re.ASCII)
_INNER_COMMA_RE = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?:[^0-9]|$))")
_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|.", re.S | re.ASCII)


def is_blank_marker(s: object) -> bool:
    """True for ``None`` and for a cell that says "nothing / not applicable".

    Blank or whitespace-only text, ``/``, ``-``, ``--``, ``—``, ``——``, ``无``,
    ``不适用``, ``不涉及`` (full-width and Traditional forms included).  ``0`` is a
    number, not a blank marker.
    """
    if s is None:
        return True
    if not isinstance(s, str):
        return False
    t = _WS_RE.sub("", s).lower()
    return t in _BLANK_MARKERS


#: What a fact's value means (provenance ``kind``).
VALUE_KINDS = ("printed", "stated_zero", "blank", "not_applicable")
_ZERO_RE = re.compile(r"[0０零〇]")
_DATE_RE = re.compile(r"[0-9０-９]{2,4}年度?|[0-9０-９]{1,2}月份?|[0-9０-９]{1,2}[日号]")


def value_kind(value: object, wording: object) -> str:
    """Which of :data:`VALUE_KINDS` a value is, judged from the source's own wording.

    ``None`` from an empty cell is ``blank``; from ``/``, ``—``, ``无``… it is
    ``not_applicable``. A 0 whose wording prints no zero outside its dates (2016年我局
    未收到…, 没有…) is ``stated_zero``; anything else was ``printed``.
    """
    text = _WS_RE.sub("", wording) if isinstance(wording, str) else ""
    if value is None:
        return "blank" if not text or not is_blank_marker(text) else "not_applicable"
    if value == 0 and not _ZERO_RE.search(_DATE_RE.sub("", text)):
        return "stated_zero"
    return "printed"


def _to_result(d: Decimal) -> int | float:
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _parse_cn(s: str) -> Decimal | None:
    """Parse a Chinese numeral, possibly with Arabic coefficients (1.5万, 3亿5000万)."""
    total = Decimal(0)   # completed 亿/万 sections
    section = Decimal(0)  # below 万 within the current section
    current: Decimal | None = None  # pending digit(s)
    last_unit: int | None = None  # unit just before ``current`` started (for 三万五)
    prev_kind = None  # "digit" | "arabic" | "unit" | "zero"
    seen_any = False
    for tok in _TOKEN_RE.findall(s):
        if tok[0] in "0123456789":
            if prev_kind in ("digit", "arabic", "zero"):
                return None  # "1二", "2 3" — not one number
            current = Decimal(tok)
            prev_kind = "arabic"
            seen_any = True
            continue
        if tok in _CN_DIGITS:
            d = _CN_DIGITS[tok]
            if prev_kind == "arabic":
                return None
            if prev_kind in ("digit", "zero") and current is not None:
                current = current * 10 + d  # digit-by-digit: 二〇一三 → 2013
            else:
                if prev_kind != "unit":
                    last_unit = None
                current = Decimal(d)
            prev_kind = "zero" if d == 0 and prev_kind != "digit" else "digit"
            if d == 0:
                last_unit = None  # 两千零五: the 五 is units, not hundreds
            seen_any = True
            continue
        if tok in _TENS:  # 廿一 = 21: behaves like "二十"
            if current is not None or prev_kind == "unit" and last_unit is not None and last_unit <= 10:
                return None
            section += _TENS[tok]
            last_unit = 10
            prev_kind = "unit"
            seen_any = True
            continue
        if tok in _SMALL_UNITS:
            u = _SMALL_UNITS[tok]
            if prev_kind == "unit" and current is None and last_unit is not None and last_unit <= u:
                return None  # 百千, 十十
            section += (current if current is not None else Decimal(1)) * u
            current = None
            last_unit = u
            prev_kind = "unit"
            seen_any = True
            continue
        if tok in _BIG_UNITS:
            u = _BIG_UNITS[tok]
            if not seen_any:
                return None
            sec = section + (current if current is not None else Decimal(0))
            if u == 10 ** 8:
                total = (total + sec) * u
            else:
                if sec == 0 and total == 0 and current is None and section == 0:
                    return None
                total += sec * u
            section = Decimal(0)
            current = None
            last_unit = u
            prev_kind = "unit"
            continue
        return None  # any other character
    if not seen_any:
        return None
    if current is not None:
        if prev_kind == "digit" and last_unit is not None and last_unit >= 100 and current < 10:
            current *= Decimal(last_unit) / 10  # 三万五 → 35000, 一千二 → 1200
        section += current
    return total + section


def _parse_decimal(span: object) -> Decimal | None:
    if isinstance(span, bool):
        return None
    if isinstance(span, int):
        return Decimal(span)
    if isinstance(span, float):
        return Decimal(repr(span)) if span == span and span not in (float("inf"), float("-inf")) else None
    if not isinstance(span, str):
        return None
    try:
        s = _WS_RE.sub(" ", span).strip()
        if is_blank_marker(s) or len(s) > 200:
            return None
        s = s.translate(_FULLWIDTH)
        # strip one trailing unit (after optional space)
        s = _UNIT_RE.sub("", s).rstrip()
        if not s:
            return None
        # Arabic with separators
        if _ARABIC_RE.match(s):
            return Decimal(s.replace(",", ""))
        if _GROUPED_SPACE_RE.match(s):
            return Decimal(s.replace(" ", ""))
        sign = 1
        if s[0] in "+-":
            sign = -1 if s[0] == "-" else 1
            s = s[1:].lstrip()
        if " " in s or not s:
            return None
        # commas inside a mixed form (1,200万)
        s = _INNER_COMMA_RE.sub("", s)
        v = _parse_cn(s)
        if v is None:
            return None
        return v * sign
    except (InvalidOperation, ValueError, ArithmeticError, TypeError):
        return None


def parse_number(span: str) -> int | float | None:
    """The number in ``span``, or ``None``.

    >>> parse_number("11件"), parse_number("1，234"), parse_number("两千零五")
    (11, 1234, 2005)
    >>> parse_number("1.5万"), parse_number("７７３０．２８"), parse_number("—")
    (15000, 7730.28, None)
    """
    if type(span) is str and len(span) <= _MEMO_LEN:
        hit = _MEMO.get(span, _MISS)
        if hit is _MISS:
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            d = _parse_decimal(span)
            hit = _MEMO[span] = None if d is None else _to_result(d)
        return hit  # type: ignore[return-value]
    d = _parse_decimal(span)
    return None if d is None else _to_result(d)


# parse_number's answers for short text (a pure function of it): a report's cells and
# sentences repeat the same few numbers hundreds of times
_MEMO: dict[str, int | float | None] = {}
_MEMO_MAX = 50_000
_MEMO_LEN = 40
_MISS = object()


_AMOUNT_UNITS = {
    "yuan": Decimal(1), "元": Decimal(1),
    "wan": Decimal(10 ** 4), "万元": Decimal(10 ** 4), "万": Decimal(10 ** 4),
    "yi": Decimal(10 ** 8), "亿元": Decimal(10 ** 8), "亿": Decimal(10 ** 8),
}
_AMOUNT_SUFFIX_RE = re.compile(r"(?:人民币)?([万萬亿億]?)[元圆圓]$")


def parse_amount(span: str, target_unit: str) -> float | int | None:
    """Money in ``span`` expressed in ``target_unit`` (``"yuan"``, ``"wan"`` or ``"yi"``).

    A unit written in the span (元 / 万元 / 亿元) is honoured; without one the number is
    taken to be in ``target_unit`` already.

    >>> parse_amount("251000元", "yuan"), parse_amount("1.2万元", "yuan")
    (251000, 12000)
    >>> parse_amount("7730.28", "wan"), parse_amount("5000元", "wan")
    (7730.28, 0.5)
    """
    try:
        target = _AMOUNT_UNITS.get(target_unit) if isinstance(target_unit, str) else None
        if target is None:
            return None
        if not isinstance(span, str):
            value = _parse_decimal(span)  # a bare number: already in target_unit
            return None if value is None else _to_result(value)
        s = _WS_RE.sub(" ", span).strip()
        if is_blank_marker(s):
            return None
        s = s.translate(_FULLWIDTH)
        m = _AMOUNT_SUFFIX_RE.search(s)
        if m:
            unit = Decimal(10 ** 4) if m.group(1) in ("万", "萬") else (
                Decimal(10 ** 8) if m.group(1) in ("亿", "億") else Decimal(1))
            value = _parse_decimal(s[: m.start()])
        else:
            unit = target
            value = _parse_decimal(s)
        if value is None:
            return None
        return _to_result(value * unit / target)
    except (InvalidOperation, ValueError, ArithmeticError, TypeError):
        return None
