"""Bad and hostile input: a typed error naming the file for every broken one, the same
facts for every encoding of a real one, nothing fetched, nothing written outside OUTDIR.

All inputs are generated here (``govreport.fixtures`` and a tiny PDF writer below, which
can also encrypt with the standard RC4 security handler); the corpus tests skip cleanly
when /work/shared/corpus is absent.
"""
from __future__ import annotations

import hashlib
import http.server
import io
import os
import random
import re
import struct
import threading
import zipfile
import zlib
from pathlib import Path

import pytest

from _corpus import CORPUS, needs_corpus
from govreport import fixtures as F
from govreport.deadline import time_limit
from govreport.errors import (
    EmptyFileError,
    EncryptedError,
    GovReportError,
    LimitExceededError,
    LowTextQualityError,
    NotAReportError,
    NoTextLayerError,
    ParseTimeoutError,
    UnreadableError,
    UnsafePathError,
    UnsupportedTypeError,
)
from govreport.options import Options
from govreport.pipeline import parse
from govreport.safepath import output_path, safe_name

# -- a tiny PDF writer (optionally RC4-encrypted) ------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


class _Str:
    """A PDF string inside an object: written as hex, encrypted when the file is."""

    def __init__(self, value: bytes):
        self.value = value


def _pdf(objects: list[list], *, password: str | None = None) -> bytes:
    """A PDF from object bodies (object 1 is the catalog). Each body is a list of ``bytes``
    (written as is), ``_Str`` (a string) and at most one ``("stream", data)``. With a
    ``password``: standard security handler, revision 2 (RC4, 40-bit key)."""
    file_id = hashlib.md5(b"govreport-test").digest()
    key = None
    encrypt_obj = b""
    if password is not None:
        pw = (password.encode("latin-1") + _PAD)[:32]
        owner = _rc4(hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5], pw)
        p = struct.pack("<i", -4)
        key = hashlib.md5(pw + owner + p + file_id).digest()[:5]
        user = _rc4(key, _PAD)
        encrypt_obj = (b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>"
                       % (owner.hex().encode(), user.hex().encode()))

    def obj_key(num: int) -> bytes:
        return hashlib.md5(key + num.to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    bodies = list(objects) + ([[encrypt_obj]] if key else [])
    for num, parts in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num
        is_encrypt_dict = key is not None and num == len(bodies)
        for part in parts:
            if isinstance(part, _Str):
                v = part.value if key is None or is_encrypt_dict else _rc4(obj_key(num), part.value)
                out += b"<" + v.hex().encode() + b">"
            elif isinstance(part, tuple):
                data = part[1] if key is None else _rc4(obj_key(num), part[1])
                out += b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
            else:
                out += part
        out += b"\nendobj\n"
    xref = len(out)
    n = len(bodies) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % n
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    enc = b" /Encrypt %d 0 R" % len(bodies) if key else b""
    out += (b"trailer\n<< /Size %d /Root 1 0 R%s /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (n, enc, file_id.hex().encode(), file_id.hex().encode(), xref))
    return bytes(out)


def text_pdf(lines: list[str], *, password: str | None = None, per_page: int = 45) -> bytes:
    """Lines of Chinese text in the non-embedded CID font STSong-Light (UniGB-UCS2-H): how
    many government PDFs are made, and readable by pdfminer without a ToUnicode map."""
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    n_pages = len(pages)
    font = 3 + 2 * n_pages
    objs: list[list] = [
        [b"<< /Type /Catalog /Pages 2 0 R >>"],
        [b"<< /Type /Pages /Kids [%s] /Count %d >>"
         % (b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n_pages)), n_pages)],
    ]
    for i, page in enumerate(pages):
        ops = [b"BT /F1 9 Tf 11 TL 40 800 Td"]
        for line in page:
            ops.append(b"<" + line.replace("\t", "  ").encode("utf-16-be").hex().encode() + b"> Tj T*")
        ops.append(b"ET")
        objs.append([b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                     b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, 4 + 2 * i)])
        objs.append([("stream", b"\n".join(ops))])
    objs.append([b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
                 b"/DescendantFonts [%d 0 R] >>" % (font + 1)])
    objs.append([b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                 b"/CIDSystemInfo << /Registry ", _Str(b"Adobe"), b" /Ordering ", _Str(b"GB1"),
                 b" /Supplement 2 >> /FontDescriptor %d 0 R /DW 1000 >>" % (font + 2)])
    objs.append([b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
                 b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
                 b"/CapHeight 880 /StemV 93 >>"])
    return _pdf(objs, password=password)


