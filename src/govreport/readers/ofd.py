"""OFD (GB/T 33190, the national fixed-layout format) -> pages of text lines and ruled tables.

An OFD file is a ZIP of XML: ``OFD.xml`` names each document's ``Document.xml``, which
lists the pages (``Page/@BaseLoc`` -> a page's ``Content.xml``) and templates. A page's
``TextObject``s hold ``TextCode`` runs with the position of the first character
(``X``/``Y``, the baseline, relative to the object's ``Boundary``, after its ``CTM``) and
the advances of the others (``DeltaX``/``DeltaY``, with the ``g n v`` repeat syntax).
Characters are grouped into lines by baseline, as a PDF reader does; ``PathObject``
strokes that are horizontal or vertical are the table rules from which
:mod:`.grid` rebuilds the grids. Units are millimetres; boxes are given in PDF points.

The archive is opened with the same guards as the DOCX reader: entry count and inflated
size limited, a compression ratio that only a bomb has refused, references resolved
inside the archive only, XML parsed without DTDs, entities or network.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from ..errors import GovReportError, LimitExceededError, UnreadableError
from ..limits import MAX_EXPANDED_BYTES, MAX_EXPANSION_RATIO
from ..model import Document, Page, Table
from ..options import Options
from ._common import guess_title
from .grid import Cells, connected_groups, grid_from_segments

MAX_ENTRIES = 20_000
MAX_INFLATED = MAX_EXPANDED_BYTES
MAX_RATIO = MAX_EXPANSION_RATIO  # inflated / compressed, per entry larger than 1 MiB
PT_PER_MM = 72 / 25.4
_RULE_TOL = 0.6          # mm: a stroke this close to level is a rule; rules this close meet
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass
class _Char:
    text: str
    x: float
    y: float            # baseline
    size: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x, self.y - self.size, self.x + self.size, self.y)


def read_ofd(data: bytes, *, path: str = "<bytes>", sha256: str = "",
             options: Options | None = None) -> Document:
    opts = Options.coerce(options)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_archive(zf, path)
            return _read(zf, path, sha256, opts)
    except GovReportError:
        raise
    except MemoryError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as exc:
        raise UnreadableError(path, f"unreadable OFD: {type(exc).__name__}: {exc}"[:300]) from None


def _check_archive(zf: zipfile.ZipFile, path: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise LimitExceededError(path, f"OFD archive has {len(infos)} entries, over {MAX_ENTRIES}")
    total = sum(i.file_size for i in infos)
    if total > MAX_INFLATED:
        raise LimitExceededError(path, f"OFD inflates to {total} bytes, over {MAX_INFLATED}")
    for i in infos:
        if i.file_size > 1 << 20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise LimitExceededError(path, f"OFD entry {i.filename!r} inflates {i.file_size} bytes "
                                           f"from {i.compress_size}: a decompression bomb")


def _xml(zf: zipfile.ZipFile, name: str, path: str):
    from lxml import etree

    if name not in zf.namelist():
        raise UnreadableError(path, f"OFD part {name!r} is missing")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True)
    raw = zf.read(name)
    if b"<!ENTITY" in raw[:4096]:
        raise UnreadableError(path, f"OFD part {name!r} declares XML entities; refused")
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableError(path, f"OFD part {name!r} is not well-formed XML: {exc}") from None


def _inside(base: str, loc: str, path: str) -> str:
    """``loc`` (relative to the part ``base``, or absolute from the archive root) as an
    archive name; a reference that leaves the archive is refused."""
    loc = (loc or "").strip().replace("\\", "/")
    joined = loc.lstrip("/") if loc.startswith("/") else posixpath.join(posixpath.dirname(base), loc)
    name = posixpath.normpath(joined)
    if name.startswith("../") or name == ".." or name.startswith("/"):
        raise UnreadableError(path, f"OFD reference {loc!r} leaves the archive; refused")
    return name


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def _find(el, name: str):
    return next((c for c in el.iter() if _local(c.tag) == name), None)


def _read(zf: zipfile.ZipFile, path: str, sha256: str, opts: Options) -> Document:
    root = _xml(zf, "OFD.xml", path)
    doc_root = _find(root, "DocRoot")
    if doc_root is None or not (doc_root.text or "").strip():
        raise UnreadableError(path, "OFD.xml names no DocRoot")
    doc_name = _inside("OFD.xml", doc_root.text, path)
    document = _xml(zf, doc_name, path)
    templates = {t.get("ID"): _inside(doc_name, t.get("BaseLoc", ""), path)
                 for t in document.iter() if _local(t.tag) == "TemplatePage" and t.get("BaseLoc")}
    page_refs = [p for p in document.iter() if _local(p.tag) == "Page" and p.get("BaseLoc")]
    if not page_refs:
        raise UnreadableError(path, "OFD document has no pages")
    if opts.max_pages is not None and len(page_refs) > opts.max_pages:
        raise LimitExceededError(path, f"OFD has {len(page_refs)} pages, over the limit of {opts.max_pages}")
    pages: list[Page] = []
    pos = 0
    index = 0
    for number, ref in enumerate(page_refs, 1):
        name = _inside(doc_name, ref.get("BaseLoc", ""), path)
        content = _xml(zf, name, path)
        chars: list[_Char] = []
        h: list[tuple[float, float, float]] = []
        v: list[tuple[float, float, float]] = []
        for tpl in _children(content, "Template"):
            tname = templates.get(tpl.get("TemplateID"))
            if tname and tname in zf.namelist():
                _objects(_xml(zf, tname, path), chars, h, v)
        _objects(content, chars, h, v)
        page = _page(number, chars, h, v)
        for t in page.tables:
            t.offset += pos
            t.index = index
            index += 1
        pages.append(page)
        pos += len(page.text) + 1
    return Document(path=path, sha256=sha256, kind="ofd", pages=pages,
                    title_hint=guess_title(pages[0].text) if pages else None)


def _floats(text: str | None) -> list[float]:
    return [float(x) for x in _NUM.findall(text or "")]


def _deltas(text: str | None) -> list[float]:
    """OFD's DeltaX/DeltaY: numbers, with ``g n v`` meaning ``v`` repeated ``n`` times."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                out.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            except ValueError:
                pass
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return out


