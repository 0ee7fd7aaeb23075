"""The README quickstart: `ekslint scan examples/` finds the problems the examples were written with."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekslint.cli import app

ROOT = Path(__file__).resolve().parents[1]
PLANTED = {
    ("shop.yaml", "pdb-blocks-drain"),
    ("shop.yaml", "hpa-missing-requests"),
    ("shop.yaml", "hpa-replicas-conflict"),
    ("shop.yaml", "probe-port-mismatch"),
    ("shop.yaml", "secret-in-env"),
    ("shop.yaml", "secret-in-configmap"),
    ("shop.yaml", "service-legacy-clb"),
    ("shop.yaml", "latest-image-tag"),
    ("platform.yaml", "aws-auth-system-masters"),
    ("platform.yaml", "in-tree-ebs-provisioner"),
    ("platform.yaml", "karpenter-nodepool-no-limits"),
    ("platform.yaml", "karpenter-ami-latest"),
    ("platform.yaml", "imdsv1-allowed"),
    ("cluster.yaml", "subnet-ip-headroom"),
    ("cluster.yaml", "eks-version-support"),
    ("cluster.yaml", "ssh-open"),
    ("main.tf", "subnet-ip-headroom"),
    ("main.tf", "eks-version-support"),
    ("main.tf", "public-endpoint-open"),
    ("main.tf", "single-az"),
    ("main.tf", "ssh-open"),
    ("stack.yaml", "eks-version-support"),
    ("stack.yaml", "public-endpoint-open"),
    ("stack.yaml", "imdsv1-allowed"),
}


def test_quickstart_finds_the_planted_problems() -> None:
    result = CliRunner().invoke(
        app, ["scan", str(ROOT / "examples"), "--no-config", "-f", "json", "--as-of", "2026-11-25"]
    )
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    found = {(Path(r["file"]).name, r["rule"]) for r in data["results"]}
    assert found >= PLANTED, sorted(PLANTED - found)
    assert data["errors"] == []


# -- the README says what the scan of the examples gives --------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _scan_text(args: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """The text report of ``ekslint scan <args>`` run from the repository root, as a reader would."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["scan", *args, "--no-config", "-f", "text"], env={"NO_COLOR": "1"})
    assert result.exit_code == 1, result.stderr
    return result.stdout


def test_the_readme_count_of_the_examples_is_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    m = re.search(r"`ekslint scan (examples/) --as-of (\d{4}-\d\d-\d\d)` reports (\d+) problems", README)
    assert m, "the README states the examples' count for a pinned date"
    out = _scan_text([m.group(1), "--as-of", m.group(2)], monkeypatch)
    assert f"Found {m.group(3)} problems " in out, out.splitlines()[-1]


def test_the_readme_sample_lines_are_in_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    m = re.search(r"exact line and column:\n\n```\n(.*?)```", README, re.S)
    assert m, "the README opens with sample findings"
    m_date = re.search(r"`ekslint scan examples/ --as-of (\d{4}-\d\d-\d\d)`", README)
    assert m_date
    out = _scan_text(["examples/", "--as-of", m_date.group(1)], monkeypatch).splitlines()
    for line in m.group(1).splitlines():
        assert line in out, line


def test_the_readme_terraform_and_cloudformation_output_is_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    m = re.search(r"```\n\$ ekslint scan (examples/terraform examples/cloudformation [^\n]*)\n(.*?)```", README, re.S)
    assert m, "the README shows the Terraform and CloudFormation examples' output"
    assert _scan_text(m.group(1).split(), monkeypatch) == m.group(2)