def image_only_pdf(pages: int = 2) -> bytes:
    """A scan: every page is one image, no text."""
    objs: list[list] = [[b"<< /Type /Catalog /Pages 2 0 R >>"],
                        [b"<< /Type /Pages /Kids [%s] /Count %d >>"
                         % (b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(pages)), pages)]]
    image = 3 + 2 * pages
    for i in range(pages):
        objs.append([b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                     b"/Resources << /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>" % (image, 4 + 2 * i)])
        objs.append([("stream", b"q 500 0 0 700 40 70 cm /Im1 Do Q")])
    rng = random.Random(1)
    pixels = bytes(rng.randrange(256) for _ in range(64 * 64))
    objs.append([b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                 b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(zlib.compress(pixels))
                 + zlib.compress(pixels) + b"\nendstream"])
    return _pdf(objs)


def cid_garbage_pdf() -> bytes:
    """Text in an embedded-style Type0 font without ToUnicode: pdfminer says (cid:N)."""
    content = b"BT /F1 12 Tf 11 TL 40 800 Td " + b" ".join(
        b"<" + bytes(range(10 + i, 40 + i)).hex().encode() + b"> Tj T*" for i in range(20)) + b" ET"
    return _pdf([
        [b"<< /Type /Catalog /Pages 2 0 R >>"],
        [b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"],
        [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
         b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"],
        [("stream", content)],
        [b"<< /Type /Font /Subtype /Type0 /BaseFont /Custom /Encoding /Identity-H /DescendantFonts [6 0 R] >>"],
        [b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Custom /CIDSystemInfo << /Registry ",
         _Str(b"Custom"), b" /Ordering ", _Str(b"Custom"), b" /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>"],
        [b"<< /Type /FontDescriptor /FontName /Custom /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
         b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"],
    ])


def zero_page_pdf() -> bytes:
    return _pdf([[b"<< /Type /Catalog /Pages 2 0 R >>"], [b"<< /Type /Pages /Kids [] /Count 0 >>"]])


# -- generated reports ------------------------------------------------------------------

@pytest.fixture(scope="module")
def spec():
    return F.default_spec()


@pytest.fixture(scope="module")
def report_pdf(spec, tmp_path_factory) -> bytes:
    return F.render_pdf(spec, tmp_path_factory.mktemp("pdf") / "r.pdf").read_bytes()


@pytest.fixture(scope="module")
def report_text(spec) -> str:
    return F.render_text(spec)


@pytest.fixture(scope="module")
def report_lines_pdf(report_text) -> bytes:
    return text_pdf(report_text.split("\n"))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    f = tmp_path / name
    f.write_bytes(data)
    return f


def _fails(path: Path, error: type, *words: str, options=None) -> str:
    with pytest.raises(error) as ei:
        parse(path, options=options)
    msg = str(ei.value)
    assert type(ei.value) is error
    assert msg.startswith(f"{path}: "), msg
    assert "\n" not in msg
    for w in words:
        assert w.lower() in msg.lower(), (w, msg)
    return msg


# -- one typed error per class ----------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b" \r\n\t ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n", b"\x00" * 10])
def test_empty_file(tmp_path, data):
    _fails(_write(tmp_path, "empty.pdf", data), EmptyFileError, "empty" if not data.strip() else "")


@pytest.mark.parametrize("frac", [0.05, 0.3, 0.6, 0.9, 0.98])
def test_truncated_pdf(tmp_path, report_pdf, frac):
    data = report_pdf[: int(len(report_pdf) * frac)]
    _fails(_write(tmp_path, "cut.pdf", data), UnreadableError, "truncated", "%%EOF")


def test_random_bytes(tmp_path):
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(20000))
    _fails(_write(tmp_path, "noise.pdf", noise), UnsupportedTypeError, "binary data")
    _fails(_write(tmp_path, "noise2.pdf", b"%PDF-1.5\n" + noise), UnreadableError, "PDF")


def test_encrypted_pdf_needs_the_password(tmp_path, report_lines_pdf, report_text):
    plain = parse(report_lines_pdf)
    assert plain.facts["proactive.items"] == 1136  # the plain-text PDF is a real report
    enc = _write(tmp_path, "locked.pdf", text_pdf(report_text.split("\n"), password="s3cret"))
    msg = _fails(enc, EncryptedError, "encrypted", "password is needed", "--password")
    assert "wrong" not in msg
    _fails(enc, EncryptedError, "wrong", options=Options(password="nope"))
    report = parse(enc, options=Options(password="s3cret"))
    assert report.facts == plain.facts
    assert report.source["path"] == str(enc)


def test_encrypted_pdf_by_pypdf(tmp_path, report_pdf):
    pypdf = pytest.importorskip("pypdf")
    plain = parse(report_pdf).facts
    for algorithm in ("RC4-128", "AES-128", "AES-256"):
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(report_pdf)))
        writer.encrypt(user_password="pw", owner_password="owner-pw", algorithm=algorithm)
        buf = io.BytesIO()
        writer.write(buf)
        f = _write(tmp_path, f"{algorithm}.pdf", buf.getvalue())
        _fails(f, EncryptedError, "password is needed")
        _fails(f, EncryptedError, "wrong", options=Options(password="x"))
        assert parse(f, options=Options(password="pw")).facts == plain, algorithm


