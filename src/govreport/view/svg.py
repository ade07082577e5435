"""Small inline SVG charts drawn in Python (no JavaScript library, nothing downloaded).

Each function takes the numbers already counted and returns one ``<svg>`` element with a
``viewBox``, so it scales with the page; text inherits the page's font stack. Every chart
also gets a ``<title>`` per mark, so hovering a bar shows its number.
"""
from __future__ import annotations

from collections.abc import Sequence

from .shell import esc

PALETTE = ("#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037",
           "#c2185b", "#9e9d24", "#455a64", "#8d6e63", "#283593")
WIDTH = 640


def _fmt(v: float) -> str:
    if abs(v - round(v)) < 1e-9:
        return f"{int(round(v)):,}"
    return f"{v:,.3g}" if abs(v) < 1 else f"{v:,.1f}"


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    step = 10 ** len(str(int(v))) / 10 if v >= 1 else 0.1
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * step:
            return m * step
    return v


def _svg(height: float, body: str, label: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
            f'aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg">{body}</svg>')


def hbar(labels: Sequence[str], values: Sequence[float], label: str) -> str:
    """Horizontal bars, one per label."""
    left, bar, gap = 170, 16, 6
    height = 20 + len(labels) * (bar + gap)
    top = max(values, default=0) or 1
    out = []
    for i, (name, v) in enumerate(zip(labels, values)):
        y = 10 + i * (bar + gap)
        w = (WIDTH - left - 70) * v / top
        out.append(f'<text x="{left - 6}" y="{y + bar - 4}" text-anchor="end">{esc(name)}</text>'
                   f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{PALETTE[0]}">'
                   f'<title>{esc(name)}: {_fmt(v)}</title></rect>'
                   f'<text x="{left + w + 4:.1f}" y="{y + bar - 4}">{_fmt(v)}</text>')
    return _svg(height, "".join(out), label)


def _axis(x0: float, y0: float, x1: float, y1: float, top: float) -> str:
    ticks = []
    for k in range(5):
        v = top * k / 4
        y = y1 - (y1 - y0) * k / 4
        ticks.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end">{_fmt(v)}</text>')
    return "".join(ticks)


def stacked(xs: Sequence[str], names: Sequence[str], matrix: Sequence[Sequence[float]],
            label: str) -> str:
    """Vertical bars per x (a year), stacked by ``names``; ``matrix[x][name]``."""
    x0, y0, y1, legend = 50, 10, 230, 22
    x1 = WIDTH - 20
    totals = [sum(row) for row in matrix]
    top = _nice_max(max(totals, default=0))
    step = (x1 - x0) / max(len(xs), 1)
    bw = max(step * 0.7, 1)
    out = [_axis(x0, y0, x1, y1, top)]
    for i, (x, row) in enumerate(zip(xs, matrix)):
        base = float(y1)
        cx = x0 + i * step + (step - bw) / 2
        for j, v in enumerate(row):
            if not v:
                continue
            h = (y1 - y0) * v / top
            base -= h
            out.append(f'<rect x="{cx:.1f}" y="{base:.1f}" width="{bw:.1f}" height="{h:.1f}" '
                       f'fill="{PALETTE[j % len(PALETTE)]}"><title>{esc(x)} · {esc(names[j])}: '
                       f'{_fmt(v)}</title></rect>')
        if len(xs) <= 24 or i % 2 == 0:
            out.append(f'<text x="{cx + bw / 2:.1f}" y="{y1 + 14}" text-anchor="middle">{esc(x)}</text>')
    out.append(_legend(names, y1 + 24, legend))
    rows = (len(names) + 3) // 4
    return _svg(y1 + 24 + rows * legend, "".join(out), label)


