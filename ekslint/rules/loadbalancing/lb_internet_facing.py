"""lb-internet-facing: an internet-facing ALB/NLB/CLB open to every source address."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.loadbalancing._lbc import (
    A_INBOUND_CIDRS,
    A_IP_ADDRESS_TYPE,
    A_PREFIX_LISTS,
    A_SECURITY_GROUPS,
    INGRESS_KINDS,
    S_INTERNAL,
    S_IP_ADDRESS_TYPE,
    S_PREFIX_LISTS,
    S_SECURITY_GROUPS,
    IngressClassInfo,
    alb_scheme,
    ann_str,
    classify_ingress,
    group_members,
    in_tree_internal,
    lbc_service_scheme,
    open_to_world,
    service_lb,
    service_source_ranges,
    split_list,
)


def _alb_restricted(ing: K8sObject, info: IngressClassInfo, ctx: RuleContext) -> bool:
    """Inbound CIDRs, custom security groups or prefix lists anywhere on the ALB (IngressGroup-wide)."""
    dualstack = str(info.param(A_IP_ADDRESS_TYPE) or ann_str(ing, A_IP_ADDRESS_TYPE) or "").startswith("dualstack")
    param_cidrs = info.param(A_INBOUND_CIDRS)
    if isinstance(param_cidrs, list):
        return not open_to_world([str(c).strip() for c in param_cidrs], dualstack)
    if info.param(A_PREFIX_LISTS) is not None:
        return True
    for member, _ in group_members(ing, info, ctx.index):
        cidrs = ann_str(member, A_INBOUND_CIDRS)
        if cidrs is not None and cidrs.strip() and not open_to_world(split_list(cidrs), dualstack):
            return True
        if split_list(ann_str(member, A_SECURITY_GROUPS)) or split_list(ann_str(member, A_PREFIX_LISTS)):
            return True
    return False


def _service_restricted(svc: K8sObject, lbc: bool) -> bool:
    dualstack = lbc and (ann_str(svc, S_IP_ADDRESS_TYPE) or "").strip() == "dualstack"
    ranges = service_source_ranges(svc)
    if ranges is not None and not open_to_world(ranges, dualstack):
        return True
    if split_list(ann_str(svc, S_SECURITY_GROUPS)):
        return True
    return lbc and bool(split_list(ann_str(svc, S_PREFIX_LISTS)))


@rule(
    id="lb-internet-facing",
    title="Internet-facing load balancers should restrict source ranges",
    level=Level.NOTE,
    targets=(K8sObject,),
    kinds=(*INGRESS_KINDS, "Service"),
    tags=("networking", "security", "eks"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if obj.gk == "Service":
        yield from _service(obj, ctx)
        return
    info = classify_ingress(obj, ctx.index)
    if not info.is_alb:
        return
    scheme = alb_scheme(obj, info)
    if scheme.value != "internet-facing" or _alb_restricted(obj, info, ctx):
        return
    yield Finding(
        f"{obj.ref} makes an internet-facing ALB ({scheme.source}) that accepts every source address: "
        f"limit it with {A_INBOUND_CIDRS} (or security-groups), or make it internal if only the VPC "
        "needs it",
        scheme.path,
    )


def _service(svc: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    lb = service_lb(svc, ctx)
    if lb in (None, "other"):
        return
    if lb == "lbc":
        scheme = lbc_service_scheme(svc)
        if scheme.value != "internet-facing" or _service_restricted(svc, lbc=True):
            return
        yield Finding(
            f"{svc.ref} makes an internet-facing NLB that accepts every source address: set "
            "spec.loadBalancerSourceRanges (or aws-load-balancer-security-groups), or use "
            "aws-load-balancer-scheme: internal if only the VPC needs it",
            scheme.path,
        )
        return
    if in_tree_internal(svc) or _service_restricted(svc, lbc=False):
        return
    yield Finding(
        f"{svc.ref} gets an internet-facing load balancer from the legacy in-tree cloud provider (its "
        f"default without {S_INTERNAL}) that accepts every source address: set "
        "spec.loadBalancerSourceRanges, or make it internal",
        ("spec", "type"),
    )
