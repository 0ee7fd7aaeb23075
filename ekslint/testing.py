"""Test helpers for rule authors: a fixture file in, the findings it must give out.

Fail fixtures mark each expected finding with ``# expect: <rule-id>[,<rule-id>]``: at the end of
a line for that line, or alone on a line for the next line that holds YAML (the suppression
grammar). A first-line comment ``# fixture: key=value ...`` sets scan settings for that fixture:
``kubernetes-version``, ``as-of``, ``enable=<id>,<id>`` (more rules to run, their findings
unchecked) and rule options as ``option.<name>=<value>`` (YAML scalars). Pass fixtures hold no
marker and must give no finding of the rule.

ekslint's own suite uses these helpers for its 80-odd rules; a plugin's tests use them the same
way::

    from ekslint.testing import assert_fixture, plugin_rules

    def test_fixtures():
        with plugin_rules("acme", "acme_ekslint.rules"):
            for fixture in sorted(FIXTURES.glob("*.yaml")):
                assert_fixture(fixture, "acme/required-team-label")

The fixture's date is pinned (:data:`AS_OF`) so that calendar rules give the same verdict on
every day the suite runs.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ekslint.linter.config import RuleConfig, Settings
from ekslint.linter.engine import lint
from ekslint.linter.registry import CURRENT_PLUGIN, DECLARED, REGISTRY, PluginContext, load_rules
from ekslint.linter.report import Report

AS_OF = dt.date(2026, 11, 25)
EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9/-]+(?:\s*,\s*[a-z0-9/-]+)*)")
SETTINGS_LINE = re.compile(r"^#\s*fixture:\s*(.*)$")
SUFFIXES = (".yaml", ".yml", ".json", ".tf", ".tfvars")


def fixture_files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    return [target]


def expected(target: Path) -> set[tuple[str, int, str]]:
    """(file name relative to the fixture, line, rule id) for every marker."""
    out: set[tuple[str, int, str]] = set()
    base = target if target.is_dir() else target.parent
    for path in fixture_files(target):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for i, line in enumerate(lines):
            m = EXPECT.search(line)
            if not m:
                continue
            ids = [x.strip() for x in m.group(1).split(",")]
            if line[: m.start()].strip():
                lineno = i + 1
            else:
                lineno = next(
                    (
                        j + 1
                        for j in range(i + 1, len(lines))
                        if lines[j].strip() and not lines[j].strip().startswith("#")
                    ),
                    0,
                )
            out.update((path.relative_to(base).as_posix(), lineno, rid) for rid in ids)
    return out


def fixture_settings(target: Path, rule_id: str) -> Settings:
    settings = Settings(
        root=target if target.is_dir() else target.parent, enable=[rule_id], disable=["all"], as_of=AS_OF
    )
    first = fixture_files(target)[0].read_text(encoding="utf-8", errors="replace").splitlines()[:1]
    m = SETTINGS_LINE.match(first[0]) if first else None
    if m:
        options: dict[str, Any] = {}
        for item in m.group(1).split():
            key, _, raw = item.partition("=")
            value = yaml.safe_load(raw)
            if key == "kubernetes-version":
                settings.kubernetes_version = str(raw)
            elif key == "as-of":
                settings.as_of = dt.date.fromisoformat(raw)
            elif key == "lbc-service-webhook":
                settings.lbc_service_webhook = bool(value)
            elif key == "enable":  # more rules to run (their findings are not checked)
                settings.enable += raw.split(",")
            elif key.startswith("option."):
                options[key.removeprefix("option.")] = value
            else:
                raise ValueError(f"{target}: unknown fixture setting {key!r}")
        if options:
            settings.rules[rule_id] = RuleConfig(options=options)
    return settings


def run(target: Path, rule_id: str, **overrides: Any) -> Report:
    settings = replace(fixture_settings(target, rule_id), **overrides)
    base = target if target.is_dir() else target.parent
    return lint([str(target)], settings, cwd=base)


def found(report: Report, target: Path, rule_id: str) -> set[tuple[str, int, str]]:
    out = set()
    for r in report.active:
        if r.rule == rule_id:
            name = r.file if target.is_dir() else Path(r.file).name
            out.add((name, r.line, r.rule))
    return out


def assert_fixture(target: Path, rule_id: str, **overrides: Any) -> None:
    """Run ``rule_id`` over a fixture (file or folder) and compare with its ``# expect:`` marks."""
    report = run(target, rule_id, **overrides)
    assert not report.errors, [str(e) for e in report.errors]
    want = {e for e in expected(target) if e[2] == rule_id}
    got = found(report, target, rule_id)
    assert got == want, f"{target}: missing {sorted(want - got)}, unexpected {sorted(got - want)}"


@contextmanager
def plugin_rules(name: str, module: str) -> Iterator[list[str]]:
    """Register a plugin's rules as its ``ekslint.rules`` entry point ``name = module`` would,
    for the length of a test, without installing it; yields the ids it registered. The module is
    imported afresh (an installed copy's rules are set aside meanwhile), and the registry is left
    as it was found."""
    load_rules()
    prefix = f"{name}/"
    kept = {rid: REGISTRY.pop(rid) for rid in [r for r in REGISTRY if r.startswith(prefix)]}
    declared = {rid: DECLARED.pop(rid) for rid in [r for r in DECLARED if r.startswith(prefix)]}
    top = module.partition(".")[0]  # the whole package: `from pkg import rule_module` reads it
    saved = {m: sys.modules.pop(m) for m in list(sys.modules) if m == top or m.startswith(top + ".")}
    before = set(DECLARED)
    CURRENT_PLUGIN.append(PluginContext(name, f"plugin {name} (test)"))
    try:
        importlib.import_module(module)
    finally:
        CURRENT_PLUGIN.pop()
    added = sorted(set(DECLARED) - before)
    REGISTRY.update((rid, DECLARED[rid]) for rid in added)
    try:
        yield added
    finally:
        for rid in added:
            del REGISTRY[rid]
            del DECLARED[rid]
        REGISTRY.update(kept)
        DECLARED.update(declared)
        for m in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
            del sys.modules[m]
        sys.modules.update(saved)
