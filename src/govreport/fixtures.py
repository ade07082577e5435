"""Synthetic government information-disclosure annual reports (政府信息公开工作年度报告).

For tests, the README sample and benchmarks: a report is described as data
(:class:`ReportSpec`), the facts it implies are known exactly (:func:`expected_facts`),
and the same report can be rendered as PDF, plain text, a one-line crawler dump, HTML
(utf-8 / gbk / big5) and Markdown, with the hazards real reports have (a table split
across pages, typos in official labels, labels wrapped inside their cells, Traditional
script, blank cells).

Quick use::

    from govreport.fixtures import default_spec, expected_facts, render_pdf
    spec = default_spec(variant="2021", split_table3_at_row="unavailable.unclear_after_correction",
                        label_typos={"2.其他法律行政法规禁止公开": "2.其他法律行政止公开"})
    render_pdf(spec, tmp_path / "r.pdf")
    assert parse(tmp_path / "r.pdf").facts.items() >= expected_facts(spec).items()

reportlab (a test extra) is imported only inside :func:`render_pdf`; opencc only when
``traditional=True``. Command line: ``python -m govreport.fixtures sample OUTDIR``.

The numbers and prose here are invented; nothing is copied from a real report.
"""
from __future__ import annotations

import argparse
import html as _html
import math
import random
import re
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

Value = Union[int, float, str, None]

__all__ = [
    "ReportSpec", "Table2Spec", "Table3Spec", "Table4Spec",
    "default_spec", "random_spec", "make_table3", "make_table4",
    "expected_facts", "expected_sections", "expected_meta", "arithmetic_problems",
    "printed_label", "table2_keys", "table3_keys", "table4_keys", "t3_rows",
    "render_pdf", "render_text", "render_oneline", "render_html", "render_markdown",
    "T3_COLUMNS", "T4_BLOCKS", "T4_COLUMNS", "T3_NOTE", "T3_RESULTS_LABEL",
    "POST2019_HEADINGS", "PRE2019_HEADINGS", "BLANK_TEXT",
]

# --------------------------------------------------------------------------------------
# Official labels (DOMAIN §2, SCHEMA §3)
# --------------------------------------------------------------------------------------

POST2019_HEADINGS: dict[str, str] = {
    "overview": "总体情况",
    "proactive": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
    "problems": "存在的主要问题及改进情况",
    "other": "其他需要报告的事项",
}

PRE2019_HEADINGS: dict[str, str] = {
    "overview": "概述",
    "proactive": "主动公开政府信息情况",
    "interpretation": "回应解读情况",
    "requests": "依申请公开政府信息情况",
    "consultation": "咨询处理情况",
    "fees": "政府信息公开的收费及减免情况",
    "review_litigation": "因政府信息公开申请行政复议、提起行政诉讼的情况",
    "institutions": "机构建设、保障经费和培训会议情况",
    "problems": "政府信息公开工作存在的主要问题及改进措施",
    "other": "其他需要报告的事项",
    "attachment": "附表",
}

_CN_NUM = "一二三四五六七八九十"

T3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
_APPLICANT_COLS = tuple(k for k, _ in T3_COLUMNS[:6])
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_RESULTS_LABEL = "三、本年度办理结果"
_T3_GROUPS = {
    "denied": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}

# (row key, printed label, kind): kind "top" spans the three label columns, "result" the
# two inner ones; a group name puts the row under that group's merged label.
_T3_HEAD = [
    ("new_received", "一、本年新收政府信息公开申请数量", "top"),
    ("carried_over", "二、上年结转政府信息公开申请数量", "top"),
    ("granted", "（一）予以公开", "result"),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "result"),
    ("denied.state_secret", "1.属于国家秘密", "denied"),
    ("denied.prohibited_by_law", "2.其他法律行政法规禁止公开", "denied"),
    ("denied.security_stability", "3.危及“三安全一稳定”", "denied"),
    ("denied.third_party_rights", "4.保护第三方合法权益", "denied"),
    ("denied.internal_affairs", "5.属于三类内部事务信息", "denied"),
    ("denied.process_info", "6.属于四类过程性信息", "denied"),
    ("denied.enforcement_file", "7.属于行政执法案卷", "denied"),
    ("denied.admin_query", "8.属于行政查询事项", "denied"),
    ("unavailable.not_held", "1.本机关不掌握相关政府信息", "unavailable"),
    ("unavailable.needs_creation", "2.没有现成信息需要另行制作", "unavailable"),
    ("unavailable.unclear_after_correction", "3.补正后申请内容仍不明确", "unavailable"),
    ("not_processed.petition_complaint", "1.信访举报投诉类申请", "not_processed"),
    ("not_processed.duplicate", "2.重复申请", "not_processed"),
    ("not_processed.publication", "3.要求提供公开出版物", "not_processed"),
    ("not_processed.excessive", "4.无正当理由大量反复申请", "not_processed"),
    ("not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息", "not_processed"),
]
_T3_OTHER_2019 = [("other", "（六）其他处理", "result")]
_T3_OTHER_2021 = [
    ("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other"),
    ("other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other"),
    ("other.misc", "3.其他", "other"),
]
_T3_TAIL = [
    ("total_processed", "（七）总计", "result"),
    ("carried_forward", "四、结转下年度继续办理", "top"),
]

T4_BLOCKS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
T4_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)

# Table 二: (caption, column headers, [(row label, [fact keys])]).
_T2_2021 = [
    ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], [
        ("规章", ["proactive.rules.issued", "proactive.rules.repealed", "proactive.rules.in_force"]),
        ("行政规范性文件", ["proactive.normative_docs.issued", "proactive.normative_docs.repealed",
                     "proactive.normative_docs.in_force"]),
    ]),
    ("第二十条第（五）项", ["本年处理决定数量"], [
        ("行政许可", ["proactive.admin_licensing.decisions"]),
    ]),
    ("第二十条第（六）项", ["本年处理决定数量"], [
        ("行政处罚", ["proactive.admin_penalty.decisions"]),
        ("行政强制", ["proactive.admin_coercion.decisions"]),
    ]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [
        ("行政事业性收费", ["proactive.admin_fees.amount_wan"]),
    ]),
]


def _t2_items(prefix: str) -> list[str]:
    return [f"{prefix}.prev_year_items", f"{prefix}.change", f"{prefix}.decisions"]


_T2_2019 = [
    ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], [
        ("规章", ["proactive.rules.new_made", "proactive.rules.new_published",
                "proactive.rules.total_published"]),
        ("规范性文件", ["proactive.normative_docs.new_made", "proactive.normative_docs.new_published",
                   "proactive.normative_docs.total_published"]),
    ]),
    ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"], [
        ("行政许可", _t2_items("proactive.admin_licensing")),
        ("其他对外管理服务事项", _t2_items("proactive.other_services")),
    ]),
    ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"], [
        ("行政处罚", _t2_items("proactive.admin_penalty")),
        ("行政强制", _t2_items("proactive.admin_coercion")),
    ]),
    ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [
        ("行政事业性收费", ["proactive.admin_fees.prev_year_items", "proactive.admin_fees.change"]),
    ]),
    ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [
        ("政府集中采购", ["proactive.central_procurement.items", "proactive.central_procurement.amount_yuan"]),
    ]),
]
_T2_HEAD = "信息内容"

