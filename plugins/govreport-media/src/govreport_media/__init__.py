"""govreport-media: press conferences and government new-media accounts (a template plugin).

A complete, small extractor plugin meant to be copied. It shows the whole contract:

- a class with ``name``, ``sections`` and ``extract(section, context)``;
- facts made with ``context.fact(key, value, span=...)`` so provenance (section, page,
  the report's own wording) is filled in by govreport;
- numbers parsed with ``govreport.numbers`` (Arabic, full-width and Chinese numerals);
- registration through the ``govreport_register_extractors`` hook, and
  ``govreport_requires_api`` to say which plugin API it was written for.

Facts (all counts):

- ``media.press_conferences``: 召开新闻发布会12场 / 举办新闻发布会共12次 / 召开12场新闻发布会
- ``media.weibo_accounts``: 政务微博3个
- ``media.wechat_accounts``: 政务微信（公众号）5个
- ``media.new_media_accounts``: 政务新媒体（账号）18个 / 开设18个政务新媒体
"""
from __future__ import annotations

import re
from typing import Iterator

import govreport
from govreport.numbers import NUMBER_PATTERN, parse_number

__version__ = "0.1.0"

#: The registered plugin name (= the entry point name in pyproject.toml).
PLUGIN_NAME = "govreport-media"

N = rf"(?P<n>{NUMBER_PATTERN})"
_FILL = r"[共计累合总达有为约]{0,3}"   # 共 / 共计 / 累计 / 达 … between the noun and the number


def _noun_first(noun: str, unit: str) -> str:
    return rf"{noun}{_FILL}\s*{N}\s*{unit}"


def _number_first(noun: str, unit: str) -> str:
    # "12场新闻发布会", "12场政策例行新闻发布会": a few qualifying characters allowed
    return rf"{N}\s*{unit}[^\d。；;，,、]{{0,6}}?{noun}"


# (fact key, patterns) in the order they are tried; the first match in a section wins.
PATTERNS: list[tuple[str, list[re.Pattern[str]]]] = [
    ("media.press_conferences", [
        re.compile(_noun_first(r"新闻发布会", r"[场次]")),
        re.compile(_number_first(r"新闻发布会", r"[场次]")),
    ]),
    ("media.weibo_accounts", [
        re.compile(_noun_first(r"政务微博(?:账号)?", r"个")),
        re.compile(_number_first(r"政务微博", r"个")),
    ]),
    ("media.wechat_accounts", [
        re.compile(_noun_first(r"政务微信(?:（?公众号）?)?(?:账号)?", r"个")),
        re.compile(_number_first(r"政务微信", r"个")),
    ]),
    ("media.new_media_accounts", [
        re.compile(_noun_first(r"政务新媒体(?:账号|平台)?", r"个")),
        re.compile(_number_first(r"政务新媒体", r"个")),
    ]),
]

# A figure "over the years" is not this year's count.
_CUMULATIVE = re.compile(r"历年|截至|截止|成立以来|以来累计")


class MediaExtractor:
    """Press conferences and new-media accounts stated in the overview or section 二."""

    name = "media"
    sections = ("overview", "proactive")

    def extract(self, section, context) -> Iterator[govreport.Fact]:
        text = section.text
        for key, patterns in PATTERNS:
            if key in context.facts:  # already found (e.g. in an earlier section)
                continue
            match = _first_match(text, patterns)
            if match is None:
                continue
            value = parse_number(match.group("n"))
            if isinstance(value, int) and value >= 0:
                yield context.fact(key, value, span=match.span())


def _first_match(text: str, patterns: list[re.Pattern[str]]) -> re.Match[str] | None:
    found = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 15):m.start()]
            sentence_start = max(before.rfind("。"), before.rfind("；"))
            if not _CUMULATIVE.search(before[sentence_start + 1:]):
                found.append(m)
                break
    return min(found, key=lambda m: m.start()) if found else None


@govreport.hookimpl
def govreport_requires_api():
    return 1


@govreport.hookimpl
def govreport_register_extractors(register):
    register(MediaExtractor())
