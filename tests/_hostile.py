"""Hostile inputs, generated (no stored blobs): one function per attack class.

Each generator writes a file under a folder and returns its path. ``scale`` shrinks the
costly ones for quick test runs; at ``scale=1`` they are the sizes that ran for minutes
or took gigabytes before the limits (issue #18). Used by tests/test_hostile.py and
benchmarks/bench_hostile.py.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

# -- PDF ----------------------------------------------------------------------------------

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _stream(data: bytes, extra: bytes = b"", filters: int = 0) -> bytes:
    for _ in range(filters):
        data = zlib.compress(data, 9)
    f = b""
    if filters:
        f = b" /Filter [" + b" ".join([b"/FlateDecode"] * filters) + b"]"
    return b"<< /Length %d%s %s >>\nstream\n" % (len(data), f, extra) + data + b"\nendstream"


def pdf_bytes(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A classic PDF (xref table) from ``{number: object body}``."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = out.tell()
        out.write(b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n")
    size = max(objects) + 1
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for num in range(1, size):
        if num in offsets:
            out.write(b"%010d 00000 n \n" % offsets[num])
        else:
            out.write(b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref))
    return out.getvalue()


def _one_page(content: bytes, resources: bytes = b"<< /Font << /F1 5 0 R >> >>",
              extra: dict[int, bytes] | None = None, filters: int = 0) -> bytes:
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
               + resources + b" /Contents 4 0 R >>",
            4: _stream(content, filters=filters),
            5: _FONT}
    objs.update(extra or {})
    return pdf_bytes(objs)


_TEXT = b"BT /F1 10 Tf 50 800 Td (Government information disclosure annual report) Tj ET\n"


def pdf_flate_bomb(scale: float = 1) -> bytes:
    """A small doubly-deflated content stream inflating to 64 MiB of glyphs."""
    n = int(64 * 1024 * 1024 * scale)
    line = b"BT /F1 1 Tf 10 10 Td (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) Tj ET\n"
    return _one_page(line * (n // len(line)), filters=2)


def pdf_glyph_flood(scale: float = 1) -> bytes:
    """8 MiB of glyph-drawing operators on one page (plain, no compression trick)."""
    n = int(8 * 1024 * 1024 * scale)
    line = b"(xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) Tj\n"
    return _one_page(b"BT /F1 1 Tf 10 10 Td\n" + line * (n // len(line)) + b"ET\n", filters=1)


def pdf_self_xobject(scale: float = 1) -> bytes:
    """A form XObject whose content draws itself."""
    form = _stream(b"/X1 Do\n", b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] "
                               b"/Resources << /XObject << /X1 6 0 R >> >>")
    return _one_page(_TEXT + b"/X1 Do\n",
                     b"<< /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>", {6: form})


def pdf_self_content(scale: float = 1) -> bytes:
    """A content stream whose /Length refers to the stream itself."""
    body = _TEXT
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
               b"/Resources << /Font << /F1 5 0 R >> >> /Contents [4 0 R 4 0 R 4 0 R] >>",
            4: b"<< /Length 4 0 R >>\nstream\n" + body + b"\nendstream",
            5: _FONT}
    return pdf_bytes(objs)


def pdf_ref_cycle(scale: float = 1) -> bytes:
    """Resources that are a cycle of bare references (6 -> 7 -> 6)."""
    return _one_page(_TEXT, b"6 0 R", {6: b"7 0 R", 7: b"6 0 R"})


def pdf_xref_index(scale: float = 1) -> bytes:
    """An xref stream whose /Index claims 2**31 objects."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offs = {}
    content = _stream(_TEXT)
    bodies = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
              2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                 b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
              4: content, 5: _FONT}
    for n, b in bodies.items():
        offs[n] = out.tell()
        out.write(b"%d 0 obj\n" % n + b + b"\nendobj\n")
    xref_at = out.tell()
    rows = b"".join(b"\x01" + offs[n].to_bytes(4, "big") + b"\x00" for n in range(1, 6))
    rows = b"\x00\x00\x00\x00\x00\xff" + rows + b"\x01" + xref_at.to_bytes(4, "big") + b"\x00"
    out.write(b"6 0 obj\n<< /Type /XRef /Size 2147483647 /Index [0 2147483647] /W [1 4 1] "
              b"/Root 1 0 R /Length %d >>\nstream\n" % len(rows) + rows + b"\nendstream\nendobj\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def pdf_xobject_fanout(scale: float = 1) -> bytes:
    """Form XObjects drawing each other 10 times over, 12 levels deep (10**12 draws)."""
    depth = 12
    extra = {}
    for level in range(depth):
        num = 10 + level
        nxt = num + 1
        if level == depth - 1:
            body, res = _TEXT, b"/Resources << /Font << /F1 5 0 R >> >>"
        else:
            body, res = b"/X Do\n" * 10, b"/Resources << /XObject << /X %d 0 R >> >>" % nxt
        extra[num] = _stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] " + res)
    return _one_page(_TEXT + b"/X Do\n", b"<< /Font << /F1 5 0 R >> /XObject << /X 10 0 R >> >>",
                     extra)


