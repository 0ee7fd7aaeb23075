"""control-plane-logging-disabled: the API server, audit or authenticator logs are not kept.

EKS sends no control plane logs to CloudWatch unless asked. Without ``audit`` there is no record
of who changed what in the cluster; without ``authenticator`` no record of which IAM principal
became which Kubernetes user; without ``api`` no trace of API server errors. They cannot be
recovered after an incident.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.linter.cluster.kinds import ClusterDefinition
from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster


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
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "security", "observability"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    logging = c.logging
    if logging is None or not logging.known:
        return
    missing = [t for t in REQUIRED if t not in logging.value]
    if not missing:
        return
    if not logging.value:
        state = f"no control plane logs are enabled ({logging.key} is unset or empty{logging.whence})"
    else:
        state = f"{logging.key} lacks {', '.join(missing)}{logging.whence}"
    lost = ", ".join(f"{REQUIRED[t]} ({t})" for t in missing)
    yield logging.at.finding(
        f"{state}, so CloudWatch keeps no record of {lost}; add {', '.join(missing)} to {logging.hint or logging.key}"
    )
