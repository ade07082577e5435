"""Built-in cross-report rules, registered like any plugin's (``govreport_register_batch_checks``).

``RULES`` says what each rule requires (the docs page is generated from it).

Thresholds are :class:`govreport.crossyear.CrossOptions`. Only numbers both reports print
are compared: a blank or missing cell never makes a finding.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any

import govreport

from .records import date_year, path_of, report_dates, sha_of, year_of

if TYPE_CHECKING:  # crossyear imports the outputs and research modules: not at every parse
    from .crossyear import Batch, CrossCheck

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare",
                     "legal_services", "other_org", "total")

#: rule -> what must hold (the docs page lists these)
RULES = {
    "XY-CARRY": "requests.carried_over.<col> of year t = requests.carried_forward.<col> of year t−1",
    "XY-JUMP": "an indicator stays within ×5 / ×0.2 of last year (above a minimum volume); "
               "a rate moves by at most N points",
    "XY-DUP": "one document per office and year",
    "XY-YEAR": "the stated year agrees with the title's year and the report's own dates",
    "XY-GAP": "no year missing between an office's first and last report",
}


def _num(value: Any) -> int | float | None:
    return None if isinstance(value, bool) or not isinstance(value, (int, float)) else value


def _years(office_records: Sequence[Mapping[str, Any]]) -> list[tuple[int, list[Mapping[str, Any]]]]:
    return [(y, list(g)) for y, g in groupby(office_records, key=year_of)]  # type: ignore[misc]


def _consecutive(office_records: Sequence[Mapping[str, Any]]) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(earlier, later) record pairs of consecutive years."""
    years = _years(office_records)
    for (y0, recs0), (y1, recs1) in zip(years, years[1:]):
        if y1 == y0 + 1:
            for a in recs0:
                for b in recs1:
                    yield a, b


def _name(rec: Mapping[str, Any]) -> str:
    return f"{path_of(rec).rsplit('/', 1)[-1]} ({year_of(rec)})"


class CarryOver:
    """XY-CARRY: what one year carries forward is what the next year carries over."""

    name = "xy-carry"
    rule = "XY-CARRY"

    def check(self, batch: Batch) -> Iterator[CrossCheck]:
        for office, recs in batch.offices.items():
            for prev, cur in _consecutive(recs):
                pf, cf = prev.get("facts") or {}, cur.get("facts") or {}
                diffs = {}
                for col in APPLICANT_COLUMNS:
                    fwd = _num(pf.get(f"requests.carried_forward.{col}"))
                    over = _num(cf.get(f"requests.carried_over.{col}"))
                    if fwd is not None and over is not None and fwd != over:
                        diffs[col] = {"carried_forward": fwd, "carried_over": over}
                if diffs:
                    text = ", ".join(f"{c} {d['carried_over']} vs {d['carried_forward']}"
                                     for c, d in diffs.items())
                    yield batch.finding(
                        self.rule, [prev, cur],
                        f"{office}: 上年结转 of {year_of(cur)} ≠ 结转下年度继续办理 of "
                        f"{year_of(prev)} ({text}) — {_name(prev)} / {_name(cur)}",
                        values=diffs, office=office,
                        keys=[k for c in diffs for k in (f"requests.carried_forward.{c}",
                                                         f"requests.carried_over.{c}")])


class Jump:
    """XY-JUMP: an indicator or a rate that changes implausibly fast from one year to the next."""

    name = "xy-jump"
    rule = "XY-JUMP"

    def check(self, batch: Batch) -> Iterator[CrossCheck]:
        opt = batch.options
        for office, recs in batch.offices.items():
            for prev, cur in _consecutive(recs):
                a_ind, b_ind = batch.indicators(prev), batch.indicators(cur)
                for key in sorted(a_ind.keys() & b_ind.keys()):
                    a, b = a_ind[key], b_ind[key]
                    if max(a, b) < opt.jump_min_volume or min(a, b) < 0:
                        continue
                    factor = b / a if a else float("inf")
                    if factor > opt.jump_factor or factor < 1 / opt.jump_factor:
                        shown = "from 0" if not a else f"×{factor:.2f}"
                        yield batch.finding(
                            self.rule, [prev, cur],
                            f"{office}: {key} {a} → {b} ({shown}) from {year_of(prev)} to "
                            f"{year_of(cur)}", office=office, keys=[key],
                            values={"key": key, "before": a, "after": b,
                                    "factor": None if not a else round(factor, 4)})
                yield from self._rates(batch, office, prev, cur)

    def _rates(self, batch: Batch, office: str, prev: Mapping[str, Any],
               cur: Mapping[str, Any]) -> Iterator[CrossCheck]:
        opt = batch.options
        ra, rb = batch.rates(prev), batch.rates(cur)
        for name in opt.jump_rates:
            a, b = ra.get(name, {}), rb.get(name, {})
            if a.get("value") is None or b.get("value") is None:
                continue
            if min(a["denominator"], b["denominator"]) < opt.rate_min_denominator:
                continue
            points = (b["value"] - a["value"]) * 100
            if abs(points) > opt.rate_points:
                yield batch.finding(
                    self.rule, [prev, cur],
                    f"{office}: {name} {a['value']:.1%} → {b['value']:.1%} "
                    f"({points:+.1f} points) from {year_of(prev)} to {year_of(cur)}",
                    office=office, keys=[name],
                    values={"rate": name, "before": a["value"], "after": b["value"],
                            "points": round(points, 2)})


