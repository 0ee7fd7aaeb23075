"""vpa-hpa-conflict: a VPA that updates pods and an HPA on cpu or memory for the same target.

Both autoscalers react to the same signal: the HPA adds pods when cpu/memory per pod is high,
the VPA raises the requests (evicting or resizing pods) for the same reason. With Utilization
targets, every VPA change also moves the HPA's denominator. The two fight, replica counts and
requests oscillate, and pods are evicted again and again. Only VPA modes that change running
pods conflict (``Auto`` = the default, ``Recreate``, ``InPlaceOrRecreate``); ``Off`` and
``Initial`` do not, nor does a VPA that controls neither resource for the containers involved.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._hpa import (
    VPA_ACTIVE_MODES,
    VPA_GK,
    hpas,
    resource_metrics,
    scale_target,
    vpa_controlled,
    vpa_named_containers,
    vpa_update_mode,
    workloads_named,
)
from ekslint.rules.scheduling._resources import RESOURCES
from ekslint.rules.wiring._refs import near


def _containers(ctx: RuleContext, vpa: K8sObject, kind: str, name: str) -> list[str | None]:
    """The containers a pod-level HPA metric covers: the target's, when it is in the scan;
    else every container the VPA names plus ``None`` for the ones its ``*``/default policy covers."""
    targets = workloads_named(ctx, vpa, kind, name)
    if targets:
        return list(dict.fromkeys(c.name for t in targets for c in t.iter_containers(init=False)))
    return [*vpa_named_containers(vpa), None]


@rule(
    id="vpa-hpa-conflict",
    title="VPA and HPA must not both scale a workload on cpu or memory",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=(VPA_GK,),
    tags=("autoscaling", "availability"),
)
def check(vpa: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    mode = vpa_update_mode(vpa)
    if mode not in VPA_ACTIVE_MODES:
        return
    target = scale_target(vpa, "targetRef")
    if target is None:
        return
    kind, name = target
    for hpa in hpas(ctx, vpa.effective_namespace):
        if scale_target(hpa) != target or not near(vpa, hpa, ctx.index):
            continue  # another target, or an HPA of an unrelated app that shares the name
        clashes: list[str] = []
        for metric in resource_metrics(hpa):
            if metric.resource not in RESOURCES:
                continue
            names = [metric.container] if metric.container else _containers(ctx, vpa, kind, name)
            if any(metric.resource in vpa_controlled(vpa, c) for c in names) and metric.resource not in clashes:
                clashes.append(metric.resource)
        if not clashes:
            continue
        resources = " and ".join(clashes)
        written = vpa.get("spec", "updatePolicy", "updateMode") is not None
        mode_text = f"updateMode {mode}" if written else "updateMode Auto (the default)"
        path = ("spec", "updatePolicy", "updateMode") if written else ("spec", "targetRef")
        yield Finding(
            f"{vpa.ref} ({mode_text}) changes the {resources} requests of {kind}/{vpa.shown_namespace}/{name} "
            f"while {hpa.ref} "
            f"scales it on {resources}: the two autoscalers fight and pods are evicted repeatedly; set the "
            f"VPA to updateMode Off/Initial, drop {resources} from its controlledResources, or scale the "
            "HPA on another metric",
            path,
        )
