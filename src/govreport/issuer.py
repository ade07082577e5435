"""Who issued a report: its full official name, what kind of office it is, and where it sits.

A title names its issuer in many ways (财金局, 平潭综合实验区管委会, 上海市科委, 北京市); a
panel needs one name per office and a region code. The full name is read from the
report itself where the title abbreviates it (a signature or body naming 平潭综合实验区
财政金融局), abbreviations expand by the table in ``data/issuer_words.json``, and the
place names in it are looked up in the GB/T 2260 list of the statistics year
(:mod:`govreport.regions`). A name that fits several places stays ``ambiguous`` with its
candidates unless the report names a province or city that settles it: never a guess.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from . import regions
from .lazyre import lazy

_CJK = lazy(r"[\u4e00-\u9fff]")
_PAREN = lazy(r"[（(]([^）)]{1,12})[）)]")
_TOWNSHIP = lazy(r"^([\u4e00-\u9fff]{1,8}?(?:镇|乡|街道))(?=人民政府|政府|办事处|$)")
_MAX_NAME = 12
_LEVEL_CHARS = set("省市区县旗州盟")


@lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    return json.loads(resources.files("govreport").joinpath("data/issuer_words.json")
                      .read_text("utf-8"))


@dataclass(frozen=True)
class Zone:
    name: str
    forms: tuple[str, ...]
    host_code: str
    governing_body: str
    note: str


@lru_cache(maxsize=1)
def zones() -> tuple[Zone, ...]:
    out = []
    for r in regions.data_rows("functional_zones.csv"):
        forms = [r["name"], *[a for a in r["aliases"].split("|") if a]]
        out.append(Zone(r["name"], tuple(sorted(forms, key=len, reverse=True)), r["host_code"],
                        r["governing_body"], r["note"]))
    return tuple(out)


@dataclass
class Places:
    """What a name says about place: the chain of divisions it starts with, a zone, a township."""

    candidates: tuple[str, ...] = ()  # codes of the deepest division named
    consumed: int = 0  # characters of the name that are place names
    zone: Zone | None = None
    township: str | None = None


def _zone_at(name: str, pos: int) -> tuple[Zone, int] | None:
    for zone in zones():
        for form in zone.forms:
            if name.startswith(form, pos):
                return zone, len(form)
    return None


def _is_child(code: str, parent: str) -> bool:
    level = regions.level_of(parent)
    if level == "province":
        return code[:2] == parent[:2] and code != parent
    if level == "city":
        return code[:4] == parent[:4] and code != parent
    return False


def read_places(name: str, revision: str) -> Places:
    """The divisions a name begins with (淮安市洪泽区人民政府 → 淮安市 > 洪泽区)."""
    index = regions.name_index(revision)
    full = regions.full_names(revision)
    out = Places()
    pos = 0
    while pos < len(name):
        zone = _zone_at(name, pos)
        if zone and out.zone is None:
            out.zone, pos = zone[0], pos + zone[1]
            out.consumed = pos
            continue
        found: tuple[str, ...] = ()
        for size in range(min(_MAX_NAME, len(name) - pos), 1, -1):
            piece = name[pos:pos + size]
            codes = index.get(piece)
            if not codes or (piece not in full and name[pos + size:pos + size + 1] in _LEVEL_CHARS):
                continue  # 襄阳 of 襄阳区 is not the start of 襄阳市
            if out.candidates:
                codes = tuple(c for c in codes if any(_is_child(c, p) for p in out.candidates))
            if codes:
                found = codes
                break
        if not found or out.zone is not None:
            break
        out.candidates = found
        pos += size
        out.consumed = pos
    if out.candidates or out.zone:
        m = _TOWNSHIP.match(name[out.consumed:])
        if m and not any(name[out.consumed:].startswith(s) for s in ("市", "区", "县")):
            out.township = m.group(1)
    else:
        m = _TOWNSHIP.match(name)
        if m:
            out.township = m.group(1)
    return out


def clean_name(name: str | None) -> tuple[str | None, str | None]:
    """The name without spaces and a trailing parenthetical hint (（福建） → hint)."""
    if not name:
        return None, None
    name = re.sub(r"\s+", "", name).strip("《》“”\"：:，,")
    hint = None
    m = _PAREN.search(name)
    if m and m.end() == len(name):
        hint, name = m.group(1), name[:m.start()]
    return name or None, hint


def is_national(name: str) -> bool:
    return any(name.startswith(p) for p in words()["national_prefixes"])


def is_pronoun(name: str) -> bool:
    """我局, 本机关, 市政府办公厅…: words that point at an office without naming it."""
    w = words()
    if any(name.startswith(p) for p in w["pronouns"]):
        return True
    return name[:1] in w["relative_prefixes"] and not read_places(name, regions.revision_for(None)).consumed


def expand(name: str) -> str:
    """Abbreviations at the end of a name spelled out (管委会 → 管理委员会)."""
    for short, full in words()["abbreviations"]:
        if name.endswith(short) and not name.endswith(full):
            return name[:-len(short)] + full
    return name


def office_type(name: str | None) -> str | None:
    """people's government, general office, department, township, zone or other."""
    if not name:
        return None
    for kind, pattern in words()["office_types"]:
        if re.search(pattern, name):
            if kind == "department" and _TOWNSHIP.match(name):
                return "township"
            return kind
    return "other"


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _place_starts(run: str, revision: str) -> list[int]:
    """Positions in ``run`` where a division or zone name may begin (a cheap prefilter)."""
    starts = _starts(revision)
    return [i for i in range(len(run) - 1) if run[i:i + 2] in starts]


