"""Fixture harness: run one rule over a fixture and read the findings it must give.

Fail fixtures mark each expected finding with ``# expect: <rule-id>[,<rule-id>]``: at the end of
a line for that line, or alone on a line for the next line that holds YAML (the suppression
grammar). A first-line comment ``# fixture: key=value ...`` sets scan settings for that fixture:
``kubernetes-version``, ``as-of``, ``enable=<id>,<id>`` (more rules to run, their findings
unchecked) and rule options as ``option.<name>=<value>`` (YAML scalars).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ekslint.linter.config import RuleConfig, Settings
from ekslint.linter.engine import lint
from ekslint.linter.report import Report

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = dt.date(2026, 11, 25)
EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)")
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


def deny_open(monkeypatch: Any, name: str) -> None:
    """Make opening any file called ``name`` fail with EACCES, as it would for another user:
    tests run as root here, where ``chmod 000`` stops nothing."""
    real_open = Path.open

    def fake_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", fake_open)
