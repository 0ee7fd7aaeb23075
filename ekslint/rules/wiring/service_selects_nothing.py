"""service-selects-nothing: a Service whose selector matches no pod template in its namespace.

A Service only sends traffic to pods its selector matches, in its own namespace. A selector that
matches nothing (a typo, a label renamed on one side, the wrong namespace) leaves the Service
with no endpoints: clients get connection refused, and an AWS load balancer in front of it has no
healthy targets. Pods get the labels of their template plus those their controller adds
(``job-name``, ``statefulset.kubernetes.io/pod-name``...). Partial input: reported only when the
scan holds a whole workload in the namespace shipped with the Service (same file, same folder or
a folder above or below), no custom resource there that an operator may turn into pods, and the
selector is not that of an EKS default add-on (CoreDNS, VPC CNI, kube-proxy). A placeholder in
the selector, or in the labels of a pod template of the namespace where the selector looks
(``app: ${APP}``), makes the answer unknown.

The message says plainly what was compared (the namespace's workloads by kind, how many are
shipped with the Service) and names a workload of another namespace that the selector matches.
"""

import weakref
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex, nearest
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.placeholders import holds_placeholder
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.selectors import placeholder_labels_may_match
from ekslint.rules.wiring._refs import (
    candidate_workloads,
    format_selector,
    in_scope,
    is_fragment,
    may_create_pods,
    pods_match,
    selects_eks_addon,
    service_selector,
)


@dataclass
class _FileShare:
    """What one file holds in a namespace: ``in_scope`` depends only on the two objects' files,
    so the namespace is judged file by file."""

    sample: K8sObject  #: any object of the file, to ask :func:`in_scope` with
    whole: int = 0  #: workloads that are not fragments
    pod_makers: bool = False  #: a custom resource that an operator may turn into pods


@dataclass
class _Namespace:
    workloads: list[Workload]  #: workloads in the namespace, in scan order
    files: list[_FileShare]
    #: id of a Service's file -> (whole workloads shipped with it, an operator resource shipped with it)
    evidence: dict[int, tuple[int, bool]] = field(default_factory=dict)


#: Per scan: namespace -> its workloads and custom resources by file. Every Service that selects
#: nothing asks about its whole namespace (a big install bundle has hundreds of Services in one
#: file and namespace, and thousands of workloads beside them).
_NAMESPACES: weakref.WeakKeyDictionary[ScanIndex, dict[str, _Namespace]] = weakref.WeakKeyDictionary()


def _namespace(ctx: RuleContext, ns: str) -> _Namespace:
    per_scan = _NAMESPACES.setdefault(ctx.index, {})
    found = per_scan.get(ns)
    if found is None:
        files: dict[int, _FileShare] = {}  # by id of the file, in scan order
        workloads = list(ctx.index.workloads_in(ns))
        for w in workloads:
            share = files.setdefault(id(w.file), _FileShare(w))
            if not is_fragment(w):
                share.whole += 1
        for o in ctx.index.objects_in(ns):
            if may_create_pods(o):
                files.setdefault(id(o.file), _FileShare(o)).pod_makers = True
        found = per_scan[ns] = _Namespace(workloads, list(files.values()))
    return found


def _shipped(svc: K8sObject, ns: _Namespace, ctx: RuleContext) -> tuple[int, bool]:
    """Whole workloads of the namespace shipped with ``svc``, and whether an operator's custom
    resource is (see :func:`in_scope`); the same for every Service of a file."""
    key = id(svc.file)  # the file lives as long as the scan's index
    if key not in ns.evidence:
        shipped = [f for f in ns.files if in_scope(svc, f.sample, ctx.index)]
        ns.evidence[key] = (sum(f.whole for f in shipped), any(f.pod_makers for f in shipped))
    return ns.evidence[key]


@rule(
    id="service-selects-nothing",
    title="Service selectors should match a pod template",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=("Service",),
    tags=("networking",),
)
def check(svc: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    selector = service_selector(svc)
    if selector is None or selects_eks_addon(svc, selector):
        return
    ns = svc.effective_namespace
    if any(pods_match(selector, w) for w in candidate_workloads(ctx.index, ns, selector)):
        return
    # Partial input: the pods must be expected among the workloads shipped with the Service.
    namespace = _namespace(ctx, ns)
    shipped, operators = _shipped(svc, namespace, ctx)
    if not shipped:
        return
    if operators:
        return  # an operator's custom resource beside it may create the pods
    if holds_placeholder(selector) or any(
        placeholder_labels_may_match(selector, w.template_labels, map_selector=True) for w in ctx.index.workloads_in(ns)
    ):
        return  # a placeholder on either side: it may match once rendered (asked last: it walks every workload)
    yield Finding(
        f"{_compared(svc, selector, namespace, shipped, ctx)}: {svc.ref} has no endpoints and its traffic "
        "goes nowhere; fix the selector or the pod labels",
        ("spec", "selector"),
    )


def _compared(svc: K8sObject, selector: Mapping[str, Any], ns: _Namespace, shipped: int, ctx: RuleContext) -> str:
    """What the Service was compared with: the namespace's workloads by kind, how many of them are
    shipped with it, and a workload of another namespace that the selector would match."""
    name, matching = repr(svc.shown_namespace), format_selector(selector)
    notes = []
    if len(ns.workloads) == 1:
        said = (
            f"the only workload in namespace {name}, {ns.workloads[0].ref} (shipped with the Service), "
            f"has no pod labels matching {matching}"
        )
    else:
        counts = Counter(w.kind for w in ns.workloads)
        kinds = sorted(counts, key=lambda k: (-counts[k], k))
        listed = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} or {kinds[-1]}"
        among = f"the {len(ns.workloads)} workloads in namespace {name}"
        said = f"no {listed} among {among} has pod labels matching {matching}"
        are = "is" if shipped == 1 else "are"
        notes.append(f"{shipped} of them {are} shipped with the Service: same file, Kustomization or folder tree")
    elsewhere = nearest(svc, _elsewhere(svc, selector, ctx))
    if elsewhere:
        notes.append(f"{elsewhere[0].ref} matches, but a Service selects pods of its own namespace only")
    return f"{said} ({'; '.join(notes)})" if notes else said


#: Per scan: the namespaces that hold workloads, in scan order.
_WORKLOAD_NAMESPACES: weakref.WeakKeyDictionary[ScanIndex, list[str]] = weakref.WeakKeyDictionary()


def _elsewhere(svc: K8sObject, selector: Mapping[str, Any], ctx: RuleContext) -> list[Workload]:
    """Workloads of other namespaces whose pods the selector matches (a misplaced Service or
    Deployment), looked up by label in each namespace rather than by testing every workload."""
    namespaces = _WORKLOAD_NAMESPACES.get(ctx.index)
    if namespaces is None:
        namespaces = _WORKLOAD_NAMESPACES[ctx.index] = list(
            dict.fromkeys(w.effective_namespace for w in ctx.index.workloads)
        )
    return [
        w
        for other in namespaces
        if other != svc.effective_namespace
        for w in candidate_workloads(ctx.index, other, selector)
        if pods_match(selector, w)
    ]