def _legend(names: Sequence[str], y: float, line: float) -> str:
    out = []
    for j, name in enumerate(names):
        lx = 50 + (j % 4) * 150
        ly = y + (j // 4) * line
        out.append(f'<rect x="{lx}" y="{ly:.0f}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
                   f'<text x="{lx + 14}" y="{ly + 9:.0f}">{esc(name)}</text>')
    return "".join(out)


def heatmap(rows: Sequence[str], cols: Sequence[str], matrix: Sequence[Sequence[float]],
            label: str) -> str:
    """Cells shaded by value (rows × cols), each with its number."""
    left, top_margin, ch = 170, 24, 20
    cw = max(min((WIDTH - left - 10) / max(len(cols), 1), 60), 14)
    top = max((v for r in matrix for v in r), default=0) or 1
    out = []
    small = ' class="s"' if cw < 30 else ""
    for j, c in enumerate(cols):
        out.append(f'<text x="{left + j * cw + cw / 2:.1f}" y="16" text-anchor="middle"{small}>'
                   f'{esc(c)}</text>')
    for i, (name, row) in enumerate(zip(rows, matrix)):
        y = top_margin + i * ch
        out.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{esc(name)}</text>')
        for j, v in enumerate(row):
            alpha = 0.08 + 0.85 * v / top if v else 0.0
            x = left + j * cw
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{cw - 1:.1f}" height="{ch - 1}" '
                       f'fill="{PALETTE[1]}" fill-opacity="{alpha:.2f}"><title>{esc(name)} · '
                       f'{esc(cols[j])}: {_fmt(v)}</title></rect>')
            if v and cw >= 24:
                colour = "#fff" if alpha > 0.5 else "#222"
                out.append(f'<text x="{x + cw / 2:.1f}" y="{y + 14}" text-anchor="middle" '
                           f'fill="{colour}">{_fmt(v)}</text>')
    return _svg(top_margin + len(rows) * ch + 6, "".join(out), label)


def band(xs: Sequence[str], q1: Sequence[float], med: Sequence[float], q3: Sequence[float],
         label: str) -> str:
    """The median by x as a line, the quartiles around it as a band."""
    x0, y0, y1 = 50, 10, 200
    x1 = WIDTH - 24
    top = _nice_max(max(q3, default=0))
    step = (x1 - x0) / max(len(xs) - 1, 1)

    def px(i: int) -> float:
        return x0 + i * step if len(xs) > 1 else (x0 + x1) / 2

    def py(v: float) -> float:
        return y1 - (y1 - y0) * v / top

    out = [_axis(x0, y0, x1, y1, top)]
    if xs:
        upper = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(q3))
        lower = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in reversed(list(enumerate(q1))))
        out.append(f'<polygon points="{upper} {lower}" fill="{PALETTE[1]}" fill-opacity="0.18"/>')
        line = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(med))
        out.append(f'<polyline points="{line}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>')
    for i, x in enumerate(xs):
        out.append(f'<circle cx="{px(i):.1f}" cy="{py(med[i]):.1f}" r="3" fill="{PALETTE[0]}">'
                   f'<title>{esc(x)}: median {_fmt(med[i])}, quartiles {_fmt(q1[i])}–{_fmt(q3[i])}'
                   f'</title></circle>')
        if len(xs) <= 24 or i % 2 == 0:
            out.append(f'<text x="{px(i):.1f}" y="{y1 + 14}" text-anchor="middle">{esc(x)}</text>')
    return _svg(y1 + 22, "".join(out), label)


def boxes(names: Sequence[str], q1: Sequence[float], med: Sequence[float], q3: Sequence[float],
          label: str) -> str:
    """One horizontal quartile box per name, its median a tick."""
    left, bar, gap = 170, 14, 6
    top = _nice_max(max(q3, default=0))
    span = WIDTH - left - 60
    out = []
    for i, name in enumerate(names):
        y = 10 + i * (bar + gap)
        a, m, b = (left + span * v / top for v in (q1[i], med[i], q3[i]))
        out.append(f'<text x="{left - 6}" y="{y + bar - 3}" text-anchor="end">{esc(name)}</text>'
                   f'<rect x="{a:.1f}" y="{y}" width="{max(b - a, 1):.1f}" height="{bar}" '
                   f'fill="{PALETTE[1]}" fill-opacity="0.3"><title>{esc(name)}: quartiles '
                   f'{_fmt(q1[i])}–{_fmt(q3[i])}</title></rect>'
                   f'<line x1="{m:.1f}" y1="{y}" x2="{m:.1f}" y2="{y + bar}" stroke="{PALETTE[0]}" '
                   f'stroke-width="2.5"><title>{esc(name)}: median {_fmt(med[i])}</title></line>')
    return _svg(20 + len(names) * (bar + gap), "".join(out), label)
