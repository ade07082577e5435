"""The documentation site is true: generated references are complete, every code sample
runs, every command line shown parses, and ``mkdocs build --strict`` passes.

Conventions for docs pages (docs/plugins.md has its own test, tests/test_docs_hooks.py):

- every fenced ```python block runs, page by page in order, in one namespace per page,
  in a temporary folder where ``samples/`` is the repository's samples folder;
- a block fenced as ```python title="not run"``` is illustrative and skipped (keep rare);
- every ``govreport …`` command line in ```console / ```bash / ```sh blocks must be
  accepted by the CLI's argument parser.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SRC = ROOT / "src" / "govreport"
FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```\s*$", re.M | re.S)
NOT_RUN = 'title="not run"'
# Pages whose code another test runs.
OWN_TESTS = {"plugins.md"}


def _load_gen():
    spec = importlib.util.spec_from_file_location("govreport_docs_gen", DOCS / "gen_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load_gen()


def pages() -> list[str]:
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))


def blocks(page: str, langs: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """(first code line, code, info string) of each fenced block in ``langs``."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(3), m.group(2))
            for m in FENCE.finditer(text) if m.group(1) in langs]


def runnable(page: str) -> list[tuple[int, str]]:
    return [(line, code) for line, code, info in blocks(page, ("python",))
            if NOT_RUN not in info]


# --------------------------------------------------------------------------------------
# code samples
# --------------------------------------------------------------------------------------

