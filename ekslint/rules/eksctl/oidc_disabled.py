"""oidc-disabled: pods have no way to get their own IAM role.

IAM Roles for Service Accounts needs the cluster's IAM OIDC provider (``iam.withOIDC: true``);
EKS Pod Identity needs associations. With neither, an AWS SDK in a pod finds no web identity
token and falls back to the node's instance profile: every pod on the node shares the node
role, so granting one pod access to S3 grants it to all of them.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="oidc-disabled",
    title="Enable IRSA (iam.withOIDC) or EKS Pod Identity",
    level=Level.WARNING,
    targets=(ClusterConfig,),
    tags=("eksctl", "security", "iam"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    c = cluster(cfg)
    if c.with_oidc or c.pod_identity_associations:
        return
    # The Pod Identity agent add-on means associations are managed (maybe outside this file);
    # Auto Mode nodes run the agent built in.
    if c.addon("eks-pod-identity-agent") is not None or c.auto_mode:
        return
    state = "iam.withOIDC: false" if c.iam.get("withOIDC") is False else "iam.withOIDC is unset"
    yield Finding(
        f"{state} and no Pod Identity associations are configured: pods cannot get their own IAM role "
        "and fall back to the node's instance role; set iam.withOIDC: true (IRSA) or add the "
        "eks-pod-identity-agent add-on and iam.podIdentityAssociations",
        ("iam", "withOIDC"),
    )
