"""Signs that a PDF should be read by the pdfminer engine, whose budgets bound it.

PDFium parses a page's whole content stream in C before anything can be checked, and it
has no budgets a caller can set: a decompression bomb, a page of millions of glyphs or
form XObjects that draw each other 10¹² times would hold it for minutes or take
gigabytes, out of reach of the soft time and memory limits (:mod:`govreport.limits`).
pdfminer works in Python under :mod:`.pdf_guards`' budgets, which stop such files with
a clear error. So before PDFium loads a page, the document's structure is looked at —
no content is interpreted: each page's content streams are inflated (boundedly, by
``pdf_guards``) and measured, and the form XObjects it draws are bounded in number
and in the content they hold (a small page can draw a form of millions of paths). A
report's pages hold tens of kilobytes of content and few forms; a file past these
bounds is read by pdfminer instead.
"""
from __future__ import annotations

import io
import re

MAX_PAGE_CONTENT = 1024 * 1024   # decoded content-stream bytes on one page
MAX_FORM_DRAWS = 500             # bound on form XObject draws one page can reach
MAX_FORM_CONTENT = 4 * MAX_PAGE_CONTENT  # decoded form content a page's draws reach


def hostile_signs(data: bytes, password: str = "") -> str | None:
    """Why this PDF should go to the pdfminer engine, or None. Raises the budgets'
    LimitExceededError for a stream that inflates past them."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1

    from ..errors import LimitExceededError
    from .pdf_guards import install

    install()
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password=password)
        forms = _Forms(resolve1, PDFStream)
        for number, page in enumerate(PDFPage.create_pages(doc), start=1):
            content = b"".join(resolve1(s).get_data() or b"" for s in page.contents or ()
                               if isinstance(resolve1(s), PDFStream))
            if len(content) > MAX_PAGE_CONTENT:
                return f"page {number} holds {len(content)} bytes of drawing operators"
            draws, held = forms.draws(content, page.resources, ())
            if draws > MAX_FORM_DRAWS:
                return f"page {number} may draw form XObjects {draws}+ times"
            if held > MAX_FORM_CONTENT:
                return f"page {number} draws form XObjects holding {held}+ bytes of drawing operators"
    except LimitExceededError:
        raise
    except Exception:  # noqa: BLE001 - a structure pdfminer cannot read: PDFium may
        return None
    return None


_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")


class _Forms:
    """Upper bounds on the form XObject draws a content stream makes, and on the decoded
    content those draws hold: each ``/Name Do`` of a form counts once (and its content's
    bytes) plus what that form's own content draws (a form that reaches itself:
    unbounded)."""

    def __init__(self, resolve1, stream_type) -> None:
        self.resolve1 = resolve1
        self.stream_type = stream_type
        self.memo: dict[int, tuple[int, int]] = {}

    def draws(self, content: bytes, resources, path: tuple) -> tuple[int, int]:
        """(form draws, decoded bytes of the forms drawn), each summed over every draw."""
        names = _DO.findall(content)
        if not names:
            return 0, 0
        xobjects = self.resolve1((self.resolve1(resources) or {}).get("XObject")) \
            if isinstance(self.resolve1(resources), dict) else None
        if not isinstance(xobjects, dict):
            return 0, 0
        total = held = 0
        for name in names:
            ref = xobjects.get(name.decode("latin-1"))
            n, size = self._form(ref, path)
            total += n
            held += size
            if total > MAX_FORM_DRAWS or held > MAX_FORM_CONTENT:
                break
        return total, held

    def _form(self, ref, path: tuple) -> tuple[int, int]:
        """(draws, bytes) of one ``Do`` of ``ref``: the form itself and what it draws."""
        key = getattr(ref, "objid", None)
        if key is not None and key in self.memo:
            return self.memo[key]
        form = self.resolve1(ref)
        if not isinstance(form, self.stream_type) or \
                getattr(form.get("Subtype"), "name", None) != "Form":
            return 1, 0  # an image or nothing: a draw that holds no drawing operators
        if (key is not None and key in path) or len(path) > 32:
            return MAX_FORM_DRAWS + 1, 0  # draws itself, or nests without end
        data = form.get_data() or b""
        n, size = self.draws(data, form.get("Resources"), path + (key,))
        result = (1 + n, len(data) + size)
        if key is not None:
            self.memo[key] = result
        return result
