"""networkpolicy-selects-nothing: a NetworkPolicy whose ``podSelector`` matches no pod template
in its namespace.

A policy only isolates the pods its ``podSelector`` selects, in its own namespace. One that
selects nothing (a typo, a renamed label, the wrong namespace) isolates nothing: the traffic it
was written to restrict flows freely, and its allow rules open nothing either. An empty selector
``{}`` selects every pod of the namespace and is never reported (when the scan holds no workload
there, nothing can be said anyway). Partial input and Kustomize builds are handled as described
in :mod:`ekslint.rules.wiring._netpol`; selectors naming the pods of EKS default add-ons
(CoreDNS, VPC CNI, kube-proxy) are not judged, as those pods are in no repository.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.selectors import is_empty_label_selector, is_valid_label_selector
from ekslint.rules.availability._overlays import build_namespaces, is_patch, overlay_mentions, overridden
from ekslint.rules.availability._pdb import selector_text
from ekslint.rules.wiring._netpol import (
    NETPOL_GKS,
    describe,
    namespace_known,
    pod_selector,
    selected_in,
    selects_eks_addon,
    workload_count,
)


@rule(
    id="networkpolicy-selects-nothing",
    title="NetworkPolicies should select the pods they are meant to isolate",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=NETPOL_GKS,
    tags=("networking", "security"),
)
def check(policy: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if is_patch(policy, ctx) or overridden(policy, ctx, ("spec", "podSelector")):
        return  # a fragment, or a base whose selector an overlay rewrites
    if overlay_mentions(policy, ctx, "podSelector"):
        return  # a targeted (inline or JSON 6902) Kustomize patch edits the selector
    selector = pod_selector(policy)
    if not is_valid_label_selector(selector) or is_empty_label_selector(selector):
        return  # rejected by the API server, or every pod of the namespace
    if selects_eks_addon(selector):
        return
    if selected_in(selector, build_namespaces(policy, ctx), ctx):
        return
    ns = policy.effective_namespace
    if not namespace_known(policy, ns, selector, ctx):
        return  # partial input: the pods it is meant for may be in files this scan did not see
    elsewhere = selected_in(selector, _other_namespaces(ctx, ns), ctx)
    hint = (
        f" ({describe(elsewhere)} matches, but a NetworkPolicy only selects pods in its own namespace)"
        if elsewhere
        else ""
    )
    n = workload_count(ns, ctx)
    among = "the only workload" if n == 1 else f"the {n} workloads"
    yield Finding(
        f"podSelector {selector_text(selector)} matches no pod template among {among} of namespace "
        f"{policy.shown_namespace}{hint}: the policy isolates nothing, so the traffic it was written to "
        "restrict is still allowed; match the pods' spec.template.metadata.labels",
        ("spec", "podSelector"),
    )


def _other_namespaces(ctx: RuleContext, ns: str) -> set[str]:
    return {w.effective_namespace for w in ctx.index.workloads if w.effective_namespace != ns}