def test_scanned_pdf(tmp_path):
    _fails(_write(tmp_path, "scan.pdf", image_only_pdf()), NoTextLayerError, "scanned", "OCR plugin")


def test_zero_page_pdf(tmp_path):
    _fails(_write(tmp_path, "zero.pdf", zero_page_pdf()), UnreadableError, "no pages")


def test_cid_garbage_pdf(tmp_path):
    _fails(_write(tmp_path, "cid.pdf", cid_garbage_pdf()), LowTextQualityError, "(cid:N)", "OCR")


def test_not_a_report(tmp_path):
    msg = _fails(_write(tmp_path, "menu.pdf", text_pdf(["今日菜单", "红烧肉 38元", "清炒时蔬 18元"] * 5)),
                 NotAReportError, "not a government information-disclosure annual report",
                 "found a PDF", "1 page;", "今日菜单")
    assert "no 政府信息公开 wording" in msg
    page = ("<html><head><title>404 Not Found</title></head><body><div class=nav>首页 | 政府信息公开 | "
            "政府信息公开年报 | 互动交流</div><h1>404 Not Found</h1><p>抱歉，您访问的页面不存在或已删除。</p>"
            "</body></html>")
    msg = _fails(_write(tmp_path, "report-2019.pdf", page.encode("utf-8")), NotAReportError,
                 "an HTML page titled '404 Not Found'", "web error page")
    _fails(_write(tmp_path, "novel.txt", ("从前有座山，山里有座庙。" * 50).encode("gbk")), NotAReportError,
           "a text file", "从前有座山")


def test_real_reports_are_not_refused_for_error_words(tmp_path, report_text):
    # an error phrase inside a real report (a complaint about a dead link) is fine
    text = report_text.replace("一、总体情况", "一、总体情况\n部分栏目链接出现“页面不存在”问题，已整改。", 1)
    assert parse(text.encode("utf-8")).facts["proactive.items"] == 1136


def test_limits(tmp_path, report_pdf, report_text):
    f = _write(tmp_path, "r.pdf", report_pdf)
    _fails(f, LimitExceededError, "pages, over the limit of 1", options=Options(max_pages=1))
    _fails(f, LimitExceededError, "bytes, over the limit of 1000", options=Options(max_bytes=1000))
    assert parse(f, options=Options(max_pages=100, max_bytes=len(report_pdf))).facts
    t = _write(tmp_path, "r.txt", report_text.encode("utf-8"))
    _fails(t, LimitExceededError, "over the limit", options=Options(max_bytes=100))


def test_timeout_single_parse(tmp_path, report_text):
    import signal

    handler_before = signal.getsignal(signal.SIGALRM) if hasattr(signal, "SIGALRM") else None
    big = _write(tmp_path, "huge.txt", (report_text * 300).encode("utf-8"))
    with pytest.raises(ParseTimeoutError) as ei:
        parse(big, options=Options(timeout=0.2))
    assert str(ei.value).startswith(f"{big}: ") and "timeout of 0.2 s" in str(ei.value)
    # the alarm is gone afterwards, and a generous limit changes nothing
    small = _write(tmp_path, "small.txt", report_text.encode("utf-8"))
    assert parse(small, options=Options(timeout=60)).facts == parse(small).facts
    if hasattr(signal, "setitimer"):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) == handler_before


