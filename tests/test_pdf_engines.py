"""The PDFium engine against the pdfminer reference, on every PDF we hold or can make.

Same facts, same provenance; the only explained difference is the boxes' geometry in
two font metrics the engines read from different places: the descent (pdfminer: the
font descriptor's /Descent; PDFium: the font program), which moves a box up or down by
a fraction of its font size, and a glyph's advance (pdfminer: the /W widths; PDFium:
the font program when they disagree), which moves its right edge. Text, tables and
table offsets are compared exactly.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import govreport
from _corpus import CORPUS
from _printed_pdf import print_html
from govreport import fixtures as F
from govreport.options import Options
from govreport.readers import read_document

ROOT = Path(__file__).resolve().parents[1]

# fixture layouts: every table variant, split and wrapped tables, Traditional script,
# blank cells, the pre-2019 prose report
SPECS = {
    "rl-2021": lambda: F.default_spec(),
    "rl-2019": lambda: F.default_spec(variant="2019"),
    "rl-mixed": lambda: F.default_spec(variant="mixed"),
    "rl-pre2019": lambda: F.default_spec(era="pre2019"),
    "rl-wrap-split": lambda: F.random_spec(3, wrap_labels=True, split_table3_at_row=9),
    "rl-trad-blank": lambda: F.random_spec(5, traditional=True, blank_rate=0.3),
    "rl-2019-random": lambda: F.random_spec(11, variant="2019"),
}
PRINTED = {
    "chromium-2021": ("chromium", lambda: F.random_spec(7)),
    "chromium-2019-wrap": ("chromium", lambda: F.default_spec(variant="2019", wrap_labels=True)),
    "libreoffice-2021": ("libreoffice", lambda: F.random_spec(8, split_table3_at_row=12)),
    "libreoffice-2019-wrap": ("libreoffice", lambda: F.default_spec(variant="2019", wrap_labels=True)),
}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("engines")


def _pdf(name: str, made: Path) -> Path:
    out = made / f"{name}.pdf"
    if out.is_file():
        return out
    if name in SPECS:
        return F.render_pdf(SPECS[name](), out)
    printer, spec = PRINTED[name]
    got = print_html(F.render_html(spec()), out, printer)
    if got is None:
        pytest.skip(f"{printer} not available")
    return got


def _shared() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []


def _sources(made: Path, name: str) -> Path:
    if name.startswith("corpus:"):
        return CORPUS / name.split(":", 1)[1]
    if name == "sample":
        return ROOT / "samples" / "sample-report.pdf"
    return _pdf(name, made)


ALL = (["sample"] + list(SPECS) + list(PRINTED)
       + [f"corpus:{n}" for n in _shared()])


def _close(a: list[float], b: list[float]) -> bool:
    """Boxes equal up to the explained font-metric differences (points)."""
    height = max(a[3] - a[1], 1.0)
    return (abs(a[0] - b[0]) <= 1.0 and abs(a[2] - b[2]) <= 2.0
            and abs(a[1] - b[1]) <= 0.3 * height and abs(a[3] - b[3]) <= 0.3 * height)


@pytest.mark.parametrize("name", ALL)
def test_pdfium_reads_what_pdfminer_reads(name, made):
    data = _sources(made, name).read_bytes()
    ref = read_document(data, options=Options(pdf_engine="pdfminer"))
    new = read_document(data, options=Options(pdf_engine="pdfium"))
    assert [p.text for p in new.pages] == [p.text for p in ref.pages]
    assert [(t.page, t.offset, t.rows) for t in new.tables] == \
        [(t.page, t.offset, t.rows) for t in ref.tables]
    for pa, pb in zip(ref.pages, new.pages):
        assert len(pb.boxes) == len(pa.boxes) == 4 * len(pa.text)
        for i in range(len(pa.text)):
            a, b = list(pa.boxes[4 * i:4 * i + 4]), list(pb.boxes[4 * i:4 * i + 4])
            assert (a[0] == a[0]) == (b[0] == b[0]), (pa.number, i, pa.text[i])
            if a[0] == a[0]:
                assert _close(a, b), (pa.number, pa.text[i], a, b)


@pytest.mark.parametrize("name", ALL)
def test_same_facts_and_provenance(name, made):
    data = _sources(made, name).read_bytes()
    ref = govreport.parse(data, options=Options(pdf_engine="pdfminer"))
    new = govreport.parse(data, options=Options(pdf_engine="pdfium"))
    assert new.facts == ref.facts
    assert new.provenance.keys() == ref.provenance.keys()
    for key, p in ref.provenance.items():
        q = new.provenance[key]
        assert {k: v for k, v in q.items() if k != "bbox"} == \
            {k: v for k, v in p.items() if k != "bbox"}, key
        assert "bbox" in p and "bbox" in q, key  # every fact read from a PDF has a box
        assert _close(p["bbox"], q["bbox"]), (key, p["bbox"], q["bbox"])
    assert [c.to_dict() for c in new.checks] == [c.to_dict() for c in ref.checks]


@pytest.mark.parametrize("engine", ["pdfium", "pdfminer"])
@pytest.mark.parametrize("name", ["rl-2021", "rl-wrap-split", "chromium-2021"])
def test_bbox_frames_the_printed_number(name, engine, made):
    """Independent oracle: pdfplumber's own chars inside a fact's box spell its text."""
    import pdfplumber

    path = _sources(made, name)
    report = govreport.parse(path, options=Options(pdf_engine=engine))
    checked = 0
    with pdfplumber.open(path) as pdf:
        for key, prov in report.provenance.items():
            want = "".join(prov["text"].split())
            value = report.facts[key]
            if "value_span" in prov:  # a sentence: the box frames its number
                if not isinstance(value, int) or str(value) not in want:
                    continue
                want = str(value)
            if not want or not any(ch.isdigit() for ch in want):
                continue
            page = pdf.pages[prov["page"] - 1]
            x0, top, x1, bottom = prov["bbox"]
            inside = [c for c in page.chars
                      if x0 - 0.5 <= (c["x0"] + c["x1"]) / 2 <= x1 + 0.5
                      and top - 0.5 <= (c["top"] + c["bottom"]) / 2 <= bottom + 0.5]
            got = "".join(c["text"] for c in inside if not c["text"].isspace())
            assert want in got, (key, prov)
            checked += 1
    assert checked >= 100


def _rotated_pdf(path: Path) -> Path:
    """Text rotated by ±90° and 180°, pages rotated by 90° and 270°, vertical writing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    vertical = UnicodeCIDFont("STSong-Light", isVertical=True)
    vertical.name = vertical.fontName = "STSong-Light-V"
    pdfmetrics.registerFont(vertical)
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    c.drawString(72, 750, "政府信息公开工作年度报告 2024年")
    for x, y, angle, text in ((300, 400, 90, "旋转文字 共受理申请21件"),
                              (400, 400, -90, "反向旋转 共12件"), (100, 300, 180, "倒置 3件")):
        c.saveState()
        c.translate(x, y)
        c.rotate(angle)
        c.drawString(0, 0, text)
        c.restoreState()
    c.showPage()
    for rotation in (90, 270):
        c.setPageRotation(rotation)
        c.setFont("STSong-Light", 12)
        c.drawString(72, 750, f"横向页面{rotation} 申请人情况 65件")
        c.drawString(72, 730, "第二行 12件")
        c.showPage()
    c.setPageRotation(0)
    c.setFont("STSong-Light-V", 12)
    c.drawString(200, 700, "三、本年度办理结果")
    c.showPage()
    c.save()
    return path


