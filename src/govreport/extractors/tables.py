"""Built-in extractor: every cell of tables 二/三/四 under its SCHEMA key (§3.1–3.3).

Registered through ``govreport_register_extractors`` like any third-party plugin.

How a report is read, once per report (the plugin is called per section and yields the
facts of the tables that sit in that section):

1. Tables are found by their CONTENT, not by the heading above them: header words
   (本年制发件数 / 申请人情况 / 结果维持 …) and row labels, over the grids of every
   section in document order — so a table split across pages or scattered by a Markdown
   converter is read on as one.
2. Rows are matched by meaning (a few distinctive words, then the row's number inside
   its group); rows without a usable label are placed by sequence between matched rows,
   and only when the number of rows there is exactly the number of rows the table has
   there (:func:`align`).
3. Without grids (plain text, one-line crawler dumps, PDFs without ruling lines) rows
   are read from the text: a label and its run of numbers. Run-together digits
   ("640020470") are split by the table's own arithmetic — each row's six applicant
   columns sum to 总计, table 四's blocks sum to their totals, and per column of table
   三 一+二 = 七+四 and 七 = the sum of the result rows, solved over all rows at once.
   A blank cell vanishes from such a run, so a reading may leave cells blank; only
   cells every valid reading agrees on are kept; the rest are left out with a warning.
   Nothing is guessed.
4. A printed blank, ``/``, ``—``, ``-`` is ``None``; values stay as printed (a table that
   does not add up is reported by ``govreport.checks.tables``, not corrected).
"""
from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any, Iterable

import govreport

from ..model import Section, Table
from ..numbers import is_blank_marker, parse_amount, parse_number
from . import table_labels as L
from .table_grid import (Row, grid_rows, has_number, header_label, is_value_cell, row_text,
                         t3_column_map, t4_column_map)
from .table_text import (BLANK_TOKENS, UNKNOWN, Readings, common_cells, find_runs, joint_filter,
                         row_splits, segmentations)

NAME = "tables"


# --------------------------------------------------------------------------------------
# output records
# --------------------------------------------------------------------------------------

@dataclass
class Out:
    """A cell to report: key, value and where it was printed."""

    key: str
    value: Any
    text: str
    row: str
    col: str
    table: Table | None = None
    span: tuple[int, int] | None = None  # offsets in _Doc.text


@dataclass
class Analysis:
    outs: list[Out] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)

    def add(self, out: Out) -> None:
        """Keep the first reading of a key: each table is extracted once per report."""
        if out.key in self.keys:
            return
        self.keys.add(out.key)
        self.outs.append(out)

    def has(self, prefix: str) -> bool:
        return any(k.startswith(prefix) for k in self.keys)


class _Doc:
    """The report's sections (preamble included) glued back into one text."""

    def __init__(self, sections: list[Section]):
        self.sections = sorted(sections, key=lambda s: s.start)
        self.base = self.sections[0].start if self.sections else 0
        self.text = "".join(s.text for s in self.sections)
        self.starts = [s.start - self.base for s in self.sections]

    def section_at(self, pos: int) -> Section:
        idx = 0
        for i, st in enumerate(self.starts):
            if st <= pos:
                idx = i
            else:
                break
        return self.sections[idx]

    def tables(self) -> list[tuple[Section, Table]]:
        return [(s, t) for s in self.sections for t in s.tables]


# --------------------------------------------------------------------------------------
# value helpers
# --------------------------------------------------------------------------------------

def _value(cell: str | None, money: str | None = None) -> tuple[bool, Any]:
    """(ok, value) of a cell: blank markers are (True, None); unreadable text is (False, _)."""
    if cell is None or is_blank_marker(cell):
        return True, None
    s = cell.strip()
    if money:
        v = parse_amount(s, money)
    else:
        v = parse_number(s)
    if v is None:
        return False, None
    return True, v


def _blank(cell: str | None) -> bool:
    return cell is None or not cell.strip()


def _flat_tokens(cells: list[str | None]) -> list[str]:
    out: list[str] = []
    for c in cells:
        if c and c.strip():
            out.extend(c.split())
    return out


# --------------------------------------------------------------------------------------
# text rows (plain text, one-line dumps, pipe lines in text)
# --------------------------------------------------------------------------------------

def _pipe_row(line: str, base: int) -> Row | None:
    parts = []
    pos = 0
    for piece in line.split("|"):
        parts.append((piece, base + pos))
        pos += len(piece) + 1
    if parts and not parts[0][0].strip():
        parts = parts[1:]
    cells = [(p.strip(), off + (len(p) - len(p.lstrip()))) for p, off in parts]
    last_label = -1
    for j, (c, _) in enumerate(cells):
        if not is_value_cell(c):
            last_label = j
    labels = [c for c, _ in cells[:last_label + 1] if c and not is_value_cell(c)]
    values = cells[last_label + 1:]
    # the line ends with '|' -> one empty artefact cell
    if line.rstrip().endswith("|") and values and not values[-1][0]:
        values = values[:-1]
    row = Row(labels=labels, cells=[c for c, _ in values])
    row.cell_spans = [(o, o + len(c)) if c else None for c, o in values]
    row.span = (base, base + len(line))
    lab_start = cells[0][1] if cells else base
    row.label_span = (lab_start, values[0][1] if values else base + len(line))
    return row


