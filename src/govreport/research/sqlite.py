"""One SQLite file per batch (``govreport.db``) and its Datasette metadata.

Tables: ``reports`` (one row per report), ``facts`` (long: report × key, with the value
kind and provenance), ``series`` (report × harmonised indicator), ``checks``,
``problems`` (each admitted problem with its themes), ``errors`` and ``catalog`` (every
fact key with its Chinese label and unit). Values keep their JSON type: counts are
INTEGER (21, never 21.0), money REAL where it has decimals; ``value`` columns have no
type affinity, so nothing is converted (an integer beyond 64 bits is stored as text).
The file is built under a temporary name and moved into place, like every other output.

``datasette govreport.db -m metadata.json`` serves it with Chinese labels at once.
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from ..jsonsafe import INT64_MAX, INT64_MIN
from ..outputs import METADATA_JSON, SQLITE_DB, atomic_writer
from .series import crosswalk, series_detail

# (column, SQL type, Chinese label) of the reports table, read from the panel row.
REPORT_COLUMNS = (
    ("source_path", "TEXT", "source.path", "来源文件"),
    ("sha256", "TEXT", "source.sha256", "文件哈希"),
    ("source_kind", "TEXT", "source.kind", "文件类型"),
    ("title", "TEXT", "meta.title", "标题"),
    ("issuer", "TEXT", "meta.issuer", "发布机关（原文）"),
    ("issuer_canonical", "TEXT", "meta.issuer_canonical", "发布机关（全称）"),
    ("office_type", "TEXT", "meta.office_type", "机关类型"),
    ("region_code", "TEXT", "meta.region.code", "行政区划代码（统计年度有效）"),
    ("region_code_latest", "TEXT", "meta.region.code_latest", "同一单位在最新代码表中的代码（跨更名衔接）"),
    ("region_name", "TEXT", "meta.region.name", "行政区划名称"),
    ("province", "TEXT", "meta.region.province", "省级"),
    ("city", "TEXT", "meta.region.city", "地级"),
    ("county", "TEXT", "meta.region.county", "县级"),
    ("region_level", "TEXT", "meta.region.level", "层级"),
    ("region_status", "TEXT", "meta.region.status", "区划解析状态"),
    ("year", "INTEGER", "meta.year", "统计年度"),
    ("era", "TEXT", "meta.era", "格式时期"),
    ("script", "TEXT", "meta.script", "字体（简/繁）"),
    ("signed_date", "TEXT", "meta.signed_date", "落款日期"),
    ("published_date", "TEXT", "meta.published_date", "发布日期"),
    ("published_date_source", "TEXT", "meta.published_date_source", "发布日期来源"),
    ("deadline", "TEXT", "meta.deadline", "法定公布期限"),
    ("late", "INTEGER", "meta.late", "逾期公布（1 是，0 否，空 未知）"),
    ("duplicate_of", "TEXT", "duplicate_of", "重复于"),
    ("duplicate_reason", "TEXT", "duplicate_reason", "重复原因"),
    ("checks", "TEXT", "checks", "未通过的校验规则"),
)

_SCHEMA = """
CREATE TABLE reports (id INTEGER PRIMARY KEY, {report_columns});
CREATE TABLE facts (report_id INTEGER NOT NULL REFERENCES reports(id), key TEXT NOT NULL,
    value, kind TEXT, section TEXT, page INTEGER, table_no INTEGER, row_label TEXT,
    col_label TEXT, wording TEXT);
CREATE TABLE series (report_id INTEGER NOT NULL REFERENCES reports(id), indicator TEXT NOT NULL,
    value, keys TEXT, caveat TEXT);
CREATE TABLE checks (report_id INTEGER NOT NULL REFERENCES reports(id), rule TEXT,
    severity TEXT, keys TEXT, message TEXT);
CREATE TABLE problems (report_id INTEGER NOT NULL REFERENCES reports(id), n INTEGER,
    problem TEXT, themes TEXT);
