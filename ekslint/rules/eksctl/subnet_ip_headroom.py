"""subnet-ip-headroom: a cluster subnet the node groups can fill, leaving EKS < 5 free IPs.

EKS creates its control-plane ENIs in the cluster subnets, and replaces them on every version
update and logging change: it needs up to five free addresses in those subnets each time. Node
groups placed in the same subnets take IPs for every pod (VPC CNI), so a subnet sized for the
nodes alone blocks the next upgrade. The IP arithmetic lives in :mod:`ekslint.linter.cluster.ips`
and the placement of each node group in the cluster model (one per source: eksctl, Terraform,
CloudFormation); unknown instance types and subnets without a known CIDR are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.linter.cluster.ips import MIN_CLUSTER_SUBNET_IPS, UPGRADE_FREE_IPS, GroupDemand, group_demand, node_ips
from ekslint.linter.cluster.kinds import ClusterDefinition
from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster, Subnet


@rule(
    id="subnet-ip-headroom",
    title="Cluster subnets must keep 5 free IPs for control plane updates",
    level=Level.ERROR,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "networking", "upgrade"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    subnets = c.control_plane_subnets
    if not subnets:
        return
    where_file = c.site.file.display
    charged: dict[Subnet, list[GroupDemand]] = {}
    for ng in c.node_groups:
        unknown = [t for t in ng.instance_types if node_ips(c, t, ng.max_pods_per_node, windows=ng.windows) is None]
        if unknown:
            ctx.note(
                f"{where_file}: node group {ng.name}: instance type(s) {', '.join(unknown)} not in the ENI "
                "limits table; left out of the IP arithmetic, not guessed"
            )
        demand = group_demand(c, ng)
        if demand is None:
            continue
        for s in ng.placement or ():
            charged.setdefault(s, []).append(demand)
    blind = [s.label for s in subnets if s.usable is None]
    if blind:
        shown = ", ".join(blind[:3]) + (f" and {len(blind) - 3} more" if len(blind) > 3 else "")
        ctx.note(f"{where_file}: subnet(s) without a cidr ({shown}): their IP headroom is not checked")
    for s in subnets:
        usable = s.usable
        if usable is None:
            continue
        whence = f" (set in {s.origin.describe})" if s.origin is not None else ""
        if usable < MIN_CLUSTER_SUBNET_IPS:
            yield s.site.finding(
                f"{s.label}{whence}: {usable} usable: EKS needs at least {MIN_CLUSTER_SUBNET_IPS} free IPs in each "
                f"cluster subnet ({UPGRADE_FREE_IPS} to upgrade the control plane); use a larger subnet"
            )
            continue
        demands = charged.get(s, [])
        consumed = sum(d.total for d in demands)
        if not demands or usable - consumed >= UPGRADE_FREE_IPS:
            continue
        names = ", ".join(d.group.name for d in demands)
        groups = f"node group {names}" if len(demands) == 1 else f"node groups {names}"
        arithmetic = " + ".join(d.arithmetic for d in demands)
        yield s.site.finding(
            f"{s.label}{whence}: {usable} usable, {groups} can take {consumed} ({arithmetic}): EKS needs "
            f"{UPGRADE_FREE_IPS} free IPs here to upgrade the control plane"
        )
