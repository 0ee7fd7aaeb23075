"""default-namespace: a namespaced object with no namespace or ``default``.

Only kinds known to be namespaced are checked: built-in kinds, a few custom kinds of the EKS
ecosystem that are always namespaced, and custom kinds whose CRD in the scan says
``scope: Namespaced`` (an unknown kind may be cluster-scoped, and a note on it would be noise).

Kustomize sets the namespace of everything it builds when its kustomization says ``namespace:``.
Each build of a file (the kustomizations that list it, up to the overlay applied) is judged on
its own: a base that one overlay puts in ``shop`` and another leaves in ``default`` is reported,
naming the second overlay. A file that no kustomization lists but one in its folder or above
sets a namespace stays quiet (it may be built from outside the scan), and kustomize patch files
(partial objects) are skipped.
"""

import weakref
from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex
from ekslint.linter.kustomize_context import Build, is_kustomize_patch, kustomize
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule

NAMESPACED_BUILTINS = frozenset(
    {
        "Pod",
        "Service",
        "ConfigMap",
        "Secret",
        "ServiceAccount",
        "PersistentVolumeClaim",
        "ReplicationController",
        "Endpoints",
        "LimitRange",
        "ResourceQuota",
        "PodTemplate",
        "Event",
        "Deployment.apps",
        "StatefulSet.apps",
        "DaemonSet.apps",
        "ReplicaSet.apps",
        "ControllerRevision.apps",
        "Deployment.extensions",
        "DaemonSet.extensions",
        "ReplicaSet.extensions",
        "Ingress.extensions",
        "NetworkPolicy.extensions",
        "Job.batch",
        "CronJob.batch",
        "Ingress.networking.k8s.io",
        "NetworkPolicy.networking.k8s.io",
        "PodDisruptionBudget.policy",
        "Role.rbac.authorization.k8s.io",
        "RoleBinding.rbac.authorization.k8s.io",
        "HorizontalPodAutoscaler.autoscaling",
        "Lease.coordination.k8s.io",
        "EndpointSlice.discovery.k8s.io",
        "Event.events.k8s.io",
        "CSIStorageCapacity.storage.k8s.io",
        "ResourceClaim.resource.k8s.io",
        "ResourceClaimTemplate.resource.k8s.io",
    }
)
#: Custom kinds of the EKS ecosystem that are namespaced in every version (no CRD needed in the scan).
NAMESPACED_CUSTOM = frozenset(
    {
        "TargetGroupBinding.elbv2.k8s.aws",
        "SecurityGroupPolicy.vpcresources.k8s.aws",
        "Rollout.argoproj.io",
        "VerticalPodAutoscaler.autoscaling.k8s.io",
        "ServiceMonitor.monitoring.coreos.com",
        "PodMonitor.monitoring.coreos.com",
        "PrometheusRule.monitoring.coreos.com",
    }
)

_CRD_KINDS: weakref.WeakKeyDictionary[ScanIndex, frozenset[str]] = weakref.WeakKeyDictionary()


def namespaced_crd_kinds(index: ScanIndex) -> frozenset[str]:
    """``Kind.group`` of every CRD in the scan with ``scope: Namespaced`` (cached per scan)."""
    kinds = _CRD_KINDS.get(index)
    if kinds is None:
        found = set()
        for crd in index.of_kind("CustomResourceDefinition", group="apiextensions.k8s.io"):
            spec = crd.spec
            names = spec.get("names")
            if spec.get("scope") == "Namespaced" and isinstance(names, dict) and isinstance(names.get("kind"), str):
                found.add(f"{names['kind']}.{spec.get('group')}")
        kinds = _CRD_KINDS[index] = frozenset(found)
    return kinds


@rule(
    id="default-namespace",
    title="Objects should name a namespace other than default",
    level=Level.NOTE,
    targets=(K8sObject,),
    tags=("organisation",),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    known = obj.gk in NAMESPACED_BUILTINS or obj.gk in NAMESPACED_CUSTOM
    if not known and obj.gk not in namespaced_crd_kinds(ctx.index):
        return
    if obj.file.path is not None:
        if is_kustomize_patch(obj, ctx):
            return
        builds = kustomize(ctx).builds(obj.file.path)
        if any(b.namespace for b in builds):
            yield from _per_build(obj, builds)
            return
        set_by = kustomize(ctx).namespace(obj.file.path)
        if set_by is not None:
            namespace, folder = set_by
            if namespace != "default":
                return  # the kustomize namespace transformer overrides whatever the object says
            if obj.namespace not in (None, "", "default"):
                return  # that kustomization may not build this file: stay quiet rather than guess
            yield Finding(
                f"{obj.kind} {obj.name!r} is put in the default namespace by the kustomization in "
                f"{folder.name}/; give the kustomization its own namespace",
                ("metadata",),
            )
            return
    if obj.namespace not in (None, "", "default"):
        return
    if obj.namespace is None or obj.namespace == "":
        yield Finding(
            f"{obj.kind} {obj.name!r} has no namespace, so it lands in whatever namespace the "
            "kubectl context points at (usually default); set metadata.namespace",
            ("metadata",),
        )
    else:
        yield Finding(
            f"{obj.kind} {obj.name!r} is in the default namespace; put workloads in their own "
            "namespace so RBAC, quotas and network policies can scope them",
            ("metadata", "namespace"),
        )


def _per_build(obj: K8sObject, builds: tuple[Build, ...]) -> Iterator[Finding]:
    """The finding for an object that kustomize builds in several ways, at least one of which sets
    a namespace: the builds that leave it in ``default`` (or in no namespace), by their overlay."""
    put_in_default: list[str] = []  # folders of the kustomizations that set `namespace: default`
    left_unset: list[str] = []  # overlays whose builds set no namespace, for an object without one
    for build in builds:
        if build.namespace == "default":
            setter = next(k for k in reversed(build.steps) if k.namespace)
            put_in_default.append(f"{setter.folder.name}/")
        elif build.namespace is None and obj.namespace in (None, "", "default"):
            left_unset.append(f"{build.root.folder.name}/")
    if put_in_default:
        yield Finding(
            f"{obj.kind} {obj.name!r} is put in the default namespace by the kustomization in "
            f"{_names(put_in_default)}; give the kustomization its own namespace",
            ("metadata",),
        )
    elif left_unset:
        where = "no namespace" if obj.namespace in (None, "") else "the default namespace"
        builds_of = "the build of" if len(set(left_unset)) == 1 else "the builds of"
        sets = "kustomization sets" if len(set(left_unset)) == 1 else "kustomizations set"
        yield Finding(
            f"{obj.kind} {obj.name!r} keeps {where} in {builds_of} {_names(left_unset)}, whose {sets} "
            "none (other builds of it do); set its namespace there",
            ("metadata",),
        )


def _names(folders: list[str]) -> str:
    unique = sorted(set(folders))
    return unique[0] if len(unique) == 1 else f"{', '.join(unique[:-1])} and {unique[-1]}"
