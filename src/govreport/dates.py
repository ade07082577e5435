"""A report's dates and whether it came out on time.

- ``signed_date``: the report's own date (落款), printed after the issuer at the end or
  under the title;
- ``published_date``: the date the source says it was published (a crawler header's
  发布时间, a page's 发布日期/公开日期/发文日期); a PDF's CreationDate only when nothing
  better exists, marked ``published_date_source: "pdf CreationDate (weak)"``;
- ``deadline`` and ``late``: the statutory deadline of the era and issuer type (old 条例:
  3月31日 of the next year for every office; 2019 条例 art. 49: departments 1月31日,
  governments' own reports 3月31日). ``late`` is ``None`` whenever a date or the office
  type is unknown: unknown stays unknown.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from .issuer import find_signature

_D = r"((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?"
_PUBLISHED = re.compile(r"(?<!成文)(?:发布时间|发布日期|公开日期|发文日期|发布于|日期)\s*[:：]?\s*" + _D)
_UNDER_TITLE = re.compile(r"^\s*[（(]?\s*" + _D + r"\s*[)）]?\s*$", re.M)
_GOVERNMENTS = ("government", "township")
_DEPARTMENTS = ("department", "general_office")


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def signed_date(text: str) -> str | None:
    """The 落款日期: after the signing office, else a date alone on a line under the title."""
    signed = find_signature(text)
    if signed:
        return signed[1]
    m = _UNDER_TITLE.search(text[:400])
    return _iso(*m.groups()) if m else None


def published_date(text: str, created: str | None = None) -> tuple[str | None, str | None]:
    """(date, where it came from) of publication, from the page header or the PDF metadata."""
    m = _PUBLISHED.search(text[:1500])
    if m:
        iso = _iso(*m.groups())
        if iso:
            return iso, "page header"
    if created:
        return created, "pdf CreationDate (weak)"
    return None, None


def deadline(year: int | None, office_type: str | None) -> str | None:
    """The last day the report of statistics ``year`` could be published by law."""
    if year is None:
        return None
    if year <= 2018:
        return f"{year + 1}-03-31"
    if office_type in _GOVERNMENTS:
        return f"{year + 1}-03-31"
    if office_type in _DEPARTMENTS:
        return f"{year + 1}-01-31"
    return None


def date_meta(text: str, meta: dict[str, Any], created: str | None = None) -> dict[str, Any]:
    """``signed_date``, ``published_date`` (+ source), ``deadline`` and ``late`` for meta."""
    signed = signed_date(text)
    published, source = published_date(text, created)
    due = deadline(meta.get("year"), meta.get("office_type"))
    late = None
    if due and published and source != "pdf CreationDate (weak)":
        late = published > due
    elif due and signed and signed > due:
        late = True  # signed after the deadline: it cannot have been published before it
    return {"signed_date": signed, "published_date": published,
            "published_date_source": source, "deadline": due, "late": late}
