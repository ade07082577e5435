"""Plain text: crawler dumps, copied snippets, anything without markup.

The text is kept as is (newlines normalised): later stages cope with bodies flattened to
one line. Crawler dumps start with header lines (``标题: …``, ``发布时间: …``,
``原文链接: …``, ``==== 正文 ====``); the ``标题:`` line gives ``title_hint``.
"""
from __future__ import annotations

import re

from ..model import Document, Page
from ._common import guess_title, normalize_newlines

_TITLE_FIELD = re.compile(r"^[ \t\ufeff]*(?:标题|標題|title)[ \t]*[:：][ \t]*(\S.*?)[ \t]*$", re.M | re.I)


def read_text_str(text: str, *, path: str = "<bytes>", sha256: str = "",
                  encoding: str | None = None) -> Document:
    text = normalize_newlines(text)
    return Document(path=path, sha256=sha256, kind="text",
                    pages=[Page(number=None, text=text, tables=[])],
                    title_hint=text_title(text), encoding=encoding)


def text_title(text: str) -> str | None:
    head = text[:4000]
    m = _TITLE_FIELD.search(head)
    if m and m.start() < 2000:
        title = m.group(1).strip(" \t|")
        if title:
            return title
    return guess_title(head)
