"""Mutation fuzzer over generated reports: "parsed, or a typed GovReportError; never
anything else".

Seeds are reports made by :mod:`govreport.fixtures` (PDF compressed and uncompressed, a
small one-page PDF, HTML in UTF-8/GBK/Big5, plain text, markdown, DOCX). Each case
applies 1-5 mutations (bit flips, interesting bytes, truncation, chunk deletion /
duplication / repetition, random insertions, splices with another seed, format-aware
token edits: PDF numbers and keys, HTML tags and entities, DOCX XML inside the ZIP) and
runs the whole pipeline on the result.

A case passes when ``parse`` returns a ``Report`` or raises a ``GovReportError`` subclass
whose message starts with the file name. It fails on any other exception, on a
``ParseTimeoutError`` (a hang: the fuzzer's own time limit), and on a built-in
extractor or check crash that the pipeline turned into a PLUGIN-ERROR check.

The CI run is deterministic: a fixed seed and a fixed number of cases per target
(``CI_BUDGET``, 295 cases), about 15 s in all. ``benchmarks/fuzz_long.py`` runs the same engine
for minutes and prints the counts; ``GOVREPORT_FUZZ_SCALE=10 pytest ...`` multiplies the
CI budget.
"""
from __future__ import annotations

import io
import os
import random
import re
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from govreport.errors import GovReportError, ParseTimeoutError
from govreport.options import Options

FUZZ_SEED = 20240607
CASE_TIMEOUT = 20.0          # seconds: past this a case is a hang (a failure)
CI_BUDGET = {                # cases per target in CI (deterministic; ~15 s in all)
    "pdf-small": 80,
    "pdf": 20,
    "pdf-raw": 15,
    "html": 35,
    "html-gbk": 20,
    "html-big5": 20,
    "text": 35,
    "markdown": 30,
    "docx": 40,
}
NAME = "fuzz-case"


# -- seeds ------------------------------------------------------------------------------

def _render_pdf(spec, *, compress: bool = True) -> bytes:
    import tempfile

    from reportlab import rl_config

    from govreport import fixtures as F

    old = rl_config.pageCompression
    rl_config.pageCompression = 1 if compress else 0
    try:
        with tempfile.TemporaryDirectory() as d:
            return F.render_pdf(spec, Path(d) / "r.pdf").read_bytes()
    finally:
        rl_config.pageCompression = old


def _small_pdf() -> bytes:
    """One page: title, a few report lines and a ruled table (parses in ~30 ms)."""
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=10, leading=14)
    buf = io.BytesIO()
    old = rl_config.pageCompression
    rl_config.pageCompression = 0
    try:
        doc = SimpleDocTemplate(buf, pagesize=A4)
        table = Table([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                       ["规章", "0", "0", "3"], ["行政规范性文件", "3", "5", "12"]])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                                   ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        doc.build([Paragraph("某县2023年政府信息公开工作年度报告", style),
                   Paragraph("一、总体情况", style),
                   Paragraph("本年度主动公开政府信息1136条，共受理政府信息公开申请21件。", style),
                   Paragraph("二、主动公开政府信息情况", style), table,
                   Paragraph("六、其他需要报告的事项 本年度未收取信息处理费。", style)])
    finally:
        rl_config.pageCompression = old
    return buf.getvalue()


def _docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    rows: list[list[str]] = []
    for line in text.split("\n"):
        cells = line.split("\t") if "\t" in line else None
        if cells and len(cells) > 1:
            rows.append(cells)
            continue
        if rows:
            width = max(len(r) for r in rows)
            t = d.add_table(rows=len(rows), cols=width)
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    t.cell(i, j).text = c
            rows = []
        if line.strip():
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@cache
def seeds() -> dict[str, bytes]:
    """target name -> seed bytes (generated, cached per process)."""
    import opencc

    from govreport import fixtures as F

    spec = F.default_spec()
    pre = F.default_spec("pre2019")
    text = F.render_text(spec)
    big5_html = opencc.OpenCC("s2t").convert(F.render_html(spec).decode("utf-8"))
    big5_html = big5_html.replace('charset="utf-8"', 'charset="big5"')
    return {
        "pdf-small": _small_pdf(),
        "pdf": _render_pdf(spec),
        "pdf-raw": _render_pdf(spec, compress=False),
        "html": F.render_html(spec),
        "html-gbk": F.render_html(spec, "gbk"),
        "html-big5": big5_html.encode("big5", errors="xmlcharrefreplace"),
        "text": text.encode("utf-8") + F.render_text(pre).encode("utf-8"),
        "markdown": F.render_markdown(spec).encode("utf-8"),
        "docx": _docx(text),
    }


