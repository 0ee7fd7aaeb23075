"""networkpolicy-peer-selects-nothing: an ingress ``from`` / egress ``to`` peer whose
``podSelector`` matches no pod template.

A peer with a ``podSelector`` and no ``namespaceSelector`` names pods of the policy's own
namespace; with a ``namespaceSelector`` it names pods of the namespaces that selector picks.
Those are the Namespace objects of the scan whose labels match (plus the automatic
``kubernetes.io/metadata.name`` label), or, for a selector that only pins
``kubernetes.io/metadata.name``, the namespaces of that name that the scan holds workloads of.
When the scan cannot tell which namespaces are picked (``{}``: every namespace; labels of
namespaces it does not define), the peer is not judged. ``ipBlock`` peers are addresses, not
pods. Partial input is handled as in :mod:`ekslint.rules.wiring._netpol`, for every namespace
the peer names.
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
    Peer,
    describe,
    namespace_known,
    picked_namespaces,
    pod_peers,
    selected_in,
    selects_eks_addon,
)


def _where(policy: K8sObject, peer: Peer, namespaces: list[str], ctx: RuleContext) -> str:
    if not peer.has_namespace_selector:
        return f"namespace {policy.shown_namespace}"
    picked = ", ".join(namespaces)
    return (
        f"namespace {picked} (picked by namespaceSelector {selector_text(peer.namespace_selector)})"
        if len(namespaces) == 1
        else f"namespaces {picked} (picked by namespaceSelector {selector_text(peer.namespace_selector)})"
    )


@rule(
    id="networkpolicy-peer-selects-nothing",
    title="NetworkPolicy peers should select existing pods",
    level=Level.NOTE,
    targets=(K8sObject,),
    kinds=NETPOL_GKS,
    tags=("networking", "security"),
)
def check(policy: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if is_patch(policy, ctx) or overlay_mentions(policy, ctx, "podSelector", "namespaceSelector"):
        return  # a fragment, or a base whose peers a targeted Kustomize patch edits
    for peer in pod_peers(policy):
        if overridden(policy, ctx, ("spec", peer.direction)):
            continue  # an overlay patch replaces these rules
        selector = peer.pod_selector
        if not is_valid_label_selector(selector) or is_empty_label_selector(selector):
            continue  # rejected by the API server, or every pod of the namespaces
        if selects_eks_addon(selector):
            continue  # CoreDNS and the other EKS add-ons are in every cluster, in no repository
        if peer.has_namespace_selector:
            picked = picked_namespaces(policy, peer.namespace_selector, ctx)
            if picked is None:
                continue
            namespaces = set(picked)
            judged = picked
        else:
            namespaces = build_namespaces(policy, ctx)
            judged = [policy.effective_namespace]
        if selected_in(selector, namespaces, ctx):
            continue
        if not all(namespace_known(policy, ns, selector, ctx) for ns in judged):
            continue  # partial input: the peer pods may be in files this scan did not see
        peers_key = "from" if peer.direction == "ingress" else "to"
        effect = (
            "this peer lets no client in, so the traffic it was meant to allow is refused"
            if peer.direction == "ingress"
            else "this peer allows connections to no pod, so the traffic it was meant to allow is dropped"
        )
        hint = ""
        if not peer.has_namespace_selector:
            elsewhere = selected_in(selector, _other_namespaces(ctx, namespaces), ctx)
            if elsewhere:
                hint = f" ({describe(elsewhere)} matches: add a namespaceSelector for its namespace)"
        yield Finding(
            f"{peer.direction}[{peer.rule_index}].{peers_key} peer podSelector {selector_text(selector)} matches "
            f"no pod template in {_where(policy, peer, judged, ctx)}{hint}: {effect} once the pods are isolated; "
            "match the peer pods' labels",
            peer.path,
        )


def _other_namespaces(ctx: RuleContext, namespaces: set[str]) -> set[str]:
    return {w.effective_namespace for w in ctx.index.workloads} - namespaces
