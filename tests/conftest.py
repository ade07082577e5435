"""Fixtures shared by the test modules: the default generated report (as a spec, text and
PDF bytes, built once per session) and the warmed fork server of the batch tests.

The core suite tests govreport as shipped: optional reader plugins that change what a
file turns into (the OCR plugin reads scans the core refuses) are switched off here, in
this process and in the commands the tests start. Their own tests live beside them
(plugins/*/tests)."""
from __future__ import annotations

import pytest

from govreport import fixtures as F


@pytest.fixture(scope="session")
def spec() -> F.ReportSpec:
    """The complete default post-2019 report (2021 tables)."""
    return F.default_spec()


@pytest.fixture(scope="session")
def report_text(spec) -> str:
    return F.render_text(spec)


@pytest.fixture(scope="session")
def report_pdf(spec, tmp_path_factory) -> bytes:
    pytest.importorskip("reportlab")
    return F.render_pdf(spec, tmp_path_factory.mktemp("pdf") / "r.pdf").read_bytes()


@pytest.fixture(scope="session")
def warm_forkserver() -> None:
    """Start the (process-wide) fork server warmed up once, so that every WorkerPool of the
    session forks ready workers instead of loading jieba/OpenCC per worker."""
    from govreport.batch import _start_warm_forkserver

    _start_warm_forkserver()


#: installed plugins the core tests leave out
OPTIONAL_READER_PLUGINS = ("govreport-ocr",)


@pytest.fixture(autouse=True)
def _without_optional_reader_plugins(monkeypatch):
    from govreport.plugins import DISABLE_ENV

    monkeypatch.setenv(DISABLE_ENV, ",".join(OPTIONAL_READER_PLUGINS))
