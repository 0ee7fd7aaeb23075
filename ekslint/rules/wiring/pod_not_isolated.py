"""pod-not-isolated: a workload that no NetworkPolicy of its namespace selects.

Pods that no policy selects are not isolated: they accept connections from any pod of the
cluster and may connect anywhere, whatever the other policies of the namespace say. Off by
default: many namespaces rely on an empty ``podSelector`` policy (default deny), and when that
is in the scan the rule is silent anyway; it is for teams that want every workload covered.

Partial input: reported only when a NetworkPolicy of the namespace is shipped with the
workload (same file, a Kustomization applying both, or a folder above or below; sibling folders
are often separate apps).
Any policy of the namespace that may select it, after a Kustomize build, counts; a malformed
selector makes the answer unknown, and so does a kustomization that may build the workload and
lists files the scan does not hold. ``hostNetwork`` pods (which no policy can isolate),
PodTemplate objects, Kustomize patches and partial copies (no container image) are skipped.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.selectors import is_valid_label_selector
from ekslint.rules.availability._overlays import build_namespaces, is_patch
from ekslint.rules.wiring._netpol import build_incomplete, pod_selector, policies, selects
from ekslint.rules.wiring._refs import in_scope


def _partial(w: Workload) -> bool:
    """A copy that only carries part of the object (no containers, or one without an image).
    A template without labels is not one here: Jobs often have none, and their pods still get
    the labels their controller adds."""
    containers = list(w.iter_containers(init=False))
    return not containers or any(not c.spec.get("image") for c in containers)


@rule(
    id="pod-not-isolated",
    title="Workloads should be selected by a NetworkPolicy",
    level=Level.NOTE,
    targets=(Workload,),
    tags=("networking", "security"),
    enabled=False,
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if w.gk == "PodTemplate" or is_patch(w, ctx) or _partial(w):
        return
    if w.pod_spec.get("hostNetwork") is True:
        return  # NetworkPolicies do not apply to pods on the node's network
    mine = build_namespaces(w, ctx)
    here = [p for p in policies(ctx) if build_namespaces(p, ctx) & mine]
    shipped = [p for p in here if in_scope(w, p, ctx.index)]
    if not shipped:
        return  # partial input: no policy of the namespace is shipped with it
    if build_incomplete(w, ctx):
        return  # partial input: a policy of a Kustomize base the scan lacks may select it
    for p in here:
        selector = pod_selector(p)
        if not is_valid_label_selector(selector) or selects(selector, build_namespaces(p, ctx), w, ctx):
            return
    ns = w.shown_namespace
    yield Finding(
        f"no NetworkPolicy in namespace {ns} selects the pods of {w.ref} (shipped with {shipped[0].ref}"
        f"{f' and {len(shipped) - 1} more' if len(shipped) > 1 else ''}): they accept traffic from every pod of the "
        "cluster and may "
        "connect anywhere; add a policy that selects them (a default-deny podSelector: {} and explicit allows)",
        (*w.template_meta_path, "labels"),
    )
