"""Hypothesis properties for the normaliser, the number parser and the section splitter.

They extend (not repeat) the properties in test_normalize.py / test_numbers.py /
test_sections.py: those draw from small alphabets; these add hostile Unicode (lone
surrogates, controls, private use, huge runs), Traditional text, numbers written every way
a report writes them, and sections split from generated reports with noise around the
headings. Budgets are small (a few seconds in all); derandomize keeps CI deterministic.
"""
from __future__ import annotations

import functools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreport.normalize import detect_script, normalize, normalize_cell
from govreport.numbers import NUMBER_PATTERN, parse_amount, parse_number
from govreport.sections import find_headings, split_sections

FAST = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

# -- strategies -------------------------------------------------------------------------

# Anything str can hold: lone surrogates (bad decodes), controls, private use (PDF fonts),
# non-characters, astral planes, combining marks.
HOSTILE = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF,
                                         blacklist_categories=()), max_size=120)
_REPORT_CHARS = ("政府信息公开工作年度报告主动公开申请办理结果行政复议诉讼收费总计本年新收上年结转"
                 "一二三四五六七八九十、（）()。，：；\n\t 0123456789")


@functools.cache
def _traditional_alphabet() -> str:
    import opencc

    return opencc.OpenCC("s2twp").convert(_REPORT_CHARS + "门户网站规范性文件信息处理费这个们国为发后过")


def _trad_text():
    return st.lists(st.sampled_from(list(_traditional_alphabet())), max_size=80).map("".join)


def _t2s(text: str) -> str:
    import opencc

    return opencc.OpenCC("t2s").convert(text)


# -- normaliser ---------------------------------------------------------------------------

@FAST
@given(HOSTILE)
def test_normalize_hostile_unicode(raw):
    n = normalize(raw)
    assert isinstance(n.text, str)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in n.text), "lone surrogates must not survive"
    n.text.encode("utf-8")  # always writable as JSON/UTF-8
    assert normalize(n.text).text == n.text
    assert 0 <= n.to_source(0) <= len(raw) and n.to_source(len(n.text)) == len(raw)
    c = normalize_cell(raw)
    assert c is None or isinstance(c, str)


@FAST
@given(st.one_of(_trad_text(), HOSTILE))
def test_t2s_idempotent_and_output_simplified(raw):
    n = normalize(raw)
    # t2s twice is t2s once, and the output is a fixed point of t2s
    assert _t2s(_t2s(raw)) == _t2s(raw)
    assert _t2s(n.text) == n.text
    assert normalize(n.text).text == n.text


@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.sampled_from(["a", "政", " ", "\u3000", "(gong)", "\ufffd", "第3页\n", "- 3 -\n", "\ue000"]),
       st.integers(1000, 20000))
def test_normalize_long_runs(unit, times):
    raw = unit * times
    n = normalize(raw)
    assert len(n.text) <= len(raw)
    assert n.to_source(len(n.text)) == len(raw)


def test_script_of_normalised_traditional_text_is_simplified():
    trad = _traditional_alphabet()
    n = normalize(trad)
    assert n.script == "traditional"
    assert detect_script(n.text) == "simplified"


# -- numbers ------------------------------------------------------------------------------

_FW = str.maketrans({str(i): chr(0xFF10 + i) for i in range(10)} | {".": "．", ",": "，"})


@FAST
@given(st.integers(0, 10 ** 12), st.sampled_from(["", "件", "条", "个", "项", "人次", "元", "万元"]),
       st.sampled_from(["plain", "comma", "fullwidth", "fw-comma", "space-around"]))
def test_int_round_trip_every_printing(n, unit, style):
    s = {"plain": str(n), "comma": format(n, ","), "fullwidth": str(n).translate(_FW),
         "fw-comma": format(n, ",").translate(_FW), "space-around": f"  {n} "}[style]
    assert parse_number(s + unit) == n


@FAST
@given(st.decimals(min_value=0, max_value=10 ** 9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["yuan", "wan", "yi"]))
def test_amount_units_convert(d, target):
    import math

    scale = {"yuan": Decimal(1), "wan": Decimal(10 ** 4), "yi": Decimal(10 ** 8)}
    text = format(d, "f")
    for written, factor in (("元", Decimal(1)), ("万元", Decimal(10 ** 4)), ("亿元", Decimal(10 ** 8)),
                            ("人民币万元", Decimal(10 ** 4))):
        got = parse_amount(text + written, target)
        want = float(d * factor / scale[target])
        assert got is not None and math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12), \
            (text + written, target, got, want)
    assert parse_amount(text, target) == parse_number(text)  # no unit: already in target


