"""Exemptions in the config: rules × objects/paths, a required reason, an expiry that bites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekslint.cli import app
from ekslint.linter.config import ConfigError, load_settings
from ekslint.linter.exemptions import object_matches

runner = CliRunner()
POD = """apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: {ns}}}
spec:
  containers:
    - name: a
      image: x:1
      securityContext: {{privileged: true}}
"""
ONLY = ["--disable", "all", "--enable", "privileged-container", "-f", "json", "--as-of", "2026-06-01"]


def scan(root: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> tuple[int, dict, str]:
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["scan", ".", *ONLY, *extra], env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""})
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}, result.stderr


def project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "web.yaml").write_text(POD.format(name="web", ns="shop"))
    (tmp_path / "apps" / "agent.yaml").write_text(POD.format(name="agent", ns="monitoring"))
    (tmp_path / "third_party").mkdir()
    (tmp_path / "third_party" / "x.yaml").write_text(POD.format(name="x", ns="shop"))
    (tmp_path / ".ekslint.yaml").write_text(config)
    return tmp_path


def test_objects_and_paths_exempt_and_sarif_carries_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(
        tmp_path,
        """exemptions:
  - rules: [privileged-container]
    objects: ["Pod/monitoring/*"]
    reason: the node agent needs the host (SEC-12)
    expires: 2027-03-31
  - rules: [all]
    paths: ["third_party/**"]
    reason: vendored
""",
    )
    code, report, _ = scan(root, monkeypatch, "--include-suppressed")
    by_file = {r["file"]: r["suppressed"] for r in report["results"]}
    assert by_file["apps/web.yaml"] is None
    assert by_file["apps/agent.yaml"] == {
        "kind": "exemption",
        "justification": "the node agent needs the host (SEC-12)",
    }
    assert by_file["third_party/x.yaml"] == {"kind": "exemption", "justification": "vendored"}
    assert code == 1
    result = runner.invoke(
        app, ["scan", ".", *ONLY[:-4], "-f", "sarif", "--include-suppressed", "--as-of", "2026-06-01"]
    )
    sarif = json.loads(result.stdout)
    suppressions = [r.get("suppressions") for r in sarif["runs"][0]["results"]]
    assert [{"kind": "external", "justification": "vendored"}] in suppressions


def test_an_expired_exemption_stops_exempting_and_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(
        tmp_path,
        """# exemptions for the platform team
exemptions:
  - rules: [privileged-container]
    objects: ["Pod/monitoring/agent"]
    reason: until the agent drops privileged
    expires: 2026-03-01
""",
    )
    code, report, _ = scan(root, monkeypatch, "--enable", "invalid-suppression")
    results = {(r["file"], r["rule"], r["line"]) for r in report["results"]}
    assert ("apps/agent.yaml", "privileged-container", 8) in results
    assert (".ekslint.yaml", "invalid-suppression", 3) in results
    message = next(r["message"] for r in report["results"] if r["rule"] == "invalid-suppression")
    assert "expired on 2026-03-01" in message
    assert code == 1


def test_unused_exemptions_with_warn_unused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(
        tmp_path,
        """exemptions:
  - rules: [privileged-container]
    objects: ["Deployment/shop/web"]
    reason: wrong kind, matches nothing
""",
    )
    _, report, _ = scan(root, monkeypatch, "--warn-unused-suppressions")
    assert [(r["file"], r["line"]) for r in report["results"] if r["rule"] == "unused-suppression"] == [
        (".ekslint.yaml", 2)
    ]
    _, report, _ = scan(root, monkeypatch)
    assert not [r for r in report["results"] if r["rule"] == "unused-suppression"]


def test_pyproject_exemption_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, "")
    (root / ".ekslint.yaml").unlink()
    (root / "pyproject.toml").write_text(
        '[tool.ekslint]\nfail-on = "warning"\n\n[[tool.ekslint.exemptions]]\nrules = ["privileged-container"]\n'
        'objects = ["Pod/shop/web"]\nreason = "x"\nexpires = 2026-01-01\n'
    )
    _, report, _ = scan(root, monkeypatch, "--enable", "invalid-suppression")
    assert [(r["file"], r["line"]) for r in report["results"] if r["rule"] == "invalid-suppression"] == [
        ("pyproject.toml", 4)
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- {objects: [Pod/a/b], reason: x}", "rules is required"),
        ("- {rules: [run-as-root], reason: x}", "give objects, paths or both"),
        ("- {rules: [run-as-root], objects: [Pod/a/b]}", "reason is required"),
        ("- {rules: [run-as-root], objects: [Pod/a/b], reason: '  '}", "reason is required"),
        ("- {rules: [run-as-root], objects: [web], reason: x}", "is not Kind/namespace/name"),
        ("- {rules: [run-as-root], objects: [Pod/a/b], reason: x, expires: 2026-02-30}", "cannot be read"),
        ("- {rules: [run-as-root], objects: [Pod/a/b], reason: x, expires: soon}", "not a date"),
        ("- {rules: [run-as-root], objects: [Pod/a/b], reason: x, until: 2026-01-01}", "unknown key"),
        ("{rules: [run-as-root]}", "must be a list"),
    ],
)
def test_invalid_exemptions_are_config_errors(tmp_path: Path, entry: str, message: str) -> None:
    (tmp_path / ".ekslint.yaml").write_text(
        "exemptions:\n" + "\n".join("  " + line for line in entry.splitlines()) + "\n"
    )
    with pytest.raises(ConfigError, match=message):
        load_settings(None, start=tmp_path)


def test_unknown_rule_in_an_exemption_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, "exemptions:\n  - {rules: [run-as-rot], objects: [Pod/a/b], reason: x}\n")
    code, _, err = scan(root, monkeypatch)
    assert code == 2 and "run-as-rot" in err


@pytest.mark.parametrize(
    ("ref", "pattern", "expected"),
    [
        ("DaemonSet/kube-system/aws-node", "DaemonSet/kube-system/aws-node", True),
        ("DaemonSet/kube-system/aws-node", "DaemonSet/*/aws-*", True),
        ("DaemonSet/kube-system/aws-node", "DaemonSet/kube-system", False),
        ("ClusterRole/admin", "ClusterRole/*", True),
        ("ClusterRole/admin", "ClusterRole/*/*", False),
        ("Deployment/a/b", "deployment/a/b", False),
    ],
)
def test_object_patterns(ref: str, pattern: str, expected: bool) -> None:
    assert object_matches(ref, pattern) is expected


def test_eks_managed_addons_are_exempt_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "aws-node.yaml").write_text(
        """apiVersion: apps/v1
kind: DaemonSet
metadata: {name: aws-node, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: aws-node}}
  template:
    metadata: {labels: {k8s-app: aws-node}}
    spec:
      containers:
        - name: aws-node
          image: 602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.0
          securityContext: {privileged: true}
"""
    )
    (tmp_path / ".ekslint.yaml").write_text("fail-on: warning\n")
    code, report, _ = scan(tmp_path, monkeypatch, "--include-suppressed")
    assert code == 0, report
    [result] = report["results"]
    assert result["suppressed"]["kind"] == "exemption" and "EKS-managed add-on" in result["suppressed"]["justification"]
    (tmp_path / ".ekslint.yaml").write_text("eks-addon-exemptions: false\n")
    code, report, _ = scan(tmp_path, monkeypatch)
    assert code == 1 and [r["rule"] for r in report["results"]] == ["privileged-container"]
