"""alb-target-type-mismatch: an ALB with instance targets in front of a ClusterIP Service."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.loadbalancing._lbc import (
    A_TARGET_TYPE,
    INGRESS_KINDS,
    alb_target_type,
    backend_services,
    classify_ingress,
    service_type,
)


@rule(
    id="alb-target-type-mismatch",
    title="ALB instance targets need a NodePort backend Service",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=INGRESS_KINDS,
    tags=("networking", "eks"),
)
def check(ing: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    info = classify_ingress(ing, ctx.index)
    if not info.is_alb:
        return
    for backend, svc in backend_services(ing, ctx.index):
        target = alb_target_type(ing, info, svc)
        if target.value != "instance" or service_type(svc) != "ClusterIP":
            continue
        yield Finding(
            f"{ing.ref} sends ALB traffic to Service {backend.service!r}, which is type ClusterIP, with target type "
            f"instance ({target.source}): instance targets are node ports, so the AWS Load Balancer Controller "
            f"cannot register it; set {A_TARGET_TYPE}: ip (on the Ingress or the Service) or make the Service "
            "type NodePort",
            backend.path,
        )
