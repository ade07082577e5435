"""The flat view and its sentences, against their definitions character by character."""
from __future__ import annotations

import random

from govreport import fixtures as F
from govreport.extractors.prose_text import _SENTENCE_END, flatten, sentences


def _flatten_by_char(text: str):
    """The definition: walk the text; a run of line breaks (and the blanks among them)
    is dropped, and marks a boundary after a blank line, a sentence end, a colon, nothing,
    or next to a markdown table row."""
    out, index, breaks = [], [], set()
    i, n = 0, len(text)
    while i < n:
        if text[i] in "\r\n":
            j, newlines = i, 0
            while j < n and text[j] in "\r\n \t\u3000":
                newlines += text[j] == "\n"
                j += 1
            prev = out[-1] if out else ""
            if newlines >= 2 or not prev or prev in _SENTENCE_END or prev in "：:":
                breaks.add(len(out))
            elif prev == "|" or (j < n and text[j] == "|"):
                breaks.add(len(out))
            i = j
            continue
        out.append(text[i])
        index.append(i)
        i += 1
    return "".join(out), index, breaks


def _sentences_by_char(flat) -> list[tuple[str, int, int]]:
    import re
    heads = {m.start() for m in re.finditer(r"(?<![、，,（(\d])(?=[（(][一二三四五六七八九十]{1,3}[)）]|"
                                            r"[一二三四五六七八九十]{1,3}、)", flat.text)}
    out, start, text = [], 0, flat.text
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END or (i + 1) in flat.breaks or (i + 1) in heads:
            if text[start:i + 1].strip():
                out.append((text[start:i + 1], start, i + 1))
            start = i + 1
    if text[start:].strip():
        out.append((text[start:], start, len(text)))
    return out


def _texts():
    rng = random.Random(61)
    pieces = ["申请", "公开", "。", "；", "：", "，", "\n", "\n\n", "\r\n", " \n ", "\u3000\n",
              "|", "| 1 |", "（一）", "二、", "3、", "2024年", " ", "\t", "?", "!"]
    yield F.render_text(F.default_spec())
    yield F.render_text(F.default_spec(era="pre2019"))
    for _ in range(3000):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))


def test_flat_view_and_sentences_match_their_definitions():
    for text in _texts():
        flat = flatten(text)
        assert (flat.text, flat.index, flat.breaks) == _flatten_by_char(text), repr(text)
        got = [(s.text, s.start, s.end) for s in sentences(flat)]
        assert got == _sentences_by_char(flat), repr(text)
