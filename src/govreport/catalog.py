"""What govreport can emit, as data: every fact key with its Chinese label, unit and source;
the section keys with their heading words; the check rules with what they mean.

Built from the extractors' and checks' own tables (read-only), so the documentation
generated from it (``docs/gen_pages.py``) cannot drift from the code:

- table 二/三/四 keys come from :mod:`govreport.extractors.table_labels` (row and column
  label tables, per variant);
- prose keys are the phrasing families of :mod:`govreport.extractors.prose_rules` and the
  statistics attachments of :mod:`govreport.extractors.prose_stats`; their phrasing is
  described here (regular expressions are no reading matter), and a test checks that this
  list and the keys named in the extractor sources are the same set;
- sections come from :data:`govreport.sections.SECTION_RULES`;
- check rules come from the rule tables in the docstrings of the built-in check modules.

    >>> from govreport.catalog import fact_catalog
    >>> info = fact_catalog()["requests.denied.process_info.total"]
    >>> info.unit, info.source
    ('count', 'table 三')
"""
from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["FactInfo", "SectionInfo", "RuleInfo", "fact_catalog", "prose_facts",
           "section_catalog", "check_rules", "table3_rows", "TABLE_SOURCES"]

#: The ``source`` of a fact, in reading order.
TABLE_SOURCES = ("table 二", "table 三", "table 四", "prose", "statistics table")


@dataclass(frozen=True)
class FactInfo:
    """One fact key: where in a report it comes from and what its value means.

    ``label``: the Chinese label (table row × column, as the official form prints it) or
    the phrasing a sentence uses. ``unit``: ``count`` (an ``int``: 件/条/项), ``count (±)``
    (a signed change), ``万元`` or ``元`` (a number in that unit). ``source``: one of
    :data:`TABLE_SOURCES` (the first one when several give the key). ``era``:
    ``post2019``, ``pre2019`` or ``any``. ``variants``: the table variants that have it
    (``2019``/``2021``), empty for prose. ``extractor``: the built-in extractor that
    emits it. ``also``: other sources of the same key.
    """

    key: str
    label: str
    unit: str
    source: str
    era: str
    variants: tuple[str, ...] = ()
    extractor: str = ""
    note: str = ""
    also: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SectionInfo:
    """A section key, its post-2019 heading (if the unified format has one) and the
    heading words that classify a heading as this section (first matching rule wins)."""

    key: str
    post2019_heading: str | None
    words: tuple[str, ...]


@dataclass(frozen=True)
class RuleInfo:
    """A check rule (``checks[].rule``): what must hold, and the modules that report it."""

    rule: str
    description: str
    modules: tuple[str, ...]


# --------------------------------------------------------------------------------------
# tables 二/三/四
# --------------------------------------------------------------------------------------

_MONEY_UNITS = {"wan": "万元", "yuan": "元"}
_ROMAN = {"denied": "三", "unavailable": "四", "not_processed": "五", "other": "六"}


def _t2_facts(L) -> Iterable[FactInfo]:
    row_labels = {key: words[0] for key, words in L.T2_ROWS}
    seen: dict[str, FactInfo] = {}
    for variant in ("2021", "2019"):
        for row, cols in L.T2_DEFAULT_COLUMNS[variant].items():
            for col in cols:
                key = L.t2_key(row, col, variant)
                if key is None:  # pragma: no cover - the table says it exists
                    continue
                money = L.MONEY_COLUMNS.get(col)
                unit = _MONEY_UNITS[money] if money else ("count (±)" if col == "change"
                                                          else "count")
                if row == "admin_fees" and col in ("prev_year_items", "change"):
                    note = "fee items, not money"
                else:
                    note = ""
                label = f"{row_labels[row]} × {L.T2_COLUMN_LABELS[col]}"
                if key in seen:
                    old = seen[key]
                    seen[key] = FactInfo(key, old.label, old.unit, old.source, old.era,
                                         tuple(sorted(old.variants + (variant,))),
                                         old.extractor, old.note)
                else:
                    seen[key] = FactInfo(key, label, unit, "table 二", "post2019", (variant,),
                                         "tables", note)
    return seen.values()