def _transform(el, x: float, y: float) -> tuple[float, float]:
    """Object coordinates -> page coordinates: the object's CTM, then its Boundary origin."""
    ctm = _floats(el.get("CTM"))
    if len(ctm) == 6:
        a, b, c, d, e, f = ctm
        x, y = a * x + c * y + e, b * x + d * y + f
    box = _floats(el.get("Boundary"))
    if len(box) >= 2:
        x, y = x + box[0], y + box[1]
    return x, y


def _objects(root, chars: list[_Char], h: list, v: list) -> None:
    for el in root.iter():
        kind = _local(el.tag)
        if kind == "TextObject":
            size = (_floats(el.get("Size")) or [3.5])[0]  # in the object's own space
            ctm = _floats(el.get("CTM"))
            scale = (abs(ctm[3]) or 1.0) if len(ctm) == 6 else 1.0
            for code in _children(el, "TextCode"):
                _text_code(el, code, size, scale, chars)
        elif kind == "PathObject":
            _path(el, h, v)


def _text_code(obj, code, size: float, scale: float, chars: list[_Char]) -> None:
    text = code.text or ""
    x = (_floats(code.get("X")) or [0.0])[0]
    y = (_floats(code.get("Y")) or [0.0])[0]
    dx, dy = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
    for i, ch in enumerate(text):
        px, py = _transform(obj, x, y)
        if not ch.isspace():
            chars.append(_Char(ch, px, py, size * scale))
        x += dx[i] if i < len(dx) else (size if not dx else 0.0)
        y += dy[i] if i < len(dy) else 0.0


