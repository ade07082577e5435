"""The prose reader's lexicon: words kept as data (``govreport/data/prose_lexicon.json``).

The data names what is counted (concepts), the verbs that count it, units, scope words
(全年 / 累计 / 其中 / 分别 / channels) and the words of negation.  This module turns each
word list into a regex alternation (longest first, so 门户网站 wins over 网站) that also
accepts the Traditional form of every word (``traditional_chars`` / ``traditional_words``
in the data): the pipeline normalises Traditional text to Simplified, but a reader that
is handed raw text must not lose a fact because of its script.
"""
from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any


@functools.lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    """The lexicon as loaded from the package data."""
    text = resources.files("govreport").joinpath("data/prose_lexicon.json").read_text("utf-8")
    return json.loads(text)


@functools.lru_cache(maxsize=1)
def _to_traditional() -> dict[str, str]:
    """Simplified character -> its first Traditional form in ``traditional_chars``."""
    to_trad: dict[str, str] = {}
    for trad, simple in data()["traditional_chars"].items():
        to_trad.setdefault(simple, trad)
    return to_trad


def _traditional(word: str) -> set[str]:
    lex = data()
    to_trad = _to_traditional()
    forms = {"".join(to_trad.get(ch, ch) for ch in word)}
    for trad, simple in lex["traditional_words"].items():
        if simple in word:
            forms.add(word.replace(simple, trad))
    return forms - {word}


def words(path: str) -> list[str]:
    """The word list at ``path`` ("proactive/objects"), Traditional forms included."""
    node: Any = data()
    for part in path.split("/"):
        node = node[part]
    out: set[str] = set()
    for w in node:
        out.add(w)
        out |= _traditional(w)
    return sorted(out, key=lambda w: (-len(w), w))


@functools.cache
def alt(path: str) -> str:
    """``(?:w1|w2|…)`` for the word list at ``path``, longest first."""
    return "(?:" + "|".join(re.escape(w) for w in words(path)) + ")"


@functools.cache
def rx(path: str) -> re.Pattern[str]:
    """The compiled alternation of the word list at ``path``."""
    return re.compile(alt(path), re.I)