def text_rows(text: str, start: int, end: int) -> list[Row]:
    """Rows of a stretch of text: pipe lines as cells, other lines as label + number runs."""
    rows: list[Row] = []
    one_line = text.count("\n", start, end) < 3
    if one_line:
        for run in find_runs(text, start, end, one_line=True):
            rows.append(_run_row(run))
        return rows
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        line = text[pos:line_end]
        vert = _vertical_row(text, pos, line_end, end) if line.strip() and not re.search(r"\d", line) else None
        if vert is not None:
            row, pos = vert
            rows.append(row)
            continue
        if line.count("|") >= 2:
            r = _pipe_row(line, pos)
            if r is not None:
                rows.append(r)
        else:
            runs = find_runs(text, pos, line_end, one_line=False)
            for run in runs:
                rows.append(_run_row(run))
            if not runs and line.strip():
                rows.append(Row(labels=[line.strip()], cells=[], span=(pos, line_end),
                                label_span=(pos, line_end)))
        pos = line_end + 1
    return rows


_ONE_TOKEN_LINE = re.compile(r"[ \t]*([-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:万元|元|件|条)?|—{1,2}|-{1,2}|/)[ \t]*$")


def _vertical_row(text: str, pos: int, line_end: int, end: int) -> tuple[Row, int] | None:
    """A label line followed by lines of one number each (blank lines between allowed):
    tables printed one cell per line. Returns the row and where reading goes on."""
    cells: list[tuple[str, int, int]] = []
    p = line_end + 1
    last = line_end
    while p < end:
        nl = text.find("\n", p, end)
        le = end if nl == -1 else nl
        line = text[p:le]
        if not line.strip():
            p = le + 1
            continue
        m = _ONE_TOKEN_LINE.fullmatch(line)
        if not m:
            break
        cells.append((m.group(1), p + m.start(1), p + m.end(1)))
        last = le
        p = le + 1
    if not cells:
        return None
    label = text[pos:line_end].strip()
    row = Row(labels=[label], cells=[c for c, _, _ in cells], span=(pos, last),
              label_span=(pos, line_end))
    row.cell_spans = [(a, b) for _, a, b in cells]
    return row, last + 1


def _run_row(run) -> Row:
    label = run.label.strip()
    row = Row(labels=[label] if label else [], cells=[t for t, _, _ in run.tokens],
              span=(run.start, run.end), tokens=list(run.tokens),
              label_span=(run.label_start, run.start))
    row.cell_spans = [(a, b) for _, a, b in run.tokens]
    return row


# --------------------------------------------------------------------------------------
# alignment of observed rows to the canonical rows of table 三
# --------------------------------------------------------------------------------------

@dataclass
class _Obs:
    row: Row
    match: L.RowMatch | None
    group: str | None


def _own_label(row: Row) -> str:
    """The label a row is matched by. In a run of text a row whose cells are all blank
    prints no number, so its label runs into the next row's ("（六）其他处理（七）总计
    2130…"): a text row is the last numbered label's."""
    own = row.labels[-1] if row.labels else ""
    if row.tokens and row.table is None and own:
        trimmed = _trim_label(own)
        if trimmed != own.strip() and _LABEL_MARK.match(trimmed):
            return trimmed
    return own


def _match_rows(rows: list[Row], variant: str | None) -> list[_Obs]:
    group: str | None = None
    out: list[_Obs] = []
    for row in rows:
        labels = row.labels
        own = _own_label(row)
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
        out.append(_Obs(row, m, group))
    return out


def align(obs: list[_Obs], canon: list[str]) -> tuple[dict[str, _Obs], list[str]]:
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
    assigned: dict[str, _Obs] = {}
    notes: list[str] = []
    for oi, ci in chain:
        assigned[canon[ci]] = obs[oi]
    bounds = [(-1, -1)] + chain + [(len(obs), len(canon))]
    for (o0, c0), (o1, c1) in zip(bounds, bounds[1:]):
        # a row whose label names a row this table does not have is not placed by sequence
        between = [oi for oi in range(o0 + 1, o1)
                   if obs[oi].match is None or obs[oi].match.key in index]
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


# --------------------------------------------------------------------------------------
# the analysis
# --------------------------------------------------------------------------------------

def _is_t3_header(row: Row) -> bool:
    t = row_text(row)
    return (sum(1 for w in L.T3_HEADER_WORDS if w in t) >= 2 and not any(has_number(c) for c in row.cells)
            and len(t) < 400)


def _is_t4_header(row: Row) -> bool:
    if any(has_number(c) for c in row.cells) and row.labels:
        return False
    t = row_text(row)
    if sum(1 for w in L.T4_SIGNATURE if w in t) >= 2 or ("行政复议" in t and "行政诉讼" in t and len(t) < 60):
        return True
    # header words broken over cells: "维持 | 纠正 | 结果 | 审结"
    return sum(1 for w in ("维持", "纠正", "审结", "尚未") if w in t) >= 3 and len(t) < 120


def _t3_strong(row: Row) -> bool:
    if not row.labels:
        return False
    m = L.match_t3_row(row.labels[-1], None) or L.match_t3_row("".join(row.labels), None)
    return m is not None and m.strong


def _grid_region(rows: list[Row], is_start, is_stop, extend) -> tuple[int, int] | None:
    start = next((i for i, r in enumerate(rows) if is_start(r)), None)
    if start is None:
        return None
    last_good = start
    for j in range(start + 1, len(rows)):
        r = rows[j]
        if is_stop(r):
            break
        if extend(r):
            last_good = j
    return start, last_good + 1


