"""Pre-2019 statistics attachments (统计表) printed as text: label, unit, values.

Crawler dumps flatten the table into one run — "主动公开信息数条4251516其中：1.网站公开条
41815092.政府公报公开条77…" — where a row's 本年度 and 历年累计 cells (and the next row's
number "2.") are glued together.  A value is taken only when it is certain:

- cells separated by spaces ("条 425 1516") are certain;
- a glued run is split into (本年度, 历年累计) every possible way with no leading zeros and
  累计 ≥ 本年度; exactly one possible split is certain ("728" → 7 | 28, "00" → 0 | 0),
  several are not ("4251516" → 4|251516, 42|51516, 425|1516);
- the next row's number at the end of a run is stripped only when it is the expected one.

Cumulative (历年累计) cells never become facts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER_WORDS = re.compile(r"历年累计|累计数|本年累计|累计|本年度|\d{4}\s*年度|本期实际|本期|计量单位|单位|指标名称")
_UNIT = re.compile(r"(?P<unit>万元|人次|条|件|元|个|次|人)(?=\s*\d)")
_ORDINAL_SEP = ".、．"


@dataclass
class Row:
    label: str  # as printed, ordinal and 其中 stripped
    unit: str
    annual: int | float | None  # None when the run is not certain
    start: int  # flat offsets of the row (label start .. run end)
    end: int
    raw: str


def find_table(text: str) -> tuple[int, int] | None:
    """(offset of the first row, number of value columns) of a statistics table, or None."""
    m = re.search(r"指标名称", text)
    if m is None:
        return None
    first_unit = _UNIT.search(text, m.end())
    if first_unit is None:
        return None
    header_end = m.end()
    for h in _HEADER_WORDS.finditer(text, m.start(), first_unit.start()):
        header_end = h.end()
    header = text[m.start():header_end]
    return header_end, 2 if "累计" in header else 1


_RUN = re.compile(r"(?:\d|\s|[.．](?=\d))*")  # the digits after a unit, spaces and decimals within


def _splits(digits: str, n_cols: int) -> list[tuple[int, ...]]:
    """Every way to cut a digit run into ``n_cols`` cells (no leading zeros, 累计 ≥ 本年)."""
    if n_cols == 1:
        return [(int(digits),)] if digits and (digits == "0" or digits[0] != "0") else []
    out: list[tuple[int, ...]] = []
    for i in range(1, len(digits)):
        a, b = digits[:i], digits[i:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
            continue
        if int(b) >= int(a):
            out.append((int(a), int(b)))
    return out


def parse_rows(text: str, start: int, n_cols: int) -> list[Row]:
    rows: list[Row] = []
    units = list(_UNIT.finditer(text, start))
    label_start = start
    carry_ordinal: int | None = None  # ordinal stripped from the previous run
    for u in units:
        if u.start() < label_start:
            continue
        label = text[label_start:u.start()]
        if not re.search(r"[\u4e00-\u9fff]", label):
            label_start = u.end()
            continue
        run_m = _RUN.match(text, u.end())
        assert run_m is not None  # the pattern matches the empty string
        run_end = run_m.end()
        run = run_m.group(0)
        nxt = text[run_end:run_end + 1]
        # ordinal of this label
        lab = label.strip()
        lm = re.match(r"^(?:其中\s*[:：]\s*)?(\d{1,2})\s*[.、．]", lab)
        if lm:
            this_ordinal = int(lm.group(1))
        elif carry_ordinal is not None:
            this_ordinal = carry_ordinal
        else:
            this_ordinal = None
        certain = True
        carry_ordinal = None
        if nxt and nxt in _ORDINAL_SEP and run.rstrip() and run.rstrip()[-1].isdigit():
            expected = (this_ordinal + 1) if this_ordinal is not None else 1
            body = run.rstrip()
            if body.endswith(str(expected)):
                run = body[: len(body) - len(str(expected))]
                carry_ordinal = expected
                run_end = run_end  # the ordinal's text stays with the next label
            else:
                certain = False
            label_next_start = run_m.start() + len(run)
        else:
            label_next_start = run_end
        value = None
        tokens = run.split()
        if certain and tokens:
            if len(tokens) == n_cols:
                try:
                    value = int(tokens[0]) if "." not in tokens[0] else float(tokens[0])
                except ValueError:
                    value = None
            elif len(tokens) == 1 and n_cols == 2 and tokens[0].isdigit():
                options = _splits(tokens[0], n_cols)
                if len(options) == 1:
                    value = options[0][0]
        clean = re.sub(r"^(?:其中\s*[:：]\s*)?(?:\d{1,2}\s*[.、．]\s*)?", "", lab)
        clean = re.sub(r"\s+", "", clean)
        rows.append(Row(clean, u.group("unit"), value, label_start, label_next_start,
                        text[label_start:label_next_start]))
        label_start = label_next_start
    return rows


# label words → key, tried in order
# A row that sums two keys ("信函、传真申请数") gives each of them only when it is 0: counts are
# never negative, so a sum of 0 is a 0 in every part.
_LABEL_RULES: list[tuple[str, str | tuple[str, ...] | None]] = [
    (r"申诉|举报|投诉", "legacy.complaints.total"),
    (r"复议", "legacy.review.total"),
    (r"诉讼", "legacy.litigation.total"),
    (r"减免", None),
    (r"收费|收取的?费用|费用", "fees.collected_yuan"),
    (r"信函.*传真|传真.*信函", ("legacy.requests.letter", "legacy.requests.fax")),
    (r"当面|现场", "legacy.requests.in_person"),
    (r"传真", "legacy.requests.fax"),
    (r"电子邮件|邮件|电子邮箱", "legacy.requests.email"),
    (r"网上|网络|互联网|在线", "legacy.requests.online"),
    (r"信函|邮寄", "legacy.requests.letter"),
    (r"其它形式|其他形式|其它方式|其他方式|其他类型|其它类型", None),
    (r"同意部分公开|部分公开", "legacy.responses.partially_granted"),
    (r"^(?:同意公开|予以公开)", "legacy.responses.granted"),
    (r"否决|不予公开|不同意公开", "legacy.responses.denied"),
    (r"信息不存在", "legacy.responses.not_exist"),
    (r"非本|不属于本", "legacy.responses.not_this_agency"),
    (r"已主动公开", "legacy.responses.already_public"),
    (r"按时办结", "legacy.requests.closed_on_time"),
    (r"答复总?数|办结数|答复的?数", "legacy.requests.closed"),
    (r"(?:受理|收到).*申请.*(?:总数|数)|申请总数|^收到申请数", "legacy.requests.received"),
    (r"网站公开|公报公开|规范性文件|全文电子化", None),
    (r"^主动公开(?:政府)?(?:信息|文件)数", "proactive.items"),
]


def label_key(label: str) -> str | tuple[str, ...] | None:
    label = re.sub(r"[（(][^）)]*[)）]", "", label)
    for pattern, key in _LABEL_RULES:
        if re.search(pattern, label):
            return key
    return None


def table_values(text: str) -> tuple[dict[str, tuple[object, Row]], tuple[int, int] | None]:
    """{key: (annual value or None when uncertain, row)} of the statistics table in ``text``."""
    found = find_table(text)
    if not found:
        return {}, None
    start, n_cols = found
    out: dict[str, tuple[object, Row]] = {}
    rows = parse_rows(text, start, n_cols)
    sums: list[tuple[tuple[str, ...], Row]] = []
    for row in rows:
        key = label_key(row.label)
        if isinstance(key, tuple):
            if row.annual == 0:
                sums.append((key, row))
            continue
        if key is None or key in out:
            continue
        value = row.annual
        if key == "fees.collected_yuan" and value is not None and row.unit == "万元":
            value = value * 10000
        out[key] = (value, row)
    for keys, row in sums:
        for key in keys:
            out.setdefault(key, (0, row))
    end = rows[-1].end if rows else start
    return out, (start, end)
