"""Table 三 read from text: the candidate readings of all its rows solved together.

Where a table's cells ran together (:mod:`.table_text`), each row may have several
readings. The rows of table 三 are tied by its column arithmetic — every column's
result rows add up to its processed total, and new + carried over = processed + carried
forward — so :func:`joint_filter` keeps, for each row, only the readings that some
consistent choice for every other row agrees with.
"""
from __future__ import annotations

from ..schema import T3_BALANCE_ROWS
from .table_text import cell_number


def _vec(cells: list[str | None]) -> tuple | None:
    vals = [cell_number(c) for c in cells]
    if any(not isinstance(v, int) or v < 0 for v in vals):
        return None  # a decimal, a negative or not a number: not solved for
    return tuple(vals)


def _add(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b))


def _sub(a: tuple, b: tuple) -> tuple:
    return tuple(x - y for x, y in zip(a, b))


def _column_prune(rows: list[list[tuple]], targets: set[tuple]) -> tuple[list[list[tuple]], set[tuple]]:
    """Drop row vectors and targets that fit no sum of one vector per row equal to a
    target, looking at one column at a time (a relaxation of the vector problem, cheap:
    a column's partial sums are small numbers), until nothing changes."""
    rows = [list(r) for r in rows]
    n = len(rows)
    changed = True
    while changed and targets and all(rows):
        changed = False
        for c in range(len(next(iter(targets)))):
            tc = {t[c] for t in targets}
            top = max(tc)
            fwd = [{0}]
            for r in rows:
                fwd.append({s + v[c] for s in fwd[-1] for v in r if s + v[c] <= top})
            bwd: list[set[int]] = [set() for _ in rows] + [{0}]
            for i in range(n - 1, -1, -1):
                bwd[i] = {s + v[c] for s in bwd[i + 1] for v in rows[i] if s + v[c] <= top}
            live = [{s for s in fwd[i] if any(t - s in bwd[i] for t in tc)} for i in range(n + 1)]
            kept_t = {t for t in targets if t[c] in live[n]}
            if kept_t != targets:
                targets, changed = kept_t, True
            for i, r in enumerate(rows):
                keep = [v for v in r if any(s + v[c] in live[i + 1] for s in live[i])]
                if len(keep) != len(r):
                    rows[i], changed = keep, True
            if not targets or not all(rows):
                return rows, set()
    return rows, targets


def _sum_solve(rows: list[list[tuple]], targets: set[tuple],
               budget: int) -> tuple[set[tuple], list[set[tuple]]] | None:
    """The targets that are the sum of one vector per row, and per row the vectors used
    by some such sum; None when following the partial sums would take more than
    ``budget`` additions."""
    rows, targets = _column_prune(rows, targets)
    if not targets:
        return set(), [set() for _ in rows]
    n = len(rows)
    top = [max(col) for col in zip(*targets)]  # no partial sum of counts exceeds 七
    # Pack a vector into one integer: a field per column, wide enough for the sum of two
    # values up to `top`, plus a guard bit that adding BIAS sets when a field exceeds top.
    shifts, shift, bias, guard = [], 0, 0, 0
    for t in top:
        f = t.bit_length() + 1
        shifts.append(shift)
        bias |= ((1 << f) - 1 - t) << shift
        guard |= 1 << (shift + f)
        shift += f + 1

    def pack(v: tuple) -> int:
        return sum(x << sh for x, sh in zip(v, shifts))

    packed = [{pack(v): v for v in r} for r in rows]
    spent = 0

    def step(sums: set[int], vs: dict[int, tuple]) -> set[int] | None:
        nonlocal spent
        spent += len(sums) * len(vs)
        if spent > budget:
            return None
        return {w for s in sums for v in vs if not ((w := s + v) + bias) & guard}

    fwd: list[set[int]] = [{0}]
    for r in packed:
        nxt = step(fwd[-1], r)
        if nxt is None:
            return None
        fwd.append(nxt)
    goal = {pack(t): t for t in targets}
    reached = {p for p in goal if p in fwd[n]}
    bwd: list[set[int]] = [set() for _ in rows] + [{0}]
    for i in range(n - 1, -1, -1):
        back = step(bwd[i + 1], packed[i])
        if back is None:
            return None
        bwd[i] = back
    # partial sums over the first i rows that the other rows complete to a target (a
    # difference with a negative field borrows into a field above its top: no match)
    live = [{s for s in fwd[i] if any(t - s in bwd[i] for t in reached)} for i in range(n + 1)]
    used = [{v for p, v in r.items() if any(s + p in live[i + 1] for s in live[i])}
            for i, r in enumerate(packed)]
    return {goal[p] for p in reached}, used


