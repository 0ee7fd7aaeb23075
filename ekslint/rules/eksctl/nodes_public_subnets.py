"""nodes-public-subnets: a node group whose nodes run in public subnets with public IPs.

Without ``privateNetworking: true`` eksctl launches a node group in the public subnets, and the
nodes get public IP addresses (eksctl's public subnets map one on launch). Every NodePort and
every port a host-network pod opens is then one security-group rule away from the internet, and
the nodes' kubelet and SSH listen on an address anyone can reach.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="nodes-public-subnets",
    title="Node groups should use private subnets",
    level=Level.WARNING,
    targets=(ClusterConfig,),
    tags=("eksctl", "security", "networking"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    c = cluster(cfg)
    # Subnets listed, none public: eksctl refuses a public node group instead of exposing it.
    no_public = bool(c.subnets) and not any(s.access == "public" for s in c.subnets)
    for ng in c.node_groups:
        if ng.private_networking:
            continue
        state = (
            "privateNetworking: false" if ng.spec.get("privateNetworking") is False else "no privateNetworking: true"
        )
        if no_public:
            effect = "it asks for public subnets, but vpc.subnets lists only private ones, so eksctl rejects it"
        else:
            effect = "eksctl launches its nodes in public subnets with public IP addresses"
        yield Finding(
            f"{ng.describe} has {state}: {effect}; set privateNetworking: true (outbound traffic then goes "
            "through the NAT gateway)",
            ng.at("privateNetworking"),
        )