CREATE TABLE errors (source_path TEXT, sha256 TEXT, type TEXT, code TEXT, message TEXT,
    skipped INTEGER);
CREATE TABLE catalog (key TEXT PRIMARY KEY, label_zh TEXT, unit TEXT, source TEXT, era TEXT);
CREATE TABLE indicators (indicator TEXT, label_zh TEXT, unit TEXT, era TEXT, keys TEXT,
    caveat TEXT);
"""
_INDEXES = """
CREATE INDEX facts_report ON facts(report_id);
CREATE INDEX facts_key ON facts(key, report_id);
CREATE INDEX series_report ON series(report_id);
CREATE INDEX series_indicator ON series(indicator, report_id);
CREATE INDEX checks_report ON checks(report_id);
CREATE INDEX checks_rule ON checks(rule);
CREATE INDEX problems_report ON problems(report_id);
CREATE INDEX reports_region_year ON reports(region_code, year);
CREATE INDEX reports_region_latest_year ON reports(region_code_latest, year);
CREATE INDEX reports_issuer_year ON reports(issuer_canonical, year);
CREATE INDEX reports_sha ON reports(sha256);
"""


def _number(v: Any) -> Any:
    """A value as SQLite should store it: bool → 0/1, containers → JSON text, an integer
    beyond SQLite's 64 bits → its digits as text (never an overflow)."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int) and not INT64_MIN <= v <= INT64_MAX:
        return str(v)
    if v is None or isinstance(v, (int, float, str)):
        return v
    return json.dumps(v, ensure_ascii=False, default=str)


