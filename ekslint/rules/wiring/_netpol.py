"""NetworkPolicy semantics shared by the NetworkPolicy rules, as the API server and the network
policy engines (the VPC CNI's network policy agent on EKS, Calico, Cilium) read them.

* ``spec.podSelector`` picks the pods the policy isolates, in the policy's own namespace. It is
  a LabelSelector; ``{}`` (and an absent or null one, the Go zero value) selects every pod of
  the namespace. A malformed selector is rejected by the API server: nothing is concluded
  from it.
* An ingress ``from`` / egress ``to`` peer with a ``podSelector`` and no ``namespaceSelector``
  means pods of the policy's namespace; with a ``namespaceSelector`` it means pods of the
  namespaces that selector picks (``{}``: every namespace). Every namespace carries the
  immutable label ``kubernetes.io/metadata.name: <name>``. ``ipBlock`` peers are addresses,
  not pods, and a peer with only a ``namespaceSelector`` means every pod there.
* Pods carry their template's labels plus those their controller adds (``pod-template-hash``,
  ``job-name``, ``statefulset.kubernetes.io/pod-name``...). A selector on those is matched
  leniently: these rules only claim "matches nothing" or "selected by nothing". So is a
  placeholder (``app: ${APP}``) in a selector or in the pod labels it reads: it may match.

Partial input: a namespace's pods are only judged when the scan holds whole workloads of that
namespace shipped with the policy (same file, a Kustomization applying both, or a folder above
or below: :func:`ekslint.rules.wiring._refs.in_scope`), every workload's pod labels are known
(an Argo Rollout's ``workloadRef`` resolves), no custom resource there may have an operator run
the selected pods (:func:`_may_make`), and no kustomization that may build the policy lists
files the scan does not hold (:func:`build_incomplete`). Kustomize patches are left out of
everything, and a workload that a Kustomize build could make selected (``commonLabels``, a
namespace set by the kustomization) counts as selected
(:mod:`ekslint.rules.availability._overlays`).
"""

from __future__ import annotations

import os
import weakref
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex, nearest
from ekslint.linter.kustomize_context import kustomize
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.nodes import NodePath
from ekslint.linter.placeholders import holds_placeholder
from ekslint.linter.selectors import (
    is_empty_label_selector,
    is_valid_label_selector,
    label_str,
    placeholder_labels_may_match,
    placeholder_may_match,
    valid_selector_matches,
)
from ekslint.rules.availability._overlays import build_labels, build_namespaces, is_patch
from ekslint.rules.availability._pdb import pod_labels
from ekslint.rules.availability._workloads import pod_source
from ekslint.rules.wiring._refs import (
    CONTROLLER_LABEL_KEYS,
    EKS_ADDON_POD_LABELS,
    in_scope,
    is_fragment,
    may_create_pods,
    pods_match,
)

NETPOL_GKS = ("NetworkPolicy.networking.k8s.io", "NetworkPolicy.extensions")
#: The label the API server puts on every Namespace (immutable, since Kubernetes 1.22).
NAME_LABEL = "kubernetes.io/metadata.name"
#: (rule list key, peer list key) of each direction.
DIRECTIONS = (("ingress", "from"), ("egress", "to"))


def is_netpol(obj: K8sObject) -> bool:
    return obj.gk in NETPOL_GKS


def pod_selector(policy: K8sObject) -> Any:
    """``spec.podSelector``; absent or null is the empty selector (every pod of the namespace)."""
    sel = policy.spec.get("podSelector")
    return {} if sel is None else sel


# -- matching one selector against one workload ---------------------------------------------------


def _pod_may_match(
    selector: Mapping[str, Any],
    labels: Mapping[str, Any],
    w: Workload,
    *,
    plain_selector: bool = False,
    plain_labels: bool = False,
) -> bool:
    """Could a valid LabelSelector select pods of ``w`` carrying ``labels`` (its template's), given
    the labels its controller adds? Unknown controller-added values, and placeholders, count as a
    match; ``plain_selector`` and ``plain_labels`` say that the selector, or the labels, are
    known to hold no placeholder (worked out once for a loop over many workloads)."""
    if not plain_selector:
        if placeholder_may_match(selector, labels):
            return True
    elif not plain_labels and placeholder_labels_may_match(selector, labels):
        return True
    for key, value in (selector.get("matchLabels") or {}).items():
        if key in labels:
            if label_str(labels[key]) != label_str(value):
                return False
        elif key not in CONTROLLER_LABEL_KEYS or not pods_match({key: value}, w):
            return False  # not a label the controller adds (job-name=...), or not that value
    for expr in selector.get("matchExpressions") or []:
        key, op = expr["key"], expr["operator"]
        if key not in labels and key in CONTROLLER_LABEL_KEYS:
            continue  # the controller may add it, with a value only known at run time
        present = key in labels
        values = {label_str(v) for v in expr.get("values") or []}
        if op == "In" and not (present and label_str(labels[key]) in values):
            return False
        if op == "NotIn" and present and label_str(labels[key]) in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


