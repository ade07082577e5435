"""Hostile inputs end within the default limits with one typed line (issue #18).

Every file is generated here (tests/_hostile.py), at the smallest size that still trips
the guard in question, and parsed by ``govreport parse FILE`` with NO options: the exit
code, the one-line message, the wall time and the child's peak RSS are asserted against
the default limits. Slower in-process checks use lowered limits through Options.
"""
from __future__ import annotations

import time

import pytest

import govreport
from _hostile import GENERATORS, run_cli, write
from govreport.errors import LimitExceededError, ParseTimeoutError
from govreport.limits import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, memory_limit
from govreport.plugins import reset_registry

# name -> (scale, what the one-line error must say; None: a parse, or any typed refusal)
CASES = {
    "pdf-flate-bomb": (1, "inflates to more than"),
    "pdf-glyph-flood": (1, "glyphs"),
    "pdf-self-xobject": (1, None),
    "pdf-self-content": (1, None),
    "pdf-ref-cycle": (1, None),
    "pdf-xref-index": (1, None),
    "pdf-xobject-fanout": (1, "page 1 draws more than"),
    "pdf-form-paths": (0.2, "page 1 draws more than 100000 paths"),
    "pdf-cmap-range": (1, None),
    "pdf-rulings": (1, None),
    "pdf-big-table": (1, None),
    "pdf-many-pages": (0.1, "pages, over the limit of 2000"),
    "docx-renamed-main": (0.1, "word/main.dat"),
    "docx-big-document": (0.2, "word/document.xml"),
    "docx-media-part": (0.1, "word/media/image1.png"),
    "docx-gridspan": (1, None),
    "html-span-tables": (1, None),
    "html-huge": (0.7, "over the limit of 32 MiB"),
    "html-deep": (1, None),
    "html-meta-undefined": (1, None),
    "text-digit-rows": (1, None),
    "text-digit-line": (0.1, "characters of text, over the limit"),
}
# what the parse process may add to an idle interpreter (~60 MiB) and still be "within"
RSS_CEILING_MB = DEFAULT_MAX_MEMORY_MB + 256


def test_every_generator_has_a_case():
    assert set(CASES) == set(GENERATORS)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_with_default_limits(name, tmp_path):
    scale, expect = CASES[name]
    path = write(name, tmp_path, scale)
    code, err, wall, rss = run_cli(["parse", str(path)], timeout=DEFAULT_TIMEOUT * 2)
    lines = err.strip().splitlines()
    assert code in (0, 2), (code, err[-2000:])
    if code == 2:
        assert len(lines) == 1, err
        assert lines[0].startswith(f"govreport: error: {path}: "), lines[0]
        assert "internal error" not in lines[0] and "Traceback" not in err
        if expect:
            assert expect in lines[0]
    else:
        assert expect is None and not lines, err
    assert wall < DEFAULT_TIMEOUT, wall
    assert rss < RSS_CEILING_MB, rss


def test_dev_zero_is_refused_before_reading():
    code, err, wall, rss = run_cli(["parse", "/dev/zero", "--max-bytes", "1e6"])
    assert code == 2 and err.strip() == ("govreport: error: /dev/zero: is a character device, "
                                         "not a regular file")
    assert rss < 300


def test_size_limit_is_checked_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(2 * 1024**3)  # sparse: 2 GiB that costs nothing
    code, err, wall, rss = run_cli(["parse", str(big)])
    assert code == 2 and "over the limit of 268435456" in err, err
    assert rss < 300 and wall < 20


def test_digit_runs_past_the_state_budget_give_up_with_a_warning(tmp_path):
    """The row with 200 extra digits and the row of 80 digits yield no value at all (no
    guess); the rows around them are still read."""
    path = write("text-digit-rows", tmp_path)
    t0 = time.perf_counter()
    report = govreport.parse(path)
    assert time.perf_counter() - t0 < DEFAULT_TIMEOUT
    facts = report.facts
    assert not [k for k in facts if k.startswith("requests.new_received.")], facts
    assert not [k for k in facts if k.startswith("requests.results.granted.")]
    assert facts.get("requests.carried_over.total") == 2
    assert any("新收" in w or "new_received" in w for w in report.warnings), report.warnings


def test_html_spans_are_capped_to_the_table_width():
    from govreport.readers.html import read_html

    html = ("<html><body><p>政府信息公开</p><table><tr><td colspan=1000>a</td></tr>"
            "<tr><td>1</td><td>2</td><td>3</td></tr></table></body></html>").encode()
    doc = read_html(html)
    assert [len(r) for r in doc.tables[0].rows] == [3, 3]
    assert doc.tables[0].rows[0] == ["a", "a", "a"]


