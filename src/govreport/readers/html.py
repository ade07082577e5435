"""HTML (full pages and fragments) -> one Page of text plus table grids.

* Bytes are decoded by :func:`.encoding.decode_bytes` with the ``<meta>`` charset as a
  *validated* hint (a wrong declaration loses to what the bytes really are).
* Parsed with ``lxml.html.HTMLParser(no_network=True, remove_comments=True,
  remove_pis=True, huge_tree=True)``; the HTML parser never loads DTDs or external
  entities. libxml2 drops everything past its depth limit (2048), which pages with an
  unclosed ``<font>``/``<span>``/``<div>`` per line reach: such a page is parsed again
  without its inline tags, and refused (``UnreadableError``) if still too deep. The tree
  is walked iteratively (no recursion limit).
* ``script``/``style`` and other non-content elements, and inline-hidden elements,
  are dropped.
* Text: block elements (p, div, h1-h6, li, tr, br …) start new lines; table rows are
  emitted one per line with cells separated by a tab, in document order, so prose around
  a table keeps its order.
* Tables that contain no other table become :class:`Table` grids with rowspan/colspan
  expanded (the spanning cell's text repeated into every covered slot). A colspan is
  capped to the most cells any row of the table has, a rowspan to the rows left, and all
  tables of the page together to ``_MAX_CELLS`` slots (past it, spans count as 1). ``<br>`` and
  nested blocks inside a cell join without a break between CJK characters
  ("本年新<br />制作数量" -> "本年新制作数量"); ``&nbsp;``-only cells are ``""``; slots no
  cell covers are ``None``. Tables that contain tables are layout tables: their text is
  walked as blocks. ``Table.offset`` is where the table's first line starts in the page
  text.
"""
from __future__ import annotations

import re
from typing import Any

from ..errors import EmptyFileError, UnreadableError
from ..model import Document, Page, Table
from ._common import guess_title, join_lines
from .encoding import decode_bytes

_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_DECL_ENC = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_:.\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BAD_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CJK_BREAK = re.compile(
    r"(?<=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…])\s*\n\s*(?=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…])")
_WS = re.compile(r"\s+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

_SKIP = frozenset({
    "script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed",
    "svg", "math", "select", "button", "input", "textarea", "map", "canvas", "audio", "video",
    "source", "track", "param", "link", "meta", "base",
})
_BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "tr", "table", "thead", "tbody", "tfoot", "caption", "section", "article", "header",
    "footer", "nav", "aside", "blockquote", "pre", "hr", "form", "fieldset", "figure",
    "figcaption", "center", "address", "main", "body", "html", "td", "th", "details",
    "summary", "legend", "dir", "menu", "frameset", "frame",
})
_MAX_SPAN = 1000
_MAX_CELLS = 200_000     # grid slots of all tables of a page together (a report: < 5,000)


def find_declared_charset(data: bytes) -> str | None:
    """The charset an HTML document declares (``<meta charset>``, http-equiv, XML decl)."""
    head = data[:8192]
    m = _XML_DECL_ENC.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


def read_html(data: bytes, *, path: str = "<bytes>", sha256: str = "", options=None) -> Document:
    text, encoding = decode_bytes(data, find_declared_charset(data))
    return read_html_text(text, path=path, sha256=sha256, encoding=encoding)


def read_html_text(text: str, *, path: str = "<bytes>", sha256: str = "",
                   encoding: str | None = None, start_index: int = 0) -> Document:
    text = _XML_DECL.sub("", text, count=1)
    text = _BAD_CTRL.sub("", text)
    if not text.strip():
        raise EmptyFileError(path, "HTML document is empty")
    root = _parse_tree(text, path)
    if root is None:  # nested past libxml2's depth limit: the rest would be dropped
        root = _parse_tree(_flatten(text), path)
        if root is None:
            raise UnreadableError(path, f"HTML nested deeper than {_MAX_DEPTH} elements even "
                                        "without its inline tags; it cannot be read without losing text")

    walker = _Walker(start_index)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    page_text = walker.result()
    return Document(path=path, sha256=sha256, kind="html",
                    pages=[Page(number=None, text=page_text, tables=walker.tables)],
                    title_hint=_title(root, page_text), encoding=encoding)