def pdf_form_paths(scale: float = 1) -> bytes:
    """A page drawing one form XObject whose (deflated) content is 24 MiB of path
    operators: the page's own content is tiny, the form's holds about 1.3 million paths."""
    n = int(24 * 1024 * 1024 * scale)
    line = b"0 0 m 100 100 l S\n"
    form = _stream(line * (n // len(line)), b"/Type /XObject /Subtype /Form "
                                            b"/BBox [0 0 595 842]", filters=1)
    return _one_page(_TEXT + b"/X1 Do\n",
                     b"<< /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>", {6: form})


def pdf_cmap_range(scale: float = 1) -> bytes:
    """A ToUnicode CMap whose one bfrange covers 2**32 codes."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange\n"
            b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange\n"
            b"1 begincidrange <00000000> <FFFFFFFF> 0 endcidrange\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n")
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>")
    return _one_page(_TEXT, extra={5: font, 6: _stream(cmap)})


def pdf_rulings(scale: float = 1) -> bytes:
    """One page of 1,500 x 1,500 ruling lines (and a line of text)."""
    n = max(10, int(1500 * scale))
    step = 500 / n
    ops = [b"0.1 w"]
    for i in range(n):
        y = 100 + i * step
        ops.append(b"50 %.3f m 550 %.3f l S" % (y, y))
        x = 50 + i * step
        ops.append(b"%.3f 100 m %.3f 600 l S" % (x, x))
    return _one_page(_TEXT + b"\n".join(ops) + b"\n", filters=1)


def pdf_big_table(scale: float = 1) -> bytes:
    """A 200 x 60 ruled table with a digit in every cell."""
    rows, cols = max(5, int(200 * scale)), 60
    w, h = 540 / cols, 700 / rows
    ops = [_TEXT, b"0.2 w"]
    for r in range(rows + 1):
        y = 790 - 20 - r * h
        ops.append(b"20 %.2f m 560 %.2f l S" % (y, y))
    for c in range(cols + 1):
        x = 20 + c * w
        ops.append(b"%.2f 70 m %.2f %.2f l S" % (x, x, 770))
    ops.append(b"BT /F1 3 Tf")
    for r in range(rows):
        for c in range(cols):
            ops.append(b"1 0 0 1 %.2f %.2f Tm (%d) Tj" % (21 + c * w, 771 - 20 - (r + 1) * h, (r + c) % 10))
    ops.append(b"ET")
    return _one_page(b"\n".join(ops) + b"\n", filters=1)


def pdf_many_pages(scale: float = 1) -> bytes:
    """100,000 tiny pages sharing one content stream."""
    n = max(10, int(100_000 * scale))
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offs = []

    def obj(body: bytes) -> None:
        offs.append(out.tell())
        out.write(b"%d 0 obj\n" % len(offs) + body + b"\nendobj\n")

    obj(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    obj(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n)
    obj(_stream(_TEXT))
    obj(_FONT)
    for _ in range(n):
        obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offs) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offs))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offs) + 1, xref))
    return out.getvalue()


# -- DOCX ---------------------------------------------------------------------------------

_CT = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       b'<Default Extension="xml" ContentType="application/xml"/>'
       b'<Override PartName="/word/%s" ContentType="application/vnd.openxmlformats-officedocument.'
       b'wordprocessingml.document.main+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="word/%s"/></Relationships>')
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_PARA = b"<w:p><w:r><w:t>\xe6\x94\xbf\xe5\xba\x9c\xe4\xbf\xa1\xe6\x81\xaf\xe5\x85\xac\xe5\xbc\x80 0 0 0</w:t></w:r></w:p>"


def _docx(main_name: bytes, body_chunks: Callable[[], object], extra: dict[str, Callable[[], object]] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CT % main_name)
        zf.writestr("_rels/.rels", _RELS % main_name)
        with zf.open("word/" + main_name.decode(), "w", force_zip64=True) as fh:
            for chunk in body_chunks():  # type: ignore[attr-defined]
                fh.write(chunk)
        for name, chunks in (extra or {}).items():
            with zf.open(name, "w", force_zip64=True) as fh:
                for chunk in chunks():  # type: ignore[attr-defined]
                    fh.write(chunk)
    return out.getvalue()


def _big_body(nbytes: int):
    def chunks():
        yield b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + _W + b"><w:body>"
        block = _PARA * 4096
        for _ in range(max(1, nbytes // len(block))):
            yield block
        yield b"</w:body></w:document>"
    return chunks


def docx_renamed_main(scale: float = 1) -> bytes:
    """The main part renamed word/main.dat (a small decoy word/document.xml beside it):
    600 MB of XML that a guard summing only ``*.xml`` parts misses."""
    return _docx(b"main.dat", _big_body(int(600e6 * scale)),
                 {"word/document.xml": _big_body(1)})


def docx_big_document(scale: float = 1) -> bytes:
    """A 240 MB word/document.xml in a small zip."""
    return _docx(b"document.xml", _big_body(int(240e6 * scale)))


def docx_media_part(scale: float = 1) -> bytes:
    """A small document with a 2 GB media part."""
    n = int(2e9 * scale)

    def media():
        block = b"\0" * (1 << 20)
        for _ in range(max(1, n >> 20)):
            yield block
    return _docx(b"document.xml", _big_body(1), {"word/media/image1.png": media})


def docx_gridspan(scale: float = 1) -> bytes:
    """Table cells with gridSpan / gridBefore of 10**8."""
    def chunks():
        yield b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + _W + b"><w:body>" + _PARA
        row = (b"<w:tr><w:trPr><w:gridBefore w:val=\"100000000\"/></w:trPr>"
               b"<w:tc><w:tcPr><w:gridSpan w:val=\"100000000\"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
               b"<w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>")
        yield (b"<w:tbl><w:tblGrid><w:gridCol w:w=\"100\"/><w:gridCol w:w=\"100\"/></w:tblGrid>"
               + row * 200 + b"</w:tbl>")
        yield b"</w:body></w:document>"
    return _docx(b"document.xml", chunks)


# -- HTML ---------------------------------------------------------------------------------

_REPORT_P = "<p>政府信息公开工作年度报告 主动公开 申请</p>"


def html_span_tables(scale: float = 1) -> bytes:
    """200 tables in 1.8 MB whose cells span 1000 x 1000."""
    n = max(2, int(200 * scale))
    row = "<tr>" + "<td colspan=1000 rowspan=1000>1</td>" * 3 + "</tr>"
    table = "<table>" + row * 40 + "</table>"
    return ("<html><body>" + _REPORT_P + table * n + "</body></html>").encode()


def html_huge(scale: float = 1) -> bytes:
    """A 50 MB page of paragraphs."""
    n = int(50e6 * scale)
    p = _REPORT_P * 200
    return ("<html><body>" + p * max(1, n // len(p.encode())) + "</body></html>").encode()


def html_deep(scale: float = 1) -> bytes:
    """5.3 MB nested past libxml2's depth limit, with tag starts that never close."""
    n = int(5.3e6 * scale)
    unit = "<font color=red>政府信息公开<font "
    return ("<html><body>" + _REPORT_P + unit * max(3000, n // len(unit.encode())) + "</body></html>").encode()


def html_meta_undefined(scale: float = 1) -> bytes:
    return ('<html><head><meta charset="undefined"><title>报告</title></head><body>'
            + _REPORT_P + "</body></html>").encode()


# -- text ---------------------------------------------------------------------------------

def _oneline_report() -> str:
    from govreport.fixtures import default_spec, render_oneline

    return render_oneline(default_spec())


def text_digit_rows(scale: float = 1) -> bytes:
    """A one-line report whose table 三 row carries 200 extra digits, another 80 digits."""
    text = _oneline_report()
    extra = max(20, int(200 * scale))
    text = text.replace("申请数量182001021", "申请数量182001021" + "1234567890" * (extra // 10), 1)
    text = text.replace("（一）予以公开6100007", "（一）予以公开" + "31415926535897932384" * 4, 1)
    return text.encode()


def text_digit_line(scale: float = 1) -> bytes:
    """A report with a single 20 MB line of digits."""
    n = int(20e6 * scale)
    return (_oneline_report() + "\n" + "7" * n + "\n").encode()


GENERATORS: dict[str, tuple[str, Callable[[float], bytes]]] = {
    "pdf-flate-bomb": ("pdf", pdf_flate_bomb),
    "pdf-glyph-flood": ("pdf", pdf_glyph_flood),
    "pdf-self-xobject": ("pdf", pdf_self_xobject),
    "pdf-self-content": ("pdf", pdf_self_content),
    "pdf-ref-cycle": ("pdf", pdf_ref_cycle),
    "pdf-xref-index": ("pdf", pdf_xref_index),
    "pdf-xobject-fanout": ("pdf", pdf_xobject_fanout),
    "pdf-form-paths": ("pdf", pdf_form_paths),
    "pdf-cmap-range": ("pdf", pdf_cmap_range),
    "pdf-rulings": ("pdf", pdf_rulings),
    "pdf-big-table": ("pdf", pdf_big_table),
    "pdf-many-pages": ("pdf", pdf_many_pages),
    "docx-renamed-main": ("docx", docx_renamed_main),
    "docx-big-document": ("docx", docx_big_document),
    "docx-media-part": ("docx", docx_media_part),
    "docx-gridspan": ("docx", docx_gridspan),
    "html-span-tables": ("html", html_span_tables),
    "html-huge": ("html", html_huge),
    "html-deep": ("html", html_deep),
    "html-meta-undefined": ("html", html_meta_undefined),
    "text-digit-rows": ("txt", text_digit_rows),
    "text-digit-line": ("txt", text_digit_line),
}


def write(name: str, folder: Path, scale: float = 1) -> Path:
    ext, gen = GENERATORS[name]
    path = Path(folder) / f"{name}.{ext}"
    path.write_bytes(gen(scale))
    return path


# -- running ------------------------------------------------------------------------------

# A small go-between process: a child's peak RSS (wait4's ru_maxrss) starts from the RSS
# of the process that forked it, so the test process (holding generated files) must not
# fork the parse itself.
_WRAPPER = ("import json, os, subprocess, sys\n"
            "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
            "_, status, ru = os.wait4(p.pid, 0)\n"
            "print(json.dumps([os.waitstatus_to_exitcode(status), ru.ru_maxrss]))\n")


def run_cli(args: list[str], timeout: float = 300) -> tuple[int, str, float, float]:
    """Run ``govreport ARGS`` in a child process: (exit code, stderr, wall seconds,
    peak RSS of the parse in MiB)."""
    import json
    import subprocess
    import sys
    import time

    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-S", "-c", _WRAPPER, sys.executable, "-m",
                           "govreport.cli", *args], capture_output=True, timeout=timeout)
    wall = time.perf_counter() - t0
    code, maxrss_kib = json.loads(done.stdout)
    return code, done.stderr.decode("utf-8", "replace"), wall, maxrss_kib / 1024