def _int_or_none(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


class SqliteWriter:
    """Add reports (their panel row and SCHEMA dict) one by one; the file appears on exit."""

    def __init__(self, outdir: str | os.PathLike[str]):
        self.path = Path(outdir) / SQLITE_DB
        self.tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> SqliteWriter:
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()
        self.db = sqlite3.connect(self.tmp)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        cols = ", ".join(f"{name} {kind}" for name, kind, _, _ in REPORT_COLUMNS)
        self.db.executescript(_SCHEMA.format(report_columns=cols))
        self._write_catalog()
        return self

    def _write_catalog(self) -> None:
        from ..catalog import fact_catalog

        assert self.db is not None
        self.db.executemany("INSERT INTO catalog VALUES (?,?,?,?,?)",
                            [(k, i.label, i.unit, i.source, i.era) for k, i in fact_catalog().items()])
        self.db.executemany("INSERT INTO indicators VALUES (?,?,?,?,?,?)",
                            [(m.indicator, m.label_zh, m.unit, m.era, "+".join(m.keys), m.caveat)
                             for m in crosswalk()])

    def add(self, report: dict[str, Any], row: dict[str, Any]) -> None:
        """One report: ``row`` is its panel row (reports.csv), ``report`` the SCHEMA dict."""
        assert self.db is not None
        values = [_number(row.get(src)) for _, _, src, _ in REPORT_COLUMNS]
        cur = self.db.execute(
            f"INSERT INTO reports ({', '.join(c for c, *_ in REPORT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(REPORT_COLUMNS))})", values)
        rid = cur.lastrowid
        prov = report.get("provenance") or {}
        self.db.executemany("INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?,?)", [
            (rid, key, _number(value), p.get("kind"), p.get("section"), _int_or_none(p.get("page")),
             _int_or_none(p.get("table")), p.get("row"), p.get("col"), p.get("text"))
            for key, value in (report.get("facts") or {}).items()
            for p in [prov.get(key) or {}]])
        self.db.executemany("INSERT INTO series VALUES (?,?,?,?,?)", [
            (rid, name, _number(d["value"]), "+".join(d["keys"]), d["caveat"])
            for name, d in series_detail(report).items()])
        self.db.executemany("INSERT INTO checks VALUES (?,?,?,?,?)", [
            (rid, c.get("rule"), c.get("severity"), ";".join(map(str, c.get("keys") or [])),
             c.get("message")) for c in report.get("checks") or [] if isinstance(c, dict)])
        narrative = report.get("narrative") or {}
        themed = {p.get("text"): p.get("themes") or [] for p in narrative.get("problem_themes") or []
                  if isinstance(p, dict)}
        self.db.executemany("INSERT INTO problems VALUES (?,?,?,?)", [
            (rid, n, text, ";".join(themed.get(text, [])))
            for n, text in enumerate(narrative.get("problems") or [], 1)])

    def add_error(self, record: dict[str, Any]) -> None:
        assert self.db is not None
        self.db.execute("INSERT INTO errors VALUES (?,?,?,?,?,?)", (
            record.get("path"), record.get("sha256"), record.get("type"), record.get("code"),
            record.get("message"), int(bool(record.get("skipped")))))

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        assert self.db is not None
        try:
            if exc_type is None:
                self.db.executescript(_INDEXES)
                self.db.commit()
        finally:
            self.db.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
            write_metadata(self.path.parent / METADATA_JSON)
        else:
            with contextlib.suppress(OSError):
                self.tmp.unlink()


def metadata() -> dict[str, Any]:
    """Datasette metadata: table and column descriptions in Chinese, units from the catalog."""
    from ..catalog import fact_catalog

    cat = fact_catalog()
    units = sorted({i.unit for i in cat.values()})
    return {
        "title": "govreport：政府信息公开工作年度报告数据",
        "description": "每份年报一行（reports），每个数值一行（facts，含数值性质 kind 与出处），"
                       "跨时期统一指标（series），校验结果（checks），问题及主题（problems），"
                       "解析失败（errors），指标目录（catalog、indicators）。",
        "databases": {"govreport": {"tables": {
            "reports": {"description": "每份年报一行；行政区划代码为统计年度有效的 GB/T 2260 代码",
                        "columns": {c: label for c, _, _, label in REPORT_COLUMNS}},
            "facts": {"description": "每个数值一行；键的中文标签与单位见 catalog 表（单位："
                                     + "、".join(units) + "）",
                      "columns": {"report_id": "年报（reports.id）", "key": "指标键",
                                  "value": "数值（空白或不适用为空）",
                                  "kind": "数值性质：printed 印出 / stated_zero 文字表述为零 / "
                                          "blank 空白 / not_applicable 不适用（/、—、无）",
                                  "section": "所在部分", "page": "页码", "table_no": "表格序号",
                                  "row_label": "行", "col_label": "列", "wording": "原文"}},
            "series": {"description": "跨 2019 年前后格式统一的指标；口径差异见 caveat",
                       "columns": {"report_id": "年报（reports.id）", "indicator": "统一指标",
                                   "value": "数值", "keys": "来源键", "caveat": "口径说明"}},
            "checks": {"description": "校验结果（规则见文档）",
                       "columns": {"rule": "规则", "severity": "级别", "keys": "涉及的键",
                                   "message": "说明"}},
            "problems": {"description": "年报承认的问题及其主题",
                         "columns": {"n": "序号", "problem": "问题", "themes": "主题"}},
            "errors": {"description": "未能解析的文件及原因",
                       "columns": {"source_path": "文件", "type": "错误类型", "message": "原因",
                                   "skipped": "非年报文件类型（1 是）"}},
            "catalog": {"description": "指标目录：每个键的中文标签、单位、来源",
                        "columns": {"key": "指标键", "label_zh": "中文标签", "unit": "单位",
                                    "source": "来源", "era": "适用时期"}},
            "indicators": {"description": "统一指标的映射（crosswalk）及口径说明",
                           "columns": {"indicator": "统一指标", "label_zh": "中文名称",
                                       "unit": "单位", "era": "时期", "keys": "来源键（+ 为求和）",
                                       "caveat": "口径说明"}},
        }}},
    }


def write_metadata(path: Path) -> None:
    with atomic_writer(path, encoding="utf-8") as fh:
        json.dump(metadata(), fh, ensure_ascii=False, indent=1)