#: How a blank (None) cell is written by :func:`render_text` (the other renderers leave
#: the cell empty, as real documents do; SCHEMA: blank, "/", "-", "—" all mean null).
BLANK_TEXT = "-"
_NA_STRINGS = {"", "/", "-", "—", "--", "——", "－", "无", "不适用", "不涉及"}
_WRAP_OVER = 18  # labels longer than this are wrapped when ``wrap_labels`` is on


def t3_rows(variant: str = "2021") -> list[tuple[str, str, str]]:
    """Table 三 rows in print order: ``(row_key, label, kind)`` (kind: top/result/group)."""
    _check_variant(variant)
    other = _T3_OTHER_2021 if variant == "2021" else _T3_OTHER_2019
    return list(_T3_HEAD) + list(other) + list(_T3_TAIL)


def table2_keys(variant: str = "2021") -> list[str]:
    _check_variant(variant)
    subs = _T2_2021 if variant == "2021" else _T2_2019
    return [k for _, _, rows in subs for _, keys in rows for k in keys]


def table3_keys(variant: str = "2021") -> list[str]:
    return [f"requests.{row}.{col}" for row, _, _ in t3_rows(variant) for col, _ in T3_COLUMNS]


def table4_keys() -> list[str]:
    return [f"{b}.{c}" for b, _ in T4_BLOCKS for c, _ in T4_COLUMNS]


def _check_variant(variant: str) -> None:
    if variant not in ("2019", "2021"):
        raise ValueError(f"table variant must be '2019' or '2021', not {variant!r}")


# --------------------------------------------------------------------------------------
# The data description
# --------------------------------------------------------------------------------------

@dataclass
class Table2Spec:
    """Table 二. ``values`` keyed by SCHEMA §3.1 fact keys of the variant; a missing key
    or ``None`` prints a blank cell; a str is printed as is (e.g. ``"251000元"``, ``"/"``)."""

    variant: str = "2021"
    values: dict[str, Value] = field(default_factory=dict)


@dataclass
class Table3Spec:
    """Table 三. ``values`` keyed by ``requests.<row>.<col>``; missing / None = blank cell."""

    variant: str = "2021"
    values: dict[str, Value] = field(default_factory=dict)


@dataclass
class Table4Spec:
    """Table 四. ``values`` keyed by ``review.* / litigation_direct.* / litigation_after_review.*``."""

    values: dict[str, Value] = field(default_factory=dict)


@dataclass
class ReportSpec:
    """A report as data. Renderers print it; :func:`expected_facts` says what it states.

    sections: canonical key -> body text (paragraphs separated by "\\n"), in print order.
      Headings are numbered 一、二、… by position unless ``section_titles`` gives the
      printed heading of a key verbatim.
    table2/3/4: printed at the end of sections proactive / requests / review_litigation.
    prose_facts: the facts the prose states (e.g. ``proactive.items``); :func:`default_spec`
      keeps them in step with the text it writes — update both if you edit the prose.
    split_table3_at_row: row key (first row of the continuation) or int (number of data
      rows kept in the first part); the rest continues on the next page / in a second
      ``<table>`` / pipe table, with no header.
    label_typos: canonical label -> printed label, for any table label or heading.
    wrap_labels: labels longer than 18 characters print on two lines inside their cell.
    traditional: everything printed in Traditional script (OpenCC s2twp).
    """

    title: str | None = None
    issuer: str = "某某区人民政府"
    year: int = 2023
    era: str = "post2019"
    preamble: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    section_titles: dict[str, str] = field(default_factory=dict)
    table2: Table2Spec | None = None
    table3: Table3Spec | None = None
    table4: Table4Spec | None = None
    prose_facts: dict[str, Any] = field(default_factory=dict)
    split_table3_at_row: int | str | None = None
    label_typos: dict[str, str] = field(default_factory=dict)
    wrap_labels: bool = False
    traditional: bool = False
    publish_date: str | None = None  # "YYYY-MM-DD", shown by the HTML and one-line renders

    def __post_init__(self) -> None:
        if self.title is None:
            self.title = f"{self.issuer}{self.year}年政府信息公开工作年度报告"
        if self.publish_date is None:
            self.publish_date = f"{self.year + 1}-01-20"
        if self.era not in ("post2019", "pre2019"):
            raise ValueError(f"era must be 'post2019' or 'pre2019', not {self.era!r}")

    def headings(self) -> list[tuple[str, str]]:
        """``(key, printed heading)`` for every section, in order (before typos/script)."""
        base = POST2019_HEADINGS if self.era == "post2019" else PRE2019_HEADINGS
        out = []
        for i, key in enumerate(self.sections):
            if key in self.section_titles:
                out.append((key, self.section_titles[key]))
            else:
                out.append((key, f"{_cn_ordinal(i + 1)}、{base.get(key, key)}"))
        return out


def _cn_ordinal(n: int) -> str:
    if n <= 10:
        return _CN_NUM[n - 1]
    return "十" + _CN_NUM[n - 11] if n < 20 else str(n)


# --------------------------------------------------------------------------------------
# Building consistent numbers
# --------------------------------------------------------------------------------------

def _result_rows(variant: str) -> list[str]:
    return [k for k, _, kind in t3_rows(variant) if kind != "top" and k != "total_processed"]


def make_table3(results: Mapping[str, Sequence[int]], carried_over: Sequence[int] | None = None,
                carried_forward: Sequence[int] | None = None, variant: str = "2021") -> Table3Spec:
    """A consistent table 三 from the result rows.

    ``results``: row key (e.g. ``"granted"``, ``"denied.process_info"``) -> the six
    applicant-column counts; rows not given are 0. 总计 column, （七）总计 and
    一、本年新收 (= processed + carried_forward − carried_over) are computed.
    """
    rows = _result_rows(variant)
    unknown = set(results) - set(rows)
    if unknown:
        raise ValueError(f"not result rows of the {variant} table 三: {sorted(unknown)}")
    zero = [0] * 6
    co = list(carried_over or zero)
    cf = list(carried_forward or zero)
    grid: dict[str, list[int]] = {}
    for r in rows:
        vals = list(results.get(r, zero))
        if len(vals) != 6:
            raise ValueError(f"{r}: need 6 applicant-column values, got {len(vals)}")
        grid[r] = vals
    processed = [sum(grid[r][c] for r in rows) for c in range(6)]
    new = [processed[c] + cf[c] - co[c] for c in range(6)]
    if min(new) < 0:
        raise ValueError("carried_over exceeds processed + carried_forward in some column")
    grid["new_received"] = new
    grid["carried_over"] = co
    grid["total_processed"] = processed
    grid["carried_forward"] = cf
    values: dict[str, Value] = {}
    for r, vals in grid.items():
        for col, v in zip(_APPLICANT_COLS, vals):
            values[f"requests.{r}.{col}"] = v
        values[f"requests.{r}.total"] = sum(vals)
    return Table3Spec(variant=variant, values=values)


def make_table4(review: Sequence[int] = (0, 0, 0, 0), litigation_direct: Sequence[int] = (0, 0, 0, 0),
                litigation_after_review: Sequence[int] = (0, 0, 0, 0)) -> Table4Spec:
    """Table 四 from (upheld, corrected, other, pending) per block; totals computed."""
    values: dict[str, Value] = {}
    for block, nums in (("review", review), ("litigation_direct", litigation_direct),
                        ("litigation_after_review", litigation_after_review)):
        for (col, _), v in zip(T4_COLUMNS[:4], nums):
            values[f"{block}.{col}"] = v
        values[f"{block}.total"] = sum(nums)
    return Table4Spec(values=values)


