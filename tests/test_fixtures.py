"""The synthetic-report generator: consistent numbers, and every renderer prints them."""
from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from govreport import fixtures as fx
from govreport.fixtures import (
    T3_COLUMNS,
    T4_BLOCKS,
    T4_COLUMNS,
    arithmetic_problems,
    default_spec,
    expected_facts,
    expected_meta,
    expected_sections,
    printed_label,
    random_spec,
    render_html,
    render_markdown,
    render_oneline,
    render_text,
    t3_rows,
    table2_keys,
    table3_keys,
    table4_keys,
)
from govreport.fixtures import labels as fx_labels
from govreport.fixtures import layout as fx_layout

VARIANTS = ["2019", "2021", "mixed"]
TYPO = {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开"}


def _val(v) -> str:
    return fx_layout.Printer.value(v)


def _t3_expected_rows(spec):
    """(printed label, [7 printed values]) for every table-三 row."""
    out = []
    for key, label, _ in t3_rows(spec.table3.variant):
        vals = [_val(spec.table3.values.get(f"requests.{key}.{c}")) for c, _ in T3_COLUMNS]
        out.append((printed_label(spec, label), vals))
    return out


def _all_labels(spec) -> list[str]:
    """Every label a rendering must contain (as printed: typos, script; unwrapped)."""
    labels = [h for _, h in expected_sections(spec)]
    if spec.table2 is not None:
        subs = fx_labels.T2_2021 if spec.table2.variant == "2021" else fx_labels.T2_2019
        for caption, heads, rows in subs:
            labels += [caption, fx_labels.T2_HEAD, *heads, *(r for r, _ in rows)]
    if spec.table3 is not None:
        labels += [fx.T3_NOTE, fx.T3_RESULTS_LABEL, "申请人情况", "法人或其他组织"]
        labels += [lab for _, lab in T3_COLUMNS]
        labels += [lab for _, lab, _ in t3_rows(spec.table3.variant)]
        kinds = {k for _, _, k in t3_rows(spec.table3.variant)}
        labels += [g for k, g in fx_labels.T3_GROUPS.items() if k in kinds]
    if spec.table4 is not None:
        labels += ["行政复议", "行政诉讼"] + [b for _, b in T4_BLOCKS[1:]] + [c for _, c in T4_COLUMNS]
    return [printed_label(spec, lab) for lab in labels]


# ---------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("variant", VARIANTS)
def test_default_spec_is_consistent(variant):
    spec = default_spec(variant=variant)
    facts = expected_facts(spec)
    assert arithmetic_problems(facts, spec.table3.variant) == []
    t3 = [k for k in facts if k.startswith("requests.")]
    assert len(t3) == (175 if spec.table3.variant == "2021" else 161)
    assert set(t3) == set(table3_keys(spec.table3.variant))
    assert set(table2_keys(spec.table2.variant)) <= set(facts)
    assert set(table4_keys()) <= set(facts)
    assert None not in facts.values()
    assert facts["requests.new_received.total"] == 21
    assert facts["proactive.items"] == 1136
    assert facts["info_fee.collected_amount_yuan"] == 0
    assert "共受理政府信息公开申请21件" in spec.sections["overview"]
    assert "主动公开政府信息1136条" in spec.sections["overview"]
    assert "全年收取政府信息公开信息处理费0元" in spec.sections["other"]
    assert re.search("一是.*；二是.*；三是", spec.sections["problems"])
    assert expected_meta(spec)["table3_variant"] == ("2019" if variant != "2021" else "2021")


def test_mixed_variant_and_2019_other_row():
    spec = default_spec(variant="mixed")
    assert (spec.table2.variant, spec.table3.variant) == ("2021", "2019")
    facts = expected_facts(spec)
    assert facts["requests.other.total"] == 1 and "requests.other.misc.total" not in facts


@pytest.mark.parametrize("seed", range(12))
def test_random_specs_are_consistent(seed):
    spec = random_spec(seed, variant=VARIANTS[seed % 3])
    assert arithmetic_problems(expected_facts(spec), spec.table3.variant) == []
    assert min(v for k, v in expected_facts(spec).items() if k.startswith("requests.")) >= 0


def test_random_pre2019_prose_matches_facts():
    spec = random_spec(3, era="pre2019")
    facts = expected_facts(spec)
    assert f"受理政府信息公开申请{facts['legacy.requests.received']}件" in spec.sections["requests"]
    assert facts["legacy.requests.received"] == sum(
        facts[f"legacy.requests.{k}"] for k in ("in_person", "online", "letter"))


def test_arithmetic_problems_flags_each_rule():
    spec = default_spec()
    facts = expected_facts(spec)
    facts["requests.granted.natural_person"] += 1
    facts["review.total"] = 9
    rules = {m.split()[0] for m in arithmetic_problems(facts)}
    assert rules == {"T3-SUM", "T3-ROW", "T4-SUM"}
    facts = expected_facts(spec)
    facts["requests.carried_forward.total"] = 5
    assert any(m.startswith("T3-BAL total") for m in arithmetic_problems(facts))


def test_blank_and_printed_strings():
    spec = default_spec(variant="2019")
    spec.table3.values["requests.granted.research"] = None
    spec.table3.values["requests.granted.social_welfare"] = "/"
    del spec.table3.values["requests.granted.other_org"]
    facts = expected_facts(spec)
    assert facts["requests.granted.research"] is None
    assert facts["requests.granted.social_welfare"] is None
    assert facts["requests.granted.other_org"] is None
    assert facts["proactive.central_procurement.amount_yuan"] == 152000  # printed "152000元"
    assert facts["proactive.admin_licensing.change"] == -3
    assert arithmetic_problems(facts, "2019") == []  # blanks are not assessable, not failures


def test_make_table3_rejects_unknown_rows_and_negative_intake():
    with pytest.raises(ValueError):
        fx.make_table3({"nonsense": [1] * 6})
    with pytest.raises(ValueError):
        fx.make_table3({"granted": [1, 0, 0, 0, 0, 0]}, carried_over=[5, 0, 0, 0, 0, 0])


def test_pre2019_spec():
    spec = default_spec("pre2019")
    assert spec.year == 2017 and spec.table3 is None
    keys = [k for k, _ in expected_sections(spec)]
    assert keys == ["overview", "proactive", "requests", "fees", "review_litigation", "problems", "other"]
    facts = expected_facts(spec)
    assert facts["review.total"] == 0 and facts["litigation.total"] == 0
    assert facts["fees.collected_yuan"] == 0 and facts["proactive.items"] == 2110
    assert "累计主动公开政府信息15928条" in spec.sections["proactive"]  # cumulative: not a fact


def test_overrides_flow_into_prose():
    spec = default_spec(year=2021, issuer="某某县人民政府")
    assert spec.title == "某某县人民政府2021年政府信息公开工作年度报告"
    assert "2021年1月1日" in spec.preamble and "2021年" in spec.sections["overview"]


# ---------------------------------------------------------------------------- text renderers

def _check_text_rows(text: str, spec, sep: str = " ") -> None:
    lines = text.splitlines()
    for label, vals in _t3_expected_rows(spec):
        want = sep.join([label] + [v or fx.BLANK_TEXT for v in vals])
        assert want in lines, want


@pytest.mark.parametrize("variant", ["2019", "2021"])
def test_render_text_has_every_label_and_number(variant):
    spec = default_spec(variant=variant, label_typos=TYPO)
    spec.table3.values["requests.granted.research"] = None
    text = render_text(spec)
    for lab in _all_labels(spec):
        assert lab in text, lab
    assert "2.其他法律行政止公开 0 0 0 0 0 0 0" in text
    _check_text_rows(text, spec)
    assert "1.属于国家秘密 0 0 0 0 0 0 0" in text
    assert "2 1 0 1 4 1 0 0 0 1 0 0 0 1 1" in text  # table 四 as one row of 15
    assert "行政事业性收费 1532.46" in text or "行政事业性收费 4 0" in text


def test_render_text_wrapped_labels_put_numbers_after_the_last_line():
    spec = default_spec(wrap_labels=True)
    lines = render_text(spec).splitlines()
    i = lines.index("（二）部分公开（区分处理的，")
    assert lines[i + 1] == "只计这一情形，不计其他情形） 3 0 0 0 1 0 4"


def test_render_text_pre2019_is_prose():
    text = render_text(default_spec("pre2019"))
    assert "四、政府信息公开的收费及减免情况" in text and "未收取任何费用" in text
    assert "共受理政府信息公开申请11件" in text


def test_render_oneline_is_one_body_line():
    spec = default_spec(split_table3_at_row=12, label_typos=TYPO)
    dump = render_oneline(spec)
    lines = dump.rstrip("\n").split("\n")
    assert lines[0] == f"标题: {spec.title}"
    sep = lines.index("==================== 正文 ====================")
    assert len(lines) == sep + 2  # exactly one body line
    body = lines[-1]
    for lab in _all_labels(spec):
        assert lab in body, lab
    for label, vals in _t3_expected_rows(spec):
        assert label + "".join(vals) in body
    assert "一、本年新收政府信息公开申请数量182001021" in body


def test_render_markdown_pipe_tables():
    spec = default_spec(split_table3_at_row="denied.enforcement_file")
    md = render_markdown(spec)
    for lab in _all_labels(spec):
        assert lab in md, lab
    assert md.splitlines().count("|" + "---|" * 10) == 2  # table 三 in two parts
    for label, vals in _t3_expected_rows(spec):
        assert re.search(re.escape(label) + r" \|( [^|]* \|)*? " + r" \| ".join(vals) + r" \|", md), label
    assert "## 四、政府信息公开行政复议、行政诉讼情况" in md


# ---------------------------------------------------------------------------- HTML

@pytest.mark.parametrize("encoding,traditional", [("utf-8", False), ("gbk", False), ("gbk", True),
                                                  ("big5", True), ("big5", False)])
def test_render_html_encodings(encoding, traditional):
    import html as html_mod

    spec = default_spec(traditional=traditional, wrap_labels=True)
    data = render_html(spec, encoding=encoding)
    text = data.decode(encoding)  # strict: every byte is valid in the declared encoding
    assert f'<meta charset="{encoding}">' in text
    if encoding == "big5" and traditional:
        assert "&#" not in text  # a genuine big5 page
    plain = html_mod.unescape(re.sub(r"<br />", "", text))
    for lab in _all_labels(spec):
        assert lab in plain, lab


def test_render_html_structure():
    from lxml import html as lhtml

    spec = default_spec(split_table3_at_row="unavailable.unclear_after_correction")
    spec.table3.values["requests.granted.research"] = None
    doc = lhtml.fromstring(render_html(spec))
    tables = doc.findall(".//table")
    assert len(tables) == 4  # table 二, table 三 in two parts, table 四
    t3a, t3b = tables[1], tables[2]
    first = t3a.find(".//td")
    assert first.get("rowspan") == "3" and first.get("colspan") == "3"
    assert any(td.get("rowspan") == "8" and "不予公开" in td.text_content() for td in t3a.iter("td"))
    assert any(br is not None for br in t3a.iter("br"))  # 商业<br />企业
    assert "勾稽" not in t3b.text_content()  # continuation has no header
    assert "\xa0" in t3a.text_content()  # &nbsp; for the blank cell
    t4 = tables[3]
    assert len(t4.findall(".//tr")) == 4 and len(t4.findall(".//tr")[-1].findall("td")) == 15


# ---------------------------------------------------------------------------- PDF

needs_reportlab = pytest.mark.skipif(importlib.util.find_spec("reportlab") is None,
                                     reason="reportlab (test extra) not installed")


def _pdf_tables(path):
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = [(p.extract_text() or "", p.extract_tables()) for p in pdf.pages]
    return pages


def _find_row(pages, label, ncols=10):
    """(page index, row) of the table-三 row whose label cells read ``label``."""
    for i, (_, tables) in enumerate(pages):
        for t in tables:
            for row in t:
                if len(row) == ncols:
                    cells = [(c or "").replace("\n", "") for c in row[:3]]
                    if label in cells:
                        return i, row
    raise AssertionError(f"row {label!r} not found")


@needs_reportlab
def test_render_pdf_reads_back(tmp_path):
    spec = default_spec(variant="2021", split_table3_at_row="unavailable.unclear_after_correction",
                        label_typos=TYPO, wrap_labels=True)
    spec.table3.values["requests.granted.research"] = None
    path = fx.render_pdf(spec, tmp_path / "r.pdf")
    pages = _pdf_tables(path)
    alltext = "\n".join(t for t, _ in pages)
    cells = "".join((c or "").replace("\n", "") for _, ts in pages for t in ts for r in t for c in r)
    for lab in _all_labels(spec):
        assert lab in alltext or lab in cells, lab
    for lab in ("主动公开政府信息1136条", "共受理政府信息公开申请21件", "信息处理费0"):
        assert lab in alltext.replace("\n", "")
    # every table-三 row: exact numbers, blank -> ""
    for label, vals in _t3_expected_rows(spec):
        _, row = _find_row(pages, label)
        assert [c or "" for c in row[3:]] == vals, label
    # the split: part two on the next page, no header there, group labels merged (None)
    p1, _ = _find_row(pages, "2.没有现成信息需要另行制作")
    p2, row = _find_row(pages, "3.补正后申请内容仍不明确")
    assert p2 == p1 + 1 and row[:2] == ["", ""]
    t3_part2 = next(t for t in pages[p2][1] if len(t[0]) == 10)
    assert "勾稽" not in "".join(c or "" for c in t3_part2[0])
    p, row = _find_row(pages, "1.属于国家秘密")
    t3 = next(t for t in pages[p][1] if len(t[0]) == 10)
    i = t3.index(row)
    assert row[1] == "（三）不予公开" and t3[i + 1][:2] == [None, None]
    assert t3[0][0].replace("\n", "") == fx.T3_NOTE and t3[0][1] is None
    assert t3[0][3] == "申请人情况" and t3[2][4] == "商业\n企业"
    assert any((r[0] or "").startswith("三\n、\n本") for r in t3)
    # table 四: 3-level header, 15 numbers in one row
    t4 = next(t for _, ts in pages for t in ts if len(t[0]) == 15)
    assert t4[0][0] == "行政复议" and t4[1][5] == "未经复议直接起诉"
    assert t4[-1] == [_val(spec.table4.values[k]) for k in table4_keys()]
    # table 二 and footers
    assert "行政事业性收费" in cells and "1532.46" in cells
    assert "- 1 -" in pages[0][0] and f"- {len(pages)} -" in pages[-1][0]


@needs_reportlab
def test_render_pdf_traditional_2019(tmp_path):
    spec = default_spec(variant="2019", traditional=True)
    path = fx.render_pdf(spec, tmp_path / "t.pdf")
    pages = _pdf_tables(path)
    alltext = "".join(t for t, _ in pages)
    assert "總體情況" in alltext and "(cid:" not in alltext
    for label, vals in _t3_expected_rows(spec):
        _, row = _find_row(pages, label)
        assert [c or "" for c in row[3:]] == vals, label
    cells = "".join((c or "") for _, ts in pages for t in ts for r in t for c in r)
    assert "152000元" in cells and printed_label(spec, "其他对外管理服务事项") in cells


def test_split_row_validation():
    with pytest.raises(ValueError):
        render_text(default_spec(split_table3_at_row="no.such.row"))
    with pytest.raises(ValueError):
        render_text(default_spec(split_table3_at_row=0))


# ---------------------------------------------------------------------------- command line

@needs_reportlab
def test_sample_command(tmp_path, capsys):
    assert fx.main(["sample", str(tmp_path)]) == 0
    assert (tmp_path / "sample-report.pdf").read_bytes().startswith(b"%PDF")
    txt = (tmp_path / "sample-report.txt").read_text(encoding="utf-8")
    assert "一、概述" in txt and "2017" in txt


def test_sample_command_without_reportlab(tmp_path, monkeypatch, capsys):
    for name in [m for m in sys.modules if m == "reportlab" or m.startswith("reportlab.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "reportlab", None)
    assert fx.main(["sample", str(tmp_path)]) == 0
    assert (tmp_path / "sample-report.txt").exists()
    assert not (tmp_path / "sample-report.pdf").exists()
    assert "reportlab" in capsys.readouterr().err
