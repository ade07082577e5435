"""The plugin contract: every hook govreport calls, each prefixed ``govreport_``.

Built-in extractors and checks register through exactly these hooks, like any third-party
plugin. Hooks are called with keyword arguments, so an implementation may accept fewer
arguments than the spec names and keep working when a hook grows a new argument.

Every hook here has a docstring and a section in ``docs/plugins.md`` (a test fails when
one is missing). Bump ``PLUGIN_API_VERSION`` when a hook changes incompatibly, and raise
``MIN_PLUGIN_API_VERSION`` only when plugins written for an older API can no longer work.
"""
from __future__ import annotations

import pluggy

PROJECT_NAME = "govreport"
#: The plugin API this govreport offers (see ``govreport_requires_api``).
PLUGIN_API_VERSION = 1
#: The oldest plugin API this govreport still serves.
MIN_PLUGIN_API_VERSION = 1

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def govreport_register_extractors(register):
    """Register fact extractors by calling ``register(extractor)`` once per extractor.

    An extractor is any object with:

    - ``name`` (str): recorded in every fact's provenance as ``extractor``;
    - ``sections``: an iterable of SCHEMA §2 section keys it reads (``"preamble"`` is the
      text before the first heading), or ``"*"`` for every section;
    - ``extract(section, context)``: called once per matching section, in report order;
      yields facts made with ``context.fact(key, value, span=(start, end))`` (or
      ``text=``/``table=``/``row=``/``col=`` for table cells) and, optionally, checks made
      with ``context.check(rule, message, keys)``.

    Extractors run in registration order: built-ins first, then entry-point plugins,
    then the plugins directory. The first extractor to state a key keeps it. An extractor
    that raises becomes a ``PLUGIN-ERROR`` warning in the report's checks; the parse and
    every other extractor go on. Register instances, not classes.
    """


@hookspec
def govreport_register_checks(register):
    """Register validators by calling ``register(check)`` once per validator.

    A validator is any object with ``name`` (str) and ``check(report)``, called once per
    report after all extractors have run; it yields ``govreport.model.Check`` findings
    (``Check(rule, severity, keys, message)``). Validators read the report and never
    change its values: a failed check is a finding about the report, not a parse error.
    A validator that raises becomes a ``PLUGIN-ERROR`` warning.
    """


@hookspec
def govreport_register_batch_checks(register):
    """Register checks over many reports by calling ``register(check)`` once per check.

    A batch check is any object with ``name`` (str) and ``check(batch)``, called once per
    run of the cross-report checks (``govreport.crossyear.run_checks``, ``govreport
    crosscheck``, the end of ``govreport batch``) with a ``govreport.crossyear.Batch``:
    ``batch.records`` (every report's JSON object, as in reports.jsonl), ``batch.offices``
    (office -> its records sorted by year), ``batch.options`` (the thresholds) and
    ``batch.finding(rule, records, message, values=..., keys=...)``, which makes a
    ``CrossCheck`` naming each report by path and year. It yields those findings and never
    changes a record. A batch check that raises becomes a ``PLUGIN-ERROR`` finding; the
    other checks go on.
    """


@hookspec
def govreport_report_extras(report):
    """Return a JSON-serialisable dict of derived data for ``report.plugins[<plugin name>]``.

    Called once per parsed report after extractors and checks, with the finished
    ``govreport.model.Report``. Return ``None`` to add nothing. Use it for derived figures
    (rates, ratios) that are not facts printed in the report. Keep the dict flat
    (``{"field": number-or-str-or-None}``): batch output writes each field as a CSV column
    ``plugins.<plugin name>.<field>``. A plugin that raises here becomes a ``PLUGIN-ERROR``
    warning; the report is still returned.
    """


@hookspec
def govreport_requires_api():
    """Return the ``PLUGIN_API_VERSION`` this plugin was written for (an int).

    Called once when the plugin loads. A plugin that needs a newer API than the running
    govreport offers (or one older than ``MIN_PLUGIN_API_VERSION``) is listed by
    ``govreport plugins`` with an ``error`` and not used, instead of failing in the middle
    of a parse. Return ``None`` (or leave the hook out) to accept any API.
    """


@hookspec
def govreport_register_readers(register):
    """Register readers (bytes -> ``Document``) by calling ``register(reader)`` per reader.

    A reader is any object with:

    - ``name`` (str) and ``kinds``: the sniffed kinds it reads (``"pdf"``, ``"docx"``,
      ``"ofd"``, ``"ole"``, ``"rtf"``, ``"xlsx"``, ``"image"``, ``"html"``, ``"text"``;
      see ``govreport.readers.sniff``), or ``"*"`` for any;
    - ``read(data, path, sha256, options)``: returns a ``govreport.model.Document``
      (pages of text, table grids, character boxes where known) or raises a
      ``GovReportError``;
    - optionally ``order`` (int, default 500; lower is tried first — built-ins use 100
      for PDF/DOCX/OFD, 200 for legacy Office, 300 for HTML, 900 for plain text),
      ``recognise(data, path)`` (bool: a finer test on the bytes), ``description``, and
      ``complete(document, data, options)``: fill in the pages another reader left
      without a usable text layer (``document.pages_without_text``), e.g. by OCR.

    For a file, readers whose kinds match and that recognise the bytes are tried in
    order. ``NoTextLayerError``, ``LowTextQualityError`` and ``UnsupportedTypeError`` pass
    the file to the next reader; any other ``GovReportError`` is the answer. A reader
    that raises anything else is skipped with a warning on the document — a broken reader
    never breaks other formats.
    """