def _collapse_other(results: dict[str, Sequence[int]]) -> dict[str, Sequence[int]]:
    """2021 results -> 2019 results (the three （六） sub-rows summed into one)."""
    out = {k: v for k, v in results.items() if not k.startswith("other.")}
    subs = [v for k, v in results.items() if k.startswith("other.")]
    if subs:
        out["other"] = [sum(col) for col in zip(*subs)]
    return out


# --------------------------------------------------------------------------------------
# Prose
# --------------------------------------------------------------------------------------

def _default_preamble(issuer: str, year: int) -> str:
    office = f"{issuer}办公室"
    return (f"本报告由{office}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。"
            f"报告中所列数据统计期限自{year}年1月1日起至{year}年12月31日止。"
            f"如对本报告有疑问，请与{office}联系（地址：某某区人民路1号，邮编：100000，"
            f"电话：0000-12345678，电子邮箱：gongkai@example.gov.cn）。")


def _post2019_sections(issuer: str, year: int, items: int, requests: int, fee: int | float,
                       t3_intro: str = "") -> dict[str, str]:
    short = "区政府" if issuer.endswith("区人民政府") else "本机关"
    return {
        "overview": "\n".join([
            f"{year}年，{issuer}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》"
            "各项要求，不断完善政府信息公开制度，推进政府信息公开工作规范、有序开展。",
            f"（一）主动公开情况。主要通过政府门户网站主动公开政府文件、通知公告、项目审批等各类政府信息。"
            f"{year}年，在政府网站平台主动公开政府信息{items}条。",
            f"（二）依申请公开情况。进一步规范依申请公开办理流程，{year}年共受理政府信息公开申请{requests}件，"
            "均在法定期限内答复。",
            "（三）政府信息管理情况。严格执行信息发布审核制度，落实“三审三校”要求，未经审核的信息一律不予发布。",
            "（四）政府信息公开平台建设情况。加强政府网站和政务新媒体日常监管，及时整合更新不及时的栏目和账号。",
            "（五）政府信息公开监督保障情况。细化分解内容保障责任，将政务公开工作纳入年度绩效考核。",
        ]),
        "proactive": "",
        "requests": t3_intro,
        "review_litigation": "",
        "problems": "\n".join([
            f"{year}年，政府信息公开工作取得一定成效，但仍存在一些不足：政策解读形式不够丰富，"
            "依申请公开办理规范化水平有待提高，基层公开队伍力量较为薄弱。",
            "下一步，将重点做好以下工作：一是丰富政策解读形式，运用图表图解、视频等方式提升解读质量；"
            "二是完善依申请公开办理机制，强化部门协同配合；三是加强业务培训，提升工作人员业务水平。",
        ]),
        "other": f"{year}年，{short}严格落实《政府信息公开信息处理费管理办法》，"
                 f"全年收取政府信息公开信息处理费{fee}元。",
    }


def _pre2019_sections(issuer: str, year: int, items: int, web: int, cumulative: int,
                      in_person: int, online: int, letter: int, granted: int, partial: int,
                      not_exist: int) -> dict[str, str]:
    received = in_person + online + letter
    return {
        "overview": (f"{year}年，{issuer}认真贯彻落实《中华人民共和国政府信息公开条例》，"
                     "进一步健全政府信息公开工作机制，不断拓宽公开渠道，政府信息公开工作稳步推进。"),
        "proactive": (f"{year}年，全区主动公开政府信息{items}条，其中通过政府网站公开{web}条，"
                      f"通过政务微博、微信等其他方式公开{items - web}条。截至{year}年底，"
                      f"累计主动公开政府信息{cumulative}条。"),
        "requests": (f"{year}年，全区共受理政府信息公开申请{received}件，其中当面申请{in_person}件，"
                     f"网络申请{online}件，信函申请{letter}件。所有申请均已按期答复，其中同意公开{granted}件，"
                     f"同意部分公开{partial}件，信息不存在{not_exist}件。"),
        "fees": "本年度依申请公开政府信息未收取任何费用，也无减免情况。",
        "review_litigation": f"{year}年，没有出现因政府信息公开申请行政复议、提起行政诉讼的情况。",
        "problems": ("政府信息公开工作还存在一些问题：一是部分单位对政府信息公开工作重视不够；"
                     "二是公开内容不够全面，更新不够及时；三是依申请公开办理程序有待进一步规范。"
                     "下一步，我们将加强培训指导，完善工作制度，切实提高政府信息公开工作水平。"),
        "other": "无其他需要报告的事项。",
    }


def _pre2019_facts(items: int, in_person: int, online: int, letter: int, granted: int,
                   partial: int, not_exist: int) -> dict[str, Any]:
    return {
        "proactive.items": items,
        "legacy.requests.received": in_person + online + letter,
        "legacy.requests.in_person": in_person,
        "legacy.requests.online": online,
        "legacy.requests.letter": letter,
        "legacy.responses.granted": granted,
        "legacy.responses.partially_granted": partial,
        "legacy.responses.not_exist": not_exist,
        "fees.collected_yuan": 0,
        "fees.waived_yuan": 0,
        "review.total": 0,
        "litigation.total": 0,
    }


# --------------------------------------------------------------------------------------
# default_spec / random_spec
# --------------------------------------------------------------------------------------

_DEFAULT_RESULTS_2021: dict[str, Sequence[int]] = {
    "granted": (6, 1, 0, 0, 0, 0),
    "partially_granted": (3, 0, 0, 0, 1, 0),
    "denied.third_party_rights": (1, 0, 0, 0, 0, 0),
    "denied.process_info": (1, 0, 0, 0, 0, 0),
    "denied.admin_query": (1, 0, 0, 0, 0, 0),
    "unavailable.not_held": (3, 1, 0, 0, 0, 0),
    "unavailable.needs_creation": (1, 0, 0, 0, 0, 0),
    "not_processed.petition_complaint": (1, 0, 0, 0, 0, 0),
    "not_processed.duplicate": (1, 0, 0, 0, 0, 0),
    "other.no_correction": (1, 0, 0, 0, 0, 0),
}
_DEFAULT_CARRIED_OVER = (2, 0, 0, 0, 0, 0)
_DEFAULT_CARRIED_FORWARD = (1, 0, 0, 0, 0, 0)

