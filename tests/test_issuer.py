"""Issuer resolution: canonical names, office types and GB/T 2260 regions valid in the year."""
import json

import pytest

import govreport
from _corpus import CORPUS, needs_corpus
from govreport.issuer import canonical_issuer, find_signature, is_pronoun, office_type

# name, year, text -> expected status and code (None = no code)
RESOLVE = [
    ("洪泽县人民政府", 2015, None, "resolved", "320829"),
    ("洪泽区人民政府", 2024, None, "resolved", "320813"),
    ("洪泽区人民政府", 2015, None, "resolved", "320829"),  # the name of a later year
    ("洪泽县", 2017, None, "resolved", "320813"),
    ("淮安市洪泽区人民政府", 2023, None, "resolved", "320813"),
    ("上虞市人民政府", 2012, None, "resolved", "330682"),
    ("上虞区人民政府", 2013, None, "resolved", "330604"),
    ("上虞市", 2014, None, "resolved", "330604"),
    ("襄樊市人民政府", 2009, None, "resolved", "420600"),
    ("襄樊市", 2012, None, "resolved", "420600"),
    ("襄阳市", 2009, None, "resolved", "420600"),  # not 襄阳区 420607
    ("朝阳区人民政府", 2020, None, "ambiguous", None),
    ("鼓楼区", 2015, None, "ambiguous", None),
    ("鼓楼区人民政府", 2015, "福州市鼓楼区2015年政府信息公开工作年度报告", "resolved", "350102"),
    ("鼓楼区人民政府", 2015, "依据《江苏省政府信息公开规定》，徐州市", "resolved", "320302"),
    ("朝阳区人民政府", 2020, "北京市朝阳区", "resolved", "110105"),
    ("平潭综合实验区财政金融局（福建）", 2019, None, "resolved", "350128"),
    ("平潭综合实验区管委会", 2014, None, "resolved", "350128"),
    ("上海市人民政府办公厅", 2019, None, "resolved", "310000"),
    ("平阳县水头镇人民政府", 2008, None, "resolved", "330326"),
    ("重庆市荣昌区河包镇人民政府", 2020, None, "resolved", "500153"),
    ("荣昌县", 2020, None, "resolved", "500153"),
    ("国家卫生计生委", 2014, None, "resolved", None),
    ("财金局", 2016, None, "unknown", None),
    ("财金局", 2016, "…平潭综合实验区财政金融局2017年1月13日", "resolved", "350128"),
    ("沐阳县人民政府", 2025, None, "unknown", None),  # misprint: 53 counties fit one edit away
    (None, 2020, None, "unknown", None),
]


@pytest.mark.parametrize("name,year,text,status,code", RESOLVE)
def test_resolve_issuer(name, year, text, status, code):
    region = govreport.resolve_issuer(name, year, text)
    assert region["status"] == status, region
    assert region["code"] == code, region
    assert set(region) >= {"code", "name", "province", "city", "county", "level", "status", "candidates"}


def test_ambiguous_lists_candidates_with_their_places():
    region = govreport.resolve_issuer("鼓楼区", 2015)
    codes = {c["code"]: c["city"] for c in region["candidates"]}
    assert codes == {"320106": "南京市", "320302": "徐州市", "350102": "福州市", "410204": "开封市"}


def test_rename_note_and_names_of_the_year():
    region = govreport.resolve_issuer("洪泽区", 2015)
    assert (region["name"], region["province"], region["city"]) == ("洪泽县", "江苏省", "淮安市")
    assert "2016" in region["note"]
    assert region["code_latest"] == "320813"  # one series across the rename
    assert govreport.resolve_issuer("襄阳市", 2009)["name"] == "襄樊市"


def test_zone_maps_to_host_unit_with_a_note():
    region = govreport.resolve_issuer("平潭综合实验区", 2011)
    assert region["county"] == "平潭县" and "not a GB/T 2260 unit" in region["note"]


def test_township_keeps_its_name_and_county_code():
    region = govreport.resolve_issuer("平阳县水头镇人民政府", 2008)
    assert (region["level"], region["name"], region["county"]) == ("township", "水头镇", "平阳县")


@pytest.mark.parametrize("printed,text,expected", [
    ("财金局", "结合我局今年工作实际……平潭综合实验区财政金融局2017年1月13日", "平潭综合实验区财政金融局"),
    ("平潭综合实验区管委会", "", "平潭综合实验区管理委员会"),
    ("平潭综合实验区", "", "平潭综合实验区管理委员会"),
    ("北京市", "", "北京市人民政府"),
    ("上海市科委", "", "上海市科学技术委员会"),
    ("区卫生和计划生育局", "请与翔安区卫生和计划生育局联系", "翔安区卫生和计划生育局"),
    ("林业局", "我局……", "林业局"),
])
def test_canonical_issuer(printed, text, expected):
    assert canonical_issuer(printed, text, 2016) == expected


@pytest.mark.parametrize("name,kind", [
    ("淮安市人民政府", "government"), ("北京市", "government"), ("上海市人民政府办公厅", "general_office"),
    ("平潭综合实验区财政金融局", "department"), ("上海市科学技术委员会", "department"),
    ("平阳县水头镇人民政府", "township"), ("某街道办事处", "township"),
    ("平潭综合实验区管理委员会", "zone"), ("蒲纺工业园区", "zone"), ("某某公司", "other"),
])
def test_office_type(name, kind):
    assert office_type(name) == kind


