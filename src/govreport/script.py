"""Which script a text is written in, and OpenCC, loaded on first use.

:func:`detect_script` says "traditional" or "simplified" by counting characters only one
script has (OpenCC's per-character t2s and s2t decide); :mod:`govreport.normalize` then
converts with ``t2s`` and, for Traditional sources only, maps Taiwan wording. OpenCC is
imported on first use, and s2t (half its load time) only for text that has a
Traditional-only character at all.
"""
from __future__ import annotations

import functools
from collections import Counter

# the Han blocks: CJK Extension A, Unified Ideographs, Compatibility Ideographs
_HAN_RANGES = (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"))


@functools.cache
def _opencc(config: str):
    import opencc  # noqa: PLC0415 - lazy on purpose (import-time budget)

    try:
        return opencc.OpenCC(config)
    except Exception:  # older bindings want the file name
        return opencc.OpenCC(config + ".json")


def load_converters() -> None:
    """Load OpenCC's t2s and s2t now: a batch server does it once before forking workers
    (a parse loads s2t only for text with Traditional-only characters)."""
    _opencc("t2s")
    _opencc("s2t")


def _t2s(text: str) -> str:
    conv = _opencc("t2s")
    out = conv.convert(text)
    # t2s is not quite idempotent (薴 → 苧 → 苎): convert until stable.
    for _ in range(2):
        again = conv.convert(out)
        if again == out:
            break
        out = again
    return out


_CHAR_CLASS: dict[str, int] = {}  # 1 = Traditional-only, 2 = Simplified-only, 0 = neither
# Simplified-only by OpenCC's per-character s2t, but also ordinary Traditional characters
# (台湾, 公里, 皇后 …): not evidence of Simplified script.
_AMBIGUOUS_SIMPLIFIED = set("台里后干只才面系发范制征松么冲斗谷丑出克了于余准几云借志朴卜")


def _classify(ch: str) -> int:
    c = _CHAR_CLASS.get(ch)
    if c is None:
        if _opencc("t2s").convert(ch) != ch:
            c = 1
        elif ch not in _AMBIGUOUS_SIMPLIFIED and _opencc("s2t").convert(ch) != ch:
            c = 2
        else:
            c = 0
        _CHAR_CLASS[ch] = c
    return c


def _is_han(ch: str) -> bool:
    return any(lo <= ch <= hi for lo, hi in _HAN_RANGES)


def _han_counts(text: str) -> dict[str, int]:
    """Han character -> count, in order of first appearance (counted in C, then the
    few hundred distinct characters checked: no regex over every character)."""
    return {ch: n for ch, n in Counter(text).items() if _is_han(ch)}


def script_counts(text: str) -> tuple[int, int]:
    """(Traditional-only characters, Simplified-only characters) in ``text``."""
    trad = simp = 0
    for ch, n in _han_counts(text).items():
        c = _classify(ch)
        if c == 1:
            trad += n
        elif c == 2:
            simp += n
    return trad, simp


def _traditional_only(ch: str) -> bool:
    """``_classify(ch) == 1`` without OpenCC's s2t (50 ms to load, half a cold start's
    OpenCC): t2s alone decides it."""
    c = _CHAR_CLASS.get(ch)
    if c is None:
        if ch in _T2S_SAME:
            return False
        if _opencc("t2s").convert(ch) == ch:
            _T2S_SAME.add(ch)  # class 0 or 2: which one, only s2t tells
            return False
        c = _CHAR_CLASS[ch] = 1
    return c == 1


_T2S_SAME: set[str] = set()  # characters t2s leaves as they are


def detect_script(text: str) -> str:
    """``"traditional"`` or ``"simplified"``.

    Counts characters that only exist in Traditional (t2s changes them) against characters
    that only exist in Simplified (s2t changes them, t2s does not).  Only a clear majority
    of Traditional-only characters (at least three times the Simplified-only ones) says
    Traditional, so Simplified text with stray Traditional characters, or a big5 gateway
    page mixing 資訊/信息, is classified by what most of it is.  Text without any
    Traditional-only character is Simplified whatever the other count: s2t is loaded
    only for text that has some.
    """
    if not isinstance(text, str) or not text:
        return "simplified"
    counts = _han_counts(text)
    if not any(_traditional_only(ch) for ch in counts):
        return "simplified"
    trad, simp = script_counts(text)
    return "traditional" if trad > 0 and trad >= 3 * simp else "simplified"
