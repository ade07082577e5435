"""Our text layout of upright pages is pdfplumber's ``chars_to_textmap``, letter for letter."""
from __future__ import annotations

import random

import pytest
from pdfplumber.utils import chars_to_textmap as reference

from _corpus import CORPUS
from govreport import fixtures as F
from govreport.readers.pdf_pdfium import PdfiumPages
from govreport.readers.pdf_pdfminer import PdfminerPages
from govreport.readers.pdf_textmap import chars_to_textmap

BBOX = (0.0, 0.0, 595.0, 842.0)


def _theirs(chars, bbox=BBOX):
    return reference(chars, layout_bbox=bbox, layout_width=bbox[2] - bbox[0],
                     layout_height=bbox[3] - bbox[1])


def _same(chars, bbox=BBOX) -> None:
    ours, theirs = chars_to_textmap(chars, bbox), _theirs(chars, bbox)
    assert ours.as_string == theirs.as_string
    assert [(t, id(c) if c is not None else None) for t, c in ours.tuples] == \
        [(t, id(c) if c is not None else None) for t, c in theirs.tuples]


def _random_chars(rng: random.Random) -> list[dict]:
    """Lines of chars near each other: tops within and just past the tolerance, gaps
    around it, overlaps, spaces, ligatures, the odd char out of order."""
    alphabet = list("政府信息公开申请件数0123456789.,-") + [" ", "\u3000", "ﬁ", "ﬀ"]
    chars = []
    y = rng.uniform(20, 60)
    for _ in range(rng.randint(1, 12)):
        y += rng.choice((0.0, 1.5, 2.9, 3.0, 3.1, 6.0, 12.0, 14.5))
        x = rng.uniform(10, 200)
        for _ in range(rng.randint(1, 14)):
            w = rng.choice((4.5, 9.0, 10.5, rng.uniform(1, 12)))
            top = y + rng.choice((0.0, 0.0, 0.0, 0.4, -0.4, 2.99, 3.01))
            chars.append({"text": rng.choice(alphabet), "x0": x, "x1": x + w, "top": top,
                          "bottom": top + 10.5, "doctop": top, "upright": True,
                          "size": 10.5, "width": w, "height": 10.5})
            x += w + rng.choice((0.0, 0.0, 0.5, 2.99, 3.0, 3.01, 8.0, -3.0, -w - 5))
    if rng.random() < 0.3:
        rng.shuffle(chars)
    elif rng.random() < 0.3 and len(chars) > 2:
        i = rng.randrange(len(chars) - 1)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return chars


def test_random_upright_pages_lay_out_as_pdfplumber_does():
    rng = random.Random(41)
    for _ in range(1500):
        _same(_random_chars(rng))


def test_cells_of_several_lines_read_as_pdfplumber_reads_them():
    from pdfplumber.utils import extract_text as reference

    from govreport.readers.pdf_textmap import extract_text

    rng = random.Random(43)
    for _ in range(1500):
        chars = _random_chars(rng)
        assert extract_text(chars) == reference(chars)
        chars[rng.randrange(len(chars))]["upright"] = False
        assert extract_text(chars) == reference(chars)


def test_other_pages_go_to_pdfplumber():
    rng = random.Random(42)
    for _ in range(100):
        chars = _random_chars(rng)
        chars[rng.randrange(len(chars))]["upright"] = False  # rotated text
        _same(chars)
        chars[rng.randrange(len(chars))]["text"] = ""
        _same(chars)


def _pdfs(tmp_path) -> list:
    specs = [F.default_spec(), F.default_spec(variant="2019", wrap_labels=True),
             F.default_spec(era="pre2019"), F.random_spec(5, traditional=True, blank_rate=0.3)]
    pdfs = [F.render_pdf(spec, tmp_path / f"{i}.pdf") for i, spec in enumerate(specs)]
    return pdfs + (sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else [])


@pytest.mark.parametrize("engine", [PdfiumPages, PdfminerPages])
def test_every_test_pdf_page_lays_out_as_pdfplumber_does(engine, tmp_path):
    pages = 0
    for pdf in _pdfs(tmp_path):
        doc = engine(pdf.read_bytes(), "")
        try:
            for objs in doc.pages():
                _same(objs.chars, objs.bbox)
                pages += 1
        finally:
            doc.close()
    assert pages >= 4