@dataclass
class _Pods:
    """One workload as a source of pods: the label sets its pods may carry after a build."""

    workload: Workload
    namespaces: frozenset[str]
    #: template labels, and the same with the labels a kustomization adds; ``None``: unknown
    label_sets: list[dict[str, Any]] | None
    #: a label set holds a placeholder (``app: ${APP}``): worked out once, not per selector
    placeholders: bool = False


@dataclass
class _Facts:
    """What the scan holds of one namespace."""

    whole: list[Workload]  #: workloads that are not fragments, with known pod labels
    unknown_labels: bool  #: a workload whose pod labels are not known (unresolved workloadRef)
    #: custom resources an operator may turn into pods: the label maps each one carries
    pod_makers: list[list[dict[str, Any]]]


@dataclass
class _Scan:
    """Per scan: workloads by the namespaces they may be applied to, policies, Namespaces."""

    pods_by_ns: dict[str, list[_Pods]] = field(default_factory=lambda: defaultdict(list))
    policies: list[K8sObject] = field(default_factory=list)
    namespaces: dict[str, list[K8sObject]] = field(default_factory=lambda: defaultdict(list))
    #: namespaces holding workloads (no patches), for name-only namespace selectors
    workload_namespaces: set[str] = field(default_factory=set)
    #: (namespace, id of an origin's file) -> can the namespace's pods be judged for it?
    known: dict[tuple[str, int], bool] = field(default_factory=dict)
    #: namespace -> what the scan holds of it
    facts: dict[str, _Facts] = field(default_factory=dict)
    #: scanned files and every folder above them (normalised), for :func:`build_incomplete`
    seen_paths: set[Path] | None = None
    #: id of a file -> does a kustomization that may build it include files the scan lacks?
    incomplete: dict[int, bool] = field(default_factory=dict)


_SCANS: weakref.WeakKeyDictionary[ScanIndex, _Scan] = weakref.WeakKeyDictionary()


def _scan(ctx: RuleContext) -> _Scan:
    found = _SCANS.get(ctx.index)
    if found is not None:
        return found
    scan = _SCANS[ctx.index] = _Scan()
    for w in ctx.index.workloads:
        if w.gk == "PodTemplate" or is_patch(w, ctx):
            continue
        labels = pod_labels(w, ctx)
        sets = None
        if labels is not None:
            source = pod_source(w, ctx) or w
            added = build_labels(source, ctx)
            sets = [labels, {**labels, **added}] if added else [labels]
        pods = _Pods(w, frozenset(build_namespaces(w, ctx)), sets, sets is not None and holds_placeholder(sets))
        for ns in pods.namespaces:
            scan.pods_by_ns[ns].append(pods)
        scan.workload_namespaces.add(w.effective_namespace)
    for obj in ctx.index.objects:
        if is_netpol(obj) and not is_patch(obj, ctx):
            scan.policies.append(obj)
        elif obj.gk == "Namespace" and obj.name and not is_patch(obj, ctx):
            scan.namespaces[obj.name].append(obj)
    return scan


def policies(ctx: RuleContext) -> list[K8sObject]:
    """Every NetworkPolicy of the scan (no Kustomize patches), in scan order."""
    return list(_scan(ctx).policies)


def selects(selector: Any, namespaces: frozenset[str] | set[str], w: Workload, ctx: RuleContext) -> bool:
    """Could ``selector`` (a pod selector applied in any of ``namespaces``) select pods of ``w``
    once Kustomize has built both? Unknown pod labels count as selected."""
    if not is_valid_label_selector(selector):
        return False
    if not set(namespaces) & build_namespaces(w, ctx):
        return False
    labels = pod_labels(w, ctx)
    if labels is None:
        return True
    if is_empty_label_selector(selector):
        return True
    source = pod_source(w, ctx) or w
    added = build_labels(source, ctx)
    return _pod_may_match(selector, labels, w) or bool(added and _pod_may_match(selector, {**labels, **added}, w))


def selected_in(selector: Any, namespaces: frozenset[str] | set[str], ctx: RuleContext) -> list[Workload]:
    """Workloads (no patches, no PodTemplates) whose pods ``selector`` may select in ``namespaces``."""
    if not is_valid_label_selector(selector):
        return []
    empty = is_empty_label_selector(selector) or holds_placeholder(selector)  # unknown: may select any
    out: list[Workload] = []
    seen: set[int] = set()
    for ns in sorted(namespaces):
        for pods in _scan(ctx).pods_by_ns.get(ns, ()):
            if id(pods.workload) in seen:
                continue
            if (
                pods.label_sets is None
                or empty
                or any(
                    _pod_may_match(selector, s, pods.workload, plain_selector=True, plain_labels=not pods.placeholders)
                    for s in pods.label_sets
                )
            ):
                seen.add(id(pods.workload))
                out.append(pods.workload)
    return out


