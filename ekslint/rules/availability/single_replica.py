"""single-replica: a Deployment or StatefulSet that runs one replica and no autoscaler.

``replicas: 0`` is a workload deliberately scaled down (or the template an Argo Rollout borrows),
not an availability risk. An HPA or a KEDA ScaledObject owns the count when present, so the
workload is skipped (the HPA floor is ``hpa-invalid-range``'s business), and so is a base whose
replica count a Kustomize overlay in the scan rewrites (a patch, or a ``replicas:`` entry).

The rule protects against the outage a drain or a node loss causes. A leader-elected controller
(see ``_leader``) has that outage too, but an HPA is no cure there (extra replicas only wait on the
lease): it is told that a standby replica shortens the failover. A singleton by design
(external-dns) is not reported: no replica count helps, and a second one would do harm.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._leader import one_active
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
    active = one_active(w)
    if active is not None and active.kind == "singleton":
        return  # nothing to advise: it cannot run more than one replica
    if active is not None:
        yield Finding(
            f"{w.ref} runs a single pod ({how}) of a leader-elected controller ({active.why}): only the "
            "lease holder works, so an HPA would only add idle replicas, but while the pod of a drained or "
            "lost node is rescheduled nothing reconciles; a second replica waits on the lease and takes "
            "over when it expires: set replicas: 2 and a PDB (maxUnavailable: 1) if that failover time matters",
            ("spec", "replicas"),
        )
        return
    yield Finding(
        f"{w.ref} runs a single pod ({how}) and no HPA scales it: every node drain, "
        "managed node group update, Karpenter consolidation or node loss is an outage; "
        "run at least 2 replicas (with a PDB) or add an HPA with minReplicas: 2",
        ("spec", "replicas"),
    )