_MAX_DEPTH = 2048  # libxml2's limit with huge_tree (256 without)
# Tags that never carry table structure. Sloppy CMS pages leave them unclosed, once per
# line: 300 unclosed <font>/<span>/<div> nest 300 deep, and libxml2 silently drops
# everything after its depth limit. Removing them (block ones become <br>) keeps the text.
_INLINE_TAG = re.compile(
    r"</?(?:font|span|b|i|u|em|strong|small|big|a|sup|sub|strike|s|ins|del|label|abbr|code|"
    r"o:p|st1:[a-z]+)\b[^<>]*>", re.I)
_BLOCKISH_TAG = re.compile(r"</?(?:div|center|section|article|blockquote|p|dd|dl|dt|li|ul|ol)\b[^<>]*>",
                           re.I)


def _parse_tree(text: str, path: str):
    """The lxml tree, or ``None`` when the document nests past the depth limit."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  recover=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError) as exc:
        if "empty" in str(exc).lower():
            raise EmptyFileError(path, "HTML document has no content") from None
        raise UnreadableError(path, f"cannot parse HTML: {exc}") from None
    except ValueError as exc:
        raise UnreadableError(path, f"cannot parse HTML: {exc}") from None
    for err in parser.error_log:
        if "Excessive depth" in err.message:
            return None
    return root


def _flatten(text: str) -> str:
    return _BLOCKISH_TAG.sub("<br>", _INLINE_TAG.sub("", text))


def _local(tag: object) -> str | None:
    if not isinstance(tag, str):
        return None  # comment, PI, entity
    if tag.startswith("{"):
        tag = tag.rsplit("}", 1)[1]
    return tag.lower()


def _hidden(el) -> bool:
    style = el.get("style")
    if style and _HIDDEN.search(style):
        return True
    return el.get("hidden") is not None


def _collapse(s: str) -> str:
    if "\n" in s or "\r" in s:
        s = _CJK_BREAK.sub("", s.replace("\r", "\n"))
    return _WS.sub(" ", s)


def _title(root, page_text: str) -> str | None:
    for xp in (".//title", ".//h1"):
        for el in root.iterfind(xp):
            t = _WS.sub(" ", el.text_content()).strip()
            if t:
                return t
    return guess_title(page_text)


_ENTER, _TAIL, _CLOSE = 0, 1, 2


class _Walker:
    def __init__(self, start_index: int = 0) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.last = ""
        self.tables: list[Table] = []
        self.start_index = start_index
        self.cells_left = _MAX_CELLS

    # -- output -------------------------------------------------------------------
    def text(self, s: str | None) -> None:
        if not s:
            return
        s = _collapse(s)
        if self.last in ("", "\n", " ", "\t"):
            s = s.lstrip(" ")
        if not s:
            return
        self._put(s)

    def _put(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)
        self.last = s[-1]

    def newline(self) -> None:
        if self.last in ("", "\n"):
            return
        while self.parts and self.parts[-1].endswith((" ", "\t")):
            tail = self.parts.pop()
            kept = tail.rstrip(" \t")
            self.pos -= len(tail) - len(kept)
            if kept:
                self.parts.append(kept)
                break
        self.last = self.parts[-1][-1] if self.parts else ""
        if self.last in ("", "\n"):
            return
        self._put("\n")

    def result(self) -> str:
        return "".join(self.parts).rstrip()

    # -- tree -----------------------------------------------------------------------
    def walk(self, root) -> None:
        # iterative: a sloppy page nests up to 2048 deep, past Python's recursion limit
        stack: list[tuple[int, Any]] = [(_ENTER, root)]
        while stack:
            action, el = stack.pop()
            if action == _TAIL:
                self.text(el.tail)
                continue
            if action == _CLOSE:
                self.newline()
                continue
            tag = _local(el.tag)
            if tag is None or tag in _SKIP or _hidden(el):
                continue
            if tag == "br":
                self.newline()
                continue
            if tag == "table" and not _has_nested_table(el):
                if self._table(el):
                    continue
            block = tag in _BLOCK
            if block:
                self.newline()
                stack.append((_CLOSE, el))
            self.text(el.text)
            for child in reversed(el):
                stack.append((_TAIL, child))
                stack.append((_ENTER, child))

    def _table(self, tbl) -> bool:
        rows = [tr for tr in tbl.iter() if _local(tr.tag) == "tr" and not _hidden(tr)]
        if not rows:
            return False
        grid, lines = _expand(rows, self.cells_left)
        self.cells_left -= sum(len(r) for r in grid)
        if not grid:
            return False
        self.newline()
        offset = self.pos
        for cap in tbl:
            if _local(cap.tag) == "caption":
                self.text(_cell_text(cap))
                self.newline()
        for cells in lines:
            line = "\t".join(cells).rstrip()
            if line.strip():
                self._put(line)
                self.newline()
        self.tables.append(Table(rows=grid, page=None, offset=offset,
                                 index=self.start_index + len(self.tables), source="html"))
        return True


def _has_nested_table(tbl) -> bool:
    for el in tbl.iterdescendants():
        if _local(el.tag) == "table":
            return True
    return False


def _span(value: str | None) -> int:
    if not value:
        return 1
    m = re.match(r"\s*(\d+)", value)
    if not m:
        return 1
    n = int(m.group(1))
    return min(max(n, 0), _MAX_SPAN)


def _cell_text(el) -> str:
    parts: list[str] = []
    if el.text:
        parts.append(el.text)
    stack: list[tuple[int, Any]] = []
    for child in reversed(el):
        stack.append((_TAIL, child))
        stack.append((_ENTER, child))
    while stack:  # iterative, like _Walker.walk
        action, node = stack.pop()
        if action == _TAIL:
            if node.tail:
                parts.append(node.tail)
            continue
        if action == _CLOSE:
            parts.append("\n")
            continue
        tag = _local(node.tag)
        if tag is None or tag in _SKIP or _hidden(node):
            continue
        if tag == "br":
            parts.append("\n")
            continue
        if tag in _BLOCK:
            parts.append("\n")
            stack.append((_CLOSE, node))
        if node.text:
            parts.append(node.text)
        for child in reversed(node):
            stack.append((_TAIL, child))
            stack.append((_ENTER, child))
    raw = "".join(parts)
    # source newlines and <br>/<p> inside a cell are not content: CJK joins, else space
    return join_lines(raw) or ""


def _expand(rows, budget: int = _MAX_CELLS) -> tuple[list[list[str | None]], list[list[str]]]:
    """Expand rowspan/colspan into a rectangular grid; also return each row's own cells.

    Spans are capped to the table's real width (the most cells in a row) and height, and
    the slots filled to ``budget``: past it every span counts as 1."""
    n_rows = len(rows)
    cells_of = [[c for c in tr if _local(c.tag) in ("td", "th") and not _hidden(c)] for tr in rows]
    width = max((len(cs) for cs in cells_of), default=0)
    occupied: dict[tuple[int, int], str] = {}
    lines: list[list[str]] = []
    n_cols = 0
    for r, cells in enumerate(cells_of):
        c = 0
        own: list[str] = []
        for cell in cells:
            while (r, c) in occupied:
                c += 1
            text = _cell_text(cell)
            rs = _span(cell.get("rowspan"))
            cs = min(_span(cell.get("colspan")) or 1, width)
            if rs == 0:  # HTML: span to the end of the table section
                rs = n_rows - r
            rs = max(1, min(rs, n_rows - r))
            if len(occupied) + rs * cs > budget:
                rs, cs = 1, 1
            for i in range(rs):
                for j in range(cs):
                    occupied.setdefault((r + i, c + j), text)
            c += cs
            n_cols = max(n_cols, c)
            own.append(text)
        lines.append(own)
    if not occupied:
        return [], lines
    if n_rows * n_cols > budget:
        n_cols = min(n_cols, width)  # over the budget: the real width only
    grid: list[list[str | None]] = []
    for r in range(n_rows):
        row = [occupied.get((r, c)) for c in range(n_cols)]
        if any(v is not None for v in row):
            grid.append(row)
    return grid, lines
