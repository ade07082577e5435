"""PDF tables with ruling lines missing: whole columns unruled (no grid at all: the text
is read), a few inner rules missing so several cells merge ("18 3 6"), or a split table
whose continuation page has no rules (those rows come from the text, checked against
the grid)."""
from __future__ import annotations

import pytest

import govreport
from govreport import fixtures as F

pytest.importorskip("reportlab")

FONT = "STSong-Light"


def render(spec, path, mode: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    st = ParagraphStyle("b", fontName=FONT, fontSize=11, leading=16, wordWrap="CJK")
    rows = [["", "", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]]
    for key, label, kind in F.t3_rows(spec.table3.variant):
        lab = ["", "", ""]
        lab[0 if kind == "top" else (1 if kind == "result" else 2)] = label[:16]
        rows.append(lab + ["" if spec.table3.values.get(f"requests.{key}.{c}") is None
                           else str(spec.table3.values[f"requests.{key}.{c}"]) for c, _ in F.T3_COLUMNS])
    n = len(rows)
    style = [("FONT", (0, 0), (-1, -1), FONT, 6.5), ("BOX", (0, 0), (-1, -1), 0.6, "black"),
             ("LINEBELOW", (0, 0), (-1, -1), 0.6, "black")]
    if mode == "partial":  # no rules between the four middle value columns in rows 4..12
        for c in range(9):
            if c in (4, 5, 7):
                style += [("LINEAFTER", (c, 0), (c, 3), 0.6, "black"),
                          ("LINEAFTER", (c, 13), (c, n - 1), 0.6, "black")]
            else:
                style.append(("LINEAFTER", (c, 0), (c, n - 1), 0.6, "black"))
    widths = [40, 60, 150] + [38] * 7
    if mode == "split":  # ruled first part; the part continued on the next page has no rules
        grid = style + [("GRID", (0, 0), (-1, -1), 0.6, "black")]
        first, rest = Table(rows[:12], colWidths=widths), Table(rows[12:], colWidths=widths)
        first.setStyle(TableStyle(grid))
        rest.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 6.5)]))
        tables = [first, PageBreak(), rest]
    else:
        table = Table(rows, colWidths=widths)
        table.setStyle(TableStyle(style))
        tables = [table]
    story = [Paragraph(spec.title, st), Paragraph("一、总体情况", st),
             Paragraph("本机关依法做好政府信息公开工作。", st),
             Paragraph("三、收到和处理政府信息公开申请情况", st),
             Paragraph("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况", st),
             *tables]
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20, rightMargin=20).build(story)


@pytest.mark.parametrize("mode", ["hlines", "partial", "split"])
def test_missing_rulings(tmp_path, mode):
    spec = F.random_spec(4, variant="2021")
    path = tmp_path / f"{mode}.pdf"
    render(spec, path, mode)
    report = govreport.parse(path)
    want = {k: v for k, v in F.expected_facts(spec).items() if k.startswith("requests.")}
    got = {k: report.facts.get(k, "<absent>") for k in want}
    assert got == want
    assert report.meta["table3_variant"] == "2021"
