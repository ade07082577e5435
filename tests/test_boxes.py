"""A prose fact's number is found in its sentence as printed."""
from govreport.boxes import number_span


def test_number_found_as_printed():
    s = "2023年，在政府网站平台主动公开政府信息1136条。"
    assert s[slice(*number_span(s, 1136))] == "1136"
    assert number_span(s, 1136, [0, 4]) == (21, 25)           # a wrong hint is not trusted
    t = "全年收取信息处理费０\n元，共受理申请1,136件。"
    assert t[slice(*number_span(t, 0))] == "０"               # full-width digit
    assert t[slice(*number_span(t, 1136))] == "1,136"          # thousands separator
    assert number_span("受理申请11件，办结1件。", 1) == (10, 11)  # not inside 11


def test_repeated_number_takes_the_nearest_to_the_hint():
    s = "新收申请3件，办结3件。"
    assert number_span(s, 3, [9, 10]) == (9, 10)
    assert number_span(s, 3) is None                            # ambiguous without a hint


def test_no_digits():
    s = "本年度没有收到政府信息公开申请。"
    assert number_span(s, 0) is None
    assert number_span(s, 0, [2, 4]) == (2, 4)
    assert number_span("共三件。", 3) is None
