"""hpa-invalid-range: HPA ``minReplicas`` > ``maxReplicas``, or ``minReplicas`` < 2 under a PDB.

``minReplicas`` above ``maxReplicas`` is rejected by the API server. ``minReplicas`` below 2
(it defaults to 1) lets the HPA scale a PDB-protected workload down to a single pod: the PDB
then either blocks every drain (Karpenter consolidation, managed node group updates hang) or
lets the only pod go (an outage), so the budget protects nothing.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._hpa import HPA_GK, hpa_targets, max_replicas, min_replicas
from ekslint.rules.wiring._refs import near


@rule(
    id="hpa-invalid-range",
    title="HPA replica bounds should be consistent and leave room for a PDB",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=(HPA_GK,),
    tags=("autoscaling", "availability"),
)
def check(hpa: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    low, high = min_replicas(hpa), max_replicas(hpa)
    if low is None:
        return
    written = "minReplicas" in hpa.spec
    if high is not None and low > high:
        yield Finding(
            f"minReplicas {low} is greater than maxReplicas {high}: the API server rejects this "
            "HPA; make minReplicas <= maxReplicas",
            ("spec", "minReplicas"),
        )
        return
    if low >= 2:
        return
    protected = [
        (t, pdbs)
        for t in hpa_targets(ctx, hpa)
        if (pdbs := [p for p in ctx.index.pdbs_for(t) if near(t, p, ctx.index)])
    ]
    if not protected:
        return
    target, pdbs = protected[0]
    what = f"minReplicas {low}" if written else "minReplicas (default 1)"
    yield Finding(
        f"{what} lets the HPA scale {target.ref} down to {low} pod{'' if low == 1 else 's'} while "
        f"{pdbs[0].ref} protects it: the PDB then blocks every drain or lets the only pod go; "
        "set minReplicas to 2 or more",
        ("spec", "minReplicas"),
    )
