"""Plugin loading: built-ins, entry points and a plugins directory, each in isolation.

One plugin that fails to import, raises while registering, or asks for a plugin API this
govreport does not offer is recorded with its error and skipped; every other plugin and
every command keep working (llm's lesson). Built-in extractors are plugins listed by
module name and go through the same hooks as third-party ones.

Where plugins come from, in the order they are loaded (and their extractors run):

1. built-ins — the modules in ``BUILTIN_PLUGINS``;
2. entry points in the group ``govreport`` of installed distributions (plugin name = the
   entry point's name);
3. ``*.py`` files in a plugins directory (``--plugins-dir`` / ``GOVREPORT_PLUGINS_DIR``;
   plugin name = the file's stem).

``GOVREPORT_DISABLE_PLUGINS=a,b`` (or ``Options(disabled_plugins=...)``) turns off plugins
by name — before they are imported — and single extractors or checks by their ``name``.

Like pytest, a function whose name starts with ``govreport_`` is a hook implementation even
without the ``@hookimpl`` marker, so a misspelled hook name is always reported (pluggy's
``check_pending``) instead of being silently ignored.
"""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .isolation import PLUGIN_FAILURES, describe, name_of

BUILTIN_PLUGINS = (
    "govreport.readers.builtin",
    "govreport.extractors.tables",
    "govreport.extractors.prose",
    "govreport.extractors.narrative",
    "govreport.checks.tables",
    "govreport.checks.prose",
    "govreport.crossyear_rules",
)

ENTRY_POINT_GROUP = "govreport"
PLUGINS_DIR_ENV = "GOVREPORT_PLUGINS_DIR"
DISABLE_ENV = "GOVREPORT_DISABLE_PLUGINS"
HOOK_PREFIX = "govreport_"

ORIGIN_BUILTIN = "builtin"
ORIGIN_ENTRY_POINT = "entry_point"
ORIGIN_PLUGINS_DIR = "plugins_dir"
ORIGIN_OBJECT = "object"  # passed to build_registry(plugins=...) by code, e.g. a test


@dataclass
class PluginInfo:
    """What ``govreport plugins`` lists for one plugin.

    ``error`` is set when the plugin is not in use (failed to import, to register, or to
    run a registration hook; needs another plugin API). ``warnings`` are problems of a
    plugin that is still in use (a misspelled hook, an object it registered and that was
    refused).
    """

    name: str
    origin: str  # "builtin" | "entry_point" | "plugins_dir"
    version: str | None = None
    hooks: list[str] = field(default_factory=list)
    error: str | None = None
    location: str | None = None
    requires_api: int | None = None
    extractors: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    readers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "origin": self.origin,
                "location": self.location, "hooks": list(self.hooks),
                "requires_api": self.requires_api, "extractors": list(self.extractors),
                "checks": list(self.checks), "readers": list(self.readers),
                "warnings": list(self.warnings),
                "error": self.error}


@dataclass
class Registry:
    """The loaded plugin manager and everything registered through its hooks.

    The pipeline uses only this typed facade (``extractors``, ``validators``,
    ``readers``, ``extras_impls()``, ``warnings``), never ``pm.hook.*`` directly.
    ``readers`` are in the order they are tried (``order``, then load order).
    """

    pm: pluggy.PluginManager
    plugins: list[PluginInfo]
    extractors: list[Any]
    validators: list[Any]
    warnings: list[str]
    disabled: frozenset[str] = frozenset()
    readers: list[Any] = field(default_factory=list)
    batch_checks: list[Any] = field(default_factory=list)  # govreport_register_batch_checks

    def plugin(self, name: str) -> PluginInfo | None:
        """The listing of the plugin called ``name`` (None if it is not listed)."""
        return next((p for p in self.plugins if p.name == name), None)

    def extras_impls(self) -> list[tuple[str, Callable[..., Any]]]:
        """(plugin name, function) for each ``govreport_report_extras`` implementation.

        Each function is called with keyword arguments (``func(report=report)``) and
        passes an implementation only the arguments it declares.
        """
        return [(impl.plugin_name, _caller_for(impl))
                for impl in _call_order(self.pm.hook.govreport_report_extras)]