# -- mutations --------------------------------------------------------------------------

_INTERESTING_BYTES = b"\x00\x01\x7f\x80\xff()<>[]{}/\\%\n\r \t0123456789-.#&;\"'"
_INTERESTING_NUMBERS = [b"0", b"-1", b"1", b"2147483647", b"4294967296", b"99999999999999999999",
                        b"-2147483648", b"1e308", b"0.0000001", b"NaN", b"65535", b"000000"]
_PDF_TOKENS = [b"/Length 0", b"/Length 999999999", b"/Count -1", b"/Count 100000", b"/Kids []",
               b"/Kids [1 0 R]", b"/Filter /FlateDecode", b"/Filter /LZWDecode", b"/Filter /DCTDecode",
               b"/Encrypt 1 0 R", b"/Parent 3 0 R", b"/Type /Pages", b"/Root 1 0 R", b"endobj",
               b"stream\n", b"endstream", b"xref\n0 1\n", b"trailer << >>", b"%%EOF", b"startxref\n0\n",
               b"/Font << /F1 5 0 R >>", b"BT /F1 12 Tf (\\000\\377) Tj ET", b"<FEFF00>", b"<<", b">>",
               b"/MediaBox [0 0 0 0]", b"/MediaBox [1e308 -1e308 0 0]", b"/W [0 [1e308]]",
               b"/ToUnicode 4 0 R", b"/DecodeParms << /Predictor 15 /Columns 99999 >>",
               b"/Rotate 45", b"q 1e38 0 0 1e38 0 0 cm", b"(\\", b"9999999999 0 R"]
_HTML_TOKENS = [b"<table>", b"</table>", b"<tr>", b"<td rowspan=\"99999\" colspan=\"99999\">",
                b"<td rowspan=0>", b"<td colspan=-3>", b"<th>", b"<br>", b"<p>", b"</div>", b"<!--",
                b"-->", b"<![CDATA[", b"]]>", b"<?xml version=\"1.0\" encoding=\"utf-16\"?>",
                b"<meta charset=\"big5\">", b"<meta charset=\"utf-16\">", b"<meta charset=\"x-bogus\">",
                b"&#0;", b"&#99999999;", b"&#xD800;", b"&nbsp;", b"&amp", b"<script>", b"<style>",
                b"<table><tr><td><table>", b"<div style=\"display:none\">", b"\xef\xbb\xbf",
                b"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>", b"&e;", b"<svg>",
                b"<math>", b"<select>", b"<caption>", b"<td hidden>"]
_TEXT_TOKENS = ["一、", "（二）", "政府信息公开", "主动公开", "申请", "件", "条", "万元", "总计", "|",
                "|---|---|", "\t", "\n", "\r", "\u3000", "\ufeff", "\u200b", "(gong)", "第3页",
                "- 3 -", "十一", "两千", "1,234", "１２３", "12.5万", "—", "（cid:12）", "(cid:7)",
                "\ud800", "\x00", "標題: ", "==== 正文 ====", "<p>", "<table>"]


def _span(rng: random.Random, n: int, max_frac: float = 0.125) -> tuple[int, int]:
    if n == 0:
        return 0, 0
    a = rng.randrange(n)
    length = rng.randint(1, max(1, int(n * max_frac)))
    return a, min(n, a + length)


def m_flip(data, rng, ctx):
    buf = bytearray(data)
    k = rng.choice((1, 1, 2, 4, 8, 16))
    for _ in range(k):
        if buf:
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf), f"flip{k}"


def m_byte(data, rng, ctx):
    buf = bytearray(data)
    k = rng.choice((1, 2, 8))
    for _ in range(k):
        if buf:
            buf[rng.randrange(len(buf))] = rng.choice(_INTERESTING_BYTES)
    return bytes(buf), f"byte{k}"


def m_truncate(data, rng, ctx):
    n = rng.randrange(len(data) + 1) if rng.random() < 0.5 else int(len(data) * rng.random() ** 0.2)
    return data[:n], f"truncate@{n}"


def m_delete(data, rng, ctx):
    a, b = _span(rng, len(data))
    return data[:a] + data[b:], f"delete[{a}:{b}]"


def m_duplicate(data, rng, ctx):
    a, b = _span(rng, len(data))
    c = rng.randrange(len(data) + 1)
    return data[:c] + data[a:b] + data[c:], f"dup[{a}:{b}]@{c}"


