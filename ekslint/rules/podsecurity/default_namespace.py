"""default-namespace: a namespaced object with no namespace or ``default``.

Only kinds known to be namespaced are checked: built-in kinds, and custom kinds whose CRD in the
scan says ``scope: Namespaced``. Objects of a Kustomize base or overlay whose
``kustomization.yaml`` (in the same folder or above) sets ``namespace:`` get it at build time and
are not reported.
"""

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import yaml

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule

NAMESPACED_BUILTINS = frozenset({
    "Pod", "Service", "ConfigMap", "Secret", "ServiceAccount", "PersistentVolumeClaim",
    "ReplicationController", "Endpoints", "LimitRange", "ResourceQuota", "PodTemplate",
    "Deployment.apps", "StatefulSet.apps", "DaemonSet.apps", "ReplicaSet.apps", "ControllerRevision.apps",
    "Job.batch", "CronJob.batch", "Ingress.networking.k8s.io", "NetworkPolicy.networking.k8s.io",
    "PodDisruptionBudget.policy", "Role.rbac.authorization.k8s.io", "RoleBinding.rbac.authorization.k8s.io",
    "HorizontalPodAutoscaler.autoscaling", "Lease.coordination.k8s.io", "EndpointSlice.discovery.k8s.io",
    "CSIStorageCapacity.storage.k8s.io",
})
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


@lru_cache(maxsize=1024)
def kustomize_sets_namespace(folder: Path) -> bool:
    """Does a kustomization in ``folder`` or a parent folder set ``namespace:``?"""
    for parent in (folder, *folder.parents):
        for name in KUSTOMIZATION_NAMES:
            candidate = parent / name
            try:
                if candidate.is_file():
                    data = yaml.safe_load(candidate.read_text(encoding="utf-8"))
                    if isinstance(data, dict) and data.get("namespace"):
                        return True
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
    return False


def _namespaced_crd_kinds(ctx: RuleContext) -> frozenset[str]:
    kinds = set()
    for crd in ctx.index.of_kind("CustomResourceDefinition", group="apiextensions.k8s.io"):
        spec = crd.spec
        names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
        if spec.get("scope") == "Namespaced" and isinstance(names.get("kind"), str):
            kinds.add(f"{names['kind']}.{spec.get('group')}")
    return frozenset(kinds)


@rule(id="default-namespace", title="Objects should name a namespace other than default", level=Level.NOTE,
      targets=(K8sObject,), tags=("organisation",))
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if obj.gk not in NAMESPACED_BUILTINS and obj.gk not in _namespaced_crd_kinds(ctx):
        return
    if obj.namespace not in (None, "", "default"):
        return
    if obj.namespace is None and obj.file.path is not None and kustomize_sets_namespace(obj.file.path.parent.absolute()):
        return
    if obj.namespace is None:
        yield Finding(f"{obj.kind} {obj.name!r} has no namespace, so it lands in whatever namespace the "
                      "kubectl context points at (usually default); set metadata.namespace", ("metadata",))
    else:
        yield Finding(f"{obj.kind} {obj.name!r} is in the default namespace; put workloads in their own "
                      "namespace so RBAC, quotas and network policies can scope them",
                      ("metadata", "namespace"))
