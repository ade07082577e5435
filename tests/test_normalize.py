"""govreport.normalize: clean Simplified text plus a faithful map back to the raw text."""
from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _corpus import CORPUS
from govreport.normalize import (
    TW_TERMS,
    NormText,
    detect_script,
    normalize,
    normalize_cell,
    script_counts,
)


def s2twp(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2twp").convert(text)


def _check_map(n: NormText) -> None:
    raw_len = len(n.raw)
    prev_s = prev_e = 0
    for i in range(len(n.text)):
        s, e = n.source_span(i, i + 1)
        assert 0 <= s <= e <= raw_len
        assert s >= prev_s and e >= prev_e, "offsets must be monotone"
        assert n.to_source(i) == s
        prev_s, prev_e = s, e
    assert n.to_source(len(n.text)) == raw_len
    if n.text:  # the whole text maps onto a raw span (dropped edges may fall outside)
        s, e = n.source_span(0, len(n.text))
        assert s == n.to_source(0) and e == n.source_span(len(n.text) - 1, len(n.text))[1]


# --- import cost ----------------------------------------------------------------------

def test_import_does_not_load_opencc():
    code = "import sys, govreport.normalize; print('opencc' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- script detection -----------------------------------------------------------------

def test_detect_script():
    assert detect_script("2023年政府信息公开工作年度报告") == "simplified"
    assert detect_script("2023年政府資訊公開工作年度報告") == "traditional"
    # big5 gateway pages mix 資訊/信息: still Traditional
    assert detect_script("依據《中華人民共和國政府信息公開條例》，編制本報告。以資訊化方式提升") == "traditional"
    # Simplified text with a few stray Traditional characters: still Simplified
    assert detect_script("本机关收到政府信息公开申请21件，予以公开12件，部分公開3件，无法提供6件。") == "simplified"
    assert detect_script("") == "simplified"
    assert detect_script("12345 abc") == "simplified"


def _by_counts(text: str) -> str:
    trad, simp = script_counts(text)
    return "traditional" if trad > 0 and trad >= 3 * simp else "simplified"


def test_detect_script_is_the_count_rule():
    """detect_script skips s2t when no character is Traditional-only: same answers."""
    texts = ["2023年政府信息公开工作年度报告", "2023年政府資訊公開工作年度報告",
             "本机关收到政府信息公开申请21件，部分公開3件", "公開 公开 公开 公开", "台里后",
             "一", "abc"]
    if CORPUS.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace")
                  for p in sorted(CORPUS.glob("*.txt"))[:8]]
        texts += [p.read_text(encoding="utf-8", errors="replace")
                  for p in sorted((CORPUS / "snippets").glob("*trad*"))]
    for text in texts:
        assert detect_script(text) == _by_counts(text)


def test_han_counts_are_the_han_class_counts():
    import re
    from collections import Counter

    from govreport import normalize as N
    from govreport import script as S

    texts = ["", "abc 123", "政府信息公開 ⼀ 𠀀 豈﫿 㐀䶿 鿿 \ud800 、。", N.TW_TERMS[0][0] * 3]
    if CORPUS.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace")
                  for p in sorted(CORPUS.glob("*.txt"))[:5]]
    for text in texts:
        expected = Counter(re.findall("[" + N._HAN + "]", text))
        assert S._han_counts(text) == dict(expected)
        assert list(S._han_counts(text)) == list(expected)  # first-appearance order


