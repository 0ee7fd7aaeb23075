"""fargate-lb-target-type: instance targets for pods that Fargate profiles (eksctl, Terraform,
CloudFormation) put on Fargate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.loadbalancing._lbc import (
    A_TARGET_TYPE,
    INGRESS_KINDS,
    S_NLB_TARGET_TYPE,
    alb_target_type,
    backend_services,
    classify_ingress,
    fargate_clusters,
    fargate_pods,
    nlb_target_type,
    service_lb,
)

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster, FargateProfile


def _where(w: Workload, c: Cluster, profile: FargateProfile) -> str:
    return f"its pods ({w.ref}) run on Fargate (profile {profile.name!r} of {c.describe})"


@rule(
    id="fargate-lb-target-type",
    title="Load balancers must use IP targets for Fargate pods",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=(*INGRESS_KINDS, "Service"),
    tags=("networking", "eks", "fargate"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if not fargate_clusters(ctx.index):
        return
    if obj.gk == "Service":
        yield from _service(obj, ctx)
        return
    info = classify_ingress(obj, ctx.index)
    if not info.is_alb:
        return
    for backend, svc in backend_services(obj, ctx.index):
        target = alb_target_type(obj, info, svc)
        if target.value != "instance":
            continue
        hit = fargate_pods(svc, ctx.index)
        if hit is not None:
            yield Finding(
                f"{obj.ref} routes to Service {backend.service!r} with ALB target type instance "
                f"({target.source}), but {_where(*hit)}: Fargate pods have no node to send node-port "
                f"traffic to; set {A_TARGET_TYPE}: ip",
                backend.path,
            )


def _service(svc: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    lb = service_lb(svc, ctx)
    if lb in (None, "other"):
        return
    if lb == "lbc":
        target = nlb_target_type(svc)
        if target.value != "instance":
            return
        hit = fargate_pods(svc, ctx.index)
        if hit is not None:
            yield Finding(
                f"{svc.ref} makes an NLB with instance targets ({target.source}), but {_where(*hit)}: "
                f"set {S_NLB_TARGET_TYPE}: ip",
                target.path or ("spec", "type"),
            )
        return
    hit = fargate_pods(svc, ctx.index)
    if hit is not None:
        yield Finding(
            f"{svc.ref} gets its load balancer from the legacy in-tree cloud provider, which only registers "
            f"instance targets, but {_where(*hit)}: hand it to the AWS Load Balancer Controller "
            f"(aws-load-balancer-type: external) with {S_NLB_TARGET_TYPE}: ip",
            ("spec", "type"),
        )
