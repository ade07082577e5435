"""Dates of a report and timeliness against the statutory deadline of its era and issuer type."""
import pytest

import govreport
from govreport.dates import date_meta, deadline, published_date, signed_date
from govreport.testing import make_report


@pytest.mark.parametrize("year,office,due", [
    (2013, "department", "2014-03-31"), (2018, "government", "2019-03-31"),
    (2019, "department", "2020-01-31"), (2023, "general_office", "2024-01-31"),
    (2023, "government", "2024-03-31"), (2020, "township", "2021-03-31"),
    (2021, "zone", None), (2021, None, None), (None, "government", None),
])
def test_deadline_by_era_and_issuer_type(year, office, due):
    assert deadline(year, office) == due


HEADER = "标题: 某某局2019年政府信息公开工作年度报告\n发布时间: 2020-02-06 09:33\n文号: \n正文"


def test_published_date_from_a_crawler_header_and_late():
    meta = date_meta(HEADER, {"year": 2019, "office_type": "department"})
    assert meta["published_date"] == "2020-02-06" and meta["published_date_source"] == "page header"
    assert meta["deadline"] == "2020-01-31" and meta["late"] is True
    meta = date_meta(HEADER, {"year": 2019, "office_type": "government"})
    assert meta["late"] is False


def test_unknown_stays_unknown():
    meta = date_meta("正文没有日期", {"year": 2019, "office_type": "department"})
    assert (meta["published_date"], meta["late"]) == (None, None)
    assert date_meta(HEADER, {"year": 2019, "office_type": None})["late"] is None


def test_pdf_creation_date_is_weak_and_decides_nothing():
    assert published_date("正文", "2024-02-26") == ("2024-02-26", "pdf CreationDate (weak)")
    meta = date_meta("正文", {"year": 2019, "office_type": "department"}, created="2024-02-26")
    assert meta["late"] is None


def test_signed_date_after_the_signature_or_under_the_title():
    assert signed_date("……七、附表 条0 平潭综合实验区财政金融局2017年1月13日") == "2017-01-13"
    assert signed_date("某县人民政府2025年政府信息公开工作年度报告\n（2026年1月23日）\n依据……") == "2026-01-23"
    assert signed_date("成文日期：2020年2月30日") is None  # not a date
    assert published_date("成文日期：2020-01-10\n")[0] is None  # 成文 is the signing, not publishing


def test_generated_pdf_carries_its_creation_date(tmp_path):
    gen = make_report(tmp_path, kind="pdf")
    meta = govreport.parse(gen.path).meta
    assert meta["published_date_source"] == "pdf CreationDate (weak)"
    assert meta["published_date"][:2] == "20"
    assert {"signed_date", "deadline", "late"} <= set(meta)
