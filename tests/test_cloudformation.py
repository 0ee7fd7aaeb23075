"""CloudFormation: the intrinsic evaluator, the adapter onto the cluster model, and the corpus."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from ekslint.linter.cloudformation.clusters import cloudformation_clusters
from ekslint.linter.cloudformation.template import Template, is_template
from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.loader import SourceFile, load_text
from ekslint.linter.terraform.values import Ref, Unknown

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-iac" / "cloudformation"
FIXTURE = Path(__file__).parent / "fixtures" / "public-endpoint-open" / "pass-cloudformation.yaml"


def template(text: str, name: str = "t.yaml") -> Template:
    source = SourceFile(name, text=text)
    load_text(source)
    assert not source.issues, source.issues
    return Template(source, source.documents[0].root)


PARAMS = """
Parameters:
  VpcBlock: {Type: String, Default: 192.168.0.0/16}
  Env: {Type: String, Default: prod}
  Zones: {Type: CommaDelimitedList, Default: "eu-west-1a, eu-west-1b"}
  NoDefault: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Unknowable: !Equals [!Ref NoDefault, x]
Mappings:
  Sizes: {prod: {nodes: 5}}
Resources:
  VPC: {Type: AWS::EC2::VPC, Properties: {CidrBlock: !Ref VpcBlock}}
  Values:
    Type: Custom::Values
    Properties:
