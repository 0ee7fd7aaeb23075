"""How many pods a workload runs, what scales it, and which pod template it really uses.

Static manifests only give the *desired* count: ``spec.replicas`` (default 1) for replicated
kinds, or, when an autoscaler owns the count, its floor (``minReplicas`` of an HPA, default 1).
The floor is what availability has to survive: a drain at night, with the HPA at its minimum,
is exactly when a too-strict PDB hangs. Kinds whose pod count depends on the cluster (DaemonSet:
one per matching node) or on the run (Job, CronJob) have no static count: rules skip the checks
that need it rather than guess.

KEDA ``ScaledObject`` (``keda.sh``) is counted as an autoscaler too: KEDA creates and owns the HPA
(with ``minReplicas`` = max(``minReplicaCount``, 1)), so a workload it scales is as autoscaled as
one with a hand-written HPA, and saying "no HPA" about it would be a false alarm.

Argo Rollouts can borrow the pod template of another workload (``spec.workloadRef``, usually a
Deployment kept at ``replicas: 0``); :func:`pod_source` resolves it so labels and pod spec come
from where they are written.
"""

from __future__ import annotations

from typing import NamedTuple

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject, Workload
from ekslint.rules.availability._overlays import is_patch, objects_of, overridden, replicas_overridden

ROLLOUT_GK = "Rollout.argoproj.io"
#: The kinds ``single-replica`` checks (rules.md: "a Deployment/StatefulSet").
APPS_SINGLETON_KINDS = ("Deployment.apps", "StatefulSet.apps")


class Desired(NamedTuple):
    """A workload's desired pod count (``None``: not known statically) and where it comes from."""

    pods: int | None
    why: str
    autoscaled: bool = False


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _targets(scaler: K8sObject, workload: Workload) -> bool:
    ref = scaler.spec.get("scaleTargetRef")
    if not isinstance(ref, dict) or ref.get("name") != workload.name:
        return False
    # KEDA defaults the target kind to Deployment; the HPA API requires it.
    kind = ref.get("kind", "Deployment" if scaler.group == "keda.sh" else None)
    return kind == workload.kind


def autoscalers_for(workload: Workload, ctx: RuleContext) -> list[K8sObject]:
    """HPAs (any ``autoscaling`` version) and KEDA ScaledObjects that scale ``workload``."""
    ns = workload.effective_namespace
    hpas = [h for h in ctx.index.hpas_for(workload) if not is_patch(h, ctx)]
    keda = [s for s in objects_of(ctx, "ScaledObject", "keda.sh", ns) if _targets(s, workload)]
    return [*hpas, *keda]


def autoscaler_floor(scaler: K8sObject, ctx: RuleContext) -> int | None:
    """The fewest replicas an autoscaler keeps: HPA ``minReplicas`` (default 1); for KEDA the
    HPA it creates, ``max(minReplicaCount, 1)`` (default 0, so 1). ``None`` when unknown."""
    if overridden(scaler, ctx, ("spec", "minReplicas"), ("spec", "minReplicaCount")):
        return None
    if scaler.group == "keda.sh":
        value = _int(scaler.spec.get("minReplicaCount", 0))
        return None if value is None else max(value, 1)
    return _int(scaler.spec.get("minReplicas", 1))


def desired(workload: Workload, ctx: RuleContext) -> Desired:
    """The pod count the workload runs at its floor (see the module docstring)."""
    if workload.is_pod:
        return Desired(1, "a bare Pod")
    if not workload.replicated:
        how = "one pod per matching node" if workload.kind == "DaemonSet" else "pod count not known statically"
        return Desired(None, how)
    scalers = autoscalers_for(workload, ctx)
    if scalers:
        floors = {autoscaler_floor(s, ctx) for s in scalers}
        floor = floors.pop() if len(floors) == 1 else None
        if floor is not None:
            scaler = scalers[0]
            field = "minReplicaCount" if scaler.group == "keda.sh" else "minReplicas"
            return Desired(floor, f"{scaler.kind} {scaler.name} {field} {floor}", autoscaled=True)
        return Desired(None, "scaled by autoscalers that disagree", autoscaled=True)
    if replicas_overridden(workload, ctx):
        return Desired(None, "replicas is overridden by a Kustomize overlay")
    if "replicas" not in workload.spec:
        return Desired(1, "replicas unset, default 1")
    count = workload.replicas
    return Desired(count, f"replicas {count}" if count is not None else "replicas is not a number")


def pod_source(workload: Workload, ctx: RuleContext) -> Workload | None:
    """The workload whose pod template ``workload`` runs: itself, or for an Argo Rollout with
    ``spec.workloadRef`` the referenced workload (``None`` when it is not in the scan)."""
    ref = workload.spec.get("workloadRef")
    if workload.gk != ROLLOUT_GK or not isinstance(ref, dict) or workload.spec.get("template"):
        return workload
    for cand in ctx.index.workloads_named(workload.effective_namespace, ref.get("kind"), ref.get("name")):
        if not is_patch(cand, ctx):
            return cand
    return None


def runs_to_completion(workload: Workload) -> bool:
    """Jobs, CronJobs and bare Pods with ``restartPolicy`` Never/OnFailure finish on their own:
    probes, and protection from disruption, are not expected of them."""
    if workload.is_batch:
        return True
    return workload.is_pod and workload.pod_spec.get("restartPolicy") in ("Never", "OnFailure")


def long_running(workload: Workload) -> bool:
    """Workloads whose pods are meant to keep running (PodTemplate objects run nothing themselves)."""
    return workload.gk != "PodTemplate" and not runs_to_completion(workload)
