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

from importlib.metadata import EntryPoint, entry_points

from ekslint.linter.config import ConfigError
from ekslint.linter.registry import CURRENT_PLUGIN, ID_RE, REGISTRY, PluginContext

GROUP = "ekslint.rules"
_loaded: list[str] = []


class PluginError(ConfigError):
    """A plugin that cannot be loaded: reported in one line, exit code 2."""


def load_plugins() -> list[str]:
    """Load every installed plugin once; returns the names of the plugins loaded."""
    if _loaded:
        return _loaded
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        load_entry_point(ep)
        _loaded.append(ep.name)
    _loaded.append("")  # loaded, even when there are none
    return _loaded


def plugin_origin(ep: EntryPoint) -> str:
    dist = ep.dist
    where = f"{dist.name} {dist.version}" if dist is not None else ep.value
    return f"plugin {ep.name} ({where})"


def load_entry_point(ep: EntryPoint) -> None:
    """Import one plugin, its rules registered under its prefix."""
    origin = plugin_origin(ep)
    if not ID_RE.match(ep.name):
        raise PluginError(f"{origin}: the entry point name {ep.name!r} must be kebab-case (it prefixes its rule ids)")
    before = set(REGISTRY)
    CURRENT_PLUGIN.append(PluginContext(ep.name, origin))
    try:
        loaded = ep.load()
        if callable(loaded):
            loaded()
    except Exception as exc:  # noqa: BLE001 - any failure of third-party code is the plugin's
        for rid in set(REGISTRY) - before:  # no half-registered plugin
            del REGISTRY[rid]
        raise PluginError(f"{origin}: cannot load {ep.value}: {type(exc).__name__}: {exc}") from None
    finally:
        CURRENT_PLUGIN.pop()
    if not set(REGISTRY) - before:
        raise PluginError(
            f"{origin}: {ep.value} registered no rules (rule modules must be imported by the entry point)"
        )