def _path(obj, h: list, v: list) -> None:
    data = _find(obj, "AbbreviatedData")
    if data is None or not data.text:
        return
    tokens = data.text.split()
    points: list[tuple[float, float]] = []
    start: tuple[float, float] | None = None
    i = 0
    while i < len(tokens):
        op = tokens[i]
        if op in ("M", "L") and i + 2 < len(tokens):
            try:
                p = (float(tokens[i + 1]), float(tokens[i + 2]))
            except ValueError:
                break
            if op == "M":
                start = p
            elif points:
                _segment(_transform(obj, *points[-1]), _transform(obj, *p), h, v)
            points.append(p)
            i += 3
        elif op == "C":
            if points and start is not None:
                _segment(_transform(obj, *points[-1]), _transform(obj, *start), h, v)
            i += 1
        elif op in ("B", "Q", "A", "S"):  # curves are never table rules
            i += {"B": 7, "Q": 5, "A": 8, "S": 1}[op]
            points = []
        else:
            i += 1


def _segment(a: tuple[float, float], b: tuple[float, float], h: list, v: list) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(y1 - y0) <= _RULE_TOL / 3 and abs(x1 - x0) > _RULE_TOL:
        h.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= _RULE_TOL / 3 and abs(y1 - y0) > _RULE_TOL:
        v.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    lines: list[list[_Char]] = []
    for ch in sorted(chars, key=lambda c: (c.y, c.x)):
        if lines and abs(ch.y - lines[-1][0].y) <= 0.4 * max(ch.size, lines[-1][0].size):
            lines[-1].append(ch)
        else:
            lines.append([ch])
    for line in lines:
        line.sort(key=lambda c: c.x)
    return lines


def _line_text(line: list[_Char]) -> str:
    out = ""
    prev: _Char | None = None
    for ch in line:
        if prev is not None and ch.x - (prev.x + prev.size) > 0.8 * prev.size:
            out += " "
        out += ch.text
        prev = ch
    return out


def _cell_text(chars: list[_Char]) -> str:
    return "".join(_line_text(line) for line in _lines(chars))


def _page(number: int, chars: list[_Char], h: list, v: list) -> Page:
    grids = [g for g in (grid_from_segments(gh, gv, _RULE_TOL) for gh, gv in
                         connected_groups(h, v, _RULE_TOL)) if g is not None]
    items: list[tuple[float, str, object]] = []
    inside: list[list[_Char]] = [[] for _ in grids]
    for line in _lines(chars):
        rest: list[_Char] = []
        for ch in line:
            cx, cy = ch.x + ch.size / 2, ch.y - ch.size / 2
            k = next((k for k, g in enumerate(grids)
                      if g.box[0] <= cx <= g.box[2] and g.box[1] <= cy <= g.box[3]), None)
            (inside[k] if k is not None else rest).append(ch)
        if rest:
            items.append((rest[0].y - rest[0].size, "line", rest))
    for grid, members in zip(grids, inside):
        items.append((grid.ys[0], "table", (grid, members)))
    items.sort(key=lambda it: it[0])
    parts: list[str] = []
    tables: list[Table] = []
    pos = 0
    for _, what, item in items:
        if what == "line":
            parts.append(_line_text(item))  # type: ignore[arg-type]
            pos += len(parts[-1]) + 1
            continue
        grid, members = item  # type: ignore[misc]
        cells = Cells(grid, ((c.x + c.size / 2, c.y - c.size / 2, c) for c in members))
        rows = cells.rows(_cell_text)
        if not any(c for row in rows for c in row):
            continue
        boxes = [[_box(cells.members[r][c]) if rows[r][c] is not None else None
                  for c in range(len(row))] for r, row in enumerate(rows)]
        tables.append(Table(rows=rows, page=number, offset=pos, source="ofd"))
        tables[-1].boxes = boxes
        for row in rows:
            row_text = " ".join(c for c in row if c)
            if row_text:
                parts.append(row_text)
                pos += len(row_text) + 1
    return Page(number=number, text="\n".join(parts), tables=tables)


def _box(chars: list[_Char]) -> tuple[float, float, float, float] | None:
    if not chars:
        return None
    boxes = [c.box for c in chars]
    return (min(b[0] for b in boxes) * PT_PER_MM, min(b[1] for b in boxes) * PT_PER_MM,
            max(b[2] for b in boxes) * PT_PER_MM, max(b[3] for b in boxes) * PT_PER_MM)
