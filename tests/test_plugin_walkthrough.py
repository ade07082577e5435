"""docs/plugins.md followed literally, as a newcomer would: the module from steps 1 and 3,
the test file of step 5 next to it, the pyproject of step 6, installed with ``pip install
-e .`` into a fresh virtualenv (offline: ``--no-index --no-deps``; govreport and its
dependencies come from this test run's environment), then listed by ``govreport
plugins``, run by ``govreport parse`` and tested by its own tests."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from govreport.testing import make_report

DOC = Path(__file__).resolve().parents[1] / "docs" / "plugins.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def _steps() -> dict[str, list[tuple[str, str]]]:
    """The code blocks of each "### N." step of the walkthrough: {"1": [(lang, code)], …}."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## Write your first extractor")
    end = text.index("\n## ", start + 3)
    out: dict[str, list[tuple[str, str]]] = {}
    for part in re.split(r"^### ", text[start:end], flags=re.M)[1:]:
        out[part.split(".", 1)[0]] = FENCE.findall(part)
    return out


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, f"{' '.join(args)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


def test_the_walkthrough_in_a_fresh_venv(tmp_path):
    steps = _steps()
    assert "govreport[test]" in DOC.read_text(encoding="utf-8")  # the page says what to install
    project = tmp_path / "govreport-training"
    project.mkdir()
    # "Save steps 1 and 3 as govreport_training.py"
    module = "\n\n".join(code for lang, code in steps["1"] + steps["3"] if lang == "python")
    (project / "govreport_training.py").write_text(module, encoding="utf-8")
    # step 5: the tests, in a file next to the module
    tests = [code for lang, code in steps["5"] if lang == "python"]
    (project / "test_training.py").write_text(tests[0], encoding="utf-8")
    # step 6: the pyproject as printed
    toml = [code for lang, code in steps["6"] if lang == "toml"][0]
    (project / "pyproject.toml").write_text(toml, encoding="utf-8")

    # a fresh virtualenv that sees this environment's packages (govreport, pytest …)
    fresh = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(fresh)
    python = fresh / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    parent = sysconfig.get_paths()["purelib"]
    # addsitedir also runs the parent's .pth files (govreport's editable install is one)
    Path(site, "_parent_env.pth").write_text(f"import site; site.addsitedir({parent!r})\n",
                                             encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVREPORT_", "PYTHON"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    # step 6: pip install -e . (offline)
    _run([str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps",
          "--no-build-isolation", "-e", "."], project, env)
    # govreport plugins lists it, with its extractor
    listed = json.loads(_run([str(python), "-m", "govreport.cli", "plugins"], tmp_path, env).stdout)
    mine = [p for p in listed["plugins"] if p["name"] == "govreport-training"]
    assert mine and mine[0]["error"] is None and mine[0]["extractors"] == ["training"]
    assert "training" in listed["extractors"]
    # govreport parse emits its fact
    report = make_report(tmp_path / "r", sections={"other": "本年度组织政务公开业务培训4次。"}, kind="text")
    parsed = json.loads(_run([str(python), "-m", "govreport.cli", "parse", "--json", str(report.path)],
                             tmp_path, env).stdout)
    assert parsed["facts"]["training.sessions"] == 4
    assert parsed["provenance"]["training.sessions"]["extractor"] == "training"
    # and its own tests pass
    out = _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_training.py"],
               project, env).stdout
    assert re.search(r"\b2 passed\b", out), out


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("the walkthrough test uses a POSIX virtualenv layout")
