"""Where a prose fact's number sits in its sentence, so its ``bbox`` frames the number.

A prose fact's provenance ``text`` is the whole sentence; the view draws a box over the
number. The number is found in the sentence as printed: its digits (ASCII or full-width,
thousands separators allowed) not touching other digits. Several matches: the one
nearest the extractor's hint (``value_span``, taken as offsets in the sentence). No
printed digits (a number in Chinese numerals, a zero stated as 没有…): the hint when it
lands on text, else None and the box is the sentence's.
"""
from __future__ import annotations

import re
from typing import Any

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def number_span(sentence: str, value: Any, hint: Any = None) -> tuple[int, int] | None:
    """(start, end) of ``value`` as printed in ``sentence``, or None."""
    guess = None
    if isinstance(hint, (list, tuple)) and len(hint) == 2 and 0 <= hint[0] < hint[1] <= len(sentence):
        guess = (int(hint[0]), int(hint[1]))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return guess if guess and sentence[guess[0]:guess[1]].strip() else None
    if isinstance(value, float) and not value.is_integer():
        digits = f"{value}".rstrip("0")
    else:
        digits = str(int(value))
    parts = [re.escape(ch) for ch in digits.lstrip("-")]
    pattern = re.compile(r"(?<![\d.])" + r"[,，\s]?".join(parts) + r"(?![\d])")
    text = sentence.translate(_FULLWIDTH)
    found = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if not found:
        return guess if guess and sentence[guess[0]:guess[1]].strip() else None
    if len(found) == 1 or guess is None:
        return found[0] if len(found) == 1 else None
    return min(found, key=lambda s: abs(s[0] - guess[0]))
