"""The plugin contract: every hook govreport calls, each prefixed ``govreport_``.

Built-in extractors and checks register through exactly these hooks, like any third-party
plugin. Hooks are called with keyword arguments, so an implementation may accept fewer
arguments than the spec names and keep working when a hook grows a new argument.
Bump ``PLUGIN_API_VERSION`` only when a hook changes incompatibly.
"""
from __future__ import annotations

import pluggy

PROJECT_NAME = "govreport"
PLUGIN_API_VERSION = 1

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def govreport_register_extractors(register):
    """Register fact extractors by calling ``register(extractor)`` once per extractor.

    An extractor is any object with ``name`` (str), ``sections`` (iterable of SCHEMA §2
    section keys it reads, or ``"*"`` for all) and ``extract(section, context)`` which
    yields facts made with ``context.fact(key, value, text=...)``. It is called once per
    matching section, in report order.
    """


@hookspec
def govreport_register_checks(register):
    """Register validators by calling ``register(check)`` once per validator.

    A validator is any object with ``name`` (str) and ``check(report)``, called after all
    extractors have run; it yields ``govreport.model.Check`` findings. Validators read the
    report and never change its values: a failed check is a finding about the report.
    """


@hookspec
def govreport_report_extras(report):
    """Return a JSON-serialisable dict of derived data for ``report.plugins[<plugin name>]``.

    Called once per parsed report after extractors and checks. Return ``None`` to add
    nothing. Use it for derived figures (rates, ratios) that are not facts printed in the
    report.
    """


@hookspec
def govreport_requires_api():
    """Return the ``PLUGIN_API_VERSION`` this plugin was written for.

    A plugin that needs a newer API than the running govreport is listed with an error
    and not used, instead of failing in the middle of a parse.
    """
