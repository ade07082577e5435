"""The output schema as data: section keys, the rows and columns of tables 二/三/四, the
prose fact keys, and the check rules — read from ``data/schema.json``.

One place for them: the table extractors match labels against these rows, the checks
add up these rows, the fact catalog and the docs list them, and plugins (the metrics
plugin) name keys from here. The test fixtures keep their own printed labels on purpose
(an independent oracle), and a test checks that their keys are these keys.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

VARIANTS = ("2019", "2021")  # the two layouts of tables 二 and 三 (2019 and 2021 templates)


@dataclass(frozen=True)
class RowDef:
    """A row of table 三."""

    key: str              # "denied.process_info"
    label: str            # canonical printed label
    group: str | None     # "denied" | "unavailable" | "not_processed" | "other" | None
    number: int | None    # position inside the group (1-based), for numbered sub-rows
    words: tuple[str, ...]  # distinctive words (any one identifies the row)


@dataclass(frozen=True)
class Rule:
    """A check rule (``checks[].rule``): what must hold, and the modules that report it."""

    rule: str
    description: str
    modules: tuple[str, ...]


@cache
def data() -> dict[str, Any]:
    """The parsed ``data/schema.json``."""
    text = resources.files("govreport").joinpath("data").joinpath("schema.json").read_text(encoding="utf-8")
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def _rowdef(d: dict[str, Any]) -> RowDef:
    return RowDef(d["key"], d["label"], d.get("group"), d.get("number"), tuple(d["words"]))


_D = data()

# -- sections
SECTION_KEYS: tuple[str, ...] = tuple(s["key"] for s in _D["sections"])

# -- table 二 (proactive disclosure)
T2_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (r["key"], tuple(r["words"])) for r in _D["table2"]["rows"])
T2_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (c["key"], tuple(c["words"])) for c in _D["table2"]["columns"])
T2_COLUMN_LABELS: dict[str, str] = {c["key"]: c["label"] for c in _D["table2"]["columns"]}
T2_DEFAULT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    v: {row: tuple(cols) for row, cols in rows.items()}
    for v, rows in _D["table2"]["variant_columns"].items()}
MONEY_COLUMNS: dict[str, str] = dict(_D["table2"]["money_columns"])
T2_2021_WORDS: tuple[str, ...] = tuple(_D["table2"]["variant_words"]["2021"])
T2_2019_WORDS: tuple[str, ...] = tuple(_D["table2"]["variant_words"]["2019"])
T2_SIGNATURE: tuple[str, ...] = tuple(_D["table2"]["signature"])

# -- table 三 (requests and how they were handled)
T3_COLUMNS: tuple[str, ...] = tuple(c["key"] for c in _D["table3"]["columns"])
T3_COLUMN_LABELS: dict[str, str] = {c["key"]: c["label"] for c in _D["table3"]["columns"]}
APPLICANT_COLUMNS: tuple[str, ...] = T3_COLUMNS[:-1]  # every column but the total
T3_ROW_PARTS: dict[str, list[RowDef]] = {
    part: [_rowdef(r) for r in rows] for part, rows in _D["table3"]["rows"].items()}
T3_ROWS: dict[str, list[RowDef]] = {
    v: [r for part in parts for r in T3_ROW_PARTS[part]]
    for v, parts in _D["table3"]["variants"].items()}
T3_ROW_BY_KEY: dict[str, RowDef] = {r.key: r for rows in T3_ROWS.values() for r in rows}
# rows that are not results: received, carried over, the total, carried forward
T3_BALANCE_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")
T3_RESULT_ROWS: dict[str, list[str]] = {
    v: [r.key for r in rows if r.key not in T3_BALANCE_ROWS] for v, rows in T3_ROWS.items()}
T3_GROUP_WORDS: dict[str, tuple[str, ...]] = {g: tuple(w) for g, w in _D["table3"]["groups"].items()}
T3_2021_WORDS: tuple[str, ...] = tuple(_D["table3"]["variant_words"]["2021"])
T3_SIGNATURE: tuple[str, ...] = tuple(_D["table3"]["signature"])
T3_HEADER_WORDS: tuple[str, ...] = tuple(_D["table3"]["header_words"])

# -- table 四 (administrative review and litigation)
T4_BLOCKS: tuple[str, ...] = tuple(b["key"] for b in _D["table4"]["blocks"])
T4_BLOCK_LABELS: dict[str, str] = {b["key"]: b["label"] for b in _D["table4"]["blocks"]}
T4_COLUMNS: tuple[str, ...] = tuple(c["key"] for c in _D["table4"]["columns"])
T4_COLUMN_LABELS: dict[str, str] = {c["key"]: c["label"] for c in _D["table4"]["columns"]}
T4_PARTS: tuple[str, ...] = T4_COLUMNS[:-1]  # every column but the total
T4_SIGNATURE: tuple[str, ...] = tuple(_D["table4"]["signature"])

# -- prose facts and check rules
PROSE_FACTS: list[dict[str, Any]] = list(_D["prose_facts"])
PROSE_CHANNELS: tuple[str, ...] = tuple(_D["prose_channels"])
RULES: dict[str, Rule] = {
    r["id"]: Rule(r["id"], r["what"], tuple(r["reported_by"])) for r in _D["rules"]}


def t2_key(row: str, col: str, variant: str) -> str | None:
    """The fact key of a table 二 cell, or None when the pair is not in this variant."""
    if col not in T2_DEFAULT_COLUMNS[variant].get(row, ()):
        return None
    return f"proactive.{row}.{col}"


def table2_keys(variant: str) -> list[str]:
    return [f"proactive.{row}.{col}" for row, cols in T2_DEFAULT_COLUMNS[variant].items()
            for col in cols]


def table3_keys(variant: str) -> list[str]:
    return [f"requests.{r.key}.{c}" for r in T3_ROWS[variant] for c in T3_COLUMNS]


def table4_keys() -> list[str]:
    return [f"{b}.{c}" for b in T4_BLOCKS for c in T4_COLUMNS]


def fact_keys() -> set[str]:
    """Every fact key the built-in extractors can emit."""
    keys = {k for v in VARIANTS for k in table2_keys(v) + table3_keys(v)}
    keys.update(table4_keys())
    keys.update(f["key"] for f in PROSE_FACTS)
    keys.update(PROSE_CHANNELS)
    return keys
