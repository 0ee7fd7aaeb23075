"""single-az: a cluster, or a node group, that lives in fewer than 2 Availability Zones.

An AZ outage takes down everything in it. EKS itself needs cluster subnets in two AZs, and a
node group pinned to one AZ loses all its nodes with that AZ (EBS volumes are zonal too, so
StatefulSets cannot follow elsewhere). Three AZs keep a majority when one fails.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule


def _zones(azs: tuple[str, ...]) -> str:
    return ", ".join(azs)


@rule(
    id="single-az",
    title="Clusters and node groups should span at least 2 Availability Zones",
    level=Level.WARNING,
    targets=(ClusterConfig,),
    tags=("eksctl", "availability"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    c = cluster(cfg)
    if c.outpost:  # EKS local clusters on Outposts are single-AZ by design (eksctl allows 1 subnet there)
        return
    azs, where = c.cluster_azs()
    if azs is not None:
        if len(azs) < 2:
            yield Finding(
                f"the cluster uses only one Availability Zone ({_zones(azs)}): EKS requires subnets in at "
                "least 2 AZs, and an AZ outage would take down every node; list 3 AZs",
                where,
            )
        elif len(azs) < 3:
            yield Finding(
                f"the cluster uses only 2 Availability Zones ({_zones(azs)}): losing one leaves half the "
                "capacity and no zone majority; 3 AZs are recommended",
                where,
                level=Level.NOTE,
            )
    elif not c.subnets and c.region == "us-east-1":
        yield Finding(
            "availabilityZones is unset, and in us-east-1 eksctl then picks only 2 Availability Zones: "
            "losing one leaves half the capacity; list 3 AZs in availabilityZones",
            ("metadata", "region"),
            level=Level.NOTE,
        )
    cluster_az_count = len(azs) if azs is not None else None
    for ng in c.node_groups:
        if ng.special_placement:
            continue
        if ng.availability_zones:
            ng_azs: tuple[str, ...] | None = ng.availability_zones
            path = ng.at("availabilityZones")
        elif ng.subnets:
            path = ng.at("subnets")
            if len(ng.subnets) == 1:  # one subnet is one AZ, whatever it is
                resolved = c.resolve_subnet(ng.subnets[0])
                ng_azs = (resolved.az,) if resolved is not None and resolved.az else (f"subnet {ng.subnets[0]}",)
            else:
                subnets = [
                    c.resolve_subnet(ref, "private" if ng.private_networking else "public") for ref in ng.subnets
                ]
                known = [s.az for s in subnets if s is not None and s.az]
                ng_azs = tuple(dict.fromkeys(known)) if len(known) == len(subnets) else None
        else:
            continue
        if ng_azs is None:
            continue
        if len(ng_azs) < 2:
            yield Finding(
                f"{ng.describe} places all its nodes in one Availability Zone ({_zones(ng_azs)}): an AZ "
                "outage takes the whole group down; spread it over at least 2 AZs",
                path,
            )
        elif len(ng_azs) < 3 and cluster_az_count is not None and cluster_az_count >= 3:
            yield Finding(
                f"{ng.describe} uses only 2 of the cluster's {cluster_az_count} Availability Zones "
                f"({_zones(ng_azs)}): spread it over 3 for zone-failure headroom",
                path,
                level=Level.NOTE,
            )