def table3_rows() -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    """Table 三 rows in print order: ``(row key, printed label, group label, variants)``."""
    from .extractors import table_labels as L

    out: dict[str, list] = {}
    for variant, rows in L.T3_ROWS.items():
        for r in rows:
            group = None
            if r.group:
                group = f"（{_ROMAN[r.group]}）{L.GROUP_WORDS[r.group][0]}"
            if r.key in out:
                out[r.key][3] = tuple(sorted(set(out[r.key][3]) | {variant}))
            else:
                out[r.key] = [r.key, r.label, group, (variant,)]
    # print order of the 2021 table, the 2019-only row where the 2019 table has it
    order = [r.key for r in L.T3_ROWS["2021"]]
    only_2019 = [r.key for r in L.T3_ROWS["2019"] if r.key not in order]
    rows_2019 = [r.key for r in L.T3_ROWS["2019"]]
    for key in only_2019:  # after the row the 2019 table prints before it
        prev = rows_2019[rows_2019.index(key) - 1]
        order.insert(order.index(prev) + 1 if prev in order else len(order), key)
    return [tuple(out[k]) for k in order]


def _t3_facts(L) -> Iterable[FactInfo]:
    for row, label, group, variants in table3_rows():
        for col in L.T3_COLUMNS:
            row_label = f"{group} {label}" if group and not label.startswith("（") else label
            yield FactInfo(f"requests.{row}.{col}",
                           f"{row_label} × {L.T3_COLUMN_LABELS[col]}", "count", "table 三",
                           "post2019", variants, "tables")


def _t4_facts(L) -> Iterable[FactInfo]:
    for block in L.T4_BLOCKS:
        for col in L.T4_COLUMNS:
            yield FactInfo(f"{block}.{col}",
                           f"{L.T4_BLOCK_LABELS[block]} × {L.T4_COLUMN_LABELS[col]}", "count",
                           "table 四", "post2019", ("2019", "2021"), "tables")


# --------------------------------------------------------------------------------------
# prose
# --------------------------------------------------------------------------------------

# key -> (phrasing, unit, era, source, note). The phrasing families live as regular
# expressions in extractors/prose_rules.py (sentences) and extractors/prose_stats.py
# (pre-2019 statistics attachments printed as text); a test keeps this list and the keys
# those modules name the same set.
_PROSE: dict[str, tuple[str, str, str, str, str]] = {
    "proactive.items": (
        "主动公开政府信息N条 (also 主动公开…信息N件/项; fallback: 本年公布/发布政府信息N条)",
        "count", "any", "prose",
        "the year's figure: 累计/历年/以来 totals and approximate figures (余/多/约) are "
        "never taken"),
    "legacy.requests.received": (
        "受理/收到/接到…政府信息公开申请N件; 未收到…政府信息公开申请 → 0",
        "count", "pre2019", "prose", ""),
    "legacy.requests.closed": (
        "答复/办结N件; 均已答复办结 → the number received", "count", "pre2019", "prose", ""),
    "legacy.requests.closed_on_time": (
        "按时/在规定期限内答复N件; 均在规定期限内答复办结 → the number received",
        "count", "pre2019", "prose", ""),
    "legacy.responses.granted": ("同意公开 / 予以公开 / 全部公开N件", "count", "pre2019",
                                 "prose", ""),
    "legacy.responses.partially_granted": ("同意部分公开 / 部分公开N件", "count", "pre2019",
                                           "prose", ""),
    "legacy.responses.denied": ("不予公开 / 不同意公开N件", "count", "pre2019", "prose", ""),
    "legacy.responses.not_exist": ("信息不存在N件", "count", "pre2019", "prose", ""),
    "legacy.responses.not_this_agency": ("非本机关 / 不属于本机关…范围N件", "count",
                                         "pre2019", "prose", ""),
    "legacy.responses.already_public": ("属于已主动公开范围N件", "count", "pre2019",
                                        "prose", ""),
    "review.total": (
        "没有出现因政府信息公开申请行政复议…的情况 → 0; pre-2019: 行政复议N件",
        "count", "any", "prose",
        "post-2019 reports: table 四 gives it; prose adds only a 'none happened' 0"),
    "litigation.total": (
        "没有…提起行政诉讼的情况 → 0; pre-2019: 行政诉讼N件", "count", "any", "prose",
        "all lawsuits, when the report does not split them as table 四 does"),
    "legacy.complaints.total": ("申诉 / 举报投诉N件; 没有…申诉 → 0", "count", "pre2019",
                                "prose", ""),
    "legacy.review.total": ("统计表 row 行政复议 (本年度 column)", "count", "pre2019",
                            "statistics table", ""),
    "legacy.litigation.total": ("统计表 row 行政诉讼 (本年度 column)", "count", "pre2019",
                                "statistics table", ""),
    "fees.collected_yuan": (
        "依申请公开收取的费用N元; 未收取任何费用 → 0", "元", "pre2019", "prose",
        "never 行政事业性收费 (table 二, 万元)"),
    "fees.waived_yuan": ("减免N元; 不存在减免 → 0", "元", "pre2019", "prose", ""),
    "info_fee.notices_count": ("发出收费通知N件 (section 六)", "count", "post2019", "prose",
                               ""),
    "info_fee.notices_amount_yuan": ("发出收费通知N件，金额N元 (section 六)", "元", "post2019",
                                     "prose", ""),
    "info_fee.collected_amount_yuan": (
        "收取信息处理费N元 (section 六); 未收取信息处理费 → 0", "元", "post2019", "prose",
        "never 行政事业性收费 (table 二, 万元)"),
}


