"""govreport-media: the template extractor, tested with govreport's testing kit."""
from __future__ import annotations

import pytest

import govreport_media
from govreport.testing import extract_snippet, run_extractor

EXTRACTOR = govreport_media.MediaExtractor()


def values(text, section_key="overview"):
    return {f.key: f.value for f in run_extractor(EXTRACTOR, text, section_key)}


@pytest.mark.parametrize("text, expected", [
    ("全年共召开新闻发布会12场，发布权威信息。", 12),
    ("举办新闻发布会共计15次。", 15),
    ("召开8场政策解读新闻发布会。", 8),
    ("组织新闻发布会十二场。", 12),
    ("召开新闻发布会１２场。", 12),
])
def test_press_conferences(text, expected):
    assert values(text) == {"media.press_conferences": expected}


def test_accounts_and_provenance():
    text = ("加强政务新媒体管理，全区现有政务新媒体账号18个，其中政务微博3个、"
            "政务微信公众号5个。全年召开新闻发布会6场。")
    facts = {f.key: f for f in run_extractor(EXTRACTOR, text)}
    assert {k: f.value for k, f in facts.items()} == {
        "media.new_media_accounts": 18, "media.weibo_accounts": 3,
        "media.wechat_accounts": 5, "media.press_conferences": 6}
    prov = facts["media.weibo_accounts"].provenance
    assert prov["section"] == "overview" and prov["extractor"] == "media"
    assert prov["text"] == "政务微博3个" and prov["page"] == 1


def test_traditional_script_keeps_source_wording():
    facts = run_extractor(EXTRACTOR, "全年召開新聞發佈會12場。")
    assert [(f.key, f.value) for f in facts] == [("media.press_conferences", 12)]
    assert facts[0].provenance["text"] == "新聞發佈會12場"


def test_cumulative_figures_are_not_annual():
    assert values("截至年底，历年累计召开新闻发布会120场。") == {}


def test_nothing_stated_nothing_found():
    assert values("进一步加强政务新媒体建设，拓宽公开渠道。") == {}
    # other wordings with the same nouns do not count
    assert values("通过政务微博、微信等其他方式公开信息476条。") == {}


def test_only_its_sections_and_first_found_wins():
    assert EXTRACTOR.sections == ("overview", "proactive")
    snip = extract_snippet(EXTRACTOR, "召开新闻发布会3场。", "proactive",
                           facts={"media.press_conferences": 9})
    assert snip.facts == []  # already found in the overview


def test_registers_through_the_hook():
    from govreport.testing import load_registry

    registry = load_registry([govreport_media])
    info = registry.plugin("govreport-media")
    assert info is not None and info.error is None and info.extractors == ["media"]
    assert info.requires_api == 1
    assert [e.name for e in registry.extractors] == ["media"]


def test_in_a_parse_of_a_generated_report(tmp_path):
    from govreport.testing import make_report, make_spec, parse_with

    spec = make_spec()
    spec.sections["overview"] += "\n（六）新闻发布情况。全年召开新闻发布会7场，现有政务新媒体账号11个。"
    report = parse_with(make_report(tmp_path, spec=spec, kind="text"),
                        plugins=[govreport_media], entry_points=False)
    assert report.facts["media.press_conferences"] == 7
    assert report.facts["media.new_media_accounts"] == 11
    assert report.provenance["media.press_conferences"]["section"] == "overview"


def test_entry_point_when_installed():
    from importlib.metadata import entry_points

    eps = {ep.name: ep.value for ep in entry_points(group="govreport")}
    if "govreport-media" not in eps:
        pytest.skip("govreport-media is not pip-installed in this environment")
    from govreport.plugins import build_registry

    info = build_registry().plugin("govreport-media")
    assert info is not None and info.error is None and info.origin == "entry_point"
    assert info.extractors == ["media"] and info.version == govreport_media.__version__