def _t3_value_row(row: Row) -> bool:
    if row.tokens:
        return len(row.tokens) <= 9
    if row.table is None and len(row.cells) < 5:
        return False  # a lone number under a label line (page number, stray cell)
    n = sum(1 for c in row.cells if has_number(c))
    if n > 9:
        return False  # a table 四 row or some other table's
    if n:
        return True
    return bool(row.labels) and len(row.cells) >= 5 and _t3_strong(row)


def _decode_t3(row: Row, colmaps: dict[int, dict[int, str]]) -> tuple[list[list[str | None]], list[tuple[int, int] | None] | None, list[str]]:
    """Candidate 7-cell readings of a row, their cell spans (text rows), column labels."""
    cols = [L.T3_COLUMN_LABELS[k] for k in L.T3_COLUMNS]
    if row.table is not None:
        cmap = colmaps.get(id(row.table))
        if cmap is not None and len(row.raw) != row.table.n_cols:
            # a row wider or narrower than its header (a converter lost or added a
            # cell): which cell moved is unknowable
            return [], None, cols
        if cmap is not None:
            by_key = {v: k for k, v in cmap.items()}
            cells = [row.raw[by_key[k]] for k in L.T3_COLUMNS]
            if not any(c and len(c.split()) > 1 for c in cells):
                labels = [row.colnames.get(by_key[k]) or cols[i]
                          for i, k in enumerate(L.T3_COLUMNS)]
                return [cells], None, labels
            if [cmap[j] for j in sorted(cmap)] != list(L.T3_COLUMNS):
                return [], None, cols  # merged cells under a header in its own order
        cells = list(row.cells)
        while len(cells) > 7 and _blank(cells[-1]):
            cells.pop()
        while len(cells) > 7 and _blank(cells[0]):
            cells.pop(0)
        if len(cells) == 7 and not any(c and len(c.split()) > 1 for c in cells):
            return [cells], None, cols
        toks = _flat_tokens(row.cells)
        if len(toks) == 7:
            return [toks], None, cols
        return [], None, cols
    spans = row.cell_spans
    cells = list(row.cells)
    if not row.tokens:  # a pipe row in text
        sp = list(spans)
        while len(cells) > 7 and _blank(cells[-1]):
            cells.pop()
            sp.pop()
        if len(cells) == 7:
            return [cells], sp, cols
        return [], None, cols
    toks = [t for t, _, _ in row.tokens]
    if len(toks) == 7:
        return [toks], [(a, b) for _, a, b in row.tokens], cols
    splits = row_splits(toks)
    if not splits:
        return [], None, cols
    return splits, None, cols


def _piece_spans(tokens: list[tuple[str, int, int]], cells: list[str]) -> list[tuple[int, int] | None]:
    """Offsets of each split cell inside the run's tokens."""
    out: list[tuple[int, int] | None] = []
    ti, off = 0, 0
    for c in cells:
        if c is None:
            out.append(None)  # absent: prints nothing
            continue
        while ti < len(tokens) and off >= len(tokens[ti][0]):
            ti, off = ti + 1, 0
        if ti >= len(tokens):
            out.append(None)
            continue
        tok, a, _ = tokens[ti]
        if tok[off:off + len(c)] == c:
            out.append((a + off, a + off + len(c)))
            off += len(c)
        else:
            out.append(None)
    return out


