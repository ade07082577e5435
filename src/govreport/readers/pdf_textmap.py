"""pdfplumber's text layout (``chars_to_textmap``), exactly, for a page of upright text.

pdfplumber lays a page out in three passes — chars into lines (clusters of ``top``
within the y tolerance), lines into words (a break at a blank char, a step back, a gap
wider than the x tolerance or a jump in ``top``), words into text lines (clusters of the
words' ``top``, in reading order) — through generators, direction-generic key functions
and a dict per word. Report pages are upright text (horizontal, or WPS's stacked
vertical labels, whose chars are upright too), and for them the same passes fit in a
few loops: this module runs them and builds pdfplumber's own ``TextMap`` of the result,
the same letters paired with the same chars (and ``extract_text``, which table cells
are read with, the same way). Anything else — a rotated char, a char without text —
goes to pdfplumber itself. Property tests compare the two on random pages and cells and
on every PDF the tests hold.
"""
from __future__ import annotations

from typing import Any


def chars_to_textmap(chars: list[dict[str, Any]], bbox: tuple[float, float, float, float]):
    """pdfplumber's ``chars_to_textmap(chars, layout_bbox=bbox, layout_width=…,
    layout_height=…)`` (``layout=False``: the widths only matter for layout=True)."""
    from pdfplumber.utils.text import (
        DEFAULT_X_TOLERANCE,
        DEFAULT_Y_TOLERANCE,
        LIGATURES,
        TextMap,
    )

    if not _upright_text(chars) or DEFAULT_X_TOLERANCE != 3 or DEFAULT_Y_TOLERANCE != 3:
        from pdfplumber.utils import chars_to_textmap as reference

        x0, top, x1, bottom = bbox
        return reference(chars, layout_bbox=bbox, layout_width=x1 - x0,
                         layout_height=bottom - top)
    words: list[tuple[float, list[dict[str, Any]]]] = []  # (top, chars) per word
    for line in _clusters(chars):
        line.sort(key=_x0)  # stable, as pdfplumber's sort by (x0, x0)
        _words(line, words)
    tuples: list[tuple[str, dict[str, Any] | None]] = []
    ids = _cluster_ids([top for top, _ in words])
    last = -1
    line_len = 0
    for top, word_chars in words:
        k = ids[top]
        if k != last:  # a new text line: consecutive words of one cluster share a line
            if last >= 0:
                tuples.append(("\n", None))
            last = k
            line_len = 0
        elif line_len:
            tuples.append((" ", None))
        for c in word_chars:
            text = c["text"]
            for letter in LIGATURES.get(text, text):
                tuples.append((letter, c))
        line_len = 1
    return TextMap(tuples, line_dir_render="ttb", char_dir_render="ltr")


def extract_text(chars: list[dict[str, Any]]) -> str:
    """pdfplumber's ``extract_text(chars)`` (``layout=False``): the words as above,
    clustered into lines by their ``top`` (in cluster order), spaces between words."""
    from pdfplumber.utils.text import LIGATURES

    if not _upright_text(chars):
        from pdfplumber.utils import extract_text as reference

        return reference(chars)
    words: list[tuple[float, list[dict[str, Any]]]] = []
    for line in _clusters(chars):
        line.sort(key=_x0)
        _words(line, words)
    ids = _cluster_ids([top for top, _ in words])
    lines: dict[int, list[str]] = {}
    for top, word_chars in words:
        text = "".join(LIGATURES.get(c["text"], c["text"]) for c in word_chars)
        lines.setdefault(ids[top], []).append(text)
    return "\n".join(" ".join(lines[k]) for k in sorted(lines))


def _x0(c: dict[str, Any]) -> float:
    return c["x0"]


def _upright_text(chars: list[dict[str, Any]]) -> bool:
    """Every char upright, with text and a box (NaN is not equal to itself)."""
    for c in chars:
        if not c["upright"] or not c["text"] or c["top"] != c["top"] or c["x0"] != c["x0"] \
                or c["x1"] != c["x1"]:
            return False
    return True


def _cluster_ids(values: list[float]) -> dict[float, int]:
    """pdfplumber's ``make_cluster_dict`` with the tolerance 3: each distinct value →
    the index of its cluster (sorted values, a new cluster after a gap over 3)."""
    out: dict[float, int] = {}
    k = -1
    last = None
    for v in sorted(set(values)):
        if last is None or not v <= last + 3:
            k += 1
        out[v] = k
        last = v
    return out


def _clusters(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """pdfplumber's ``cluster_objects(chars, top, 3)``: lines in cluster order, each
    in the chars' own order."""
    ids = _cluster_ids([c["top"] for c in chars])
    lines: dict[int, list[dict[str, Any]]] = {}
    for c in chars:
        k = ids[c["top"]]
        line = lines.get(k)
        if line is None:
            lines[k] = [c]
        else:
            line.append(c)
    return [lines[k] for k in sorted(lines)]


def _words(line: list[dict[str, Any]], out: list) -> None:
    """pdfplumber's ``iter_chars_to_words`` for left-to-right text with the default
    tolerances, each word as (its top, its chars)."""
    word: list[dict[str, Any]] = []
    top = 0.0
    prev: dict[str, Any] = {}
    for c in line:
        if c["text"].isspace():
            if word:
                out.append((top, word))
                word = []
            continue
        ctop = c["top"]
        if word:
            x0 = c["x0"]
            if x0 < prev["x0"] or x0 > prev["x1"] + 3 or abs(ctop - prev["top"]) > 3:
                out.append((top, word))
                word = [c]
                top = ctop
            else:
                word.append(c)
                if ctop < top:
                    top = ctop
        else:
            word = [c]
            top = ctop
        prev = c
    if word:
        out.append((top, word))
