"""hpa-missing-requests: an HPA Utilization metric on a resource its target's containers do not request.

The HPA computes utilisation as usage divided by the sum of the pods' requests. When a container
it sums over has no request for the resource, the controller reports ``FailedGetResourceMetric``
("missing request for cpu") and never scales. Requests count when set, when the limit is set
(the API server copies the limit into the request), from pod-level resources, or from a
``LimitRange`` default in the namespace: the same logic as ``missing-resource-requests``; a
Kustomize patch of the target applied with the HPA may also supply them.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._hpa import HPA_GK, hpa_targets, resource_metrics
from ekslint.rules.scheduling._resources import RESOURCES, missing
from ekslint.rules.wiring._refs import in_scope, is_fragment


def _patched(ctx: RuleContext, hpa: K8sObject, target: Workload, container: str, resource: str) -> bool:
    """Does a Kustomize patch applied with the HPA give ``container`` the request? Overlays
    commonly add resources to a base Deployment with a strategic-merge patch of the same name."""
    for copy in ctx.index.workloads:
        if (
            copy is target
            or copy.kind != target.kind
            or copy.name != target.name
            or copy.namespace not in (None, target.namespace)
            or not is_fragment(copy)
            or not in_scope(hpa, copy, ctx.index)
        ):
            continue
        for c in copy.iter_containers(init=False):
            if c.name == container and resource not in missing(copy, c, ctx, "requests"):
                return True
    return False


@rule(
    id="hpa-missing-requests",
    title="HPA Utilization metrics need requests on every target container",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=(HPA_GK,),
    tags=("autoscaling", "capacity"),
)
def check(hpa: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    targets = hpa_targets(ctx, hpa)
    if not targets:
        return  # target not in the scan: hpa-target-missing reports a dangling reference
    for metric in resource_metrics(hpa):
        if not metric.is_utilization or metric.resource not in RESOURCES:
            continue
        # The controller sums requests over spec.containers (the one named by a ContainerResource).
        # When the name is defined more than once at the same distance, all copies must lack it.
        lacking_per_target = [
            [
                c
                for c in target.iter_containers(init=False)
                if (metric.container is None or c.name == metric.container)
                and metric.resource in missing(target, c, ctx, "requests")
                and not _patched(ctx, hpa, target, c.name, metric.resource)
            ]
            for target in targets
        ]
        if not all(lacking_per_target):
            continue
        target, lacking = targets[0], lacking_per_target[0]
        names = ", ".join(repr(c.name) for c in lacking)
        noun, verb = ("container", "has") if len(lacking) == 1 else ("containers", "have")
        yield Finding(
            f"metric {metric.describe()} divides usage by {metric.resource} requests, but {noun} {names} of "
            f"{target.ref} {verb} no {metric.resource} request: the HPA cannot compute utilisation "
            f"(FailedGetResourceMetric) and never scales; set resources.requests.{metric.resource}",
            metric.path,
        )
