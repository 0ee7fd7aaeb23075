"""missing-pdb: a workload with 2+ replicas and no PodDisruptionBudget.

Partial input (rules.md): this reports something *missing*, a PDB, so it only fires when the scan
holds at least one PodDisruptionBudget in the workload's namespace. A repository that keeps its
PDBs elsewhere, or a pre-commit run over one changed Deployment, gets no finding.
A PDB that selects the pods only after a Kustomize build (``commonLabels``, the namespace the
kustomization sets) counts as selecting them. The count is the desired one (HPA ``minReplicas``
when an autoscaler scales it); one replica is ``single-replica``'s business, and a PDB over one
replica would block drains. A PDB whose selector may match once its placeholders are filled in
(``app: ${APP}``, or pods labelled by a placeholder) counts as selecting them.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.selectors import placeholder_may_match
from ekslint.rules.availability._overlays import is_patch
from ekslint.rules.availability._pdb import PDB_GROUP, PDB_KIND, may_select, pdbs_in, pod_labels, selects
from ekslint.rules.availability._workloads import desired


@rule(
    id="missing-pdb",
    title="Replicated workloads should have a PodDisruptionBudget",
    level=Level.NOTE,
    targets=(Workload,),
    tags=("availability",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if not w.replicated or is_patch(w, ctx):
        return
    pdbs = pdbs_in(ctx, w.effective_namespace)
    if not pdbs:
        return
    want = desired(w, ctx)
    labels = pod_labels(w, ctx)
    if want.pods is None or want.pods < 2 or labels is None:
        return
    if any(selects(pdb, labels) or placeholder_may_match(pdb.spec.get("selector"), labels) for pdb in pdbs):
        return
    others = ctx.index.of_kind(PDB_KIND, group=PDB_GROUP)
    if any(may_select(pdb, w, ctx) for pdb in others if not is_patch(pdb, ctx)):
        return  # selected once Kustomize adds its labels or sets the namespaces
    yield Finding(
        f"{w.ref} runs {want.pods} replicas ({want.why}) and no PodDisruptionBudget in namespace "
        f"{w.shown_namespace} selects its pods: a node drain or Karpenter consolidation may evict "
        "them all at once; add a PDB with maxUnavailable: 1",
        ("spec", "replicas"),
    )
