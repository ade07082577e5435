"""A ``parse``/``sections``/``plugins`` command line builds only those commands' parsers
(the others import the batch, view and comparison modules): it must parse, help and fail
exactly as the full parser does."""
from __future__ import annotations

import subprocess
import sys

import pytest

from govreport.cli import BASE_COMMANDS, build_parser, runs_base_command

_ARGVS = [
    ["parse", "x.pdf"],
    ["parse", "x.pdf", "--json", "--pretty", "-v", "--max-bytes", "10MiB", "--timeout", "none"],
    ["--debug", "parse", "x.pdf", "--pdf-engine", "pdfminer"],
    ["--plugins-dir", "plugs", "sections", "x.md", "--width", "40"],
    ["--plugins-dir=plugs", "--debug", "plugins"],
    ["parse"],  # missing file
    ["parse", "x.pdf", "--max-pages", "many"],  # bad value
    ["parse", "x.pdf", "--pdf-engine", "other"],
    ["parse", "--help"],
    ["sections", "-h"],
    ["plugins", "--bogus"],
]


def _run(parser, argv, capsys):
    try:
        result = vars(parser.parse_args(argv))
    except SystemExit as exc:
        result = ("exit", exc.code)
    out = capsys.readouterr()
    return result, out.out, out.err


@pytest.mark.parametrize("argv", _ARGVS, ids=lambda a: " ".join(a))
def test_base_parser_acts_as_the_full_one(argv, capsys):
    assert runs_base_command(argv)
    assert _run(build_parser(all_commands=False), argv, capsys) == \
        _run(build_parser(), argv, capsys)


@pytest.mark.parametrize("argv", [
    [], ["--help"], ["-h", "parse", "x"], ["--version"], ["batch", "in", "-o", "out"],
    ["view", "x.pdf"], ["--plugins-dir"], ["--plugins-dir", "parse", "x"], ["--plug", "d", "parse", "x"],
    ["--debu", "parse", "x"], ["x.pdf"],
])
def test_anything_else_takes_the_full_parser(argv):
    assert not runs_base_command(argv)


def test_base_commands_exist_in_the_full_parser():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(BASE_COMMANDS) <= set(sub.choices)


def test_a_parse_does_not_import_the_other_commands(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("2023年政府信息公开工作年度报告\n一、总体情况\n本机关主动公开信息12条。\n",
                    encoding="utf-8")
    code = ("import sys; from govreport.cli import main; main(['parse', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.startswith(('govreport.batch', "
            "'govreport.view', 'govreport.comparison_cli'))), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True)
    assert out.stderr.strip() == "[]"