def _imported_modules(code: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("page", [p for p in pages() if p not in OWN_TESTS and runnable(p)])
def test_python_blocks_run(page, tmp_path, monkeypatch, capsys):
    code_blocks = runnable(page)
    for module in sorted(set().union(*(_imported_modules(c) for _, c in code_blocks))):
        pytest.importorskip(module, reason=f"docs/{page} uses {module}")
    (tmp_path / "samples").symlink_to(ROOT / "samples", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "docs_" + re.sub(r"\W", "_", page)}
    for line, code in code_blocks:
        exec(compile("\n" * (line - 1) + code, str(DOCS / page), "exec"), namespace)


def test_not_run_blocks_are_rare():
    skipped = [(p, line) for p in pages()
               for line, _, info in blocks(p, ("python",)) if NOT_RUN in info]
    total = sum(len(blocks(p, ("python",))) for p in pages())
    assert len(skipped) <= max(2, total // 10), f"too many illustrative blocks: {skipped}"


def _command_lines() -> list[tuple[str, int, str]]:
    out = []
    for page in pages():
        for line, code, _ in blocks(page, ("console", "bash", "sh", "shell")):
            for i, raw in enumerate(code.splitlines()):
                text = raw.strip()
                if text.startswith("$ "):
                    text = text[2:]
                for part in text.split("&&"):
                    words = shlex.split(part, comments=True)
                    while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
                        words = words[1:]  # VAR=value govreport …
                    if words and words[0].split("/")[-1] == "govreport":
                        out.append((page, line + i, words[1:]))
    return out


@pytest.mark.parametrize("page,line,argv", _command_lines(),
                         ids=lambda v: v if isinstance(v, str) else None)
def test_command_lines_parse(page, line, argv):
    from govreport.cli import build_parser

    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse's way to say no
        pytest.fail(f"docs/{page}:{line}: govreport {' '.join(argv)} is refused ({exc})")
    assert callable(args.func)


def test_getting_started_has_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = FENCE.search(readme).group(3).strip()
    install = blocks("getting-started.md", ("bash",))[0][1].strip()
    assert install == first, "docs/getting-started.md must show the README's two commands"


# --------------------------------------------------------------------------------------
# generated references
# --------------------------------------------------------------------------------------

def test_every_marker_is_generated():
    for page in pages():
        text = gen.render_file(page)
        assert "<!-- gen:" not in text, page


def test_unknown_marker_is_an_error():
    with pytest.raises(KeyError, match="unknown generated block"):
        gen.render("<!-- gen:no-such-block -->\n")


def test_fact_reference_lists_every_catalog_key():
    from govreport.catalog import fact_catalog

    text = gen.render_file("reference/facts.md")
    listed = re.findall(r"^\| `([a-z_.]+)` \|", text, re.M)
    assert len(listed) == len(set(listed)), "a key is listed twice"
    assert set(listed) == set(fact_catalog())
    for info in fact_catalog().values():
        assert info.label and info.unit and info.source and info.era, info


def _key_literals(path: Path) -> set[str]:
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                r"(?:proactive|requests|review|litigation\w*|legacy|fees|info_fee)"
                r"(?:\.[a-z_]+)+", node.value):
            keys.add(node.value)
    return keys


def test_catalog_prose_keys_are_the_keys_the_prose_extractor_names():
    from govreport.catalog import fact_catalog, prose_facts

    named = set().union(*(_key_literals(p) for p in (SRC / "extractors").glob("prose*.py")))
    prose = [i.key for i in prose_facts()]
    assert len(prose) == len(set(prose))
    assert named == set(prose)
    assert set(prose) <= set(fact_catalog())


def test_catalog_table_keys_match_the_fixture_generator():
    """The fixtures list the table keys independently of the extractors."""
    from govreport import fixtures
    from govreport.catalog import fact_catalog

    expected = set(fixtures.table4_keys())
    for variant in ("2019", "2021"):
        expected |= set(fixtures.table2_keys(variant)) | set(fixtures.table3_keys(variant))
    tables = {k for k, i in fact_catalog().items() if i.source.startswith("table ")}
    assert tables == expected


@pytest.mark.parametrize("era,variant", [("post2019", "2021"), ("post2019", "2019"),
                                         ("post2019", "mixed"), ("pre2019", "2021")])
def test_parsed_keys_are_in_the_catalog(era, variant):
    import govreport
    from govreport.catalog import fact_catalog
    from govreport.fixtures import default_spec, random_spec, render_text

    catalog = fact_catalog()
    for spec in (default_spec(era, variant), random_spec(3, era, variant)):
        report = govreport.parse(render_text(spec).encode("utf-8"))
        builtin = {k for k, p in report.provenance.items()
                   if p.get("extractor") in ("tables", "prose")}
        assert builtin and builtin <= set(catalog), builtin - set(catalog)


def _emitted_rules() -> set[str]:
    """Rules the code reports: Check("R", …), context.check("R", …), ("R", f"…", keys)."""
    rules = set()
    rule = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")
    for path in [*SRC.glob("checks/*.py"), *SRC.glob("extractors/*.py"), SRC / "pipeline.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            first = None
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ("Check", "check"):
                    first = node.args[0]
            elif isinstance(node, ast.Tuple) and len(node.elts) == 3 and isinstance(
                    node.elts[1], (ast.JoinedStr, ast.Constant)):
                first = node.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) \
                    and rule.fullmatch(first.value):
                rules.add(first.value)
    return rules


def test_every_check_rule_is_documented():
    from govreport.catalog import check_rules

    emitted = _emitted_rules()
    assert {"T3-BAL", "T3-SUM", "T3-ROW", "T4-SUM", "MISSING", "PLUGIN-ERROR"} <= emitted
    documented = check_rules()
    assert emitted <= set(documented), emitted - set(documented)
    text = gen.render_file("extracts.md")
    for rule in documented:
        assert f"| `{rule}` |" in text


def test_sections_reference_lists_every_section_key():
    from govreport.sections import SECTION_RULES

    text = gen.render_file("extracts.md")
    for key, _ in SECTION_RULES:
        assert f"| `{key}` |" in text


def test_error_table_lists_every_error():
    from govreport import errors

    text = gen.render_file("getting-started.md")
    for name, cls in vars(errors).items():
        if inspect.isclass(cls) and issubclass(cls, errors.GovReportError):
            assert f"| `{name}` | `{cls.code}` |" in text


def test_api_reference_lists_every_option():
    import dataclasses

    from govreport.options import Options

    text = gen.render_file("reference/api.md")
    for field in dataclasses.fields(Options):
        row = re.search(rf"^\| `{field.name}` \|.*\| (.+) \|$", text, re.M)
        assert row and row.group(1).strip(), f"Options.{field.name} needs a meaning"


def test_cli_reference_lists_every_command_and_option():
    from govreport.cli import build_parser

    text = gen.render_file("reference/cli.md")
    parser = build_parser()
    parsers = {"": parser, **gen._subparsers(parser)}
    assert {"parse", "sections", "plugins", "batch"} <= set(parsers)
    for name, sub in parsers.items():
        if name:
            assert f"## govreport {name}\n" in text
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}`" in text, f"govreport {name} {option}"


# --------------------------------------------------------------------------------------
# the site
# --------------------------------------------------------------------------------------

def test_mkdocs_build_strict(tmp_path):
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        pytest.importorskip(module, reason="the docs extra is not installed")
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "WARNING" not in run.stderr, run.stderr
    facts = (site / "reference" / "facts" / "index.html").read_text(encoding="utf-8")
    assert "requests.denied.process_info.natural_person" in facts
    cli = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "--dask-scheduler" in cli
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "govreport.parse" in api and "govreport_register_extractors" in api
    assert not re.search(r":(?:class|func|mod|data):<code>", api)
    html = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "fonts.googleapis.com" not in html, "the site must work offline"
