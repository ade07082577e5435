"""Row and column labels of tables 二/三/四 (SCHEMA §3.1–3.3), matched by meaning.

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

T3_COLUMNS: tuple[str, ...] = ("natural_person", "commercial", "research", "social_welfare",
                               "legal_services", "other_org", "total")
T3_COLUMN_LABELS: dict[str, str] = {
    "natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
    "social_welfare": "社会公益组织", "legal_services": "法律服务机构", "other_org": "其他",
    "total": "总计",
}
APPLICANT_COLUMNS = T3_COLUMNS[:6]


@dataclass(frozen=True)
class RowDef:
    key: str              # "denied.process_info"
    label: str            # canonical printed label
    group: str | None     # "denied" | "unavailable" | "not_processed" | "other" | None
    number: int | None    # position inside the group (1-based), for numbered sub-rows
    words: tuple[str, ...]  # distinctive words (any one identifies the row)


_HEAD = [
    RowDef("new_received", "一、本年新收政府信息公开申请数量", None, None, ("新收", "本年新")),
    RowDef("carried_over", "二、上年结转政府信息公开申请数量", None, None, ("上年结转", "上年度结转", "上一年结转")),
    RowDef("granted", "（一）予以公开", None, None, ("予以公开",)),
    RowDef("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, None,
           ("部分公开", "区分处理", "只计这一情形")),
    RowDef("denied.state_secret", "1.属于国家秘密", "denied", 1, ("国家秘密", "国家秘")),
    RowDef("denied.prohibited_by_law", "2.其他法律行政法规禁止公开", "denied", 2,
           ("禁止公开", "其他法律", "行政法规禁止", "法律行政")),
    RowDef("denied.security_stability", "3.危及“三安全一稳定”", "denied", 3,
           ("三安全", "一稳定", "危及")),
    RowDef("denied.third_party_rights", "4.保护第三方合法权益", "denied", 4, ("第三方", "合法权益")),
    RowDef("denied.internal_affairs", "5.属于三类内部事务信息", "denied", 5, ("内部事务", "三类内部")),
    RowDef("denied.process_info", "6.属于四类过程性信息", "denied", 6, ("过程性", "四类过程")),
    RowDef("denied.enforcement_file", "7.属于行政执法案卷", "denied", 7, ("执法案卷", "行政执法")),
    RowDef("denied.admin_query", "8.属于行政查询事项", "denied", 8, ("行政查询", "查询事项")),
    RowDef("unavailable.not_held", "1.本机关不掌握相关政府信息", "unavailable", 1, ("不掌握", "本机关不")),
    RowDef("unavailable.needs_creation", "2.没有现成信息需要另行制作", "unavailable", 2,
           ("另行制作", "没有现成", "现成信息")),
    RowDef("unavailable.unclear_after_correction", "3.补正后申请内容仍不明确", "unavailable", 3,
           ("补正后", "仍不明确", "内容不明确")),
    RowDef("not_processed.petition_complaint", "1.信访举报投诉类申请", "not_processed", 1,
           ("信访", "举报投诉", "投诉类")),
    RowDef("not_processed.duplicate", "2.重复申请", "not_processed", 2, ("重复申请",)),
    RowDef("not_processed.publication", "3.要求提供公开出版物", "not_processed", 3, ("出版物",)),
    RowDef("not_processed.excessive", "4.无正当理由大量反复申请", "not_processed", 4,
           ("大量反复", "反复申请")),
    RowDef("not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息", "not_processed", 5,
           ("重新出具", "确认或", "已获取信息")),
]
_OTHER_2019 = [RowDef("other", "（六）其他处理", None, None, ("其他处理", "其它处理"))]
_OTHER_2021 = [
    RowDef("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
           "other", 1, ("不补正", "逾期不补")),
    RowDef("other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
           "other", 2, ("缴纳费用", "收费通知", "未按收费")),
    RowDef("other.misc", "3.其他", "other", 3, ()),
]
_TAIL = [
    RowDef("total_processed", "（七）总计", None, None, ()),
    RowDef("carried_forward", "四、结转下年度继续办理", None, None,
           ("结转下年", "下年度继续", "转下年度", "结转下一年")),
]
T3_ROWS: dict[str, list[RowDef]] = {
    "2019": _HEAD + _OTHER_2019 + _TAIL,
    "2021": _HEAD + _OTHER_2021 + _TAIL,
}
T3_ROW_BY_KEY: dict[str, RowDef] = {r.key: r for rows in T3_ROWS.values() for r in rows}
T3_RESULT_ROWS: dict[str, list[str]] = {
    v: [r.key for r in rows if r.key not in ("new_received", "carried_over", "total_processed",
                                             "carried_forward")]
    for v, rows in T3_ROWS.items()
}

GROUP_WORDS: dict[str, tuple[str, ...]] = {
    "denied": ("不予公开",),
    "unavailable": ("无法提供",),
    "not_processed": ("不予处理",),
    "other": ("其他处理", "其它处理"),
}
_GROUP_NUMERAL = {"三": "denied", "四": "unavailable", "五": "not_processed", "六": "other"}
_GROUP_MARK = re.compile(r"（([三四五六])）")
_SUB_NUMBER = re.compile(r"(?<![0-9])([1-9])\.(?=[^0-9]|$)")
_SEVEN_TOTAL = re.compile(r"(?:（七）|七）|^)(?:总计|合计)$|（七）(?:总计|合计)")

# Words that say a row is part of table 三 (header or label), for finding the table.
T3_SIGNATURE = ("申请人情况", "本年新收", "上年结转", "予以公开", "不予公开", "无法提供", "不予处理",
                "结转下年度", "自然人", "商业企业", "科研机构", "社会公益", "法律服务", "勾稽关系",
                "不掌握相关政府信息", "信访举报", "重复申请", "办理结果")
T3_HEADER_WORDS = ("申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益",
                   "法律服务", "勾稽关系", "商业", "科研", "公益")
# Variant words: only the 2021 table 三 has sub-rows under （六）.
T3_2021_WORDS = ("不补正", "缴纳费用", "收费通知")


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

# Row label -> row prefix; (variant-specific) column header -> column key.
T2_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("other_services", ("其他对外管理服务事项", "对外管理服务")),
    ("normative_docs", ("规范性文件",)),
    ("rules", ("规章",)),
    ("admin_licensing", ("行政许可",)),
    ("admin_penalty", ("行政处罚",)),
    ("admin_coercion", ("行政强制",)),
    ("admin_fees", ("行政事业性收费", "事业性收费")),
    ("central_procurement", ("政府集中采购", "集中采购")),
)
T2_COLUMNS: tuple[tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], str], ...] = (
    # (column key, header words, variant)
    ("issued", ("制发",), "2021"),
    ("repealed", ("废止",), "2021"),
    ("in_force", ("现行有效",), "2021"),
    ("amount_wan", ("收费金额",), "2021"),
    ("new_made", ("新制作",), "2019"),
    ("new_published", ("新公开",), "2019"),
    ("total_published", ("公开总数", "对外公开总")),
    ("prev_year_items", ("上一年项目", "上年项目")),
    ("change", ("增/减", "增减", "增/ 减")),
    ("items", ("采购项目",)),
    ("amount_yuan", ("采购总金额", "总金额")),
    ("decisions", ("处理决定",)),
)
T2_2021_WORDS = ("本年制发", "制发件数", "本年废止", "废止件数", "现行有效", "收费金额")
T2_2019_WORDS = ("新制作数量", "本年新制作", "本年新公开", "对外公开总数", "上一年项目", "本年增/减",
                 "政府集中采购", "第二十条第（九）项", "其他对外管理服务")
# Default columns of each row when no header row says (by variant).
T2_DEFAULT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "2021": {
        "rules": ("issued", "repealed", "in_force"),
        "normative_docs": ("issued", "repealed", "in_force"),
        "admin_licensing": ("decisions",),
        "admin_penalty": ("decisions",),
        "admin_coercion": ("decisions",),
        "admin_fees": ("amount_wan",),
    },
    "2019": {
        "rules": ("new_made", "new_published", "total_published"),
        "normative_docs": ("new_made", "new_published", "total_published"),
        "admin_licensing": ("prev_year_items", "change", "decisions"),
        "other_services": ("prev_year_items", "change", "decisions"),
        "admin_penalty": ("prev_year_items", "change", "decisions"),
        "admin_coercion": ("prev_year_items", "change", "decisions"),
        "admin_fees": ("prev_year_items", "change"),
        "central_procurement": ("items", "amount_yuan"),
    },
}
T2_COLUMN_LABELS = {
    "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
    "decisions": "本年处理决定数量", "amount_wan": "本年收费金额（单位：万元）",
    "new_made": "本年新制作数量", "new_published": "本年新公开数量", "total_published": "对外公开总数量",
    "prev_year_items": "上一年项目数量", "change": "本年增/减", "items": "采购项目数量",
    "amount_yuan": "采购总金额",
}
MONEY_COLUMNS = {"amount_wan": "wan", "amount_yuan": "yuan"}
T2_SIGNATURE = ("第二十条", "信息内容", "本年制发", "规章", "规范性文件", "行政许可", "行政处罚",
                "行政强制", "行政事业性收费", "处理决定数量", "新制作数量", "政府集中采购")


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
    for key, words, *_ in T2_COLUMNS:
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


def t2_key(row: str, col: str, variant: str) -> str | None:
    """The SCHEMA key of a table 二 cell, or None when the pair is not in this variant."""
    if col not in T2_DEFAULT_COLUMNS[variant].get(row, ()):
        return None
    return f"proactive.{row}.{col}"


# --------------------------------------------------------------------------------------
# table 四
# --------------------------------------------------------------------------------------

T4_BLOCKS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
T4_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
T4_BLOCK_LABELS = {"review": "行政复议", "litigation_direct": "行政诉讼 未经复议直接起诉",
                   "litigation_after_review": "行政诉讼 复议后起诉"}
T4_COLUMN_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
                    "pending": "尚未审结", "total": "总计"}
T4_SIGNATURE = ("结果维持", "结果纠正", "尚未审结", "未经复议", "复议后起诉", "其他结果")


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
