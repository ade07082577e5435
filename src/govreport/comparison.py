"""Two reports side by side, or one office's whole series (``govreport compare``).

:func:`compare` puts every indicator of two reports (the same office in two years, or two
offices in one year) side by side with the change and the percent change, the rates of
``govreport.rates``, the checks that fire in only one of them, and the problems each
admits matched across the two by meaning — new, repeated, dropped. :func:`office_series`
does the same for every report of one office. Both read records (``Report.to_dict()`` or
a line of reports.jsonl), so nothing is parsed again; rendering is ``comparison_render``.

Problems are matched on jieba tokens (the narrative extractor's tokenizer and domain
dictionary): a weighted token-set similarity, each shared word counted by its IDF, so that
"政策解读形式不够丰富" and "政策解读形式单一" match while two sentences sharing only
"形式" do not. Matching is one to one, most similar pairs first.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .rates import explain, measures
from .records import Record, as_record, describe, group_by_office, office_key, year_of

#: two problems whose weighted token-set similarity reaches this are "the same problem"
PROBLEM_MATCH_THRESHOLD = 0.25

_NOT_A_WORD = re.compile(r"[\d\W_a-zA-Z]")


def _num(value: Any) -> int | float | None:
    return None if isinstance(value, bool) or not isinstance(value, (int, float)) else value


def delta(a: Any, b: Any) -> tuple[int | float | None, float | None]:
    """(b − a, percent change) — ``None`` where a side is not a number; the percent
    change is ``None`` when a is 0 (no base to divide by)."""
    x, y = _num(a), _num(b)
    if x is None or y is None:
        return None, None
    change = y - x
    if isinstance(change, float):
        change = round(change, 6)
    return change, (round(100.0 * (y - x) / x, 2) if x else None)


def _key_order() -> dict[str, int]:
    from .catalog import fact_catalog

    return {k: i for i, k in enumerate(fact_catalog())}


def _label(key: str) -> str | None:
    from .catalog import fact_catalog

    info = fact_catalog().get(key)
    return info.label if info is not None else None


def _side(rec: Mapping[str, Any]) -> dict[str, Any]:
    meta = rec.get("meta") or {}
    return {**describe(rec), "issuer": meta.get("issuer"), "office": office_key(rec),
            "era": meta.get("era"), "title": meta.get("title")}


def indicator_rows(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per fact key any of the records states (catalog order): its label and the
    value in each record (``None`` for blank, absent keys left out of ``values``)."""
    order = _key_order()
    keys: dict[str, None] = {}
    for rec in records:
        keys.update(dict.fromkeys(rec.get("facts") or {}))
    rows = []
    for key in sorted(keys, key=lambda k: (order.get(k, len(order)), k)):
        values = {i: (rec.get("facts") or {})[key] for i, rec in enumerate(records)
                  if key in (rec.get("facts") or {})}
        rows.append({"key": key, "label": _label(key), "values": values})
    return rows


