"""Rule plugins: installed packages that add rules through the ``ekslint.rules`` entry points.

A plugin package declares, in its ``pyproject.toml``::

    [project.entry-points."ekslint.rules"]
    acme = "acme_ekslint.rules"

and its module registers rules with :func:`ekslint.api.rule`, ids prefixed with the entry point's
name (``acme/required-team-label``), so they never collide with built-in rules or with another
plugin's. The value may name a module (importing it registers its rules) or a callable in one
(``acme_ekslint:register``), which is called once with no arguments.

Only *installed* distributions are looked at (``importlib.metadata``): nothing in a scanned
repository is imported or run, whatever it holds. A plugin that fails to import, raises while
registering, registers a bad id, level or options, or registers nothing, is a
:class:`PluginError` naming the plugin and its distribution: exit code 2 with one line, as for a
bad config, never a traceback and never a scan that silently lacks the team's rules.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from ekslint.linter.config import ConfigError
from ekslint.linter.registry import CURRENT_PLUGIN, DECLARED, ID_RE, REGISTRY, PluginContext

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

GROUP = "ekslint.rules"
_loaded: list[str] = []


class PluginError(ConfigError):
    """A plugin that cannot be loaded: reported in one line, exit code 2."""


def load_plugins() -> list[str]:
    """Load every installed plugin once; returns the names of the plugins loaded."""
    if _loaded:
        return _loaded
    if not _any_installed():  # the usual case: importlib.metadata costs a one-file scan 10 ms
        _loaded.append("")
        return _loaded
    from importlib.metadata import distributions

    found: dict[str, EntryPoint] = {}
    seen: set[str] = set()
    for dist in distributions(path=_search_path()):
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name in seen:  # shadowed by an earlier entry of the path, as importlib.metadata does
            continue
        seen.add(name)
        for ep in dist.entry_points.select(group=GROUP):
            found.setdefault(ep.name, ep)
    for ep in sorted(found.values(), key=lambda e: e.name):
        load_entry_point(ep)
        _loaded.append(ep.name)
    _loaded.append("")  # loaded, even when there are none
    return _loaded


def _any_installed() -> bool:
    """Whether an installed distribution on ``sys.path`` declares an ``ekslint.rules`` entry point.

    A look at the ``entry_points.txt`` of each ``*.dist-info``/``*.egg-info`` folder, as
    ``importlib.metadata`` would find them, without importing it (it brings ``email``, ``zipfile``
    and the rest). When this says yes, ``importlib.metadata`` reads them properly.
    """
    for folder in _search_path():
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as fh:
                    if GROUP.encode() in fh.read():
                        return True
            except OSError:  # no entry points, or an old egg-info file
                continue
    return False


def _search_path() -> list[str]:
    """``sys.path`` without the working directory: ``python -m ekslint`` puts it first, and it is
    usually the repository being scanned, whose files must never be imported (a
    ``*.dist-info`` there would otherwise be a plugin)."""
    here = os.path.realpath(os.getcwd())
    return [p for p in sys.path if p not in ("", ".") and os.path.realpath(p) != here]


def plugin_origin(ep: EntryPoint) -> str:
    dist = ep.dist
    where = f"{dist.name} {dist.version}" if dist is not None else ep.value
    return f"plugin {ep.name} ({where})"


def load_entry_point(ep: EntryPoint) -> None:
    """Import one plugin, its rules registered under its prefix."""
    origin = plugin_origin(ep)
    if not ID_RE.match(ep.name):
        raise PluginError(f"{origin}: the entry point name {ep.name!r} must be kebab-case (it prefixes its rule ids)")
    before = set(DECLARED)
    CURRENT_PLUGIN.append(PluginContext(ep.name, origin))
    try:
        loaded = ep.load()
        if callable(loaded):
            loaded()
    except Exception as exc:  # noqa: BLE001 - any failure of third-party code is the plugin's
        for rid in set(DECLARED) - before:  # no half-registered plugin
            del DECLARED[rid]
        raise PluginError(f"{origin}: cannot load {ep.value}: {type(exc).__name__}: {exc}") from None
    finally:
        CURRENT_PLUGIN.pop()
    added = [rid for rid in DECLARED if rid not in before]  # in the order the plugin declares them
    if not added:
        raise PluginError(
            f"{origin}: {ep.value} registered no rules (rule modules must be imported by the entry point)"
        )
    for rid in added:  # imported already: their functions are in hand
        REGISTRY[rid] = DECLARED[rid]
