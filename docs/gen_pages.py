"""MkDocs hook: fill the generated parts of the docs from govreport's own code.

A page asks for generated content with a marker on a line of its own::

    <!-- gen:facts-all -->

and :func:`render` replaces it with Markdown built from the code at build time:

| marker | from |
|---|---|
| ``facts-all`` | every fact key: :func:`govreport.catalog.fact_catalog` (extractors' label tables) |
| ``facts-table2`` / ``facts-table3-rows`` / ``facts-table3-columns`` / ``facts-table4`` / ``facts-prose`` | the same catalog, in compact form |
| ``sections`` | :data:`govreport.sections.SECTION_RULES` |
| ``checks`` | the rule tables of the built-in check modules (:func:`govreport.catalog.check_rules`) |
| ``rates`` | the measures of ``govreport/data/rates.json`` (:func:`govreport.rates.measures`) |
| ``cross-checks`` | the built-in cross-report rules and thresholds (``govreport.crossyear_rules``) |
| ``options`` | the fields of :class:`govreport.Options` and the comments beside them |
| ``errors`` | the error classes of :mod:`govreport.errors` and their ``code`` |
| ``builtin-plugins`` | :data:`govreport.plugins.BUILTIN_PLUGINS` and what each registers |
| ``cli`` | the argparse parser of ``govreport.cli.build_parser()``, walked subcommand by subcommand |

An unknown marker is an error, so a typo cannot leave a page silently empty. The same
functions are used by ``tests/test_docs_site.py``, which checks that every key, rule and
CLI option the code has appears in the generated pages.

Other hook duties: drop ``:class:``-style Sphinx roles that mkdocstrings prints
literally, and, while ``docs/batch.md`` is not written yet, give the build a stand-in
page so that links to it resolve.
"""
from __future__ import annotations

import argparse
import re
from dataclasses import fields
from pathlib import Path
from typing import Callable

DOCS = Path(__file__).resolve().parent
MARKER = re.compile(r"^<!--\s*gen:([a-z0-9-]+)\s*-->\s*$", re.M)


_CODE_SPAN = re.compile(r"(`[^`]*`)")


def _esc(text: object) -> str:
    """Make text safe inside a Markdown table cell (a ``|`` inside a code span is safe)."""
    s = "" if text is None else str(text)
    s = s.replace("``", "`").replace("\n", " ")
    return "".join(part if part.startswith("`") else part.replace("|", "\\|")
                   for part in _CODE_SPAN.split(s))