@cache
def _starts(revision: str) -> frozenset[str]:
    return regions.name_starts(revision) | {f[:2] for z in zones() for f in z.forms}


@lru_cache(maxsize=16)
def full_form_in_text(name: str, text: str, revision: str) -> str | None:
    """The place-prefixed full name a text gives for ``name`` (财金局 → 平潭综合实验区财政金融局).

    A candidate is a place name followed by at most 16 characters that end like ``name``
    and contain its characters in order; the one the text prints most often wins (the
    signature counts double). ``None`` when the text never spells it out.
    """
    if not text or len(name) < 2:
        return None
    lead = name[0] if name[0] in "省市区县镇乡" else ""  # 区卫生局 = 翔安区 + 卫生局
    core = name[len(lead):]
    counts: dict[str, int] = {}
    tail = text[-300:]
    for m in re.finditer(r"[\u4e00-\u9fff]{3,40}", text):
        run = m.group(0)
        for start in _place_starts(run, revision):
            places = read_places(run[start:start + 24], revision)
            if (not places.consumed or (places.township and not name.startswith(places.township))
                    or not run[start:start + places.consumed].endswith(lead)):
                continue
            rest = run[start + places.consumed:start + places.consumed + 16]
            for k in range(1, len(rest) + 1):
                piece = rest[:k]
                if piece.endswith(core[-1]) and _subsequence(core, piece) and piece[0] == core[0]:
                    cand = run[start:start + places.consumed] + piece
                    counts[cand] = counts.get(cand, 0) + (2 if cand in tail else 1)
                    break
            break
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -len(c)))


def canonical_issuer(printed: str | None, text: str | None = None, year: int | None = None) -> str | None:
    """The full official name for the issuer a title printed (None stays None)."""
    name, _ = clean_name(printed)
    if not name:
        return None
    revision = regions.revision_for(year)
    places = read_places(name, revision)
    if not places.consumed and not is_national(name) and text:
        name = full_form_in_text(name, text, revision) or name
        places = read_places(name, revision)
    if places.consumed and places.consumed == len(name):
        if places.zone and not places.candidates:
            return places.zone.governing_body
        return name + "人民政府"
    if places.township and name.endswith(places.township):
        return name + "人民政府"
    return expand(name)


def _empty(status: str = "unknown", note: str | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"code": None, "name": None, "province": None, "city": None,
                              "county": None, "level": None, "status": status, "candidates": []}
    if note:
        region["note"] = note
    return region


def _mentions(code: str, revision: str, text: str) -> int:
    """How closely ``text`` places ``code``: 2 when it names its city, 1 its province, else 0.

    The county's own name is no proof (it is what is ambiguous)."""
    d = regions.divisions(revision)
    score = 0
    for parent, weight in ((code[:2] + "0000", 1), (code[:4] + "00", 2)):
        pname = d.get(parent) if parent != code else None
        if pname and any(f in text for f in [pname, *regions.short_names(pname, regions.level_of(parent))]):
            score = max(score, weight)
    return score


def _region_of(code: str, revision: str, year: int | None, note: str | None) -> dict[str, Any]:
    printed = regions.divisions(revision).get(code)
    code, moved = regions.code_in_year(code, year)
    revision = regions.revision_for(year)
    d = regions.divisions(revision)
    if not moved and printed and d.get(code) and printed != d[code]:
        moved = f"{printed} is named {d[code]} in the {revision} code list"
    region = _empty("resolved")
    region.update(regions.describe(code, revision))
    latest = regions.code_in_year(code, 9999)[0]  # the same unit in the newest code list
    region.update(code=code, name=d.get(code), level=regions.level_of(code), revision=revision,
                  code_latest=latest)
    notes = [n for n in (note, moved) if n]
    if notes:
        region["note"] = "; ".join(notes)
    return region


