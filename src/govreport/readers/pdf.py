"""PDF -> pages of text and ruled-table grids, with pdfplumber.

One pass over the pages. Each page is laid out once (pdfminer), ``extract_text()``
builds its text, and — only on pages that carry ruling lines — ``find_tables()`` runs
on the *same* page object, so it reuses the parsed layout and chars. The page is closed
afterwards so memory stays flat on long documents.

Table hygiene. Many Chinese government PDFs (WPS/Word exports) paint a white filled
rectangle behind every line of prose; pdfplumber's default table finder takes their
edges for cell borders and reports paragraphs as one-column "tables", or glues the prose
above a real table onto it. Real tables have ruling lines (``page.lines``, thin
rectangles or stroked rectangles), so each table found is clipped to the vertical extent
of the rulings that cross it: rows outside it are dropped, and a table no ruling
crosses is not a table. Fill rectangles still count as cell borders inside the clip (a
table split by a page break has no bottom rule, only its cells' fills).

``Table.offset`` is an offset into ``Document.text`` (pages joined by ``"\\n"``): the
start of the first text line of the page whose bottom lies below the table's top edge
(pdfplumber's text lines carry their ``top``/``bottom``; the lines come from the page's
cached text map, so this costs no second layout).
"""
from __future__ import annotations

import io
import re

from ..errors import (
    EncryptedError,
    GovReportError,
    LimitExceededError,
    LowTextQualityError,
    NoTextLayerError,
    UnreadableError,
)
from ..limits import MAX_TEXT_CHARS
from ..model import Document, Page, Table
from ..options import Options
from ._common import guess_title, join_lines
from .textlayer import usable_text_layer

_CID = re.compile(r"\(cid:\d+\)")
_THIN = 3.0       # a filled rectangle thinner than this (pt) is a ruling line
_ROW_OVERLAP = 0.5
_MAX_GRID_CELLS = 5_000  # row x column line positions on a page (pdfplumber is quadratic in
                         # them); a report table has < 1,000


def read_pdf(data: bytes, *, path: str = "<bytes>", sha256: str = "",
             options: Options | None = None) -> Document:
    from .pdf_guards import document_budget

    opts = Options.coerce(options)
    try:
        with document_budget():
            return _read_pdf(data, path, sha256, opts)
    except LimitExceededError as exc:
        if exc.path == "<input>":  # raised by a budget deep inside pdfminer
            raise LimitExceededError(path, exc.reason) from None
        raise
    except GovReportError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises anything on bad input
        enc = _encryption_problem(exc)
        if enc is not None:
            raise _encrypted(path, enc, opts) from None
        raise _unreadable(path, data, exc) from None


def pdf_creation_date(info: object) -> str | None:
    """The ISO date of a PDF's ``CreationDate`` (``D:20240125…``), ``None`` when absent or odd."""
    raw = info.get("CreationDate") if isinstance(info, dict) else None
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1", "replace")
    m = re.match(r"(?:D:)?((?:19|20)\d{2})(\d{2})(\d{2})", raw or "")
    if not m or not ("01" <= m.group(2) <= "12" and "01" <= m.group(3) <= "31"):
        return None
    return "-".join(m.groups())


