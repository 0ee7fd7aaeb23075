"""service-selects-nothing: a Service whose selector matches no pod template in its namespace.

A Service only sends traffic to pods its selector matches, in its own namespace. A selector that
matches nothing (a typo, a label renamed on one side, the wrong namespace) leaves the Service
with no endpoints: clients get connection refused, and an AWS load balancer in front of it has no
healthy targets. Pods get the labels of their template plus those their controller adds
(``job-name``, ``statefulset.kubernetes.io/pod-name``...). Partial input: reported only when the
scan holds a whole workload in the namespace shipped with the Service (same file, same folder or
a folder above or below), no custom resource there that an operator may turn into pods, and the
selector is not that of an EKS default add-on (CoreDNS, VPC CNI, kube-proxy).
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.wiring._refs import (
    format_selector,
    is_fragment,
    may_create_pods,
    pods_match,
    scope_evidence,
    selects_eks_addon,
    service_selector,
)


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
    workloads = list(ctx.index.workloads_in(ns))
    if any(pods_match(selector, w) for w in workloads):
        return
    # Partial input: the pods must be expected among the workloads shipped with the Service.
    evidence = [w for w in scope_evidence(ctx, svc, workloads) if not is_fragment(w)]
    if not evidence:
        return
    operators = [o for o in ctx.index.objects if o.effective_namespace == ns and may_create_pods(o)]
    if scope_evidence(ctx, svc, operators):
        return  # an operator's custom resource beside it may create the pods
    yield Finding(
        f"selector {format_selector(selector)} matches no pod template in namespace {ns!r} (checked "
        f"{len(workloads)} workload(s), {len(evidence)} shipped with it): {svc.ref} has no endpoints and its "
        "traffic goes nowhere; fix the selector or the pod labels",
        ("spec", "selector"),
    )
