"""``ekslint fix``: golden output, layout preservation, re-scan no longer reports the rules."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekslint.cli import app
from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.fixes import fix_chunk, load_fixers
from ekslint.linter.registry import load_rules

DATA = Path(__file__).parent / "data" / "fix" / "manifests.yaml"
GOLDEN = Path(__file__).parent / "golden" / "fix-manifests.yaml"
RULES = load_rules()
FIXERS = load_fixers()
FIXABLE = sorted(FIXERS)
runner = CliRunner()


def test_fixable_rules_are_marked() -> None:
    assert {"in-tree-ebs-provisioner", "deprecated-annotation", "removed-api", "deprecated-api"} <= set(FIXABLE)
    # The registry says which rules are fixable without importing the fixers (and ruamel.yaml).
    assert {rid for rid, meta in RULES.items() if meta.fixable} == set(FIXABLE)


def test_fix_matches_golden_and_rescan_is_clean(tmp_path: Path) -> None:
    target = tmp_path / "manifests.yaml"
    shutil.copy(DATA, target)
    args = ["--no-config", "--kubernetes-version", "1.33", "--as-of", "2026-11-25"]
    diff = runner.invoke(app, ["fix", str(target), "--diff", *args])
    assert diff.exit_code == 1 and "+apiVersion: policy/v1   # old API" in diff.stdout
    assert target.read_text() == DATA.read_text()  # --diff changes nothing
    result = runner.invoke(app, ["fix", str(target), *args])
    assert result.exit_code == 0, result.stdout + result.stderr
    if os.environ.get("EKSLINT_UPDATE_GOLDEN"):
        GOLDEN.write_text(target.read_text())
    assert target.read_text() == GOLDEN.read_text()
    settings = Settings(root=tmp_path, enable=FIXABLE, disable=["all"], kubernetes_version="1.33")
    remaining = [r for r in lint([str(target)], settings, cwd=tmp_path).active if r.rule in FIXABLE]
    assert [(r.rule, r.message) for r in remaining if "gp2" in r.message or "nlb-ip" in r.message] == []
    assert not [r for r in remaining if r.rule in ("removed-api", "deprecated-api", "deprecated-annotation")]
    again = runner.invoke(app, ["fix", str(target), *args])
    assert "Fixed 0 problems" in again.stdout  # idempotent


def test_unchanged_lines_survive_byte_for_byte() -> None:
    chunk = 'metadata:\n  name: fast     # keep   this\nparameters:\n    type: "gp2"   # old\n    x: [a,  b]\n'
    text, changes, refused = fix_chunk(
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\n" + chunk,
        {"StorageClass/fast": {"in-tree-ebs-provisioner"}},
    )
    assert changes and not refused
    assert text.splitlines()[2:] == [
        "metadata:",
        "  name: fast     # keep   this",
        "parameters:",
        '    type: "gp3"   # old',
        "    x: [a,  b]",
    ]


def test_empty_v1beta1_pdb_selector_is_not_migrated() -> None:
    chunk = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p, namespace: n}\nspec:\n  selector: {}\n  minAvailable: 1\n"
    text, changes, _ = fix_chunk(chunk, {"PodDisruptionBudget/n/p": {"removed-api"}})
    assert text == chunk and changes == []


@pytest.mark.parametrize("rule_id", FIXABLE)
def test_fixable_rule_docs_say_so(rule_id: str) -> None:
    assert "ekslint fix" in RULES[rule_id].doc_path.read_text()


def test_fix_takes_each_paths_own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``fix`` groups the paths by their config as ``scan`` does: a tree's ``exclude`` globs keep
    its vendored files out of the fix, also when the run starts above it."""
    pdb = (
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p, namespace: x}\n"
        "spec: {minAvailable: 1, selector: {matchLabels: {app: a}}}\n"
    )
    for rel in ("team-a/app/pdb.yaml", "team-a/third_party/pdb.yaml", "team-b/pdb.yaml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(pdb)
    (tmp_path / "team-a/.ekslint.yaml").write_text('exclude: ["third_party/**"]\n')
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["fix", "team-a", "team-b", "--kubernetes-version", "1.33"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (tmp_path / "team-a/third_party/pdb.yaml").read_text() == pdb
    assert "policy/v1\n" in (tmp_path / "team-a/app/pdb.yaml").read_text()
    assert "policy/v1\n" in (tmp_path / "team-b/pdb.yaml").read_text()
    assert "Fixed 2 problems in 2 files" in result.stdout
