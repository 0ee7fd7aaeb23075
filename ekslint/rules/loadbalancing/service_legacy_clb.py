"""service-legacy-clb: a ``type: LoadBalancer`` Service left to the legacy in-tree cloud provider."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.loadbalancing._lbc import NLB_CLASS, S_TYPE, ann_path, ann_str, service_lb

_FIX = (
    f"set spec.loadBalancerClass: {NLB_CLASS} (new Services) or the annotation {S_TYPE}: external, "
    "with aws-load-balancer-nlb-target-type: ip or instance, so the AWS Load Balancer Controller makes an NLB"
)


@rule(
    id="service-legacy-clb",
    title="LoadBalancer Services should use the AWS Load Balancer Controller",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=("Service",),
    tags=("networking", "eks"),
)
def check(svc: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    kind = service_lb(svc, ctx)
    lb_type = (ann_str(svc, S_TYPE) or "").strip()
    if kind == "in-tree-nlb":
        yield Finding(
            f"{svc.ref}: {S_TYPE}: nlb is handled by the legacy in-tree cloud provider (critical fixes "
            f"only, instance targets only); {_FIX}",
            ann_path(S_TYPE),
        )
    elif kind == "clb" and lb_type:
        yield Finding(
            f"{svc.ref}: {S_TYPE}: {lb_type!r} is not a value the AWS Load Balancer Controller handles, "
            f"so the legacy in-tree cloud provider creates a Classic Load Balancer; {_FIX}",
            ann_path(S_TYPE),
        )
    elif kind == "clb":
        yield Finding(
            f"{svc.ref} is type LoadBalancer without spec.loadBalancerClass or {S_TYPE}: unless the AWS "
            "Load Balancer Controller's Service webhook claims it (then set lbc-service-webhook: true in "
            f".ekslint.yaml), the legacy in-tree cloud provider creates a Classic Load Balancer; {_FIX}",
            ("spec", "type"),
        )
