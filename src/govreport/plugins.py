"""Plugin loading: built-ins, entry points and a plugins directory, each in isolation.

One plugin that fails to import, or raises while registering, is recorded with its error
and skipped; every other plugin and every command keep working (llm's lesson). Built-in
extractors are plugins listed by module name and go through the same hooks.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pluggy

from . import hookspecs

BUILTIN_PLUGINS = (
    "govreport.extractors.tables",
    "govreport.extractors.prose",
    "govreport.extractors.narrative",
    "govreport.checks.tables",
    "govreport.checks.prose",
)

ENTRY_POINT_GROUP = "govreport"
PLUGINS_DIR_ENV = "GOVREPORT_PLUGINS_DIR"
DISABLE_ENV = "GOVREPORT_DISABLE_PLUGINS"


@dataclass
class PluginInfo:
    """What ``govreport plugins`` lists for one plugin."""

    name: str
    origin: str  # "builtin" | "entry_point" | "plugins_dir"
    version: str | None = None
    hooks: list[str] = field(default_factory=list)
    error: str | None = None
    location: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "origin": self.origin,
                "location": self.location, "hooks": list(self.hooks), "error": self.error}


@dataclass
class Registry:
    """The loaded plugin manager and everything registered through its hooks."""

    pm: pluggy.PluginManager
    plugins: list[PluginInfo]
    extractors: list[Any]
    validators: list[Any]
    warnings: list[str]

    def extras_impls(self) -> list[tuple[str, Callable[..., Any]]]:
        """(plugin name, function) for each ``govreport_report_extras`` implementation."""
        return [(impl.plugin_name, impl.function)
                for impl in self.pm.hook.govreport_report_extras.get_hookimpls()]


def _disabled_from_env() -> set[str]:
    raw = os.environ.get(DISABLE_ENV, "")
    return {part.strip() for part in raw.split(",") if part.strip()}


def _short_error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _dist_version(dist_name: str | None) -> str | None:
    if not dist_name:
        return None
    try:
        from importlib.metadata import version

        return version(dist_name)
    except Exception:
        return None


class _Loader:
    def __init__(self, disabled: set[str]):
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self.warnings: list[str] = []
        self.disabled = disabled

    def _register(self, module: Any, info: PluginInfo) -> None:
        if info.name in self.disabled:
            return
        try:
            self.pm.register(module, name=info.name)
        except Exception as exc:  # a malformed hookimpl (wrong arguments, …)
            info.error = _short_error(exc)
            self.infos.append(info)
            self.warnings.append(f"plugin {info.name} not loaded: {info.error}")
            return
        needs = getattr(module, "govreport_requires_api", None)
        if callable(needs):
            try:
                wanted = int(needs())
            except Exception as exc:
                wanted, info.error = None, _short_error(exc)
            if wanted is not None and wanted > hookspecs.PLUGIN_API_VERSION:
                info.error = (f"needs plugin API {wanted}, this govreport offers "
                              f"{hookspecs.PLUGIN_API_VERSION}")
            if info.error:
                self.pm.unregister(module)
                self.warnings.append(f"plugin {info.name} not loaded: {info.error}")
        info.hooks = sorted(h.name for h in (self.pm.get_hookcallers(module) or []))
        self.infos.append(info)

    def _failed(self, info: PluginInfo, exc: BaseException) -> None:
        info.error = _short_error(exc)
        self.infos.append(info)
        self.warnings.append(f"plugin {info.name} failed to load: {info.error}")

    def load_builtins(self) -> None:
        from . import __version__

        for modname in BUILTIN_PLUGINS:
            info = PluginInfo(name=modname, origin="builtin", version=__version__)
            if modname in self.disabled:
                continue
            try:
                module = importlib.import_module(modname)
            except ModuleNotFoundError as exc:
                if exc.name == modname:  # a built-in not shipped in this build
                    continue
                self._failed(info, exc)
                continue
            except Exception as exc:
                self._failed(info, exc)
                continue
            self._register(module, info)

    def load_entry_points(self) -> None:
        from importlib.metadata import entry_points

        try:
            eps = entry_points(group=ENTRY_POINT_GROUP)
        except Exception as exc:  # broken metadata must not stop the parse
            self.warnings.append(f"could not list entry points: {_short_error(exc)}")
            return
        for ep in eps:
            dist = getattr(ep, "dist", None)
            info = PluginInfo(name=ep.name, origin="entry_point",
                              version=_dist_version(getattr(dist, "name", None)),
                              location=ep.value)
            if ep.name in self.disabled:
                continue
            try:
                module = ep.load()
            except Exception as exc:
                self._failed(info, exc)
                continue
            self._register(module, info)

    def load_dir(self, directory: str | os.PathLike[str]) -> None:
        path = Path(directory)
        if not path.is_dir():
            self.warnings.append(f"plugins directory {path} does not exist")
            return
        for file in sorted(path.glob("*.py")):
            name = file.stem
            info = PluginInfo(name=name, origin="plugins_dir", location=str(file))
            if name in self.disabled or name.startswith("_"):
                continue
            try:
                spec = importlib.util.spec_from_file_location(f"govreport_plugins_dir.{name}", file)
                if spec is None or spec.loader is None:
                    raise ImportError(f"cannot import {file}")
                module = importlib.util.module_from_spec(spec)
                sys.modules[spec.name] = module
                spec.loader.exec_module(module)
            except BaseException as exc:  # SystemExit in a plugin must not end a batch
                sys.modules.pop(f"govreport_plugins_dir.{name}", None)
                self._failed(info, exc)
                continue
            info.version = getattr(module, "__version__", None)
            self._register(module, info)

    def check_pending(self) -> None:
        """Report hook implementations whose name matches no hook (a misspelling)."""
        for name, caller in self.pm.hook.__dict__.items():
            if name.startswith("_") or not isinstance(caller, pluggy.HookCaller):
                continue
            if caller.spec is None:
                for impl in caller.get_hookimpls():
                    msg = f"unknown hook {name} in plugin {impl.plugin_name} (misspelled?)"
                    self.warnings.append(msg)
                    for info in self.infos:
                        if info.name == impl.plugin_name and not info.error:
                            info.error = msg

    def collect(self, hook_name: str) -> list[Any]:
        """Call one register-style hook per implementation, isolating each plugin."""
        found: list[Any] = []
        caller = getattr(self.pm.hook, hook_name)
        # pluggy calls the last registered first; reverse so built-ins run first.
        for impl in reversed(caller.get_hookimpls()):
            batch: list[Any] = []
            try:
                impl.function(register=batch.append)
            except Exception as exc:
                msg = f"plugin {impl.plugin_name} failed in {hook_name}: {_short_error(exc)}"
                self.warnings.append(msg)
                for info in self.infos:
                    if info.name == impl.plugin_name and not info.error:
                        info.error = msg
                continue
            for obj in batch:
                try:
                    obj.plugin_name = impl.plugin_name
                except Exception:
                    pass
            found.extend(batch)
        return found


def build_registry(plugins_dir: str | os.PathLike[str] | None = None,
                   disabled: Iterable[str] = ()) -> Registry:
    """Load every plugin from scratch (use ``get_registry`` for the cached one)."""
    off = set(disabled) | _disabled_from_env()
    loader = _Loader(off)
    loader.load_builtins()
    loader.load_entry_points()
    directory = plugins_dir or os.environ.get(PLUGINS_DIR_ENV)
    if directory:
        loader.load_dir(directory)
    loader.check_pending()
    extractors = loader.collect("govreport_register_extractors")
    validators = loader.collect("govreport_register_checks")
    return Registry(loader.pm, loader.infos, extractors, validators, loader.warnings)


_CACHE: dict[tuple[str | None, tuple[str, ...], str], Registry] = {}
_LOCK = threading.Lock()


def get_registry(plugins_dir: str | os.PathLike[str] | None = None,
                 disabled: Iterable[str] = ()) -> Registry:
    """The registry for these settings, loaded once per process."""
    directory = str(plugins_dir or os.environ.get(PLUGINS_DIR_ENV) or "") or None
    key = (directory, tuple(sorted(disabled)), os.environ.get(DISABLE_ENV, ""))
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = build_registry(directory, disabled)
        return _CACHE[key]


def reset_registry() -> None:
    """Forget loaded plugins (tests, or after installing a plugin in-process)."""
    with _LOCK:
        _CACHE.clear()
