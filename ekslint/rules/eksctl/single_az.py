"""single-az: a cluster, or a node group, that lives in fewer than 2 Availability Zones.

An AZ outage takes down everything in it. EKS itself needs cluster subnets in two AZs, and a
node group pinned to one AZ loses all its nodes with that AZ (EBS volumes are zonal too, so
StatefulSets cannot follow elsewhere). Three AZs keep a majority when one fails.

AZs chosen by position from a list only AWS knows (``data.aws_availability_zones``,
``Fn::GetAZs``) count as distinct when their positions are: AZ names are unique.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.linter.cluster.kinds import ClusterDefinition
from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster


def _zones(azs: tuple[str, ...]) -> str:
    return ", ".join(azs)


@rule(
    id="single-az",
    title="Clusters and node groups should span at least 2 Availability Zones",
    level=Level.WARNING,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "availability"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    if c.outpost:  # EKS local clusters on Outposts are single-AZ by design (eksctl allows 1 subnet there)
        return
    from ekslint.linter.cluster.model import distinct_azs

    azs: tuple[str, ...] | None = None
    if c.availability_zones:
        azs = c.availability_zones
    elif c.control_plane_subnets:
        azs = distinct_azs(c.control_plane_subnets)
    where = c.availability_zones_site or c.site
    if azs is not None:
        if len(azs) < 2:
            yield where.finding(
                f"the cluster uses only one Availability Zone ({_zones(azs)}): EKS requires subnets in at "
                f"least 2 AZs, and an AZ outage would take down every node; {c.az_fix}"
            )
        elif len(azs) < 3:
            yield where.finding(
                f"the cluster uses only 2 Availability Zones ({_zones(azs)}): losing one leaves half the "
                "capacity and no zone majority; 3 AZs are recommended",
                level=Level.NOTE,
            )
    elif c.implicit_azs is not None:
        _, message, site = c.implicit_azs
        yield site.finding(message, level=Level.NOTE)
    cluster_az_count = len(azs) if azs is not None else None
    for ng in c.node_groups:
        if ng.special_placement or ng.azs is None or ng.azs_site is None:
            continue
        if len(ng.azs) < 2:
            yield ng.azs_site.finding(
                f"{ng.describe} places all its nodes in one Availability Zone ({_zones(ng.azs)}): an AZ "
                "outage takes the whole group down; spread it over at least 2 AZs"
            )
        elif len(ng.azs) < 3 and cluster_az_count is not None and cluster_az_count >= 3:
            yield ng.azs_site.finding(
                f"{ng.describe} uses only 2 of the cluster's {cluster_az_count} Availability Zones "
                f"({_zones(ng.azs)}): spread it over 3 for zone-failure headroom",
                level=Level.NOTE,
            )