def joint_filter(cands: dict[str, list[list[str | None]]], result_rows: list[str] | None = None,
                 limit: int = 100000) -> dict[str, list[list[str | None]]]:
    """Keep only the readings of each table 三 row that are part of some reading of the
    whole table satisfying its column arithmetic: 一 + 二 = （七） + 四 (T3-BAL) and, when
    ``result_rows`` (every result row of the variant) are all read, （七） = the sum of
    the result rows (T3-SUM), per column, blank cells counting 0.

    A rule whose rows are not all read, or that no reading satisfies (the report's own
    numbers don't add up), is not used; when the two rules hold apart but not together,
    neither is. Rows not in ``cands`` are unconstrained; a rule too costly to solve
    within ``limit`` additions is not used. Dropping a rule only keeps more readings
    (more cells unknown), never a wrong one."""
    if not any(len(c) > 1 for c in cands.values()):
        return cands
    vecs: dict[str, list[tuple]] = {}
    for k, cs in cands.items():
        vs = [_vec(c) for c in cs]
        if cs and all(v is not None for v in vs):
            vecs[k] = vs  # type: ignore[assignment]
    tp = vecs.get("total_processed")
    if tp is None:
        return cands
    # T3-BAL: the (new, carried over, carried forward) combinations per 七 they balance
    bal: dict[tuple, list[tuple[int, int, int]]] | None = None
    if all(k in vecs for k in T3_BALANCE_ROWS):
        a, b, d = vecs["new_received"], vecs["carried_over"], vecs["carried_forward"]
        if len(a) * len(b) * len(d) <= limit:
            bal = {}
            for ia, va in enumerate(a):
                for ib, vb in enumerate(b):
                    ab = _add(va, vb)
                    for id_, vd in enumerate(d):
                        bal.setdefault(_sub(ab, vd), []).append((ia, ib, id_))
    # T3-SUM: which 七 readings the result rows can add up to
    sums: tuple[set[tuple], list[set[tuple]]] | None = None
    rows: list[list[tuple]] = []
    if result_rows and all(k in vecs for k in result_rows):
        rows = [sorted(set(vecs[k])) for k in result_rows]
        sums = _sum_solve(rows, set(tp), limit)
    sum_ok = [sums is not None and t in sums[0] for t in tp]
    bal_ok = [bal is not None and t in bal for t in tp]
    use_sum, use_bal = any(sum_ok), any(bal_ok)
    if use_sum and use_bal and not any(s and b for s, b in zip(sum_ok, bal_ok)):
        use_sum = use_bal = False
    if not use_sum and not use_bal:
        return cands
    keep_tp = [i for i in range(len(tp)) if (sum_ok[i] or not use_sum) and (bal_ok[i] or not use_bal)]
    out = dict(cands)
    out["total_processed"] = [cands["total_processed"][i] for i in keep_tp]
    targets = {tp[i] for i in keep_tp}
    if use_bal:
        assert bal is not None
        keep: list[set[int]] = [set(), set(), set()]
        for t in targets:
            for combo in bal.get(t, ()):
                for j, ix in enumerate(combo):
                    keep[j].add(ix)
        for j, k in enumerate(("new_received", "carried_over", "carried_forward")):
            out[k] = [cands[k][i] for i in sorted(keep[j])]
    if use_sum:
        assert result_rows is not None and sums is not None
        if targets != sums[0]:
            sums = _sum_solve(rows, targets, limit)  # fewer targets: fewer partial sums
        for k, used in zip(result_rows, sums[1] if sums is not None else []):
            out[k] = [c for c, v in zip(cands[k], vecs[k]) if v in used]
    return out
