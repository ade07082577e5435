"""Built-in extractor: every cell of tables 二/三/四 under its SCHEMA key (§3.1–3.3).

Registered through ``govreport_register_extractors`` like any third-party plugin.

How a report is read, once per report (the plugin is called per section and yields the
facts of the tables that sit in that section):

1. Tables are found by their CONTENT, not by the heading above them: header words
   (本年制发件数 / 申请人情况 / 结果维持 …) and row labels, over the grids of every
   section in document order — so a table split across pages or scattered by a Markdown
   converter is read on as one.
2. Rows are matched by meaning (a few distinctive words, then the row's number inside
   its group); rows without a usable label are placed by sequence between matched rows,
   and only when the number of rows there is exactly the number of rows the table has
   there (:func:`align`).
3. Without grids (plain text, one-line crawler dumps, PDFs without ruling lines) rows
   are read from the text: a label and its run of numbers. Run-together digits
   ("640020470") are split by the table's own arithmetic — each row's six applicant
   columns sum to 总计, table 四's blocks sum to their totals, and per column of table
   三 一+二 = 七+四 and 七 = the sum of the result rows, solved over all rows at once.
   A blank cell vanishes from such a run, so a reading may leave cells blank; only
   cells every valid reading agrees on are kept; the rest are left out with a warning.
   Nothing is guessed.
4. A printed blank, ``/``, ``—``, ``-`` is ``None``; values stay as printed (a table that
   does not add up is reported by ``govreport.checks.tables``, not corrected).
"""
from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable
from typing import Any

import govreport

from ..model import Section
from .table2 import Table2Reader
from .table3 import Table3Reader
from .table4 import Table4Reader
from .table_common import Analysis, Out, TableDoc
from .table_grid import grid_rows

NAME = "tables"
# Words only the post-2019 tables print (a pre-2019 report is read only if it has them).
_POST2019_TABLE_WORDS = re.compile(r"本年新收政府信息公开申请|第二十条\s*第|申请人情况")


def analyse(doc: TableDoc, kind: str | None = None, era: str | None = None) -> Analysis:
    """Tables 三, 二 and 四 of a report, in that order (二 and 四 use what 三 found)."""
    if era == "pre2019" and not _POST2019_TABLE_WORDS.search(doc.text):
        return Analysis()
    an = Analysis()
    grid = [row for _sec, table in doc.tables() for row in grid_rows(table)]
    t3 = Table3Reader(doc, grid, an).read()
    Table2Reader(doc, grid, an, t3).table2()
    Table4Reader(doc, grid, an, t3).table4()
    return an


# --------------------------------------------------------------------------------------
# the plugin
# --------------------------------------------------------------------------------------

class TablesExtractor:
    """Tables 二/三/四 → ``proactive.*``, ``requests.*``, ``review.*``, ``litigation_*``."""

    name = NAME
    sections = "*"

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Any, Analysis, dict[tuple[str, int], list[Out]], set, int]] = {}
        self._lock = threading.Lock()

    def _state(self, section: Section, context) -> tuple[Analysis, dict, set, int]:
        report = context.report
        rid = id(report)
        with self._lock:
            hit = self._cache.get(rid)
            if hit is not None and hit[0]() is report:
                return hit[1], hit[2], hit[3], hit[4]
            for k in [k for k, v in self._cache.items() if v[0]() is None]:
                del self._cache[k]
        sections = list(context.sections)
        if section.key == "preamble" or all(s is not section for s in sections):
            sections = [section] + sections
        doc = TableDoc(sections)
        an = analyse(doc, getattr(context.document, "kind", None), context.meta.get("era"))
        placed: dict[tuple[str, int], list[Out]] = {}
        table_home: dict[int, Section] = {}
        for s in doc.sections:
            for t in s.tables:
                table_home[id(t)] = s
        for out in an.outs:
            if out.table is not None and id(out.table) in table_home:
                home = table_home[id(out.table)]
            elif out.span is not None:
                home = doc.section_at(out.span[0])
            else:
                home = doc.sections[0]
            placed.setdefault((home.key, home.start), []).append(out)
        state = (weakref.ref(report), an, placed, set[str](), doc.base)
        with self._lock:
            self._cache[rid] = state
        return an, placed, state[3], doc.base

    def extract(self, section: Section, context) -> Iterable[Any]:
        an, placed, flags, base = self._state(section, context)
        if "meta" not in flags:
            flags.add("meta")
            for k, v in an.meta.items():
                context.set_meta(k, v)
            for w in an.warnings:
                context.warn(w)
        for out in placed.get((section.key, section.start), []):
            if out.table is not None:
                yield context.fact(out.key, out.value, text=out.text, table=out.table,
                                   row=out.row, col=out.col, cell=out.cell)
            elif out.span is not None:
                a, b = out.span
                yield context.fact(out.key, out.value, span=(a + base - section.start,
                                                             b + base - section.start),
                                   row=out.row, col=out.col)
            else:
                yield context.fact(out.key, out.value, text=out.text, row=out.row, col=out.col)


@govreport.hookimpl
def govreport_register_extractors(register):
    register(TablesExtractor())
