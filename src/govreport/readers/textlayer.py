"""Does a page carry a usable text layer, or is it a scan that needs OCR?

One decision shared by every reader of fixed-layout pages (the PDF reader asks it per
page; an OCR plugin fills in the pages it says no to). A page is a scan when it shows an
image and its text layer has next to no readable characters: nothing at all, only a
page number or a stamp's caption, or glyph codes without a Unicode map.
"""
from __future__ import annotations

import re

_CID = re.compile(r"\(cid:\d+\)")
#: fewer readable characters than this on a page with an image: the page is a scan
MIN_READABLE_CHARS = 20


def readable_chars(text: str) -> int:
    """Characters a reader can use: not blanks, not (cid:N), not private-use or U+FFFD."""
    text = _CID.sub("", text)
    return sum(1 for ch in text if not ch.isspace() and ch != "\ufffd"
               and not (0xE000 <= ord(ch) <= 0xF8FF))


def usable_text_layer(text: str, has_images: bool) -> bool:
    """True when the page's own text can be read; False for a scan (an image with no,
    or almost no, readable text over it). A page without an image keeps its text
    layer however short it is (a blank page is not a scan)."""
    if not has_images:
        return True
    return readable_chars(text) >= MIN_READABLE_CHARS
