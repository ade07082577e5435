"""PDF -> pages of text, per-character boxes and ruled-table grids.

Two engines read the page objects (characters with their boxes, paths): PDFium
(:mod:`.pdf_pdfium`, the default: fast, C) and pdfminer through pdfplumber
(:mod:`.pdf_pdfminer`, the reference). Both hand the same object shapes to
:mod:`.pdf_layout`, which runs pdfplumber's text layout and table finder on them, so the
engines can only differ in what they read. ``Options(pdf_engine=...)`` /
``--pdf-engine`` picks one.

Pages are read one at a time and dropped afterwards, so memory stays flat on long
documents. ``Page.boxes`` keeps a box per character of ``Page.text`` (what provenance
``bbox`` is made from); ``Table.boxes`` a box per cell. pdfminer's log messages become
``Document.warnings`` (never stderr noise).
"""
from __future__ import annotations

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
from ._common import guess_title
from .pdf_log import captured_pdfminer_log
from .textlayer import usable_text_layer

_CID = re.compile(r"\(cid:\d+\)")
_UNMAPPED = re.compile("[\ue000-\uf8ff\ufffd]")
_SPACE = re.compile(r"\s")  # str.isspace()'s characters
ENGINES = ("pdfium", "pdfminer")


def read_pdf(data: bytes, *, path: str = "<bytes>", sha256: str = "",
             options: Options | None = None) -> Document:
    from .pdf_guards import document_budget

    opts = Options.coerce(options)
    engine = opts.pdf_engine or "pdfium"
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r} (choose from {', '.join(ENGINES)})")
    notes: list[str] = []
    with captured_pdfminer_log() as log:
        try:
            with document_budget():
                try:
                    doc = _read_pdf(data, path, sha256, opts, engine)
                except _UseReference as why:
                    # PDFium refuses some damaged files that pdfminer reads or diagnoses
                    # more precisely (no pages, a broken page tree), and the reference
                    # engine's budgets bound what a hostile file makes it do
                    notes.append(f"{why}; read with pdfminer")
                    doc = _read_pdf(data, path, sha256, opts, "pdfminer")
        except LimitExceededError as exc:
            if exc.path in (None, "<input>"):  # raised by a budget deep inside pdfminer
                raise LimitExceededError(path, exc.reason) from None
            raise
        except GovReportError:
            raise
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - the PDF libraries raise anything on bad input
            enc = _encryption_problem(exc)
            if enc is not None:
                raise _encrypted(path, enc, opts) from None
            raise _unreadable(path, data, exc) from None
    doc.warnings.extend(notes + log.messages())
    return doc


def pdf_creation_date(info: object) -> str | None:
    """The ISO date of a PDF's ``CreationDate`` (``D:20240125…``), ``None`` when absent or odd."""
    raw = info.get("CreationDate") if isinstance(info, dict) else None
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1", "replace")
    m = re.match(r"(?:D:)?((?:19|20)\d{2})(\d{2})(\d{2})", raw or "")
    if not m or not ("01" <= m.group(2) <= "12" and "01" <= m.group(3) <= "31"):
        return None
    return "-".join(m.groups())


class _UseReference(Exception):
    """Read this file with the pdfminer engine instead (the message says why)."""


def _open(data: bytes, path: str, opts: Options, engine: str):
    try:
        if engine == "pdfium":
            from .pdf_pdfium import PdfiumPages

            return PdfiumPages(data, opts.password or "")
        from .pdf_pdfminer import PdfminerPages

        return PdfminerPages(data, opts.password or "", opts.max_pages)
    except LimitExceededError:
        raise
    except Exception as exc:  # noqa: BLE001
        if type(exc).__name__ == "PageTreeError":
            raise UnreadableError(path, f"unreadable PDF (page tree): {_describe(exc.__cause__ or exc)}") from None
        enc = _encryption_problem(exc)
        if enc is not None:
            raise _encrypted(path, enc, opts) from None
        if engine == "pdfium":
            raise _UseReference(f"PDFium cannot open the file ({_describe(exc)})") from None
        raise _unreadable(path, data, exc) from None


def _read_pdf(data: bytes, path: str, sha256: str, opts: Options, engine: str) -> Document:
    from .pdf_layout import layout_page

    pdf = _open(data, path, opts, engine)
    try:
        n = len(pdf)
        created = pdf.metadata()
        if n == 0:
            raise UnreadableError(path, "PDF has no pages (a zero-page document)")
        if opts.max_pages is not None and n > opts.max_pages:
            raise LimitExceededError(path, f"PDF has {n} pages, over the limit of {opts.max_pages}")
        if engine == "pdfium":
            from .pdf_prescan import hostile_signs

            why = hostile_signs(data, opts.password or "")
            if why:
                raise _UseReference(why)

        out: list[Page] = []
        doc_pos = 0          # offset of the current page in Document.text
        table_index = 0
        n_chars = 0
        n_image_pages = 0
        scans: list[int] = []  # pages without a usable text layer (usable_text_layer)
        pages = pdf.pages()
        number = 0
        while True:
            number += 1
            try:
                objs = next(pages)
            except StopIteration:
                break
            except GovReportError:
                raise
            except Exception as exc:  # noqa: BLE001
                _reraise_limit(exc)
                number = getattr(exc, "number", number)
                inner = getattr(exc, "exc", exc)
                raise UnreadableError(path, f"cannot read page {number}: {_describe(inner)}") from None
            number = objs.number
            n_chars += len(objs.chars)
            if n_chars > MAX_TEXT_CHARS:
                raise LimitExceededError(path, f"PDF holds more than {MAX_TEXT_CHARS} characters "
                                               f"of text by page {number} (reports hold far fewer)")
            if not objs.chars and objs.has_images:
                n_image_pages += 1
            laid = layout_page(objs)
            if not usable_text_layer(laid.text, objs.has_images):
                scans.append(number)
            tables = []
            for rows, boxes, offset in laid.tables:
                tables.append(Table(rows=rows, page=number, offset=doc_pos + offset,
                                    index=table_index, source="pdf", boxes=boxes))
                table_index += 1
            out.append(Page(number=number, text=laid.text, tables=tables, boxes=laid.boxes))
            doc_pos += len(laid.text) + 1
    finally:
        pdf.close()

    visible = sum(len(p.text) - p.text.count(" ") - p.text.count("\n") for p in out)
    if n_chars == 0 or (n_image_pages * 2 >= len(out) and visible < 200):
        if n_image_pages:
            raise NoTextLayerError(path, "scanned PDF without a text layer; an OCR plugin is needed")
        raise NoTextLayerError(path, "PDF has no text layer (no text, no images)")
    _check_quality(path, out)
    title = guess_title(out[0].text) if out else None
    return Document(path=path, sha256=sha256, kind="pdf", pages=out, title_hint=title,
                    encoding=None, pages_without_text=scans, created=pdf_creation_date(created))


# -- quality and errors ---------------------------------------------------------------

def _check_quality(path: str, pages: list[Page]) -> None:
    cid = 0
    other = 0
    for p in pages:
        t = p.text
        k = len(_CID.findall(t))
        cid += k
        stripped = _CID.sub("", t)
        unmapped = len(_UNMAPPED.findall(stripped))  # private-use or replacement chars
        other += len(stripped) - len(_SPACE.findall(stripped)) - unmapped
        cid += unmapped
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
        if name in ("PDFPasswordIncorrect", "PasswordError"):
            return "password"
        if name == "SecurityError":
            return "unsupported encryption (PDFium cannot open its security handler)"
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