def test_undefined_meta_charset_is_ignored():
    from govreport.readers.encoding import decode_bytes, normalize_charset

    assert normalize_charset("undefined") is None and normalize_charset("rot13") is None
    text, enc = decode_bytes("政府信息公开".encode("gb18030"), "undefined")
    assert text == "政府信息公开" and enc == "gb18030"


# -- limits inside the work, in-process (the API) ------------------------------------------

HOG = '''
import govreport, time

class Hog:
    name = "hog"
    sections = "*"
    def extract(self, section, ctx):
        MODE
        return []

@govreport.hookimpl
def govreport_register_extractors(register):
    register(Hog())
'''


def _plugin(tmp_path, body: str):
    d = tmp_path / "plugins"
    d.mkdir(exist_ok=True)
    (d / "hog.py").write_text(HOG.replace("MODE", body))
    reset_registry()
    return d


@pytest.fixture
def report_txt(tmp_path):
    from govreport.fixtures import default_spec, render_text

    p = tmp_path / "r.txt"
    p.write_text(render_text(default_spec()), encoding="utf-8")
    yield p
    reset_registry()


def test_memory_cap_stops_python_work_in_the_callers_process(tmp_path, report_txt):
    pdir = _plugin(tmp_path, "hoard = [bytearray(1 << 20) for _ in range(4000)]")
    t0 = time.perf_counter()
    with pytest.raises(LimitExceededError, match="memory limit of 120 MiB"):
        govreport.parse(report_txt, plugins_dir=pdir, options={"max_memory_mb": 120})
    assert time.perf_counter() - t0 < 20


def test_time_limit_stops_an_extractor_that_never_returns(tmp_path, report_txt):
    pdir = _plugin(tmp_path, "while True: pass")
    with pytest.raises(ParseTimeoutError, match="timeout of 1 s"):
        govreport.parse(report_txt, plugins_dir=pdir, options={"timeout": 1})


def test_limits_on_by_default_and_none_lifts_them():
    opts = govreport.Options()
    assert opts.timeout == DEFAULT_TIMEOUT and opts.max_memory_mb == DEFAULT_MAX_MEMORY_MB
    assert opts.max_bytes and opts.max_pages
    lifted = govreport.Options(timeout=None, max_memory_mb=None, max_bytes=None, max_pages=None)
    assert lifted.timeout is None and lifted.max_memory_mb is None


def test_memory_limit_leaves_nothing_pending_after_the_block():
    with memory_limit(10_000):
        pass
    time.sleep(0.1)  # a late watchdog must not raise here


def test_cli_hard_stop_when_the_parse_is_stuck_in_c(tmp_path, report_txt):
    """A catastrophic regex runs in C: SIGALRM cannot interrupt it; the CLI's watchdog
    prints the one-line timeout and exits 2 a few seconds after the limit."""
    pdir = _plugin(tmp_path, "import re; re.match(r'(a|aa)+$', 'a' * 60 + 'b')")
    code, err, wall, _ = run_cli(["--plugins-dir", str(pdir), "parse", str(report_txt),
                                  "--timeout", "1"], timeout=60)
    assert code == 2 and err.count("\n") == 1, err
    assert "no result within the timeout of 1 s" in err
    assert wall < 15


def test_cli_memory_cap_stops_a_single_huge_allocation(tmp_path, report_txt):
    """One 3 GiB allocation in C fails at once (RLIMIT_AS in the CLI process), never
    touching the memory: a one-line memory-limit error (or, should the pipeline treat the
    plugin's MemoryError as its own failure, a report without it)."""
    pdir = _plugin(tmp_path, "big = bytearray(3 * 1024 ** 3)")
    code, err, wall, rss = run_cli(["--plugins-dir", str(pdir), "parse", str(report_txt),
                                    "--max-memory", "200"], timeout=60)
    assert (code == 2 and err.count("\n") == 1 and "memory limit of 200 MiB" in err) or \
        (code == 0 and not err), err
    assert rss < 600


def test_cli_memory_cap_stops_growth_in_python(tmp_path, report_txt):
    pdir = _plugin(tmp_path, "hoard = [bytes(1 << 20) for _ in range(4000)]")
    code, err, wall, rss = run_cli(["--plugins-dir", str(pdir), "parse", str(report_txt),
                                    "--max-memory", "150"], timeout=60)
    assert code == 2 and "memory limit of 150 MiB" in err, err
    assert rss < 150 * 1.25 + 250


def test_limit_options_accept_sizes_and_none():
    from govreport.cli import build_parser

    args = build_parser().parse_args(["parse", "x", "--max-bytes", "1e6", "--timeout", "none",
                                      "--max-memory", "512"])
    assert args.max_bytes == 1_000_000 and args.timeout is None and args.max_memory == 512
    args = build_parser().parse_args(["parse", "x", "--max-bytes", "10MiB"])
    assert args.max_bytes == 10 * 1024**2

