"""public-endpoint-open: the cluster's Kubernetes API endpoint is reachable from the whole internet.

The API endpoint is public by default in eksctl, in the raw ``aws_eks_cluster`` resource, in
``terraform-aws-modules/eks`` v18 and in CloudFormation (v19 and later of the module default to
private), and EKS opens a public endpoint to ``0.0.0.0/0`` unless the public access CIDRs narrow
it. Authentication still applies, but the endpoint is then exposed to credential stuffing, to
any leaked kubeconfig and to API server vulnerabilities from anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.linter.cluster.kinds import ClusterDefinition
from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster


OPEN = ("0.0.0.0/0", "::/0")


@rule(
    id="public-endpoint-open",
    title="The cluster API endpoint should not be open to the internet",
    level=Level.WARNING,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "security"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    public, cidrs = c.endpoint_public, c.public_access_cidrs
    if public is None or cidrs is None or not public.known or not cidrs.known:
        return
    # A fully-private cluster and an Outposts local cluster have no public endpoint.
    if not public.value or c.private_cluster or c.outpost:
        return
    state = f"{public.key} {public.set_to} true{public.whence}"
    if public.default:
        state += f", {public.default}"
    if not cidrs.written:
        yield public.at.finding(
            f"the cluster API endpoint is public ({state}) and {cidrs.key} is unset, so it "
            f"accepts connections from 0.0.0.0/0: {public.hint}"
        )
        return
    for i, cidr in enumerate(cidrs.value):
        if cidr in OPEN:
            yield cidrs.item_site(i).finding(
                f"{cidrs.key} contains {cidr}{cidrs.whence}: the public cluster API endpoint ({state}) "
                f"accepts connections from anywhere; {public.hint}"
            )
