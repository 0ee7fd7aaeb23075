"""The target Kubernetes version of upgrade rules: where it comes from, where it applies, and the note
that says so.

Precedence: ``--kubernetes-version``, then ``kubernetes-version`` in the config, then the version of
the cluster whose definition (eksctl ClusterConfig, Terraform root, CloudFormation template) sits in
the manifest's folder or above (the deepest one), then the newest EKS version in standard support on
``--as-of``. A cluster definition never sets the target of manifests outside its own tree.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from ekslint.cli import app
from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.report import Report

AS_OF = dt.date(2026, 11, 25)  # the newest EKS version in standard support then: 1.35

HPA = """apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  namespace: shop
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: 2
  maxReplicas: 10
"""

CLUSTER = """apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: {name}
  region: eu-west-1
  version: "{version}"
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _scan(root: Path, **overrides: object) -> Report:
    settings = Settings(root=root, enable=["removed-api", "deprecated-api"], disable=["all"], as_of=AS_OF)
    for key, value in overrides.items():
        setattr(settings, key, value)
    return lint([str(root)], settings, cwd=root)


def _verdicts(report: Report) -> dict[str, tuple[str, str]]:
    return {Path(r.file).as_posix(): (r.rule, r.message) for r in report.active}


def _monorepo(root: Path) -> None:
    _write(
        root,
        {
            "clusters/old/cluster.yaml": CLUSTER.format(name="old", version="1.22"),
            "clusters/old/apps/hpa.yaml": HPA.format(name="inside"),
            "apps/web/hpa.yaml": HPA.format(name="outside"),
        },
    )


def test_a_cluster_sets_the_target_only_for_its_own_tree(tmp_path: Path) -> None:
    _monorepo(tmp_path)
    report = _scan(tmp_path)
    got = _verdicts(report)
    rule, message = got["clusters/old/apps/hpa.yaml"]
    assert rule == "deprecated-api"  # served by 1.22, removed in 1.25
    assert "the target is 1.22 (metadata.version of eksctl cluster 'old' at clusters/old/cluster.yaml:6)" in message
    rule, message = got["apps/web/hpa.yaml"]
    assert rule == "removed-api"
    assert "the target is 1.35 (the newest EKS version in standard support on 2026-11-25)" in message


def test_a_note_says_which_target_was_used_and_why(tmp_path: Path) -> None:
    _monorepo(tmp_path)
    notes = _scan(tmp_path).notes
    assert (
        "target Kubernetes version 1.22 for clusters/old/ and below "
        "(metadata.version of eksctl cluster 'old' at clusters/old/cluster.yaml:6)"
    ) in notes
    assert any(
        n.startswith(
            "target Kubernetes version 1.35 elsewhere (the newest EKS version in standard support on 2026-11-25"
        )
        for n in notes
    ), notes


def test_the_flag_beats_every_cluster(tmp_path: Path) -> None:
    _monorepo(tmp_path)
    report = _scan(tmp_path, kubernetes_version="1.25")
    assert {rule for rule, _ in _verdicts(report).values()} == {"removed-api"}
    assert [n for n in report.notes if n.startswith("target")] == [
        "target Kubernetes version 1.25 (--kubernetes-version)"
    ]


def test_the_config_beats_every_cluster_and_is_named(tmp_path: Path) -> None:
    _monorepo(tmp_path)
    config = tmp_path / ".ekslint.yaml"
    config.write_text('kubernetes-version: "1.22"\n', encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(tmp_path),
            "-c",
            str(config),
            "--disable",
            "all",
            "--enable",
            "removed-api",
            "--enable",
            "deprecated-api",
            "--as-of",
            "2026-11-25",
            "-f",
            "json",
        ],
    )
    data = json.loads(result.stdout)
    assert {r["rule"] for r in data["results"]} == {"deprecated-api"}
    assert f"target Kubernetes version 1.22 (kubernetes-version in {config})" in data["notes"]
    assert f"target Kubernetes version 1.22 (kubernetes-version in {config})" in result.stderr


def test_the_deepest_cluster_wins(tmp_path: Path) -> None:
    _monorepo(tmp_path)
    _write(tmp_path, {"cluster.yaml": CLUSTER.format(name="platform", version="1.24")})
    got = _verdicts(_scan(tmp_path))
    assert got["clusters/old/apps/hpa.yaml"][0] == "deprecated-api"
    assert "the target is 1.22 " in got["clusters/old/apps/hpa.yaml"][1]
    assert got["apps/web/hpa.yaml"][0] == "deprecated-api"
    assert (
        "the target is 1.24 (metadata.version of eksctl cluster 'platform' at cluster.yaml:6)"
        in got["apps/web/hpa.yaml"][1]
    )


def test_several_clusters_in_one_folder_take_the_newest(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a.yaml": CLUSTER.format(name="a", version="1.22"),
            "b.yaml": CLUSTER.format(name="b", version="1.25"),
            "hpa.yaml": HPA.format(name="web"),
        },
    )
    rule, message = _verdicts(_scan(tmp_path))["hpa.yaml"]
    assert rule == "removed-api" and "the target is 1.25 (metadata.version of eksctl cluster 'b'" in message


def test_a_terraform_cluster_sets_the_target_of_its_tree(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "infra/main.tf": 'resource "aws_eks_cluster" "shop" {\n  name     = "shop"\n'
            '  role_arn = "arn:aws:iam::111122223333:role/eks"\n  version  = var.kubernetes_version\n'
            "  vpc_config {\n    subnet_ids = []\n  }\n}\n",
            "infra/variables.tf": 'variable "kubernetes_version" {\n  type = string\n}\n',
            "infra/terraform.tfvars": 'kubernetes_version = "1.23"\n',
            "infra/k8s/hpa.yaml": HPA.format(name="web"),
            "other/hpa.yaml": HPA.format(name="api"),
        },
    )
    got = _verdicts(_scan(tmp_path))
    rule, message = got["infra/k8s/hpa.yaml"]
    assert rule == "deprecated-api"
    assert "the target is 1.23 (version of aws_eks_cluster.shop at infra/main.tf:4" in message
    assert got["other/hpa.yaml"][0] == "removed-api"


def test_no_note_when_no_rule_asks_for_the_target(tmp_path: Path) -> None:
    _monorepo(tmp_path)
    settings = Settings(root=tmp_path, enable=["latest-image-tag"], disable=["all"], as_of=AS_OF)
    report = lint([str(tmp_path)], settings, cwd=tmp_path)
    assert not [n for n in report.notes if n.startswith("target")]
