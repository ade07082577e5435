"""The layout module's shortcut for table cells says what pdfplumber's extract_text says."""
from __future__ import annotations

import random

from pdfplumber.utils import extract_text

from govreport.readers.pdf_layout import _cell_text


def _char(text: str, x0: float, width: float, top: float, upright: bool = True) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 9,
            "doctop": top, "upright": upright, "size": 9.0, "height": 9.0, "width": width}


def test_cell_text_matches_extract_text_on_random_cells():
    rng = random.Random(17)
    alphabet = list("0123456789年件万元.,-/") + ["　", " ", "", "ﬁ", "(cid:3)"]
    for _ in range(3000):
        n = rng.randint(1, 7)
        top = rng.choice((100.0, 100.0, 100.0, 101.5, 104.5))
        chars, x = [], rng.uniform(0, 300)
        for _ in range(n):
            w = rng.uniform(2, 9)
            chars.append(_char(rng.choice(alphabet[:16]) if rng.random() < 0.9 else rng.choice(alphabet),
                               x, w, rng.choice((100.0, top)), upright=rng.random() < 0.97))
            x += w + rng.choice((0.0, 0.0, 0.5, 2.9, 3.0, 3.1, 6.0, -1.0))
        rng.shuffle(chars)
        assert _cell_text(chars, extract_text) == extract_text(chars), chars
