"""Small helpers shared by the readers (no heavy imports here)."""
from __future__ import annotations

import re

_WS_RUN = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u3000\u2002\u2003\u2009\u200b]+")


def _wide(ch: str) -> bool:
    """A character after/before which a line break is not a word break (CJK, fullwidth)."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF      # CJK radicals, punctuation, kana, hanzi
        or 0xF900 <= o <= 0xFAFF   # compatibility ideographs
        or 0xFF00 <= o <= 0xFFEF   # fullwidth forms
        or 0x20000 <= o <= 0x3FFFF
        or o in (0x201C, 0x201D, 0x2018, 0x2019, 0x2014, 0x2026, 0x00B7)
    )


def join_lines(text: str | None) -> str | None:
    """Join the lines of a table cell: nothing between CJK characters, a space otherwise.

    "本年新\\n制作数量" -> "本年新制作数量", "商业\\n企业" -> "商业企业",
    "1\\n2" -> "1 2". Runs of spaces collapse; the result is stripped.
    """
    if text is None:
        return None
    if "\n" in text or "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        joined: str = text

        def repl(m: re.Match[str]) -> str:
            s, e = m.start(), m.end()
            before = joined[s - 1] if s > 0 else ""
            after = joined[e] if e < len(joined) else ""
            if not before or not after:
                return ""
            if _wide(before) or _wide(after):
                return ""
            return " "

        text = _WS_RUN.sub(repl, text)
    return _SPACES.sub(" ", text).strip()


def normalize_newlines(text: str) -> str:
    """CRLF/CR -> LF; NUL bytes (never content) dropped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


_TITLE_BAD = re.compile(r"[。，；;,:：]|https?://|www\.")
_TITLE_PREFIX_BAD = re.compile(r"^(本报告|本年度报告|本年报|报告|根据|根據"
                               r"|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_TITLE_NEEDS = re.compile(r"公开|公開|年报|年報")
_YEAR_START = re.compile(r"^(19|20)\d\d")


def guess_title(text: str, *, max_lines: int = 8) -> str | None:
    """Guess a report title from the first lines of a text: a short line with 报告 and
    公开, joined with the preceding line when the title is broken over two lines
    ("洪泽区人民政府" / "2023 年政府信息公开工作年度报告")."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip().strip("|#").strip()
        if line:
            lines.append(line)
        if len(lines) >= max_lines:
            break
    for i, line in enumerate(lines):
        if "报告" not in line and "報告" not in line:
            continue
        if len(line) > 60 or _TITLE_BAD.search(line) or _TITLE_PREFIX_BAD.match(line):
            continue
        title = line
        if i > 0 and (_YEAR_START.match(line) or len(line) < 10):
            prev = lines[i - 1]
            if (len(prev) <= 30 and not _TITLE_BAD.search(prev) and not _TITLE_PREFIX_BAD.match(prev)
                    and "报告" not in prev and "報告" not in prev and "年报" not in prev
                    and prev not in ("正文", "全文")
                    and not re.search(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}", prev)):
                title = prev + line
        if not _TITLE_NEEDS.search(title):
            continue
        return title
    return None
