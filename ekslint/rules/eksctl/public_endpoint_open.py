"""public-endpoint-open: the cluster's Kubernetes API endpoint is reachable from the whole internet.

eksctl creates the API endpoint public (``vpc.clusterEndpoints.publicAccess`` defaults to true)
and EKS opens a public endpoint to ``0.0.0.0/0`` unless ``vpc.publicAccessCIDRs`` narrows it.
Authentication still applies, but the endpoint is then exposed to credential stuffing, to any
leaked kubeconfig and to API server vulnerabilities from anywhere.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule

OPEN = ("0.0.0.0/0", "::/0")
FIX = (
    "list only your networks in vpc.publicAccessCIDRs, or set vpc.clusterEndpoints.privateAccess: true and "
    "publicAccess: false"
)


@rule(
    id="public-endpoint-open",
    title="The cluster API endpoint should not be open to the internet",
    level=Level.WARNING,
    targets=(ClusterConfig,),
    tags=("eksctl", "security"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    c = cluster(cfg)
    # A fully-private cluster and an Outposts local cluster have no public endpoint.
    if not c.public_access or c.private_cluster or c.outpost:
        return
    explicit = "publicAccess" in c.cluster_endpoints
    public = "publicAccess is true" if explicit else "publicAccess defaults to true"
    cidrs = c.public_access_cidrs
    if not cidrs:
        where = ("vpc", "clusterEndpoints", "publicAccess") if explicit else ("vpc", "publicAccessCIDRs")
        yield Finding(
            f"the cluster API endpoint is public ({public}) and vpc.publicAccessCIDRs is unset, so it "
            f"accepts connections from 0.0.0.0/0: {FIX}",
            where,
        )
        return
    raw = c.vpc.get("publicAccessCIDRs")
    for i, cidr in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(cidr, str) and cidr.strip() in OPEN:
            yield Finding(
                f"vpc.publicAccessCIDRs contains {cidr.strip()}: the public cluster API endpoint ({public}) "
                f"accepts connections from anywhere; {FIX}",
                ("vpc", "publicAccessCIDRs", i),
            )
