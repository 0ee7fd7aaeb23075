"""Shared logic of the HorizontalPodAutoscaler and VerticalPodAutoscaler rules.

HPA metrics are read the way the API server defaults and converts them, for every served
version (``autoscaling/v1``, ``v2beta1``, ``v2beta2``, ``v2``):

* ``v1`` has a single ``targetCPUUtilizationPercentage``; when it is absent the conversion to the
  internal version installs a cpu ``Utilization`` metric of 80%.
* ``v2*`` with an empty or absent ``spec.metrics`` is defaulted to the same cpu 80% metric.
* ``Resource`` metrics apply to every container of the pod, ``ContainerResource`` metrics to the
  one container they name. ``v2beta1`` spelled the target ``targetAverageUtilization`` /
  ``targetAverageValue``; ``v2beta2``/``v2`` use ``target.type`` (``Utilization``,
  ``AverageValue``, ``Value``) with ``averageUtilization``.

Only ``Utilization`` targets divide usage by the pods' requests, so only they need requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from ekslint.linter.context import RuleContext
from ekslint.linter.index import nearest
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.nodes import NodePath
from ekslint.rules.wiring._refs import in_scope, near, separate

HPA_GK = "HorizontalPodAutoscaler.autoscaling"
VPA_GK = "VerticalPodAutoscaler.autoscaling.k8s.io"
#: What the HPA controller uses when no metric is given (``autoscaling.DefaultCPUUtilization``).
DEFAULT_CPU_UTILIZATION = 80
#: v1 HPAs keep v2 metrics in this annotation when they were written through a newer version.
V1_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"
#: VPA update modes that evict or resize running pods (``Auto`` is the default and is
#: currently an alias of ``Recreate``); ``Off`` and ``Initial`` only recommend / set at creation.
VPA_ACTIVE_MODES = frozenset({"Auto", "Recreate", "InPlaceOrRecreate"})
VPA_DEFAULT_RESOURCES = ("cpu", "memory")


class ResourceMetric(NamedTuple):
    """One HPA metric on a container resource (``cpu``, ``memory``, ...)."""

    resource: str
    target_type: str  # Utilization | AverageValue | Value | '' (unknown)
    container: str | None  # ContainerResource: the one container it reads
    path: NodePath  # where to point: the metric, or the v1 field, or the spec that lacks both
    utilization: Any = None  # the target percentage when known
    defaulted: bool = False

    @property
    def is_utilization(self) -> bool:
        return self.target_type == "Utilization"

    def describe(self) -> str:
        scope = f"container {self.container!r} " if self.container else ""
        if self.is_utilization:
            pct = f" {self.utilization}%" if self.utilization is not None else ""
            what = f"{scope}{self.resource} Utilization{pct}"
        else:
            what = f"{scope}{self.resource} {self.target_type or 'target'}"
        return what + (" (the default metric when none is set)" if self.defaulted else "")


def is_hpa(obj: K8sObject) -> bool:
    return obj.gk == HPA_GK


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _source_metric(source: Any, resource_key: str, container: str | None, path: NodePath) -> ResourceMetric | None:
    if not isinstance(source, dict) or not isinstance(source.get(resource_key), str):
        return None
    name = source[resource_key]
    target = source.get("target")
    if isinstance(target, dict):  # v2beta2 / v2
        ttype = str(target.get("type") or "")
        return ResourceMetric(name, ttype, container, path, target.get("averageUtilization"))
    if "targetAverageUtilization" in source:  # v2beta1
        return ResourceMetric(name, "Utilization", container, path, source.get("targetAverageUtilization"))
    if "targetAverageValue" in source:
        return ResourceMetric(name, "AverageValue", container, path)
    return ResourceMetric(name, "", container, path)


def resource_metrics(hpa: K8sObject) -> list[ResourceMetric]:
    """The HPA's metrics on container resources, defaults applied (see the module docstring)."""
    spec = hpa.spec
    if hpa.version == "v1":
        if V1_METRICS_ANNOTATION in hpa.annotations:
            return []  # metrics live in a JSON annotation we do not interpret
        pct = spec.get("targetCPUUtilizationPercentage")
        if pct is not None:
            return [ResourceMetric("cpu", "Utilization", None, ("spec", "targetCPUUtilizationPercentage"), pct)]
        return [
            ResourceMetric(
                "cpu",
                "Utilization",
                None,
                ("spec", "targetCPUUtilizationPercentage"),
                DEFAULT_CPU_UTILIZATION,
                defaulted=True,
            )
        ]
    metrics = spec.get("metrics")
    if not isinstance(metrics, list) or not metrics:
        return [
            ResourceMetric("cpu", "Utilization", None, ("spec", "metrics"), DEFAULT_CPU_UTILIZATION, defaulted=True)
        ]
    out: list[ResourceMetric] = []
    for i, metric in enumerate(metrics):
        if not isinstance(metric, dict):
            continue
        mtype = metric.get("type")
        found: ResourceMetric | None = None
        if mtype == "Resource":
            found = _source_metric(metric.get("resource"), "name", None, ("spec", "metrics", i))
        elif mtype == "ContainerResource":
            src = metric.get("containerResource")
            container = src.get("container") if isinstance(src, dict) else None
            if isinstance(container, str):
                found = _source_metric(src, "name", container, ("spec", "metrics", i))
        if found is not None:
            out.append(found)
    return out