@FAST
@given(st.integers(1, 9999), st.integers(0, 9999))
def test_wan_forms(a, b):
    # "1.5万" style: the numeral includes 万 (not a unit); "3万2000" too
    assert parse_number(f"{a}万") == a * 10000
    assert parse_number(f"{a}.5万") == a * 10000 + 5000
    if b:
        assert parse_number(f"{a}万{b}") == a * 10000 + b


@FAST
@given(st.text(alphabet=st.sampled_from(list("0123456789,.，．万亿十百千零一二三 件元\u3000\u00a0-+/—")),
               max_size=25))
def test_number_pattern_matches_parse(s):
    import re

    # whatever NUMBER_PATTERN matches as the whole span parses or is refused, never raises
    m = re.fullmatch(NUMBER_PATTERN, s)
    v = parse_number(s)
    assert v is None or isinstance(v, (int, float))
    if m and s.isdigit() and s.isascii():
        assert v == int(s)


@FAST
@given(HOSTILE, st.one_of(st.none(), st.integers(), st.floats(), st.binary(max_size=10)))
def test_numbers_never_raise_on_anything(s, other):
    for x in (s, other):
        r = parse_number(x)
        assert r is None or isinstance(r, (int, float))
        for unit in ("yuan", "wan", "yi", "bogus", None):
            r = parse_amount(x, unit)
            assert r is None or isinstance(r, (int, float))


# -- sections -----------------------------------------------------------------------------

def _tiles(text: str, pre, spans) -> None:
    assert pre.start == 0
    pos = pre.end
    for s in spans:
        assert s.start == pos and s.end >= s.start
        pos = s.end
    assert pos == len(text)
    assert len({s.key for s in spans}) == len(spans)


@FAST
@given(HOSTILE, st.booleans())
def test_splitter_on_hostile_text(text, pre2019):
    pre, spans = split_sections(text, pre2019=pre2019)
    _tiles(text, pre, spans)
    find_headings(text)


@functools.cache
def _generated(era: str) -> tuple[str, tuple[str, ...]]:
    from govreport import fixtures as F

    spec = F.default_spec(era)
    text = normalize(F.render_text(spec)).text
    pre, spans = split_sections(text, pre2019=era == "pre2019")
    return text, tuple(s.key for s in spans)


_NOISE = st.text(alphabet=st.sampled_from(list("abcXYZ0123456789 .,;:-_/=+@#%&*")), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["post2019", "pre2019"]), st.data())
def test_splitter_keeps_sections_of_a_generated_report_under_noise(era, data):
    """Lines of Latin/digit noise (page furniture, URLs, crawler junk) between the lines of
    a generated report never lose or invent a section."""
    text, keys = _generated(era)
    assert keys
    lines = text.split("\n")
    out = []
    for line in lines:
        if data.draw(st.booleans(), label="noise before"):
            out.append(data.draw(_NOISE, label="noise"))
        out.append(line)
    noisy = "\n".join(out)
    pre, spans = split_sections(noisy, pre2019=era == "pre2019")
    _tiles(noisy, pre, spans)
    assert tuple(s.key for s in spans) == keys


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["post2019", "pre2019"]), st.data())
def test_splitter_on_mangled_generated_report(era, data):
    """Deleting, duplicating and joining lines of a real-shaped report: still a tiling with
    unique keys, every key a known one."""
    from govreport.sections import SECTION_RULES

    text, _ = _generated(era)
    lines = text.split("\n")
    ops = data.draw(st.lists(st.tuples(st.sampled_from(["del", "dup", "join", "swap"]),
                                       st.integers(0, len(lines) - 1)), max_size=12))
    for op, i in ops:
        i %= max(1, len(lines))
        if not lines:
            break
        if op == "del":
            lines.pop(i)
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + lines[i + 1]]
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
    mangled = "\n".join(lines)
    pre, spans = split_sections(mangled, pre2019=era == "pre2019")
    _tiles(mangled, pre, spans)
    known = {k for k, _ in SECTION_RULES}
    assert all(s.key in known for s in spans)
