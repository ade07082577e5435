"""Matching the printed row and column labels of tables 二/三/四 to their keys, by meaning.

The rows and columns themselves are data, in :mod:`govreport.schema`.

Real tables print labels with typos ("2.其他法律行政止公开"), wrapped over lines, one
character per line, with 1. / 1、 numbering, in Traditional script (normalised before
they reach us) — so a label is matched by a few distinctive words, and when none is
found by its number inside the group it sits in. Nothing here depends on the source
format; the extractors feed cleaned label strings in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import schema as S
from ..schema import (  # noqa: F401  (the rows and columns, re-exported for the table readers)
    APPLICANT_COLUMNS,
    MONEY_COLUMNS,
    T2_2019_WORDS,
    T2_2021_WORDS,
    T2_COLUMN_LABELS,
    T2_COLUMN_WORDS,
    T2_DEFAULT_COLUMNS,
    T2_ROWS,
    T2_SIGNATURE,
    T3_2021_WORDS,
    T3_COLUMN_LABELS,
    T3_COLUMNS,
    T3_HEADER_WORDS,
    T3_RESULT_ROWS,
    T3_ROW_BY_KEY,
    T3_ROWS,
    T3_SIGNATURE,
    T4_BLOCK_LABELS,
    T4_BLOCKS,
    T4_COLUMN_LABELS,
    T4_COLUMNS,
    T4_SIGNATURE,
    RowDef,
    t2_key,
)

# --------------------------------------------------------------------------------------
# cleaning
# --------------------------------------------------------------------------------------

_WS = re.compile(r"[\s\u00a0\u3000]+")
_PUNCT = str.maketrans({"、": ".", "．": ".", "(": "（", ")": "）", "\"": "“", "'": "“",
                        "”": "“", "「": "“", "」": "“", "，": ",", "：": ":"})


def clean(s: str | None) -> str:
    """A label without whitespace, with 、/． numbering unified to '.' and brackets to （）."""
    if not s:
        return ""
    return _WS.sub("", s).translate(_PUNCT)


# --------------------------------------------------------------------------------------
# table 三
# --------------------------------------------------------------------------------------

_OTHER_2019 = S.T3_ROW_PARTS["other_2019"]
GROUP_WORDS = S.T3_GROUP_WORDS
_GROUP_NUMERAL = {"三": "denied", "四": "unavailable", "五": "not_processed", "六": "other"}
_GROUP_MARK = re.compile(r"（([三四五六])）")
_SUB_NUMBER = re.compile(r"(?<![0-9])([1-9])\.(?=[^0-9]|$)")
_SEVEN_TOTAL = re.compile(r"(?:（七）|七）|^)(?:总计|合计)$|（七）(?:总计|合计)")

@dataclass(frozen=True)
class RowMatch:
    key: str
    strong: bool  # matched by words (True) or only by number inside a group (False)


@lru_cache(maxsize=4096)
def group_of(label: str) -> str | None:
    """The （三）…（六） group a label names or carries, if any."""
    s = clean(label)
    for group, words in GROUP_WORDS.items():
        if any(w in s for w in words):
            return group
    m = _GROUP_MARK.search(s)
    if m:
        return _GROUP_NUMERAL[m.group(1)]
    return None


def sub_number(label: str) -> int | None:
    m = _SUB_NUMBER.search(clean(label))
    return int(m.group(1)) if m else None


@lru_cache(maxsize=4096)
def match_t3_row(label: str, group: str | None, variant: str | None = None) -> RowMatch | None:
    """The table 三 row a (cleaned or printed) label means.

    ``group`` is the group the row sits in when known (from a merged group cell or the
    rows above); it resolves "3.其他" and labels recognised only by their number.
    """
    s = clean(label)
    if not s:
        return None
    rows = T3_ROWS.get(variant or "2021", T3_ROWS["2021"])
    all_rows = rows if variant else T3_ROWS["2021"] + _OTHER_2019
    # Words of sub-rows and of top rows; sub-row words first (they are more specific:
    # "申请人无正当理由逾期不补正…不再处理其政府信息公开申请" also contains 公开申请).
    hits = [r for r in all_rows if r.words and any(w in s for w in r.words)]
    if len(hits) > 1:
        # Prefer a hit inside the known group, then the one whose word occurs last
        # (closest to the numbers in run-together text).
        in_group = [r for r in hits if group and r.group == group]
        if len(in_group) == 1:
            return RowMatch(in_group[0].key, True)
        subs = [r for r in hits if r.group is not None]
        if len(subs) == 1 and not any(r.key in ("granted", "partially_granted") for r in hits):
            return RowMatch(subs[0].key, True)

        def last_pos(r: RowDef) -> int:
            return max(s.rfind(w) for w in r.words)
        hits.sort(key=last_pos)
        if last_pos(hits[-1]) > last_pos(hits[-2]):
            return RowMatch(hits[-1].key, True)
        return None
    if len(hits) == 1:
        hit = hits[0]
        if hit.key == "other" and variant == "2021":
            return None  # the （六） group label of the 2021 table, not a data row
        return RowMatch(hit.key, True)
    if _SEVEN_TOTAL.search(s):
        return RowMatch("total_processed", True)
    n = sub_number(s)
    body = _SUB_NUMBER.sub("", s, count=1)
    if group == "other" and n == 3 and body.startswith(("其他", "其它")):
        return RowMatch("other.misc", True)
    if body in ("其他", "其它") and group == "other":
        return RowMatch("other.misc", True)
    if n is not None and group is not None:
        for r in rows:
            if r.group == group and r.number == n:
                return RowMatch(r.key, False)
    return None


def t3_column(header: str) -> str | None:
    """The table 三 column a header cell (all its header rows joined) names."""
    s = clean(header).replace("法人或其他组织", "").replace("申请人情况", "")
    if not s:
        return None
    for key, words in (("natural_person", ("自然人",)), ("commercial", ("商业",)),
                       ("research", ("科研",)), ("social_welfare", ("公益",)),
                       ("legal_services", ("法律服务", "律服务")), ("total", ("总计", "合计")),
                       ("other_org", ("其他", "其它"))):
        if any(w in s for w in words):
            return key
    return None


# --------------------------------------------------------------------------------------
# table 二
# --------------------------------------------------------------------------------------

def t2_row(label: str) -> str | None:
    s = clean(label)
    if not s or len(s) > 24:
        return None
    for key, words in T2_ROWS:
        if any(w in s for w in words):
            return key
    return None


def t2_column(header: str) -> str | None:
    s = clean(header)
    if not s:
        return None
    for key, words in T2_COLUMN_WORDS:
        if any(w in s for w in words):
            return key
    return None


def t2_variant_of(text: str) -> str | None:
    s = clean(text)
    if any(w in s for w in T2_2021_WORDS):
        return "2021"
    if any(w in s for w in T2_2019_WORDS):
        return "2019"
    return None


# --------------------------------------------------------------------------------------
# table 四
# --------------------------------------------------------------------------------------

def t4_block(header: str) -> str | None:
    s = clean(header)
    if "复议后" in s:
        return "litigation_after_review"
    if "未经复议" in s or "直接起诉" in s:
        return "litigation_direct"
    if "复议" in s and "诉讼" not in s:
        return "review"
    return None


def t4_column(header: str) -> str | None:
    s = clean(header)
    for key, words in (("upheld", ("维持",)), ("corrected", ("纠正",)), ("pending", ("尚未", "审结")),
                       ("total", ("总计", "合计")), ("other", ("其他", "其它"))):
        if any(w in s for w in words):
            return key
    return None