def selects_eks_addon(selector: Any) -> bool:
    """Does the selector name the pods of an EKS default add-on (CoreDNS, VPC CNI, kube-proxy,
    Pod Identity agent)? They run in every EKS cluster and are never in the repository."""
    if not isinstance(selector, Mapping):
        return False
    pairs = {(str(k), label_str(v)) for k, v in (selector.get("matchLabels") or {}).items()}
    for expr in selector.get("matchExpressions") or []:
        if isinstance(expr, Mapping) and expr.get("operator") == "In" and isinstance(expr.get("values"), list):
            pairs.update((str(expr.get("key")), label_str(v)) for v in expr["values"])
    return bool(pairs & EKS_ADDON_POD_LABELS)


# -- partial input -----------------------------------------------------------------------------------


def _label_maps(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every mapping under a ``labels`` key below ``node`` (pod metadata of a custom resource)."""
    if depth > 8:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "labels" and isinstance(value, dict):
                yield value
            else:
                yield from _label_maps(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from _label_maps(item, depth + 1)


def _facts(ns: str, ctx: RuleContext) -> _Facts:
    scan = _scan(ctx)
    found = scan.facts.get(ns)
    if found is None:
        whole: list[Workload] = []
        unknown = False
        for w in ctx.index.workloads_in(ns):
            if w.gk == "PodTemplate" or is_patch(w, ctx):
                continue
            if pod_labels(w, ctx) is None:
                unknown = True
            elif not is_fragment(w):
                whole.append(w)
        makers = [
            [m for m in (o.labels, *_label_maps(o.root.get("spec"))) if m]
            for o in ctx.index.objects_in(ns)
            if may_create_pods(o) and not is_patch(o, ctx)
        ]
        found = scan.facts[ns] = _Facts(whole, unknown, makers)
    return found


def _may_make(maps: list[dict[str, Any]], selector: Mapping[str, Any]) -> bool:
    """May an operator label the pods it makes from a custom resource carrying ``maps`` so that a
    valid ``selector`` selects them?

    Operators copy the resource's labels, or pod metadata from its spec, onto the pods, and add
    labels of their own that no manifest shows. So the resource is ruled out only when every key
    the selector requires is written in its label maps and none of them matches: a selector
    ``app.kubernetes.io/name=grafana`` is not met by a Prometheus resource labelled
    ``app.kubernetes.io/name: prometheus``, but ``prometheus=k8s`` (added by the operator) may be.
    """
    if any(valid_selector_matches(selector, m) for m in maps):
        return True
    written = {key for m in maps for key in m}
    required = set((selector.get("matchLabels") or {}).keys())
    required.update(e["key"] for e in selector.get("matchExpressions") or [] if e["operator"] in ("In", "Exists"))
    return not required or not required <= written


def _seen_paths(ctx: RuleContext) -> set[Path]:
    scan = _scan(ctx)
    if scan.seen_paths is None:
        # Strings, and each folder walked up once: files share their parents, and Path.parents
        # for each of a corpus's thousands of files cost a third of a second.
        names: set[str] = set()
        for source in {id(o.file): o.file for o in ctx.index.objects}.values():
            if source.path is None:
                continue
            name = os.path.abspath(source.path)
            while name not in names:
                names.add(name)
                parent = os.path.dirname(name)
                if parent == name:
                    break
                name = parent
        scan.seen_paths = {Path(name) for name in names}
    return scan.seen_paths


def build_incomplete(obj: K8sObject, ctx: RuleContext) -> bool:
    """Is ``obj`` part of a Kustomize build that the scan holds only part of?

    A kustomization that may build its file (in its folder or above, or one of the scan that
    includes it) lists a local resource, base or component of which the scan holds no file:
    one base folder of an app scanned alone, say. Its NetworkPolicies name pods of the other
    bases, so "matches nothing" cannot be claimed from what the scan holds.
    """
    source = obj.file
    path = source.path
    if path is None:
        return False
    scan = _scan(ctx)
    found = scan.incomplete.get(id(source))  # every file lives as long as the scan's index
    if found is None:
        seen = _seen_paths(ctx)
        found = scan.incomplete[id(source)] = any(
            include not in seen for k in kustomize(ctx).covering(path) for include in k.include_paths
        )
    return found


def namespace_known(origin: K8sObject, ns: str, selector: Mapping[str, Any], ctx: RuleContext) -> bool:
    """Can ``origin`` claim that a valid pod ``selector`` selects no pod of namespace ``ns``
    (see the module docstring)?"""
    scan = _scan(ctx)
    facts = _facts(ns, ctx)
    key = (ns, id(origin.file))  # every file lives as long as the scan's index
    found = scan.known.get(key)
    if found is None:
        found = scan.known[key] = (
            not facts.unknown_labels
            and not build_incomplete(origin, ctx)
            and any(in_scope(origin, w, ctx.index) for w in facts.whole)
        )
    return found and not any(_may_make(maps, selector) for maps in facts.pod_makers)


def workload_count(ns: str, ctx: RuleContext) -> int:
    return len(_facts(ns, ctx).whole)


# -- namespaceSelector --------------------------------------------------------------------------------


def _named(selector: Mapping[str, Any]) -> set[str] | None:
    """The namespace names a selector allows through ``kubernetes.io/metadata.name`` (matchLabels
    or an ``In`` expression); ``None`` when it does not pin the name to a finite set."""
    names: set[str] | None = None
    value = (selector.get("matchLabels") or {}).get(NAME_LABEL)
    if value is not None:
        names = {label_str(value)}
    for expr in selector.get("matchExpressions") or []:
        if expr["key"] == NAME_LABEL and expr["operator"] == "In":
            allowed = {label_str(v) for v in expr.get("values") or []}
            names = allowed if names is None else names & allowed
    return names


def picked_namespaces(origin: K8sObject, selector: Any, ctx: RuleContext) -> list[str] | None:
    """The namespaces a peer's ``namespaceSelector`` picks, or ``None`` when the scan cannot tell.

    Namespace objects of the scan are matched on their labels (the nearest definition of each
    name, see :func:`ekslint.linter.index.nearest`, plus labels a kustomization adds) and the
    automatic ``kubernetes.io/metadata.name``. A selector that pins that label to names also
    picks namespaces known only from their workloads, when it reads no other label. An empty
    selector picks every namespace of the cluster, most of which no repository holds: unknown.
    """
    if not is_valid_label_selector(selector) or is_empty_label_selector(selector) or holds_placeholder(selector):
        return None  # a placeholder may pick any namespace once rendered
    scan = _scan(ctx)
    picked: set[str] = set()
    for name, objs in scan.namespaces.items():
        obj = nearest(origin, objs)[0]
        labels = {**obj.labels, NAME_LABEL: name}
        added = build_labels(obj, ctx)
        if valid_selector_matches(selector, labels) or (
            added and valid_selector_matches(selector, {**labels, **added})
        ):
            picked.add(name)
    names = _named(selector)
    if names is not None:
        keys = set((selector.get("matchLabels") or {}).keys())
        keys.update(expr["key"] for expr in selector.get("matchExpressions") or [])
        for name in names - set(scan.namespaces):
            if keys != {NAME_LABEL}:
                return None  # other labels of a namespace the scan does not define: unknown
            if name in scan.workload_namespaces and valid_selector_matches(selector, {NAME_LABEL: name}):
                picked.add(name)
            else:
                return None  # a namespace the scan holds nothing of
    return sorted(picked) or None


# -- peers --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Peer:
    """An ingress ``from`` / egress ``to`` entry that selects pods."""

    direction: str  #: "ingress" or "egress"
    rule_index: int
    path: NodePath  #: to the peer's ``podSelector``, from the policy root
    pod_selector: Any
    has_namespace_selector: bool
    namespace_selector: Any


def pod_peers(policy: K8sObject) -> Iterator[Peer]:
    """The peers of a policy that name pods (a ``podSelector``); ``ipBlock`` peers, and peers with
    only a ``namespaceSelector`` (every pod there), are left out."""
    for direction, peers_key in DIRECTIONS:
        rules = policy.spec.get(direction)
        for i, r in enumerate(rules if isinstance(rules, list) else []):
            peers = r.get(peers_key) if isinstance(r, dict) else None
            for j, peer in enumerate(peers if isinstance(peers, list) else []):
                if not isinstance(peer, dict) or peer.get("ipBlock") is not None:
                    continue
                if peer.get("podSelector") is None:
                    continue
                yield Peer(
                    direction,
                    i,
                    ("spec", direction, i, peers_key, j, "podSelector"),
                    peer["podSelector"],
                    peer.get("namespaceSelector") is not None,
                    peer.get("namespaceSelector"),
                )


def describe(workloads: list[Workload]) -> str:
    """A short list of workload refs for messages."""
    refs = [w.ref for w in workloads[:2]]
    if len(workloads) > 2:
        refs.append(f"and {len(workloads) - 2} more")
    return ", ".join(refs)
