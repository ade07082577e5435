"""Readers stage: bytes in, Document out. Fixtures are generated here (no binaries)."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pytest

from _corpus import CORPUS, needs_corpus
from govreport.errors import (
    EmptyFileError,
    EncryptedError,
    GovReportError,
    LimitExceededError,
    LowTextQualityError,
    NoTextLayerError,
    UnreadableError,
    UnsupportedTypeError,
)
from govreport.options import Options
from govreport.readers import read_document, sniff_kind
from govreport.readers.encoding import decode_bytes

# -- fixtures: PDFs ----------------------------------------------------------------------

TABLE_ROWS = [
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "0"],
    ["行政规范性文件", "3", "5", "12"],
]


def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@pytest.fixture(scope="module")
def table_pdf() -> bytes:
    """Page 1: prose only. Page 2: a heading, prose, a GRID table, prose after."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    font = _cjk_font()
    style = ParagraphStyle("cn", fontName=font, fontSize=11, leading=16)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    table = Table(TABLE_ROWS)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ]))
    doc.build([
        Paragraph("测试区人民政府2023年政府信息公开工作年度报告", style),
        Paragraph("一、总体情况", style),
        Paragraph("本年度主动公开政府信息1136条。", style),
        PageBreak(),
        Paragraph("二、主动公开政府信息情况", style),
        Paragraph("第二十条第（一）项", style),
        table,
        Paragraph("三、收到和处理政府信息公开申请情况", style),
    ])
    return buf.getvalue()


