"""nodegroup-update-config: a managed node group updated one node at a time.

When a managed node group gets a new AMI, Kubernetes version or launch template, EKS replaces
its nodes ``updateConfig.maxUnavailable`` at a time, which defaults to 1. Large groups then take
hours to update, and the choice of speed versus spare capacity is left implicit.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="nodegroup-update-config",
    title="Managed node groups should set updateConfig",
    level=Level.NOTE,
    targets=(ClusterConfig,),
    tags=("eksctl", "upgrade", "operations"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    for ng in cluster(cfg).node_groups:
        if not ng.managed or ng.update_config is not None:
            continue
        if ng.max_size is not None and ng.max_size <= 1:  # one node: one at a time is all there is
            continue
        yield Finding(
            f"{ng.describe} has no updateConfig: EKS updates it with maxUnavailable 1, one node at a time; "
            "set updateConfig.maxUnavailable or maxUnavailablePercentage to what the workloads can spare",
            ng.path,
        )