def test_simplified_text_does_not_load_s2t():
    code = ("from govreport import normalize as N, script as S; "
            "print(N.normalize('本机关收到政府信息公开申请21件').script, "
            "S._opencc.cache_info().currsize, "
            "N.normalize('本機關收到政府資訊公開申請21件').script, "
            "S._opencc.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["simplified", "1", "traditional", "2"]


# --- cleaning -------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("总 计", "总计"),
    ("本年度办 理结果", "本年度办理结果"),
    ("4.无正当理由大量反复 申请", "4.无正当理由大量反复申请"),
    ("（一） 予以公开 12 0 0", "（一）予以公开 12 0 0"),
    ("21 0 0 0 0 0 21", "21 0 0 0 0 0 21"),
    ("通过 Email 申请", "通过 Email 申请"),
    ("收到 PDF 文件", "收到 PDF 文件"),
    ("商业\t企业", "商业\t企业"),
    ("１２３４５．６％", "12345.6%"),
    ("ＡＢＣ＠ｇｏｖ．ｃｎ", "ABC@gov.cn"),
    ("予以公开，部分公开。（一）“三安全一稳定”", "予以公开，部分公开。（一）“三安全一稳定”"),
    ("1．属于国家秘密", "1.属于国家秘密"),
    ("本年增／减", "本年增/减"),
    ("总\u3000计", "总计"),
    ("a\u3000b", "a b"),
    ("a\u00a0b", "a b"),
    ("政\u200b府\ufeff信息", "政府信息"),
    ("一\r\n二\r三", "一\n二\n三"),
    ("\u2f00\u2f06", "一二"),  # Kangxi radicals from PDF fonts
    ("公(gong)开(kai)", "公开"),
    ("國務(wù)院", "国务院"),
    ("政府 （gong）（kai） 信息", "政府信息"),
    ("附件(ab)", "附件(ab)"),
    ("网站(www)", "网站(www)"),
    ("项目(a)", "项目(a)"),
])
def test_cleaning(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize("line", [
    "- 3 -", "— 1 —", "-3-", "第 3 页", "第3页 共5页", "第3页/共5页", "  - 12 -  ", "—2—", "第3頁",
])
def test_footer_lines_dropped(line):
    n = normalize(f"上一段\n{line}\n下一段")
    assert n.text == "上一段\n下一段"
    _check_map(n)


@pytest.mark.parametrize("line", ["-", "- x -", "3", "第3页的内容", "共收到3件", "-3", "（第3页）"])
def test_non_footer_lines_kept(line):
    assert normalize(f"上一段\n{line}\n下一段").text == f"上一段\n{line}\n下一段"


def test_footer_at_end_without_newline():
    assert normalize("正文\n- 5 -").text == "正文\n"


# --- provenance -----------------------------------------------------------------------

def test_source_span_of_cleaned_text():
    raw = "三、本年度办 理结果\n- 3 -\n总 计 21"
    n = normalize(raw)
    assert n.text == "三、本年度办理结果\n总计 21"
    i = n.text.index("本年度办理结果")
    assert n.source_text(i, i + len("本年度办理结果")) == "本年度办 理结果"
    i = n.text.index("总计")
    assert n.source_text(i, i + 2) == "总 计"
    assert n.source_text(i + 3, i + 5) == "21"
    _check_map(n)


def test_source_span_of_traditional_text():
    raw = "發揮政府綜合入口網站的作用，設立了政府資訊公開專欄"
    n = normalize(raw)
    assert n.script == "traditional"
    assert n.text == "发挥政府综合门户网站的作用，设立了政府信息公开专栏"
    i = n.text.index("门户网站")
    assert n.source_text(i, i + 4) == "入口網站"
    i = n.text.index("政府信息公开")
    assert n.source_text(i, i + 6) == "政府資訊公開"
    _check_map(n)


def test_identity_map_for_clean_text():
    n = normalize("本机关收到申请21件。")
    assert n.text == n.raw
    assert n.source_span(2, 4) == (2, 4)
    assert n.to_source(100) == len(n.raw) and n.to_source(-5) == 0
    assert n.source_span(5, 3) == (5, 5)


# --- the curated Taiwan-wording map -----------------------------------------------------

@pytest.mark.parametrize("trad, expected", [
    ("行政規範性檔案", "行政规范性文件"),
    ("落實自治區政務服務檔案精神", "落实自治区政务服务文件精神"),
    ("我市在市檔案館、市圖書館", "我市在市档案馆、市图书馆"),
    ("市檔案局", "市档案局"),
    ("人事檔案", "人事档案"),
    ("檔案管理", "档案管理"),
    ("政府綜合入口網站", "政府综合门户网站"),
    ("電子政務套用工作", "电子政务应用工作"),
    ("發布程式", "发布程序"),
    ("電子政務網路平台", "电子政务网络平台"),
    ("網際網路", "互联网"),
    ("公開欄的連結", "公开栏的链接"),
    ("大廳設定了", "大厅设置了"),
    ("電子觸控螢幕", "电子触摸屏"),
    ("政府資訊公開", "政府信息公开"),
    ("資訊處理費", "信息处理费"),
    ("聯絡我們", "联系我们"),
    ("線上申請", "在线申请"),
    ("線上線下", "线上线下"),
    ("數位政府", "数字政府"),
    ("政策解讀影片", "政策解读视频"),
    ("高品質發展", "高质量发展"),
    ("產品質量", "产品质量"),
    ("平臺穩定運作", "平台稳定运行"),
    ("本列資料的勾稽關係為", "本列数据的勾稽关系为"),
    ("上一年專案數量", "上一年项目数量"),
    ("共釋出政府資訊34條", "共发布政府信息34条"),
    ("隨著", "随着"), ("著力推進", "着力推进"), ("成效顯著", "成效显著"),
    ("屬於行政查詢事項", "属于行政查询事项"),  # tw2sp would make it 行政查找
    ("業務水準", "业务水平"),
])
def test_taiwan_terms(trad, expected):
    n = normalize(trad, script="traditional")
    assert n.text == expected
    _check_map(n)


def test_map_only_for_traditional_sources():
    # mainland text keeps its own wording: 档案, 线上, 资料 are valid there
    text = "查阅利用档案1500卷，线上服务，宣传资料"
    assert normalize(text).script == "simplified"
    assert normalize(text).text == text


def test_map_entries_are_well_formed():
    import re

    for pat, rep in TW_TERMS:
        rx = re.compile(pat)
        assert rx.groups == 0, pat
        assert rep and not rx.search(rep), (pat, rep)  # a replacement never re-triggers


@pytest.mark.parametrize("label", [
    "行政规范性文件", "本机关不掌握相关政府信息", "信息处理费", "政府信息公开", "行政复议",
    "行政诉讼", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "8.属于行政查询事项", "上一年项目数量", "采购项目数量", "本年新制作数量", "规范性文件",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "全年收取政府信息公开信息处理费 0 元", "主动公开政府信息 1136 条", "联系电话",
    "政府网站在线访谈", "市档案馆", "高质量发展",
])
def test_s2twp_round_trip_of_labels(label):
    assert normalize(s2twp(label)).text == normalize(label).text


# --- cells ------------------------------------------------------------------------------

def test_normalize_cell():
    assert normalize_cell(None) is None
    assert normalize_cell("") == ""
    assert normalize_cell(" 商业\n企业 ") == "商业企业"
    assert normalize_cell("社会\n公益\n组织") == "社会公益组织"
    assert normalize_cell("１２") == "12"
    assert normalize_cell("结果\n维持") == "结果维持"
    assert normalize_cell("21\n0") == "21 0"
    assert normalize_cell("總 計") == "总计"
    assert normalize_cell("規範性檔案") == "规范性档案"  # no map without script
    assert normalize_cell("規範性檔案", script="traditional") == "规范性文件"
    assert normalize_cell("—") == "—"
    assert normalize_cell("- 3 -") == "- 3 -"  # footer removal is for whole texts only


# --- properties ---------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("总计本年度办理结果政府資訊公開檔案館入口網站規範性著隨")
    + list("0123456789０１２．，。（）()—-/ \n\t\r\u3000\u00a0\u200b")
    + ["(gong)", "（kai）", "第3页", "- 3 -", "ab", "薴", "\u2f00"]
)
_TEXT = st.one_of(st.text(max_size=80), st.lists(_ALPHABET, max_size=40).map("".join))


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_property_no_exception_and_map_sane(raw):
    n = normalize(raw)
    assert isinstance(n.text, str) and n.script in ("simplified", "traditional")
    _check_map(n)
    c = normalize_cell(raw)
    assert isinstance(c, str)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_property_idempotent(raw):
    once = normalize(raw).text
    assert normalize(once).text == once


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_property_traditional_forced(raw):
    n = normalize(raw, script="traditional")
    _check_map(n)
    assert normalize(n.text, script="traditional").text == n.text