def resolve_issuer(name: str | None, year: int | None = None, text: str | None = None) -> dict[str, Any]:
    """The region of an issuer's name, with the GB/T 2260 code valid in ``year``.

    Returns ``{"code", "name", "province", "city", "county", "level", "status",
    "candidates"}`` (plus ``note``, ``revision`` — the code list used — and
    ``code_latest`` — the same unit's code in the newest list, to join series across
    renames — where they apply); ``status`` is
    ``resolved``, ``ambiguous`` (several places fit and ``text`` does not say which) or
    ``unknown``. Functional zones map to their host unit with a note; central bodies are
    ``level: national`` with no code.
    """
    name, hint = clean_name(name)
    if not name:
        return _empty()
    revision = regions.revision_for(year)
    places = read_places(name, revision)
    if not places.consumed and text and not is_national(name):
        full = full_form_in_text(name, text, revision)
        if full:
            places = read_places(full, revision)
    if not places.consumed:  # a name of another year (襄樊市 in a 2012 report)
        likely = regions.revisions_naming(name, _MAX_NAME)
        rest = [r for r in reversed(regions.revisions()) if r not in likely] if likely else []
        for other in likely + rest:
            places = read_places(name, other)
            if places.consumed:
                revision = other
                break
    if not places.consumed:
        if is_national(name):
            region = _empty("resolved", "central (national) body: no GB/T 2260 code")
            region["level"] = "national"
            return region
        return _empty(note=f"no place name in {name!r} or in the report")
    note = None
    candidates = places.candidates
    if places.zone and not candidates:
        candidates, note = (places.zone.host_code,), f"{places.zone.name}: {places.zone.note}"
    if len(candidates) > 1:
        evidence = " ".join(x for x in (hint, text) if x)
        scores = {c: _mentions(c, revision, evidence) if evidence else 0 for c in candidates}
        best = max(scores.values())
        named = [c for c in candidates if best and scores[c] == best]
        if len(named) != 1:
            region = _empty("ambiguous", f"{name!r} fits {len(candidates)} places")
            region["candidates"] = [_region_of(c, revision, year, None) for c in candidates]
            for cand in region["candidates"]:
                cand.pop("candidates", None)
            return region
        candidates = tuple(named)
        note = "; ".join(x for x in (note, "place settled by the province or city the report names") if x)
    region = _region_of(candidates[0], revision, year, note)
    if places.township:
        region.update(level="township", name=places.township)
        region["note"] = "; ".join(x for x in (region.get("note"), "township: code of its county") if x)
    return region


_DATE = lazy(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NAME_BEFORE = lazy(r"([\u4e00-\u9fff（）()]{3,60})\s*$")


def find_signature(text: str) -> tuple[str, str] | None:
    """The last office name printed right before a date (the 落款), and that date (ISO).

    The name must begin with a place or zone (平潭综合实验区财政金融局 2017年1月13日), so
    a sentence ending in a date is not taken for a signature.
    """
    revision = regions.revision_for(None)
    found = None
    for m in _DATE.finditer(text):
        before = _NAME_BEFORE.search(text[max(0, m.start() - 64):m.start()])
        if not before:
            continue
        run = before.group(1)
        for start in _place_starts(run, revision):
            name = run[start:]
            places = read_places(name, revision)
            if places.consumed and places.consumed < len(name) or places.consumed == len(name) >= 2:
                if office_type(name) != "other" and not re.search(r"年|月|日|至|截", name):
                    y, mo, d = (int(x) for x in m.groups())
                    if 1 <= mo <= 12 and 1 <= d <= 31:
                        found = (name, f"{y:04d}-{mo:02d}-{d:02d}")
                    break
    return found


def issuer_meta(printed: str | None, year: int | None, text: str) -> dict[str, Any]:
    """``issuer_canonical``, ``office_type`` and ``region`` for a report's meta.

    When the title names no issuer, or only a pronoun or a place-less relative name
    (我局, 区卫生局), ``issuer`` is replaced by the name the signature or body spells out
    (翔安区卫生和计划生育局), or ``None``: a pronoun never becomes the issuer.
    """
    out: dict[str, Any] = {}
    name = printed
    if name and is_pronoun(clean_name(name)[0] or ""):
        full = full_form_in_text(clean_name(name)[0] or "", text, regions.revision_for(year))
        name = out["issuer"] = full
    if not name:
        signed = find_signature(text)
        name = out["issuer"] = signed[0] if signed else None
    canonical = canonical_issuer(name, text, year)
    out.update(issuer_canonical=canonical, office_type=office_type(canonical),
               region=resolve_issuer(canonical or name, year, text))
    return out
