"""``lazy()`` patterns compile on first use and then act as the compiled pattern."""
from __future__ import annotations

import re

import pytest

from govreport.lazyre import LazyPattern, lazy


def test_compiles_on_first_use_only():
    rx = lazy(r"(?P<n>\d+)\s*件", re.I)
    assert isinstance(rx, LazyPattern) and rx._rx is None
    assert rx.search("共受理 12 件").group("n") == "12"
    compiled = rx._rx
    assert compiled is re.compile(r"(?P<n>\d+)\s*件", re.I)  # the re module's own cache
    assert [m.group() for m in rx.finditer("1件2件")] == ["1件", "2件"]
    assert rx.sub("#", "3件") == "#" and rx.pattern == r"(?P<n>\d+)\s*件"
    assert rx.flags == compiled.flags and rx._rx is compiled


def test_a_bad_pattern_fails_when_used():
    rx = lazy(r"(unclosed")
    with pytest.raises(re.error):
        rx.search("x")
