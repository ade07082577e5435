"""DOCX -> one Page: paragraphs and tables in body order, tables as grids.

The body's XML children are walked in order (content controls ``w:sdt`` are entered),
so tables sit between the paragraphs around them in the page text: one line per
paragraph, one line per table row (each cell once, tab-separated). Grids keep
python-docx's view of merged cells: a horizontally or vertically merged cell repeats its
text in every grid slot it covers; grid positions before/after a short row are ``None``.

python-docx parses with its own ``lxml`` parser (``resolve_entities=False``; lxml never
uses the network by default). The sizes in the ZIP directory are checked first, for
*every* part whatever its name (python-docx reads them all), so a decompression bomb is
refused before it is inflated: all parts together at most ``limits.MAX_EXPANDED_BYTES``;
a part over 1 MiB at most ``limits.MAX_EXPANSION_RATIO`` times its compressed size; a
part that compresses (XML, not an image) at most :data:`_MAX_PART` bytes. Table spans
(``gridSpan``, ``gridBefore``, ``gridAfter``) are capped to the table's grid width, and
all tables of a document together to :data:`_MAX_CELLS` grid cells.
"""
from __future__ import annotations

import io
import zipfile

from ..errors import GovReportError, LimitExceededError, UnreadableError
from ..model import Document, Page, Table
from ..options import Options
from ._common import guess_title, join_lines

_MAX_PART = 32 * 1024 * 1024   # one part that compresses (XML): a 32 MiB body is ~1,000 pages
_MAX_CELLS = 200_000           # grid cells of all tables of a document (a report: < 5,000)


def read_docx(data: bytes, *, path: str = "<bytes>", sha256: str = "",
              options: Options | None = None) -> Document:
    _check_zip(data, path)
    try:
        return _read(data, path, sha256)
    except GovReportError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml/zipfile raise many kinds
        raise UnreadableError(path, f"unreadable DOCX: {type(exc).__name__}: {exc}"[:300]) from None


def _check_zip(data: bytes, path: str) -> None:
    from ..limits import MAX_EXPANDED_BYTES, MAX_EXPANSION_RATIO

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableError(path, f"broken DOCX (ZIP container): {exc}") from None
    if "word/document.xml" not in {i.filename for i in infos}:
        raise UnreadableError(path, "DOCX without word/document.xml")
    total = 0
    for info in infos:
        size, packed = info.file_size, max(info.compress_size, 1)
        total += size
        if total > MAX_EXPANDED_BYTES:
            raise LimitExceededError(path, f"DOCX parts inflate to more than "
                                           f"{MAX_EXPANDED_BYTES // 2**20} MiB")
        if size > 2**20 and size / packed > MAX_EXPANSION_RATIO:
            raise LimitExceededError(path, f"DOCX part {info.filename!r} inflates {size / packed:.0f}"
                                           f" times (to {size} bytes; a decompression bomb?)")
        if size > _MAX_PART and size / packed > 2:
            raise LimitExceededError(path, f"DOCX part {info.filename!r} inflates to {size} bytes, "
                                           f"over {_MAX_PART // 2**20} MiB")


def _cap_spans(body, path: str) -> None:
    """Cap gridSpan/gridBefore/gridAfter to each table's grid width (python-docx lays out
    a row cell by grid column: ``gridSpan=100000000`` would mean 10⁸ slots per cell)."""
    from docx.oxml.ns import qn

    TBL, GRIDCOL, TR, TC = qn("w:tbl"), qn("w:gridCol"), qn("w:tr"), qn("w:tc")
    VAL = qn("w:val")
    spans = {qn("w:gridSpan"), qn("w:gridBefore"), qn("w:gridAfter")}
    cells = 0
    for tbl in body.iter(TBL):
        rows = [tr for tr in tbl.iterchildren(TR)]
        width = sum(1 for _ in tbl.iter(GRIDCOL)) or max(
            (sum(1 for _ in tr.iterchildren(TC)) for tr in rows), default=1)
        for el in tbl.iter(*spans):
            raw = el.get(VAL) or ""
            value = int(raw) if raw.strip().isdigit() else 1
            if value > width:
                el.set(VAL, str(max(width, 1)))
        cells += len(rows) * max(width, 1)
        if cells > _MAX_CELLS:
            raise LimitExceededError(path, f"DOCX tables hold more than {_MAX_CELLS} cells")


def _read(data: bytes, path: str, sha256: str) -> Document:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    from ..limits import MAX_TEXT_CHARS

    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    _cap_spans(body, path)
    P, TBL, SDT, SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")

    lines: list[str] = []
    pos = 0
    tables: list[Table] = []
    title: str | None = None

    def put(line: str) -> None:
        nonlocal pos
        lines.append(line)
        pos += len(line) + 1
        if pos > MAX_TEXT_CHARS:  # stop early: python-docx is slow on a huge body
            raise LimitExceededError(path, f"DOCX holds more than {MAX_TEXT_CHARS} characters "
                                           "of text (reports hold far fewer)")

    def walk(parent) -> None:
        nonlocal title
        for child in parent.iterchildren():
            if child.tag == P:
                para = Paragraph(child, document)
                text = join_lines(para.text.replace("\t", " ")) or ""
                if text:
                    if title is None and _is_title_style(para):
                        title = text
                    put(text)
            elif child.tag == TBL:
                offset = pos
                grid, row_lines = _table(DocxTable(child, document))
                for line in row_lines:
                    if line.strip():
                        put(line)
                if grid:
                    tables.append(Table(rows=grid, page=None, offset=offset,
                                        index=len(tables), source="docx"))
            elif child.tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    walk(content)

    walk(body)
    text = "\n".join(lines)
    return Document(path=path, sha256=sha256, kind="docx",
                    pages=[Page(number=None, text=text, tables=tables)],
                    title_hint=title or guess_title(text), encoding=None)


def _is_title_style(para) -> bool:
    try:
        name = (para.style.name or "").lower() if para.style is not None else ""
    except Exception:  # noqa: BLE001
        return False
    return name == "title" or name in ("heading 1", "标题 1", "标题1")


def _table(table) -> tuple[list[list[str | None]], list[str]]:
    grid: list[list[str | None]] = []
    row_lines: list[str] = []
    prev_tcs: list[object] = []
    for row in table.rows:
        before = getattr(row, "grid_cols_before", 0) or 0
        after = getattr(row, "grid_cols_after", 0) or 0
        cells = list(row.cells)
        texts: dict[int, str] = {}
        values: list[str | None] = [None] * before
        line_cells: list[str] = []
        tcs: list[object] = [None] * before
        last_tc = None
        for i, cell in enumerate(cells):
            tc = cell._tc
            key = id(tc)
            if key not in texts:
                texts[key] = join_lines(cell.text) or ""
            values.append(texts[key])
            col = before + i
            tcs.append(tc)
            if tc is last_tc:
                continue  # horizontal merge: the same cell again
            last_tc = tc
            if col < len(prev_tcs) and prev_tcs[col] is tc:
                continue  # vertical merge continuation
            line_cells.append(texts[key])
        values.extend([None] * after)
        grid.append(values)
        row_lines.append("\t".join(line_cells).rstrip())
        prev_tcs = tcs
    width = max((len(r) for r in grid), default=0)
    for r in grid:
        r.extend([None] * (width - len(r)))
    return grid, row_lines
