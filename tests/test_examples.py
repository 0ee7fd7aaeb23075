"""The README quickstart: `ekslint scan examples/` finds the problems the examples were written with."""

from __future__ import annotations

import json
from pathlib import Path

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
