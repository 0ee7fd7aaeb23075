"""pdb-unhealthy-eviction: a policy/v1 PodDisruptionBudget that keeps the default
``unhealthyPodEvictionPolicy`` (``IfHealthyBudget``).

With the default, a pod that runs but is not Ready (a crash loop, a failing readiness probe)
still counts against the budget: while the application is below its desired healthy count,
the eviction API refuses to evict even those unhealthy pods, so ``kubectl drain``, managed node
group updates and Karpenter consolidation wait on pods that serve nothing. ``AlwaysAllow`` lets
them go. The field is GA in Kubernetes 1.31 (beta and on by default since 1.27; alpha and off
in 1.26), so a target version below 1.27 gets no finding: its API server drops the field.

``policy/v1beta1`` has no such field (``removed-api`` reports that API). Kustomize patches are
fragments and are skipped, and so is a base whose policy an overlay sets.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import target_version
from ekslint.rules.availability._overlays import is_patch, overlay_mentions, overridden
from ekslint.rules.availability._pdb import PDB_GK

FIELD = "unhealthyPodEvictionPolicy"
#: First minor where the field is honoured by default (beta, PDBUnhealthyPodEvictionPolicy on).
FIRST_MINOR = 27


@rule(
    id="pdb-unhealthy-eviction",
    title="PodDisruptionBudgets should let unhealthy pods be evicted",
    level=Level.NOTE,
    targets=(K8sObject,),
    kinds=(PDB_GK,),
    tags=("availability",),
)
def check(pdb: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if pdb.version != "v1" or is_patch(pdb, ctx):
        return  # v1beta1 has no such field; a patch is a fragment
    if overridden(pdb, ctx, ("spec", FIELD)) or overlay_mentions(pdb, ctx, FIELD):
        return  # an overlay decides the policy
    target = target_version(ctx, pdb)
    if 0 < target.minor < FIRST_MINOR:
        return  # the API server of the target version ignores the field
    value = pdb.spec.get(FIELD)
    if value is None:
        yield Finding(
            f"{pdb.ref} has no spec.{FIELD}, so the default IfHealthyBudget applies: pods that run but "
            "are not Ready (crash loops) still count against the budget and block node drains, managed node "
            f"group updates and Karpenter consolidation; set spec.{FIELD}: AlwaysAllow",
            ("spec",),
        )
    elif value == "IfHealthyBudget":
        yield Finding(
            f"{FIELD}: IfHealthyBudget keeps crash-looping, running-but-not-Ready pods under the budget: "
            "while the application is below its desired healthy count they cannot be evicted, so node "
            "drains, managed node group updates and Karpenter consolidation hang on pods that serve nothing; "
            "use AlwaysAllow unless unready pods must never be evicted (quorum or data safety)",
            ("spec", FIELD),
            value=True,
        )
