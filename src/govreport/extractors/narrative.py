"""Built-in narrative extractor: the problems each office admits and what it will improve.

The 存在的主要问题及改进情况 section (section ``problems``) is split into a problems part
and an improvements part (at "（二）改进措施", "下一步", "针对上述问题", "2020年，我们将…"),
and each part into items: "一是…二是…", "（一）…", "1.…", "；"-separated clauses, or the
list in "存在A、B、C等不足".  Each item is tagged with themes from a small documented
taxonomy (``govreport/data/themes.json``) using jieba tokens and a domain user dictionary
(``data/jieba_userdict.txt``); per-report keywords come from jieba's TF-IDF with a domain
stop-word list (``data/stopwords.txt``) — without it every report's keywords are
公开 / 信息 / 工作.

Output (``Report.narrative``): ``problems`` and ``improvements`` (lists of item texts),
``themes`` (the report's themes, most frequent first), ``problem_themes`` /
``improvement_themes`` (``[{"text": ..., "themes": [...]}]``) and ``keywords``.

jieba is imported and initialised lazily, once per process, only here; it is never used to
match facts (regex and substring matching are exact there).
"""
from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import govreport

from ..context import Context, ReportText
from ..model import Fact, Section
from .segment import cut

# ---------------------------------------------------------------------------------------
# Data files and the lazily built jieba tokenizer

_LOCK = threading.Lock()
_STATE: dict = {}


