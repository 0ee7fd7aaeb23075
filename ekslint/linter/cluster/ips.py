"""IPv4 arithmetic of EKS nodes: how many addresses a node group can take from its subnets.

One arithmetic for every source: ``subnet-ip-headroom`` charges each subnet with what the node
groups placed in it take at their maximum size, whether the cluster came from eksctl, Terraform
or CloudFormation. Figures cite ``../shared/reference/eks-facts.md`` (sections 1 and 2) and the
ENI limits table generated from ``reference/eni-limits.csv``.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster, NodeGroup


#: EKS needs up to this many free IPs in the cluster subnets to update the control plane or its
#: logging configuration (eks-facts.md section 2, AWSDOC update-cluster.adoc, control-plane-logs.adoc).
UPGRADE_FREE_IPS = 5
#: "The subnets must each have at least six IP addresses for use by Amazon EKS" (eks-facts.md section 2).
MIN_CLUSTER_SUBNET_IPS = 6
#: A /28 prefix holds 16 addresses (eks-facts.md section 1, prefix delegation).
PREFIX_IPS = 16
#: ipamd's default ``WARM_PREFIX_TARGET`` keeps one spare /28 attached (VPC CNI README, docs/prefix-and-ip-target.md).
WARM_PREFIXES = 1
#: EKS recommended max pods: 110 when the instance has at most 30 vCPUs, else 250 (eks-facts.md section 1).
MAX_PODS_SMALL, MAX_PODS_LARGE = 110, 250

_SIZE_RE = re.compile(r"^(\d*)xlarge$")


@dataclass(frozen=True)
class EniLimits:
    """VPC CNI limits of an instance type on its default network card."""

    max_enis: int
    ipv4_per_eni: int

    @property
    def ipv4_total(self) -> int:
        """Every IPv4 address the node can take from its subnet: primaries plus secondaries."""
        return self.max_enis * self.ipv4_per_eni


@cache
def eni_limits() -> dict[str, EniLimits]:
    """``ekslint/data/eni_limits.csv`` (generated from ``reference/eni-limits.csv``; see its header)."""
    from importlib import resources  # only a scan with a cluster reads the table

    text = resources.files("ekslint.data").joinpath("eni_limits.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    return {r["instance_type"]: EniLimits(int(r["max_enis"]), int(r["ipv4_per_eni"])) for r in rows}


def recommended_max_pods(instance_type: str) -> int:
    """EKS's recommended max pods cap (110 up to 30 vCPUs, else 250) without a vCPU table.

    The ENI table has no vCPU column, so the size suffix stands in for it: in current EC2
    families ``large`` is 2 vCPUs and ``Nxlarge`` is 4N, so up to ``7xlarge`` stays at or below 30
    vCPUs. ``metal`` sizes and anything unrecognised get the larger cap, which can only make the
    IP estimate bigger (worst case), never smaller.
    """
    size = instance_type.rpartition(".")[2]
    if size in ("nano", "micro", "small", "medium", "large"):
        return MAX_PODS_SMALL
    m = _SIZE_RE.match(size)
    if m:
        n = int(m.group(1) or 1)
        return MAX_PODS_SMALL if 4 * n <= 30 else MAX_PODS_LARGE
    return MAX_PODS_LARGE


@dataclass(frozen=True)
class NodeIPs:
    """How many IPv4 addresses of its subnet one node of ``instance_type`` can take."""

    instance_type: str
    per_node: int
    detail: str = ""


def node_ips(c: Cluster, instance_type: str, max_pods: int | None, *, windows: bool = False) -> NodeIPs | None:
    """IPv4 addresses one node can take from its own subnet, or None for an unknown type.

    * Secondary-IP mode (the VPC CNI default): every slot of every ENI, ``ENIs x IPv4 per ENI``
      (eks-facts.md section 1; with ``WARM_ENI_TARGET=1`` a full node holds all of them).
    * Prefix delegation: each ENI keeps its primary IP and fills its other slots with /28
      prefixes (16 IPs), but ipamd only attaches the prefixes the node's pods need plus
      ``WARM_PREFIX_TARGET`` (1). The node runs at most ``maxPodsPerNode`` pods, else EKS's
      recommended 110/250 cap, so: ``prefixes = min(ENIs x (IPv4 per ENI - 1),
      ceil(max pods / 16) + 1)``, ``ENIs used = ceil(prefixes / (IPv4 per ENI - 1))`` and
      ``IPs = 16 x prefixes + ENIs used``. Charging every slot (m5.large: 3 x (9 x 16 + 1) =
      435 IPs) would exceed what any kubelet lets the node use.
    * IPv6 clusters and custom networking: pods take no IPv4 from the node's subnet; the node
      keeps one primary IPv4 address there.
    * Windows nodes use their primary ENI only (Amazon EKS user guide, Windows support: max pods
      = IPv4 per ENI - 1), so they take ``IPv4 per ENI`` addresses.
    """
    limits = eni_limits().get(instance_type)
    if limits is None:
        return None
    if c.ip_family == "IPv6":
        return NodeIPs(instance_type, 1, "IPv6 pods: only the node's primary IPv4")
    if c.custom_networking:
        return NodeIPs(instance_type, 1, "custom networking: pod ENIs use ENIConfig subnets")
    if windows:
        return NodeIPs(instance_type, limits.ipv4_per_eni, "Windows: primary ENI only")
    if not c.prefix_delegation or limits.ipv4_per_eni < 2:
        return NodeIPs(instance_type, limits.ipv4_total)
    slots_per_eni = limits.ipv4_per_eni - 1
    pods = max_pods if max_pods is not None and max_pods > 0 else recommended_max_pods(instance_type)
    prefixes = min(limits.max_enis * slots_per_eni, math.ceil(pods / PREFIX_IPS) + WARM_PREFIXES)
    enis = math.ceil(prefixes / slots_per_eni)
    return NodeIPs(
        instance_type,
        prefixes * PREFIX_IPS + enis,
        f"prefix delegation: {prefixes} /28 prefixes + {enis} ENI primary IP{'s' if enis > 1 else ''}",
    )


@dataclass(frozen=True)
class GroupDemand:
    """A node group's worst case in one subnet: all of its ``max_size`` nodes land there."""

    group: NodeGroup
    nodes: int
    ips: NodeIPs

    @property
    def total(self) -> int:
        return self.nodes * self.ips.per_node

    @property
    def arithmetic(self) -> str:
        text = f"{self.nodes} x {self.ips.instance_type} x {self.ips.per_node} IPs"
        return f"{text} [{self.ips.detail}]" if self.ips.detail else text


def group_demand(c: Cluster, ng: NodeGroup) -> GroupDemand | None:
    """The group's IP demand with its hungriest known instance type; None when unknown.

    Instance types missing from the ENI table are skipped (not guessed): the estimate then uses
    the known ones, a lower bound of the real worst case, so a finding it gives still holds.
    """
    nodes = ng.max_size
    if nodes is None or nodes <= 0:
        return None
    known = [
        ips for t in ng.instance_types if (ips := node_ips(c, t, ng.max_pods_per_node, windows=ng.windows)) is not None
    ]
    if not known:
        return None
    return GroupDemand(ng, nodes, max(known, key=lambda ips: ips.per_node))
