"""Registry modules ekslint knows without downloading them: ``terraform-aws-modules/eks`` and
``terraform-aws-modules/vpc``.

Nothing is fetched at lint time, so a call to a registry module is read from its arguments and
from what this module knows of its inputs, defaults and outputs per major version
(``../shared/reference/terraform-eks.md`` sections 2.1-2.4, read from the modules' ``variables.tf``,
``main.tf`` and ``outputs.tf`` at v18.31.2, v19.21.0, v20.37.2, v21.19.0 and vpc v6.6.0). The
outputs that link an EKS cluster to its subnets are modelled exactly: ``module.vpc.private_subnets``
is the list of the subnets made from the call's ``private_subnets`` CIDRs, in order. Any other
module's outputs are unknown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ekslint.linter.terraform.values import Ref, Unknown

if TYPE_CHECKING:
    from ekslint.linter.terraform.modules import ModuleCall

EKS, VPC = "terraform-aws-modules/eks/aws", "terraform-aws-modules/vpc/aws"
#: Sources that name those modules: the registry (optionally with its host) or GitHub.
_SOURCES = {
    EKS: re.compile(
        r"^(?:registry\.terraform\.io/)?terraform-aws-modules/eks/aws$|"
        r"^(?:git::)?(?:https://|ssh://git@|git@)?github\.com[/:]terraform-aws-modules/terraform-aws-eks(?:\.git)?$"
    ),
    VPC: re.compile(
        r"^(?:registry\.terraform\.io/)?terraform-aws-modules/vpc/aws$|"
        r"^(?:git::)?(?:https://|ssh://git@|git@)?github\.com[/:]terraform-aws-modules/terraform-aws-vpc(?:\.git)?$"
    ),
}
_REF = re.compile(r"[?&]ref=v?(\d+)")
_VERSION = re.compile(r"(\d+)")

#: The VPC module's subnet groups: ``<group>_subnets`` inputs (CIDR lists) and outputs (ids).
VPC_SUBNET_GROUPS = ("private", "public", "intra", "database", "elasticache", "redshift", "outpost")


def registry_module(source: str) -> tuple[str, str] | None:
    """``(module, submodule path)`` when ``source`` names one of the known modules."""
    base = source.partition("?")[0]
    # The subdirectory separator is the first "//" after the scheme's "://" (git::https://...).
    scheme = base.find("://")
    cut = base.find("//", scheme + 3 if scheme >= 0 else 0)
    base, sub = (base[:cut], base[cut + 2 :]) if cut >= 0 else (base, "")
    for name, pattern in _SOURCES.items():
        if pattern.match(base.rstrip("/")):
            return name, sub.strip("/")
    return None


def major_version(call: ModuleCall) -> int | None:
    """The module's major version from ``version = "~> 20.11"`` or ``?ref=v19.21.0``."""
    if call.version:
        m = _VERSION.search(call.version)
        if m:
            return int(m.group(1))
    m = _REF.search(call.source)
    return int(m.group(1)) if m else None


def module_output(call: ModuleCall, name: str) -> Any:
    """An output of a registry module call (unknown unless this module knows it)."""
    known = registry_module(call.source)
    if known is not None and known[1] == "":
        if known[0] == VPC:
            return _vpc_output(call, name)
        if known[0] == EKS:
            return _eks_output(call, name)
    return Unknown(f"{call.address}.{name}")


def vpc_subnet_address(call: ModuleCall, group: str, index: int) -> str:
    return f"{call.address}.aws_subnet.{group}[{index}]"


def _vpc_output(call: ModuleCall, name: str) -> Any:
    from ekslint.linter.terraform.evaluate import HList

    for group in VPC_SUBNET_GROUPS:
        if name == f"{group}_subnets":
            cidrs = call.get(f"{group}_subnets", [])
            if not isinstance(cidrs, list):
                return Unknown(f"{call.address}.{name}")
            return HList([Ref(vpc_subnet_address(call, group, i), "id") for i in range(len(cidrs))])
        if name == f"{group}_subnets_cidr_blocks":
            cidrs = call.get(f"{group}_subnets", [])
            return cidrs if isinstance(cidrs, list) else Unknown(f"{call.address}.{name}")
    if name == "vpc_id":
        return Ref(f"{call.address}.aws_vpc.this[0]", "id")
    if name == "vpc_cidr_block":
        return call.get("cidr", "10.0.0.0/16")  # variables.tf default
    if name == "azs":
        return call.get("azs", [])
    return Unknown(f"{call.address}.{name}")


#: EKS module outputs that pass an input through, by major version: (output, input per version).
_EKS_PASSTHROUGH = {
    "cluster_name": {18: "cluster_name", 19: "cluster_name", 20: "cluster_name", 21: "name"},
    "cluster_version": {18: "cluster_version", 19: "cluster_version", 20: "cluster_version", 21: "kubernetes_version"},
}


def _eks_output(call: ModuleCall, name: str) -> Any:
    inputs = _EKS_PASSTHROUGH.get(name)
    if inputs is not None:
        major = major_version(call) or 20
        key = inputs.get(major, inputs[20])
        if call.has(key):
            value = call.get(key)
            if isinstance(value, str) and value:
                return value
    return Ref(call.address, name)
