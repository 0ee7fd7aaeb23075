"""auth-mode-configmap: cluster access managed only through the aws-auth ConfigMap.

An authentication mode of ``CONFIG_MAP`` (eksctl ``accessConfig.authenticationMode``, Terraform
``access_config.authentication_mode`` or the module's ``authentication_mode``, CloudFormation
``AccessConfig.AuthenticationMode``) turns EKS access entries off. The aws-auth ConfigMap is
deprecated: a bad edit locks everyone out, it lives inside the cluster (so Kubernetes RBAC, not
IAM, guards who may change it), and its edits show up in Kubernetes audit logs only, not in
CloudTrail.
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
    id="auth-mode-configmap",
    title="Use access entries instead of the aws-auth ConfigMap only",
    level=Level.NOTE,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "security", "iam"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    mode = c.authentication_mode
    if mode is None or not mode.known or mode.value is None or mode.value.upper() != "CONFIG_MAP":
        return
    yield mode.at.finding(
        f"{c.syntax.assign(mode.key, mode.value)}{mode.whence} manages access only through the deprecated "
        "aws-auth ConfigMap; use API_AND_CONFIG_MAP while migrating to access entries, then API"
    )