_DEFAULT_T2_2021: dict[str, Value] = {
    "proactive.rules.issued": 0, "proactive.rules.repealed": 0, "proactive.rules.in_force": 0,
    "proactive.normative_docs.issued": 4, "proactive.normative_docs.repealed": 2,
    "proactive.normative_docs.in_force": 37,
    "proactive.admin_licensing.decisions": 1286,
    "proactive.admin_penalty.decisions": 2315,
    "proactive.admin_coercion.decisions": 87,
    "proactive.admin_fees.amount_wan": 1532.46,
}
_DEFAULT_T2_2019: dict[str, Value] = {
    "proactive.rules.new_made": 0, "proactive.rules.new_published": 0, "proactive.rules.total_published": 12,
    "proactive.normative_docs.new_made": 5, "proactive.normative_docs.new_published": 5,
    "proactive.normative_docs.total_published": 48,
    "proactive.admin_licensing.prev_year_items": 126, "proactive.admin_licensing.change": -3,
    "proactive.admin_licensing.decisions": 1286,
    "proactive.other_services.prev_year_items": 35, "proactive.other_services.change": 2,
    "proactive.other_services.decisions": 410,
    "proactive.admin_penalty.prev_year_items": 18, "proactive.admin_penalty.change": 0,
    "proactive.admin_penalty.decisions": 2315,
    "proactive.admin_coercion.prev_year_items": 6, "proactive.admin_coercion.change": 0,
    "proactive.admin_coercion.decisions": 87,
    "proactive.admin_fees.prev_year_items": 4, "proactive.admin_fees.change": 0,
    "proactive.central_procurement.items": 3, "proactive.central_procurement.amount_yuan": "152000元",
}


def _variants(variant: str, table3_variant: str | None) -> tuple[str, str]:
    if variant == "mixed":  # 2021 table 二 with the 2019 table 三, as some real reports print
        return "2021", table3_variant or "2019"
    _check_variant(variant)
    t3v = table3_variant or variant
    _check_variant(t3v)
    return variant, t3v


def _assemble(era: str, variant: str, table3_variant: str | None, issuer: str, year: int,
              t2: dict[str, Value] | None, results: dict[str, Sequence[int]] | None,
              carried_over: Sequence[int], carried_forward: Sequence[int],
              t4: Sequence[Sequence[int]], items: int, fee: int | float,
              pre: dict[str, int] | None, overrides: dict[str, Any]) -> ReportSpec:
    if era == "pre2019":
        pre = pre or {}
        spec = ReportSpec(issuer=issuer, year=year, era="pre2019",
                          preamble=_default_preamble(issuer, year),
                          sections=_pre2019_sections(issuer, year, **pre),
                          prose_facts=_pre2019_facts(**{k: v for k, v in pre.items()
                                                        if k not in ("web", "cumulative")}))
        return replace(spec, **overrides) if overrides else spec
    if era != "post2019":
        raise ValueError(f"era must be 'post2019' or 'pre2019', not {era!r}")
    t2v, t3v = _variants(variant, table3_variant)
    assert results is not None
    res = results if t3v == "2021" else _collapse_other(results)
    table3 = make_table3(res, carried_over, carried_forward, variant=t3v)
    received = table3.values["requests.new_received.total"]
    if t2 is None:
        t2 = dict(_DEFAULT_T2_2021 if t2v == "2021" else _DEFAULT_T2_2019)
    spec = ReportSpec(
        issuer=issuer, year=year, era="post2019",
        preamble=_default_preamble(issuer, year),
        sections=_post2019_sections(issuer, year, items, int(received), fee),
        table2=Table2Spec(variant=t2v, values=t2),
        table3=table3,
        table4=make_table4(*t4),
        prose_facts={"proactive.items": items, "info_fee.collected_amount_yuan": fee},
    )
    return replace(spec, **overrides) if overrides else spec


def default_spec(era: str = "post2019", variant: str = "2021", *, table3_variant: str | None = None,
                 **overrides: Any) -> ReportSpec:
    """A complete, internally consistent report.

    post2019: 主动公开政府信息1136条; 共受理政府信息公开申请21件 (= table 三 new_received
    total); tables 二/三/四 of ``variant`` ("2019", "2021", or "mixed" = 2021 table 二 with
    the 2019 table 三); section 六 收取…信息处理费0元. pre2019 (year 2017 unless given):
    free prose with 主动公开2110条 (and a 累计 figure that is not a fact), 11 requests by
    channel and outcome, no fees, no review/litigation; no tables.
    ``overrides`` are ReportSpec fields (``year`` / ``issuer`` also flow into the prose).
    """
    issuer = overrides.pop("issuer", "某某区人民政府")
    year = overrides.pop("year", 2023 if era == "post2019" else 2017)
    pre = dict(items=2110, web=1650, cumulative=15928, in_person=3, online=7, letter=1,
               granted=8, partial=1, not_exist=2)
    return _assemble(era, variant, table3_variant, issuer, year, None, dict(_DEFAULT_RESULTS_2021),
                     _DEFAULT_CARRIED_OVER, _DEFAULT_CARRIED_FORWARD,
                     ((2, 1, 0, 1), (1, 0, 0, 0), (0, 0, 0, 1)), 1136, 0, pre, overrides)


def random_spec(seed: int, era: str = "post2019", variant: str = "2021", *,
                table3_variant: str | None = None, blank_rate: float = 0.0,
                **overrides: Any) -> ReportSpec:
    """Like :func:`default_spec` with random (seeded, consistent) numbers — for benchmarks
    and property tests. ``blank_rate``: share of zero table-三 cells printed blank."""
    rng = random.Random(seed)
    issuer = overrides.pop("issuer", "某某区人民政府")
    year = overrides.pop("year", rng.randint(2021, 2025) if era == "post2019" else rng.randint(2009, 2018))
    if era == "pre2019":
        in_person, online, letter = rng.randint(0, 9), rng.randint(0, 60), rng.randint(0, 9)
        received = in_person + online + letter
        granted = rng.randint(0, received)
        partial = rng.randint(0, received - granted)
        items = rng.randint(200, 20000)
        pre = dict(items=items, web=rng.randint(0, items), cumulative=items + rng.randint(1000, 90000),
                   in_person=in_person, online=online, letter=letter, granted=granted,
                   partial=partial, not_exist=received - granted - partial)
        return _assemble(era, variant, table3_variant, issuer, year, None, None, (), (), (),
                         0, 0, pre, overrides)
    results: dict[str, Sequence[int]] = {}
    weights = (1.0, 0.25, 0.03, 0.03, 0.08, 0.05)
    big = {"granted": 300, "partially_granted": 60, "unavailable.not_held": 100}
    for row in _result_rows("2021"):
        base = rng.randint(0, big[row]) if row in big else rng.choice((0, 0, 0, 1, 2, 5, 20))
        results[row] = [int(base * w * rng.random() + (0.5 if rng.random() < w else 0)) for w in weights]
    co = [rng.randint(0, 5) if rng.random() < 0.5 else 0 for _ in range(6)]
    cf = [rng.randint(0, 5) if rng.random() < 0.5 else 0 for _ in range(6)]
    processed = [sum(v[c] for v in results.values()) for c in range(6)]
    co = [min(co[c], processed[c] + cf[c]) for c in range(6)]
    t2v, _ = _variants(variant, table3_variant)
    if t2v == "2021":
        t2: dict[str, Value] = {k: rng.randint(0, 50) for k in table2_keys("2021")}
        t2["proactive.admin_licensing.decisions"] = rng.randint(0, 12_000_000)
        t2["proactive.admin_penalty.decisions"] = rng.randint(0, 8_000_000)
        t2["proactive.admin_fees.amount_wan"] = round(rng.uniform(0, 400_000), 2)
    else:
        t2 = {k: rng.randint(0, 500) for k in table2_keys("2019")}
        for k in t2:
            if k.endswith(".change"):
                t2[k] = rng.randint(-20, 20)
    t4 = tuple(tuple(rng.choice((0, 0, 1, 2, 7)) for _ in range(4)) for _ in range(3))
    fee = rng.choice((0, 0, 0, 100, 400, 1200))
    spec = _assemble(era, variant, table3_variant, issuer, year, t2, results, co, cf, t4,
                     rng.randint(100, 50000), fee, None, overrides)
    if blank_rate and spec.table3 is not None:
        for k, v in spec.table3.values.items():
            if v == 0 and rng.random() < blank_rate:
                spec.table3.values[k] = None
    return spec


