"""self-managed-nodegroup: a self-managed node group that a managed node group could replace.

In ``nodeGroups`` you own the nodes' lifecycle: AMI updates, draining before termination,
replacing unhealthy instances. Managed node groups (``managedNodeGroups``) have EKS roll new
AMIs while cordoning and draining nodes within PodDisruptionBudgets, drain on scale-in, and can
repair unhealthy nodes, with the same instance types, spot, custom AMIs and launch templates.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.linter.cluster.kinds import ClusterDefinition
from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster


@rule(
    id="self-managed-nodegroup",
    title="Prefer managed node groups over self-managed ones",
    level=Level.NOTE,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "operations"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    if c.outpost:  # EKS on Outposts supports self-managed nodes only
        return
    for ng in c.node_groups:
        if ng.managed or ng.needs_self_managed is not None:
            continue
        yield ng.site.finding(
            f"{ng.describe} is self-managed: as a managed node group ({ng.managed_alternative}) EKS would roll "
            "AMI updates by cordoning and draining nodes within PodDisruptionBudgets, drain nodes on "
            "scale-in and repair unhealthy ones"
        )
