"""Terraform as real repositories write it: the patterns of reference/terraform-eks.md section 3
(E1-E14), each rebuilt here as a small root module, and what the cluster model must make of it.

The cases are written out inline (not read from ``../shared``) so that they run everywhere; the
hard cases of corpus-iac/STATS.md are at the end and skip when that corpus is not beside the
checkout. Each asserts the model's values, not just "no crash": a wrong default or a guessed
unknown is exactly the mistake these patterns invite.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ekslint.linter.cluster import build_clusters
from ekslint.linter.cluster.model import Cluster
from ekslint.linter.config import Settings
from ekslint.linter.engine import lint, load_candidates
from ekslint.linter.paths import discover
from ekslint.linter.report import Report

IAC = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-iac" / "terraform"

VPC = """
locals {
  vpc_cidr = "10.0.0.0/16"
  azs      = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

module "vpc" {
  source          = "terraform-aws-modules/vpc/aws"
  version         = "~> 5.0"
  cidr            = local.vpc_cidr
  azs             = local.azs
  private_subnets = [for k, v in local.azs : cidrsubnet(local.vpc_cidr, 4, k)]
  public_subnets  = [for k, v in local.azs : cidrsubnet(local.vpc_cidr, 8, k + 48)]
}
"""


def model(root: Path, files: dict[str, str], var_files: tuple[str, ...] = ()) -> tuple[list[Cluster], list[str]]:
    """The clusters (and notes) the Terraform in ``files``, written under ``root``, defines."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    settings = Settings(root=root, var_files=list(var_files))
    candidates, problems = discover([str(root)], cwd=root, root=root, exclude=settings.exclude)
    assert problems == []
    report = Report(rules=[])
    sources = load_candidates(candidates, settings, report, None, None)
    notes: list[str] = []
    clusters = build_clusters(sources, [], notes, settings, root)
    assert not any("internal error" in n for n in notes), notes
    return clusters, notes


def one(root: Path, files: dict[str, str], **kw: tuple[str, ...]) -> Cluster:
    clusters, _ = model(root, files, **kw)
    assert len(clusters) == 1, [c.describe for c in clusters]
    return clusters[0]


def cidrs(cluster: Cluster) -> list[str | None]:
    assert cluster.control_plane_subnets is not None
    return [s.cidr_text for s in cluster.control_plane_subnets]


def test_e1_cidrs_from_a_slice_of_a_data_source(tmp_path: Path) -> None:
    """E1: AZs from a data source, sliced to 3: the CIDRs follow from the count (Terraform fails the
    plan if the region has fewer than 3 AZs); the AZs are positions in a list only AWS knows,
    distinct from each other (what single-az needs), but not names."""
    main = VPC.replace(
        'azs      = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]',
        "azs      = slice(data.aws_availability_zones.available.names, 0, 3)",
    )
    c = one(
        tmp_path,
        {
            "main.tf": main
            + """
data "aws_availability_zones" "available" {}
module "eks" {
  source       = "terraform-aws-modules/eks/aws"
  version      = "~> 21.0"
  name         = "ex"
  kubernetes_version = "1.33"
  subnet_ids   = module.vpc.private_subnets
}
"""
        },
    )
    assert cidrs(c) == ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
    assert c.control_plane_subnets is not None
    names = "data.aws_availability_zones.available.names"
    assert [s.az for s in c.control_plane_subnets] == [f"{names}[{i}]" for i in range(3)]
    assert {s.az_symbol for s in c.control_plane_subnets} == {names}


def test_e2_v21_literals(tmp_path: Path) -> None:
    """E2: module v21, everything literal; add-ons and a managed node group."""
    c = one(
        tmp_path,
        {
            "main.tf": VPC
            + """
module "eks_al2023" {
  source             = "terraform-aws-modules/eks/aws"
  version            = "~> 21.0"
  name               = "ex"
  kubernetes_version = "1.33"
  addons = {
    coredns = {}
    vpc-cni = { before_compute = true }
  }
  subnet_ids = module.vpc.private_subnets
  eks_managed_node_groups = {
    example = {
      instance_types = ["m6i.large"]
      ami_type       = "AL2023_x86_64_STANDARD"
      min_size       = 2
      max_size       = 5
      desired_size   = 2
    }
  }
}
"""
        },
    )
    assert c.version is not None and c.version.read_as == "1.33"
    assert sorted(a.name for a in c.addons) == ["coredns", "vpc-cni"]
    (ng,) = c.node_groups
    assert (ng.name, ng.managed, ng.instance_types, ng.max_size) == ("example", True, ("m6i.large",), 5)
    assert cidrs(c) == ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
    assert [s.az for s in c.control_plane_subnets or []] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    # v21 defaults: private endpoint on, public off
    assert c.endpoint_public is not None and c.endpoint_public.value is False and not c.endpoint_public.written


def test_e3_node_groups_from_variable_defaults(tmp_path: Path) -> None:
    """E3: whole node group maps from variable defaults; ``instance_type`` (singular) is not a
    managed node group key, so EKS launches its default t3.medium, not t2.micro."""
    c = one(
        tmp_path,
        {
            "main.tf": """
module "eks" {
  source                          = "terraform-aws-modules/eks/aws"
  version                         = "20.11.1"
  cluster_name                    = "mario"
  cluster_version                 = var.cluster_version
  cluster_endpoint_public_access  = true
  eks_managed_node_group_defaults = var.cluster_node_groups_default
  eks_managed_node_groups         = var.cluster_node_groups
}
""",
            "variables.tf": """
variable "cluster_version" { default = "1.29" }
variable "cluster_node_groups_default" {
  default = { instance_type = "t2.micro", ami_type = "AL2_x86_64" }
}
variable "cluster_node_groups" {
  default = {
    mario = { min_size = 1, max_size = 3, desired_size = 2 }
  }
}
""",
        },
    )
    assert c.version is not None and c.version.read_as == "1.29"
    (ng,) = c.node_groups
    assert ng.instance_types == ("t3.medium",) and ng.max_size == 3


def test_e3_tfvars_and_auto_tfvars_override_defaults(tmp_path: Path) -> None:
    files = {
        "main.tf": """
module "eks" {
  source          = "terraform-aws-modules/eks/aws"
  version         = "~> 20.0"
  cluster_name    = "x"
  cluster_version = var.cluster_version
  eks_managed_node_groups = var.groups
}
variable "cluster_version" { default = "1.27" }
variable "groups" { default = {} }
""",
        "terraform.tfvars": 'cluster_version = "1.28"\n',
        "b.auto.tfvars": 'groups = { a = { instance_types = ["m5.large"] } }\n',
        "a.auto.tfvars": 'cluster_version = "1.30"\n',  # auto files load after terraform.tfvars
    }
    c = one(tmp_path, files)
    assert c.version is not None and c.version.read_as == "1.30"
    assert c.version.origin is not None and c.version.origin.file.display.endswith("a.auto.tfvars")
    assert [ng.instance_types for ng in c.node_groups] == [("m5.large",)]


def test_e4_v19_defaults(tmp_path: Path) -> None:
    """E4: v19, logging and encryption unset: v19 logs audit, api, authenticator and encrypts
    Secrets with the key it creates."""
    c = one(
        tmp_path,
        {
            "eks.tf": VPC
            + """
module "eks" {
  source                         = "terraform-aws-modules/eks/aws"
  version                        = "19.0.4"
  cluster_name                   = "k"
  cluster_version                = "1.27"
  subnet_ids                     = module.vpc.private_subnets
  cluster_endpoint_public_access = true
}
"""
        },
    )
    assert c.logging is not None and c.logging.value == frozenset({"audit", "api", "authenticator"})
    assert not c.logging.written
    assert c.secrets_key is not None and c.secrets_key.value and not c.secrets_key.written
    assert c.endpoint_public is not None and c.endpoint_public.value is True


def test_e5_child_module_gets_the_callers_arguments(tmp_path: Path) -> None:
    """E5: the EKS module is called from a local child module; values arrive from the caller."""
    clusters, _ = model(
        tmp_path,
        {
            "main.tf": VPC
            + """
module "eks" {
  source          = "./eks"
  cluster_version = "1.26"
  subnet_ids      = module.vpc.private_subnets
  node_groups     = { main = { max_size = 4 } }
}
""",
            "eks/main.tf": """
variable "cluster_version" {}
variable "subnet_ids" {}
variable "node_groups" {}
module "eks" {
  source                          = "terraform-aws-modules/eks/aws"
  version                         = "~> 20.0"
  cluster_name                    = "mlops"
  cluster_version                 = var.cluster_version
  subnet_ids                      = var.subnet_ids
  eks_managed_node_group_defaults = { instance_types = ["t3.small"] }
  eks_managed_node_groups         = var.node_groups
}
""",
        },
    )
    (c,) = clusters  # the child folder is not a root of its own
    assert c.version is not None and c.version.read_as == "1.26"
    assert c.version.origin is not None and c.version.origin.file.display == "main.tf"
    assert cidrs(c) == ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
    (ng,) = c.node_groups
    assert (ng.instance_types, ng.max_size) == (("t3.small",), 4)


def test_e6_required_variables_are_unknown_not_the_modules_default(tmp_path: Path) -> None:
    """E6: every input a variable nothing sets: unknown, never the module's default."""
    c = one(
        tmp_path,
        {
            "main.tf": """
variable "cluster_endpoint_public_access" { type = bool }
variable "cluster_version" { type = string }
variable "subnet_ids" { type = list(string) }
module "eks" {
  source                         = "terraform-aws-modules/eks/aws"
  version                        = "~> 20.0"
  cluster_name                   = "x"
  cluster_version                = var.cluster_version
  cluster_endpoint_public_access = var.cluster_endpoint_public_access
  subnet_ids                     = var.subnet_ids
}
"""
        },
    )
    assert c.endpoint_public is not None and not c.endpoint_public.known
    assert c.version is None or not c.version.read_as
    assert c.control_plane_subnets is None


@pytest.mark.parametrize("subnets", ["var.subnet_ids", '["subnet-0a", "subnet-0b"]'])
def test_e7_e8_raw_cluster_takes_the_providers_defaults(tmp_path: Path, subnets: str) -> None:
    """E7/E8: a bare aws_eks_cluster: the public endpoint open to 0.0.0.0/0, no logs, no
    encryption, the version unpinned."""
    c = one(
        tmp_path,
        {
            "main.tf": f"""
variable "subnet_ids" {{ type = list(string) }}
resource "aws_eks_cluster" "eks" {{
  name     = "eks"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {{
    subnet_ids = {subnets}
  }}
}}
resource "aws_eks_node_group" "ng" {{
  cluster_name  = aws_eks_cluster.eks.name
  node_role_arn = "arn:aws:iam::123456789012:role/node"
  subnet_ids    = {subnets}
  instance_types = ["t3.medium"]
  scaling_config {{
    desired_size = 1
    max_size     = 2
    min_size     = 1
  }}
}}
"""
        },
    )
    assert c.endpoint_public is not None and c.endpoint_public.value is True and not c.endpoint_public.written
    assert c.public_access_cidrs is not None and c.public_access_cidrs.value == ("0.0.0.0/0",)
    assert c.logging is not None and c.logging.value == frozenset()
    assert c.secrets_key is not None and c.secrets_key.value is None
    assert c.version is None
    (ng,) = c.node_groups
    assert (ng.instance_types, ng.max_size) == (("t3.medium",), 2)


def test_e9_count_subnets_with_cidrsubnet_and_element(tmp_path: Path) -> None:
    c = one(
        tmp_path,
        {
            "vpc.tf": """
resource "aws_vpc" "eks_vpc" { cidr_block = "10.20.0.0/16" }
resource "aws_subnet" "eks_subnets" {
  count             = 3
  vpc_id            = aws_vpc.eks_vpc.id
  cidr_block        = cidrsubnet(aws_vpc.eks_vpc.cidr_block, 4, count.index)
  availability_zone = element(["us-east-1a", "us-east-1b", "us-east-1c"], count.index)
}
resource "aws_eks_cluster" "c" {
  name     = "c"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config { subnet_ids = aws_subnet.eks_subnets[*].id }
}
"""
        },
    )
    assert cidrs(c) == ["10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"]
    assert [s.az for s in c.control_plane_subnets or []] == ["us-east-1a", "us-east-1b", "us-east-1c"]
    first = (c.control_plane_subnets or [])[0]
    assert first.site.line == 6  # the cidr_block attribute, for subnet-ip-headroom


LAUNCH_TEMPLATE = """
variable "imdsv2_required" {DEFAULT}
resource "aws_eks_cluster" "c" {
  name     = "c"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config { subnet_ids = ["subnet-0a", "subnet-0b"] }
}
resource "aws_launch_template" "node" {
  name = "node"
  metadata_options {
    http_tokens                 = var.imdsv2_required ? "required" : "optional"
    http_put_response_hop_limit = 2
  }
}
resource "aws_eks_node_group" "ng" {
  cluster_name  = aws_eks_cluster.c.name
  node_role_arn = "arn:aws:iam::123456789012:role/node"
  subnet_ids    = ["subnet-0a"]
  scaling_config {
    desired_size = 1
    max_size     = 2
    min_size     = 1
  }
  launch_template {
    id      = aws_launch_template.node.id
    version = aws_launch_template.node.latest_version
  }
}
"""


@pytest.mark.parametrize(
    ("default", "optional"),
    [("{ default = false }", True), ("{ default = true }", False), ("{ type = bool }", False)],
)
def test_e10_conditional_imds_resolves_only_with_a_value(tmp_path: Path, default: str, optional: bool) -> None:
    """E10: ``var.x ? "required" : "optional"``: decided by the variable's value; unknown
    without one (and then not reported)."""
    c = one(tmp_path, {"lt.tf": LAUNCH_TEMPLATE.replace("{DEFAULT}", default)})
    (ng,) = c.node_groups
    assert (ng.imds.tokens_optional is not None) is optional
    assert ng.imds.hop_limit == 2


def test_e11_literal_launch_template(tmp_path: Path) -> None:
    text = LAUNCH_TEMPLATE.replace("{DEFAULT}", "{ default = true }").replace(
        "  metadata_options {",
        '  key_name = "ttn"\n  block_device_mappings {\n    device_name = "/dev/xvda"\n'
        '    ebs {\n      volume_type = "gp3"\n      encrypted   = false\n    }\n  }\n  metadata_options {',
    )
    c = one(tmp_path, {"lt.tf": text})
    (ng,) = c.node_groups
    assert ng.imds.tokens_optional is None
    assert [v.at.line for v in ng.volume_unencrypted] == [15]


def test_e12_launch_template_through_a_modules_outputs(tmp_path: Path) -> None:
    """E12: the node group's launch template id comes from a child module's output: followed
    back to the resource inside the module."""
    c = one(
        tmp_path,
        {
            "main.tf": """
resource "aws_eks_cluster" "c" {
  name     = "c"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config { subnet_ids = ["subnet-0a", "subnet-0b"] }
}
module "lt" { source = "./lt" }
resource "aws_eks_node_group" "ng" {
  cluster_name  = aws_eks_cluster.c.name
  node_role_arn = "arn:aws:iam::123456789012:role/node"
  subnet_ids    = ["subnet-0a"]
  scaling_config {
    desired_size = 1
    max_size     = 2
    min_size     = 1
  }
  launch_template {
    id      = module.lt.id
    version = module.lt.version
  }
}
""",
            "lt/main.tf": """
resource "aws_launch_template" "nodegroup" {
  metadata_options { http_tokens = "optional" }
}
output "id" { value = aws_launch_template.nodegroup.id }
output "version" { value = aws_launch_template.nodegroup.latest_version }
""",
        },
    )
    (ng,) = c.node_groups
    assert ng.imds.tokens_optional is not None
    assert ng.imds.tokens_optional.file.display == "lt/main.tf" and ng.imds.tokens_optional.line == 3


@pytest.mark.parametrize(
    "subnets",
    [
        "data.aws_subnets.subnets.ids",
        "data.terraform_remote_state.network.outputs.private_subnet_ids",
        "module.network.private_subnet_ids",  # a registry module not in the scan
    ],
)
def test_e13_subnets_known_only_at_plan_time(tmp_path: Path, subnets: str) -> None:
    c = one(
        tmp_path,
        {
            "main.tf": f"""
data "aws_subnets" "subnets" {{}}
data "terraform_remote_state" "network" {{
  backend = "s3"
  config  = {{ bucket = "b", key = "k", region = "eu-west-1" }}
}}
module "network" {{
  source  = "example/network/aws"
  version = "1.0.0"
}}
resource "aws_eks_cluster" "c" {{
  name     = "c"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {{ subnet_ids = {subnets} }}
}}
"""
        },
    )
    assert c.control_plane_subnets is None  # unknown: the subnet rules skip it
    report = lint([str(tmp_path)], Settings(root=tmp_path), cwd=tmp_path)
    assert not {r.rule for r in report.active} & {"subnet-ip-headroom", "single-az", "nodes-public-subnets"}


def test_e14_dynamic_blocks(tmp_path: Path) -> None:
    """E14 / hard case 5: ``dynamic`` blocks exist as many times as their ``for_each`` says."""
    text = """
variable "kms_key_arn" { default = DEFAULT }
variable "ssh_key" { default = SSH }
resource "aws_eks_cluster" "c" {
  name     = "c"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config { subnet_ids = ["subnet-0a", "subnet-0b"] }
  dynamic "encryption_config" {
    for_each = var.kms_key_arn != null ? [1] : []
    content {
      resources = ["secrets"]
      provider { key_arn = var.kms_key_arn }
    }
  }
}
resource "aws_eks_node_group" "ng" {
  cluster_name  = aws_eks_cluster.c.name
  node_role_arn = "arn:aws:iam::123456789012:role/node"
  subnet_ids    = ["subnet-0a"]
  scaling_config {
    desired_size = 1
    max_size     = 2
    min_size     = 1
  }
  dynamic "remote_access" {
    for_each = var.ssh_key != null ? [var.ssh_key] : []
    content { ec2_ssh_key = remote_access.value }
  }
}
"""
    on = one(
        tmp_path / "on", {"main.tf": text.replace("DEFAULT", '"arn:aws:kms:eu-west-1:1:key/x"').replace("SSH", '"k"')}
    )
    assert on.secrets_key is not None and on.secrets_key.value == "arn:aws:kms:eu-west-1:1:key/x"
    assert on.node_groups[0].ssh is not None and on.node_groups[0].ssh.open_to_world
    off = one(tmp_path / "off", {"main.tf": text.replace("DEFAULT", "null").replace("SSH", "null")})
    assert off.secrets_key is not None and off.secrets_key.value is None
    assert off.node_groups[0].ssh is None


# -- the hard cases of corpus-iac/STATS.md, on the real files --------------------------------------

needs_corpus = pytest.mark.skipif(not IAC.is_dir(), reason="../shared/corpus-iac is not beside this checkout")


def corpus_clusters(folder: str) -> tuple[list[Cluster], list[str]]:
    root = IAC / folder
    settings = Settings(root=root)
    candidates, _ = discover([str(root)], cwd=root, root=root, exclude=settings.exclude)
    sources = load_candidates(candidates, settings, Report(rules=[]), None, None)
    notes: list[str] = []
    clusters = build_clusters(sources, [], notes, settings, root)
    assert not any("internal error" in n for n in notes), notes
    return clusters, notes


@needs_corpus
def test_hard_case_1_node_groups_from_a_tfvars_list(tmp_path: Path) -> None:
    """Young-ook: node groups only as a list of objects in a fixture tfvars, turned into a map by
    ``for_each = { for ng in var.managed_node_groups : ng.name => ng }``."""
    root = IAC / "Young-ook__terraform-aws-eks"
    tfvars = root / "examples" / "blueprint" / "fixture.spot.tfvars"
    settings = Settings(root=root, var_files=[str(tfvars)])
    candidates, _ = discover([str(root)], cwd=root, root=root, exclude=settings.exclude)
    sources = load_candidates(candidates, settings, Report(rules=[]), None, None)
    notes: list[str] = []
    clusters = build_clusters(sources, [], notes, settings, root)
    assert not any("internal error" in n for n in notes), notes
    groups = [ng for c in clusters for ng in c.node_groups if ng.managed]
    assert groups, [c.describe for c in clusters]
    assert all(ng.instance_types for ng in groups)


@needs_corpus
def test_hard_case_2_and_3_the_module_itself_and_its_v19_examples() -> None:
    clusters, _ = corpus_clusters("terraform-aws-modules__terraform-aws-eks__v19")
    # each example calls the module as ``source = "../.."``: its cluster is the module's own
    # aws_eks_cluster, evaluated with the example's inputs, named by the example's locals
    assert "ex-complete" in {c.name for c in clusters}
    example = [c for c in clusters if c.name == "ex-eks-managed-node-group"]
    assert example, sorted(c.name for c in clusters)
    groups = [ng for c in example for ng in c.node_groups]
    assert len(groups) >= 3
    subnets = [s for c in example for s in c.control_plane_subnets or []]
    assert subnets and all(s.network is not None for s in subnets)


@needs_corpus
def test_hard_case_4_blueprint_subnets_through_the_vpc_module() -> None:
    clusters, _ = corpus_clusters("aws-ia__terraform-aws-eks-blueprints/patterns/karpenter-mng")
    (c,) = clusters
    assert cidrs(c) == ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]


