"""Plugin loading: isolation, listing, disabling, misspelled hooks, API versions, order.

Every test builds its own registry (``build_registry`` / ``load_registry``); installed
example plugins (govreport-metrics …) may be present in the venv, so no test assumes the
exact list of loaded plugins.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

import govreport
from govreport import hookspecs
from govreport.cli import main as cli_main
from govreport.model import Check, Fact
from govreport.pipeline import parse_document
from govreport.plugins import (
    BUILTIN_PLUGINS,
    DISABLE_ENV,
    PLUGINS_DIR_ENV,
    PluginInfo,
    build_registry,
    get_registry,
    parse_disabled,
    reset_registry,
)
from govreport.readers import read_document
from govreport.testing import load_registry, make_report, report_from_facts

GOOD = '''
import govreport
__version__ = "1.2"

class Good:
    name = "good-extractor"
    sections = ("overview",)

    def extract(self, section, context):
        i = section.text.find("政府信息")
        if i >= 0:
            yield context.fact("good.found", 1, span=(i, i + 4))

@govreport.hookimpl
def govreport_register_extractors(register):
    register(Good())

@govreport.hookimpl
def govreport_report_extras(report):
    return {"n_facts": len(report.facts)}
'''

BROKEN_IMPORT = '''
import govreport
raise RuntimeError("this plugin is broken at import")
'''

RAISES_IN_EXTRACT = '''
import govreport

class Boom:
    name = "boom"
    sections = "*"

    def extract(self, section, context):
        raise ValueError("extractor exploded")

@govreport.hookimpl
def govreport_register_extractors(register):
    register(Boom())
'''


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    monkeypatch.delenv(PLUGINS_DIR_ENV, raising=False)
    monkeypatch.delenv(DISABLE_ENV, raising=False)
    reset_registry()
    yield
    reset_registry()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    """A generated post-2019 report (text: fast) with its expected facts."""
    return make_report(tmp_path_factory.mktemp("report"), kind="text")


@pytest.fixture(scope="module", params=["text", "pdf"])
def any_report(request, tmp_path_factory):
    """The generated report as text and as PDF."""
    if request.param == "pdf":
        pytest.importorskip("reportlab")
    return make_report(tmp_path_factory.mktemp("report"), kind=request.param)


def write_plugins(directory: Path, **sources: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, source in sources.items():
        (directory / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return directory


def by_name(registry) -> dict[str, PluginInfo]:
    return {p.name: p for p in registry.plugins}


def module(name: str, **attrs) -> types.ModuleType:
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    return mod


def extractor(name: str, key: str, value, sections=("overview",)):
    class E:
        def extract(self, section, context):
            yield context.fact(key, value, span=(0, 1))

    e = E()
    e.name, e.sections = name, sections
    return e


def registering(*objects, hook="govreport_register_extractors", **opts):
    @govreport.hookimpl(**opts)
    def impl(register):
        for obj in objects:
            register(obj)

    return impl


# --- the plugins directory: one good, one broken -------------------------------------------

def test_broken_plugin_is_listed_with_its_error_and_the_good_one_loads(tmp_path):
    pdir = write_plugins(tmp_path / "p", good=GOOD, broken=BROKEN_IMPORT)
    registry = build_registry(pdir)
    infos = by_name(registry)
    assert infos["broken"].error == "RuntimeError: this plugin is broken at import"
    assert infos["broken"].origin == "plugins_dir"
    assert infos["broken"].location == str(pdir / "broken.py")
    good = infos["good"]
    assert good.error is None and good.version == "1.2" and good.origin == "plugins_dir"
    assert good.hooks == ["govreport_register_extractors", "govreport_report_extras"]
    assert good.extractors == ["good-extractor"]
    assert "good-extractor" in [e.name for e in registry.extractors]
    assert any("broken" in w for w in registry.warnings)


def test_cli_plugins_lists_working_and_broken(tmp_path, capsys):
    pdir = write_plugins(tmp_path / "p", good=GOOD, broken=BROKEN_IMPORT)
    assert cli_main(["--plugins-dir", str(pdir), "plugins"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["api_version"] == hookspecs.PLUGIN_API_VERSION
    listed = {p["name"]: p for p in data["plugins"]}
    assert listed["good"]["error"] is None
    assert listed["good"]["hooks"] == ["govreport_register_extractors", "govreport_report_extras"]
    assert listed["broken"]["error"].startswith("RuntimeError")
    for p in data["plugins"]:
        assert {"name", "version", "origin", "hooks", "error"} <= set(p)
        assert p["origin"] in ("builtin", "entry_point", "plugins_dir")
    assert "good-extractor" in data["extractors"]


def test_cli_plugins_in_a_subprocess(tmp_path):
    """The real command line, environment variable included."""
    pdir = write_plugins(tmp_path / "p", good=GOOD, broken=BROKEN_IMPORT)
    env = {**__import__("os").environ, PLUGINS_DIR_ENV: str(pdir)}
    env.pop(DISABLE_ENV, None)
    out = subprocess.run([sys.executable, "-m", "govreport.cli", "plugins"], env=env,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    listed = {p["name"]: p for p in json.loads(out)["plugins"]}
    assert listed["good"]["error"] is None and listed["broken"]["error"]


def test_parse_with_a_broken_plugin_keeps_every_builtin_fact(tmp_path, any_report, capsys):
    report_file = any_report
    pdir = write_plugins(tmp_path / "p", good=GOOD, broken=BROKEN_IMPORT,
                         raises=RAISES_IN_EXTRACT)
    assert cli_main(["parse", str(report_file.path)]) == 0
    baseline = json.loads(capsys.readouterr().out)
    assert cli_main(["--plugins-dir", str(pdir), "parse", str(report_file.path)]) == 0
    data = json.loads(capsys.readouterr().out)

    builtin = {k: v for k, v in data["facts"].items() if k != "good.found"}
    assert builtin == baseline["facts"]
    assert data["facts"]["good.found"] == 1
    assert data["provenance"]["good.found"]["extractor"] == "good-extractor"
    assert data["plugins"]["good"] == {"n_facts": len(data["facts"])}
    errors = [c for c in data["checks"] if c["rule"] == "PLUGIN-ERROR"]
    assert any("broken" in c["message"] for c in errors)
    assert any("extractor exploded" in c["message"] for c in errors)
    assert all(c["severity"] == "warning" for c in errors)
    # the report's own checks are untouched
    assert [c for c in data["checks"] if c["rule"] != "PLUGIN-ERROR"] == \
        [c for c in baseline["checks"] if c["rule"] != "PLUGIN-ERROR"]


def test_builtin_facts_match_the_generated_report(any_report):
    report_file = any_report
    registry = build_registry()
    if not any(p.origin == "builtin" and p.extractors for p in registry.plugins):
        pytest.skip("no built-in extractor in this build yet")
    report = parse_document(read_document(report_file.path), registry=registry)
    builtin = {e.name for e in registry.extractors
               if registry.plugin(e.plugin_name).origin == "builtin"}
    assert report.facts, "the built-in extractors found nothing in a generated report"
    assert {p.get("extractor") for p in report.provenance.values()} & builtin


# --- isolation inside a parse --------------------------------------------------------------

def test_extractor_raising_becomes_a_warning_and_others_go_on(report_file):
    class Boom:
        name, sections = "boom", ("overview",)

        def extract(self, section, context):
            yield context.fact("boom.before", 1, span=(0, 1))
            raise KeyError("nope")

    later = extractor("later", "later.key", 5)
    registry = load_registry([("p1", module("p1", govreport_register_extractors=registering(Boom()))),
                              ("p2", module("p2", govreport_register_extractors=registering(later)))])
    report = parse_document(read_document(report_file.path), registry=registry)
    assert report.facts["later.key"] == 5
    assert report.facts["boom.before"] == 1  # what it yielded before raising is kept
    [err] = [c for c in report.checks if c.rule == "PLUGIN-ERROR"]
    assert "boom" in err.message and "KeyError" in err.message and err.severity == "warning"


def test_check_and_extras_raising_become_warnings(report_file):
    class BadCheck:
        name = "bad-check"

        def check(self, report):
            raise RuntimeError("check broke")

    def extras(report):
        raise ZeroDivisionError("extras broke")

    plugin = module("p", govreport_register_checks=registering(BadCheck()),
                    govreport_report_extras=govreport.hookimpl(extras))
    report = parse_document(read_document(report_file.path), registry=load_registry([plugin]))
    messages = [c.message for c in report.checks if c.rule == "PLUGIN-ERROR"]
    assert any("check broke" in m for m in messages)
    assert any("extras broke" in m for m in messages)
    assert "p" not in report.plugins


def test_registration_hook_raising_is_isolated():
    @govreport.hookimpl
    def govreport_register_extractors(register):
        raise RuntimeError("cannot register")

    class HalfCheck:
        name = "half-check"

        def check(self, report):
            return []

    @govreport.hookimpl
    def extras(report):
        return {"x": 1}

    ok = extractor("ok", "ok.key", 1)
    bad = module("bad", govreport_register_extractors=govreport_register_extractors,
                 govreport_register_checks=registering(HalfCheck()),
                 govreport_report_extras=extras)
    registry = load_registry([("bad", bad),
                              ("fine", module("fine", govreport_register_extractors=registering(ok)))])
    assert [e.name for e in registry.extractors] == ["ok"]
    info = registry.plugin("bad")
    assert info.error == "govreport_register_extractors raised RuntimeError: cannot register"
    # not half used: its checks and extras are dropped too
    assert registry.validators == [] and registry.extras_impls() == []
    assert info.checks == [] and info.hooks  # the listing still says what it implements
    assert "plugin bad not loaded: govreport_register_extractors raised" in registry.warnings[0]


def test_systemexit_at_import_does_not_end_the_process(tmp_path):
    pdir = write_plugins(tmp_path / "p", quitter="import sys\nsys.exit(3)\n")
    assert by_name(build_registry(pdir))["quitter"].error.startswith("SystemExit")


def test_malformed_hookimpl_is_not_loaded():
    @govreport.hookimpl
    def govreport_register_extractors(register, not_an_argument):
        pass

    registry = load_registry([("odd", module("odd", govreport_register_extractors=govreport_register_extractors))])
    info = registry.plugin("odd")
    assert info.error and "not_an_argument" in info.error
    assert registry.extractors == []


def test_registering_a_class_or_a_non_extractor_is_refused():
    class NotAnInstance:
        name = "cls"

        def extract(self, section, context):
            return []

    registry = load_registry([("p", module("p", govreport_register_extractors=registering(
        NotAnInstance, object(), extractor("fine", "k", 1))))])
    assert [e.name for e in registry.extractors] == ["fine"]
    warnings = registry.plugin("p").warnings
    assert any("register(NotAnInstance())" in w for w in warnings)
    assert any("no extract() method" in w for w in warnings)


def test_same_name_twice_keeps_the_first(tmp_path):
    plugin_a = module("a", govreport_register_extractors=registering(extractor("a", "a", 1)))
    plugin_b = module("b", govreport_register_extractors=registering(extractor("b", "b", 1)))
    registry = load_registry([("same", plugin_a), ("same", plugin_b)])
    assert [e.name for e in registry.extractors] == ["a"]
    assert [p.error is None for p in registry.plugins] == [True, False]
    assert "taken" in registry.plugins[1].error


# --- disabling --------------------------------------------------------------------------

def test_disable_env_turns_plugins_off_before_import(tmp_path, monkeypatch):
    pdir = write_plugins(tmp_path / "p", good=GOOD, broken=BROKEN_IMPORT, other=GOOD)
    monkeypatch.setenv(DISABLE_ENV, "good, broken")
    registry = build_registry(pdir)
    names = by_name(registry)
    assert "good" not in names and "broken" not in names  # the broken one never imported
    assert names["other"].error is None
    assert {"good", "broken"} <= registry.disabled
    assert not any("broken" in w for w in registry.warnings)


def test_disable_a_builtin_and_a_single_extractor(monkeypatch):
    monkeypatch.setenv(DISABLE_ENV, f"{BUILTIN_PLUGINS[0]},two")
    registry = load_registry([("p", module("p", govreport_register_extractors=registering(
        extractor("one", "k1", 1), extractor("two", "k2", 2))))], builtins=True)
    assert registry.plugin(BUILTIN_PLUGINS[0]) is None
    assert [e.name for e in registry.extractors if e.plugin_name == "p"] == ["one"]


def test_disabled_through_options(report_file, tmp_path):
    pdir = write_plugins(tmp_path / "p", good=GOOD)
    report = govreport.parse(report_file.path, plugins_dir=pdir)
    assert "good.found" in report.facts
    report = govreport.parse(report_file.path, plugins_dir=pdir,
                             options={"disabled_plugins": ["good"]})
    assert "good.found" not in report.facts


def test_parse_disabled():
    assert parse_disabled(" a, b ,,c ") == {"a", "b", "c"}
    assert parse_disabled(["x", " y "]) == {"x", "y"}
    assert parse_disabled(None) == set()


# --- misspelled hooks ---------------------------------------------------------------------

def test_misspelled_marked_hook_is_reported_with_a_hint():
    @govreport.hookimpl
    def govreport_register_extractor(register):  # missing "s"
        pass

    registry = load_registry([("typo", module("typo", govreport_register_extractor=govreport_register_extractor))])
    [warning] = registry.plugin("typo").warnings
    assert "govreport_register_extractor is not a govreport hook" in warning
    assert "did you mean govreport_register_extractors?" in warning
    assert registry.plugin("typo").error is None  # its other hooks still work
    assert warning in registry.warnings


def test_unmarked_govreport_functions_are_hooks_too(report_file):
    def govreport_report_extras(report):  # no @hookimpl: still picked up
        return {"ok": True}

    def govreport_report_extra(report):  # and a misspelling without the marker is reported
        return {}

    plugin = module("bare", govreport_report_extras=govreport_report_extras,
                    govreport_report_extra=govreport_report_extra, helper=lambda: 1)
    registry = load_registry([plugin])
    assert registry.plugin("bare").hooks == ["govreport_report_extra", "govreport_report_extras"]
    assert any("did you mean govreport_report_extras" in w for w in registry.plugin("bare").warnings)
    report = parse_document(read_document(report_file.path), registry=registry)
    assert report.plugins["bare"] == {"ok": True}


def test_plugin_as_a_class_instance():
    class Plugin:
        @govreport.hookimpl
        def govreport_register_extractors(self, register):
            register(extractor("from-instance", "k", 1))

        @staticmethod
        def govreport_requires_api():
            return 1

    registry = load_registry([("inst", Plugin())])
    info = registry.plugin("inst")
    assert info.error is None and info.requires_api == 1
    assert [e.name for e in registry.extractors] == ["from-instance"]


# --- API version --------------------------------------------------------------------------

@pytest.mark.parametrize("wanted, ok", [
    (hookspecs.PLUGIN_API_VERSION, True),
    (None, True),
    (hookspecs.PLUGIN_API_VERSION + 1, False),
    (hookspecs.MIN_PLUGIN_API_VERSION - 1, False),
    ("not a number", False),
])
def test_requires_api(wanted, ok):
    plugin = module("v", govreport_requires_api=govreport.hookimpl(lambda: wanted),
                    govreport_register_extractors=registering(extractor("v-ex", "k", 1)))
    registry = load_registry([("v", plugin)])
    info = registry.plugin("v")
    assert (info.error is None) is ok
    assert bool(registry.extractors) is ok
    if wanted == hookspecs.PLUGIN_API_VERSION + 1:
        assert f"needs plugin API {wanted}" in info.error
        assert info.hooks  # still says what it implements
        assert any("not loaded" in w for w in registry.warnings)


def test_requires_api_raising():
    def boom():
        raise RuntimeError("version lookup failed")

    registry = load_registry([("v", module("v", govreport_requires_api=govreport.hookimpl(boom)))])
    assert "version lookup failed" in registry.plugin("v").error


# --- order and hook arguments -------------------------------------------------------------

def test_registration_order_and_first_fact_wins(report_file):
    first = extractor("first", "shared.key", "first")
    second = extractor("second", "shared.key", "second")
    early = extractor("early", "shared.early", 1)
    registry = load_registry([
        ("a", module("a", govreport_register_extractors=registering(first))),
        ("b", module("b", govreport_register_extractors=registering(second))),
        ("c", module("c", govreport_register_extractors=registering(early, tryfirst=True))),
    ])
    assert [e.name for e in registry.extractors] == ["early", "first", "second"]
    report = parse_document(read_document(report_file.path), registry=registry)
    assert report.facts["shared.key"] == "first"
    assert report.provenance["shared.key"]["extractor"] == "first"


def test_builtins_run_before_plugins():
    registry = load_registry([("late", module("late", govreport_register_extractors=registering(
        extractor("late-ex", "k", 1))))], builtins=True)
    origins = [registry.plugin(e.plugin_name).origin for e in registry.extractors]
    assert origins == sorted(origins, key=lambda o: o != "builtin")
    assert registry.extractors[-1].name == "late-ex"


def test_hookimpl_may_take_fewer_arguments():
    @govreport.hookimpl
    def govreport_report_extras():
        return {"static": 1}

    registry = load_registry([("few", module("few", govreport_report_extras=govreport_report_extras))])
    [(name, func)] = registry.extras_impls()
    assert name == "few" and func(report=report_from_facts({})) == {"static": 1}


def test_extras_land_under_the_plugin_name(report_file):
    @govreport.hookimpl
    def govreport_report_extras(report):
        return {"issuer": report.meta.get("issuer")} if report.facts is not None else None

    @govreport.hookimpl
    def none_extras(report):
        return None

    registry = load_registry([("my-plugin", module("m", govreport_report_extras=govreport_report_extras)),
                              ("quiet", module("q", govreport_report_extras=none_extras))])
    report = parse_document(read_document(report_file.path), registry=registry)
    assert set(report.plugins) == {"my-plugin"}
    assert report.to_dict()["plugins"]["my-plugin"] == {"issuer": report.meta.get("issuer")}


# --- entry points ---------------------------------------------------------------------------

def make_distribution(root: Path, dist: str, version: str, entry_points: dict[str, str],
                      modules: dict[str, str]) -> None:
    info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    lines = ["[govreport]"] + [f"{name} = {target}" for name, target in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")
    for name, source in modules.items():
        (root / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")


def test_entry_points_good_and_broken(tmp_path, monkeypatch):
    make_distribution(tmp_path, "gr-good", "2.5", {"gr-good": "gr_good_mod"},
                      {"gr_good_mod": GOOD})
    make_distribution(tmp_path, "gr-broken", "0.1", {"gr-broken": "gr_broken_mod"},
                      {"gr_broken_mod": BROKEN_IMPORT})
    make_distribution(tmp_path, "gr-missing", "0.1", {"gr-missing": "no_such_module_xyz"}, {})
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = build_registry()
    infos = by_name(registry)
    good = infos["gr-good"]
    assert good.origin == "entry_point" and good.version == "2.5" and good.error is None
    assert good.location == "gr_good_mod" and good.extractors == ["good-extractor"]
    assert infos["gr-broken"].error == "RuntimeError: this plugin is broken at import"
    assert infos["gr-missing"].error.startswith("ModuleNotFoundError")
    for name in ("gr_good_mod", "gr_broken_mod"):
        sys.modules.pop(name, None)


# --- listing and cache ----------------------------------------------------------------------

def test_plugin_info_to_dict():
    info = PluginInfo(name="x", origin="plugins_dir", version="1", hooks=["h"], location="/x.py")
    assert info.to_dict() == {"name": "x", "version": "1", "origin": "plugins_dir",
                              "location": "/x.py", "hooks": ["h"], "requires_api": None,
                              "extractors": [], "checks": [], "readers": [], "warnings": [],
                              "error": None}
    assert info.loaded


def test_get_registry_is_cached_per_settings(tmp_path, monkeypatch):
    pdir = write_plugins(tmp_path / "p", good=GOOD)
    a = get_registry(pdir)
    assert get_registry(pdir) is a
    assert get_registry() is not a
    monkeypatch.setenv(DISABLE_ENV, "good")
    assert get_registry(pdir) is not a
    assert get_registry(pdir).plugin("good") is None


def test_missing_plugins_dir_is_a_warning(tmp_path):
    registry = build_registry(tmp_path / "nowhere")
    assert any("does not exist" in w for w in registry.warnings)


def test_private_files_in_plugins_dir_are_skipped(tmp_path):
    pdir = write_plugins(tmp_path / "p", _helper=BROKEN_IMPORT)
    assert "_helper" not in by_name(build_registry(pdir))


def test_hook_markers_are_exported():
    assert govreport.hookimpl is hookspecs.hookimpl
    assert govreport.PLUGIN_API_VERSION == hookspecs.PLUGIN_API_VERSION
    assert isinstance(Fact, type) and isinstance(Check, type)
