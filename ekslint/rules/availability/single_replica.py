"""single-replica: a Deployment or StatefulSet that runs one replica and no autoscaler.

``replicas: 0`` is a workload deliberately scaled down (or the template an Argo Rollout borrows),
not an availability risk. An HPA or a KEDA ScaledObject owns the count when present, so the
workload is skipped (the HPA floor is ``hpa-invalid-range``'s business), and so is a base whose
replica count a Kustomize overlay in the scan rewrites (a patch, or a ``replicas:`` entry).
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import is_patch, replicas_overridden
from ekslint.rules.availability._workloads import APPS_SINGLETON_KINDS, autoscalers_for


@rule(
    id="single-replica",
    title="Deployments and StatefulSets should run more than one replica",
    level=Level.WARNING,
    targets=(Workload,),
    kinds=APPS_SINGLETON_KINDS,
    tags=("availability",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if w.replicas != 1 or is_patch(w, ctx) or replicas_overridden(w, ctx):
        return
    if autoscalers_for(w, ctx):
        return
    how = "replicas: 1" if "replicas" in w.spec else "spec.replicas is not set and defaults to 1"
    yield Finding(
        f"{w.ref} runs a single pod ({how}) and no HPA scales it: every node drain, "
        "managed node group update, Karpenter consolidation or node loss is an outage; "
        "run at least 2 replicas (with a PDB) or add an HPA with minReplicas: 2",
        ("spec", "replicas"),
    )