def _table(head: list[str], rows: list[list[object]]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_esc(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# facts
# --------------------------------------------------------------------------------------

_SOURCE_TITLES = {
    "table 二": "Table 二 — proactive disclosure (post-2019)",
    "table 三": "Table 三 — requests and how they were answered (post-2019)",
    "table 四": "Table 四 — administrative review and litigation (post-2019)",
    "prose": "Prose — facts stated in sentences (any era)",
    "statistics table": "Statistics attachments — pre-2019 统计表 printed as text",
}


def _where(info) -> str:
    if info.variants:
        return f"{info.era}, variant {' & '.join(info.variants)}"
    return info.era


def facts_all() -> str:
    from govreport.catalog import TABLE_SOURCES, fact_catalog

    catalog = fact_catalog()
    parts = [f"{len(catalog)} keys. Columns: the key, the Chinese label it is read from "
             "(table row × column, or the phrasing of the sentence), the unit of its value, "
             "the era (and table variant) that prints it, and notes."]
    for source in TABLE_SOURCES:
        infos = [i for i in catalog.values() if i.source == source]
        if not infos:
            continue
        parts.append(f"### {_SOURCE_TITLES.get(source, source)}")
        rows = []
        for i in infos:
            note = i.note
            if i.also:
                note = "; ".join(x for x in (f"also from {', '.join(i.also)}", note) if x)
            rows.append([f"`{i.key}`", i.label, i.unit, _where(i), note])
        parts.append(_table(["key", "Chinese label", "unit", "era", "notes"], rows))
    return "\n\n".join(parts)


def facts_table2() -> str:
    from govreport.catalog import fact_catalog

    rows = [[f"`{i.key}`", i.label, i.unit, " & ".join(i.variants), i.note]
            for i in fact_catalog().values() if i.source == "table 二"]
    return _table(["key", "row × column", "unit", "variant", "notes"], rows)


def facts_table3_rows() -> str:
    from govreport.catalog import table3_rows

    rows = []
    for key, label, group, variants in table3_rows():
        printed = f"{group} {label}" if group and not label.startswith("（") else label
        rows.append([f"`{key}`", printed, " & ".join(variants)])
    return _table(["`<row>`", "row as printed", "variant"], rows)


def facts_table3_columns() -> str:
    from govreport.extractors import table_labels as L

    rows = [[f"`{c}`", L.T3_COLUMN_LABELS[c]] for c in L.T3_COLUMNS]
    return _table(["`<column>`", "column as printed (申请人情况)"], rows)


def facts_table4() -> str:
    from govreport.extractors import table_labels as L

    head = ["block"] + [f"`.{c}` {L.T4_COLUMN_LABELS[c]}" for c in L.T4_COLUMNS]
    rows = [[f"`{b}.*` {L.T4_BLOCK_LABELS[b]}"] + [f"`{b}.{c}`" for c in L.T4_COLUMNS]
            for b in L.T4_BLOCKS]
    return _table(head, rows)


def facts_prose() -> str:
    from govreport.catalog import prose_facts

    rows = [[f"`{i.key}`", i.label, i.unit, i.era, i.note] for i in prose_facts()]
    return _table(["key", "phrasing", "unit", "era", "notes"], rows)


# --------------------------------------------------------------------------------------
# sections, checks, plugins
# --------------------------------------------------------------------------------------

def sections() -> str:
    from govreport.catalog import section_catalog

    infos = sorted(section_catalog(), key=lambda s: (s.post2019_heading is None, 0))
    order = ["overview", "proactive", "requests", "review_litigation", "problems", "other"]
    infos.sort(key=lambda s: order.index(s.key) if s.key in order else len(order))
    rows = [[f"`{s.key}`", s.post2019_heading or "—", " · ".join(s.words)] for s in infos]
    return _table(["key", "post-2019 heading", "a heading containing any of these words"],
                  rows)


def checks() -> str:
    from govreport.catalog import check_rules

    rows = [[f"`{r.rule}`", r.description, ", ".join(f"`{m}`" for m in r.modules)]
            for r in check_rules().values()]
    return _table(["rule", "what must hold", "reported by"], rows)


def rates() -> str:
    from govreport.rates import measures

    def terms(ts) -> str:
        return " + ".join(f"`{t[1:]}`" if t.startswith("=") else f"`{t}`" for t in ts)

    rows = []
    for m in measures():
        if m.kind == "count":
            formula = "<br>".join(f"{f.era}: {terms(f.sum)}" for f in m.forms)
        else:
            formula = "<br>".join(f"{f.era}: ({terms(f.numerator)}) / ({terms(f.denominator)})"
                                  for f in m.forms)
        rows.append([f"`{m.name}`", f"{m.label_zh} — {m.label_en}", m.kind, formula,
                     "; ".join(m.caveats)])
    return _table(["measure", "meaning", "kind", "formula (era: terms)", "caveats"], rows)


def cross_checks() -> str:
    from govreport.crossyear import CrossOptions
    from govreport.crossyear_rules import BUILTIN_CHECKS, RULES

    rows = [[f"`{c.rule}`", RULES[c.rule], f"`{c.name}`"] for c in BUILTIN_CHECKS]
    out = _table(["rule", "what must hold", "batch check"], rows)
    opts = [[f"`{f.name}`", f"`{f.default}`"] for f in fields(CrossOptions)]
    return out + "\n\nThresholds (`CrossOptions`, `govreport crosscheck --jump-factor …`):\n\n" + \
        _table(["option", "default"], opts)


_ERROR_NOTES = {  # for error classes without a docstring
    "EmptyFileError": "The file has zero bytes.",
    "EncryptedError": "A password-protected PDF: pass `Options(password=...)` "
                      "(`--password` on the CLI).",
    "UnsupportedTypeError": "Not a document type govreport reads (an image, an archive, "
                            "a spreadsheet …).",
    "ParseTimeoutError": "The document ran past its time limit (`Options(timeout=...)`, "
                         "`--timeout`).",
    "PluginError": "A plugin could not be used. (A plugin that fails during a parse "
                   "becomes a `PLUGIN-ERROR` check instead.)",
}


def errors() -> str:
    import inspect

    from govreport import errors as E

    rows = []
    for name, cls in vars(E).items():
        if not (inspect.isclass(cls) and issubclass(cls, E.GovReportError)):
            continue
        doc = inspect.getdoc(cls) if cls.__doc__ else ""
        if cls is E.GovReportError:
            doc = doc.split("\n\n")[0]
        rows.append([f"`{name}`", f"`{cls.code}`", doc or _ERROR_NOTES.get(name, "")])
    return _table(["error", "`code`", "meaning"], rows)


_OPTION_NOTES = {  # for fields without a comment in the source
    "disabled_plugins": "plugin, extractor or check names to turn off (as "
                        "GOVREPORT_DISABLE_PLUGINS does)",
}


def options() -> str:
    """The fields of :class:`govreport.Options`, with the comments beside them in the source."""
    import dataclasses
    import inspect

    from govreport.options import Options

    notes: dict[str, str] = {}
    last = None
    for line in inspect.getsource(Options).splitlines():
        field = re.match(r"^\s{4}(\w+)\s*:[^#]*(?:#\s*(.*))?$", line)
        if field and not line.strip().startswith(("def ", "@")):
            last = field.group(1)
            notes[last] = (field.group(2) or "").strip()
            continue
        more = re.match(r"^\s+#\s*(.*)$", line)
        if more and last:
            notes[last] = f"{notes[last]} {more.group(1).strip()}".strip()
        else:
            last = None
    rows = []
    for f in dataclasses.fields(Options):
        if f.default is not dataclasses.MISSING:
            default = repr(f.default)
        elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            default = repr(f.default_factory())  # type: ignore[misc]
        else:
            default = ""
        meaning = notes.get(f.name) or _OPTION_NOTES.get(f.name, "")
        rows.append([f"`{f.name}`", f"`{f.type}`", f"`{default}`", meaning])
    return _table(["field", "type", "default", "meaning"], rows)


def builtin_plugins() -> str:
    from govreport.plugins import BUILTIN_PLUGINS, build_registry

    registry = build_registry(None, entry_points=False)
    by_name = {p.name: p for p in registry.plugins}
    rows = []
    for name in BUILTIN_PLUGINS:
        p = by_name.get(name)
        if p is None:
            rows.append([f"`{name}`", "", "", "not loaded"])
            continue
        rows.append([f"`{name}`", ", ".join(p.extractors), ", ".join(p.checks),
                     p.error or ""])
    return _table(["module", "extractors", "checks", "error"], rows)


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------

def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _sub_help(parser: argparse.ArgumentParser) -> dict[str, str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {a.dest: a.help or "" for a in action._choices_actions}
    return {}


def _help_text(action: argparse.Action, prog: str) -> str:
    text = action.help or ""
    if "%" in text:
        try:
            text = text % {**vars(action), "prog": prog, "default": action.default}
        except (KeyError, TypeError, ValueError):
            pass
    return text


# Positional arguments that have no help text in the parser.
_POSITIONAL_NOTES = {
    "file": "the report: a PDF, HTML, Word (.docx), Markdown or text file",
}


def _arguments(parser: argparse.ArgumentParser) -> str:
    rows = []
    for a in parser._actions:
        if isinstance(a, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if a.option_strings:
            name = ", ".join(f"`{o}`" for o in a.option_strings)
            if a.nargs != 0:
                name += f" `{a.metavar or a.dest.upper()}`"
        else:
            name = f"`{a.metavar or a.dest}`" + (" …" if a.nargs in ("+", "*") else "")
        default = ""
        if a.option_strings and a.nargs != 0 and a.default not in (None, argparse.SUPPRESS):
            default = f"`{a.default}`"
        required = "yes" if (a.required or not a.option_strings) else ""
        meaning = _help_text(a, parser.prog) or _POSITIONAL_NOTES.get(a.dest, "")
        rows.append([name, meaning, default, required])
    return _table(["argument", "meaning", "default", "required"], rows) if rows else ""


def _usage(parser: argparse.ArgumentParser) -> str:
    usage = parser.format_usage().strip()
    usage = re.sub(r"^usage:\s*", "", usage)
    return "```text\n" + usage + "\n```"


def cli() -> str:
    import inspect

    from govreport import cli as cli_module
    from govreport.plugins import DISABLE_ENV, PLUGINS_DIR_ENV

    parser = cli_module.build_parser()
    parser.prog = "govreport"
    subs = _subparsers(parser)
    helps = _sub_help(parser)
    parts = [_usage(parser), parser.description or "",
             "### Global options\n\nThey come before the command "
             "(`govreport --plugins-dir DIR parse report.pdf`).",
             _arguments(parser)]
    parts.append("### Commands\n\n" + _table(
        ["command", "what it does"], [[f"[`{n}`](#govreport-{n})", helps.get(n, "")]
                                      for n in subs]))
    for name, sub in subs.items():
        parts.append(f"## govreport {name}")
        line = helps.get(name, "").rstrip(".")
        parts.append(line[:1].upper() + line[1:] + ".")
        if sub.description and sub.description != helps.get(name):
            parts.append(sub.description)
        parts.append(_usage(sub))
        parts.append(_arguments(sub))
        module = inspect.getmodule(sub._defaults.get("func")) if sub._defaults.get("func") \
            else None
        if module is not None and module is not cli_module and module.__doc__:
            doc = inspect.cleandoc(module.__doc__)
            notes = [p for p in doc.split("\n\n")[1:] if not p.startswith("    ")]
            if notes:
                parts.append("\n\n".join(notes))
    env = _table(["variable", "meaning"], [
        [f"`{PLUGINS_DIR_ENV}`", "default of `--plugins-dir`"],
        [f"`{DISABLE_ENV}`", "comma-separated plugin, extractor or check names to turn off"],
    ])
    parts.append("## Environment\n\n" + env)
    exit_codes = _table(["status", "meaning"], [
        ["`0`", "success"],
        ["`1`", "an internal error (a bug: rerun with `--debug`); `batch`: some input failed"],
        [f"`{cli_module.EXIT_INPUT_ERROR}`",
         "an input error (one line on stderr naming the file and the reason); "
         "`batch`: a usage problem"],
        ["`130`", "interrupted"],
    ])
    parts.append("## Exit status\n\n" + exit_codes)
    return "\n\n".join(p for p in parts if p)


# --------------------------------------------------------------------------------------
# rendering
# --------------------------------------------------------------------------------------

def crosswalk() -> str:
    from govreport.research import crosswalk as rows

    return _table(["indicator", "中文", "unit", "era", "keys (+ = sum)", "caveat"],
                  [[f"`{m.indicator}`", m.label_zh, m.unit, m.era,
                    " + ".join(f"`{k}`" for k in m.keys), m.caveat] for m in rows()])


GENERATORS: dict[str, Callable[[], str]] = {
    "facts-all": facts_all,
    "facts-table2": facts_table2,
    "facts-table3-rows": facts_table3_rows,
    "facts-table3-columns": facts_table3_columns,
    "facts-table4": facts_table4,
    "facts-prose": facts_prose,
    "sections": sections,
    "checks": checks,
    "rates": rates,
    "cross-checks": cross_checks,
    "builtin-plugins": builtin_plugins,
    "errors": errors,
    "options": options,
    "cli": cli,
    "crosswalk": crosswalk,
}


def render(markdown: str, where: str = "<page>") -> str:
    """Replace every ``<!-- gen:NAME -->`` line by what ``GENERATORS[NAME]`` makes."""
    def one(m: re.Match) -> str:
        name = m.group(1)
        if name not in GENERATORS:
            raise KeyError(f"{where}: unknown generated block {name!r} "
                           f"(known: {', '.join(GENERATORS)})")
        return GENERATORS[name]().strip() + "\n"
    return MARKER.sub(one, markdown)


def render_file(name: str) -> str:
    """The Markdown of ``docs/<name>`` with its generated blocks filled in."""
    return render((DOCS / name).read_text(encoding="utf-8"), name)


# --------------------------------------------------------------------------------------
# MkDocs hook events
# --------------------------------------------------------------------------------------

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|ref):(?=<code>|<a )")

_BATCH_STAND_IN = """# Batch runs

*The batch guide (`docs/batch.md`) is not written yet.* Until it is: the
[CLI reference](reference/cli.md#govreport-batch) lists every option of `govreport batch`,
the [cookbook](cookbook.md) shows a batch run and its outputs, and the
[API reference](reference/api.md#govreport.batch.parse_many) documents `parse_many`.
"""


def on_files(files, config):
    """Stand in for docs/batch.md while it does not exist, so links to it resolve."""
    from mkdocs.structure.files import File

    if files.get_file_from_path("batch.md") is None:
        files.append(File.generated(config, "batch.md", content=_BATCH_STAND_IN))
    return files


def on_page_markdown(markdown, page, config, files):
    return render(markdown, page.file.src_uri)


def on_page_content(html, page, config, files):
    return _ROLE.sub("", html)