def _data_text(name: str) -> str:
    return resources.files("govreport").joinpath("data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, list[str]]:
    """{theme: [keywords]} in display order."""
    raw = json.loads(_data_text("themes.json"))
    return {name: list(spec["keywords"]) for name, spec in raw["themes"].items()}


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = set()
    for line in _data_text("stopwords.txt").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


def _userdict_words() -> list[tuple[str, int, str | None]]:
    out = []
    for line in _data_text("jieba_userdict.txt").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1000
        tag = parts[2] if len(parts) > 2 else None
        out.append((parts[0], freq, tag))
    return out


def tokenizer():
    """The process-wide jieba Tokenizer with the domain dictionary (built on first use)."""
    tok = _STATE.get("tokenizer")
    if tok is not None:
        return tok
    with _LOCK:
        tok = _STATE.get("tokenizer")
        if tok is None:
            import logging

            from .lexicon import import_jieba, new_tokenizer

            import_jieba().setLogLevel(logging.WARNING)
            tok = new_tokenizer()  # jieba's dictionary from the shipped sorted table
            words = {w for w, _, _ in _userdict_words()}
            for word, freq, tag in _userdict_words():
                tok.add_word(word, freq, tag)
            # theme keywords are tokens too
            for keywords in taxonomy().values():
                for word in keywords:
                    if word not in words and len(word) > 1:
                        tok.add_word(word, 800)
            _STATE["tokenizer"] = tok
    return tok


def _idf() -> tuple:
    """jieba's IDF table (word → IDF, looked up in the shipped sorted table) and its
    median, once per process — never through ``jieba.analyse``, which builds jieba's
    default tokenizer and POS dictionary too (about 130 MiB per batch worker)."""
    table = _STATE.get("idf")
    if table is not None:
        return table
    with _LOCK:
        table = _STATE.get("idf")
        if table is None:
            from .lexicon import idf_table

            table = idf_table()
            _STATE["idf"] = table
    return table


def tokens(text: str) -> list[str]:
    return [t for t in tokenizer().lcut(text) if t.strip()]


def tag_themes(text: str) -> list[str]:
    """Themes of one item: every theme with a keyword among the jieba tokens of ``text``.

    A longer token that contains a keyword of two or more characters counts too
    ("经办人员" → 人员, "联动机制" → 机制).
    """
    toks = set(tokens(text))
    joined = "\x00".join(toks)  # "k in some token" is one substring search over this
    out = []
    for theme, kws in taxonomy().items():
        if toks.intersection(kws) or any(len(k) >= 2 and k in joined for k in kws):
            out.append(theme)
    return out


_NOT_A_KEYWORD = re.compile(r"[\d\W_a-zA-Z]")


def keywords(text: str, top: int = 10) -> list[str]:
    """Per-report keywords: TF-IDF over jieba tokens minus the domain stop words.

    Tokens come from the dictionary alone (no HMM, no POS tagging): jieba's HMM and
    POS paths take seconds on long runs of unusual characters (mis-decoded pages), and
    the domain stop-word list removes the function words POS filtering would.
    """
    if not text.strip():
        return []
    stop = stop_words()
    counts = Counter(w for w in cut(tokenizer(), text)
                     if len(w) >= 2 and w not in stop and not _NOT_A_KEYWORD.search(w))
    if not counts:
        return []
    idf, median = _idf()
    total = sum(counts.values())
    return sorted(counts, key=lambda w: (-counts[w] * idf.get(w, median) / total, w))[:top]


# ---------------------------------------------------------------------------------------
# Splitting the section into problems and improvements, and each part into items

_IMPROVE_HEAD = re.compile(
    r"[（(][一二三四五六七八九十][)）]\s*(?:下一步)?(?:的)?(?:改进|整改|工作打算|下一步|今后|努力方向)"
    r"[^。；\n]{0,12}?(?:[:：]|(?=[一二三四五六七八九十]是)|$|(?=\n))"
    r"|(?:^|\n)\s*(?:改进措施|改进情况|整改措施|工作打算|下一步工作|下一步打算)\s*[:：]?"
    r"|改进措施\s*[:：]"
)
_PROBLEM_HEAD = re.compile(
    r"[（(][一二三四五六七八九十][)）]\s*(?:存在的?)?(?:主要)?(?:问题|不足)[^。；\n]{0,6}?(?:[:：]|\n)?"
    r"|(?:^|\n)\s*存在(?:的)?(?:主要)?问题\s*[:：]?"
)
_IMPROVE_START = re.compile(
    r"下一步|针对(?:存在|上述|以上|这些)?的?(?:问题|不足)|为此|今后|因此|"
    r"(?:19|20)\d{2}\s*年[，,]?[^。；]{0,12}?将|我们将|将(?:采取|从|重点|着力)|"
    r"(?:考虑|计划|拟)从以下|改进措施|采取以下措施|根据上述问题|针对上述|对此"
)
_ENUM = re.compile(
    r"(?P<m>[一二三四五六七八九十]{1,2}是|[（(][一二三四五六七八九十]{1,2}[)）]|"
    r"(?<![\d.])\d{1,2}\s*[.、．](?!\d)|第[一二三四五六七八九十]{1,2}[，,、]|其[一二三四五六七八九十][，,、])"
)
_PROBLEM_LIST = re.compile(
    r"(?:存在|表现在|表现为|主要是|主要有|如|包括)[:：]?\s*(?P<list>[^。]{4,}?)"
    r"(?:等(?:方面的?)?(?:不足|问题|差距|短板|薄弱环节|情况)?(?:之处)?[。；]|。|$)"
)
_LIST_MARK = r"(?:如|主要(?:是|有|表现为|表现在)|包括|即)"
_LIST_INTRO = re.compile(
    r"(?:[^；;、，,：:]{0,8}[：:]"                                    # "一些不足："
    r"|(?:一些|以下|如下|一定的?|部分|若干|诸多)?的?(?:不足|问题|差距|短板|薄弱环节)(?:之处)?"
    r"[，,]\s*" + _LIST_MARK + "?"                                     # "不足，(如)"
    r"|[^；;、，,：:]{0,8}[，,]\s*" + _LIST_MARK + r")\s*"              # "…，主要是"
)
_PREDICATE = re.compile(
    r"有待|不够|不足|仍需|仍待|尚需|需要|需进一步|需|欠缺|较少|不高|不强|滞后|薄弱|差距|不到位|"
    r"不完善|不规范|有限|难以|还需|亟待|待|不充分|单一|不多|不全|不准确|不平衡|不及时|偏少|较弱|"
    r"缺乏|未能|没有|不一|参差不齐|较大|加强|提升|提高|完善|健全|推进|优化|强化|丰富|拓宽|深化|规范"
)
_INTRO = re.compile(r"取得|成效|成绩|进展|以下问题|以下方面|如下|主要表现|以下几个方面|以下工作|"
                    r"以下措施|问题导向")


_LINE_HEAD = re.compile(r"[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、|\d{1,2}[.、．]"
                        r"|#+\s")


def _flatten(text: str) -> str:
    """Join lines broken inside sentences (PDF/markdown); keep paragraph breaks and
    the line break before and after a heading line ("（二）改进情况")."""
    text = re.sub(r"[ \t\u3000]*\n[ \t\u3000]*\n\s*", "\n\n", text)
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i + 1 == len(lines):
            break
        nxt = lines[i + 1]
        keep = (not line or not nxt or line[-1] in "。；：:！？!?"
                or _LINE_HEAD.match(nxt.lstrip())
                or (_LINE_HEAD.match(line.lstrip()) and len(line.strip()) <= 20))
        out.append("\n" if keep else "")
    return "".join(out)


def _strip_title(section) -> str:
    text = section.text or ""
    title = getattr(section, "title", "") or ""
    if title:
        i, seen = 0, 0
        while i < len(text) and seen < len(title):
            if not text[i].isspace():
                seen += 1
            i += 1
        if text[:i].replace(" ", "").replace("\n", "") == title:
            # the heading may run on: "存在的主要问题及改进情况" while title stops at 问题
            text = text[i:]
            text = re.sub(r"^(?:及|和|与)?(?:改进|整改)(?:情况|措施)?|^(?:及|和)?工作打算", "", text)
    return text


def split_parts(text: str) -> tuple[str, str]:
    """(problems text, improvements text) of a problems section (title stripped)."""
    text = _flatten(text).strip()
    head = _IMPROVE_HEAD.search(text)
    if head and head.start() > 0:
        problems, improvements = text[:head.start()], text[head.end():]
    else:
        # the first sentence that announces what will be done
        problems, improvements = text, ""
        for sent in re.finditer(r"[^。；\n]*[。；\n]?", text):
            s = sent.group(0)
            if not s.strip():
                continue
            if _IMPROVE_START.search(s) and sent.start() > 0:
                problems, improvements = text[:sent.start()], text[sent.start():]
                break
    problems = _PROBLEM_HEAD.sub("", problems, count=1) if _PROBLEM_HEAD.match(
        problems.strip()) else problems
    return problems.strip(), improvements.strip()


def _clean_item(item: str) -> str:
    item = item.strip(" \n\t：:，,；;。、")
    item = re.sub(r"\s+", "", item) if re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", item) else item
    return item.strip()


def _enumerated(text: str) -> list[str] | None:
    """Items after enumeration markers, or None when there are fewer than two markers."""
    marks = []
    for m in _ENUM.finditer(text):
        # a marker starts an item at the text start or after a break / sentence end
        before = text[:m.start()].rstrip(" ")
        if before and before[-1] not in "。；;：:\n！？!?）)" and not m.group("m").endswith("是"):
            continue
        marks.append(m)
    if len(marks) < 2:
        return None
    # keep the markers of the first style only ("一是…二是…" inside "（一）…" items)
    style = _style(marks[0].group("m"))
    marks = [m for m in marks if _style(m.group("m")) == style]
    if len(marks) < 2:
        return None
    items = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        item = text[m.end():end]
        cut = re.search(r"[。！？!?]\s*\n", item)
        if cut:  # a new paragraph after the item is not part of it
            item = item[:cut.start() + 1]
        item = _clean_item(item)
        if item:
            items.append(item)
    return items


def _style(marker: str) -> str:
    if marker.endswith("是"):
        return "shi"
    if marker[0] in "（(":
        return "paren"
    if marker[0] == "第":
        return "di"
    if marker[0] == "其":
        return "qi"
    return "digit"


def _merge_fragments(parts: list[str]) -> list[str]:
    """Join list fragments without a predicate to the next one ("智能化、数字化手段…不够充分")."""
    out: list[str] = []
    pending = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        joined = f"{pending}、{p}" if pending else p
        if _PREDICATE.search(p):
            out.append(joined)
            pending = ""
        else:
            pending = joined
    if pending:
        if out:
            out[-1] = f"{out[-1]}、{pending}"
        else:
            out.append(pending)
    return out


def split_items(text: str, *, problems: bool) -> list[str]:
    """The items of one part."""
    text = text.strip()
    if not text:
        return []
    items = _enumerated(text)
    if items:
        return items
    if problems:
        best: list[str] = []
        for m in _PROBLEM_LIST.finditer(text):
            body = m.group("list")
            # "存在不足，如A；B", "存在一些不足：A，B": the list follows the inner 如 /
            # 主要是 / ： — a first clause that is itself a problem ("A有待加强，B…") stays
            intro = _LIST_INTRO.match(body)
            if intro:
                body = body[intro.end():]
            body = body.strip("：:，, ")
            parts = [p for p in re.split(r"[；;]", body) if p.strip()]
            if len(parts) < 2:
                parts = _merge_fragments(re.split(r"、", body))
            if len(parts) < 2:
                # "不足：A不够丰富，B有待提高，C较为薄弱": comma clauses, each a whole
                # problem — only when every clause states one (a subject and its predicate)
                clauses = [c for c in re.split(r"[，,]", body) if c.strip()]
                if len(clauses) >= 2 and all(len(c.strip()) >= 4 and _PREDICATE.search(c)
                                             for c in clauses):
                    parts = clauses
            parts = [_clean_item(re.sub(r"等$", "", p)) for p in parts]
            parts = [p for p in parts if p and _PREDICATE.search(p)]
            if len(parts) > len(best):
                best = parts
        if len(best) >= 2:
            return best
    # sentences (and ；-clauses), minus the introduction
    pieces = [p for p in re.split(r"[。；;\n]", text) if p.strip()]
    items = []
    for p in pieces:
        p = _clean_item(p)
        if not p or len(p) < 6 or not _PREDICATE.search(p):
            continue
        if _INTRO.search(p) and (p.endswith(("：", ":")) or not _PREDICATE.search(p)
                                 or re.search(r"取得|成效|成绩", p) and "但" not in p):
            continue
        if re.search(r"取得|成效|成绩", p) and "但" in p:
            tail = p.split("但", 1)[1]
            if not re.search(r"存在|不足|问题", tail) or len(tail) < 8:
                continue
        items.append(p)
    return items


# ---------------------------------------------------------------------------------------
# The plugin


class Narrative:
    """Problems and improvements of the 存在的主要问题 section, with themes and keywords.

    Report scope: keywords are the whole report's, and the problems section may come in
    several pieces (read in order)."""

    name = "narrative"
    scope = "report"

    def extract(self, report: ReportText, context: Context) -> Iterable[Fact]:
        body = [s for s in report.sections if s.key != "preamble"]
        context.narrative("keywords", keywords(_report_text(body)))
        problems: list[str] = []
        improvements: list[str] = []
        pieces = [s for s in report.sections if s.key == "problems"]
        for section in pieces:
            problems_text, improvements_text = split_parts(_strip_title(section))
            problems += split_items(problems_text, problems=True)
            improvements += split_items(improvements_text, problems=False)
        if not pieces:
            return ()
        p_tagged = [{"text": t, "themes": tag_themes(t)} for t in problems]
        i_tagged = [{"text": t, "themes": tag_themes(t)} for t in improvements]
        counts: Counter = Counter()
        for item in p_tagged:
            counts.update({t: 2 for t in item["themes"]})
        for item in i_tagged:
            counts.update(item["themes"])
        order = list(taxonomy())
        themes = sorted(counts, key=lambda t: (-counts[t], order.index(t)))
        context.narrative("problems", problems)
        context.narrative("improvements", improvements)
        context.narrative("themes", themes)
        context.narrative("problem_themes", p_tagged)
        context.narrative("improvement_themes", i_tagged)
        return ()


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _report_text(sections: Iterable[Section], limit: int = 20000) -> str:
    parts = []
    for s in sections:
        if s.key in ("attachment",):
            continue
        parts.append(s.text or "")
    lines = []
    for line in "\n".join(parts).splitlines():
        if "|" in line:
            continue  # markdown table rows
        digits = sum(map(str.isdigit, line))
        if digits and digits * 4 >= len(line.replace(" ", "")):
            continue  # table rows printed as text
        if len(_CJK.findall(line)) * 2 < len(line.strip()):
            continue  # mostly not Chinese: addresses, navigation, mis-decoded bytes
        lines.append(line)
    return "\n".join(lines)[:limit]


@govreport.hookimpl
def govreport_register_extractors(register):
    register(Narrative())
