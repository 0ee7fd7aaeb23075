"""nodegroup-update-config: a managed node group updated one node at a time.

When a managed node group gets a new AMI, Kubernetes version or launch template, EKS replaces
its nodes ``updateConfig.maxUnavailable`` at a time, which defaults to 1. Large groups then take
hours to update, and the choice of speed versus spare capacity is left implicit.
``terraform-aws-modules/eks`` (v19 and later) sets ``max_unavailable_percentage = 33`` itself.
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
    id="nodegroup-update-config",
    title="Managed node groups should set updateConfig",
    level=Level.NOTE,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "upgrade", "operations"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    for ng in c.node_groups:
        if not ng.managed or ng.has_update_config is not False:
            continue
        if ng.max_size is not None and ng.max_size <= 1:  # one node: one at a time is all there is
            continue
        yield (ng.update_config_site or ng.site).finding(f"{ng.describe} {ng.update_config_hint}")
