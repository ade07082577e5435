"""Offline HTML pages: the audit page of one report and the dashboard of a batch.

    >>> import govreport
    >>> report = govreport.parse("report.pdf")                 # doctest: +SKIP
    >>> open("report.html", "w").write(report.to_html())       # doctest: +SKIP

``govreport view REPORT -o report.html`` and ``govreport dashboard OUT -o dashboard.html``
do the same from the command line. Both pages are single files that load nothing from the
network (see :mod:`govreport.view.shell` for the font stack).
"""
from __future__ import annotations

import hashlib
import os
from typing import Any, BinaryIO

from ..errors import UnreadableError
from ..model import Document, Report
from ..options import Options
from .pdf_pages import DEFAULT_DPI, render_pages

__all__ = ["view_html", "report_html", "DEFAULT_DPI"]


def _read_source(source: Any) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), "<bytes>"
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            with open(name, "rb") as fh:
                return fh.read(), name
        except OSError as exc:
            raise UnreadableError(name, f"cannot read the source: {exc.strerror or exc}") from exc
    if hasattr(source, "read"):
        data = source.read()
        return data, getattr(source, "name", "<stream>")
    raise TypeError(f"source must be a path, bytes or a binary file, not {type(source).__name__}")


def _render(report: Report | dict[str, Any], data: bytes | None, name: str, doc: Document | None,
            options: Options, dpi: float) -> str:
    from .report_page import render

    pages = None
    if data is not None and (doc is None or doc.kind == "pdf") and data.lstrip()[:5] == b"%PDF-":
        pages = render_pages(data, name=name, password=options.password, dpi=dpi,
                             max_pages=options.max_pages)
    return render(report, doc=doc, pages=pages)


def report_html(report: Report | dict[str, Any],
                source: str | os.PathLike[str] | bytes | BinaryIO | None = None, *,
                options: Options | dict[str, Any] | None = None, dpi: float = DEFAULT_DPI) -> str:
    """The audit page of a parsed report (``Report.to_html`` calls this).

    ``source`` is the file the report was parsed from (default: ``report.source["path"]``
    when it still exists). It must be the same bytes (sha256 checked), since boxes and
    marks point into it. Without it the page lists the facts without their places.
    """
    opts = Options.coerce(options)
    src = report.source if isinstance(report, Report) else (report.get("source") or {})
    if source is None and src.get("path") and os.path.isfile(src["path"]):
        source = src["path"]
    if source is None:
        return _render(report, None, "<report>", None, opts, dpi)
    data, name = _read_source(source)
    sha = src.get("sha256")
    if sha and hashlib.sha256(data).hexdigest() != sha:
        raise UnreadableError(name, "is not the file this report was parsed from (sha256 differs)")
    from ..readers import read_document

    doc = read_document(data, path=name, options=opts)
    return _render(report, data, name, doc, opts, dpi)


def view_html(source: str | os.PathLike[str] | bytes | BinaryIO, *,
              options: Options | dict[str, Any] | None = None,
              plugins_dir: str | os.PathLike[str] | None = None,
              dpi: float = DEFAULT_DPI) -> tuple[Report, str]:
    """Parse ``source`` and return the report and its audit page (one read of the file).

    ``options.timeout`` bounds the parse and the rendering together, as it bounds a parse.
    """
    from ..deadline import _Deadline, time_limit
    from ..pipeline import parse_document
    from ..readers import read_document

    opts = Options.coerce(options)
    data, name = _read_source(source)
    limit = time_limit(opts.timeout, name)
    try:
        with limit:
            doc = read_document(data, path=name, options=opts)
            report = parse_document(doc, opts, plugins_dir=plugins_dir)
            return report, _render(report, data, name, doc, opts, dpi)
    except _Deadline:  # fired in the very instant the block ended
        raise limit.error() from None
