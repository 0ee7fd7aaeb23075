"""subnet-ip-headroom: a cluster subnet the node groups can fill, leaving EKS < 5 free IPs.

EKS creates its control-plane ENIs in the cluster subnets, and replaces them on every version
update and logging change: it needs up to five free addresses in those subnets each time. Node
groups placed in the same subnets take IPs for every pod (VPC CNI), so a subnet sized for the
nodes alone blocks the next upgrade. The IP arithmetic (and the worst-case placement) lives in
:mod:`ekslint.linter.eksctl`; unknown instance types and subnets without a CIDR are skipped.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import (
    MIN_CLUSTER_SUBNET_IPS,
    UPGRADE_FREE_IPS,
    GroupDemand,
    Subnet,
    cluster,
    group_demand,
    node_ips,
    placements,
)
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="subnet-ip-headroom",
    title="Cluster subnets must keep 5 free IPs for control plane updates",
    level=Level.ERROR,
    targets=(ClusterConfig,),
    tags=("eksctl", "networking", "upgrade"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    c = cluster(cfg)
    subnets = c.control_plane_subnets()
    if not subnets:
        return
    charged: dict[Subnet, list[GroupDemand]] = {}
    for ng in c.node_groups:
        windows = ng.ami_family.startswith("Windows")
        unknown = [t for t in ng.instance_types if node_ips(c, t, ng.max_pods_per_node, windows=windows) is None]
        if unknown:
            ctx.note(
                f"{cfg.file.display}: node group {ng.name}: instance type(s) {', '.join(unknown)} not in the ENI "
                "limits table; left out of the IP arithmetic, not guessed"
            )
        demand = group_demand(c, ng)
        if demand is None:
            continue
        for s in placements(c, ng):
            charged.setdefault(s, []).append(demand)
    blind = [s.label for s in subnets if s.usable is None]
    if blind:
        shown = ", ".join(blind[:3]) + (f" and {len(blind) - 3} more" if len(blind) > 3 else "")
        ctx.note(f"{cfg.file.display}: subnet(s) without a cidr ({shown}): their IP headroom is not checked")
    for s in subnets:
        usable = s.usable
        if usable is None:
            continue
        where = s.path + ("cidr",)
        if usable < MIN_CLUSTER_SUBNET_IPS:
            yield Finding(
                f"{s.label}: {usable} usable: EKS needs at least {MIN_CLUSTER_SUBNET_IPS} free IPs in each "
                f"cluster subnet ({UPGRADE_FREE_IPS} to upgrade the control plane); use a larger subnet",
                where,
            )
            continue
        demands = charged.get(s, [])
        consumed = sum(d.total for d in demands)
        if not demands or usable - consumed >= UPGRADE_FREE_IPS:
            continue
        names = ", ".join(d.group.name for d in demands)
        groups = f"node group {names}" if len(demands) == 1 else f"node groups {names}"
        arithmetic = " + ".join(d.arithmetic for d in demands)
        yield Finding(
            f"{s.label}: {usable} usable, {groups} can take {consumed} ({arithmetic}): EKS needs "
            f"{UPGRADE_FREE_IPS} free IPs here to upgrade the control plane",
            where,
        )