"""


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("!Ref VpcBlock", "192.168.0.0/16"),
        ("!Ref Zones", ["eu-west-1a", "eu-west-1b"]),
        ("!Select [1, !Cidr [!GetAtt VPC.CidrBlock, 6, 13]]", "192.168.32.0/19"),
        ("!Cidr [10.0.0.0/24, 2, 6]", ["10.0.0.0/26", "10.0.0.64/26"]),
        ("!Sub '${Env}-cluster'", "prod-cluster"),
        ("!Sub ['${A}-${Env}', {A: x}]", "x-prod"),
        ("!Sub '${!Literal}'", "${Literal}"),
        ("!Sub 'a-${Env}-${ b'", "a-prod-${ b"),  # an unclosed ${ is text
        ("!Join ['-', [a, !Ref Env]]", "a-prod"),
        ("!Split [',', 'a,b']", ["a", "b"]),
        ("!Select [0, !Split [',', 'a,b']]", "a"),
        ("!If [IsProd, big, small]", "big"),
        ("!If [IsDev, big, small]", "small"),
        ("!If [Both, big, small]", "big"),
        ("!If [Unknowable, same, same]", "same"),
        ("!FindInMap [Sizes, !Ref Env, nodes]", 5),
        ("!Base64 hello", "aGVsbG8="),
        ("!Length [a, b, c]", 3),
    ],
)
def test_intrinsics(expr: str, expected: Any) -> None:
    t = template(PARAMS + f"      X: {expr}\n")
    assert t.resolve(t.resources["Values"]["Properties"]["X"]) == expected


@pytest.mark.parametrize(
    "expr",
    [
        "!Ref NoDefault",
        "!Ref AWS::Region",
        "!ImportValue shared-vpc-id",
        "!Sub '${AWS::Region}-x'",
        "!If [Unknowable, a, b]",
        "!Join ['-', [!Ref NoDefault, a]]",
        "!Cidr [10.0.0.0/24, 100000, 2]",
        "!Select [5, [a]]",
        "!GetAZs ''",
    ],
)
def test_what_only_a_deployment_knows_is_unknown(expr: str) -> None:
    t = template(PARAMS + f"      X: {expr}\n")
    assert isinstance(t.resolve(t.resources["Values"]["Properties"]["X"]), Unknown)


def test_links_and_symbolic_azs() -> None:
    t = template(PARAMS + "      R: !Ref VPC\n      Id: !GetAtt VPC.VpcId\n      Az: !Select [2, !GetAZs '']\n")
    props = t.resources["Values"]["Properties"]
    assert t.resolve(props["R"]) == Ref("VPC", "Ref")
    assert t.resolve(props["Id"]) == Ref("VPC", "VpcId")
    az = t.resolve(props["Az"])
    assert isinstance(az, Unknown) and az.key == "Fn::GetAZs[2]"
    assert t.resolve({"A": {"Ref": "AWS::NoValue"}, "B": 1}) == {"B": 1}


def test_sub_reads_unclosed_variables_in_linear_time() -> None:
    t = template(PARAMS + "      X: 1\n")
    start = time.monotonic()
    assert t.resolve({"Fn::Sub": "${Env}-" + "${" * 50_000}) == "prod-" + "${" * 50_000
    assert time.monotonic() - start < 2  # every ${ scanned the rest for a }: minutes


def test_hostile_templates_are_bounded() -> None:
    deep = "x"
    for _ in range(5000):
        deep = {"Fn::Join": ["", [deep]]}  # type: ignore[assignment]
    t = template(PARAMS + "      X: 1\n")
    assert isinstance(t.resolve(deep), Unknown)
    loop = template("Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  X: {Type: AWS::SNS::Topic}\n")
    assert isinstance(loop.condition("A", 0), Unknown)


def test_recognition() -> None:
    assert is_template({"AWSTemplateFormatVersion": "2010-09-09"})
    assert is_template({"Resources": {"X": {"Type": "AWS::EKS::Cluster"}}})
    assert not is_template({"apiVersion": "v1", "kind": "ConfigMap"})
    assert not is_template({"Resources": {"requests": {"cpu": "1"}}})


def clusters(text: str, name: str = "t.yaml") -> list[Any]:
    source = SourceFile(name, text=text)
    load_text(source)
    return cloudformation_clusters([source], [])


def test_the_adapter_reads_the_fixture_template() -> None:
    (c,) = clusters(FIXTURE.read_text())
    assert c.name == "shop" and c.version is not None and c.version.written == "1.35"
    assert [s.cidr_text for s in c.control_plane_subnets] == ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]
    assert [s.az for s in c.control_plane_subnets] == ["Fn::GetAZs[0]", "Fn::GetAZs[1]", "Fn::GetAZs[2]"]
    assert c.endpoint_public.value is False and c.logging.value == {"api", "audit", "authenticator"}
    (ng,) = c.node_groups
    assert ng.max_size == 3 and ng.instance_types == ("m5.large",) and ng.has_update_config
    assert ng.placement == c.control_plane_subnets  # the same subnet objects: charged together


def test_node_groups_of_a_cluster_in_another_stack() -> None:
    (c,) = clusters(
        "Resources:\n  NG:\n    Type: AWS::EKS::Nodegroup\n    Properties:\n"
        "      ClusterName: !ImportValue shared-cluster\n      NodeRole: r\n      Subnets: [subnet-1]\n"
        "      RemoteAccess:\n        Ec2SshKey: ops\n"
    )
    assert c.endpoint_public is None and c.version is None  # the cluster's own settings are unknown
    assert c.node_groups[0].ssh is not None and c.node_groups[0].ssh.open_to_world


def test_cdk_custom_resource() -> None:
    config = {
        "version": "1.29",
        "resourcesVpcConfig": {"subnetIds": ["subnet-a", "subnet-b"], "endpointPublicAccess": True},
        "logging": {"clusterLogging": [{"enabled": True, "types": ["api", "audit"]}]},
    }
    text = json.dumps(
        {"Resources": {"Cluster9AB8": {"Type": "Custom::AWSCDK-EKS-Cluster", "Properties": {"Config": config}}}}
    )
    (c,) = clusters(text, "Stack.template.json")
    assert c.version.written == "1.29" and c.endpoint_public.value is True
    assert c.logging.value == {"api", "audit"}


def test_json_templates_report_at_the_right_line(tmp_path: Path) -> None:
    data = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Cluster": {
                "Type": "AWS::EKS::Cluster",
                "Properties": {
                    "Version": "1.35",
                    "RoleArn": "arn:aws:iam::123456789012:role/eks",
                    "ResourcesVpcConfig": {"SubnetIds": ["subnet-a", "subnet-b"], "PublicAccessCidrs": ["0.0.0.0/0"]},
                },
            }
        },
    }
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(data, indent=2))
    settings = Settings(root=tmp_path, enable=["public-endpoint-open"], disable=["all"])
    report = lint([str(path)], settings, cwd=tmp_path)
    (result,) = report.active
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if '"0.0.0.0/0"' in text)
    assert result.line == line and result.object == "AWS::EKS::Cluster Cluster"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus-iac is not beside this checkout")
def test_corpus_templates_are_clusters_not_broken_manifests() -> None:
    settings = Settings(root=CORPUS)
    report = lint([str(CORPUS)], settings, cwd=CORPUS)
    assert report.errors == []
    manifest_rules = {r.rule for r in report.active} - {
        "public-endpoint-open",
        "secrets-encryption-disabled",
        "control-plane-logging-disabled",
        "eks-version-support",
        "nodegroup-update-config",
        "imdsv1-allowed",
        "self-managed-nodegroup",
        "single-az",
        "duplicate-key",
        "subnet-ip-headroom",
        "nodes-public-subnets",
        "ssh-open",
    }
    assert manifest_rules == set()
    assert not any("Helm chart template" in n for n in report.notes)
    # hard case 8: the same template in YAML and in long-form JSON gives the same findings
    yaml_rules = sorted((r.rule, r.message) for r in report.active if r.file.endswith("EKS/template.yaml"))
    json_rules = sorted((r.rule, r.message) for r in report.active if r.file.endswith("EKS/template.json"))
    assert yaml_rules and yaml_rules == json_rules
