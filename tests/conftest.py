"""The core suite tests govreport as shipped: optional reader plugins that change what a
file turns into (the OCR plugin reads scans the core refuses) are switched off here, in
this process and in the commands the tests start. Their own tests live beside them
(plugins/*/tests)."""
from __future__ import annotations

import pytest

#: installed plugins the core tests leave out
OPTIONAL_READER_PLUGINS = ("govreport-ocr",)


@pytest.fixture(autouse=True)
def _without_optional_reader_plugins(monkeypatch):
    from govreport.plugins import DISABLE_ENV

    monkeypatch.setenv(DISABLE_ENV, ",".join(OPTIONAL_READER_PLUGINS))
