"""Pixels in, recognised characters with boxes and confidences out (rapidocr, offline).

rapidocr 3.x ships its PP-OCR models (detection, direction classifier, recognition) in
its wheel and only downloads a model that is missing — ``model_files()`` checks they are
all there before the engine is built, so a broken install fails loudly instead of
reaching for the network. One engine per process, built on first use (~1 s).

Pages are rendered with pypdfium2 at ``DPI`` (200: every character and number of a
ruled statistics table reads right, measured on real reports) in grayscale.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DPI = 200
#: points per pixel at ``DPI``
SCALE = 72.0 / DPI


@dataclass
class Glyph:
    """One recognised character: its text, box in pixels (x0, y0, x1, y1), confidence."""

    text: str
    box: tuple[float, float, float, float]
    score: float


@dataclass
class Line:
    """One recognised text line, as the recogniser returned it, with its characters."""

    text: str
    box: tuple[float, float, float, float]
    score: float
    glyphs: list[Glyph]


_ENGINE: Any = None
_LOCK = threading.Lock()


def model_files() -> list[Path]:
    """The model files inside the installed rapidocr package (raises when one is missing)."""
    import rapidocr

    folder = Path(rapidocr.__file__).parent / "models"
    found = sorted(folder.glob("*.onnx"))
    kinds = {k for f in found for k in ("det", "rec", "cls") if f"_{k}" in f.name}
    if kinds != {"det", "rec", "cls"}:
        raise RuntimeError(f"rapidocr's wheel lacks its models in {folder} (found "
                           f"{[f.name for f in found]}); reinstall rapidocr — govreport never "
                           f"downloads models")
    return found


def engine() -> Any:
    """The process's rapidocr engine (built once; threads from GOVREPORT_OCR_THREADS)."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            model_files()
            from rapidocr import RapidOCR

            threads = int(os.environ.get("GOVREPORT_OCR_THREADS", "0") or 0)
            params: dict[str, Any] = {"Global.log_level": "critical"}
            if threads > 0:
                params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
                params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
            _ENGINE = RapidOCR(params=params)
        return _ENGINE


def recognise(pixels: Any) -> list[Line]:
    """OCR a grayscale or RGB image (a numpy array): text lines with per-character boxes."""
    import numpy as np

    result = engine()(np.ascontiguousarray(pixels), return_word_box=True)
    txts = result.txts or ()
    if not txts:
        return []
    lines: list[Line] = []
    words = result.word_results or ((),) * len(txts)
    for text, score, quad, chars in zip(txts, result.scores, result.boxes, words):
        box = _rect(quad)
        glyphs = [Glyph(str(ch), _rect(q), float(s)) for ch, s, q in chars if str(ch).strip()]
        if "".join(g.text for g in glyphs) != "".join(str(text).split()):
            glyphs = _spread(str(text), box, float(score))
        lines.append(Line(str(text), box, float(score), glyphs))
    return lines


def _rect(quad: Any) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return (min(xs), min(ys), max(xs), max(ys))


def _spread(text: str, box: tuple[float, float, float, float], score: float) -> list[Glyph]:
    """Character boxes by even division of the line's box (when the recogniser gave none)."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return []
    x0, y0, x1, y1 = box
    w = (x1 - x0) / len(chars)
    return [Glyph(c, (x0 + i * w, y0, x0 + (i + 1) * w, y1), score) for i, c in enumerate(chars)]


def page_count(data: bytes, password: str | None = None) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data, password=password)
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_pdf_pages(data: bytes, numbers: list[int] | None = None, *,
                     password: str | None = None) -> list[tuple[int, Any]]:
    """(page number, grayscale pixels) of the PDF's pages (all, or ``numbers``, 1-based)."""
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data, password=password)
    try:
        wanted = numbers or list(range(1, len(pdf) + 1))
        out = []
        for n in wanted:
            page = pdf[n - 1]
            try:
                bitmap = page.render(scale=DPI / 72.0, grayscale=True)
                out.append((n, np.array(bitmap.to_pil().convert("L"))))
            finally:
                page.close()
        return out
    finally:
        pdf.close()


def image_frames(data: bytes) -> list[tuple[Any, float]]:
    """(grayscale pixels, points per pixel) for each frame of a PNG/JPEG/(multi-page) TIFF.

    The image's own resolution sets the scale when it states one (a 300 dpi scan), else
    ``DPI`` is assumed.
    """
    import io

    import numpy as np
    from PIL import Image, ImageSequence

    frames = []
    with Image.open(io.BytesIO(data)) as img:
        for frame in ImageSequence.Iterator(img):
            dpi = frame.info.get("dpi") or img.info.get("dpi")
            try:
                res = float(dpi[0]) if dpi else 0.0
            except (TypeError, ValueError, IndexError):
                res = 0.0
            scale = 72.0 / res if res >= 50 else SCALE
            frames.append((np.array(frame.convert("L")), scale))
    return frames
