"""Plugins isolated for real (issue #18): whatever a plugin does or returns, it is a
PLUGIN-ERROR check on that report and every other fact stands."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import govreport
from govreport.fixtures import default_spec, expected_facts, render_text
from govreport.plugins import reset_registry

BAD = {
    "name_raises": '''
class X:
    @property
    def name(self): raise RuntimeError("no name")
    sections = "*"
    def extract(self, section, ctx): return [ctx.fact("x.one", 1, text="1")]
''',
    "sections_not_a_sequence": '''
class X:
    name = "x"
    sections = 5
    def extract(self, section, ctx): return []
''',
    "sections_raise": '''
class X:
    name = "x"
    @property
    def sections(self): raise ValueError("boom")
    def extract(self, section, ctx): return []
''',
    "yields_a_string": '''
class X:
    name = "x"
    sections = "*"
    def extract(self, section, ctx): yield "not a fact"
''',
    "circular_value": '''
class X:
    name = "x"
    sections = "*"
    def extract(self, section, ctx):
        v = []; v.append(v)
        return [ctx.fact("x.circular", v, text="x")]
''',
    "nan_and_object": '''
class X:
    name = "x"
    sections = "*"
    def extract(self, section, ctx):
        return [ctx.fact("x.nan", float("nan"), text="x"), ctx.fact("x.obj", object(), text="x")]
''',
    "system_exit": '''
import sys
class X:
    name = "x"
    sections = "*"
    def extract(self, section, ctx): sys.exit(3)
''',
}
CHECKS = {
    "check_yields_string": '''
class C:
    name = "c"
    def check(self, report): yield "oops"
''',
    "check_system_exit": '''
class C:
    name = "c"
    def check(self, report): raise SystemExit(1)
''',
}
EXTRAS = '''
import govreport
@govreport.hookimpl
def govreport_report_extras(report):
    d = {}
    d["self"] = d
    return d
'''


def _write(tmp_path, body: str, hook: str, cls: str):
    d = tmp_path / "plugins"
    d.mkdir(exist_ok=True)
    (d / "bad.py").write_text("import govreport\n" + body + f'''
@govreport.hookimpl
def {hook}(register):
    register({cls}())
''')
    reset_registry()
    return d


@pytest.fixture
def report_file(tmp_path):
    spec = default_spec()
    p = tmp_path / "r.txt"
    p.write_text(render_text(spec), encoding="utf-8")
    yield p, expected_facts(spec)
    reset_registry()


def _isolated(report, expected, error=True):
    assert error == any(c.rule == "PLUGIN-ERROR" for c in report.checks), report.warnings
    for key, value in expected.items():  # the rest of the report stands
        if value is not None and key in report.facts:
            assert report.facts[key] == value
    assert len([k for k in expected if k in report.facts]) >= len(expected) * 0.9
    json.dumps(report.to_dict(), allow_nan=False, default=str)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_extractor_is_a_plugin_error_and_the_report_stands(tmp_path, report_file, case):
    path, expected = report_file
    pdir = _write(tmp_path, BAD[case], "govreport_register_extractors", "X")
    report = govreport.parse(path, plugins_dir=pdir)
    # a name that raises only costs the name (the class name stands in): it still runs
    _isolated(report, expected, error=case != "name_raises")
    if case == "name_raises":
        assert report.facts["x.one"] == 1 and report.provenance["x.one"]["extractor"] == "X"


@pytest.mark.parametrize("case", sorted(CHECKS))
def test_bad_check_is_a_plugin_error_and_the_report_stands(tmp_path, report_file, case):
    path, expected = report_file
    pdir = _write(tmp_path, CHECKS[case], "govreport_register_checks", "C")
    _isolated(govreport.parse(path, plugins_dir=pdir), expected)


def test_circular_extras_are_left_out(tmp_path, report_file):
    path, expected = report_file
    d = tmp_path / "plugins"
    d.mkdir()
    (d / "extras.py").write_text(EXTRAS)
    reset_registry()
    report = govreport.parse(path, plugins_dir=d)
    _isolated(report, expected)
    assert "extras" not in report.plugins


def _cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "govreport.cli", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_cli_parse_with_a_system_exit_plugin_prints_the_report(tmp_path, report_file):
    path, _ = report_file
    pdir = _write(tmp_path, BAD["system_exit"], "govreport_register_extractors", "X")
    done = _cli("--plugins-dir", str(pdir), "parse", str(path))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert any(c["rule"] == "PLUGIN-ERROR" for c in data["checks"])


def test_plugins_listing_cannot_hang_on_a_plugin_stuck_at_import(tmp_path):
    d = tmp_path / "plugins"
    d.mkdir()
    (d / "stuck.py").write_text("import time\nwhile True:\n    time.sleep(0.1)\n")
    done = subprocess.run([sys.executable, "-c",
                           "import sys, govreport.limits as L; L.DEFAULT_TIMEOUT = 2\n"
                           "from govreport.cli import main; sys.exit(main(sys.argv[1:], own_process=True))",
                           "--plugins-dir", str(d), "plugins"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "timeout" in done.stderr
