"""oidc-disabled: pods have no way to get their own IAM role.

IAM Roles for Service Accounts needs the cluster's IAM OIDC provider (eksctl ``iam.withOIDC:
true``, ``terraform-aws-modules/eks`` ``enable_irsa``); EKS Pod Identity needs associations.
With neither, an AWS SDK in a pod finds no web identity token and falls back to the node's
instance profile: every pod on the node shares the node role, so granting one pod access to S3
grants it to all of them.
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
    id="oidc-disabled",
    title="Enable IRSA (iam.withOIDC) or EKS Pod Identity",
    level=Level.WARNING,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "security", "iam"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    oidc = c.oidc
    if oidc is None or not oidc.known or oidc.value or c.pod_identity_associations:
        return
    # The Pod Identity agent add-on means associations are managed (maybe outside this file);
    # Auto Mode nodes run the agent built in.
    if c.addon("eks-pod-identity-agent") is not None or c.auto_mode:
        return
    yield oidc.at.finding(
        f"{oidc.default}{oidc.whence} and no Pod Identity associations are configured: pods cannot get their own "
        f"IAM role and fall back to the node's instance role; {oidc.hint}"
    )