def _call_order(caller: Any) -> list[Any]:
    """Implementations of a hook in the order govreport calls them.

    Registration order (built-ins, then entry points, then the plugins directory), with
    ``tryfirst`` implementations moved to the front and ``trylast`` ones to the back.
    (pluggy itself calls the last registered first; for collecting extractors we want
    built-ins first, so their facts win over a plugin's for the same key.)
    """
    impls = [i for i in caller.get_hookimpls() if not (i.hookwrapper or i.wrapper)]
    first = [i for i in impls if i.tryfirst]
    last = [i for i in impls if i.trylast and not i.tryfirst]
    middle = [i for i in impls if not i.tryfirst and not i.trylast]
    return first + middle + last


def _caller_for(impl: Any) -> Callable[..., Any]:
    def call(**kwargs: Any) -> Any:
        return impl.function(*[kwargs[name] for name in impl.argnames])

    call.__name__ = getattr(impl.function, "__name__", "hookimpl")
    return call


class _PluginManager(pluggy.PluginManager):
    """pluggy's manager, also taking unmarked ``govreport_*`` functions as hookimpls."""

    def parse_hookimpl_opts(self, plugin: Any, name: str):
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is not None or not name.startswith(HOOK_PREFIX):
            return opts
        try:
            attr = inspect.getattr_static(plugin, name)
        except AttributeError:
            return None
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if inspect.isfunction(attr) or inspect.ismethod(attr) or inspect.isbuiltin(attr):
            return {}
        return None


def parse_disabled(raw: str | Iterable[str] | None) -> set[str]:
    """``"a, b"`` or ``["a", "b"]`` -> ``{"a", "b"}``."""
    if raw is None:
        return set()
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    return {str(p).strip() for p in parts if str(p).strip()}


def _disabled_from_env() -> set[str]:
    return parse_disabled(os.environ.get(DISABLE_ENV, ""))


def _short_error(exc: BaseException) -> str:
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    if len(text) > 400:
        text = text[:399] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _dist_version(dist: Any) -> str | None:
    if dist is None:
        return None
    try:
        return dist.version
    except Exception:
        return None