@needs_corpus
def test_hard_case_5_plain_resources_with_dynamic_blocks() -> None:
    clusters, _ = corpus_clusters("tfstack__terraform-aws-eks-basic")
    assert clusters
    assert all(c.secrets_key is not None for c in clusters)


@needs_corpus
def test_hard_case_6_count_guarded_launch_templates() -> None:
    clusters, notes = corpus_clusters("cloudposse__terraform-aws-eks-node-group")
    # a node group module without its cluster: nothing is invented; no internal errors
    assert all(c.node_groups or c.control_plane_subnets is not None or c.name for c in clusters)
    assert not any("nests too deeply" in n for n in notes)


@needs_corpus
def test_hard_case_7_cross_stack_values_are_unknown() -> None:
    clusters, _ = corpus_clusters("aws-samples__terraform-eks-code")
    assert clusters
    for c in clusters:
        if c.control_plane_subnets is not None:
            assert all(s.network is None for s in c.control_plane_subnets)


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        # HCL groups a chain to the right: a ? b : (c ? d : e)
        ('var.k == "b" ? "1.20" : var.k == "a" ? "1.31" : "1.33"', "1.31"),
        ('var.k == "a" ? "1.31" : var.k == "b" ? "1.20" : "1.33"', "1.31"),
        ('var.k == "x" ? "1.20" : var.k == "y" ? "1.21" : var.k == "a" ? "1.31" : "1.33"', "1.31"),
        ('var.k == "x" ? "1.20" : var.k == "y" ? "1.21" : "1.33"', "1.33"),
        # parentheses are kept: (a ? b : c) ? d : e
        ('(var.k == "a" ? false : true) ? "1.20" : "1.31"', "1.31"),
        ('var.k == "a" ? (true ? "1.31" : "1.20") : "1.33"', "1.31"),
        # an unknown condition whose branches agree still has a value
        ('var.unset == "x" ? "1.31" : var.k == "a" ? "1.31" : "1.20"', "1.31"),
        ('var.unset == "x" ? "1.20" : var.k == "a" ? "1.31" : "1.20"', None),
    ],
)
def test_chained_conditionals_group_to_the_right(tmp_path: Path, expr: str, want: str | None) -> None:
    c = one(
        tmp_path,
        {
            "main.tf": f"""
variable "k" {{ default = "a" }}
variable "unset" {{}}
resource "aws_eks_cluster" "c" {{
  name     = "c"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  version  = {expr}
  vpc_config {{ subnet_ids = ["subnet-0a", "subnet-0b"] }}
}}
"""
        },
    )
    if want is None:
        assert c.version is None  # unknown: no version to judge
    else:
        assert c.version is not None and c.version.read_as == want