# --------------------------------------------------------------------------------------
# What a spec states
# --------------------------------------------------------------------------------------

def _expected_value(v: Value) -> int | float | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise TypeError("bool is not a table value")
    if isinstance(v, (int, float)):
        return v
    s = str(v).strip()
    if s in _NA_STRINGS:
        return None
    s = s.replace(",", "").replace("，", "").replace(" ", "")
    s = re.sub(r"(万元|元|件|条|项|个)$", "", s)
    s = s.translate(str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+"))
    try:
        return int(s)
    except ValueError:
        return float(s)


def expected_facts(spec: ReportSpec) -> dict[str, Any]:
    """The canonical facts the spec implies: every table cell (blank -> None) plus
    ``spec.prose_facts``. Independent of the renderer and of the knobs."""
    facts: dict[str, Any] = {}
    if spec.table2 is not None:
        for k in table2_keys(spec.table2.variant):
            facts[k] = _expected_value(spec.table2.values.get(k))
    if spec.table3 is not None:
        for k in table3_keys(spec.table3.variant):
            facts[k] = _expected_value(spec.table3.values.get(k))
    if spec.table4 is not None:
        for k in table4_keys():
            facts[k] = _expected_value(spec.table4.values.get(k))
    facts.update(spec.prose_facts)
    return facts


def expected_sections(spec: ReportSpec) -> list[tuple[str, str]]:
    """``(key, heading as printed)`` — typos applied, in Traditional if the spec is."""
    pr = _Printer(spec)
    return [(k, pr.label(t)) for k, t in spec.headings()]


def expected_meta(spec: ReportSpec) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": spec.title, "issuer": spec.issuer, "year": spec.year,
                            "era": spec.era,
                            "script": "traditional" if spec.traditional else "simplified"}
    if spec.table2 is not None:
        meta["table2_variant"] = spec.table2.variant
    if spec.table3 is not None:
        meta["table3_variant"] = spec.table3.variant
    return meta


def printed_label(spec: ReportSpec, label: str) -> str:
    """A canonical label as the spec prints it (typo, script; not wrapped)."""
    return _Printer(spec).label(label)


def arithmetic_problems(facts: Mapping[str, Any], table3_variant: str = "2021") -> list[str]:
    """SCHEMA §4 checks T3-BAL / T3-SUM / T3-ROW / T4-SUM over a facts dict. A check
    with a None cell is skipped (not assessable). Returns messages, empty when all hold."""
    out: list[str] = []

    def g(k: str) -> Any:
        return facts.get(k)

    rows = [k for k, _, _ in t3_rows(table3_variant)]
    if any(k.startswith("requests.") for k in facts):
        for col, _ in T3_COLUMNS:
            v = [g(f"requests.{r}.{col}") for r in ("new_received", "carried_over",
                                                    "total_processed", "carried_forward")]
            if None not in v and v[0] + v[1] != v[2] + v[3]:
                out.append(f"T3-BAL {col}: {v[0]}+{v[1]} != {v[2]}+{v[3]}")
            parts = [g(f"requests.{r}.{col}") for r in _result_rows(table3_variant)]
            tot = g(f"requests.total_processed.{col}")
            if tot is not None and None not in parts and sum(parts) != tot:
                out.append(f"T3-SUM {col}: results sum to {sum(parts)}, total_processed is {tot}")
        for r in rows:
            parts = [g(f"requests.{r}.{c}") for c in _APPLICANT_COLS]
            tot = g(f"requests.{r}.total")
            if tot is not None and None not in parts and sum(parts) != tot:
                out.append(f"T3-ROW {r}: columns sum to {sum(parts)}, total is {tot}")
    for block, _ in T4_BLOCKS:
        parts = [g(f"{block}.{c}") for c, _ in T4_COLUMNS[:4]]
        tot = g(f"{block}.total")
        if tot is not None and None not in parts and sum(parts) != tot:
            out.append(f"T4-SUM {block}: {'+'.join(map(str, parts))} != {tot}")
    return out


# --------------------------------------------------------------------------------------
# Printing helpers shared by the renderers
# --------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _s2twp():
    import opencc  # core dependency, loaded only when needed

    return opencc.OpenCC("s2twp")


class _Printer:
    def __init__(self, spec: ReportSpec):
        self.spec = spec
        self.cc = _s2twp() if spec.traditional else None

    def text(self, s: str) -> str:
        return self.cc.convert(s) if (self.cc and s) else s

    def label(self, s: str, wrap: bool = False) -> str:
        s = self.text(self.spec.label_typos.get(s, s))
        if wrap and self.spec.wrap_labels and len(s) > _WRAP_OVER:
            cut = math.ceil(len(s) / 2)
            s = s[:cut] + "\n" + s[cut:]
        return s

    @staticmethod
    def value(v: Value) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            return str(int(v)) if v.is_integer() else repr(v)
        return str(v)

    def paragraphs(self, body: str) -> list[str]:
        return [self.text(p.strip()) for p in body.split("\n") if p.strip()]


@dataclass
class _Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # label | num | head | nhead (narrow header) | vlabel | caption


@dataclass
class _Layout:
    cells: list[_Cell]
    nrows: int
    ncols: int

    def grid(self) -> list[list[_Cell | None]]:
        g: list[list[_Cell | None]] = [[None] * self.ncols for _ in range(self.nrows)]
        for c in self.cells:
            g[c.row][c.col] = c
        return g


def _t2_layout(spec: ReportSpec, pr: _Printer) -> _Layout:
    t2 = spec.table2
    assert t2 is not None
    subs = _T2_2021 if t2.variant == "2021" else _T2_2019
    cells: list[_Cell] = []
    r = 0

    def put_row(first: str, items: list[tuple[str, str]]) -> None:
        cells.append(_Cell(r, 0, first, kind="label" if items[0][1] == "num" else "head"))
        n = len(items)
        spans = [1, 1, 1] if n == 3 else ([3] if n == 1 else [1, 2])
        col = 1
        for (text, kind), span in zip(items, spans):
            cells.append(_Cell(r, col, text, colspan=span, kind=kind))
            col += span

    for caption, heads, rows in subs:
        cells.append(_Cell(r, 0, pr.label(caption), colspan=4, kind="caption"))
        r += 1
        put_row(pr.label(_T2_HEAD), [(pr.label(h), "head") for h in heads])
        r += 1
        for label, keys in rows:
            put_row(pr.label(label), [(pr.value(t2.values.get(k)), "num") for k in keys])
            r += 1
    return _Layout(cells, r, 4)


