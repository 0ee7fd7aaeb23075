"""The editor workspace: a tree parsed once, re-linted as single files change, same findings as a scan."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ekslint.linter.config import Settings, load_settings
from ekslint.linter.engine import lint
from ekslint.linter.index import ScanIndex
from ekslint.linter.report import Report
from ekslint.linter.workspace import EVERYTHING, Workspace, _TracedIndex

FIXTURES = Path(__file__).parent / "fixtures"
#: Fixture folders of cross-object rules (PDBs, Services, HPAs, NetworkPolicies, RBAC, Kustomize
#: overlays, the cluster model from eksctl and Terraform): what an edit elsewhere can change.
MIXED = [
    "pdb-blocks-drain",
    "pdb-selects-nothing",
    "missing-pdb",
    "service-selects-nothing",
    "service-port-mismatch",
    "hpa-target-missing",
    "networkpolicy-selects-nothing",
    "rbac-privilege-escalation",
    "config-ref-missing",
    "latest-image-tag",
    "removed-api",
    "nodegroup-version-skew",
    "control-plane-logging-disabled",
    "unused-suppression",
]

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: example/web:1.4.2}]
"""
PDB = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
"""


def _key(report: Report, files: set[str] | None = None) -> set[tuple[object, ...]]:
    return {
        (r.rule, r.file, r.line, r.col, r.message, r.suppressed)
        for r in report.results
        if files is None or r.file in files
    }


def _settings(root: Path) -> Settings:
    return load_settings(None, cwd=root, start=root)


def test_an_edit_in_one_file_changes_the_findings_of_another(tmp_path: Path) -> None:
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT)
    (tmp_path / "pdb.yaml").write_text(PDB)
    ws = Workspace(tmp_path, _settings(tmp_path))
    ws.load()
    pdb = tmp_path / "pdb.yaml"
    assert "pdb-blocks-drain" in {r.rule for r in ws.lint(only=[pdb]).results}
    hits, made = ws.calls
    assert made and not hits  # nothing remembered yet

    ws.set_text(tmp_path / "deploy.yaml", DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    report = ws.lint(only=[pdb])
    assert "pdb-blocks-drain" not in {r.rule for r in report.results}
    assert {r.file for r in report.results} <= {"pdb.yaml"}  # only the files asked for
    hits, _ = ws.calls
    assert hits  # rules that look at nothing but the PDB were not called again


def test_remembered_calls_give_what_a_fresh_scan_gives(tmp_path: Path) -> None:
    """A series of edits of a mixed tree; after each one, the workspace's findings (for the
    edited file, and for the whole tree) are those of a scan of the tree as it then is on disk."""
    for name in MIXED:
        shutil.copytree(FIXTURES / name, tmp_path / name)
    ws = Workspace(tmp_path, _settings(tmp_path))
    ws.load()
    assert _key(ws.lint()) == _key(lint([str(tmp_path)], _settings(tmp_path), cwd=tmp_path))
    edits = [
        (r"replicas: \d+", "replicas: 1"),
        (r"(\n\s+app: )(\S+)", r"\1\2-renamed"),
        (r"namespace: (\S+)", r"namespace: \1x"),
        (r"minAvailable: \S+", "minAvailable: 1"),
        (r"\nkind: Deployment\n", "\nkind: StatefulSet\n"),
        (r"version: \S+", 'version: "1.29"'),
        (r"\n---\n[\s\S]*$", "\n"),  # the last documents go
        (r"\n", "\n  : [\n"),  # broken YAML
    ]
    files = sorted(p for p in tmp_path.rglob("*") if p.suffix in (".yaml", ".yml", ".tf"))
    for number, (pattern, replacement) in enumerate(edits * 2):
        path = next(p for p in files[number * 7 % len(files) :] + files if re.search(pattern, p.read_text()))
        text = re.sub(pattern, replacement, path.read_text(), count=1)
        path.write_text(text)
        ws.set_text(path, text, saved=True)
        scan = lint([str(tmp_path)], _settings(tmp_path), cwd=tmp_path)
        shown = {ws.display(path)}
        assert _key(ws.lint(only=[path])) == _key(scan, shown), (pattern, path)
        if number % 4 == 3:
            assert _key(ws.lint()) == _key(scan), (pattern, path)


def test_files_that_appear_are_read_as_discovery_would(tmp_path: Path) -> None:
    (tmp_path / ".ekslint.yaml").write_text("exclude: [skipped/**]\n")
    ws = Workspace(tmp_path, _settings(tmp_path))
    ws.load()
    for folder in ("node_modules", "skipped", "apps"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "pdb.yaml").write_text(PDB)
        ws.reread(tmp_path / folder / "pdb.yaml")
    assert [p.relative_to(tmp_path).as_posix() for p in ws.paths if p.suffix == ".yaml"] == [
        ".ekslint.yaml",
        "apps/pdb.yaml",
    ]
    ws.set_text(tmp_path / "skipped" / "pdb.yaml", PDB)  # an open buffer of an excluded file
    assert tmp_path / "skipped" / "pdb.yaml" not in ws
    (tmp_path / "apps" / "pdb.yaml").unlink()
    ws.reread(tmp_path / "apps" / "pdb.yaml")
    assert tmp_path / "apps" / "pdb.yaml" not in ws


def test_a_buffer_outside_the_tree_is_linted_until_it_is_closed(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "tree", Settings(root=tmp_path / "tree"))
    ws.load()
    outside = tmp_path / "elsewhere.yaml"
    ws.set_text(outside, PDB)
    assert outside in ws
    assert {r.rule for r in ws.lint(only=[outside]).results} >= {"pdb-unhealthy-eviction"}
    ws.reread(outside)  # closed: it is not a file of the tree
    assert outside not in ws


def test_the_traced_index_records_what_a_rule_looks_up(tmp_path: Path) -> None:
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT)
    ws = Workspace(tmp_path, Settings(root=tmp_path))
    ws.load()
    index = ScanIndex([])
    kept: dict[object, tuple[object, set[str]]] = {}
    traced = _TracedIndex(index, kept)
    seen: set[str] = object.__getattribute__(traced, "seen")
    assert traced.of_kind("Service", namespace="shop") == []
    assert list(traced.workloads_in("shop")) == []
    assert seen == {"Service", "<workloads shop>"}

    def build() -> list[object]:
        return traced.of_kind("ConfigMap")

    table = traced.cached("table", build, lasting=True)
    object.__setattr__(traced, "seen", set())  # another rule reads the table the first one made
    assert traced.cached("table", build, lasting=True) is table
    assert object.__getattribute__(traced, "seen") == {"ConfigMap"}
    assert kept["table"] == (table, {"ConfigMap"})
    _ = traced.objects
    assert EVERYTHING in object.__getattribute__(traced, "seen")
    other = _TracedIndex(index, {})
    hash(other)  # what a per-scan cache keyed by the index does: anything may be in it
    assert object.__getattribute__(other, "seen") == {EVERYTHING}


@pytest.mark.parametrize("name", ["kustomization.yaml", "skaffold.yaml"])
def test_a_file_rules_read_from_disk_forgets_every_call(tmp_path: Path, name: str) -> None:
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT)
    (tmp_path / name).write_text("resources: [deploy.yaml]\n")
    ws = Workspace(tmp_path, Settings(root=tmp_path))
    ws.load()
    deploy = tmp_path / "deploy.yaml"
    ws.lint(only=[deploy])
    ws.set_text(tmp_path / name, "resources: [deploy.yaml]\nnamespace: other\n")
    ws.lint(only=[deploy])
    assert ws.calls[0] == 0  # nothing answered from memory


def test_the_namespace_a_kustomization_gives_follows_edits(tmp_path: Path) -> None:
    """Objects keep the namespace their kustomization gives them across edits of the manifest, and
    take the new one when the kustomization changes, as a fresh scan would."""
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT.replace(", namespace: shop", ""))
    (tmp_path / "pdb.yaml").write_text(PDB.replace(", namespace: shop", ""))
    kustomization = tmp_path / "kustomization.yaml"
    kustomization.write_text("resources: [deploy.yaml, pdb.yaml]\nnamespace: shop\n")
    ws = Workspace(tmp_path, _settings(tmp_path))
    ws.load()

    def same() -> None:
        scan = lint([str(tmp_path)], _settings(tmp_path), cwd=tmp_path)
        assert _key(ws.lint()) == _key(scan)
        assert {r.object for r in ws.lint().results if r.object} == {r.object for r in scan.results if r.object}

    same()
    assert any("/shop/" in (r.object or "") for r in ws.lint().results)
    deploy = tmp_path / "deploy.yaml"
    text = deploy.read_text().replace("replicas: 2", "replicas: 3")
    deploy.write_text(text)
    ws.set_text(deploy, text, saved=True)
    same()
    kustomization.write_text("resources: [deploy.yaml, pdb.yaml]\nnamespace: prod\n")
    ws.set_text(kustomization, kustomization.read_text(), saved=True)
    same()
    assert any("/prod/" in (r.object or "") for r in ws.lint().results)


POLICY = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-replicas}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
    - expression: "object.spec.replicas <= 1"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-replicas}
spec: {policyName: max-replicas, validationActions: [Deny]}
"""


def test_admission_policies_of_the_tree_judge_its_objects_as_edits_go(tmp_path: Path) -> None:
    """The ValidatingAdmissionPolicies of the tree are rules in the editor as in a scan, made again
    when a policy changes (under the same name), and not when another file does."""
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT)
    (tmp_path / "policy.yaml").write_text(POLICY)
    ws = Workspace(tmp_path, _settings(tmp_path))
    ws.load()
    deploy, policy = tmp_path / "deploy.yaml", tmp_path / "policy.yaml"

    def same_as_a_scan() -> set[str]:
        found = ws.lint()
        assert _key(found) == _key(lint([str(tmp_path)], _settings(tmp_path), cwd=tmp_path))
        return {r.rule for r in found.results if r.file == "deploy.yaml"}

    assert "vap/max-replicas" in same_as_a_scan()
    for path, text in [
        (deploy, DEPLOYMENT.replace("replicas: 2", "replicas: 1")),  # the object now passes
        (deploy, DEPLOYMENT),
        (policy, POLICY.replace("<= 1", "<= 3")),  # the policy changes under its name
    ]:
        path.write_text(text)
        ws.set_text(path, text, saved=True)
        shown = same_as_a_scan()
    assert "vap/max-replicas" not in shown