def import_file(module_name: str, path: str | os.PathLike[str]) -> Any:
    """Import the Python file ``path`` as ``module_name`` (left out of ``sys.modules`` if
    it fails), for plugins-dir plugins and batch parse functions given as ``file.py:func``."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


class _Loader:
    def __init__(self, disabled: set[str]):
        self.pm = _PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self.warnings: list[str] = []
        self.disabled = disabled
        self.register_failed: set[str] = set()

    # -- bookkeeping -----------------------------------------------------------------
    def _info(self, name: str) -> PluginInfo | None:
        return next((i for i in self.infos if i.name == name), None)

    def _failed(self, info: PluginInfo, error: str, verb: str = "failed to load") -> None:
        info.error = error
        if info not in self.infos:
            self.infos.append(info)
        self.warnings.append(f"plugin {info.name} {verb}: {error}")

    def _plugin_warning(self, plugin_name: str, message: str) -> None:
        self.warnings.append(message)
        info = self._info(plugin_name)
        if info is not None:
            info.warnings.append(message)

    # -- registration ----------------------------------------------------------------
    def _register(self, plugin: Any, info: PluginInfo) -> None:
        taken = self._info(info.name)
        if taken is not None or self.pm.has_plugin(info.name):
            where = f" ({taken.origin} {taken.location})" if taken is not None else ""
            self._failed(PluginInfo(info.name, info.origin, info.version, location=info.location),
                         f"the name {info.name!r} is taken by another plugin{where}",
                         "not loaded")
            return
        try:
            self.pm.register(plugin, name=info.name)
        except Exception as exc:  # a malformed hookimpl (an argument no hook has, …)
            self._failed(info, _short_error(exc), "not loaded")
            return
        info.hooks = sorted(h.name for h in (self.pm.get_hookcallers(plugin) or []))
        error = self._check_api(plugin, info)
        if error:
            self.pm.unregister(plugin)
            self._failed(info, error, "not loaded")
            return
        self.infos.append(info)

    def _check_api(self, plugin: Any, info: PluginInfo) -> str | None:
        impls = [i for i in self.pm.hook.govreport_requires_api.get_hookimpls()
                 if i.plugin is plugin]
        if not impls:
            return None
        try:
            wanted: Any = impls[0].function()
        except Exception as exc:
            return f"govreport_requires_api raised {_short_error(exc)}"
        if wanted is None:
            return None
        try:
            wanted = int(wanted)
        except (TypeError, ValueError):
            return f"govreport_requires_api returned {wanted!r}, not an int"
        info.requires_api = wanted
        if wanted > hookspecs.PLUGIN_API_VERSION:
            return (f"needs plugin API {wanted}, this govreport offers "
                    f"{hookspecs.PLUGIN_API_VERSION} (upgrade govreport)")
        if wanted < hookspecs.MIN_PLUGIN_API_VERSION:
            return (f"written for plugin API {wanted}, this govreport supports "
                    f"{hookspecs.MIN_PLUGIN_API_VERSION}..{hookspecs.PLUGIN_API_VERSION} "
                    f"(upgrade the plugin)")
        return None

    # -- sources ---------------------------------------------------------------------
    def load_builtins(self) -> None:
        from . import __version__

        for modname in BUILTIN_PLUGINS:
            if modname in self.disabled:
                continue
            info = PluginInfo(name=modname, origin=ORIGIN_BUILTIN, version=__version__,
                              location=modname)
            try:
                module = importlib.import_module(modname)
            except ModuleNotFoundError as exc:
                if exc.name == modname or (exc.name and modname.startswith(exc.name + ".")):
                    continue  # a built-in not shipped in this build
                self._failed(info, _short_error(exc))
                continue
            except Exception as exc:
                self._failed(info, _short_error(exc))
                continue
            self._register(module, info)

    def load_entry_points(self) -> None:
        from importlib.metadata import entry_points

        try:
            eps = entry_points(group=ENTRY_POINT_GROUP)
        except Exception as exc:  # broken metadata must not stop the parse
            self.warnings.append(f"could not list entry points: {_short_error(exc)}")
            return
        seen: set[tuple[str, str]] = set()
        for ep in sorted(eps, key=lambda e: e.name):
            if (ep.name, ep.value) in seen:  # the same distribution found twice on sys.path
                continue
            seen.add((ep.name, ep.value))
            if ep.name in self.disabled:
                continue
            info = PluginInfo(name=ep.name, origin=ORIGIN_ENTRY_POINT,
                              version=_dist_version(getattr(ep, "dist", None)),
                              location=ep.value)
            try:
                plugin = ep.load()
            except (Exception, SystemExit) as exc:
                self._failed(info, _short_error(exc))
                continue
            self._register(plugin, info)

    def load_dir(self, directory: str | os.PathLike[str]) -> None:
        path = Path(directory)
        if not path.is_dir():
            self.warnings.append(f"plugins directory {path} does not exist")
            return
        for file in sorted(path.glob("*.py")):
            name = file.stem
            if name in self.disabled or name.startswith("_"):
                continue
            info = PluginInfo(name=name, origin=ORIGIN_PLUGINS_DIR, location=str(file))
            modname = f"govreport_plugins_dir.{name}"
            try:
                module = import_file(modname, file)
            except (Exception, SystemExit) as exc:  # SystemExit must not end a batch
                self._failed(info, _short_error(exc))
                continue
            version = getattr(module, "__version__", None)
            info.version = str(version) if version is not None else None
            self._register(module, info)

    def load_objects(self, plugins: Iterable[Any]) -> None:
        """Register plugin objects passed in by code (tests, notebooks): a module or any
        object with hook implementations, or a ``(name, plugin)`` pair."""
        for item in plugins:
            name, plugin = item if isinstance(item, tuple) else (_object_name(item), item)
            if name in self.disabled:
                continue
            version = getattr(plugin, "__version__", None)
            info = PluginInfo(name=name, origin=ORIGIN_OBJECT,
                              version=str(version) if version is not None else None,
                              location=getattr(plugin, "__name__", None) or type(plugin).__name__)
            self._register(plugin, info)

    # -- after loading ---------------------------------------------------------------
    def check_pending(self) -> None:
        """Report hook implementations whose name matches no hook (a misspelling)."""
        known = sorted(n for n in dir(hookspecs) if n.startswith(HOOK_PREFIX))
        for name, caller in sorted(vars(self.pm.hook).items()):
            if name.startswith("_") or not isinstance(caller, pluggy.HookCaller):
                continue
            if caller.spec is not None:
                continue
            for impl in caller.get_hookimpls():
                if impl.optionalhook:
                    continue
                hint = _closest(name, known)
                msg = (f"plugin {impl.plugin_name}: {name} is not a govreport hook"
                       + (f" (did you mean {hint}?)" if hint else "")
                       + f"; hooks are {', '.join(known)}")
                self._plugin_warning(impl.plugin_name, msg)

    def collect(self, hook_name: str, kind: str) -> list[Any]:
        """Call one register-style hook per implementation, isolating each plugin."""
        found: list[Any] = []
        caller = getattr(self.pm.hook, hook_name)
        method = _METHODS[kind]
        for impl in _call_order(caller):
            batch: list[Any] = []
            try:
                _caller_for(impl)(register=batch.append)
            except Exception as exc:
                error = f"{hook_name} raised {_short_error(exc)}"
                self.warnings.append(f"plugin {impl.plugin_name} not loaded: {error}")
                self.register_failed.add(impl.plugin_name)
                info = self._info(impl.plugin_name)
                if info is not None and info.error is None:
                    info.error = error
                continue
            info = self._info(impl.plugin_name)
            for obj in batch:
                problem = _refuse(obj, method)
                label = name_of(obj)
                if problem:
                    self._plugin_warning(impl.plugin_name, f"plugin {impl.plugin_name} "
                                         f"registered {label!r}, refused: {problem}")
                    continue
                if label in self.disabled:
                    continue
                try:
                    obj.plugin_name = impl.plugin_name
                except Exception:
                    pass
                if info is not None:
                    getattr(info, kind + "s").append(str(label))
                found.append(obj)
        return found


_METHODS = {"extractor": "extract", "check": "check", "reader": "read"}


def _refuse(obj: Any, method: str) -> str | None:
    """Why a registered object cannot be used (None when it can)."""
    if isinstance(obj, type):
        return f"the class {obj.__name__} was registered, not an instance: register({obj.__name__}())"
    try:
        if not callable(getattr(obj, method, None)):
            return f"it has no {method}() method"
    except PLUGIN_FAILURES as exc:  # a property that raises
        return f"its {method} cannot be read: {describe(exc)}"
    if method == "extract":
        from .context import extractor_problem

        try:
            return extractor_problem(obj)
        except PLUGIN_FAILURES as exc:
            return f"its scope or sections cannot be read: {describe(exc)}"
    if method == "read":
        try:
            return _reader_problem(obj)
        except PLUGIN_FAILURES as exc:
            return f"its kinds, order or hooks cannot be read: {describe(exc)}"
    return None


def _reader_problem(reader: Any) -> str | None:
    """Why a reader's attributes cannot be used (None when they can): ``kinds`` a kind or
    a list of kinds (text), ``order`` a number, ``recognise``/``complete`` callables."""
    kinds = getattr(reader, "kinds", ())
    if not isinstance(kinds, str):
        try:
            kinds = tuple(kinds or ())
        except TypeError:
            return f"its kinds are a {type(kinds).__name__}, not a kind or a list of kinds"
        if not all(isinstance(k, str) for k in kinds):
            return "its kinds are not all text"
    order = getattr(reader, "order", 500)
    if isinstance(order, bool) or not isinstance(order, (int, float)) or order != order:
        return f"its order is {order!r}, not a number"
    for hook in ("recognise", "complete"):
        value = getattr(reader, hook, None)
        if value is not None and not callable(value):
            return f"its {hook} is not callable"
    return None


def _object_name(plugin: Any) -> str:
    try:
        name = getattr(plugin, "PLUGIN_NAME", None) or getattr(plugin, "name", None)
    except PLUGIN_FAILURES:
        name = None
    if isinstance(name, str) and name:
        return name
    modname = getattr(plugin, "__name__", None)
    if isinstance(modname, str):
        return modname
    return type(plugin).__name__


def _closest(name: str, known: list[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return match[0] if match else None


def build_registry(plugins_dir: str | os.PathLike[str] | None = None,
                   disabled: Iterable[str] = (), *, plugins: Iterable[Any] = (),
                   builtins: bool = True, entry_points: bool = True) -> Registry:
    """Load every plugin from scratch (use ``get_registry`` for the cached one).

    ``plugins_dir`` defaults to ``$GOVREPORT_PLUGINS_DIR``; ``disabled`` adds to
    ``$GOVREPORT_DISABLE_PLUGINS``. ``plugins``: extra plugin objects (modules, objects,
    or ``(name, plugin)`` pairs) registered last, as if they came from a plugins
    directory. ``builtins=False`` / ``entry_points=False`` leave those sources out (to test
    one plugin alone).
    """
    off = parse_disabled(disabled) | _disabled_from_env()
    loader = _Loader(off)
    if builtins:
        loader.load_builtins()
    if entry_points:
        loader.load_entry_points()
    directory = plugins_dir or os.environ.get(PLUGINS_DIR_ENV)
    if directory:
        loader.load_dir(directory)
    loader.load_objects(plugins)
    loader.check_pending()
    extractors = loader.collect("govreport_register_extractors", "extractor")
    validators = loader.collect("govreport_register_checks", "check")
    readers = loader.collect("govreport_register_readers", "reader")
    batch_checks = loader.collect("govreport_register_batch_checks", "check")
    # A plugin that raised while registering is not used at all (not half of it).
    failed = loader.register_failed
    for name in failed:
        loader.pm.unregister(name=name)
        info = loader._info(name)
        if info is not None:
            info.extractors, info.checks, info.readers = [], [], []
    extractors = [e for e in extractors if getattr(e, "plugin_name", None) not in failed]
    validators = [v for v in validators if getattr(v, "plugin_name", None) not in failed]
    readers = reader_order([r for r in readers if getattr(r, "plugin_name", None) not in failed])
    batch_checks = [c for c in batch_checks if getattr(c, "plugin_name", None) not in failed]
    return Registry(loader.pm, loader.infos, extractors, validators, loader.warnings,
                    frozenset(off), readers, batch_checks)


def reader_listing(reader: Any) -> dict[str, Any]:
    """What ``govreport plugins`` says about one reader (in the order readers are tried)."""
    kinds = getattr(reader, "kinds", ())
    return {"name": str(getattr(reader, "name", None) or type(reader).__name__),
            "plugin": getattr(reader, "plugin_name", None),
            "kinds": [kinds] if isinstance(kinds, str) else [str(k) for k in kinds or ()],
            "order": getattr(reader, "order", 500),
            "description": getattr(reader, "description", None)}


def reader_order(readers: list[Any]) -> list[Any]:
    """Readers in the order they are tried: ``order`` (default 500), then load order."""
    def key(item: tuple[int, Any]) -> tuple[float, int]:
        order = getattr(item[1], "order", 500)
        return (order if isinstance(order, (int, float)) else 500, item[0])

    return [r for _, r in sorted(enumerate(readers), key=key)]


_CACHE: dict[tuple[str | None, tuple[str, ...], str], Registry] = {}
_LOCK = threading.Lock()


def get_registry(plugins_dir: str | os.PathLike[str] | None = None,
                 disabled: Iterable[str] = ()) -> Registry:
    """The registry for these settings, loaded once per process."""
    directory = str(plugins_dir or os.environ.get(PLUGINS_DIR_ENV) or "") or None
    key = (directory, tuple(sorted(parse_disabled(disabled))), os.environ.get(DISABLE_ENV, ""))
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = build_registry(directory, disabled)
        return _CACHE[key]


def reset_registry() -> None:
    """Forget loaded plugins (tests, or after installing a plugin in-process)."""
    with _LOCK:
        _CACHE.clear()