def _t3_parts(spec: ReportSpec) -> list[list[tuple[str, str, str]]]:
    t3 = spec.table3
    assert t3 is not None
    rows = t3_rows(t3.variant)
    at = spec.split_table3_at_row
    if at is None:
        return [rows]
    if isinstance(at, str):
        keys = [k for k, _, _ in rows]
        if at not in keys:
            raise ValueError(f"split_table3_at_row: {at!r} is not a row of the {t3.variant} table 三")
        at = keys.index(at)
    if not 0 < at < len(rows):
        raise ValueError(f"split_table3_at_row must leave rows on both sides, got {at}")
    return [rows[:at], rows[at:]]


def _t3_layout(spec: ReportSpec, pr: _Printer, part: list[tuple[str, str, str]], header: bool,
               vertical: bool) -> _Layout:
    """Cells of one part of table 三 (10 columns: 3 label columns + 7 numbers)."""
    t3 = spec.table3
    assert t3 is not None
    all_rows = t3_rows(t3.variant)
    first_of_group = {}
    for k, _, kind in all_rows:
        first_of_group.setdefault(kind, k)
    cells: list[_Cell] = []
    base = 0
    if header:
        cells += [
            _Cell(0, 0, pr.label(T3_NOTE, wrap=True), rowspan=3, colspan=3, kind="head"),
            _Cell(0, 3, pr.label("申请人情况"), colspan=7, kind="head"),
            _Cell(1, 3, pr.label("自然人"), rowspan=2, kind="head"),
            _Cell(1, 4, pr.label("法人或其他组织"), colspan=5, kind="head"),
            _Cell(1, 9, pr.label("总计"), rowspan=2, kind="head"),
        ]
        for j, (_, lab) in enumerate(T3_COLUMNS[1:6]):
            cells.append(_Cell(2, 4 + j, pr.label(lab), kind="nhead"))
        base = 3
    in_results = [kind != "top" for _, _, kind in part]
    for i, (key, label, kind) in enumerate(part):
        r = base + i
        if kind == "top":
            cells.append(_Cell(r, 0, pr.label(label, wrap=True), colspan=3))
        else:
            if i == 0 or not in_results[i - 1]:
                run = 1
                while i + run < len(part) and in_results[i + run]:
                    run += 1
                has_start = any(k == "granted" for k, _, _ in part[i:i + run])
                vtext = pr.label(T3_RESULTS_LABEL) if has_start else ""
                if vertical and vtext:
                    per = max(1, math.ceil(len(vtext) / max(run, 1)))
                    vtext = "\n".join(vtext[j:j + per] for j in range(0, len(vtext), per))
                cells.append(_Cell(r, 0, vtext, rowspan=run, kind="vlabel"))
            if kind == "result":
                cells.append(_Cell(r, 1, pr.label(label, wrap=True), colspan=2))
            else:
                if i == 0 or part[i - 1][2] != kind:
                    run = 1
                    while i + run < len(part) and part[i + run][2] == kind:
                        run += 1
                    gtext = pr.label(_T3_GROUPS[kind]) if first_of_group[kind] == key else ""
                    cells.append(_Cell(r, 1, gtext, rowspan=run))
                cells.append(_Cell(r, 2, pr.label(label, wrap=True)))
        for j, (col, _) in enumerate(T3_COLUMNS):
            cells.append(_Cell(r, 3 + j, pr.value(t3.values.get(f"requests.{key}.{col}")), kind="num"))
    return _Layout(cells, base + len(part), 10)


def _t4_layout(spec: ReportSpec, pr: _Printer) -> _Layout:
    t4 = spec.table4
    assert t4 is not None
    cells = [
        _Cell(0, 0, pr.label("行政复议"), colspan=5, kind="head"),
        _Cell(0, 5, pr.label("行政诉讼"), colspan=10, kind="head"),
    ]
    for j, (_, lab) in enumerate(T4_COLUMNS):
        cells.append(_Cell(1, j, pr.label(lab), rowspan=2, kind="nhead"))
    cells.append(_Cell(1, 5, pr.label(T4_BLOCKS[1][1]), colspan=5, kind="head"))
    cells.append(_Cell(1, 10, pr.label(T4_BLOCKS[2][1]), colspan=5, kind="head"))
    for b in range(2):
        for j, (_, lab) in enumerate(T4_COLUMNS):
            cells.append(_Cell(2, 5 + 5 * b + j, pr.label(lab), kind="nhead"))
    for b, (block, _) in enumerate(T4_BLOCKS):
        for j, (col, _) in enumerate(T4_COLUMNS):
            cells.append(_Cell(3, 5 * b + j, pr.value(t4.values.get(f"{block}.{col}")), kind="num"))
    return _Layout(cells, 4, 15)


def _head_break(text: str) -> list[str]:
    """Narrow header words print two characters a line: 商业/企业, 社会/公益/组织."""
    if 4 <= len(text) <= 6 and "\n" not in text:
        return [text[i:i + 2] for i in range(0, len(text), 2)]
    return [text]


def _narrow_head(cell: _Cell) -> bool:
    return cell.kind == "nhead"


# Linear token lines (label, numbers...) — used by render_text and render_oneline.

def _t2_lines(spec: ReportSpec, pr: _Printer, blank: str) -> list[list[str]]:
    t2 = spec.table2
    assert t2 is not None
    subs = _T2_2021 if t2.variant == "2021" else _T2_2019
    lines: list[list[str]] = []
    for caption, heads, rows in subs:
        lines.append([pr.label(caption)])
        lines.append([pr.label(_T2_HEAD)] + [pr.label(h) for h in heads])
        for label, keys in rows:
            lines.append([pr.label(label)] + [pr.value(t2.values.get(k)) or blank for k in keys])
    return lines


def _t3_lines(spec: ReportSpec, pr: _Printer, part: list[tuple[str, str, str]], header: bool,
              blank: str) -> list[list[str]]:
    t3 = spec.table3
    assert t3 is not None
    lines: list[list[str]] = []
    if header:
        lines += _split_wrapped([pr.label(T3_NOTE, wrap=True)])
        lines.append([pr.label("申请人情况")])
        lines.append([pr.label("自然人"), pr.label("法人或其他组织"), pr.label("总计")])
        lines.append([pr.label(lab) for _, lab in T3_COLUMNS[1:6]])
    first_of_group: dict[str, str] = {}
    for k, _, kind in t3_rows(t3.variant):
        first_of_group.setdefault(kind, k)
    for key, label, kind in part:
        if key == "granted":
            lines.append([pr.label(T3_RESULTS_LABEL)])
        if kind in _T3_GROUPS and first_of_group[kind] == key:
            lines.append([pr.label(_T3_GROUPS[kind])])
        nums = [pr.value(t3.values.get(f"requests.{key}.{c}")) or blank for c, _ in T3_COLUMNS]
        lines += _split_wrapped([pr.label(label, wrap=True)] + nums)
    return lines


def _t4_lines(spec: ReportSpec, pr: _Printer, blank: str) -> list[list[str]]:
    t4 = spec.table4
    assert t4 is not None
    cols = [pr.label(lab) for _, lab in T4_COLUMNS]
    return [
        [pr.label("行政复议"), pr.label("行政诉讼")],
        cols + [pr.label(T4_BLOCKS[1][1]), pr.label(T4_BLOCKS[2][1])],
        cols + cols,
        [pr.value(t4.values.get(f"{b}.{c}")) or blank for b, _ in T4_BLOCKS for c, _ in T4_COLUMNS],
    ]


