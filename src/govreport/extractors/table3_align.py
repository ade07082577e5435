"""Placing observed rows of table 三 on its canonical rows: by label where one matches,
by sequence between matched rows where the counts agree."""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import table_labels as L
from .table_grid import Row

# --------------------------------------------------------------------------------------
# alignment of observed rows to the canonical rows of table 三
# --------------------------------------------------------------------------------------

@dataclass
class ObservedRow:
    row: Row
    match: L.RowMatch | None
    group: str | None


def own_label(row: Row) -> str:
    """The label a row is matched by. In a run of text a row whose cells are all blank
    prints no number, so its label runs into the next row's ("（六）其他处理（七）总计
    2130…"): a text row is the last numbered label's."""
    own = row.labels[-1] if row.labels else ""
    if row.tokens and row.table is None and own:
        trimmed = trim_label(own)
        if trimmed != own.strip() and LABEL_MARK.match(trimmed):
            return trimmed
    return own


def match_rows(rows: list[Row], variant: str | None) -> list[ObservedRow]:
    group: str | None = None
    out: list[ObservedRow] = []
    for row in rows:
        labels = row.labels
        own = own_label(row)
        g = L.group_of(own) if labels and own != labels[-1] else None
        if g is None:
            for lab in labels:
                gg = L.group_of(lab)
                if gg:
                    g = gg
        if g:
            group = g
        m = None
        if labels:
            m = L.match_t3_row(own, group, variant)
            if m is None and len(labels) > 1:
                m = L.match_t3_row("".join(labels), group, variant)
        if m is not None:
            rd = L.T3_ROW_BY_KEY.get(m.key)
            if rd is not None:
                group = rd.group
        out.append(ObservedRow(row, m, group))
    return out


def align(obs: list[ObservedRow], canon: list[str]) -> tuple[dict[str, ObservedRow], list[str]]:
    """Assign observed value rows to canonical rows.

    Matched rows are anchors (the heaviest chain increasing in table order wins);
    unmatched rows between two anchors are placed in order when their number equals the
    number of table rows between the anchors, and left out otherwise.
    """
    index = {k: i for i, k in enumerate(canon)}
    cand = [(i, index[o.match.key], 2 if o.match.strong else 1)
            for i, o in enumerate(obs) if o.match and o.match.key in index]
    # weighted longest chain, strictly increasing in both observed and canonical order
    best: list[tuple[int, int]] = []  # (score, prev)
    for a, (oi, ci, w) in enumerate(cand):
        score, prev = w, -1
        for b in range(a):
            if cand[b][1] < ci and cand[b][0] < oi and best[b][0] + w > score:
                score, prev = best[b][0] + w, b
        best.append((score, prev))
    chain: list[tuple[int, int]] = []
    if best:
        a = max(range(len(best)), key=lambda k: best[k][0])
        while a != -1:
            chain.append((cand[a][0], cand[a][1]))
            a = best[a][1]
        chain.reverse()
    assigned: dict[str, ObservedRow] = {}
    notes: list[str] = []
    for oi, ci in chain:
        assigned[canon[ci]] = obs[oi]
    bounds = [(-1, -1)] + chain + [(len(obs), len(canon))]
    for (o0, c0), (o1, c1) in zip(bounds, bounds[1:]):
        # a row whose label names a row this table does not have is not placed by sequence
        between = [oi for oi in range(o0 + 1, o1)
                   if (m := obs[oi].match) is None or m.key in index]
        for oi in range(o0 + 1, o1):
            m = obs[oi].match
            if m is not None and m.key not in index:
                notes.append(f"table 三: a row labelled as {m.key}, which this table does not "
                             "have, ignored")
        need = c1 - c0 - 1
        if not between and not need:
            continue
        if len(between) == need:
            for oi, ci in zip(between, range(c0 + 1, c1)):
                assigned[canon[ci]] = obs[oi]
        else:
            lo = canon[c0] if c0 >= 0 else "the start"
            hi = canon[c1] if c1 < len(canon) else "the end"
            if need and not between:
                notes.append(f"table 三: no rows found between {lo} and {hi} (the table has {need})")
            elif need:
                notes.append(f"table 三: {len(between)} unlabelled row(s) between {lo} and {hi} "
                             f"where the table has {need}; those rows are left out")
            elif between:
                notes.append(f"table 三: {len(between)} extra row(s) between {lo} and {hi} ignored")
    return assigned, notes


# Numbering that starts a table 三 label: 一、 / （一） / 1. / 1、
LABEL_MARK = re.compile(r"[一二三四]、|（[一二三四五六七]）|\([一二三四五六七]\)|(?<![0-9])[1-8][.、．]")


def trim_label(label: str) -> str:
    """A text row's label without what ran into it before (header words, vertical
    label characters): from its own numbering, or from its group's when it is a
    numbered sub-row right after the group label ("（三）不予公开1.属于国家秘密")."""
    s = re.sub(r"\s+", " ", label).strip()
    marks = list(LABEL_MARK.finditer(s))
    if not marks:
        return s[-40:]
    last = marks[-1]
    start = last.start()
    if last.group(0)[0].isdigit() and len(marks) > 1 and marks[-2].group(0).startswith(("（", "(")):
        between = s[marks[-2].end():last.start()]
        if L.group_of(marks[-2].group(0) + between) and len(between) <= 6:
            start = marks[-2].start()
    elif len(marks) > 1 and marks[-2].group(0).endswith("、") and not marks[-2].group(0)[0].isdigit() \
            and "办理结果" in s[marks[-2].end():last.start()]:
        start = marks[-2].start()  # 三、本年度办理结果（一）予以公开
    return s[start:]