class _Reader:
    def __init__(self, doc: _Doc, kind: str | None = None):
        self.doc = doc
        self.kind = kind
        self.an = Analysis()
        pairs = doc.tables()
        self.grid: list[Row] = []
        for _sec, t in pairs:
            self.grid.extend(grid_rows(t))
        self.t3_text_start: int | None = None
        self.t3_prints_every_cell = False

    # ---------------- table 三 ----------------
    def table3(self) -> None:
        rows = self.grid
        region = _grid_region(
            rows,
            is_start=lambda r: _is_t3_header(r) or (_t3_strong(r) and len(r.cells) >= 5),
            is_stop=lambda r: _is_t4_header(r) or (("第二十条" in row_text(r)) and len(row_text(r)) < 30),
            extend=lambda r: _t3_strong(r) or (_t3_value_row(r) and 5 <= len([c for c in r.cells if c is not None]) <= 10),
        )
        done = False
        if region:
            a, b = region
            self.t3_grid_region = (a, b)
            done = self._table3_rows(rows[a:b], grid=True)
        if not done:
            self._table3_text()
            return
        variant = self.an.meta.get("table3_variant") or "2021"
        missing = [r.key for r in L.T3_ROWS[variant]
                   if not self.an.has(f"requests.{r.key}.")]
        if missing and self.doc.text:
            self._fill_t3_from_text(missing)

    def _fill_t3_from_text(self, missing: list[str]) -> None:
        """Rows the grids lack (a continuation page printed without ruling lines) from the
        text — only when the text reading agrees with the grid on every row both have."""
        other = _Reader.__new__(_Reader)
        other.doc, other.kind, other.grid = self.doc, self.kind, []
        other.an, other.t3_text_start = Analysis(), None
        other._table3_text()
        if other.an.meta.get("table3_variant") not in (None, self.an.meta.get("table3_variant")):
            return
        mine = {o.key: o.value for o in self.an.outs if o.key.startswith("requests.")}
        theirs = {o.key: o.value for o in other.an.outs}
        shared = [k for k in theirs if k in mine]
        if not shared or any(mine[k] != theirs[k] for k in shared):
            if shared:
                self.an.warnings.append("table 三: rows missing from the grid were not taken from "
                                        "the text, whose reading disagrees with the grid")
            return
        added = 0
        for o in other.an.outs:
            row = o.key.split(".")[1:-1]
            if ".".join(row) in missing:
                self.an.add(o)
                added += 1
        if added:
            self.an.warnings.append(f"table 三: {added} cell(s) of rows missing from the grid "
                                    "read from the text (it agrees with the grid elsewhere)")

    def _colmaps(self, rows: list[Row]) -> dict[int, dict[int, str]]:
        maps: dict[int, dict[int, str]] = {}
        last: tuple[int, dict[int, str]] | None = None
        seen: set[int] = set()
        for r in rows:
            t = r.table
            if t is None or id(t) in seen:
                continue
            seen.add(id(t))
            first_data = next((i for i, raw in enumerate(t.rows)
                               if any(has_number(c) for c in raw)), len(t.rows))
            cmap = t3_column_map(t, first_data)
            if cmap:
                maps[id(t)] = cmap
                names = {j: header_label(t, first_data, j) for j in cmap}
                for rr in rows:
                    if rr.table is t:
                        rr.colnames = names
                last = (t.n_cols, cmap)
            elif last and t.n_cols == last[0]:
                maps[id(t)] = last[1]
        return maps

    def _t3_text_zone(self) -> str:
        """The report text from table 三's header to table 四's (labels a converter may have
        moved out of the grid are there)."""
        text = self.doc.text
        start = _first(text, ("申请人情况", "勾稽关系", "本年新收政府信息公开申请"))
        if start is None:
            return ""
        end = _t4_start(text, start)
        return text[start:end if end is not None else start + 8000]

    def _table3_rows(self, rows: list[Row], grid: bool) -> bool:
        text = " ".join(" ".join(r.labels) for r in rows)
        variant = self._t3_variant(text, rows) or self._t3_variant(self._t3_text_zone(), [])
        value_rows = [r for r in rows if _t3_value_row(r) and not _is_t3_header(r)]
        if not value_rows:
            return False
        obs = _match_rows(value_rows, variant)
        if variant is None:
            n = len(value_rows)
            variant = "2021" if n == 25 else ("2019" if n == 23 else None)
            if variant:
                obs = _match_rows(value_rows, variant)
        if variant:
            canon = [r.key for r in L.T3_ROWS[variant]]
        else:
            canon = [r.key for r in L.T3_ROWS["2021"] if r.group != "other"]
        assigned, notes = align(obs, canon)
        if not assigned:
            return False
        if variant:
            self.an.meta["table3_variant"] = variant
        self.an.warnings.extend(notes)
        colmaps = self._colmaps(rows) if grid else {}
        decoded: dict[str, tuple[list[list[str | None]], list | None, list[str], _Obs]] = {}
        for key, o in assigned.items():
            cands, spans, cols = _decode_t3(o.row, colmaps)
            if not cands:
                self.an.warnings.append(
                    f"table 三 row {key}: cannot tell which number is in which column "
                    f"({' '.join(c for c in o.row.cells if c) or 'no numbers'}); left out")
                continue
            decoded[key] = (cands, spans, cols, o)
        # run-together digits, blank cells that may have vanished: keep the readings of
        # each row that fit some reading of the whole table under its column arithmetic
        if any(len(v[0]) > 1 for v in decoded.values()):
            filtered = joint_filter({k: v[0] for k, v in decoded.items()},
                                    L.T3_RESULT_ROWS.get(variant) if variant else None)
            for k, c in filtered.items():
                cands, spans, cols, o = decoded[k]
                decoded[k] = (c, spans, cols, o)
        every_cell, zeros = True, False
        for key, (cands, spans, cols, o) in decoded.items():
            cells = cands[0] if len(cands) == 1 else common_cells(cands)
            unknown = [L.T3_COLUMNS[i] for i, c in enumerate(cells) if c is UNKNOWN]
            if unknown:
                self.an.warnings.append(
                    f"table 三 row {key}: '{' '.join(o.row.cells)}' splits {len(cands)} ways "
                    f"under the table's arithmetic; {', '.join(unknown)} left out")
            if o.row.tokens and spans is None:
                spans = _piece_spans(o.row.tokens, cells) if len(cands) == 1 else \
                    self._common_spans(o.row, cands, cells)
            self._emit_t3_row(key, o, cells, spans, cols)
            every_cell = every_cell and all(None not in c for c in cands) and not any(
                c is UNKNOWN or _blank(c) or (c.strip() in BLANK_TOKENS) for c in cells)
            zeros = zeros or any(c is not UNKNOWN and c and c.strip() == "0" for c in cells)
        # this table 三 prints every one of its cells (zeros as 0): evidence that the
        # report does not leave cells blank (used for table 四 in text, below)
        self.t3_prints_every_cell = (every_cell and zeros and variant is not None
                                     and set(decoded) == set(canon))
        return True

    def _common_spans(self, row: Row, cands, cells) -> list[tuple[int, int] | None]:
        per = [_piece_spans(row.tokens, c) for c in cands]
        out: list[tuple[int, int] | None] = []
        for i, c in enumerate(cells):
            sp = {p[i] for p in per}
            out.append(per[0][i] if c is not UNKNOWN and len(sp) == 1 else None)
        return out

    def _emit_t3_row(self, key: str, o: _Obs, cells, spans, cols) -> None:
        """Emit a row's cells; UNKNOWN cells (readings disagree) are left out, None is a
        blank cell (printed blank, or vanished in every reading)."""
        row = o.row
        row_label = self._row_label(row, key)
        for i, col in enumerate(L.T3_COLUMNS):
            cell = cells[i] if i < len(cells) else None
            if cell is UNKNOWN:
                continue
            ok, val = _value(cell)
            fact_key = f"requests.{key}.{col}"
            if not ok:
                self.an.warnings.append(f"{fact_key}: cell {cell!r} is not a number; left out")
                continue
            span = spans[i] if spans and i < len(spans) else None
            text = (cell or "").strip()
            if row.table is None and span is None and row.span:
                span = row.span
            self.an.add(Out(fact_key, val, text, row_label, cols[i], table=row.table, span=span))

    def _row_label(self, row: Row, key: str) -> str:
        labels = [l for l in row.labels if l]
        if not labels:
            return L.T3_ROW_BY_KEY[key].label
        if row.table is None:
            return _trim_label(labels[-1])
        lab = labels[-1]
        rd = L.T3_ROW_BY_KEY.get(key)
        if rd and rd.group and len(labels) > 1 and L.group_of(labels[-2]) == rd.group:
            lab = f"{labels[-2]} {lab}"
        return re.sub(r"\s+", " ", lab).strip()

    def _t3_variant(self, text: str, rows: list[Row]) -> str | None:
        s = L.clean(text)
        if any(w in s for w in L.T3_2021_WORDS):
            return "2021"
        for r in rows:
            m = L.match_t3_row(_own_label(r), None, "2019") if r.labels else None
            if m is not None and m.key == "other" and (r.n_numbers or r.cells):
                return "2019"
        return None

    def _table3_text(self) -> None:
        text = self.doc.text
        start = _first(text, ("申请人情况", "勾稽关系"))
        m = re.search(r"本年新收政府信息公开申请", text)
        if start is None or (m and m.start() < start - 400):
            start = m.start() if m else start
        if start is None:
            return
        end = _t4_start(text, start) or min(len(text), start + 8000)
        self.t3_text_start = start
        rows = text_rows(text, start, end)
        self._table3_rows(rows, grid=False)

    # ---------------- table 四 ----------------
    def table4(self) -> None:
        rows = self.grid
        i = next((k for k, r in enumerate(rows) if _is_t4_header(r)), None)
        if i is not None:
            heads: list[Row] = []
            data: list[Row] = []
            for r in rows[i:]:
                if not data and not any(has_number(c) for c in r.cells) and (
                        _is_t4_header(r) or not r.labels or len(row_text(r)) < 80):
                    heads.append(r)
                    continue
                if any(has_number(c) for c in r.cells) and (not r.labels or _is_t4_header(r)
                                                            or len(row_text(r)) < 20):
                    data.append(r)
                    continue
                if data and _is_t4_header(r):
                    heads.append(r)
                    continue
                break
            if data and self._table4_grid(heads, data):
                return
        self._table4_text()

    def _table4_grid(self, heads: list[Row], data: list[Row]) -> bool:
        def cells_of(r: Row) -> list[str | None]:
            return [c for c in r.cells if c is not None]  # the value cells after any label

        if len(data) == 1:
            r = data[0]
            t = r.table
            n = len(r.raw)
            hdr = [h.raw for h in heads if h.table is t]
            cmap = t4_column_map(hdr, n) if hdr else None
            if cmap:
                for j, (block, col) in sorted(cmap.items()):
                    self._emit_t4(block, col, r.raw[j] if j < len(r.raw) else None, r)
                return True
            vals = [c for c in cells_of(r)]
            while len(vals) > 15 and _blank(vals[-1]):
                vals.pop()
            if len(vals) != 15:
                vals = _flat_tokens(r.cells)
            if len(vals) == 15:
                for k, cell in enumerate(vals):
                    block, col = L.T4_BLOCKS[k // 5], L.T4_COLUMNS[k % 5]
                    self._emit_t4(block, col, cell, r)
                return True
            self.an.warnings.append(f"table 四: {len(vals)} cells in its data row, not 15; left out")
            return False
        if len(data) == 3:
            rows5 = []
            for r in data:
                vals = [c for c in cells_of(r)]
                while len(vals) > 5 and _blank(vals[-1]):
                    vals.pop()
                if len(vals) != 5:
                    return False
                rows5.append((r, vals))
            for b, (r, vals) in enumerate(rows5):
                for k, cell in enumerate(vals):
                    self._emit_t4(L.T4_BLOCKS[b], L.T4_COLUMNS[k], cell, r)
            return True
        return False

    def _emit_t4(self, block: str, col: str, cell: str | None, row: Row,
                 col_label: str | None = None, span: tuple[int, int] | None = None) -> None:
        ok, val = _value(cell)
        key = f"{block}.{col}"
        if not ok:
            self.an.warnings.append(f"{key}: cell {cell!r} is not a number; left out")
            return
        self.an.add(Out(key, val, (cell or "").strip(), L.T4_BLOCK_LABELS[block],
                        col_label or L.T4_COLUMN_LABELS[col], table=row.table, span=span))

    def _table4_text(self) -> None:
        text = self.doc.text
        start = _t4_start(text, self.t3_text_start or 0)
        if start is None:
            return
        end = min(len(text), start + 1500)
        # the header words end where the first number run starts
        rows = [r for r in text_rows(text, start, end) if r.cells and any(has_number(c) for c in r.cells)]
        if not rows:
            return
        first = rows[0]
        if not first.tokens:  # pipe rows
            cand = [r for r in rows[:3]]
            cells = [c for r in cand for c in r.cells] if len(cand) == 3 and all(
                len(r.cells) == 5 for r in cand) else first.cells
            spans = [s for r in cand for s in r.cell_spans] if len(cells) == 15 and len(cand) == 3 \
                else first.cell_spans
            if len(cells) == 15:
                for k, cell in enumerate(cells):
                    self._emit_t4(L.T4_BLOCKS[k // 5], L.T4_COLUMNS[k % 5], cell, first,
                                  span=spans[k] if k < len(spans) else None)
            return
        toks = [t for t, _, _ in first.tokens]
        if len(toks) == 5 and len(rows) >= 3 and all(r.tokens and len(r.tokens) == 5 for r in rows[:3]):
            for b, r in enumerate(rows[:3]):
                for k, (t, a, bb) in enumerate(r.tokens):
                    self._emit_t4(L.T4_BLOCKS[b], L.T4_COLUMNS[k], t, r, span=(a, bb))
            return
        if len(toks) == 15:
            for k, (t, a, b) in enumerate(first.tokens):
                self._emit_t4(L.T4_BLOCKS[k // 5], L.T4_COLUMNS[k % 5], t, first, span=(a, b))
            return
        # a report whose table 三 prints every cell prints table 四's too: read the row
        # with every cell printed when it can be
        rd = Readings(toks, (5, 5, 5), absent=not self.t3_prints_every_cell)
        if not rd.count and not rd.absent:
            rd = Readings(toks, (5, 5, 5))
        if not rd.count:
            self.an.warnings.append(f"table 四: '{' '.join(toks)}' cannot be read as 15 cells "
                                    "that add up; left out")
            return
        cells, wheres = rd.common()
        if any(c is UNKNOWN for c in cells):
            self.an.warnings.append(f"table 四: '{' '.join(toks)}' splits {rd.count} ways; "
                                    "only the cells every split agrees on are kept")
        for k, (cell, where) in enumerate(zip(cells, wheres)):
            if cell is UNKNOWN:
                continue
            span = first.span
            if where is not None:
                _, a, _ = first.tokens[where[0]]
                span = (a + where[1], a + where[2])
            self._emit_t4(L.T4_BLOCKS[k // 5], L.T4_COLUMNS[k % 5], cell, first, span=span)

    # ---------------- table 二 ----------------
    def table2(self) -> None:
        """Grids first; rows a grid lacks (a converter printed them as text) from the text."""
        self._table2_grid()
        self._table2_text()

    def _t2_emit(self, row_key: str, col: str, cell: str | None, variant: str, row_label: str,
                 col_label: str, table: Table | None, span: tuple[int, int] | None) -> None:
        key = L.t2_key(row_key, col, variant)
        if key is None:
            return
        ok, val = _value(cell, L.MONEY_COLUMNS.get(col))
        if not ok:
            self.an.warnings.append(f"{key}: cell {cell!r} is not a number; left out")
            return
        self.an.add(Out(key, val, (cell or "").strip(), row_label, col_label, table=table, span=span))

    def _variant2(self, *texts: str) -> str | None:
        v = self.an.meta.get("table2_variant")
        if v:
            return v
        for t in texts:
            v = L.t2_variant_of(t)
            if v:
                self.an.meta["table2_variant"] = v
                return v
        return None

    def _table2_grid(self) -> None:
        header: dict[int, str] | None = None
        header_len = 0
        header_names: dict[int, str] = {}
        a, b = getattr(self, "t3_grid_region", (len(self.grid), len(self.grid)))
        for r in self.grid[:a] + self.grid[b:]:
            t = row_text(r)
            has_num = any(has_number(c) for c in r.cells)
            if not has_num:
                keys = {j: L.t2_column(c) for j, c in enumerate(r.raw) if c and L.t2_column(c)}
                if keys and len(t) < 120:
                    header = keys
                    header_len = len(r.raw)
                    header_names = {j: re.sub(r"\s+", "", r.raw[j]) for j in keys}
                    self._variant2(t)
                continue
            if not r.labels:
                continue
            row_key = L.t2_row(r.labels[-1])
            if row_key is None:
                continue
            variant = self._variant2(t) or self.an.meta.get("table2_variant")
            li = max(j for j, c in enumerate(r.raw) if c and c.strip() and not is_value_cell(c))
            if variant is None:
                continue
            want = L.T2_DEFAULT_COLUMNS[variant].get(row_key, ())
            got = self._t2_map_cells(r, li, header, want, same_width=len(r.raw) == header_len)
            if got is None:
                self.an.warnings.append(f"table 二 row {r.labels[-1]}: cannot tell which number is "
                                        "in which column; left out")
                continue
            for col, (j, cell) in got.items():
                self._t2_emit(row_key, col, cell, variant, r.labels[-1],
                              header_names.get(j) or L.T2_COLUMN_LABELS.get(col, col), r.table, None)

    def _t2_map_cells(self, r: Row, li: int, header: dict[int, str] | None,
                      want: tuple[str, ...], same_width: bool = True
                      ) -> dict[str, tuple[int, str | None]] | None:
        raw = r.raw
        html = bool(r.table is not None and r.table.source in ("html", "docx"))
        region = [(j, raw[j]) for j in range(li + 1, len(raw))]
        if header and not any(k in want for k in header.values()):
            header = None  # the header names another sub-table's columns
        if header:
            hk = [(j, k) for j, k in sorted(header.items()) if j > li and k in want]
            # positional: every header key's cells agree
            pos: dict[str, tuple[int, str | None]] = {}
            okp = True
            for k in dict.fromkeys(k for _, k in hk):
                vals = [(j, raw[j]) for j, kk in hk if kk == k and j < len(raw) and raw[j] is not None]
                distinct = {(v or "").strip() for _, v in vals}
                if len(distinct) == 1:
                    pos[k] = vals[0]
                elif len(distinct) > 1:
                    nonblank = [(j, v) for j, v in vals if v and v.strip()]
                    if len({v.strip() for _, v in nonblank}) == 1:
                        pos[k] = nonblank[0]
                    else:
                        okp = False
            # sequence: distinct header keys in order vs data cells (spans collapsed)
            seq_keys = list(dict.fromkeys(k for _, k in hk))
            cells = [(j, c) for j, c in region if c is not None]
            if html:
                coll: list[tuple[int, str | None]] = []
                for j, c in cells:
                    if coll and (coll[-1][1] or "") == (c or "") and raw[j - 1] == c:
                        continue
                    coll.append((j, c))
                cells = coll
            while len(cells) > len(seq_keys) and _blank(cells[-1][1]):
                cells.pop()
            seq = dict(zip(seq_keys, cells)) if len(cells) == len(seq_keys) else None
            if not same_width:
                # the row is not as wide as its header: positions say nothing
                return seq
            if okp and pos and len(pos) == len(seq_keys):
                return pos
            if seq:
                return seq
            if okp and pos:
                return pos
            return None
        cells = [(j, c) for j, c in region if c is not None]
        while len(cells) > len(want) and _blank(cells[-1][1]):
            cells.pop()
        if len(cells) == len(want):
            return dict(zip(want, cells))
        return None

    def _table2_text(self) -> None:
        text = self.doc.text
        m = _T2_TEXT_START.search(text)
        if m is None:
            return
        start = m.start()
        end = self.t3_text_start or _first(text, ("申请人情况", "勾稽关系", "本年新收政府信息公开申请"), start) \
            or min(len(text), start + 4000)
        if end <= start:
            return
        self._variant2(text[start:end])
        variant = self.an.meta.get("table2_variant")
        if variant is None:
            return
        header: list[str] = []
        for r in text_rows(text, start, end):
            label = r.labels[-1] if r.labels else ""
            clab = L.clean(label)
            # header words inside the label (one-line dumps) or on a header line
            hk = _header_keys(clab)
            if hk:
                header = hk
            if not r.cells or not any(has_number(c) for c in r.cells):
                continue
            row_key = _t2_row_at_end(clab)
            if row_key is None:
                continue
            want = L.T2_DEFAULT_COLUMNS[variant].get(row_key, ())
            if self.an.has(f"proactive.{row_key}."):
                continue
            cols = [k for k in header if k in want] if header else list(want)
            if len(cols) != len(want):
                cols = list(want)
            spans = r.cell_spans
            cells = list(r.cells)
            if not r.tokens:
                while len(cells) > len(cols) and _blank(cells[-1]):
                    cells.pop()
                    spans = spans[:-1]
                if len(cells) != len(cols):
                    self.an.warnings.append(f"table 二 row {label}: cells don't match its columns; left out")
                    continue
                for col, cell, sp in zip(cols, cells, spans):
                    self._t2_emit(row_key, col, cell, variant, _printed_row(label, row_key),
                                  L.T2_COLUMN_LABELS[col], None, sp or r.span)
                continue
            toks = [t for t, _, _ in r.tokens]
            if len(toks) == len(cols):
                for col, (t, a, b) in zip(cols, r.tokens):
                    self._t2_emit(row_key, col, t, variant, _printed_row(label, row_key),
                                  L.T2_COLUMN_LABELS[col], None, (a, b))
                continue
            segs = segmentations(toks, len(cols))
            if segs and len(segs) == 1 and not self.t3_prints_every_cell and any(
                    segmentations(toks, k) != [] for k in range(len(toks), len(cols))):
                # the report leaves cells blank (table 三 does), and a blank cell vanishes
                # from run-together digits: the row may be fewer cells than its columns
                self.an.warnings.append(
                    f"table 二 row {_printed_row(label, row_key)}: '{' '.join(toks)}' may have lost "
                    "a blank cell (it also reads as fewer cells); left out")
                continue
            if segs and len(segs) == 1:
                sp = _piece_spans(r.tokens, segs[0])
                for col, cell, s in zip(cols, segs[0], sp):
                    self._t2_emit(row_key, col, cell, variant, _printed_row(label, row_key),
                                  L.T2_COLUMN_LABELS[col], None, s or r.span)
            else:
                self.an.warnings.append(
                    f"table 二 row {_printed_row(label, row_key)}: '{' '.join(toks)}' can be split "
                    f"into its {len(cols)} cells in {'many' if segs is None else len(segs)} ways; left out")


def _printed_row(label: str, row_key: str) -> str:
    """The row label as printed at the end of a text label ("…数量行政许可" -> 行政许可)."""
    s = re.sub(r"\s+", "", label)
    for key, words in L.T2_ROWS:
        if key == row_key:
            for w in words:
                i = s.rfind(w)
                if i >= 0:
                    if s[max(0, i - 2):i] == "行政":
                        i -= 2
                    return s[i:]
    return label.strip()


# Numbering that starts a table 三 label: 一、 / （一） / 1. / 1、
_LABEL_MARK = re.compile(r"[一二三四]、|（[一二三四五六七]）|\([一二三四五六七]\)|(?<![0-9])[1-8][.、．]")


def _trim_label(label: str) -> str:
    """A text row's label without what ran into it before (header words, vertical
    label characters): from its own numbering, or from its group's when it is a
    numbered sub-row right after the group label ("（三）不予公开1.属于国家秘密")."""
    s = re.sub(r"\s+", " ", label).strip()
    marks = list(_LABEL_MARK.finditer(s))
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


def _header_keys(clab: str) -> list[str]:
    """Table 二 column keys named in a (cleaned) stretch of header text, in print order."""
    found: list[tuple[int, str]] = []
    for key, words, *_ in L.T2_COLUMNS:
        for w in words:
            i = clab.find(w)
            if i >= 0:
                found.append((i, key))
                break
    found.sort()
    keys = []
    for _, k in found:
        if k not in keys:
            keys.append(k)
    return keys


def _t2_row_at_end(clab: str) -> str | None:
    """The table 二 row whose label ends this (cleaned) label text."""
    best: tuple[int, str] | None = None
    for key, words in L.T2_ROWS:
        for w in words:
            i = clab.rfind(w)
            if i >= 0 and len(clab) - (i + len(w)) <= 2:
                end = i + len(w)
                if best is None or end > best[0] or (end == best[0] and key == "normative_docs"):
                    best = (end, key)
    return best[1] if best else None


# Where table 四's header starts in text: its words may be broken over lines
# ("结果 结果 其他 尚未" / "维持 纠正 结果 审结").
_T4_TEXT_START = re.compile(r"结果维持|尚未审结|复议后起诉|未经复议|维持\s*纠正|行政复议\s*行政诉讼")


_T2_TEXT_START = re.compile(r"第二十条\s*第?\s*[（(]\s*[一五六八九]\s*[)）]\s*项|信息内容\s*本年")
# Words only the post-2019 tables print (a pre-2019 report is read only if it has them).
_POST2019_TABLE_WORDS = re.compile(r"本年新收政府信息公开申请|第二十条\s*第|申请人情况")


def _t4_start(text: str, start: int = 0) -> int | None:
    m = _T4_TEXT_START.search(text, start)
    return m.start() if m else None


def _first(text: str, words: Iterable[str], start: int = 0) -> int | None:
    found = [text.find(w, start) for w in words]
    found = [f for f in found if f >= 0]
    return min(found) if found else None


def analyse(doc: _Doc, kind: str | None = None, era: str | None = None) -> Analysis:
    if era == "pre2019" and not _POST2019_TABLE_WORDS.search(doc.text):
        return Analysis()
    reader = _Reader(doc, kind)
    reader.table3()
    reader.table2()
    reader.table4()
    return reader.an


# --------------------------------------------------------------------------------------
# the plugin
# --------------------------------------------------------------------------------------

class TablesExtractor:
    """Tables 二/三/四 → ``proactive.*``, ``requests.*``, ``review.*``, ``litigation_*``."""

    name = NAME
    sections = "*"

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Any, Analysis, dict[tuple[str, int], list[Out]], set, int]] = {}
        self._lock = threading.Lock()

    def _state(self, section: Section, context) -> tuple[Analysis, dict, set, int]:
        report = context.report
        rid = id(report)
        with self._lock:
            hit = self._cache.get(rid)
            if hit is not None and hit[0]() is report:
                return hit[1], hit[2], hit[3], hit[4]
            for k in [k for k, v in self._cache.items() if v[0]() is None]:
                del self._cache[k]
        sections = list(context.sections)
        if section.key == "preamble" or all(s is not section for s in sections):
            sections = [section] + sections
        doc = _Doc(sections)
        an = analyse(doc, getattr(context.document, "kind", None), context.meta.get("era"))
        placed: dict[tuple[str, int], list[Out]] = {}
        table_home: dict[int, Section] = {}
        for s in doc.sections:
            for t in s.tables:
                table_home[id(t)] = s
        for out in an.outs:
            if out.table is not None and id(out.table) in table_home:
                home = table_home[id(out.table)]
            elif out.span is not None:
                home = doc.section_at(out.span[0])
            else:
                home = doc.sections[0]
            placed.setdefault((home.key, home.start), []).append(out)
        try:
            ref = weakref.ref(report)
        except TypeError:  # pragma: no cover
            ref = lambda r=report: r  # noqa: E731
        state = (ref, an, placed, set(), doc.base)
        with self._lock:
            self._cache[rid] = state
        return an, placed, state[3], doc.base

    def extract(self, section: Section, context) -> Iterable[Any]:
        an, placed, flags, base = self._state(section, context)
        if "meta" not in flags:
            flags.add("meta")
            for k, v in an.meta.items():
                context.set_meta(k, v)
            for w in an.warnings:
                context.warn(w)
        for out in placed.get((section.key, section.start), []):
            if out.table is not None:
                yield context.fact(out.key, out.value, text=out.text, table=out.table,
                                   row=out.row, col=out.col)
            elif out.span is not None:
                a, b = out.span
                yield context.fact(out.key, out.value, span=(a + base - section.start,
                                                             b + base - section.start),
                                   row=out.row, col=out.col)
            else:
                yield context.fact(out.key, out.value, text=out.text, row=out.row, col=out.col)


@govreport.hookimpl
def govreport_register_extractors(register):
    register(TablesExtractor())
