"""A parsed report as a few lines for a person at a terminal (``govreport parse`` when
stdout is a terminal; pipes and ``--json`` get the JSON)."""
from __future__ import annotations

from collections import Counter

from .model import Report

#: Facts shown first when the report states them (the rest are counted).
HEADLINE_FACTS = (
    "proactive.items",
    "requests.new_received.total",
    "requests.carried_over.total",
    "requests.granted.total",
    "requests.partially_granted.total",
    "requests.total_processed.total",
    "review.total",
    "litigation_direct.total",
    "litigation_after_review.total",
    "info_fee.collected_amount_yuan",
    "legacy.requests.received",
    "legacy.requests.closed",
    "fees.collected_yuan",
    "litigation.total",
)
_SOURCES = {"tables": "tables", "prose": "sentences", "narrative": "narrative"}


def _source(prov: dict) -> str:
    extractor = prov.get("extractor") or "?"
    return _SOURCES.get(extractor, extractor)


def _where(prov: dict) -> str:
    parts = [prov.get("section") or ""]
    if prov.get("page") is not None:
        parts.append(f"p.{prov['page']}")
    return " ".join(p for p in parts if p)


def format_summary(report: Report, name: str, *, shown: int = 12) -> str:
    meta = report.meta
    lines = [f"{name}: {meta.get('title') or '(no title found)'}"]
    about = [f"issuer {meta.get('issuer') or '?'}", f"year {meta.get('year') or '?'}",
             str(meta.get("era") or "?"), str(meta.get("script") or "?")]
    variants = [f"table {t} {meta[k]}" for t, k in (("二", "table2_variant"), ("三", "table3_variant"))
                if meta.get(k)]
    lines.append("  " + " · ".join(about + variants))
    sections = ", ".join(s.key + (f" (p.{s.page})" if s.page is not None else "") for s in report.sections)
    lines.append(f"  sections: {sections or 'none found'}")
    by_source = Counter(_source(report.provenance.get(k, {})) for k in report.facts)
    counts = ", ".join(f"{n} from {src}" for src, n in by_source.most_common())
    lines.append(f"  {len(report.facts)} facts" + (f" ({counts})" if counts else ""))
    keys = [k for k in HEADLINE_FACTS if k in report.facts][:shown]
    width = max((len(k) for k in keys), default=0)
    for key in keys:
        value = report.facts[key]
        prov = report.provenance.get(key, {})
        quote = " ".join(str(prov.get("text") or "").split())
        quote = quote if len(quote) <= 40 else quote[:39] + "…"
        lines.append(f"    {key:<{width}}  {value!s:>8}  {_where(prov):<22} «{quote}»")
    problems = [c for c in report.checks if c.severity in ("warning", "error")]
    if problems:
        lines.append(f"  {len(problems)} check finding(s):")
        for c in problems[:5]:
            lines.append(f"    {c.rule}: {' '.join(c.message.split())[:110]}")
        if len(problems) > 5:
            lines.append(f"    … {len(problems) - 5} more")
    else:
        lines.append("  checks: no findings (the report's numbers agree with each other)")
    if report.warnings:
        lines.append(f"  {len(report.warnings)} warning(s): what was left out and why (-v shows them)")
    lines.append("  every fact with its provenance: --json (the output when piped)")
    return "\n".join(lines)
