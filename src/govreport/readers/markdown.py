"""Markdown: the text as is, plus pipe tables as grids.

A table is a run of consecutive ``| a | b |`` lines; ``|---|`` separator lines are
skipped wherever they occur (documents converted from PDF repeat them mid-table).
The page text keeps every line, so table rows stay in place between the prose around
them, and ``Table.offset`` is where the table's first line starts.
"""
from __future__ import annotations

import html as _html
import re

from ..model import Document, Page, Table
from ._common import guess_title, join_lines, normalize_newlines
from .encoding import decode_bytes

_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_BR = re.compile(r"<br\s*/?>", re.I)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_EMPH = re.compile(r"^(\*\*|__)(.*)\1$")


def read_markdown(data: bytes, *, path: str = "<bytes>", sha256: str = "", options=None) -> Document:
    text, encoding = decode_bytes(data)
    return read_markdown_text(text, path=path, sha256=sha256, encoding=encoding)


def read_markdown_text(text: str, *, path: str = "<bytes>", sha256: str = "",
                       encoding: str | None = None) -> Document:
    text = normalize_newlines(text)
    tables = parse_pipe_tables(text)
    title = None
    for m in _HEADING.finditer(text[:20000]):
        if "报告" in m.group(1) or "報告" in m.group(1):
            title = m.group(1).strip()
            break
    if title is None:
        title = guess_title(_HEADING.sub(lambda m: m.group(1), text[:4000]))
    return Document(path=path, sha256=sha256, kind="markdown",
                    pages=[Page(number=None, text=text, tables=tables)],
                    title_hint=title, encoding=encoding)


def split_row(line: str) -> list[str]:
    """Cells of one ``| a | b |`` line (``\\|`` is a literal pipe)."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells = re.split(r"(?<!\\)\|", s)
    return [_clean_cell(c) for c in cells]


def _clean_cell(cell: str) -> str:
    cell = cell.replace("\\|", "|")
    cell = _BR.sub("\n", cell)
    cell = _html.unescape(cell) if "&" in cell else cell
    cell = join_lines(cell) or ""
    m = _EMPH.match(cell)
    if m:
        cell = m.group(2).strip()
    return cell


def parse_pipe_tables(text: str, *, start_index: int = 0) -> list[Table]:
    tables: list[Table] = []
    rows: list[list[str | None]] = []
    has_sep = False
    in_block = False
    table_start = 0
    pos = 0

    def flush() -> None:
        nonlocal rows, has_sep, in_block
        if rows and (has_sep or len(rows) >= 2):
            tables.append(Table(rows=rows, page=None, offset=table_start,
                                index=start_index + len(tables), source="markdown"))
        rows, has_sep, in_block = [], False, False

    for line in text.split("\n"):
        is_sep = "|" in line and bool(_SEP.match(line))
        if is_sep or _ROW.match(line):
            if not in_block:
                table_start, in_block = pos, True
            if is_sep:
                has_sep = True
            else:
                cells: list[str | None] = list(split_row(line))
                rows.append(cells)
        elif in_block:
            flush()
        pos += len(line) + 1
    flush()
    return tables
