"""self-managed-nodegroup: a self-managed node group that a managed node group could replace.

In ``nodeGroups`` you own the nodes' lifecycle: AMI updates, draining before termination,
replacing unhealthy instances. Managed node groups (``managedNodeGroups``) have EKS roll new
AMIs while cordoning and draining nodes within PodDisruptionBudgets, drain on scale-in, and can
repair unhealthy nodes, with the same instance types, spot, custom AMIs and launch templates.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import NodeGroup, as_int, as_map, cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule

#: ``NodeGroup`` fields of the eksctl schema that ``ManagedNodeGroup`` lacks: a group using one of
#: them needs to stay self-managed (``containerRuntime`` is left out: managed nodes run containerd).
SELF_MANAGED_ONLY = (
    "asgMetricsCollection",
    "classicLoadBalancerNames",
    "clusterDNS",
    "cpuCredits",
    "enclaveEnabled",
    "kubeletExtraConfig",
    "localZones",
    "maxInstanceLifetime",
    "targetGroupARNs",
    "outpostARN",
)


def _needs_self_managed(ng: NodeGroup) -> str | None:
    for key in SELF_MANAGED_ONLY:
        if ng.spec.get(key):
            return key
    dist = as_map(ng.spec.get("instancesDistribution"))
    if dist:
        # Managed groups are all on-demand or all spot (spot: true): a mix, or a spot price cap, is ASG-only.
        base = as_int(dist.get("onDemandBaseCapacity")) or 0
        pct = as_int(dist.get("onDemandPercentageAboveBaseCapacity"))
        pct = 100 if pct is None else pct
        if dist.get("maxPrice") is not None or (0 < pct < 100) or (base > 0 and pct < 100):
            return "instancesDistribution"
    return None


@rule(
    id="self-managed-nodegroup",
    title="Prefer managed node groups over self-managed ones",
    level=Level.NOTE,
    targets=(ClusterConfig,),
    tags=("eksctl", "operations"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    c = cluster(cfg)
    if c.outpost:  # EKS on Outposts supports self-managed nodes only
        return
    for ng in c.node_groups:
        if ng.managed or _needs_self_managed(ng) is not None:
            continue
        yield Finding(
            f"{ng.describe} is self-managed: as a managed node group (managedNodeGroups) EKS would roll "
            "AMI updates by cordoning and draining nodes within PodDisruptionBudgets, drain nodes on "
            "scale-in and repair unhealthy ones",
            ng.path,
        )
