"""Sentences of a section for the prose extractors, with offsets back into ``section.text``.

PDF and markdown sources break lines in the middle of words ("主动公开各类政⏎府信息"), so
matching runs on a *flat* view of the section: single line breaks are dropped, a blank line
(or a line break after a sentence end) is a sentence boundary.  Every flat offset maps back
to an offset in ``section.text``, which is what ``context.fact(span=...)`` wants.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_SENTENCE_END = "。；;！!？?"
_SENTENCE_ENDS = re.compile("[" + re.escape(_SENTENCE_END) + "]")
_CLAUSE_END = "，,：:"


@dataclass
class Flat:
    """``text`` without line breaks; ``index[i]`` is the offset of ``text[i]`` in the source."""

    text: str
    index: list[int]
    breaks: set[int]  # flat offsets where a paragraph boundary was removed

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source (section.text) span of the flat span ``[start, end)``."""
        if not self.index:
            return 0, 0
        start = max(0, min(start, len(self.index) - 1))
        end = max(start + 1, min(end, len(self.index)))
        return self.index[start], self.index[end - 1] + 1


_LINE_BREAKS = re.compile("[\r\n][\r\n \t\u3000]*")


def flatten(text: str) -> Flat:
    """Drop each run of line breaks (with the blanks between them), marking a boundary
    where the run holds a blank line, follows a sentence end, a colon or nothing, or
    touches a markdown table row."""
    out: list[str] = []
    index: list[int] = []
    breaks: set[int] = set()
    n = len(text)
    i = size = 0
    prev = ""
    for m in _LINE_BREAKS.finditer(text):
        a, j = m.span()
        if a > i:
            out.append(text[i:a])
            index.extend(range(i, a))
            size += a - i
            prev = text[a - 1]
        if text.count("\n", a, j) >= 2 or not prev or prev in _SENTENCE_END or prev in "：:":
            breaks.add(size)
        elif prev == "|" or (j < n and text[j] == "|"):
            breaks.add(size)  # markdown table rows are not prose
        i = j
    if i < n:
        out.append(text[i:])
        index.extend(range(i, n))
    return Flat("".join(out), index, breaks)


@dataclass
class Sentence:
    text: str
    start: int  # flat offsets
    end: int

    def clauses(self) -> list[tuple[int, str]]:
        """(offset within the sentence, clause text) split at commas and colons."""
        parts, pos = [], 0
        for m in re.finditer(r"[，,：:]", self.text):
            parts.append((pos, self.text[pos:m.start()]))
            pos = m.end()
        parts.append((pos, self.text[pos:]))
        return parts

    def clause_at(self, offset: int) -> tuple[int, str]:
        """The clause holding sentence offset ``offset``."""
        found = (0, self.text)
        for start, clause in self.clauses():
            if start <= offset:
                found = (start, clause)
        return found


# A run-in sub-heading ("…工作情况（一）申请情况2013年…") starts a new sentence.
_HEADING_MARK = re.compile(r"(?<![、，,（(\d])(?=[（(][一二三四五六七八九十]{1,3}[)）]|"
                           r"[一二三四五六七八九十]{1,3}、)")


def sentences(flat: Flat) -> list[Sentence]:
    """Sentences of the flat text: cut after 。；！？, at paragraph breaks and before headings."""
    out: list[Sentence] = []
    start = 0
    text = flat.text
    n = len(text)
    cuts = {m.start() for m in _HEADING_MARK.finditer(text)} | flat.breaks
    cuts.update(m.end() for m in _SENTENCE_ENDS.finditer(text))
    for cut in sorted(c for c in cuts if 0 < c <= n):
        if text[start:cut].strip():
            out.append(Sentence(text[start:cut], start, cut))
        start = cut
    if text[start:].strip():
        out.append(Sentence(text[start:], start, len(text)))
    return out


@dataclass
class Candidate:
    key: str
    value: object
    sentence: Sentence
    start: int  # flat offsets of the evidence (the number, or the negation)
    end: int
    priority: int = 1  # lower is better
    evidence: str = "number"  # number | negation | quantifier | table
    section_index: int = 0
    order: int = 0
    extra: dict = field(default_factory=dict)


@dataclass
class Missing:
    """A sentence that names a count but prints no number."""

    keys: list[str]
    sentence: Sentence
    start: int
    end: int
    section_index: int = 0
