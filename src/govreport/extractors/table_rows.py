"""Rows read from text (plain text, one-line crawler dumps, pipe lines, one cell per line)
when a table has no grid."""
from __future__ import annotations

import re

from .table_grid import Row, is_value_cell
from .table_text import find_runs

# --------------------------------------------------------------------------------------
# text rows (plain text, one-line dumps, pipe lines in text)
# --------------------------------------------------------------------------------------

def pipe_row(line: str, base: int) -> Row | None:
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
            rows.append(run_row(run))
        return rows
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        line = text[pos:line_end]
        vert = vertical_row(text, pos, line_end, end) if line.strip() and not re.search(r"\d", line) else None
        if vert is not None:
            row, pos = vert
            rows.append(row)
            continue
        if line.count("|") >= 2:
            r = pipe_row(line, pos)
            if r is not None:
                rows.append(r)
        else:
            runs = find_runs(text, pos, line_end, one_line=False)
            for run in runs:
                rows.append(run_row(run))
            if not runs and line.strip():
                rows.append(Row(labels=[line.strip()], cells=[], span=(pos, line_end),
                                label_span=(pos, line_end)))
        pos = line_end + 1
    return rows


_ONE_TOKEN_LINE = re.compile(r"[ \t]*([-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:万元|元|件|条)?|—{1,2}|-{1,2}|/)[ \t]*$")


def vertical_row(text: str, pos: int, line_end: int, end: int) -> tuple[Row, int] | None:
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


# A count printed with its measure word right before the run ("政府集中采购1个246900元": 1
# project, 246900 yuan): the count is the row's first cell, not the end of its label.
_COUNTED_CELL = re.compile(r"(?<![\d.．、（(第])(\d+)\s*(个|项|件|条|次)\s*$")


def run_row(run) -> Row:
    tokens = list(run.tokens)
    raw_label = run.label
    m = _COUNTED_CELL.search(raw_label)
    if m and re.search(r"[\u4e00-\u9fff]", raw_label[:m.start()]) and tokens and \
            re.search(r"元$", tokens[0][0]):
        a = run.start - (len(raw_label) - m.start())
        tokens.insert(0, (m.group(1) + m.group(2), a, a + len(m.group(0).rstrip())))
        raw_label = raw_label[:m.start()]
    label = raw_label.strip()
    row = Row(labels=[label] if label else [], cells=[t for t, _, _ in tokens],
              span=(run.start, run.end), tokens=tokens,
              label_span=(run.label_start, run.start))
    row.cell_spans = [(a, b) for _, a, b in tokens]
    return row
