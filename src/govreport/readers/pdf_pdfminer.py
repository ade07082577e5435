"""PDF engine "pdfminer": page objects read by pdfplumber (pdfminer.six's interpreter).

The reference engine: slower than :mod:`.pdf_pdfium` (pdfminer interprets content
streams in Python) but it is what the project's PDF results were first checked against.
Select it with ``Options(pdf_engine="pdfminer")`` / ``--pdf-engine pdfminer``.
"""
from __future__ import annotations

import io
from collections.abc import Iterator

from .pdf_layout import PageObjects

_MAX_CID_RANGE = 65536  # CIDs are 0..65535: a wider /W range is corrupt


class PdfminerPages:
    """An open PDF: ``len()`` pages, ``pages()`` yields each page's objects once."""

    def __init__(self, data: bytes, password: str, max_pages: int | None = None):
        import pdfplumber

        from .pdf_guards import install

        _guard_pdfminer()
        install()
        self._pdf = pdfplumber.open(io.BytesIO(data), password=password)
        _check_page_count(self._pdf, max_pages)  # before listing every page
        try:
            self._pages = self._pdf.pages
        except Exception as exc:  # noqa: BLE001 - the page tree is unreadable
            self._pdf.close()
            raise PageTreeError(exc) from exc

    def __len__(self) -> int:
        return len(self._pages)

    def metadata(self) -> dict:
        """The document information dictionary (``CreationDate`` …), {} if unreadable."""
        try:
            return dict(self._pdf.metadata or {})
        except Exception:  # noqa: BLE001 - metadata is a nicety
            return {}

    def pages(self) -> Iterator[PageObjects]:
        for page in self._pages:
            try:
                objs = PageObjects(number=page.page_number, width=page.width, height=page.height,
                                   chars=page.chars, lines=page.lines, rects=page.rects,
                                   curves=page.curves, has_images=bool(page.images),
                                   bbox=page.bbox)
            except Exception as exc:  # noqa: BLE001
                raise PageError(page.page_number, exc) from exc
            page.close()
            yield objs

    def close(self) -> None:
        self._pdf.close()


def _check_page_count(pdf, max_pages: int | None) -> None:
    """Refuse a PDF with more than ``max_pages`` pages before pdfplumber builds an
    object for every page (100,000 pages take minutes to list): the page tree's /Count,
    then the pages themselves, counted up to the limit (a /Count may lie)."""
    if max_pages is None:
        return
    import itertools

    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    from ..errors import LimitExceededError

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # noqa: BLE001 - a broken page tree is reported by pdf.pages
        count = None
    if not (isinstance(count, int) and count > max_pages):
        try:
            found = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), max_pages + 1))
        except Exception:  # noqa: BLE001
            return
        if found <= max_pages:
            return
        count = f"more than {max_pages}"
    pdf.close()
    raise LimitExceededError(None, f"PDF has {count} pages, over the limit of {max_pages}")


class PageTreeError(Exception):
    """The page tree cannot be read."""


class PageError(Exception):
    """One page cannot be read."""

    def __init__(self, number: int, exc: BaseException):
        super().__init__(number, exc)
        self.number = number
        self.exc = exc


# -- pdfminer guards -------------------------------------------------------------------

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