def _read_pdf(data: bytes, path: str, sha256: str, opts: Options) -> Document:
    import pdfplumber

    from .pdf_guards import install

    _guard_pdfminer()
    install()

    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=opts.password or "")
    except Exception as exc:  # noqa: BLE001
        enc = _encryption_problem(exc)
        if enc is not None:
            raise _encrypted(path, enc, opts) from None
        raise _unreadable(path, data, exc) from None

    _check_page_count(pdf, path, opts)  # before `with`: closing lists every page
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:  # noqa: BLE001
            raise UnreadableError(path, f"unreadable PDF (page tree): {_describe(exc)}") from None
        created = pdf_creation_date(pdf.metadata)
        n = len(pages)
        if n == 0:
            raise UnreadableError(path, "PDF has no pages (a zero-page document)")
        if opts.max_pages is not None and n > opts.max_pages:
            raise LimitExceededError(path, f"PDF has {n} pages, over the limit of {opts.max_pages}")

        out: list[Page] = []
        doc_pos = 0          # offset of the current page in Document.text
        table_index = 0
        n_chars = 0
        n_image_pages = 0
        scans: list[int] = []  # pages without a usable text layer (usable_text_layer)
        for page in pages:
            number = page.page_number
            try:
                text = page.extract_text() or ""
                chars = len(page.chars)
                has_images = bool(page.images)
            except Exception as exc:  # noqa: BLE001
                _reraise_limit(exc)
                raise UnreadableError(path, f"cannot read page {number}: {_describe(exc)}") from None
            n_chars += chars
            if n_chars > MAX_TEXT_CHARS:
                raise LimitExceededError(path, f"PDF holds more than {MAX_TEXT_CHARS} characters "
                                               f"of text by page {number} (reports hold far fewer)")
            if chars == 0 and has_images:
                n_image_pages += 1
            if not usable_text_layer(text, has_images):
                scans.append(number)
            tables: list[Table] = []
            if chars:
                try:
                    found = _page_tables(page, text)
                except Exception as exc:  # noqa: BLE001 - tables are best effort, text is kept
                    _reraise_limit(exc)
                    found = []
                for rows, offset in found:
                    tables.append(Table(rows=rows, page=number, offset=doc_pos + offset,
                                        index=table_index, source="pdf"))
                    table_index += 1
            out.append(Page(number=number, text=text, tables=tables))
            doc_pos += len(text) + 1
            page.close()

    visible = sum(len(p.text) - p.text.count(" ") - p.text.count("\n") for p in out)
    if n_chars == 0 or (n_image_pages * 2 >= len(out) and visible < 200):
        if n_image_pages:
            raise NoTextLayerError(path, "scanned PDF without a text layer; an OCR plugin is needed")
        raise NoTextLayerError(path, "PDF has no text layer (no text, no images)")
    _check_quality(path, out)
    title = guess_title(out[0].text) if out else None
    return Document(path=path, sha256=sha256, kind="pdf", pages=out, title_hint=title,
                    encoding=None, pages_without_text=scans, created=created)


def _check_page_count(pdf, path: str, opts: Options) -> None:
    """Refuse a PDF with more than ``max_pages`` pages before pdfplumber builds an
    object for every page (100,000 pages take minutes to list): the page tree's /Count,
    then the pages themselves, counted up to the limit (a /Count may lie)."""
    if opts.max_pages is None:
        return
    import itertools

    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # noqa: BLE001 - a broken page tree is reported by pdf.pages
        count = None
    if not (isinstance(count, int) and count > opts.max_pages):
        try:
            found = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc),
                                                    opts.max_pages + 1))
        except Exception:  # noqa: BLE001
            return
        if found <= opts.max_pages:
            return
        count = f"more than {opts.max_pages}"
    raise LimitExceededError(path, f"PDF has {count} pages, over the limit of {opts.max_pages}")


# -- pdfminer guards -------------------------------------------------------------------

_MAX_CID_RANGE = 65536  # CIDs are 0..65535: a wider /W range is corrupt


def _clamp_ranges(seq, group: int, resolve: bool) -> list:
    """``seq`` (a font's /W or /W2 array) with every ``c1 c2 w...`` range clamped to
    ``_MAX_CID_RANGE`` codes; otherwise the same items, for pdfminer's own parser."""
    from pdfminer.pdftypes import resolve1

    out: list = []
    run: list = []
    for v in seq:
        if resolve:
            v = resolve1(v)
        if isinstance(v, list):
            out.extend(run)
            out.append(v)
            run = []
        elif isinstance(v, (int, float)):
            run.append(v)
            if len(run) == group:
                c1, c2 = run[0], run[1]
                if isinstance(c1, int) and isinstance(c2, int) and c2 - c1 > _MAX_CID_RANGE:
                    run[1] = c1 + _MAX_CID_RANGE
                out.extend(run)
                run = []
        else:
            out.append(v)
    out.extend(run)
    return out


