"""Built-in validators: the 勾稽关系 of tables 三/四 and prose that contradicts them.

Registered through ``govreport_register_checks`` like any third-party plugin.

| rule      | what must hold (SCHEMA §4) |
|-----------|----------------------------|
| T3-BAL    | per column: new_received + carried_over = total_processed + carried_forward |
| T3-SUM    | per column: total_processed = the sum of every result row |
| T3-ROW    | per row: total = the six applicant columns |
| T4-SUM    | per block: total = upheld + corrected + other + pending |
| TXT-TABLE | a count stated in the text disagrees with table 三/四 (warning) |

A failed check is a finding about the report: values stay as printed. A cell that is
blank (``None``) or was left out makes a rule *not assessable*, never failed — except
that counts can't be negative, so parts that already exceed their printed total fail
even when other parts are blank.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeGuard

import govreport

from ..model import Check, Report

T3_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services",
              "other_org", "total")
APPLICANTS = T3_COLUMNS[:6]
_HEAD = ["granted", "partially_granted",
         "denied.state_secret", "denied.prohibited_by_law", "denied.security_stability",
         "denied.third_party_rights", "denied.internal_affairs", "denied.process_info",
         "denied.enforcement_file", "denied.admin_query",
         "unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear_after_correction",
         "not_processed.petition_complaint", "not_processed.duplicate", "not_processed.publication",
         "not_processed.excessive", "not_processed.confirm_or_reissue"]
RESULT_ROWS = {
    "2019": _HEAD + ["other"],
    "2021": _HEAD + ["other.no_correction", "other.fee_unpaid", "other.misc"],
}
ALL_ROWS = {v: ["new_received", "carried_over"] + rows + ["total_processed", "carried_forward"]
            for v, rows in RESULT_ROWS.items()}
T4_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
T4_PARTS = ("upheld", "corrected", "other", "pending")

_MISSING = object()


def _variant(report: Report) -> str:
    v = report.meta.get("table3_variant")
    if v in RESULT_ROWS:
        return v
    return "2021" if any(k.startswith("requests.other.") and k.count(".") == 3
                         for k in report.facts) else "2019"


def _num(v: Any) -> TypeGuard[int | float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _sum_check(total: Any, parts: list[Any]) -> tuple[bool, str] | None:
    """None when not assessable; (ok, shown sum) otherwise."""
    if not _num(total):
        return None
    if any(p is _MISSING for p in parts):
        known = [p for p in parts if _num(p)]
        if known and sum(known) > total and all(p >= 0 for p in known):
            return False, f"{_fmt(sum(known))} (known parts only)"
        return None
    if any(p is None for p in parts):
        known = [p for p in parts if _num(p)]
        if known and sum(known) > total and all(p >= 0 for p in known):
            return False, f"{_fmt(sum(known))} (blank parts not counted)"
        return None
    s = sum(parts)
    return abs(s - total) < 1e-9, _fmt(s)


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _addends(parts: list[Any]) -> str:
    """"a + b + c" as printed, "·" for a blank or missing cell."""
    return " + ".join("·" if p is None or p is _MISSING else _fmt(p) for p in parts)


def _get(facts: dict, key: str) -> Any:
    return facts[key] if key in facts else _MISSING


class TableArithmetic:
    """T3-BAL, T3-SUM, T3-ROW, T4-SUM over the facts of tables 三 and 四."""

    name = "table-arithmetic"

    def check(self, report: Report) -> Iterable[Check]:
        facts = report.facts
        if any(k.startswith("requests.") for k in facts):
            yield from self._t3(facts, _variant(report))
        yield from self._t4(facts)

    def _t3(self, facts: dict, variant: str) -> Iterable[Check]:
        g = lambda r, c: _get(facts, f"requests.{r}.{c}")  # noqa: E731
        for col in T3_COLUMNS:
            a, b, c, d = (g(r, col) for r in ("new_received", "carried_over", "total_processed",
                                               "carried_forward"))
            if all(_num(x) for x in (a, b, c, d)) and abs((a + b) - (c + d)) > 1e-9:
                keys = [f"requests.{r}.{col}" for r in ("new_received", "carried_over",
                                                          "total_processed", "carried_forward")]
                yield Check("T3-BAL", "warning", keys,
                            f"table 三, column {col}: 一 + 二 = {_fmt(a)} + {_fmt(b)} = {_fmt(a + b)} "
                            f"but 七 + 四 = {_fmt(c)} + {_fmt(d)} = {_fmt(c + d)}")
        for col in T3_COLUMNS:
            parts = [g(r, col) for r in RESULT_ROWS[variant]]
            res = _sum_check(g("total_processed", col), parts)
            if res and not res[0]:
                yield Check("T3-SUM", "warning",
                            [f"requests.total_processed.{col}"]
                            + [f"requests.{r}.{col}" for r in RESULT_ROWS[variant]],
                            f"table 三, column {col}: （七）总计 is {_fmt(g('total_processed', col))} "
                            f"but the result rows add up to {res[1]}")
        for row in ALL_ROWS[variant]:
            parts = [g(row, c) for c in APPLICANTS]
            if all(p is _MISSING for p in parts):
                continue
            res = _sum_check(g(row, "total"), parts)
            if res and not res[0]:
                shown = _addends(parts)
                yield Check("T3-ROW", "warning",
                            [f"requests.{row}.total"] + [f"requests.{row}.{c}" for c in APPLICANTS],
                            f"table 三, row {row}: 总计 is {_fmt(g(row, 'total'))} but the applicant "
                            f"columns {shown} add up to {res[1]}")

    def _t4(self, facts: dict) -> Iterable[Check]:
        for block in T4_BLOCKS:
            parts = [_get(facts, f"{block}.{p}") for p in T4_PARTS]
            total = _get(facts, f"{block}.total")
            res = _sum_check(total, parts)
            if res and not res[0]:
                shown = _addends(parts)
                yield Check("T4-SUM", "warning",
                            [f"{block}.total"] + [f"{block}.{p}" for p in T4_PARTS],
                            f"table 四, {block}: 总计 is {_fmt(total)} but 维持 + 纠正 + 其他 + 未审结 "
                            f"= {shown} = {res[1]}")


# --------------------------------------------------------------------------------------
# TXT-TABLE: prose against table 三 / 四
# --------------------------------------------------------------------------------------

_N = r"(\d[\d,，]*)"
_UNIT = r"\s*(?:件|条|份|起|宗|个)"
_SENT = re.compile(r"[^。；;\n]+")


def _row_total(facts: dict, row: str) -> Any:
    """A row's 总计, or the sum of its printed applicant cells when 总计 is blank
    (a wholly blank row counts 0); None when the row was not read."""
    t = facts.get(f"requests.{row}.total")
    if _num(t):
        return t
    if any(f"requests.{row}.{c}" not in facts for c in T3_COLUMNS):
        return None
    return sum(p for p in (facts[f"requests.{row}.{c}"] for c in APPLICANTS) if _num(p))


def _group_total(facts: dict, rows: list[str]) -> Any:
    vals = [_row_total(facts, r) for r in rows]
    return None if any(v is None for v in vals) else sum(vals)


def _t4_total(facts: dict, blocks: tuple[str, ...]) -> Any:
    vals = []
    for b in blocks:
        t = facts.get(f"{b}.total")
        if _num(t):
            vals.append(t)
        elif f"{b}.total" in facts and t is None:
            parts = [facts.get(f"{b}.{p}") for p in T4_PARTS]
            vals.append(sum(p for p in parts if _num(p)))
        else:
            return None
    return sum(vals)


def _to_int(s: str) -> int | None:
    s = s.replace(",", "").replace("，", "")
    return int(s) if s.isdigit() else None


# (label, regex, table value getter). Each regex has one number group.
def _request_rules(facts: dict, variant: str):
    groups = {
        "granted": ["granted"],
        "partially_granted": ["partially_granted"],
        "granted+partially_granted": ["granted", "partially_granted"],
        "denied": [r for r in RESULT_ROWS[variant] if r.startswith("denied.")],
        "unavailable": [r for r in RESULT_ROWS[variant] if r.startswith("unavailable.")],
        "not_processed": [r for r in RESULT_ROWS[variant] if r.startswith("not_processed.")],
        "other": [r for r in RESULT_ROWS[variant] if r.startswith("other")],
    }
    return groups


_OUTCOME = re.compile(
    r"(?P<w>(?:予以公开|同意公开)(?:及|和|、)(?:部分公开|同意部分公开)|予以公开|同意公开|"
    r"(?:同意)?部分公开|不予公开|无法提供|不予处理|其他处理)"
    r"(?:答复|的|类)?[^。；，,\d%]{0,6}?" + _N + _UNIT)
_OUTCOME_GROUP = {"予以公开": "granted", "同意公开": "granted", "部分公开": "partially_granted",
                  "同意部分公开": "partially_granted", "不予公开": "denied", "无法提供": "unavailable",
                  "不予处理": "not_processed", "其他处理": "other"}
_RECEIVED = re.compile(r"(?:受理|收到|接收|接到)(?:各类|了)?(?:政府信息公开|信息公开|依申请公开)?(?:申请)?"
                       r"(?:共|总计|合计)?\s*" + _N + _UNIT + r"(?!次)"
                       r"|(?:受理|收到|接收|接到)[^。；，,\d]{0,12}?申请[^。；，,\d%]{0,4}?" + _N + _UNIT)
_PROCESSED = re.compile(r"(?<!公开)(?<!处理)(?<!提供)(?:答复|办结)(?:了|各类)?"
                        r"(?:政府信息公开|信息公开)?(?:申请)?\s*" + _N + _UNIT)
_FORWARD = re.compile(r"(?:结转|顺延)(?:至|到)?(?:下一?年度?|\d{4}\s*年度?)[^。；，,\d]{0,6}?" + _N + _UNIT
                      + r"|" + _N + _UNIT + r"(?:申请)?(?:结转|顺延)(?:至|到)?下一?年")
_REVIEW = re.compile(r"行政复议(?:案件)?(?:共)?\s*" + _N + _UNIT)
_LITIGATION = re.compile(r"(?<!、)(?:行政)?诉讼(?:案件)?(?:共)?\s*" + _N + _UNIT)
# "共制发政府信息313条，其中主动公开128条、依申请公开130条、不予公开55条": the information an
# office made, by disclosure class — 不予公开 there is a class of information, not refusals.
_INFO_BY_CLASS = re.compile(r"制作|获取|制发|印发|主动公开|依申请公开(?:政府)?(?:信息)?(?:数)?\s*\d"
                            r"|不予(?:以)?公开(?:政府)?信息")
_ALL_UPHELD = re.compile(r"(?:均|全部|都)(?:获|被|予以|得到)?(?:维持|胜诉)")


class ProseVersusTables:
    """TXT-TABLE: counts stated in the post-2019 text that table 三/四 contradict."""

    name = "prose-vs-tables"

    def check(self, report: Report) -> Iterable[Check]:
        facts = report.facts
        if report.meta.get("era") != "post2019":
            return
        has_t3 = any(k.startswith("requests.") and k.count(".") >= 2 for k in facts)
        has_t4 = any(k.startswith(("review.", "litigation_direct.", "litigation_after_review."))
                     for k in facts) and "litigation_direct.total" in facts
        if not (has_t3 or has_t4):
            return
        variant = _variant(report)
        groups = _request_rules(facts, variant)
        seen: set[tuple[str, int]] = set()
        for section in report.sections:
            if section.key not in ("overview", "requests", "review_litigation"):
                continue
            for m in _SENT.finditer(section.text):
                sent = m.group(0)
                if len(sent) > 400 or re.search(r"\d[\d ]{12,}", sent):
                    continue  # table text run into prose (crawler dumps)
                if has_t3:
                    yield from self._requests(sent, facts, groups, seen)
                if has_t4:
                    yield from self._review(sent, facts, seen)

    def _emit(self, seen, rule_key: str, value: int, keys: list[str], message: str):
        if (rule_key, value) in seen:
            return
        seen.add((rule_key, value))
        yield Check("TXT-TABLE", "warning", keys, message)

    def _requests(self, sent: str, facts: dict, groups: dict, seen) -> Iterable[Check]:
        new = _row_total(facts, "new_received")
        carried = _row_total(facts, "carried_over")
        processed = _row_total(facts, "total_processed")
        forward = _row_total(facts, "carried_forward")
        if "申请" in sent and not re.search(r"行政复议|诉讼|案件", sent[:20]):
            for m in _RECEIVED.finditer(sent):
                v = _to_int(m.group(1) or m.group(2))
                if v is None or new is None:
                    continue
                # the year's new requests, or those plus the ones carried over; never the
                # processed side, which an unbalanced table (T3-BAL) may make anything
                ok = {new}
                if carried is not None:
                    ok.add(new + carried)
                if v not in ok:
                    yield from self._emit(
                        seen, "received", v, ["requests.new_received.total", "requests.carried_over.total"],
                        f"the text says {m.group(0).strip()!r} but table 三 has {_fmt(new)} new requests"
                        + (f" (+ {_fmt(carried)} carried over)" if carried else ""))
                break
        for m in _PROCESSED.finditer(sent):
            v = _to_int(m.group(1))
            if v is None or processed is None or "申请" not in sent:
                continue
            if v != processed and not (forward is not None and v == processed + forward):
                yield from self._emit(seen, "processed", v, ["requests.total_processed.total"],
                                      f"the text says {m.group(0).strip()!r} but table 三's "
                                      f"（七）总计 is {_fmt(processed)}")
            break
        for m in _FORWARD.finditer(sent):
            v = _to_int(m.group(1) or m.group(2))
            if v is None or forward is None:
                continue
            if v != forward:
                yield from self._emit(seen, "forward", v, ["requests.carried_forward.total"],
                                      f"the text says {m.group(0).strip()!r} but table 三 carries "
                                      f"{_fmt(forward)} forward")
            break
        if _INFO_BY_CLASS.search(sent):
            return  # information made, by disclosure class: not answers to requests
        for m in _OUTCOME.finditer(sent):
            w = re.sub(r"(?:答复|的|类)$", "", m.group("w"))
            if re.search(r"(?:及|和|、)", w):
                group = "granted+partially_granted"
            else:
                group = _OUTCOME_GROUP.get(w) or ""
            if not group or (group == "granted" and "已主动公开" in sent):
                continue  # the 2021 table counts "already public" answers as granted
            v = _to_int(m.group(2))
            rows = groups[group]
            table = _group_total(facts, rows)
            if v is None or table is None:
                continue
            if v != table:
                yield from self._emit(seen, group, v, [f"requests.{r}.total" for r in rows],
                                      f"the text says {m.group(0).strip()!r} but table 三 gives "
                                      f"{_fmt(table)} for {group.replace('+', ' + ')}")

    def _review(self, sent: str, facts: dict, seen) -> Iterable[Check]:
        review = _t4_total(facts, ("review",))
        litig = _t4_total(facts, ("litigation_direct", "litigation_after_review"))
        if "申请" in sent and re.search(r"受理|收到", sent) and not re.search(r"复议\s*\d|诉讼\s*\d", sent):
            return
        m = _REVIEW.search(sent)
        if m and review is not None:
            v = _to_int(m.group(1))
            if v is not None and v != review:
                yield from self._emit(seen, "review", v, ["review.total"],
                                      f"the text says {m.group(0).strip()!r} but table 四 has "
                                      f"{_fmt(review)} reviews")
        m = _LITIGATION.search(sent)
        if m and litig is not None:
            v = _to_int(m.group(1))
            if v is not None and v != litig:
                yield from self._emit(seen, "litigation", v,
                                      ["litigation_direct.total", "litigation_after_review.total"],
                                      f"the text says {m.group(0).strip()!r} but table 四 has "
                                      f"{_fmt(litig)} lawsuits")
        all_upheld = _ALL_UPHELD.search(sent)
        if all_upheld and re.search(r"复议|诉讼", sent):
            blocks = []
            if "复议" in sent:
                blocks.append("review")
            if "诉讼" in sent:
                blocks += ["litigation_direct", "litigation_after_review"]
            open_or_lost = []
            for b in blocks:
                for p in ("corrected", "other", "pending"):
                    v = facts.get(f"{b}.{p}")
                    if _num(v) and v > 0:
                        open_or_lost.append(f"{b}.{p} = {_fmt(v)}")
            if open_or_lost:
                yield from self._emit(seen, "upheld", 0, [k.split(" =")[0] for k in open_or_lost],
                                      f"the text says all were upheld ({all_upheld.group(0)}) "
                                      f"but table 四 has {', '.join(open_or_lost)}")


@govreport.hookimpl
def govreport_register_checks(register):
    register(TableArithmetic())
    register(ProseVersusTables())
