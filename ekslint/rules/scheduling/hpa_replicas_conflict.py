"""hpa-replicas-conflict: a Deployment/StatefulSet that sets ``spec.replicas`` while an HPA scales it.

The HPA owns the replica count through the scale subresource. A manifest that also sets
``spec.replicas`` puts the HPA's number back to the static one on every ``kubectl apply`` (or
GitOps sync): a scaled-out service drops to the manifest's count until the HPA reacts again.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._hpa import hpas_scaling

KINDS = ("Deployment.apps", "Deployment.extensions", "StatefulSet.apps", "Rollout.argoproj.io")


@rule(
    id="hpa-replicas-conflict",
    title="Workloads scaled by an HPA should not set spec.replicas",
    level=Level.WARNING,
    targets=(Workload,),
    kinds=KINDS,
    tags=("autoscaling", "availability"),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if "replicas" not in w.spec:
        return
    hpas = hpas_scaling(ctx, w)
    if not hpas:
        return
    names = ", ".join(dict.fromkeys(h.ref for h in hpas))
    yield Finding(
        f"spec.replicas {w.spec['replicas']!r} is set while {names} scales {w.ref}: every apply or sync "
        "resets the replica count the HPA chose; remove spec.replicas and let the HPA own it",
        ("spec", "replicas"),
    )
