"""docs/plugins.md is complete and true: every hook documented, every code block runs."""
from __future__ import annotations

import inspect
import re
import sys
import types
from pathlib import Path

import pytest

from govreport import hookspecs
from govreport.plugins import build_registry

DOCS = Path(__file__).resolve().parents[1] / "docs" / "plugins.md"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.M | re.S)
# The walkthrough's plugin module: "Save steps 1 and 3 as govreport_training.py".
WALKTHROUGH_MODULE = "govreport_training"


def hook_specs() -> dict[str, object]:
    marker = hookspecs.PROJECT_NAME + "_spec"
    return {name: fn for name, fn in vars(hookspecs).items()
            if callable(fn) and hasattr(fn, marker)}


def docs_text() -> str:
    return DOCS.read_text(encoding="utf-8")


def python_blocks() -> list[tuple[int, str]]:
    text = docs_text()
    return [(text.count("\n", 0, m.start()) + 2, m.group(2))
            for m in FENCE.finditer(text) if m.group(1) == "python"]


def test_there_are_hooks():
    specs = hook_specs()
    assert {"govreport_register_extractors", "govreport_register_checks",
            "govreport_report_extras", "govreport_requires_api"} <= set(specs)
    pm = build_registry(builtins=False, entry_points=False).pm
    assert set(specs) == {n for n in vars(pm.hook) if not n.startswith("_")}


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_every_hook_has_a_docstring(name):
    doc = inspect.getdoc(hook_specs()[name])
    assert doc and len(doc.split()) >= 10, f"hook {name} needs a docstring that explains it"


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_every_hook_has_a_docs_section_with_its_signature(name):
    signature = f"{name}{inspect.signature(hook_specs()[name])}"
    headings = re.findall(r"^### `([^`]+)`", docs_text(), re.M)
    assert signature in headings, (
        f"docs/plugins.md needs a section '### `{signature}`' (found {headings})")
    body = docs_text().split(f"### `{signature}`", 1)[1].split("\n### ", 1)[0]
    assert len(body.split()) >= 20, f"the docs section of {name} is too thin"


def test_docs_document_no_hook_that_does_not_exist():
    documented = {h.split("(", 1)[0] for h in re.findall(r"^### `(govreport_[^`]+)`",
                                                        docs_text(), re.M)}
    assert documented == set(hook_specs())


def test_walkthrough_is_there():
    text = docs_text()
    assert "## Write your first extractor" in text and "## Hook reference" in text
    assert len(python_blocks()) >= 6


def test_python_blocks_run(request, monkeypatch, tmp_path):
    """Run every ```python block in order, in one module (the walkthrough's plugin),
    then the test functions the docs define, with the real pytest fixtures."""
    pytest.importorskip("reportlab")
    monkeypatch.chdir(tmp_path)
    module = types.ModuleType(WALKTHROUGH_MODULE)
    module.__file__ = str(DOCS)
    monkeypatch.setitem(sys.modules, WALKTHROUGH_MODULE, module)
    for line, code in python_blocks():
        exec(compile("\n" * (line - 1) + code, str(DOCS), "exec"), module.__dict__)
    tests = {n: f for n, f in vars(module).items() if n.startswith("test_") and callable(f)}
    assert tests, "the docs show pytest tests; none were found"
    for func in tests.values():
        args = {p: request.getfixturevalue(p) for p in inspect.signature(func).parameters}
        func(**args)