def _canvas_pdf(lines: list[str], *, encrypt: str | None = None, pages: int = 1,
                font: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    font = font or _cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    for _ in range(pages):
        c.setFont(font, 12)
        y = 780
        for line in lines:
            c.drawString(72, y, line)
            y -= 20
        c.showPage()
    c.save()
    return buf.getvalue()


def _raw_pdf(objects: list[bytes]) -> bytes:
    """Assemble a PDF from object bodies (object 1 must be the catalog) with a valid xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def _image_only_pdf() -> bytes:
    content = b"q 200 0 0 200 100 500 cm /Im1 Do Q"
    image = _stream(b"\x00\xff\x00\xff", b"/Type /XObject /Subtype /Image /Width 2 /Height 2 "
                                         b"/ColorSpace /DeviceGray /BitsPerComponent 8")
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(content),
        image,
    ])


def _cid_pdf() -> bytes:
    """Text in a Type0 font without a ToUnicode map: pdfminer can only say (cid:N)."""
    content = b"BT /F1 14 Tf 72 700 Td <0a0b0c0d0e0f10111213141516171819> Tj ET"
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Custom /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Custom "
        b"/CIDSystemInfo << /Registry (Custom) /Ordering (Custom) /Supplement 0 >> "
        b"/FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /Custom /Flags 4 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ])


def _no_pages_pdf() -> bytes:
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ])


# -- fixtures: HTML ----------------------------------------------------------------------

HTML_BODY = """
<h1>某市人民政府2019年政府信息公开工作年度报告</h1>
<script>var x = "不应出现的脚本";</script><style>p {color: red}</style>
<p>一、总体情况</p>
<p>2019年，本机关主动公开政府信息1136条。</p>
<table border="1">
 <tr><td colspan="4">第二十条第（一）项</td></tr>
 <tr><td>信息内容</td><td>本年新<br />制作数量</td><td>本年新<br />公开数量</td><td>对外公开总数量</td></tr>
 <tr><td rowspan="2">规章</td><td>13</td><td>&nbsp;</td><td>524</td></tr>
 <tr><td>6</td><td>7</td><td>8</td></tr>
</table>
<p>二、主动公开政府信息情况</p>
"""


def _html(charset: str | None) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}<title>政府信息公开年报</title></head><body>{HTML_BODY}</body></html>"


EXPECTED_HTML_GRID = [
    ["第二十条第（一）项"] * 4,
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "13", "", "524"],
    ["规章", "6", "7", "8"],
]


def _check_html_doc(doc, encoding: str) -> None:
    assert doc.kind == "html"
    assert doc.encoding == encoding
    assert doc.title_hint == "政府信息公开年报"
    text = doc.text
    assert "不应出现的脚本" not in text and "color" not in text
    assert "2019年，本机关主动公开政府信息1136条。" in text
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.rows == EXPECTED_HTML_GRID
    assert table.source == "html" and table.index == 0 and table.page is None
    assert text[table.offset:].startswith("第二十条第（一）项")
    # prose around the table keeps its order; the table rows are lines of the text
    assert text.index("1136条") < table.offset < text.index("二、主动公开政府信息情况")
    assert "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量" in text


# -- PDF ---------------------------------------------------------------------------------

def test_pdf_text_and_ruled_table(table_pdf, tmp_path):
    f = tmp_path / "report.pdf"
    f.write_bytes(table_pdf)
    doc = read_document(f)
    assert doc.kind == "pdf" and doc.path == str(f)
    assert len(doc.pages) == 2 and [p.number for p in doc.pages] == [1, 2]
    assert "测试区人民政府2023年政府信息公开工作年度报告" in doc.pages[0].text
    assert doc.title_hint == "测试区人民政府2023年政府信息公开工作年度报告"
    assert doc.pages[0].tables == []
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.rows == TABLE_ROWS
    assert table.page == 2 and table.index == 0 and table.source == "pdf"
    assert doc.page_at(table.offset) == 2
    assert doc.text[table.offset:].startswith("信息内容")
    assert doc.text.index("第二十条第（一）项") < table.offset < doc.text.index("三、收到和处理")
    import hashlib
    assert doc.sha256 == hashlib.sha256(table_pdf).hexdigest()


def test_pdf_from_bytes_and_file_object(table_pdf):
    doc = read_document(table_pdf)
    assert doc.path == "<bytes>" and doc.kind == "pdf"
    doc2 = read_document(io.BytesIO(table_pdf), path="x/y.pdf")
    assert doc2.path == "x/y.pdf" and doc2.text == doc.text


def test_pdf_encrypted():
    # (reportlab encrypts the CID font's /Registry strings too and pdfminer then loses the
    # Unicode map, so the encrypted fixture uses a standard font)
    data = _canvas_pdf(["Annual report 2023, encrypted"], encrypt="pw", font="Helvetica")
    with pytest.raises(EncryptedError) as ei:
        read_document(data, path="secret.pdf")
    assert "secret.pdf" in str(ei.value) and "password" in str(ei.value)
    with pytest.raises(EncryptedError, match="wrong"):
        read_document(data, path="secret.pdf", options=Options(password="nope"))
    doc = read_document(data, options=Options(password="pw"))
    assert "Annual report 2023, encrypted" in doc.text


def test_pdf_truncated_and_corrupt(table_pdf):
    with pytest.raises(UnreadableError) as ei:
        read_document(table_pdf[: len(table_pdf) // 3], path="cut.pdf")
    assert str(ei.value).startswith("cut.pdf: ")
    with pytest.raises(UnreadableError):
        read_document(b"%PDF-1.7\n" + os.urandom(3000), path="junk.pdf")


def test_pdf_no_pages():
    with pytest.raises(UnreadableError, match="no pages"):
        read_document(_no_pages_pdf(), path="empty.pdf")


def test_pdf_max_pages():
    data = _canvas_pdf(["第一页"], pages=3)
    with pytest.raises(LimitExceededError, match="3 pages"):
        read_document(data, options=Options(max_pages=2))
    assert len(read_document(data, options=Options(max_pages=3)).pages) == 3


def test_pdf_scanned_without_text_layer():
    with pytest.raises(NoTextLayerError, match="OCR"):
        read_document(_image_only_pdf(), path="scan.pdf")


def test_pdf_cid_garbage():
    with pytest.raises(LowTextQualityError, match="cid"):
        read_document(_cid_pdf(), path="cid.pdf")


# -- HTML --------------------------------------------------------------------------------

def test_html_utf8_spans_br_nbsp():
    _check_html_doc(read_document(_html("utf-8").encode("utf-8")), "utf-8")


def test_html_gbk_with_meta():
    _check_html_doc(read_document(_html("gbk").encode("gbk")), "gb18030")


def test_html_gbk_without_meta():
    _check_html_doc(read_document(_html(None).encode("gbk")), "gb18030")


@pytest.mark.parametrize("wrong", ["utf-8", "big5", "iso-8859-1", "shift_jis", "no-such-charset"])
def test_html_gbk_with_wrong_declared_charset(wrong):
    _check_html_doc(read_document(_html(wrong).encode("gbk")), "gb18030")


def test_html_utf8_declared_gbk():
    _check_html_doc(read_document(_html("gb2312").encode("utf-8")), "utf-8")


def test_html_big5():
    trad = ('<html><head><meta charset="big5"><title>政府資訊公開年報</title></head><body>'
            "<p>本機關主動公開政府資訊1136條，收到政府資訊公開申請21件。</p>"
            "<table><tr><th>申請人情況</th><th>總計</th></tr><tr><td>本年新收申請數量</td><td>21</td></tr></table>"
            "</body></html>")
    for html in (trad, trad.replace('<meta charset="big5">', "")):
        doc = read_document(html.encode("big5"))
        assert doc.encoding == "big5hkscs"
        assert "本機關主動公開政府資訊1136條" in doc.text
        assert doc.tables[0].rows == [["申請人情況", "總計"], ["本年新收申請數量", "21"]]


def test_html_utf8_bom_fragment():
    data = "\ufeff".encode("utf-8") + HTML_BODY.encode("utf-8")
    doc = read_document(data)
    assert doc.kind == "html" and doc.encoding == "utf-8-sig"
    assert not doc.text.startswith("\ufeff")
    assert doc.title_hint == "某市人民政府2019年政府信息公开工作年度报告"  # first <h1>
    assert doc.tables[0].rows == EXPECTED_HTML_GRID


def test_pdf_named_file_holding_html(tmp_path):
    f = tmp_path / "report.pdf"
    f.write_bytes(_html("utf-8").encode("utf-8"))
    doc = read_document(f)
    assert doc.kind == "html" and doc.tables[0].rows == EXPECTED_HTML_GRID


def test_html_layout_table_and_ragged_rows():
    html = ("<table><tr><td><p>标题段落</p><table><tr><td>甲</td><td>乙</td></tr>"
            "<tr><td>1</td></tr></table><p>结尾</p></td></tr></table>")
    doc = read_document(html.encode())
    assert len(doc.tables) == 1  # the outer (layout) table is not a grid
    assert doc.tables[0].rows == [["甲", "乙"], ["1", None]]
    assert doc.text.split("\n") == ["标题段落", "甲\t乙", "1", "结尾"]


# -- text and markdown -------------------------------------------------------------------

def test_text_crawler_dump():
    dump = ("标题: 平潭综合实验区2019年度政府信息公开工作年度报告\r\n发布时间: 2020-01-20 15:22\r\n"
            "原文链接: https://example.gov.cn/a.htm\r\n==================== 正文 ====================\r\n"
            "平潭综合实验区2019年政府信息公开工作年度报告 根据《条例》要求……共受理申请11件。")
    doc = read_document(dump.encode("utf-8"))
    assert doc.kind == "text" and doc.encoding == "utf-8"
    assert doc.title_hint == "平潭综合实验区2019年度政府信息公开工作年度报告"
    assert "\r" not in doc.text and doc.text.startswith("标题: ")
    assert doc.pages[0].number is None and doc.tables == []


def test_text_gbk_snippet_with_url():
    snippet = ("http://xxgk.example.gov.cn/2018/3/26/1.html\n某省人民政府2017年政府信息公开工作报告\n"
               "本报告是根据《中华人民共和国政府信息公开条例》编制的。全年共受理申请11件。\n")
    doc = read_document(snippet.encode("gbk"))
    assert doc.kind == "text" and doc.encoding == "gb18030"
    assert doc.text.startswith("http://xxgk")
    assert doc.title_hint == "某省人民政府2017年政府信息公开工作报告"


def test_markdown_tables():
    md = ("# 某县2025年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n"
          "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
          "| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 6 |  | 32 |\n\n说明文字。\n\n"
          "| 信息内容 | 本年处理决定数量 |\n| :--- | ---: |\n| 行政许可 | 517645 |\n")
    doc = read_document(md.encode("utf-8"))
    assert doc.kind == "markdown"
    assert doc.title_hint == "某县2025年政府信息公开工作年度报告"
    t0, t1 = doc.tables
    assert t0.rows == [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                       ["规章", "0", "0", "0"], ["行政规范性文件", "6", "", "32"]]
    assert t1.rows == [["信息内容", "本年处理决定数量"], ["行政许可", "517645"]]
    assert (t0.index, t1.index, t0.source) == (0, 1, "markdown")
    assert doc.text[t0.offset:].startswith("| 信息内容 | 本年制发件数")
    assert doc.text[t1.offset:].startswith("| 信息内容 | 本年处理决定数量")
    assert "| 规章 | 0 | 0 | 0 |" in doc.text


# -- DOCX --------------------------------------------------------------------------------

def _docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("某区2023年政府信息公开工作年度报告", level=1)
    d.add_paragraph("一、总体情况")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).text = "信息内容"
    t.cell(0, 1).text = "本年处理决定数量"
    t.cell(0, 1).merge(t.cell(0, 2))
    t.cell(1, 0).text = "行政处罚"
    t.cell(1, 0).merge(t.cell(2, 0))
    t.cell(1, 1).text = "4119"
    t.cell(1, 2).text = "1"
    t.cell(2, 1).text = "195"
    t.cell(2, 2).text = "2"
    d.add_paragraph("二、主动公开政府信息情况")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_body_order_and_merges():
    doc = read_document(_docx_bytes(), path="r.docx")
    assert doc.kind == "docx"
    assert doc.title_hint == "某区2023年政府信息公开工作年度报告"
    (table,) = doc.tables
    assert table.rows == [["信息内容", "本年处理决定数量", "本年处理决定数量"],
                          ["行政处罚", "4119", "1"], ["行政处罚", "195", "2"]]
    lines = doc.text.split("\n")
    assert lines == ["某区2023年政府信息公开工作年度报告", "一、总体情况", "信息内容\t本年处理决定数量",
                     "行政处罚\t4119\t1", "195\t2", "二、主动公开政府信息情况"]
    assert doc.text[table.offset:].startswith("信息内容")


def test_docx_broken_zip():
    data = _docx_bytes()
    with pytest.raises(UnreadableError, match="bad.docx"):
        read_document(data[: len(data) // 2], path="bad.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document><broken")
    with pytest.raises(UnreadableError):
        read_document(buf.getvalue(), path="bad2.docx")


def test_docx_xxe_not_resolved(tmp_path):
    import docx

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    src = io.BytesIO()
    docx.Document().save(src)
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY x SYSTEM "file://%s">]>'
                                    % str(secret).encode(), 1)
                data = data.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>A&x;B</w:t></w:r></w:p>", 1)
            zout.writestr(item, data)
    try:
        doc = read_document(out.getvalue())
    except GovReportError:
        return  # refusing the document is fine too
    assert "TOPSECRET" not in doc.text


# -- sniffing, empties, limits ----------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf  \n"])
def test_empty(data, tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(data)
    with pytest.raises(EmptyFileError) as ei:
        read_document(f)
    assert str(f) in str(ei.value)


def test_unsupported_types():
    with pytest.raises(UnsupportedTypeError, match="binary data"):
        read_document(bytes(range(256)) * 40, path="random.bin")
    with pytest.raises(UnsupportedTypeError, match="PNG image"):
        read_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, path="x.pdf")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(UnsupportedTypeError, match="ZIP archive"):
        read_document(buf.getvalue(), path="a.docx")


def test_max_bytes(tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes("政府信息公开".encode() * 100)
    with pytest.raises(LimitExceededError, match="big.txt"):
        read_document(f, options=Options(max_bytes=100))
    with pytest.raises(LimitExceededError):
        read_document(f.read_bytes(), options={"max_bytes": 100})
    with pytest.raises(LimitExceededError):
        read_document(io.BytesIO(f.read_bytes()), options=Options(max_bytes=100))


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableError, match="not found"):
        read_document(tmp_path / "nope.pdf")


def test_sniff_kind():
    assert sniff_kind(b"  \n%PDF-1.7 ...") == "pdf"
    assert sniff_kind(b"<!DOCTYPE html><html>") == "html"
    assert sniff_kind(b"<p>fragment</p>") == "html"
    assert sniff_kind("正文 <不是标签>".encode()) == "text"


def test_decode_bytes_helper():
    s = "政府信息公开工作年度报告：本年新收申请21件。"
    assert decode_bytes(s.encode("gbk")) == (s, "gb18030")
    assert decode_bytes(s.encode("gbk"), "utf-8") == (s, "gb18030")
    assert decode_bytes(s.encode("utf-8"), "gbk") == (s, "utf-8")
    assert decode_bytes(s.encode("utf-16"))[0] == s
    t = "政府資訊公開工作年度報告：本年新收申請21件。"
    assert decode_bytes(t.encode("big5")) == (t, "big5hkscs")
    assert decode_bytes(b"plain ascii", "gbk") == ("plain ascii", "gb18030")


def test_import_is_lazy():
    code = ("import sys, govreport, govreport.readers; "
            "print(any(m in sys.modules for m in ('pdfplumber', 'lxml', 'docx', 'pdfminer')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- real corpus -------------------------------------------------------------------------

@needs_corpus
def test_corpus_hongze_pdf():
    doc = read_document(CORPUS / "hongze-2023.pdf")
    assert doc.kind == "pdf" and len(doc.pages) == 5
    t3 = [t for t in doc.tables
          if any(c and "本年新收政府信息公开申请数量" in c for r in t.rows for c in r)
          or any(c and "结转下年度继续办理" in c for r in t.rows for c in r)]
    assert [t.page for t in t3] == [3, 4]
    first, second = t3
    row = next(r for r in first.rows if r[0] and r[0].startswith("一、本年新收"))
    assert [c for c in row if c and c.isdigit()] == ["21", "0", "0", "0", "0", "0", "21"]
    assert any("商业企业" in (c or "") for r in first.rows for c in r)  # "商业\n企业" joined
    assert any(r[-1] == "21" and "（七）总计" in (r[1] or "") for r in second.rows)
    for t in doc.tables:  # no prose pseudo-tables from the background rectangles
        assert t.n_cols >= 2
        assert doc.page_at(t.offset) == t.page
    # offsets land on the table's own text
    assert "申请人情况" in doc.text[first.offset:first.offset + 80]
    assert doc.text[second.offset:].startswith("3.补正后申请内容仍不明确")


@needs_corpus
def test_corpus_shanghai_html():
    doc = read_document(CORPUS / "shanghai-bgt-2019.html")
    assert doc.kind == "html" and doc.encoding == "utf-8"
    assert doc.title_hint == "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    headers = [r for t in doc.tables for r in t.rows if "本年新制作数量" in r]
    assert headers and headers[0][:2] == ["信息内容", "本年新制作数量"]
    t3 = next(t for t in doc.tables if any("法律服务机构" in (c or "") for r in t.rows for c in r))
    assert t3.n_cols == 10 and t3.rows[3][-1] == "859"


@needs_corpus
def test_corpus_text_and_markdown():
    doc = read_document(CORPUS / "pingtan-syq-2019.txt")
    assert doc.kind == "text" and doc.title_hint == "平潭综合实验区2019年度政府信息公开工作年度报告"
    md = read_document(CORPUS / "shuyang-2025.md")
    assert md.kind == "markdown" and len(md.tables) >= 4
    assert md.tables[0].rows[0] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    kewei = read_document(CORPUS / "shanghai-kewei-2024.md")
    assert kewei.kind == "markdown" and kewei.tables
    assert kewei.title_hint == "2024 年上海市科委政府信息公开工作年度报告"


# -- robustness: arbitrary bytes only ever raise typed errors ---------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"| a | b |\n|---|---|\n",
                               b"\xef\xbb\xbf", "政府信息公开".encode("gbk")]),
       body=st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_typed_errors(prefix, body):
    try:
        doc = read_document(prefix + body, path="fuzz")
    except GovReportError as exc:
        assert str(exc).startswith("fuzz: ")
    else:
        assert doc.kind in {"pdf", "html", "text", "markdown", "docx"}
        for t in doc.tables:
            assert 0 <= t.offset <= len(doc.text)
