"""jieba's dictionary segmentation (``Tokenizer.cut(text, HMM=False)``), exactly, faster.

Per-report keywords cut up to 20,000 characters of report text; in jieba that is a DAG
dict of candidate word ends per character, then a second pass taking the best route
through it with a generator of tuples per character — the largest single cost of a parse
after reading the PDF. :func:`cut` runs the same two steps fused into one backward pass
over the block (a character's candidate ends only look forward, so they can be found
where the route needs them): the same dictionary lookups, the same sums in the same
order, and the same tie-break (the longest word among equal scores), so the same words.
``tests/test_segment.py`` compares it with jieba on every corpus text and random text.
"""
from __future__ import annotations

from math import log
from typing import Any

_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def cut(tokenizer: Any, text: str) -> list[str]:
    """``list(tokenizer.cut(text, HMM=False))``, for a ``jieba.Tokenizer``."""
    import jieba

    tokenizer.check_initialized()
    ensure = getattr(tokenizer.FREQ, "ensure", None)
    if ensure is not None:  # the lazily loaded dictionary (lexicon.LazyFreq)
        ensure(text)
    freq = tokenizer.FREQ
    logtotal = log(tokenizer.total)
    re_han, re_skip = jieba.re_han_default, jieba.re_skip_default
    out: list[str] = []
    for block in re_han.split(text):
        if not block:
            continue
        if re_han.match(block):
            _cut_block(block, freq, logtotal, out)
        else:
            for piece in re_skip.split(block):
                if re_skip.match(piece):
                    out.append(piece)
                else:
                    out.extend(piece)  # one token per character
    return out


def _cut_block(s: str, freq: Any, logtotal: float, out: list[str]) -> None:
    n = len(s)
    score = [0.0] * (n + 1)
    end = [0] * (n + 1)
    get = freq.get  # one lookup per fragment (the values are counts, never None)
    for k in range(n - 1, -1, -1):
        best = None
        best_end = k
        i = k
        f = first = get(s[k])
        while f is not None:
            if f:  # a word (a zero is a prefix of longer words only)
                v = log(f) - logtotal + score[i + 1]
                if best is None or v >= best:  # later ends win ties, as max() of (v, end)
                    best, best_end = v, i
            i += 1
            if i >= n:
                break
            f = get(s[k:i + 1])
        if best is None:  # no word starts here: the character alone
            best = log(first or 1) - logtotal + score[k + 1]
        score[k] = best
        end[k] = best_end
    x = 0
    buf = ""
    while x < n:
        y = end[x] + 1
        word = s[x:y]
        if y - x == 1 and word in _ASCII_ALNUM:  # runs of single letters/digits join
            buf += word
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(word)
        x = y
    if buf:
        out.append(buf)