def test_timeout_in_a_thread_and_nested(report_text):
    data = (report_text * 300).encode("utf-8")
    box: dict = {}

    def run() -> None:
        try:
            parse(data, options=Options(timeout=0.2))
        except BaseException as exc:  # noqa: BLE001
            box["exc"] = exc

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    assert isinstance(box.get("exc"), ParseTimeoutError), box
    # no alarm or pending exception is left behind
    with time_limit(5, "x"):
        pass
    with time_limit(None):
        pass


def test_errors_survive_pickling():
    import pickle

    for exc in (EncryptedError("a.pdf", "encrypted PDF: a password is needed"),
                NotAReportError(None, "line one\nline two")):
        again = pickle.loads(pickle.dumps(exc))
        assert type(again) is type(exc) and str(again) == str(exc) and "\n" not in str(again)


# -- decoding: every encoding of a report gives the same facts ---------------------------

def _s2tw(text: str) -> str:
    import opencc

    # Taiwan-standard characters, as a real big5 page has (s2t gives 爲/衆, not in big5)
    return opencc.OpenCC("s2tw").convert(text)


def _set_charset(html: str, charset: str | None) -> str:
    if charset is None:
        return re.sub(r"<meta[^>]*charset[^>]*>", "", html, flags=re.I)
    return re.sub(r"(charset=[\"']?)[\w-]+", lambda m: m.group(1) + charset, html, count=1)


def html_variants(html: str) -> dict[str, bytes]:
    """name -> bytes of the same page: declared right, wrong or not at all."""
    ref = "xmlcharrefreplace"
    trad = _s2tw(html)
    return {
        "utf-8-bom": b"\xef\xbb\xbf" + html.encode("utf-8"),
        "utf-8 declared gbk": _set_charset(html, "gbk").encode("utf-8"),
        "gbk": _set_charset(html, "gbk").encode("gbk", ref),
        "gb2312 declared": _set_charset(html, "gb2312").encode("gbk", ref),
        "gbk undeclared": _set_charset(html, None).encode("gbk", ref),
        "gbk declared utf-8": _set_charset(html, "utf-8").encode("gbk", ref),
        "gbk declared big5": _set_charset(html, "big5").encode("gbk", ref),
        "gb18030": _set_charset(html, "gb18030").encode("gb18030"),
        "big5": _set_charset(trad, "big5").encode("big5", ref),
        "big5 undeclared": _set_charset(trad, None).encode("big5", ref),
        "big5 declared gbk": _set_charset(trad, "gbk").encode("big5", ref),
        "big5 declared utf-8": _set_charset(trad, "utf-8").encode("big5", ref),
    }


def text_variants(text: str) -> dict[str, bytes]:
    trad = _s2tw(text)
    out = {"utf-8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"), "gb18030": text.encode("gb18030")}
    try:
        out["gbk"] = text.encode("gbk")
    except UnicodeEncodeError:
        pass
    try:
        out["big5"] = trad.encode("big5")
    except UnicodeEncodeError:
        pass
    return out


def _same_facts(base: bytes, variants: dict[str, bytes], tmp_path: Path, suffix: str) -> None:
    want = parse(base).facts
    assert want
    for name, data in variants.items():
        f = _write(tmp_path, f"v{suffix}", data)
        got = parse(f).facts
        diff = {k: (want.get(k), got.get(k)) for k in set(want) | set(got) if want.get(k) != got.get(k)}
        assert not diff, f"{name}: {len(diff)} facts differ, e.g. {list(diff.items())[:3]}"


def test_generated_html_in_every_encoding(tmp_path, spec):
    html = F.render_html(spec).decode("utf-8")
    variants = html_variants(html)
    variants["html saved as .pdf"] = html.encode("utf-8")
    _same_facts(html.encode("utf-8"), variants, tmp_path, ".pdf")


def test_generated_text_in_every_encoding(tmp_path, spec, report_text):
    pre = F.render_text(F.default_spec("pre2019"))
    for text in (report_text, pre):
        variants = text_variants(text)
        assert {"gbk", "big5"} <= set(variants)
        _same_facts(text.encode("utf-8"), variants, tmp_path, ".txt")


def test_traditional_spec_big5_page(tmp_path, spec):
    """A genuine Taiwan-wording report (fixtures' traditional=True) as a big5 page."""
    from dataclasses import replace

    trad = replace(spec, traditional=True)
    page = F.render_html(trad, "big5")
    want = parse(F.render_html(spec)).facts
    got = parse(_write(tmp_path, "big5.html", page)).facts
    assert got == want