@pytest.mark.parametrize("word", ["我局", "本机关", "市政府办公厅", "该局"])
def test_pronouns_are_not_names(word):
    assert is_pronoun(word)
    assert not is_pronoun("平潭综合实验区公安局")


def test_signature_needs_a_place_before_the_date():
    assert find_signature("……七、附表 条0 平潭综合实验区财政金融局2017年1月13日") == (
        "平潭综合实验区财政金融局", "2017-01-13")
    assert find_signature("统计期限自2016年1月1日起至2016年12月31日止。") is None


# Every real report with truth: printed issuer -> expected region code and status.
CORPUS_TABLE = {
    "baotou-2013": ("150200", "resolved"), "hongze-2023": ("320813", "resolved"),
    "huaian-2024": ("320800", "resolved"), "pingtan-county-2011": ("350128", "resolved"),
    "pingtan-county-2013": ("350128", "resolved"), "shanghai-bgt-2019": ("310000", "resolved"),
    "shanghai-kewei-2024": ("310000", "resolved"),
    "shuyang-2025": (None, "unknown"),  # the report misprints 沭阳 as 沐阳 throughout
    "snip-anhui-2017": ("340000", "resolved"), "snip-beijing-2016-trad": ("110000", "resolved"),
    "snip-beijing-2017": ("110000", "resolved"), "snip-beijing-2018": ("110000", "resolved"),
    "snip-beijing-2019": ("110000", "resolved"), "snip-beijing-2024": ("110000", "resolved"),
    "snip-beijing-2024-trad": ("110000", "resolved"), "snip-c3e5-dizhenju-2010-trad": (None, "unknown"),
    "snip-chibi-pufang-2020": ("421281", "resolved"), "snip-daan-weiji-2015": ("220882", "resolved"),
    "snip-guixi-2010": ("360681", "resolved"), "snip-hezhou-2009": ("451100", "resolved"),
    "snip-jinan-fz-2016": ("350111", "resolved"), "snip-liaoyang-2013": (None, "unknown"),
    "snip-linzi-linye-2008": (None, "unknown"), "snip-lishui-2017": ("331100", "resolved"),
    "snip-nhc-2014": (None, "unknown"), "snip-pingyang-shuitou-2008": ("330326", "resolved"),
    "snip-qingliu-weiji-2015": ("350423", "resolved"), "snip-rongchang-hebao-2020": (None, "unknown"),
    "snip-sayibake-2011": ("650103", "resolved"), "snip-shanghai-2010": (None, "unknown"),
    "snip-shanghai-2012-trad": (None, "unknown"), "snip-shanghai-2022": ("310000", "resolved"),
    "snip-shanxi-2017": ("140000", "resolved"), "snip-xiangan-weiji-2015": ("350213", "resolved"),
    "snip-xuwen-sifaju-202x": (None, "unknown"), "snip-yongjia-shatou-2008": (None, "unknown"),
}


@needs_corpus
def test_every_corpus_report_gets_the_right_code_or_none():
    truth_dir = CORPUS.parent / "truth"
    wrong, resolved = [], 0
    for path in sorted(truth_dir.glob("*.json")):
        truth = json.loads(path.read_text("utf-8"))
        source = CORPUS / truth["file"]
        if not source.exists():
            continue
        report = govreport.parse(source)
        region = report.meta["region"]
        want = ("350128", "resolved") if path.stem.startswith("pingtan-") else CORPUS_TABLE[path.stem]
        if (region["code"], region["status"]) != want:
            wrong.append((path.stem, report.meta["issuer"], region["code"], region["status"], want))
        resolved += region["status"] == "resolved"
        assert report.to_dict()["meta"]["region"] == region
    assert not wrong
    assert resolved >= 45


@needs_corpus
def test_pingtan_offices_share_one_canonical_name():
    names = {govreport.parse(CORPUS / f).meta["issuer_canonical"]
             for f in ("pingtan-syq-2011.txt", "pingtan-syq-2014.txt", "pingtan-syq-2024.txt")}
    assert names == {"平潭综合实验区管理委员会"}
    assert govreport.parse(CORPUS / "pingtan-czj-2016.txt").meta["issuer_canonical"] == "平潭综合实验区财政金融局"


def test_a_pronoun_or_relative_name_never_stays_the_issuer():
    from govreport.issuer import issuer_meta

    signed = "2016年我局未收到申请。……平潭综合实验区财政金融局2017年1月13日"
    assert issuer_meta("我局", 2016, signed)["issuer"] == "平潭综合实验区财政金融局"  # the signature
    assert issuer_meta(None, 2016, signed)["issuer"] == "平潭综合实验区财政金融局"
    assert issuer_meta("我局", 2016, "我局全年主动公开信息。")["issuer"] is None
    meta = issuer_meta("区卫生和计划生育局", 2015, "请与翔安区卫生和计划生育局联系")
    assert meta["issuer"] == "翔安区卫生和计划生育局" and meta["region"]["code"] == "350213"
    assert "issuer" not in issuer_meta("淮安市人民政府", 2024, "")  # a real name is kept as printed


def test_shipped_name_forms_are_those_of_the_code_lists():
    """data/region_forms.tsv (what lets a name of another year resolve without loading
    every code list) is exactly what the code lists give."""
    from govreport import regions

    assert regions.shipped_forms() == regions.newest_revision_by_form()


def test_a_name_no_list_holds_loads_no_other_year():
    from govreport import regions

    assert regions.revisions_naming("某某综合执法大队", 12) == []
    assert regions.revisions_naming("襄樊市人民政府", 12)  # 襄樊 is in the lists before 2010
