"""The panel's columns: the same set whatever a batch found, and duplicate flags.

A researcher's table must not change shape with the batch: reports.csv/Parquet and
the SQLite ``reports`` table get every fact key of the catalog, the issuer/region/date
meta, one ``series.<indicator>`` column per harmonised indicator and ``duplicate_of``.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from .series import indicators, series

#: Meta columns in output order (``meta.region`` is spread into ``meta.region.*``).
META_COLUMNS = (
    "title", "issuer", "issuer_canonical", "office_type", "region.code", "region.code_latest",
    "region.name",
    "region.province", "region.city", "region.county", "region.level", "region.status",
    "year", "era", "script", "table2_variant", "table3_variant", "signed_date",
    "published_date", "published_date_source", "deadline", "late",
)
DUPLICATE_COLUMNS = ("duplicate_of", "duplicate_reason")


@lru_cache(maxsize=1)
def fact_columns() -> tuple[str, ...]:
    """Every fact key the catalog knows, sorted: the fixed fact columns."""
    from ..catalog import fact_catalog

    return tuple(sorted(fact_catalog()))


def series_columns() -> list[str]:
    return [f"series.{name}" for name in indicators()]


def series_row(report: dict[str, Any]) -> dict[str, Any]:
    return {f"series.{k}": v for k, v in series(report).items()}


def _region_meta(meta: dict[str, Any]) -> dict[str, Any]:
    region = meta.get("region")
    if not isinstance(region, dict):
        return {}
    out = {f"meta.region.{k}": region.get(k) for k in
           ("code", "code_latest", "name", "province", "city", "county", "level", "status")}
    cands = region.get("candidates") or []
    if cands:
        out["meta.region.candidates"] = ";".join(str(c.get("code")) for c in cands if isinstance(c, dict))
    return out


def meta_row(meta: dict[str, Any]) -> dict[str, Any]:
    """``meta.*`` columns of one report, ``meta.region`` spread into its parts."""
    row = {f"meta.{k}": v for k, v in meta.items() if k != "region"}
    row.update(_region_meta(meta))
    return row


class Duplicates:
    """Flag reports that are the same content, or the same office-year with other content.

    Feed reports in output order with :meth:`add`; the first one of a group is the
    original and every later one gets ``duplicate_of`` = the original's path. Both are kept.
    """

    def __init__(self) -> None:
        self._by_hash: dict[str, str] = {}
        self._by_office_year: dict[tuple[str, int], tuple[str, str | None]] = {}
        self.flags: dict[str, tuple[str, str]] = {}

    def add(self, path: str, sha256: str | None, canonical: str | None, year: Any) -> None:
        if sha256:
            first = self._by_hash.setdefault(sha256, path)
            if first != path:
                self.flags[path] = (first, "same content")
                return
        if canonical and isinstance(year, int):
            first_path, first_hash = self._by_office_year.setdefault((canonical, year), (path, sha256))
            if first_path != path and first_hash != sha256:
                self.flags[path] = (first_path, "same issuer and year, other content")

    def row(self, path: str) -> dict[str, Any]:
        original, reason = self.flags.get(path, (None, None))
        return {"duplicate_of": original, "duplicate_reason": reason}


def column_order(source_columns: Iterable[str], seen: Iterable[str]) -> list[str]:
    """Fixed columns first (source, meta, checks, catalog facts, series, duplicates), then any
    other column a batch produced (plugin output, facts a plugin added), sorted."""
    fixed = [*source_columns, *(f"meta.{c}" for c in META_COLUMNS), "checks", *fact_columns(),
             *series_columns(), *DUPLICATE_COLUMNS]
    known = set(fixed)
    return fixed + sorted(c for c in seen if c not in known)


@cache
def default_type(column: str) -> str:
    """The value type a fixed column holds when a batch has no value in it to tell:
    ``int``/``float``/``bool``/``str``, from the catalog's unit for facts."""
    from ..catalog import fact_catalog
    from .series import crosswalk

    info = fact_catalog().get(column)
    if info is not None:
        return "int" if info.unit.startswith("count") else "float"
    if column.startswith("series."):
        unit = next((m.unit for m in crosswalk() if f"series.{m.indicator}" == column), "count")
        return "int" if unit == "count" else "float"
    return {"meta.year": "int", "meta.late": "bool"}.get(column, "str")
