"""Numbers as the prose extractors read them: a regex piece and value conversion.

The regex piece ``NUM`` is :data:`govreport.numbers.NUMBER_PATTERN` (Arabic with separators,
full-width, Chinese numerals with 两 and 万/亿); spaces inside a number are not allowed
(they separate table cells).  ``count`` and ``money`` turn a matched span plus its unit
into the value a key names: counts are ``int``; money is converted to the unit of the key
(``元`` keys get ``1.2万元`` as 12000).
"""
from __future__ import annotations

from govreport.numbers import NUMBER_PATTERN, parse_amount, parse_number

NUM = NUMBER_PATTERN
#: Count units printed after a number of requests, items or cases.
COUNT_UNIT = r"(?:件次|人次|件|条|项|个|份|宗|起|例|次|篇)"
#: Money units; the key's unit is given to :func:`money`.
MONEY_UNIT = r"(?:人民币)?(?:万元|亿元|元)"
#: Words that make a number approximate ("5500余条", "约300条"): such a number is no fact.
APPROX_AFTER = ("余", "多", "左右", "以上", "上下")
APPROX_BEFORE = ("约", "近", "超过", "逾", "大约", "将近", "不少于", "不到")


def count(span: str) -> int | None:
    """An exact non-negative integer count, or None (fractions and approximations are not counts)."""
    value = parse_number(span)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    return value if value >= 0 else None


def money(span: str, unit: str, target: str = "yuan") -> float | int | None:
    """Money printed as ``span`` + ``unit`` (元 / 万元 / 亿元) in ``target`` units."""
    unit = (unit or "").replace("人民币", "")
    value = parse_amount(f"{span}{unit}", target)
    if value is None or value < 0:
        return None
    return value


def is_approximate(before: str, after: str) -> bool:
    """True when the words around a number make it approximate."""
    after = after.lstrip()
    before = before.rstrip()
    return after.startswith(APPROX_AFTER) or before.endswith(APPROX_BEFORE)