def _guard_pdfminer() -> None:
    """Make pdfminer safe on hostile fonts (installed once, process-wide).

    ``pdffont.get_widths`` expands a /W range ``c1 c2 w`` into one dict entry per code:
    ``0 2147483647 500`` in a corrupt or hostile PDF means billions of entries (minutes
    of CPU, gigabytes of memory). The ranges are clamped to the 65536 possible CIDs;
    valid fonts are read exactly as before.
    """
    from pdfminer import pdffont

    if getattr(pdffont, "_govreport_guarded", False):
        return
    get_widths, get_widths2 = pdffont.get_widths, pdffont.get_widths2

    def safe_get_widths(seq):
        return get_widths(_clamp_ranges(seq, 3, resolve=True))

    def safe_get_widths2(seq):
        return get_widths2(_clamp_ranges(seq, 5, resolve=False))

    pdffont.get_widths = safe_get_widths
    pdffont.get_widths2 = safe_get_widths2
    pdffont._govreport_guarded = True  # type: ignore[attr-defined]


# -- tables ---------------------------------------------------------------------------

def _rulings(page) -> list[tuple[float, float, float, float]]:
    """Bounding boxes (x0, top, x1, bottom) of the ruling strokes on the page."""
    out = [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.lines]
    for r in page.rects:
        if r.get("stroke") or min(r["width"], r["height"]) <= _THIN:
            out.append((r["x0"], r["top"], r["x1"], r["bottom"]))
    return out


def _grid_cells(rulings: list[tuple[float, float, float, float]]) -> int:
    """Distinct row-line positions times distinct column-line positions."""
    ys: set[int] = set()
    xs: set[int] = set()
    for x0, top, x1, bottom in rulings:
        if bottom - top <= _THIN:
            ys.add(round(top))
        elif x1 - x0 <= _THIN:
            xs.add(round(x0))
        else:  # a stroked rectangle: all four sides
            ys.update((round(top), round(bottom)))
            xs.update((round(x0), round(x1)))
    return len(ys) * len(xs)


def _page_tables(page, text: str) -> list[tuple[list[list[str | None]], int]]:
    rulings = _rulings(page)
    if not rulings or _grid_cells(rulings) > _MAX_GRID_CELLS:
        return []  # a mesh of lines, not a report table (table finding is quadratic in it)
    results = []
    line_tops = None
    mids = None
    for tb in page.find_tables():
        x0, top, x1, bottom = tb.bbox
        crossing = [r for r in rulings
                    if r[0] <= x1 + 1 and r[2] >= x0 - 1 and r[1] <= bottom + 1 and r[3] >= top - 1]
        if not crossing:
            continue
        rtop = min(r[1] for r in crossing)
        rbottom = max(r[3] for r in crossing)
        rows: list[list[str | None]] = []
        first_top: float | None = None
        if mids is None:
            mids = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, c) for c in page.chars]
        in_table = [m for m in mids if x0 <= m[0] < x1 and top <= m[1] < bottom]
        for row in tb.rows:
            _, rt, _, rb = row.bbox
            h = max(rb - rt, 0.01)
            overlap = min(rb, rbottom + 1) - max(rt, rtop - 1)
            if overlap < _ROW_OVERLAP * h:
                continue
            if first_top is None:
                first_top = rt
            rows.append(_row_cells(row, in_table))
        if not rows or first_top is None or max(len(r) for r in rows) < 2:
            continue
        if all(not c for r in rows for c in r):
            continue
        if line_tops is None:
            line_tops = _line_starts(page, text)
        results.append((rows, _offset_at(line_tops, first_top, len(text))))
    return results


