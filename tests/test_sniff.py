"""The one sniffer (readers and batch): kinds, a hardened PDF header test, BOM distrust."""
from __future__ import annotations

import io
import zipfile

import pytest

from govreport.readers import read_document
from govreport.readers.encoding import decode_bytes
from govreport.readers.sniff import classify_file, is_pdf_header, sniff_bytes

CN = "某县人民政府2023年政府信息公开工作年度报告：本年度主动公开政府信息120条。"


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in names:
            zf.writestr(n, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("head, kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
    (b"\xef\xbb\xbf\r\n  %PDF-1.4\n", "pdf"),
    (b"\x00\x05\x80\xff\x00\x00junk\x01\x02\n%PDF-1.5\n%\xe2\xe3\n4 0 obj\n<<>>", "pdf"),
    (_zip("word/document.xml"), "docx"),
    (_zip("OFD.xml", "Doc_0/Document.xml"), "ofd"),
    (_zip("xl/workbook.xml"), "xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "ole"),
    (b"{\\rtf1\\ansi hello}", "rtf"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image"),
    (b"II*\x00" + b"\0" * 32, "image"),
    (b"<!DOCTYPE html><html>", "html"),
    (CN.encode("gbk"), "text"),
    (b"Rar!\x1a\x07\x00", "other"),
    (bytes(range(256)) * 4, "binary"),
    (_zip("a.txt"), "zip"),
])
def test_kinds(head, kind):
    assert sniff_bytes(head).kind == kind


@pytest.mark.parametrize("data", [
    # a web page that mentions or quotes a PDF header
    b"<html><body><p>Files start with %PDF-1.7 as the header</p>\n%PDF-1.7\n1 0 obj</body></html>",
    b"<!-- saved from url -->\n%PDF-1.4\n1 0 obj\n",
    # a text file that talks about PDFs, the header on a line of its own too
    ("说明：PDF文件以%PDF-1.7开头。" + CN).encode("utf-8"),
    ("附件格式说明\n%PDF-1.4\n1 0 obj 是对象\n" + CN).encode("gbk"),
    b"Release notes\nThe header %PDF-1.4 is checked.\n",
    # a header past the first KiB
    b"\x00\x01" * 600 + b"\n%PDF-1.4\n1 0 obj",
])
def test_text_or_html_mentioning_a_pdf_header_is_not_a_pdf(data):
    assert not is_pdf_header(data)
    assert sniff_bytes(data).kind != "pdf"


def test_junk_before_the_header_needs_an_object_after_it():
    junk = b"\x00\x05\x80\xff\x00\x00\x01\x02\x03\n"
    assert is_pdf_header(junk + b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n12 0 obj\n<<>>")
    assert not is_pdf_header(junk + b"%PDF-1.6\nno object here")


def test_html_mentioning_pdf_is_read_as_html():
    page = (f"<html><head><title>年报</title></head><body><p>{CN}</p>"
            "<p>下载：%PDF-1.7 格式</p></body></html>").encode()
    assert read_document(page, path="a.html").kind == "html"


def test_utf8_bom_in_front_of_gbk_is_not_trusted():
    data = b"\xef\xbb\xbf" + CN.encode("gbk")
    assert decode_bytes(data) == (CN, "gb18030")
    doc = read_document(data, path="bom.txt")
    assert "主动公开政府信息120条" in doc.text
    # a real UTF-8 body keeps its BOM reading, and a last character cut off is forgiven
    assert decode_bytes(b"\xef\xbb\xbf" + CN.encode("utf-8"))[1] == "utf-8-sig"
    assert decode_bytes(b"\xef\xbb\xbf" + CN.encode("utf-8")[:-1])[1] == "utf-8-sig"


@pytest.mark.parametrize("name, head, kind", [
    ("a.pdf", b"%PDF-1.7\n", "pdf"),
    ("note.txt", b"The header %PDF-1.7 is in every PDF.\n" + CN.encode(), "text"),
    ("x.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "ole"),
    ("stats.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "ole"),
    ("r.ofd", _zip("OFD.xml"), "ofd"),
    ("r.rtf", b"{\\rtf1 x}", "rtf"),
])
def test_batch_classifies_inputs(tmp_path, name, head, kind):
    assert classify_file(head, str(tmp_path / name))[0] == kind


def test_batch_takes_images_only_when_a_reader_reads_them(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
    assert classify_file(png, str(tmp_path / "p.png")) == (None, "PNG image")
    assert classify_file(png, str(tmp_path / "p.png"), readable_kinds=("image",))[0] == "image"
