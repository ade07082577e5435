"""A web page saved "complete" whose statistics tables are images in the folder beside it.

Each ``<img>`` whose ``src`` is a local file inside the page's own folder (never a URL,
never a path that leaves the folder) is OCR'd, and its text and table grids are put into
the document where the image stood, as a page of their own: the page text before the
image, the image's page, the text after it. Images too small to hold a table (icons,
logos, QR codes) are left out. Pages are numbered by image (the HTML text has none).
"""
from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from govreport.errors import GovReportError
from govreport.model import Document, Page
from govreport.options import Options

_IMG = re.compile(rb"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))[^>]*>", re.I)
_MARK = "\u2063GOVREPORT-IMAGE-{}\u2063"
_MARK_RE = re.compile("\u2063GOVREPORT-IMAGE-(\\d+)\u2063")
MIN_SIDE = 200  # pixels: smaller images are icons, logos and QR codes, not tables


def local_image(page_path: str, src: str) -> str | None:
    """The file ``src`` names, if it is a local file inside the page's folder."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    folder = os.path.realpath(os.path.dirname(os.path.abspath(page_path)))
    target = os.path.realpath(os.path.join(folder, unquote(parts.path)))
    if os.path.commonpath([folder, target]) != folder or not os.path.isfile(target):
        return None
    return target


class HtmlImagesReader:
    name = "ocr-html-images"
    kinds = ("html",)
    order = 250
    description = "web pages saved complete whose tables are <img> files beside them: images OCR'd in place"

    def _images(self, data: bytes, path: str) -> list[tuple[re.Match[bytes], str]]:
        if not os.path.isfile(path):
            return []
        found = []
        for m in _IMG.finditer(data):
            src = (m.group(1) or m.group(2) or m.group(3) or b"").decode("utf-8", "replace")
            target = local_image(path, src.strip())
            if target is not None:
                found.append((m, target))
        return found

    def recognise(self, data: bytes, path: str) -> bool:
        return b"<img" in data.lower() and bool(self._images(data, path))

    def read(self, data: bytes, path: str, sha256: str, options: Options) -> Document:
        from govreport.readers.html import read_html

        from . import _ocr_page, _renumber
        from .engine import image_frames

        opts = Options.coerce(options)
        frames: list[list[tuple[Any, float]]] = []
        pieces: list[bytes] = []
        last = 0
        for m, target in self._images(data, path):
            try:
                with open(target, "rb") as fh:
                    image = [f for f in image_frames(fh.read())
                             if min(f[0].shape) >= MIN_SIDE]
            except Exception:  # noqa: BLE001 - not an image PIL reads: leave the tag
                continue
            if not image:
                continue
            pieces += [data[last:m.start()], f"<p>{_MARK.format(len(frames))}</p>".encode()]
            last = m.end()
            frames.append(image)
        if not frames:
            raise GovReportError(path, "no local table images")  # pragma: no cover - recognise
        marked = b"".join(pieces) + data[last:]
        try:
            html = read_html(marked, path=path, sha256=sha256, options=opts)
            text, tables = html.pages[0].text, html.tables
        except GovReportError:
            html, text, tables = None, "", []
        pages: list[Page] = []
        pos, number = 0, 0
        for m in list(_MARK_RE.finditer(text)) + [None]:
            end = m.start() if m is not None else len(text)
            segment = Page(number=None, text=text[pos:end].strip("\n"))
            lead = len(text[pos:end]) - len(text[pos:end].lstrip("\n"))
            segment.tables = [t for t in tables if pos <= t.offset <= end]
            for t in segment.tables:
                t.offset = max(0, min(t.offset - pos - lead, len(segment.text)))
            if segment.text.strip() or segment.tables:
                pages.append(segment)
            if m is None:
                break
            for pixels, scale in frames[int(m.group(1))]:
                number += 1
                pages.append(_ocr_page(number, pixels, scale))
            pos = m.end()
        _renumber(pages)
        return Document(path=path, sha256=sha256, kind="html", pages=pages,
                        title_hint=html.title_hint if html is not None else None,
                        encoding=html.encoding if html is not None else None,
                        ocr_pages=[p.number for p in pages if p.number is not None])