def m_repeat(data, rng, ctx):
    a, b = _span(rng, len(data), 0.01)
    times = rng.choice((2, 10, 100, 1000))
    chunk = data[a:b][:2000]
    times = max(1, min(times, 64_000 // max(1, len(chunk))))  # at most ~64 KB more
    return data[:b] + chunk * times + data[b:], f"repeat[{a}:{b}]x{times}"


def m_insert(data, rng, ctx):
    c = rng.randrange(len(data) + 1)
    junk = bytes(rng.randrange(256) for _ in range(rng.choice((1, 4, 64, 512))))
    return data[:c] + junk + data[c:], f"insert{len(junk)}@{c}"


def m_splice(data, rng, ctx):
    other_name = rng.choice(sorted(ctx.seeds))
    other = ctx.seeds[other_name]
    a = rng.randrange(len(data) + 1)
    b = rng.randrange(len(other) + 1)
    return data[:a] + other[b:], f"splice({other_name})@{a}/{b}"


def m_number(data, rng, ctx):
    nums = list(re.finditer(rb"-?\d+(?:\.\d+)?", data[:500_000]))
    if not nums:
        return m_byte(data, rng, ctx)
    m = rng.choice(nums)
    new = rng.choice(_INTERESTING_NUMBERS)
    return data[:m.start()] + new + data[m.end():], f"number@{m.start()}={new.decode()}"


def m_token(data, rng, ctx):
    kind = ctx.kind
    if kind == "pdf":
        tok = rng.choice(_PDF_TOKENS)
        if rng.random() < 0.5:  # replace a key's value
            keys = list(re.finditer(rb"/(Length|Count|Kids|Filter|Parent|Type|Root|Size|Prev|W|Index|"
                                    rb"First|N|Font|Contents|Resources|MediaBox|ToUnicode|Encoding)\b"
                                    rb"[^/>\n]{0,40}", data[:2_000_000]))
            if keys:
                m = rng.choice(keys)
                return data[:m.start()] + tok + data[m.end():], f"pdf-key@{m.start()}={tok[:20]!r}"
    elif kind == "html":
        tok = rng.choice(_HTML_TOKENS)
    else:
        enc = ctx.encoding
        tok = rng.choice(_TEXT_TOKENS).encode(enc, errors="surrogatepass" if enc == "utf-8" else "replace")
    c = rng.randrange(len(data) + 1)
    if kind == "html":  # at a tag boundary more often than not
        tags = [m.start() for m in re.finditer(rb"<", data[:500_000])]
        if tags and rng.random() < 0.7:
            c = rng.choice(tags)
    return data[:c] + tok + data[c:], f"token@{c}={tok[:24]!r}"


def m_nest(data, rng, ctx):
    """Deep nesting: HTML tags, PDF arrays/dicts, markdown pipes."""
    depth = rng.choice((100, 1000, 5000))
    c = rng.randrange(len(data) + 1)
    if ctx.kind == "html":
        tag = rng.choice((b"div", b"table", b"td", b"span", b"p", b"li"))
        blob = (b"<" + tag + b">") * depth + b"x" + (b"</" + tag + b">") * (depth // 2)
    elif ctx.kind == "pdf":
        blob = rng.choice((b"[", b"<<", b"(")) * depth
    else:
        blob = rng.choice((b"|", b"(", b"\xef\xbc\x88", b"\n")) * depth
    return data[:c] + blob + data[c:], f"nest{depth}@{c}"


MUTATORS: list[Callable] = [m_flip, m_byte, m_truncate, m_delete, m_duplicate, m_repeat, m_insert,
                            m_splice, m_number, m_token, m_token, m_nest]


def m_docx_xml(data, rng, ctx):
    """Mutate one XML part inside the DOCX and zip it again (raw flips mostly hit CRCs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zin:
            parts = {n: zin.read(n) for n in zin.namelist()}
    except Exception:  # noqa: BLE001 - already broken: a raw mutation then
        return rng.choice(MUTATORS)(data, rng, ctx)
    names = list(parts)
    if not names:
        return rng.choice(MUTATORS)(data, rng, ctx)
    xml_names = [n for n in names if n.endswith((".xml", ".rels"))]
    target = "word/document.xml" if "word/document.xml" in names and rng.random() < 0.7 else \
        rng.choice(xml_names or names)
    sub = _Ctx(ctx.seeds, "html", "utf-8")
    part = parts[target]
    mutated, desc = rng.choice([m_flip, m_byte, m_delete, m_duplicate, m_token, m_nest, m_number,
                                m_truncate])(part, rng, sub)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in names:
            zout.writestr(n, mutated if n == target else parts[n])
    return out.getvalue(), f"docx:{target}:{desc}"


@dataclass
class _Ctx:
    seeds: dict[str, bytes]
    kind: str
    encoding: str = "utf-8"


def _kind(target: str) -> tuple[str, str]:
    if target.startswith("pdf"):
        return "pdf", "latin-1"
    if target.startswith("html"):
        return "html", {"html-gbk": "gbk", "html-big5": "big5"}.get(target, "utf-8")
    if target == "docx":
        return "docx", "utf-8"
    return "text", "utf-8"


def make_case(target: str, index: int, seed: int = FUZZ_SEED) -> tuple[bytes, list[str]]:
    """The mutated input of case ``index`` of ``target`` (deterministic)."""
    rng = random.Random(f"{seed}:{target}:{index}")
    all_seeds = seeds()
    kind, enc = _kind(target)
    ctx = _Ctx(all_seeds, kind, enc)
    data = all_seeds[target]
    ops: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 5))):
        if kind == "docx" and rng.random() < 0.7:
            data, desc = m_docx_xml(data, rng, ctx)
        else:
            data, desc = rng.choice(MUTATORS)(data, rng, ctx)
        ops.append(desc)
        if len(data) > 8_000_000:  # keep cases bounded
            data = data[:8_000_000]
            ops.append("cap8MB")
    return data, ops


# -- running a case -----------------------------------------------------------------------

@dataclass
class Outcome:
    target: str
    index: int
    status: str                  # "parsed", "error:<Type>", or "FAIL"
    seconds: float
    detail: str = ""
    ops: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == "FAIL"


def run_case(target: str, index: int, seed: int = FUZZ_SEED,
             timeout: float = CASE_TIMEOUT) -> Outcome:
    from govreport.pipeline import parse

    data, ops = make_case(target, index, seed)
    t0 = time.perf_counter()
    options = Options(timeout=timeout, max_pages=200, max_bytes=16_000_000)
    try:
        report = parse(io.BytesIO(data) if index % 2 else data, options=options)
    except ParseTimeoutError as exc:
        return Outcome(target, index, "FAIL", time.perf_counter() - t0, f"hang: {exc}", ops)
    except GovReportError as exc:
        secs = time.perf_counter() - t0
        if type(exc) is GovReportError or not str(exc).startswith(("<bytes>: ", "<input>: ")):
            return Outcome(target, index, "FAIL", secs, f"untyped or unnamed error: {exc!r}", ops)
        if "\n" in str(exc):
            return Outcome(target, index, "FAIL", secs, f"multi-line message: {exc!r}", ops)
        return Outcome(target, index, f"error:{type(exc).__name__}", secs, str(exc)[:200], ops)
    except BaseException as exc:  # noqa: BLE001 - that is the point
        if isinstance(exc, KeyboardInterrupt):
            raise
        tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
        where = "".join(tb[-3:])[-1200:]
        return Outcome(target, index, "FAIL", time.perf_counter() - t0,
                       f"{type(exc).__name__}: {str(exc)[:300]}\n{where}", ops)
    secs = time.perf_counter() - t0
    crashes = [c.message for c in report.checks if c.rule == "PLUGIN-ERROR"]
    if crashes:
        return Outcome(target, index, "FAIL", secs, "extractor/check crash: " + crashes[0][:400], ops)
    return Outcome(target, index, "parsed", secs, "", ops)


def _scale() -> float:
    try:
        return max(0.0, float(os.environ.get("GOVREPORT_FUZZ_SCALE", "1")))
    except ValueError:
        return 1.0


# -- tests --------------------------------------------------------------------------------

def test_seeds_parse_cleanly():
    """Every seed parses (so mutations start from a real report) and finds facts."""
    from govreport.pipeline import parse

    for target, data in seeds().items():
        report = parse(data)
        assert report.facts, target
        assert not [c for c in report.checks if c.rule == "PLUGIN-ERROR"], target


def test_mutations_are_deterministic():
    assert make_case("html", 7) == make_case("html", 7)
    assert make_case("pdf-small", 3)[0] != seeds()["pdf-small"] or make_case("pdf-small", 3)[1]


@pytest.mark.parametrize("target", sorted(CI_BUDGET))
def test_mutation_fuzz(target):
    n = int(CI_BUDGET[target] * _scale())
    outcomes = [run_case(target, i) for i in range(n)]
    failures = [o for o in outcomes if o.failed]
    statuses: dict[str, int] = {}
    for o in outcomes:
        statuses[o.status] = statuses.get(o.status, 0) + 1
    report = "\n\n".join(f"case {o.target}#{o.index} ops={o.ops}\n{o.detail}" for o in failures[:5])
    assert not failures, f"{len(failures)} of {n} {target} cases failed " \
                         f"(reproduce: make_case({target!r}, i)):\n{report}"
    assert sum(statuses.values()) == n
