"""nodes-public-subnets: a node group whose nodes run in public subnets with public IPs.

Without ``privateNetworking: true`` eksctl launches a node group in the public subnets, and the
nodes get public IP addresses (eksctl's public subnets map one on launch). In Terraform and
CloudFormation the subnets say it: ``map_public_ip_on_launch``/``MapPublicIpOnLaunch``. Every
NodePort and every port a host-network pod opens is then one security-group rule away from the
internet, and the nodes' kubelet and SSH listen on an address anyone can reach.
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
    id="nodes-public-subnets",
    title="Node groups should use private subnets",
    level=Level.WARNING,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "security", "networking"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    for ng in c.node_groups:
        if ng.public is None:
            continue
        state, at, fix = ng.public
        yield at.finding(f"{ng.describe} has {state}; {fix}")
