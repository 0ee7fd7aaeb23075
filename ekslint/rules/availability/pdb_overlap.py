"""pdb-overlap: two PodDisruptionBudgets that select the same pods.

The eviction API refuses to evict a pod that more than one PDB covers ("This pod has more than one
PodDisruptionBudget, which the eviction subresource does not support"), so drains fail on every
such pod. Both PDBs and the workload are in the scan, so this always fires (rules.md). Each pair
is reported once, on the later PDB in scan order, naming the earlier one and the workloads.
Two PDBs with the same name in one namespace are one object in the cluster (the same PDB in two
overlays), not an overlap; kustomize patches are fragments, not PDBs.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import is_patch, overridden
from ekslint.rules.availability._pdb import PDB_GK, pdbs_in, selected_workloads


@rule(
    id="pdb-overlap",
    title="Pods must be covered by at most one PodDisruptionBudget",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=(PDB_GK,),
    tags=("availability",),
)
def check(pdb: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if is_patch(pdb, ctx) or overridden(pdb, ctx, ("spec", "selector")):
        return
    mine = list(selected_workloads(pdb, ctx))
    if not mine:
        return
    for other in pdbs_in(ctx, pdb.effective_namespace):
        if other is pdb:
            break  # only PDBs earlier in scan order: each pair is reported once
        if other.name == pdb.name or overridden(other, ctx, ("spec", "selector")):
            continue
        theirs = {id(w) for w in selected_workloads(other, ctx)}
        shared = [w for w in mine if id(w) in theirs]
        if not shared:
            continue
        names = ", ".join(w.ref for w in shared[:3]) + (f" and {len(shared) - 3} more" if len(shared) > 3 else "")
        where = "" if other.file is pdb.file else f" ({other.file.display})"
        yield Finding(
            f"selects the pods of {names}, which {other.ref}{where} also selects: the "
            "eviction API refuses to evict a pod covered by more than one PDB, so drains fail on them; "
            "keep one PDB per set of pods",
            ("spec", "selector"),
        )
