"""pdb-selects-nothing: a PodDisruptionBudget whose selector matches no pod template in its namespace.

Partial input: "matches nothing" is only claimed when the scan holds at least one workload in the
PDB's namespace (rules.md), no custom resource there that an operator may run the pods from
(see ``_pdb.custom_pod_sources``), and no workload that a Kustomize build could make selected
(labels from ``commonLabels``, or a namespace set by the kustomization). A missing selector, or
an empty one in ``policy/v1beta1``, selects no pods whatever the namespace holds, so those are
reported on their own. A placeholder in the selector, or in the pod labels of a workload of the
namespace where the selector looks (``app: ${APP}``), makes the answer unknown.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.selectors import is_valid_label_selector, placeholder_may_match
from ekslint.rules.availability._overlays import is_patch, overridden, workloads_in
from ekslint.rules.availability._pdb import (
    PDB_GK,
    custom_pod_sources,
    may_select,
    other_namespaces,
    pod_labels,
    selected_workloads,
    selector_problem,
    selector_text,
)


@rule(
    id="pdb-selects-nothing",
    title="PodDisruptionBudgets should select the pods they protect",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=(PDB_GK,),
    tags=("availability",),
)
def check(pdb: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if is_patch(pdb, ctx) or overridden(pdb, ctx, ("spec", "selector")):
        return  # a fragment, or a base whose selector an overlay rewrites
    problem = selector_problem(pdb)
    if problem is not None:
        yield Finding(
            f"{problem}: the PDB protects nothing; set spec.selector.matchLabels to the pod template's labels",
            ("spec", "selector"),
        )
        return
    selector = pdb.spec.get("selector")
    if not is_valid_label_selector(selector):
        return  # the API server rejects it; not this rule's business
    ns = pdb.effective_namespace
    workloads = workloads_in(ctx, ns)
    if not workloads or any(pod_labels(w, ctx) is None for w in workloads):
        return  # partial input: the pods it is meant for may be in files this scan did not see
    if next(selected_workloads(pdb, ctx, templates=True), None) is not None or custom_pod_sources(pdb, ctx):
        return
    if any(placeholder_may_match(selector, pod_labels(w, ctx) or {}) for w in workloads):
        return  # a placeholder on either side: it may match once rendered
    if any(may_select(pdb, w, ctx) for w in ctx.index.workloads if not is_patch(w, ctx)):
        return  # a kustomization adds the labels, or moves the workload into this namespace
    elsewhere = other_namespaces(pdb, ctx)
    hint = f" ({elsewhere[0].ref} matches, but a PDB only selects pods in its own namespace)" if elsewhere else ""
    count = "the only workload" if len(workloads) == 1 else f"the {len(workloads)} workloads"
    yield Finding(
        f"selector {selector_text(selector)} matches no pod template among {count} in namespace "
        f"{pdb.shown_namespace}{hint}: the PDB protects nothing, and the pods it was meant for can all be evicted "
        "at once; match the workload's spec.template.metadata.labels",
        ("spec", "selector"),
    )