@needs_corpus
@pytest.mark.parametrize("name", ["shanghai-bgt-2019.html", "pingtan-syq-2019.txt", "pingtan-syq-2015.txt"])
def test_corpus_report_in_every_encoding(tmp_path, name):
    raw = (CORPUS / name).read_bytes()
    text = raw.decode("utf-8")
    variants = html_variants(text) if name.endswith(".html") else text_variants(text)
    if not name.endswith(".html") and not {"gbk", "big5"} <= set(variants):
        pytest.skip("characters not encodable in gbk/big5")
    _same_facts(raw, variants, tmp_path, Path(name).suffix)


# -- security: nothing is fetched, no external entity is expanded ------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY x "FETCHED">')

    def log_message(self, *args):  # silence
        pass


@pytest.fixture
def loopback_server():
    """An HTTP server on 127.0.0.1 that records requests: proof that nothing is fetched
    (no traffic ever leaves the machine)."""
    _Recorder.hits = []
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}", _Recorder.hits
    finally:
        srv.shutdown()
        srv.server_close()


def test_html_external_entities_and_remote_resources(tmp_path, loopback_server, report_text):
    url, hits = loopback_server
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-HTML")
    body = "".join(f"<p>{line}</p>" for line in report_text.split("\n")[:30])
    for head in (
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}"><!ENTITY y SYSTEM "{url}/e">]>',
        f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "{url}/dtd">',
    ):
        page = (f'{head}<html xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8">'
                f'<link rel="stylesheet" href="{url}/css"><script src="{url}/js"></script>'
                f'<base href="{url}/"></head><body><p>&x;&y;</p><img src="{url}/img.png">'
                f'<iframe src="{url}/frame"></iframe><object data="{url}/obj"></object>'
                f'<svg><image href="{url}/svg"/></svg>{body}</body></html>')
        report = parse(_write(tmp_path, "xxe.html", page.encode("utf-8")))
        text = " ".join(s.text for s in report.sections)
        assert "TOPSECRET" not in text and "FETCHED" not in text
    assert hits == []


def _docx_with(parts: dict[str, bytes], base: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, parts.get(item.filename, zin.read(item.filename)))
        for name, data in parts.items():
            if name not in zin.namelist():
                zout.writestr(name, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def report_docx(report_text) -> bytes:
    import docx

    d = docx.Document()
    for line in report_text.split("\n"):
        if line.strip():
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_xxe_and_external_targets(tmp_path, loopback_server, report_docx):
    url, hits = loopback_server
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-DOCX")
    with zipfile.ZipFile(io.BytesIO(report_docx)) as z:
        document = z.read("word/document.xml")
        rels = z.read("word/_rels/document.xml.rels")
        types = z.read("[Content_Types].xml")
    dtd = (f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}"><!ENTITY y SYSTEM "{url}/e">'
           f'<!ENTITY % p SYSTEM "{url}/p"> %p;]>').encode()
    evil_doc = document.replace(b"?>", b"?>" + dtd, 1).replace(
        b"<w:body>", b"<w:body><w:p><w:r><w:t>A&x;B&y;C</w:t></w:r></w:p>", 1)
    evil_rels = rels.replace(b"</Relationships>",
                             f'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
                             f'officeDocument/2006/relationships/image" Target="{url}/img.png" '
                             f'TargetMode="External"/></Relationships>'.encode())
    evil_types = types.replace(b"?>", b'?><!DOCTYPE Types [<!ENTITY y SYSTEM "%s/t">]>' % url.encode(), 1)
    for parts in ({"word/document.xml": evil_doc}, {"word/_rels/document.xml.rels": evil_rels},
                  {"[Content_Types].xml": evil_types}):
        data = _docx_with(parts, report_docx)
        try:
            report = parse(_write(tmp_path, "xxe.docx", data))
        except GovReportError as exc:  # refusing the document is fine too
            assert str(exc).startswith(str(tmp_path / "xxe.docx"))
            continue
        text = " ".join(s.text for s in report.sections)
        assert "TOPSECRET" not in text and "FETCHED" not in text
    assert hits == []