def rate_rows(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per rate of ``govreport.rates``: value and status in each record."""
    explained = [explain(rec.get("facts") or {}) for rec in records]
    return [{"name": m.name, "label": m.label_zh, "label_en": m.label_en,
             "values": [e[m.name]["value"] for e in explained],
             "status": [e[m.name]["status"] for e in explained]}
            for m in measures() if m.kind == "rate"]


def _check_sig(check: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    return check.get("rule", "?"), tuple(check.get("keys") or ())


def check_differences(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The per-report checks (rule and keys) that fire in only one report, and in both."""
    ca = {_check_sig(c): c for c in a.get("checks") or []}
    cb = {_check_sig(c): c for c in b.get("checks") or []}
    return {"only_a": [ca[s] for s in ca if s not in cb],
            "only_b": [cb[s] for s in cb if s not in ca],
            "both": [ca[s] for s in ca if s in cb]}


# ---------------------------------------------------------------------------------------
# Problems matched by meaning


def _words(text: str) -> set[str]:
    from .extractors.narrative import stop_words, tokens

    stop = stop_words()
    return {w for w in tokens(text) if len(w) >= 2 and w not in stop and not _NOT_A_WORD.search(w)}


def similarity(a: str, b: str) -> float:
    """Weighted token-set (Dice) similarity of two texts: shared jieba words over all words,
    each weighted by its IDF (rare, meaningful words count more than common ones)."""
    from .extractors.narrative import _idf

    idf, median = _idf()
    wa, wb = _words(a), _words(b)
    total = sum(idf.get(w, median) for w in wa) + sum(idf.get(w, median) for w in wb)
    if not total:
        return 0.0
    return 2 * sum(idf.get(w, median) for w in wa & wb) / total


def match_problems(before: Iterable[str], after: Iterable[str], *,
                   threshold: float = PROBLEM_MATCH_THRESHOLD) -> dict[str, list[Any]]:
    """``{"repeated": [{"before", "after", "similarity"}], "new": [...], "dropped": [...]}``
    — one-to-one matches, most similar first."""
    a, b = list(before), list(after)
    pairs = sorted(((similarity(x, y), i, j) for i, x in enumerate(a) for j, y in enumerate(b)),
                   reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    repeated = []
    for score, i, j in pairs:
        if score < threshold:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        repeated.append({"before": a[i], "after": b[j], "similarity": round(score, 3)})
    return {"repeated": repeated, "new": [y for j, y in enumerate(b) if j not in used_b],
            "dropped": [x for i, x in enumerate(a) if i not in used_a]}


def _problems(rec: Mapping[str, Any]) -> list[str]:
    return list((rec.get("narrative") or {}).get("problems") or [])


# ---------------------------------------------------------------------------------------
# The two public entry points


def compare(a: Any, b: Any) -> dict[str, Any]:
    """Compare two reports (``Report`` objects or records): ``{"a", "b", "indicators",
    "rates", "checks", "problems"}``. ``indicators`` has a row per fact key either states:
    ``a``, ``b``, ``change`` (b − a) and ``pct_change`` (``None`` when a side is missing
    or blank, or a is 0)."""
    ra, rb = as_record(a), as_record(b)
    rows = []
    for row in indicator_rows([ra, rb]):
        va, vb = row["values"].get(0), row["values"].get(1)
        change, pct = delta(va, vb)
        rows.append({"key": row["key"], "label": row["label"], "a": va, "b": vb,
                     "in_a": 0 in row["values"], "in_b": 1 in row["values"],
                     "change": change, "pct_change": pct})
    rates = []
    for row in rate_rows([ra, rb]):
        va, vb = row["values"]
        points = round(100 * (vb - va), 2) if va is not None and vb is not None else None
        rates.append({"name": row["name"], "label": row["label"], "a": va, "b": vb,
                      "status_a": row["status"][0], "status_b": row["status"][1],
                      "change_points": points})
    return {"a": _side(ra), "b": _side(rb), "indicators": rows, "rates": rates,
            "checks": check_differences(ra, rb),
            "problems": match_problems(_problems(ra), _problems(rb))}


def find_office(records: Iterable[Record], name: str) -> tuple[str, list[Record]]:
    """The office called ``name`` (its canonical name, or the issuer as one of its reports
    prints it, else the one office whose name contains it) and its records sorted by
    year; ``LookupError`` naming the candidates otherwise."""
    offices = group_by_office(records)
    if name in offices:
        return name, list(offices[name])  # type: ignore[arg-type]
    printed = [o for o, recs in offices.items()
               if any((r.get("meta") or {}).get("issuer") == name for r in recs)]
    hits = printed if len(printed) == 1 else [o for o in offices if name in o]
    if len(hits) == 1:
        return hits[0], list(offices[hits[0]])  # type: ignore[arg-type]
    if not hits:
        raise LookupError(f"no office matches {name!r} (offices: {', '.join(sorted(offices)[:20])})")
    raise LookupError(f"{name!r} matches several offices: {', '.join(sorted(hits))}")


def office_series(records: Iterable[Any], name: str, *,
                  cross_checks: Iterable[Any] | None = None) -> dict[str, Any]:
    """One office's whole series: ``{"office", "reports", "indicators", "rates",
    "problems", "cross_checks"}`` — an indicator row holds one value per report in
    ``values`` (``None`` for blank or not stated) and ``stated`` (whether the report states
    the key at all); ``problems`` matches each
    report's admitted problems against the previous report's."""
    office, recs = find_office([as_record(r) for r in records], name)
    rows = indicator_rows(recs)
    for row in rows:
        row["stated"] = [i in row["values"] for i in range(len(recs))]
        row["values"] = [row["values"].get(i) for i in range(len(recs))]
    steps = [{"from": year_of(x), "to": year_of(y), **match_problems(_problems(x), _problems(y))}
             for x, y in zip(recs, recs[1:])]
    from .crossyear import CrossCheck, run_checks

    if cross_checks is None:
        cross_checks = run_checks(recs)
    mine = [c.to_dict() if isinstance(c, CrossCheck) else dict(c) for c in cross_checks]
    mine = [c for c in mine if c.get("office") in (office, None)
            and {r.get("path") for r in c.get("reports", [])} & {describe(r)["path"] for r in recs}]
    return {"office": office, "reports": [_side(r) for r in recs], "indicators": rows,
            "rates": rate_rows(recs), "problems": steps, "cross_checks": mine}
