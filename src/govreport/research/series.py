"""One series across eras: legacy.* and post-2019 keys mapped to harmonised indicators.

The mapping is ``data/series_crosswalk.csv``: per indicator, the key (or sum of keys) to
read in each era, tried in file order, and a caveat where the eras' definitions differ.
A sum is given only when every addend is stated; a value is never made up from part
of a table.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..regions import data_rows


@dataclass(frozen=True)
class Mapping_:
    """One crosswalk row: where ``indicator`` comes from in reports of ``era``."""

    indicator: str
    label_zh: str
    unit: str
    era: str  # pre2019 | post2019 | any
    keys: tuple[str, ...]  # summed
    caveat: str


@lru_cache(maxsize=1)
def crosswalk() -> tuple[Mapping_, ...]:
    return tuple(Mapping_(r["indicator"], r["label_zh"], r["unit"], r["era"],
                          tuple(r["keys"].split("+")), r["caveat"])
                 for r in data_rows("series_crosswalk.csv"))


def indicators() -> list[str]:
    """The harmonised indicators, in crosswalk order (the column order of outputs)."""
    return list(dict.fromkeys(m.indicator for m in crosswalk()))


def _parts(report: Any) -> tuple[Mapping[str, Any], str | None]:
    if isinstance(report, Mapping):
        return report.get("facts") or {}, (report.get("meta") or {}).get("era")
    return report.facts, report.meta.get("era")


def series_detail(report: Any) -> dict[str, dict[str, Any]]:
    """Per indicator: ``value``, the ``keys`` it was read from and the ``caveat``.

    Indicators the report does not state are absent."""
    facts, era = _parts(report)
    out: dict[str, dict[str, Any]] = {}
    for m in crosswalk():
        if m.indicator in out or (era and m.era not in ("any", era)):
            continue
        if not all(k in facts for k in m.keys):
            continue
        values = [facts[k] for k in m.keys]
        if len(values) > 1 and any(v is None for v in values):
            continue  # a blank addend: the sum is not stated
        value = values[0] if len(values) == 1 else sum(values)
        out[m.indicator] = {"value": value, "keys": list(m.keys), "era": m.era, "caveat": m.caveat}
    return out


def series(report: Any) -> dict[str, Any]:
    """Harmonised indicator -> value for one report (``Report`` or its dict), ``None`` when
    the report does not state it; every indicator of :func:`indicators` is present."""
    detail = series_detail(report)
    return {name: detail[name]["value"] if name in detail else None for name in indicators()}
