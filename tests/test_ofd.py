"""OFD reader: a generated report exported as OFD gives the facts of its PDF twin; the
archive guards of the DOCX reader hold (bombs, entry counts, path escapes, entities)."""
from __future__ import annotations

import io
import zipfile

import pytest

import govreport.fixtures as F
from _ofd import NS, ofd_from_pdf, ofd_package
from govreport import parse
from govreport.errors import LimitExceededError, UnreadableError
from govreport.readers import ofd as ofd_reader
from govreport.readers import read_document
from govreport.readers.sniff import sniff_bytes


@pytest.fixture(scope="module")
def twin(tmp_path_factory):
    path = tmp_path_factory.mktemp("ofd") / "report.pdf"
    F.render_pdf(F.random_spec(5), path)
    ofd = path.with_suffix(".ofd")
    ofd.write_bytes(ofd_from_pdf(path))
    return path, ofd


def test_ofd_gives_the_facts_of_its_pdf_twin(twin):
    pdf, ofd = twin
    assert sniff_bytes(ofd.read_bytes()).kind == "ofd"
    doc = read_document(ofd)
    assert doc.kind == "ofd" and len(doc.pages) == len(read_document(pdf).pages)
    assert len(doc.tables) >= 3
    text_twin, report = parse(pdf), parse(ofd)
    assert report.facts == text_twin.facts
    t3 = report.provenance["requests.new_received.total"]
    assert t3["table"] is not None and t3["page"] >= 1


def _text(x: float, y: float, text: str, *, extra: str = "", size: float = 4.0) -> str:
    return (f'<ofd:TextObject ID="1" Boundary="{x} 0 200 297" Size="{size}"{extra}>'
            f'<ofd:TextCode X="0" Y="{y}">{text}</ofd:TextCode></ofd:TextObject>')


def test_lines_by_baseline_deltas_with_repeats_and_ctm():
    body = ('<ofd:TextObject ID="1" Boundary="20 0 190 297" Size="4">'
            '<ofd:TextCode X="0" Y="30" DeltaX="g 5 4">政府信息公开</ofd:TextCode></ofd:TextObject>'
            + _text(20, 40, "年度报告")
            # scaled by its CTM: size 2 x 2 = 4 mm, positioned at x = 20 + 2 * 0
            + '<ofd:TextObject ID="2" Boundary="20 0 190 297" Size="2" CTM="2 0 0 2 0 0">'
              '<ofd:TextCode X="0" Y="25">第三行</ofd:TextCode></ofd:TextObject>')
    doc = read_document(ofd_package([body]), path="a.ofd")
    assert doc.pages[0].text == "政府信息公开\n年度报告\n第三行"


def test_a_ruled_table_from_path_objects_with_a_merged_cell():
    rules = []
    for y in (50, 60, 70):
        rules.append(f"M 20 {y} L 140 {y}")
    for x, y0 in ((20, 50), (60, 50), (100, 60), (140, 50)):  # the top row spans two columns
        rules.append(f"M {x} {y0} L {x} 70")
    paths = "".join(f'<ofd:PathObject ID="3" Boundary="0 0 210 297"><ofd:AbbreviatedData>{d}'
                    f'</ofd:AbbreviatedData></ofd:PathObject>' for d in rules)
    cells = (_text(22, 58, "项目") + _text(62, 58, "合计") + _text(22, 68, "申请")
             + _text(62, 68, "12") + _text(102, 68, "3"))
    doc = read_document(ofd_package([paths + cells + _text(20, 30, "标题")]), path="t.ofd")
    (table,) = doc.tables
    assert table.rows == [["项目", "合计", None], ["申请", "12", "3"]]
    assert doc.text.startswith("标题\n项目 合计\n申请 12 3")
    assert doc.text[table.offset:].startswith("项目")


def test_a_rectangle_path_closed_with_c_is_four_rules():
    paths = ('<ofd:PathObject ID="3" Boundary="10 40 200 297"><ofd:AbbreviatedData>'
             'M 10 10 L 110 10 L 110 30 L 10 30 C M 60 10 L 60 30 M 10 20 L 110 20'
             '</ofd:AbbreviatedData></ofd:PathObject>')
    cells = _text(22, 58, "甲") + _text(72, 58, "乙") + _text(22, 68, "1") + _text(72, 68, "2")
    doc = read_document(ofd_package([paths + cells]), path="r.ofd")
    assert doc.tables[0].rows == [["甲", "乙"], ["1", "2"]]


def test_a_reference_leaving_the_archive_is_refused():
    data = ofd_package([_text(20, 30, "政府信息公开")], page_loc="../../etc/Page_{i}.xml")
    with pytest.raises(UnreadableError, match="leaves the archive"):
        read_document(data, path="escape.ofd")


def test_xml_entities_are_refused():
    body = _text(20, 30, "&xxe;")
    data = ofd_package([body])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            raw = src.read(info)
            if info.filename.endswith("Content.xml"):
                raw = raw.replace(b"?>", b'?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
            dst.writestr(info, raw)
    with pytest.raises(UnreadableError, match="entities"):
        read_document(buf.getvalue(), path="xxe.ofd")


def test_a_decompression_bomb_is_refused():
    data = ofd_package([_text(20, 30, "政府信息公开")], extra={"Doc_0/Res/big.bin": b"\0" * (8 << 20)})
    with pytest.raises(LimitExceededError, match="decompression bomb"):
        read_document(data, path="bomb.ofd")


def test_too_many_entries_are_refused(monkeypatch):
    monkeypatch.setattr(ofd_reader, "MAX_ENTRIES", 10)
    data = ofd_package([_text(20, 30, "政府信息公开")],
                       extra={f"Doc_0/Res/{i}.xml": b"<x/>" for i in range(20)})
    with pytest.raises(LimitExceededError, match="entries"):
        read_document(data, path="many.ofd")


@pytest.mark.parametrize("broken, message", [
    ({"OFD.xml": f'<ofd:OFD xmlns:ofd="{NS}"><ofd:DocBody/></ofd:OFD>'}, "no DocRoot"),
    ({"OFD.xml": "<ofd:OFD"}, "not well-formed"),
])
def test_broken_packages_are_typed_errors(broken, message):
    data = ofd_package([_text(20, 30, "x")])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, broken.get(info.filename, src.read(info)))
    with pytest.raises(UnreadableError, match=message):
        read_document(buf.getvalue(), path="broken.ofd")