# --- real corpus: s2twp round trip ----------------------------------------------------------

def _simplified_corpus() -> list[Path]:
    files = sorted(
        p for pat in ("*.txt", "*.md", "*.html", "snippets/*.txt") for p in CORPUS.glob(pat)
        if "trad" not in p.name and not p.name.startswith("baotou")
    )
    return files


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_corpus_s2twp_round_trip(capsys):
    files = _simplified_corpus()
    assert files
    total = differ = 0
    worst = []
    for p in files:
        raw = p.read_text(encoding="utf-8")
        a = normalize(raw)
        b = normalize(s2twp(raw))
        assert a.script == "simplified", p.name
        assert b.script == "traditional", p.name
        sm = difflib.SequenceMatcher(None, a.text, b.text, autojunk=False)
        d = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")
        total += len(a.text)
        differ += d
        worst.append((d / max(1, len(a.text)), p.name))
    rate = differ / total
    with capsys.disabled():
        print(f"\n[s2twp round trip] {len(files)} files, {total} chars, {differ} differ: {rate:.3%}; "
              f"worst {max(worst)[1]} {max(worst)[0]:.2%}")
    assert rate < 0.005
    assert max(worst)[0] < 0.01


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_corpus_traditional_files():
    paths = [CORPUS / "baotou-2013.txt", *sorted((CORPUS / "snippets").glob("*-trad.txt"))]
    for p in paths:
        raw = p.read_text(encoding="utf-8")
        n = normalize(raw)
        assert n.script == "traditional", p.name
        assert "资讯" not in n.text and "入口网站" not in n.text, p.name
        assert "信息公开" in n.text, p.name
        _check_map(n)
    baotou = normalize((CORPUS / "baotou-2013.txt").read_text(encoding="utf-8")).text
    assert "档案馆" in baotou and "门户网站" in baotou and "电子政务应用" in baotou
    pair = [normalize((CORPUS / "snippets" / f).read_text(encoding="utf-8")).text.splitlines()[1:]
            for f in ("beijing-2024.txt", "beijing-2024-trad.txt")]
    assert pair[0] == pair[1]


def test_length_changing_conversion_is_mapped_proportionally(monkeypatch):
    import govreport.normalize as nz

    # OpenCC t2s is 1:1 in practice; simulate a phrase conversion that changes length
    monkeypatch.setattr(nz, "_t2s", lambda t: t.replace("甲乙", "丙丁戊"))
    raw = "第一行\n前甲乙后\n末行"
    n = nz.normalize(raw, script="simplified")
    assert n.text == "第一行\n前丙丁戊后\n末行"
    _check_map(n)
    i = n.text.index("后")
    assert n.source_text(i, i + 1) == "后"
    i = n.text.index("丙丁戊")
    s, e = n.source_span(i, i + 3)
    assert raw[s:e] == "甲乙" and n.source_text(0, 3) == "第一行"


def test_from_source_finds_the_normalised_offset_of_a_raw_offset():
    raw = "第 一 行\n本年度办 理结果 总 计 21"
    n = normalize(raw)
    assert n.from_source(raw.index("总")) == n.text.index("总计")
    assert n.text[n.from_source(raw.index("21"))] == "2"
    assert n.from_source(len(raw) + 5) == len(n.text)
    for j in range(len(n.text)):
        assert n.from_source(n.to_source(j)) <= j