def _row_cells(row, chars: list) -> list[str | None]:
    """Cell texts of one table row; same result as pdfplumber's ``Table.extract`` (a char
    belongs to the cell holding its midpoint) but only looks at the table's chars."""
    from pdfplumber.utils import extract_text

    rx0, rt, rx1, rb = row.bbox
    in_row = [m for m in chars if rt <= m[1] < rb and rx0 <= m[0] < rx1]
    out: list[str | None] = []
    for cell in row.cells:
        if cell is None:
            out.append(None)
            continue
        cx0, ct, cx1, cb = cell
        cc = [m[2] for m in in_row if cx0 <= m[0] < cx1 and ct <= m[1] < cb]
        out.append(join_lines(extract_text(cc)) if cc else "")
    return out


def _line_starts(page, text: str) -> list[tuple[float, int]]:
    """(bottom, start offset in the page text) of each text line, in text order."""
    starts = []
    pos = 0
    for line in text.split("\n"):
        if line:  # extract_text_lines(strip=False) matches r"[^\n]+"
            starts.append(pos)
        pos += len(line) + 1
    try:
        lines = page.extract_text_lines(strip=False, return_chars=False)
    except Exception:  # noqa: BLE001
        return []
    if len(lines) != len(starts):
        # text map and split disagree (unusual whitespace): align what we can
        n = min(len(lines), len(starts))
        lines, starts = lines[:n], starts[:n]
    return [(ln["bottom"], s) for ln, s in zip(lines, starts)]


def _offset_at(line_tops: list[tuple[float, int]], table_top: float, text_len: int) -> int:
    for bottom, start in line_tops:
        if bottom > table_top + 1:
            return start
    return text_len


# -- quality and errors ---------------------------------------------------------------

def _check_quality(path: str, pages: list[Page]) -> None:
    cid = 0
    other = 0
    for p in pages:
        t = p.text
        k = len(_CID.findall(t))
        cid += k
        stripped = _CID.sub("", t)
        other += sum(1 for ch in stripped if not ch.isspace()
                     and not (0xE000 <= ord(ch) <= 0xF8FF) and ch != "\ufffd")
        cid += sum(1 for ch in stripped if 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd")
    total = cid + other
    if total and cid / total > 0.3:
        raise LowTextQualityError(
            path, f"text is mostly unmapped glyph codes ((cid:N) / private-use characters: "
                  f"{cid} of {total}); the fonts have no Unicode map, an OCR plugin is needed")


def _reraise_limit(exc: BaseException) -> None:
    """Raise the LimitExceededError of a budget (pdf_guards) that pdfplumber wrapped."""
    for e in _chain(exc):
        if isinstance(e, LimitExceededError):
            raise LimitExceededError(e.path, e.reason) from None


def _chain(exc: BaseException):
    seen = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        stack.extend([e.__cause__, e.__context__])
        stack.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))


def _encryption_problem(exc: BaseException) -> str | None:
    for e in _chain(exc):
        name = type(e).__name__
        if name == "PDFPasswordIncorrect":
            return "password"
        if name in ("PDFEncryptionError", "PDFEncryptionWarning") or "Encryption" in name:
            return f"unsupported encryption ({e})"
    return None


def _encrypted(path: str, problem: str, opts: Options) -> EncryptedError:
    if problem == "password":
        if opts.password:
            return EncryptedError(path, "encrypted PDF: the password given is wrong")
        return EncryptedError(path, "encrypted PDF: a password is needed "
                                    "(--password, or Options(password=...))")
    return EncryptedError(path, f"encrypted PDF: {problem}")


def _truncated(data: bytes) -> bool:
    """No ``%%EOF`` end marker near the end: the file stops before the PDF does."""
    return b"%%EOF" not in data[-2048:]


def _unreadable(path: str, data: bytes, exc: BaseException) -> UnreadableError:
    if _truncated(data):
        return UnreadableError(path, "truncated PDF: the file ends without the %%EOF end marker "
                                     f"(an incomplete download?); {_describe(exc)}")
    return UnreadableError(path, f"unreadable PDF: {_describe(exc)}")


def _describe(exc: BaseException) -> str:
    inner = exc
    for e in _chain(exc):
        inner = e
        if type(e).__name__ != "PdfminerException":
            break
    msg = str(inner).strip() or "no details"
    return f"{type(inner).__name__}: {msg}"[:300]
