"""parse_many: one result per input, bad inputs as failed results, any Executor (Dask too)."""
from __future__ import annotations

import concurrent.futures as cf
import os
from pathlib import Path

import pytest

import govreport
from govreport.batch import Result, parse_many
from test_batch_helpers import FAKE, bad_pdfs, report_text, warm_forkserver, write


@pytest.fixture(autouse=True, scope="module")
def _warm():
    warm_forkserver()


def _by_name(results):
    return {Path(r.path).name: r for r in results}


def test_parse_many_fake_parser_every_outcome(tmp_path):
    for i in range(4):
        write(tmp_path / f"ok{i}.txt", report_text(i))
    write(tmp_path / "hang.txt", report_text(9, "HANG"))
    write(tmp_path / "crash.txt", report_text(9, "CRASH"))
    write(tmp_path / "fail.txt", report_text(9, "FAIL"))
    write(tmp_path / "bug.txt", report_text(9, "BUG"))
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    results = list(parse_many([tmp_path, tmp_path / "missing.pdf"], workers=2, timeout=1.5,
                              parse_func=FAKE))
    got = _by_name(results)
    assert len(results) == 10 and len(got) == 10
    for i in range(4):
        r = got[f"ok{i}.txt"]
        assert r.ok and r.error is None
        assert r.report["facts"]["requests.new_received.total"] == i
        assert r.report["source"]["path"] == str(tmp_path / f"ok{i}.txt")
    assert got["hang.txt"].error.type == "ParseTimeoutError"
    assert got["crash.txt"].error.type == "WorkerCrashedError"
    assert (got["fail.txt"].error.type, got["fail.txt"].error.code) == ("EncryptedError", "encrypted")
    bug = got["bug.txt"].error
    assert bug.type == "ZeroDivisionError" and bug.code == "internal"
    assert "test_batch_helpers.py" in bug.where
    assert got["photo.png"].skipped and got["photo.png"].error.type == "UnsupportedTypeError"
    assert got["missing.pdf"].error.type == "UnreadableError"
    assert all(isinstance(r, Result) and (r.ok or r.error.message) for r in results)


def test_parse_many_real_pipeline_bad_inputs_are_results(tmp_path):
    from govreport.fixtures import default_spec, render_text

    good = write(tmp_path / "good.txt", render_text(default_spec()))
    bad = bad_pdfs(tmp_path / "bad")
    results = list(parse_many([good, *bad.values()], workers=2))
    assert len(results) == 1 + len(bad)
    got = _by_name(results)
    for name in ("empty.pdf", "random.pdf", "truncated.pdf", "encrypted.pdf", "scanned.pdf"):
        assert not got[name].ok and got[name].error.type.endswith("Error"), got[name]
    try:  # can the pipeline parse generated reports at all? (jieba left out: quicker)
        govreport.parse(good, options={"disabled_plugins": ["govreport.extractors.narrative"]})
    except govreport.GovReportError:
        pytest.skip("the pipeline does not parse generated text reports yet")
    assert got["good.txt"].ok
    assert got["good.txt"].report["meta"]["year"] == default_spec().year


def test_parse_many_on_a_plain_executor_soft_timeout(tmp_path):
    # ProcessPoolExecutor cannot kill one worker: the timeout is enforced inside it
    write(tmp_path / "ok.txt", report_text(1))
    write(tmp_path / "spin.txt", report_text(2, "SPIN"))
    with cf.ProcessPoolExecutor(2) as ex:
        got = _by_name(parse_many(tmp_path, executor=ex, timeout=1.0, parse_func=FAKE))
    assert got["ok.txt"].ok
    assert got["spin.txt"].error.type == "ParseTimeoutError"


def test_parse_many_on_a_dask_local_cluster(tmp_path):
    """Quick: two worker processes, one thread each, on localhost."""
    distributed = pytest.importorskip("distributed")
    from govreport.fixtures import default_spec, random_spec, render_text

    inputs = [write(tmp_path / f"r{i}.txt", render_text(random_spec(i))) for i in range(4)]
    bad = bad_pdfs(tmp_path / "bad")
    spin = write(tmp_path / "spin" / "spin.txt", report_text(1, "SPIN"))
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None, host="127.0.0.1") as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        executor = client.get_executor()
        # jieba (narrative) takes seconds to load in each fresh Dask worker: leave it out
        quick = govreport.Options(disabled_plugins=("govreport.extractors.narrative",))
        results = list(parse_many([*inputs, *bad.values()], executor=executor, options=quick))
        # the soft timeout stops pure-Python work inside a Dask worker thread
        spun = list(parse_many([spin], executor=executor, timeout=1.0, parse_func=FAKE))
        pids = set(client.run(os.getpid).values())
    assert len(results) == len(inputs) + len(bad)
    got = _by_name(results)
    for name in bad_names(bad):
        assert not got[name].ok and got[name].error.message
    assert spun[0].error.type == "ParseTimeoutError"
    try:
        govreport.parse(inputs[0], options=quick)
    except govreport.GovReportError:
        return  # the pipeline cannot parse generated reports yet; the contract above holds
    assert all(got[p.name].ok for p in inputs)
    assert {got[p.name].worker for p in inputs} <= pids
    assert default_spec()  # fixtures import check


def bad_names(bad):
    return [p.name for p in bad.values()]


def test_custom_parse_function_keeps_the_warm_fork_server(tmp_path):
    """A worker running GOVREPORT_BATCH_PARSE_FUNC forks from the warmed fork server: it
    starts with jieba built (a fresh interpreter, so no fork server is running yet)."""
    import subprocess
    import sys

    f = write(tmp_path / "w.txt", report_text(1, "WARM"))
    code = ("import sys; from govreport.batch import parse_many; "
            f"r = list(parse_many([{str(f)!r}], workers=1, parse_func={FAKE!r})); "
            "print(r[0].report['facts']['warm'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300, cwd=str(Path(__file__).parent))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == "1"