def prose_facts() -> list[FactInfo]:
    """The keys the prose extractor states, with the phrasing it reads them from, in
    reading order (request channels right after the requests received)."""
    from .extractors import prose_rules

    channels: dict[str, list[str]] = {}
    for word, key in prose_rules.CHANNEL_KEYS.items():
        channels.setdefault(key, []).append(word)
    out = []
    for key, (label, unit, era, source, note) in _PROSE.items():
        out.append(FactInfo(key, label, unit, source, era, (), "prose", note))
        if key == "legacy.requests.received":
            out += [FactInfo(k, f"通过{' / '.join(words)}…申请N件", "count", "prose", "pre2019",
                             (), "prose", "request channel") for k, words in channels.items()]
    return out


# --------------------------------------------------------------------------------------
# the catalog
# --------------------------------------------------------------------------------------

def fact_catalog() -> dict[str, FactInfo]:
    """Every fact key the built-in extractors can emit → :class:`FactInfo`.

    Ordered as a report reads: table 二 (2021 then 2019-only keys), table 三, table 四,
    then the prose keys. A key that several sources give (``review.total``: table 四 and
    prose) is listed once, under its first source, with the others in ``also``.
    """
    from .extractors import table_labels as L

    out: dict[str, FactInfo] = {}
    for info in (*_t2_facts(L), *_t3_facts(L), *_t4_facts(L), *prose_facts()):
        if info.key in out:
            old = out[info.key]
            note = "; ".join(n for n in (old.note, info.note) if n)
            out[info.key] = FactInfo(old.key, f"{old.label}; {info.label}", old.unit,
                                     old.source, "any" if old.era != info.era else old.era,
                                     old.variants, f"{old.extractor}, {info.extractor}", note,
                                     old.also + (info.source,))
        else:
            out[info.key] = info
    return out


def section_catalog() -> list[SectionInfo]:
    """The section keys (SCHEMA §2) in the order their heading rules are tried."""
    from .sections import CANONICAL_HEADINGS, SECTION_RULES, classify_heading

    post = {classify_heading(h): h for h in CANONICAL_HEADINGS}
    return [SectionInfo(key, post.get(key), tuple(words)) for key, words in SECTION_RULES]


#: Modules whose docstring holds a ``| rule | what must hold |`` table, besides
#: the built-in check plugins.
_RULE_DOC_MODULES = ("govreport.checks.tables", "govreport.checks.prose")

#: Rules reported outside the check plugins' tables.
_OTHER_RULES = {
    "MISSING": ("a sentence names a count but prints no number (\"主动公开政府信息 条\"): "
                "reported, never filled in", "govreport.extractors.prose"),
    "TXT-TABLE": ("a number stated in prose disagrees with a table (warning only)",
                  "govreport.extractors.prose"),  # pre-2019 statistics attachments
    "PLUGIN-ERROR": ("a plugin failed to load, or an extractor, check or extras hook "
                     "raised: the parse went on without it (see Plugins)",
                     "govreport.pipeline"),
}
_RULE_ROW = re.compile(r"^\|\s*([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)\s*\|\s*(.+?)\s*\|\s*$", re.M)


def _check_modules() -> list[str]:
    from .plugins import BUILTIN_PLUGINS

    names = [m for m in BUILTIN_PLUGINS if m.startswith("govreport.checks.")]
    return names + [m for m in _RULE_DOC_MODULES if m not in names]


def check_rules() -> dict[str, RuleInfo]:
    """Every rule the built-in checks report → :class:`RuleInfo`, from the rule tables
    in the check modules' docstrings (then the rules other stages report)."""
    out: dict[str, RuleInfo] = {}
    for name in _check_modules():
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for rule, text in _RULE_ROW.findall(inspect.getdoc(module) or ""):
            if rule.lower() == "rule" or set(text) <= set("-| "):
                continue
            out.setdefault(rule, RuleInfo(rule, text.strip(), (name,)))
    for rule, (text, module_name) in _OTHER_RULES.items():
        if rule in out:
            old = out[rule]
            out[rule] = RuleInfo(rule, old.description, old.modules + (module_name,))
        else:
            out[rule] = RuleInfo(rule, text, (module_name,))
    return out