class Duplicate:
    """XY-DUP: more than one document for one office-year."""

    name = "xy-dup"
    rule = "XY-DUP"

    def check(self, batch: Batch) -> Iterator[CrossCheck]:
        for office, recs in batch.offices.items():
            for year, same in _years(recs):
                if len(same) < 2:
                    continue
                hashes = {sha_of(r) for r in same}
                identical = len(hashes) == 1 and None not in hashes
                what = ("the same document saved more than once" if identical
                        else f"{len(same)} different documents")
                yield batch.finding(
                    self.rule, same, f"{office} {year}: {what} — "
                    + ", ".join(path_of(r) for r in same),
                    office=office, severity="info" if identical else "warning",
                    values={"documents": len(same), "same_content": identical})


_TITLE_YEAR = re.compile(r"((?:19|20)\d{2}|[〇零一二](?:[〇零一二三四五六七八九]){3})\s*年")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


def _title_year(title: str | None) -> int | None:
    m = _TITLE_YEAR.search(title or "")
    if not m:
        return None
    digits = "".join(_CN_DIGITS.get(c, c) for c in m.group(1))
    return int(digits) if digits.isdigit() else None


class YearMismatch:
    """XY-YEAR: the year a report states against its title and its own dates."""

    name = "xy-year"
    rule = "XY-YEAR"

    def check(self, batch: Batch) -> Iterator[CrossCheck]:
        lag = batch.options.date_lag_years
        for rec in batch.records:
            year = year_of(rec)
            if year is None:
                continue
            meta = rec.get("meta") or {}
            title_year = _title_year(meta.get("title"))
            if title_year is not None and title_year != year:
                yield batch.finding(
                    self.rule, [rec], f"{path_of(rec)}: stated year {year}, title says "
                    f"{title_year} ({meta.get('title')})", office=meta.get("issuer_canonical")
                    or meta.get("issuer"), values={"year": year, "title_year": title_year},
                    keys=["meta.year", "meta.title"])
            for key, value in report_dates(rec).items():
                if not year <= date_year(value) <= year + lag:
                    yield batch.finding(
                        self.rule, [rec], f"{path_of(rec)}: a {year} report dated {value} "
                        f"({key})", office=meta.get("issuer_canonical") or meta.get("issuer"),
                        values={"year": year, key: value}, keys=["meta.year", f"meta.{key}"])


class Gap:
    """XY-GAP: a year missing inside an office's series (between its first and last report)."""

    name = "xy-gap"
    rule = "XY-GAP"

    def check(self, batch: Batch) -> Iterator[CrossCheck]:
        for office, recs in batch.offices.items():
            years = _years(recs)
            for (y0, recs0), (y1, recs1) in zip(years, years[1:]):
                if y1 > y0 + 1:
                    missing = list(range(y0 + 1, y1))
                    shown = (str(missing[0]) if len(missing) == 1
                             else f"{missing[0]}–{missing[-1]}")
                    yield batch.finding(
                        self.rule, [recs0[-1], recs1[0]],
                        f"{office}: no report for {shown} between {y0} and {y1}",
                        office=office, severity="info",
                        values={"missing_years": missing})


BUILTIN_CHECKS = (CarryOver(), Jump(), Duplicate(), YearMismatch(), Gap())


@govreport.hookimpl
def govreport_register_batch_checks(register):
    for check in BUILTIN_CHECKS:
        register(check)