def _split_wrapped(tokens: list[str]) -> list[list[str]]:
    """A wrapped first token becomes its own line(s); the numbers follow its last line."""
    if "\n" not in tokens[0]:
        return [tokens]
    head = tokens[0].split("\n")
    return [[h] for h in head[:-1]] + [[head[-1]] + tokens[1:]]


def _blocks(spec: ReportSpec, pr: _Printer, blank: str):
    """The report as a stream of ("title"|"para"|"heading"|"table"|"pagebreak", payload)."""
    yield "title", pr.text(spec.title or "")
    for p in pr.paragraphs(spec.preamble):
        yield "para", p
    for (key, heading) in spec.headings():
        yield "heading", pr.label(heading)
        for p in pr.paragraphs(spec.sections.get(key, "")):
            yield "para", p
        if spec.era != "post2019":
            continue
        if key == "proactive" and spec.table2 is not None:
            yield "table", ("t2", None)
        elif key == "requests" and spec.table3 is not None:
            for i, part in enumerate(_t3_parts(spec)):
                if i:
                    yield "pagebreak", None
                yield "table", ("t3", (i, part))
        elif key == "review_litigation" and spec.table4 is not None:
            yield "table", ("t4", None)


# --------------------------------------------------------------------------------------
# Text renderers
# --------------------------------------------------------------------------------------

def _table_lines(spec: ReportSpec, pr: _Printer, which: str, arg: Any, blank: str) -> list[list[str]]:
    if which == "t2":
        return _t2_lines(spec, pr, blank)
    if which == "t3":
        i, part = arg
        return _t3_lines(spec, pr, part, header=(i == 0), blank=blank)
    return _t4_lines(spec, pr, blank)


def render_text(spec: ReportSpec) -> str:
    """Plain text: title, paragraphs one per line, headings on their own line, tables as
    lines of a label followed by space-separated numbers (blank cells written ``-``)."""
    pr = _Printer(spec)
    out: list[str] = []
    for kind, payload in _blocks(spec, pr, BLANK_TEXT):
        if kind == "title":
            out += [payload, ""]
        elif kind in ("para", "heading"):
            out.append(payload)
        elif kind == "table":
            out += [" ".join(t for t in line if t != "") for line in
                    _table_lines(spec, pr, payload[0], payload[1], BLANK_TEXT)]
    return "\n".join(out) + "\n"


def render_oneline(spec: ReportSpec) -> str:
    """A crawler dump: ``标题: …`` header lines, a ``==== 正文 ====`` rule, then the whole
    body on ONE line — paragraphs, headings and table cells run together with no
    separators (so adjacent numbers concatenate: ``…数量1820102…``); blank cells vanish."""
    pr = _Printer(spec)
    title = pr.text(spec.title or "")
    date = spec.publish_date or ""
    ym = date[:7].replace("-", "")
    header = [
        f"标题: {title}",
        f"发布时间: {date} 09:30",
        "文号: ",
        f"发布机构: {pr.text(spec.issuer)}",
        f"栏目: {pr.text('政府信息公开年报')}",
        f"原文链接: https://www.example.gov.cn/zwgk/zfxxgknb/{ym}/t{date.replace('-', '')}_100001.htm",
        "==================== 正文 ====================",
    ]
    body: list[str] = [pr.text(f"当前位置： 首页政务公开政府信息公开年报 {spec.title} "
                               f"来源：{spec.issuer} 时间：{date} 09:30 ")]
    for kind, payload in _blocks(spec, pr, ""):
        if kind in ("para", "heading"):
            body.append(payload)
        elif kind == "table":
            body.append(" ")
            for line in _table_lines(spec, pr, payload[0], payload[1], ""):
                body.append("".join(line))
    body.append(" " + pr.text("附件下载"))
    line = "".join(body).replace("\n", "")
    return "\n".join(header) + "\n" + line + "\n"


def render_markdown(spec: ReportSpec) -> str:
    """Markdown: ``#`` title, ``##`` headings, pipe tables (merged cells flattened to
    empty cells as PDF-to-markdown converters do; wrapped labels use ``<br>``); a split
    table 三 becomes two pipe tables."""
    pr = _Printer(spec)
    out: list[str] = []
    for kind, payload in _blocks(spec, pr, ""):
        if kind == "title":
            out += [f"# {payload}", ""]
        elif kind == "heading":
            out += [f"## {payload}", ""]
        elif kind == "para":
            out += [payload, ""]
        elif kind == "table":
            layout = _layout_for(spec, pr, payload[0], payload[1], vertical=False)
            rows = [[(c.text if c else "").replace("\n", "<br>") for c in r] for r in layout.grid()]
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * layout.ncols)
            out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            out.append("")
    return "\n".join(out)


def _layout_for(spec: ReportSpec, pr: _Printer, which: str, arg: Any, vertical: bool) -> _Layout:
    if which == "t2":
        return _t2_layout(spec, pr)
    if which == "t3":
        i, part = arg
        return _t3_layout(spec, pr, part, header=(i == 0), vertical=vertical)
    return _t4_layout(spec, pr)


def render_html(spec: ReportSpec, encoding: str = "utf-8") -> bytes:
    """A government-site page: ``<meta charset>`` naming ``encoding``, ``<p>`` paragraphs,
    ruled tables with rowspan/colspan, ``<br />`` inside narrow header cells, ``&nbsp;``
    for blank cells; a split table 三 becomes two ``<table>`` elements. Characters the
    encoding lacks (e.g. Simplified text in big5) are written as ``&#NNNNN;`` references;
    use ``traditional=True`` for a genuine big5 page."""
    pr = _Printer(spec)
    esc = lambda s: _html.escape(s, quote=False)  # noqa: E731
    out = [
        "<!DOCTYPE html>",
        "<html>",
        "<head>",
        f'<meta charset="{encoding}">',
        f"<title>{esc(pr.text(spec.title or ''))}</title>",
        "</head>",
        "<body>",
        '<div class="TRS_Editor">',
    ]
    for kind, payload in _blocks(spec, pr, ""):
        if kind == "title":
            out.append(f"<p style='text-align: center;font-weight: bold;'>{esc(payload)}</p>")
            out.append(f"<p style='text-align: center'>{esc(pr.text('发布日期'))}：{spec.publish_date}</p>")
        elif kind == "heading":
            out.append(f"<p><strong>{esc(payload)}</strong></p>")
        elif kind == "para":
            out.append(f"<p>{esc(payload)}</p>")
        elif kind == "table":
            layout = _layout_for(spec, pr, payload[0], payload[1], vertical=False)
            out.append('<table align="center" border="1" cellspacing="0" cellpadding="0"><tbody>')
            by_row: dict[int, list[_Cell]] = {}
            for c in layout.cells:
                by_row.setdefault(c.row, []).append(c)
            for r in range(layout.nrows):
                tds = []
                for c in sorted(by_row.get(r, []), key=lambda c: c.col):
                    attrs = ""
                    if c.colspan > 1:
                        attrs += f' colspan="{c.colspan}"'
                    if c.rowspan > 1:
                        attrs += f' rowspan="{c.rowspan}"'
                    if c.kind == "label":
                        inner = "<br />".join(esc(x) for x in c.text.split("\n"))
                        tds.append(f"<td{attrs}><p>{inner}</p></td>")
                        continue
                    if not c.text:
                        inner = "&nbsp;"
                    elif _narrow_head(c):
                        inner = "<br />".join(esc(x) for x in _head_break(c.text))
                    else:
                        inner = "<br />".join(esc(x) for x in c.text.split("\n"))
                    tds.append(f'<td{attrs} nowrap="nowrap"><p align="center">{inner}</p></td>')
                out.append("<tr>" + "".join(tds) + "</tr>")
            out.append("</tbody></table>")
    out += ["</div>", "</body>", "</html>", ""]
    return "\n".join(out).encode(encoding, errors="xmlcharrefreplace")