def scale_target(obj: K8sObject, key: str = "scaleTargetRef") -> tuple[str, str] | None:
    """``(kind, name)`` of an HPA ``scaleTargetRef`` (or a VPA ``targetRef``), when well formed."""
    ref = obj.spec.get(key)
    if not isinstance(ref, dict):
        return None
    kind, name = ref.get("kind"), ref.get("name")
    if not isinstance(kind, str) or not isinstance(name, str) or not kind or not name:
        return None
    return kind, name


def hpas(ctx: RuleContext, namespace: str) -> Iterator[K8sObject]:
    return iter(ctx.index.of_kind("HorizontalPodAutoscaler", group="autoscaling", namespace=namespace))


def min_replicas(hpa: K8sObject) -> int | None:
    """``spec.minReplicas``, defaulted to 1; ``None`` when it is not an integer."""
    return _int(hpa.spec.get("minReplicas", 1))


def max_replicas(hpa: K8sObject) -> int | None:
    return _int(hpa.spec.get("maxReplicas"))


def metric_containers(target: Workload) -> list[str]:
    """Names of the containers an HPA resource metric sums requests over (``spec.containers``)."""
    return [c.name for c in target.iter_containers(init=False)]


# -- VerticalPodAutoscaler ----------------------------------------------------------------------


def vpa_update_mode(vpa: K8sObject) -> str:
    """``spec.updatePolicy.updateMode``, ``Auto`` when unset."""
    policy = vpa.spec.get("updatePolicy")
    mode = policy.get("updateMode") if isinstance(policy, dict) else None
    return str(mode) if mode is not None else "Auto"


def vpa_controlled(vpa: K8sObject, container: str | None) -> set[str]:
    """Resources the VPA sets for ``container`` (``None``: a container no policy names).

    The policy for a container is the entry with its name, else the ``"*"`` entry, else the
    defaults (``mode: Auto``, ``controlledResources: [cpu, memory]``).
    """
    resource_policy = vpa.spec.get("resourcePolicy")
    policies = resource_policy.get("containerPolicies") if isinstance(resource_policy, dict) else None
    chosen: dict[str, Any] | None = None
    wildcard: dict[str, Any] | None = None
    for entry in policies if isinstance(policies, list) else []:
        if not isinstance(entry, dict):
            continue
        if container is not None and entry.get("containerName") == container:
            chosen = entry
        elif entry.get("containerName") == "*":
            wildcard = entry
    policy = chosen or wildcard or {}
    if policy.get("mode") == "Off":
        return set()
    resources = policy.get("controlledResources")
    if not isinstance(resources, list):
        resources = list(VPA_DEFAULT_RESOURCES)
    return {str(r) for r in resources}


def vpa_named_containers(vpa: K8sObject) -> list[str]:
    """Container names that have their own VPA policy."""
    resource_policy = vpa.spec.get("resourcePolicy")
    policies = resource_policy.get("containerPolicies") if isinstance(resource_policy, dict) else None
    return [
        str(e["containerName"])
        for e in (policies if isinstance(policies, list) else [])
        if isinstance(e, dict) and isinstance(e.get("containerName"), str) and e["containerName"] != "*"
    ]


def workloads_named(ctx: RuleContext, origin: K8sObject, kind: str, name: str) -> list[Workload]:
    """Workloads of ``kind``/``name`` in ``origin``'s namespace, the nearest definitions only
    (see :func:`ekslint.rules.wiring._refs.nearest`).

    Definitions that Kustomize applies separately from ``origin`` are not candidates. A single
    remaining definition is the target when it is near (same file or Kustomization, same folder,
    a folder above, below or beside). When the name is defined several times (one app per example
    folder, several repositories), only a nearest definition shipped with ``origin`` counts.
    Anything else is ambiguous, and nothing is returned: a dump of HPAs in ``testdata/`` must not
    be compared with an unrelated sample's Deployment of the same name.
    """
    candidates = [
        w
        for w in ctx.index.workloads_named(origin.effective_namespace, kind, name)
        if not separate(ctx.index, origin, w)
    ]
    if len(candidates) == 1:
        return candidates if near(origin, candidates[0], ctx.index) else []
    return [w for w in nearest(origin, candidates) if in_scope(origin, w, ctx.index)]


def hpa_targets(ctx: RuleContext, hpa: K8sObject) -> list[Workload]:
    """The workload(s) an HPA scales: its ``scaleTargetRef`` resolved to the nearest definition."""
    ref = scale_target(hpa)
    return workloads_named(ctx, hpa, *ref) if ref else []


def hpas_scaling(ctx: RuleContext, w: Workload) -> list[K8sObject]:
    """HPAs whose ``scaleTargetRef`` resolves to ``w`` (not to another definition of its name)."""
    return [
        hpa
        for hpa in hpas(ctx, w.effective_namespace)
        if scale_target(hpa) == (w.kind, w.name) and any(t is w for t in hpa_targets(ctx, hpa))
    ]