def test_rotated_and_vertical_text(made):
    data = _rotated_pdf(made / "rotated.pdf").read_bytes()
    ref = read_document(data, options=Options(pdf_engine="pdfminer"))
    new = read_document(data, options=Options(pdf_engine="pdfium"))
    assert [p.text for p in new.pages] == [p.text for p in ref.pages]
    flat = ["".join(p.text.split()) for p in new.pages]
    assert "件12请申理受共" in flat[0] and "反向旋转共12件" in flat[0]   # ±90° text
    assert "横向页面90" in flat[1] and "面页向横" in flat[2]            # 90° / 270° pages
    assert flat[3] == "三、本年度办理结果"                              # vertical writing
    # rotated text keeps its boxes on the page, next to where it was drawn
    for pa, pb in zip(ref.pages[:3], new.pages[:3]):
        for i, ch in enumerate(pa.text):
            a, b = list(pa.boxes[4 * i:4 * i + 4]), list(pb.boxes[4 * i:4 * i + 4])
            if a[0] == a[0]:
                assert _close(a, b), (pa.number, ch, a, b)
    # vertical writing: one 12 pt square per char, down a column at x = 194..206 (the
    # glyphs are centred on x = 200); pdfminer misplaces this font (no /W2 metrics)
    page = new.pages[3]
    boxes = [list(page.boxes[4 * i:4 * i + 4]) for i, ch in enumerate(page.text) if not ch.isspace()]
    assert all(abs(b[0] - 194) < 0.5 and abs(b[2] - 206) < 0.5 for b in boxes)
    tops = [b[1] for b in boxes]
    assert tops == sorted(tops) and abs(tops[1] - tops[0] - 12) < 0.5


def _no_fontbbox(data: bytes) -> bytes:
    """The PDF with its font descriptors' /FontBBox renamed (same length, xref intact):
    pdfminer then logs "Could not get FontBBox …" for every font it loads."""
    assert b"/FontBBox" in data
    return data.replace(b"/FontBBox", b"/FontBBoy")


def test_pdfminer_log_becomes_warnings_not_stderr(tmp_path):
    path = F.render_pdf(F.default_spec(), tmp_path / "r.pdf")
    bad = tmp_path / "nobbox.pdf"
    bad.write_bytes(_no_fontbbox(path.read_bytes()))
    report = govreport.parse(bad, options=Options(pdf_engine="pdfminer"))
    assert any(w.startswith("pdfminer: Could not get FontBBox") for w in report.warnings)
    assert report.facts == govreport.parse(path).facts
    for engine in ("pdfminer", "pdfium"):
        run = subprocess.run([sys.executable, "-m", "govreport.cli", "parse", str(bad),
                              "--pdf-engine", engine], capture_output=True, text=True)
        assert run.returncode == 0 and run.stdout and run.stderr == "", run.stderr
    run = subprocess.run([sys.executable, "-m", "govreport.cli", "parse", str(bad),
                          "--pdf-engine", "pdfminer", "-v"], capture_output=True, text=True)
    assert run.returncode == 0
    assert "govreport: warning: pdfminer: Could not get FontBBox" in run.stderr


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown PDF engine 'mupdf'"):
        Options(pdf_engine="mupdf")
    with pytest.raises(ValueError, match="unknown PDF engine"):
        govreport.parse(ROOT / "samples" / "sample-report.pdf", options={"pdf_engine": "mupdf"})
