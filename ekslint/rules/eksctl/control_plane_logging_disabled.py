"""control-plane-logging-disabled: the API server, audit or authenticator logs are not kept.

EKS sends no control plane logs to CloudWatch unless asked. Without ``audit`` there is no record
of who changed what in the cluster; without ``authenticator`` no record of which IAM principal
became which Kubernetes user; without ``api`` no trace of API server errors. They cannot be
recovered after an incident.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule

#: The log types every cluster should keep, and what is lost without each.
REQUIRED = {
    "api": "API server requests and errors",
    "audit": "who did what in the cluster",
    "authenticator": "which IAM identity signed in as which Kubernetes user",
}


@rule(
    id="control-plane-logging-disabled",
    title="API, audit and authenticator control plane logs should be enabled",
    level=Level.WARNING,
    targets=(ClusterConfig,),
    tags=("eksctl", "security", "observability"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    c = cluster(cfg)
    missing = [t for t in REQUIRED if t not in c.logging_types]
    if not missing:
        return
    where = ("cloudWatch", "clusterLogging", "enableTypes")
    if not c.logging_types:
        state = "no control plane logs are enabled (cloudWatch.clusterLogging.enableTypes is unset or empty)"
    else:
        state = f"cloudWatch.clusterLogging.enableTypes lacks {', '.join(missing)}"
    lost = ", ".join(f"{REQUIRED[t]} ({t})" for t in missing)
    yield Finding(
        f'{state}, so CloudWatch keeps no record of {lost}; add {", ".join(missing)} to enableTypes (or use ["*"])',
        where,
    )
