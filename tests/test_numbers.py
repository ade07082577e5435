"""govreport.numbers: one number span → int/float/None, never an exception."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govreport.numbers import NUMBER_PATTERN, is_blank_marker, parse_amount, parse_number

_DIGITS = "零一二三四五六七八九"


def _section(x: int) -> str:
    """0 < x < 10000 in Chinese, with 零 for inner zero runs."""
    out, zero = "", False
    for i, unit in ((3, "千"), (2, "百"), (1, "十"), (0, "")):
        d = x // 10 ** i % 10
        if d == 0:
            zero = zero or bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + unit
    return out


def to_chinese(n: int, *, short_ten: bool = False) -> str:
    """Standard reading of 0 <= n < 10**12: 两千零五 is written 二千零五, 10005 一万零五."""
    if n == 0:
        return "零"
    out, need_zero = "", False
    for val, unit in ((n // 10 ** 8, "亿"), (n // 10 ** 4 % 10 ** 4, "万"), (n % 10 ** 4, "")):
        if val == 0:
            need_zero = need_zero or bool(out)
            continue
        if out and (need_zero or val < 1000):
            out += "零"
        out += _section(val) + unit
        need_zero = False
    if short_ten and out.startswith("一十"):
        out = out[1:]  # 一十一 → 十一
    return out


@pytest.mark.parametrize("span, expected", [
    ("11件", 11), ("11 件", 11), ("0", 0), ("21", 21), ("1,234", 1234), ("1，234", 1234),
    ("12 345", 12345), ("1\u2009234\u2009567", 1234567), ("１２３", 123), ("１２．５", 12.5),
    ("7730.28", 7730.28), ("316441", 316441), ("11398889", 11398889),
    ("十一", 11), ("十", 10), ("两件", 2), ("一千二百三十", 1230), ("两千零五", 2005),
    ("三万五千", 35000), ("三万五", 35000), ("一千二", 1200), ("一百零一万", 1010000),
    ("十亿", 10 ** 9), ("二〇一三", 2013), ("壹佰贰拾", 120), ("廿一", 21),
    ("1.2万", 12000), ("1.5万", 15000), ("3亿", 300000000), ("3亿5000万", 350000000),
    ("1,200万", 12000000), ("兩萬", 20000),
    ("400元", 400), ("7730.28万元", 7730.28), ("2070人次", 2070), ("1136条", 1136),
    ("-3", -3), ("－3", -3), ("+5", 5),
])
def test_parse_number_examples(span, expected):
    got = parse_number(span)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize("span", [
    None, "", "  ", "/", "／", "—", "——", "-", "--", "无", "不适用", "不涉及", "\u00a0",
    "21 0 0", "0 100", "1,2345", "1，2", "十余件", "200余件", "90.3%", "万", "件", "abc",
    "统一", "一是", "2013年", "十十", "1二",
])
def test_parse_number_none(span):
    assert parse_number(span) is None


def test_integral_results_are_int_without_float_noise():
    assert parse_number("1.0") == 1 and isinstance(parse_number("1.0"), int)
    assert parse_number("0.1万") == 1000 and isinstance(parse_number("0.1万"), int)
    assert parse_number("1.15万") == 11500


@pytest.mark.parametrize("span, unit, expected", [
    ("251000元", "yuan", 251000), ("1.2万元", "yuan", 12000), ("7730.28", "wan", 7730.28),
    ("5000元", "wan", 0.5), ("0 元", "yuan", 0), ("400元", "yuan", 400), ("３亿元", "wan", 30000),
    ("7730.28万元", "wan", 7730.28), ("7730.28万元", "yuan", 77302800), ("1.5", "yuan", 1.5),
    ("—", "wan", None), ("", "yuan", None), ("abc元", "yuan", None), ("5元", "furlongs", None),
])
def test_parse_amount(span, unit, expected):
    got = parse_amount(span, unit)
    assert got == expected
    if expected is not None:
        assert type(got) is type(expected)


def test_blank_markers():
    for s in (None, "", " ", "/", "／", "—", "-", "--", "无", "不适用", "不涉及", "\u3000"):
        assert is_blank_marker(s), s
    for s in ("0", "1", "无法提供", "-3", "0元"):
        assert not is_blank_marker(s), s


def test_number_pattern_embeds_and_round_trips():
    rx = re.compile(NUMBER_PATTERN)
    assert rx.groups == 0
    text = "共受理申请11件，主动公开1,234条、十一件，收费1.5万元，３２０件"
    found = rx.findall(text)
    assert found == ["11", "1,234", "十一", "1.5万", "３２０"]
    assert [parse_number(f) for f in found] == [11, 1234, 11, 15000, 320]
    m = re.search(r"受理[^0-9]{0,12}?(" + NUMBER_PATTERN + r")\s*件", "受理政府信息公开申请 21 件")
    assert m and parse_number(m.group(1)) == 21


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789,.，．- 十百千万亿零一二两三五件元/—无", max_size=20)),
       st.sampled_from(["yuan", "wan", "yi", "bogus"]))
def test_never_raises(s, unit):
    r = parse_number(s)
    assert r is None or isinstance(r, (int, float))
    a = parse_amount(s, unit)
    assert a is None or isinstance(a, (int, float))
    assert isinstance(is_blank_marker(s), bool)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 9))
def test_round_trip_int(n):
    assert parse_number(str(n)) == n
    assert parse_number(format(n, ",")) == n
    assert parse_number(format(n, ",").replace(",", "，")) == n
    assert parse_number(str(n).translate({ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789"})) == n
    assert parse_number(to_chinese(n)) == n, to_chinese(n)
    assert parse_number(to_chinese(n, short_ten=True)) == n, to_chinese(n, short_ten=True)
    assert parse_number(str(n) + "件") == n


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 7), st.integers(min_value=0, max_value=99))
def test_round_trip_decimal(units, cents):
    s = f"{units}.{cents:02d}"
    assert parse_number(s) == (units if cents == 0 else float(s))
    assert parse_amount(s + "万元", "wan") == parse_number(s)
