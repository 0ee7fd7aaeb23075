"""naked-pod: a bare Pod that no controller owns.

Nothing recreates a bare Pod: when its node fails, is drained for a managed node group update,
or is consolidated by Karpenter, the pod is gone for good. Pods with ``ownerReferences`` (as
exported from a cluster) have a controller. Helm hook pods (``helm.sh/hook``, e.g. ``helm test``)
are run-once by design and are left alone.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="naked-pod",
    title="Pods should be managed by a controller",
    level=Level.NOTE,
    targets=(Workload,),
    kinds=("Pod",),
    tags=("availability",),
)
def check(pod: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if pod.metadata.get("ownerReferences"):
        return
    if "helm.sh/hook" in pod.annotations:
        return
    yield Finding(
        f"{pod.ref} is a bare Pod with no controller: nothing recreates it after a node failure, "
        "drain or Karpenter consolidation; run it from a Deployment, StatefulSet or Job",
        ("kind",),
    )