def test_docx_entity_bomb_is_refused_quickly(tmp_path, report_docx):
    import time

    with zipfile.ZipFile(io.BytesIO(report_docx)) as z:
        document = z.read("word/document.xml")
    lol = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    bomb = document.replace(b"?>", f"?><!DOCTYPE w:document [{lol}]>".encode(), 1).replace(
        b"<w:body>", b"<w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p>", 1)
    t0 = time.perf_counter()
    try:
        report = parse(_write(tmp_path, "bomb.docx", _docx_with({"word/document.xml": bomb}, report_docx)))
    except GovReportError:
        pass
    else:
        assert "lollollol" not in " ".join(s.text for s in report.sections)
    assert time.perf_counter() - t0 < 10


# -- output paths -----------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("report.json", "report.json"),
    ("2019/上海.json", "2019/上海.json"),
    ("../../etc/passwd", "etc/passwd"),
    ("/etc/passwd", "etc/passwd"),
    ("C:\\Windows\\system32\\x.json", "Windows/system32/x.json"),
    ("\\\\server\\share\\x.json", "x.json"),
    ("a/./b/../c.json", "a/b/c.json"),
    ("bad\x00name\n.json", "bad_name_.json"),
    ("CON.json", "_CON.json"),
    ("trailing. ", "trailing"),
])
def test_safe_name(name, expected):
    assert safe_name(name) == expected


def test_output_path_stays_inside(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("x.json", "../x.json", "/abs/x.json", "a/../../../x.json", "sub/dir/x.json"):
        p = output_path(out, name)
        assert p.resolve().is_relative_to(out.resolve()), name
    long = "政" * 200 + ".json"
    p = output_path(out, long)
    assert len(p.name.encode("utf-8")) <= 240 and p.suffix == ".json"
    assert output_path(out, long) == p and output_path(out, "政" * 201 + ".json") != p
    for name in ("", "..", "../..", "/", ". ."):
        with pytest.raises(UnsafePathError):
            output_path(out, name)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_output_path_refuses_escaping_symlinks(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "link").symlink_to(elsewhere, target_is_directory=True)
    (out / "file.json").symlink_to(elsewhere / "victim.json")
    (out / "inside").symlink_to(out / "real", target_is_directory=True)
    with pytest.raises(UnsafePathError, match="outside the output folder"):
        output_path(out, "link/x.json")
    with pytest.raises(UnsafePathError):
        output_path(out, "file.json")
    assert output_path(out, "inside/x.json") == out / "inside" / "x.json"  # stays inside


def test_batch_output_names_do_not_come_from_inputs():
    """The batch writes fixed file names into OUTDIR (checked here so a change is noticed:
    input-derived names must go through safepath.output_path)."""
    outputs = pytest.importorskip("govreport.outputs")
    names = [getattr(outputs, n) for n in dir(outputs) if n.isupper() and isinstance(getattr(outputs, n), str)
             and re.search(r"\.(jsonl|csv|parquet|json|lock)$", getattr(outputs, n))]
    assert names and all("/" not in n and "\\" not in n and ".." not in n for n in names)


# -- sloppy HTML: nothing lost -------------------------------------------------------------

@pytest.mark.parametrize("line", ["<p><font color=red>第{i}行", "<font size=3>第{i}行<br>", "<div>第{i}行",
                                  "<span>第{i}行</p>", "<td>第{i}行"])
@pytest.mark.parametrize("n", [300, 3000])
def test_unclosed_tags_on_every_line_lose_nothing(line, n):
    """libxml2 drops everything past its depth limit; a CMS that leaves a tag open on
    every line reaches it. Every line must still be read."""
    from govreport.readers import read_document

    html = ("<html><body><p>某县2023年政府信息公开工作年度报告</p>" + "".join(line.format(i=i) for i in range(n))
            + "<p>结尾</p></body></html>")
    doc = read_document(html.encode("utf-8"), path="sloppy.html")
    assert doc.text.count("行") == n and "结尾" in doc.text


def test_hopelessly_deep_html_is_refused_not_truncated():
    from govreport.readers import read_document

    html = "<html><body><p>政府信息公开</p>" + "<table><tr><td>格" * 3000 + "<p>结尾</p></body></html>"
    with pytest.raises(UnreadableError, match="deep.html: HTML nested deeper than 2048"):
        read_document(html.encode("utf-8"), path="deep.html")


def test_bad_file_names():
    with pytest.raises(UnreadableError, match="invalid file name"):
        parse("bad\x00name.pdf")
    with pytest.raises(UnreadableError, match="^<input>: no file name given"):
        parse("")
