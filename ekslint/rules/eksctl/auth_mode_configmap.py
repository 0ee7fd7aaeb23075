"""auth-mode-configmap: cluster access managed only through the aws-auth ConfigMap.

``accessConfig.authenticationMode: CONFIG_MAP`` turns EKS access entries off. The aws-auth
ConfigMap is deprecated: a bad edit locks everyone out, it lives inside the cluster (so
Kubernetes RBAC, not IAM, guards who may change it), and its edits show up in Kubernetes audit
logs only, not in CloudTrail.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="auth-mode-configmap",
    title="Use access entries instead of the aws-auth ConfigMap only",
    level=Level.NOTE,
    targets=(ClusterConfig,),
    tags=("eksctl", "security", "iam"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    mode = cluster(cfg).authentication_mode
    if mode is not None and mode.upper() == "CONFIG_MAP":
        yield Finding(
            "accessConfig.authenticationMode: CONFIG_MAP manages access only through the deprecated "
            "aws-auth ConfigMap; use API_AND_CONFIG_MAP while migrating to access entries, then API",
            ("accessConfig", "authenticationMode"),
        )
