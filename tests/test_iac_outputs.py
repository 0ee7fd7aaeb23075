"""Terraform findings obey the same laws as YAML ones: SARIF, annotations, baselines, inline
suppressions, ``fix``, notes. Runs the real CLI on a small Terraform root written per test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekslint.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "terraform"
SARIF_SCHEMA = ROOT.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"
AS_OF = ["--as-of", "2026-11-25", "--no-config"]


def scan(*args: str, cwd: Path) -> tuple[int, str, str]:
    import os

    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, ["scan", *args, *AS_OF])
    finally:
        os.chdir(old)
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "infra")
    return tmp_path


def results(stdout: str) -> list[dict[str, object]]:
    data: dict[str, list[dict[str, object]]] = json.loads(stdout)
    return data["results"]


def test_findings_at_the_attribute_that_decides(root: Path) -> None:
    code, out, _ = scan("infra", "-f", "json", cwd=root)
    assert code == 1
    got = {(r["file"], r["line"], r["rule"]) for r in results(out)}
    assert got == {
        ("infra/main.tf", 16, "subnet-ip-headroom"),  # cidr_block of aws_subnet.private (count.index 0)
        ("infra/main.tf", 23, "eks-version-support"),  # version = var.kubernetes_version
        ("infra/main.tf", 35, "public-endpoint-open"),  # the vpc_config block that lacks the setting
        ("infra/main.tf", 45, "single-az"),  # the node group's subnet_ids
        ("infra/main.tf", 59, "ssh-open"),  # remote_access.ec2_ssh_key
    }
    version = next(r for r in results(out) if r["rule"] == "eks-version-support")
    assert "(set in infra/terraform.tfvars:1)" in str(version["message"])
    assert version["object"] == "aws_eks_cluster.shop"


def test_sarif_is_valid_and_names_the_resource(root: Path) -> None:
    _, out, _ = scan("infra", "-f", "sarif", cwd=root)
    data = json.loads(out)
    if SARIF_SCHEMA.is_file():
        import jsonschema

        jsonschema.validate(data, json.loads(SARIF_SCHEMA.read_text()))
    result = next(r for r in data["runs"][0]["results"] if r["ruleId"] == "ssh-open")
    location = result["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "infra/main.tf", "uriBaseId": "%SRCROOT%"}
    assert location["physicalLocation"]["region"] == {"startLine": 59, "startColumn": 5}
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "aws_eks_node_group.orders"


def test_github_annotations(root: Path) -> None:
    _, out, _ = scan("infra", "-f", "github", cwd=root)
    assert "::error file=infra/main.tf,line=59,col=5,title=ekslint ssh-open::aws_eks_node_group.orders" in out


def test_baseline_survives_line_shifts(root: Path) -> None:
    code, _, _ = scan("infra", "--write-baseline", "baseline.json", cwd=root)
    main = root / "infra" / "main.tf"
    main.write_text("# a comment on top\n\n" + main.read_text())
    code, out, _ = scan("infra", "--baseline", "baseline.json", "-f", "json", cwd=root)
    assert code == 0 and results(out) == []
    # A new problem on the same cluster is still reported.
    main.write_text(main.read_text().replace('["api", "audit", "authenticator"]', '["api"]'))
    code, out, _ = scan("infra", "--baseline", "baseline.json", "-f", "json", cwd=root)
    assert [r["rule"] for r in results(out)] == ["control-plane-logging-disabled"]


def test_inline_suppressions_in_hcl(root: Path) -> None:
    main = root / "infra" / "main.tf"
    text = main.read_text()
    text = text.replace('    ec2_ssh_key = "ops"', '    ec2_ssh_key = "ops" # ekslint: ignore=ssh-open')
    text = text.replace("  vpc_config {", "  // ekslint: ignore=public-endpoint-open\n  vpc_config {")
    text = text.replace('resource "aws_vpc" "main" {', 'resource "aws_vpc" "main" { # ekslint: ignore=no-such-rule')
    main.write_text(text)
    _, out, _ = scan("infra", "-f", "json", "--warn-unused-suppressions", "--enable", "unused-suppression", cwd=root)
    rules = sorted(str(r["rule"]) for r in results(out))
    assert "ssh-open" not in rules and "public-endpoint-open" not in rules
    assert "invalid-suppression" in rules  # the unknown id is reported, never widens the suppression


def test_fix_leaves_terraform_byte_for_byte(root: Path) -> None:
    before = {p: p.read_bytes() for p in (root / "infra").iterdir()}
    import os

    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(app, ["fix", "infra", "--no-config"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in (root / "infra").iterdir()} == before


def test_notes_for_what_is_not_read(root: Path) -> None:
    (root / "infra" / "broken.tf").write_text('resource "aws_subnet" "x" {\n  cidr_block = \n}\n')
    (root / "infra" / "prod.tfvars").write_text('kubernetes_version = "1.33"\n')
    code, out, _ = scan("infra", "-f", "json", cwd=root)
    notes = json.loads(out)["notes"]
    broken = [
        (r["rule"], r["line"], r["column"], r["message"]) for r in results(out) if r["file"].endswith("broken.tf")
    ]
    assert broken == [("yaml-syntax", 2, 3, "HCL syntax error: `cidr_block =` has no value; the file is not read")]
    assert any("prod.tfvars is not loaded by Terraform itself" in n for n in notes)
    assert code == 1 and any(r["rule"] == "ssh-open" for r in results(out))  # the rest is still read


def test_var_file_overrides_tfvars(root: Path) -> None:
    (root / "prod.tfvars").write_text('kubernetes_version = "1.35"\n')
    _, out, _ = scan("infra", "-f", "json", "--var-file", "prod.tfvars", cwd=root)
    assert "eks-version-support" not in {r["rule"] for r in results(out)}
    code, _, err = scan("infra", "--var-file", "missing.tfvars", cwd=root)
    assert code == 2 and "missing.tfvars" in err
