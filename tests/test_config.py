"""Config discovery, validation (clear errors, exit 2) and rule resolution."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ekslint.linter.config import ConfigError, Settings, load_settings, resolve_rules
from ekslint.linter.engine import lint
from ekslint.linter.registry import Level, load_rules

RULES = load_rules()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".ekslint.yaml"
    path.write_text(text)
    return path


def test_discovered_from_parent_folder(tmp_path: Path) -> None:
    write(tmp_path, 'kubernetes-version: "1.32"\nfail-on: error\nas-of: 2026-01-02\nlbc-service-webhook: true\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    settings = load_settings(None, cwd=sub)
    assert settings.kubernetes_version == "1.32" and settings.fail_on == "error"
    assert settings.as_of == dt.date(2026, 1, 2) and settings.lbc_service_webhook is True
    assert settings.root == tmp_path.resolve()


def test_jobs(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, "jobs: 1\n")).jobs == 1
    assert load_settings(write(tmp_path, "fail-on: error\n")).jobs == 0  # one per CPU for big scans


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [a]\n", "rules must be a mapping"),
        ("colour: red\n", "unknown setting"),
        ("kubernetes-version: 1.30\n", "as a string"),
        ('kubernetes-version: "v1"\n', "not a Kubernetes minor version"),
        ("fail-on: sometimes\n", "fail-on must be one of"),
        ("rules:\n  run-as-root: {level: fatal}\n", "level must be"),
        ("rules:\n  run-as-root: {colour: red}\n", "unknown key"),
        ("exclude: 3\n", "list of glob"),
        ("lbc-service-webhook: maybe\n", "must be true or false"),
        ("jobs: -1\n", "jobs must be 0"),
        ("jobs: true\n", "jobs must be 0"),
        ("a: [\n", "invalid YAML"),
        ("- a\n", "must be a mapping"),
        # values a scanned repository's config can hold that Python cannot build
        ("as-of: 2026-02-30\n", "a value cannot be read: day is out of range"),
        ("as-of: 2026-02-03T10:00:00\n", "is a timestamp, not a date"),
        ("max-file-size: " + "9" * 5000 + "\n", "a value cannot be read: Exceeds the limit"),
        ("max-file-size: 0x" + "f" * 5000 + "\n", "max-file-size must be a positive number of bytes, at most"),
        ("max-file-size: true\n", "max-file-size must be a positive number"),
        ("rules: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("rules: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", "nested too deeply"),
    ],
)
def test_invalid_config_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text))


def test_unknown_rule_id_in_config(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "rules:\n  run-as-rot: false\n"))
    with pytest.raises(ConfigError, match="unknown rule 'run-as-rot' in rules"):
        resolve_rules(settings, RULES)


def test_unknown_rule_option(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "rules:\n  run-as-root: {options: {strict: true}}\n"))
    with pytest.raises(ConfigError, match="has no option 'strict'"):
        resolve_rules(settings, RULES)


def test_levels_and_enablement(tmp_path: Path) -> None:
    settings = load_settings(
        write(tmp_path, "rules:\n  run-as-root: error\n  missing-cpu-limit: true\n  latest-image-tag: false\n")
    )
    active = resolve_rules(settings, RULES)
    assert active["run-as-root"].level is Level.ERROR
    assert RULES["run-as-root"].level is Level.WARNING  # the rule's own default is unchanged
    assert "missing-cpu-limit" in active and "latest-image-tag" not in active


def test_enable_disable_precedence() -> None:
    only = resolve_rules(Settings(enable=["run-as-root"], disable=["all"]), RULES)
    assert list(only) == ["run-as-root"]
    most = resolve_rules(Settings(enable=["all"], disable=["run-as-root"]), RULES)
    assert "run-as-root" not in most and "missing-cpu-limit" in most
    assert "run-as-root" not in resolve_rules(Settings(enable=["run-as-root"], disable=["run-as-root"]), RULES)


def test_global_and_per_rule_excludes(tmp_path: Path) -> None:
    (tmp_path / "dev").mkdir()
    (tmp_path / "prod").mkdir()
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n  containers: [{name: a, image: 'x:1', securityContext: {privileged: true}}]\n"
    for d in ("dev", "prod"):
        (tmp_path / d / "pod.yaml").write_text(pod)
    (tmp_path / "vendor-charts").mkdir()
    (tmp_path / "vendor-charts" / "pod.yaml").write_text(pod)
    write(tmp_path, "exclude: [vendor-charts]\nrules:\n  privileged-container: {exclude: ['dev/**']}\n")
    settings = load_settings(None, cwd=tmp_path)
    settings.enable, settings.disable = ["privileged-container"], ["all"]
    report = lint([str(tmp_path)], settings, cwd=tmp_path)
    assert [(r.file, r.rule) for r in report.active] == [("prod/pod.yaml", "privileged-container")]