# --------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------

_FONT = "STSong-Light"
_PAGE_MARGIN = 36.0


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))


def _pdf_table(layout: _Layout, widths: list[float], label_size: float, num_size: float = 7.5):
    from reportlab.platypus import Table, TableStyle

    data = [["" for _ in range(layout.ncols)] for _ in range(layout.nrows)]
    style: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), _FONT, label_size, label_size + 2),
        ("GRID", (0, 0), (-1, -1), 0.6, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for c in layout.cells:
        text = c.text
        if _narrow_head(c):
            text = "\n".join(_head_break(text))
        data[c.row][c.col] = text
        end = (c.col + c.colspan - 1, c.row + c.rowspan - 1)
        if c.colspan > 1 or c.rowspan > 1:
            style.append(("SPAN", (c.col, c.row), end))
        if c.kind != "label":
            style.append(("ALIGN", (c.col, c.row), end, "CENTER"))
        if c.kind == "num":
            style.append(("FONT", (c.col, c.row), end, _FONT, num_size, num_size + 2))
    t = Table(data, colWidths=widths)
    t.setStyle(TableStyle(style))
    return t


def render_pdf(spec: ReportSpec, path: str | Path) -> Path:
    """An A4 text PDF (reportlab, CID font STSong-Light): centred title, paragraphs,
    ruled tables with merged cells (the vertical 三、本年度办理结果, group labels
    （三）不予公开… spanning their rows, table 四's 3-level header), footers ``- N -``.
    A split table 三 continues at the top of the next page with no header."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    _register_font()
    path = Path(path)
    pr = _Printer(spec)
    width = A4[0] - 2 * _PAGE_MARGIN
    title_st = ParagraphStyle("t", fontName=_FONT, fontSize=17, leading=26, alignment=TA_CENTER,
                              wordWrap="CJK", spaceAfter=10)
    body_st = ParagraphStyle("b", fontName=_FONT, fontSize=11, leading=18, firstLineIndent=22,
                             wordWrap="CJK")
    head_st = ParagraphStyle("h", fontName=_FONT, fontSize=12, leading=20, firstLineIndent=22,
                             wordWrap="CJK", spaceBefore=4)

    def para(text: str, st: ParagraphStyle) -> Paragraph:
        return Paragraph(_html.escape(text, quote=False), st)

    # table 三 column widths: vertical label, group label, sub-label, 7 numbers
    num_w = 27.0
    w0, w1 = 16.0, 60.0
    w2 = width - w0 - w1 - 7 * num_w
    t3_size = 7.5
    if spec.table3 is not None:
        longest = max(len(line) for _, lab, kind in t3_rows(spec.table3.variant) if kind not in ("top", "result")
                      for line in pr.label(lab, wrap=True).split("\n"))
        t3_size = min(7.5, (w2 - 6) / max(longest, 1))

    story: list[Any] = []
    pending_heading: list[Any] = []
    for kind, payload in _blocks(spec, pr, ""):
        if kind == "title":
            story.append(para(payload, title_st))
        elif kind == "para":
            story += pending_heading
            pending_heading = []
            story.append(para(payload, body_st))
        elif kind == "heading":
            story += pending_heading
            pending_heading = [para(payload, head_st)]
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "table":
            which, arg = payload
            layout = _layout_for(spec, pr, which, arg, vertical=True)
            if which == "t2":
                widths = [width * 0.34] + [width * 0.22] * 3
                table = _pdf_table(layout, widths, 8.5, 8.5)
            elif which == "t3":
                table = _pdf_table(layout, [w0, w1, w2] + [num_w] * 7, t3_size)
            else:
                table = _pdf_table(layout, [width / 15] * 15, 7.5)
            block = pending_heading + [Spacer(1, 4), table, Spacer(1, 6)]
            pending_heading = []
            story.append(KeepTogether(block))
    story += pending_heading

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 10)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=_PAGE_MARGIN, rightMargin=_PAGE_MARGIN,
                            topMargin=54, bottomMargin=54, title=pr.text(spec.title or ""),
                            author=pr.text(spec.issuer), creator="govreport.fixtures")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------

def _write_sample(outdir: Path) -> list[str]:
    outdir.mkdir(parents=True, exist_ok=True)
    notes = []
    txt = outdir / "sample-report.txt"
    txt.write_text(render_text(default_spec("pre2019")), encoding="utf-8")
    notes.append(f"wrote {txt}")
    pdf = outdir / "sample-report.pdf"
    try:
        render_pdf(default_spec("post2019", "2021"), pdf)
        notes.append(f"wrote {pdf}")
    except ImportError:
        notes.append(f"skipped {pdf}: reportlab is not installed (pip install 'govreport[test]')")
    return notes


_RENDERERS = ("pdf", "txt", "oneline", "html", "md")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govreport.fixtures",
                                 description="Write synthetic annual reports.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample", help="sample-report.pdf (post-2019, 2021 tables) and "
                                      "sample-report.txt (pre-2019 prose)")
    s.add_argument("outdir", type=Path)
    r = sub.add_parser("render", help="render one report")
    r.add_argument("out", type=Path)
    r.add_argument("--format", choices=_RENDERERS, default=None, help="default: from the suffix")
    r.add_argument("--era", choices=("post2019", "pre2019"), default="post2019")
    r.add_argument("--variant", choices=("2019", "2021", "mixed"), default="2021")
    r.add_argument("--seed", type=int, default=None, help="random numbers (random_spec)")
    r.add_argument("--split-at", default=None, help="table 三 row key or index to split at")
    r.add_argument("--wrap-labels", action="store_true")
    r.add_argument("--traditional", action="store_true")
    r.add_argument("--encoding", default="utf-8", help="for html")
    args = ap.parse_args(argv)
    if args.cmd == "sample":
        for n in _write_sample(args.outdir):
            print(n, file=sys.stderr if n.startswith("skipped") else sys.stdout)
        return 0
    split = int(args.split_at) if args.split_at and args.split_at.isdigit() else args.split_at
    knobs = dict(split_table3_at_row=split, wrap_labels=args.wrap_labels, traditional=args.traditional)
    spec = (random_spec(args.seed, args.era, args.variant, **knobs) if args.seed is not None
            else default_spec(args.era, args.variant, **knobs))
    fmt = args.format or {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "md"}.get(
        args.out.suffix.lower(), "txt")
    if fmt == "pdf":
        render_pdf(spec, args.out)
    elif fmt == "html":
        args.out.write_bytes(render_html(spec, args.encoding))
    elif fmt == "md":
        args.out.write_text(render_markdown(spec), encoding="utf-8")
    elif fmt == "oneline":
        args.out.write_text(render_oneline(spec), encoding="utf-8")
    else:
        args.out.write_text(render_text(spec), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
