"""The mechanical fixes behind ``ekslint fix``, one per fixable rule.

Each fix edits a ruamel round-trip object in place and returns what it changed. Only safe,
meaning-preserving edits live here: an apiVersion migration only where the schema is the same,
annotation-to-field moves with the same semantics, renamed label keys. Anything needing
judgement is left to the user. ``ekslint.linter.fixes`` calls these only for objects the rule
reported.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ekslint.linter.fixes import fixer

#: apiVersion migrations whose schema is unchanged for the kind (Kubernetes deprecation guide).
SAFE_MIGRATIONS: dict[tuple[str, str], str] = {
    ("policy/v1beta1", "PodDisruptionBudget"): "policy/v1",
    ("batch/v1beta1", "CronJob"): "batch/v1",
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): "autoscaling/v2",
    ("networking.k8s.io/v1beta1", "IngressClass"): "networking.k8s.io/v1",
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): "scheduling.k8s.io/v1",
    ("coordination.k8s.io/v1beta1", "Lease"): "coordination.k8s.io/v1",
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): "storage.k8s.io/v1",
    ("storage.k8s.io/v1beta1", "StorageClass"): "storage.k8s.io/v1",
    ("storage.k8s.io/v1beta1", "CSIDriver"): "storage.k8s.io/v1",
    ("storage.k8s.io/v1beta1", "CSINode"): "storage.k8s.io/v1",
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"): "flowcontrol.apiserver.k8s.io/v1",
    ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration"): "flowcontrol.apiserver.k8s.io/v1",
    **{
        ("rbac.authorization.k8s.io/v1beta1", kind): "rbac.authorization.k8s.io/v1"
        for kind in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
    },
}

TOPOLOGY_KEYS = {
    "failure-domain.beta.kubernetes.io/zone": "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region": "topology.kubernetes.io/region",
}
INGRESS_CLASS = "kubernetes.io/ingress.class"
LB_TYPE = "service.beta.kubernetes.io/aws-load-balancer-type"
NLB_TARGET_TYPE = "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"


def _same_style(old: Any, new: str) -> Any:
    """A new scalar quoted like the old one (ruamel keeps quote style in str subclasses)."""
    return type(old)(new) if isinstance(old, str) and type(old) is not str else new


def _map(value: Any) -> CommentedMap | None:
    return value if isinstance(value, CommentedMap) else None


def migrate_api_version(obj: CommentedMap) -> list[str]:
    old = str(obj.get("apiVersion", ""))
    new = SAFE_MIGRATIONS.get((old, str(obj.get("kind", ""))))
    if new is None:
        return []
    spec = _map(obj.get("spec"))
    selector = spec.get("selector") if spec is not None else None
    if old == "policy/v1beta1" and (not selector or not any(selector.values())):
        return []  # an empty selector selects nothing in v1beta1 but every pod in v1: not mechanical
    obj["apiVersion"] = _same_style(obj["apiVersion"], new)
    return [f"apiVersion {old} -> {new}"]


fixer("removed-api")(migrate_api_version)
fixer("deprecated-api")(migrate_api_version)


def _rename_topology_keys(node: Any, changes: list[str]) -> None:
    if isinstance(node, CommentedMap):
        for key in list(node.keys()):
            value = node[key]
            if key in TOPOLOGY_KEYS:
                index = list(node.keys()).index(key)
                del node[key]
                node.insert(index, TOPOLOGY_KEYS[key], value)
                changes.append(f"label key {key} -> {TOPOLOGY_KEYS[key]}")
            elif key in ("key", "topologyKey") and isinstance(value, str) and value in TOPOLOGY_KEYS:
                node[key] = _same_style(value, TOPOLOGY_KEYS[value])
                changes.append(f"{key} {value} -> {TOPOLOGY_KEYS[value]}")
            else:
                _rename_topology_keys(value, changes)
    elif isinstance(node, CommentedSeq):
        for item in node:
            _rename_topology_keys(item, changes)


@fixer("deprecated-annotation")
def replace_deprecated(obj: CommentedMap) -> list[str]:
    changes: list[str] = []
    meta = _map(obj.get("metadata"))
    annotations = _map(meta.get("annotations")) if meta is not None else None
    kind, api = obj.get("kind"), obj.get("apiVersion")
    if kind == "Ingress" and api == "networking.k8s.io/v1" and annotations is not None and INGRESS_CLASS in annotations:
        value = str(annotations[INGRESS_CLASS])
        spec = _map(obj.get("spec"))
        if spec is None:
            obj["spec"] = spec = CommentedMap()
        current = spec.get("ingressClassName")
        if current is None or str(current) == value:
            if current is None:
                spec.insert(0, "ingressClassName", value)
            del annotations[INGRESS_CLASS]
            if not annotations and meta is not None:
                del meta["annotations"]
            changes.append(f"annotation {INGRESS_CLASS}: {value} -> spec.ingressClassName")
    if kind == "Service" and api == "v1" and annotations is not None and str(annotations.get(LB_TYPE)) == "nlb-ip":
        annotations[LB_TYPE] = _same_style(annotations[LB_TYPE], "external")
        if NLB_TARGET_TYPE not in annotations:
            index = list(annotations.keys()).index(LB_TYPE) + 1
            annotations.insert(index, NLB_TARGET_TYPE, _same_style(annotations[LB_TYPE], "ip"))
        changes.append(f"{LB_TYPE}: nlb-ip -> external + {NLB_TARGET_TYPE}: ip")
    for key in ("spec", "allowedTopologies"):
        if key in obj:
            _rename_topology_keys(obj[key], changes)
    return changes


@fixer("in-tree-ebs-provisioner")
def gp2_to_gp3(obj: CommentedMap) -> list[str]:
    params = _map(obj.get("parameters"))
    if params is None:
        return []
    for key in list(params.keys()):
        if str(key).lower() == "type" and str(params[key]).lower() == "gp2":
            params[key] = _same_style(params[key], "gp3")
            return [f"parameters.{key}: gp2 -> gp3 (StorageClass parameters are immutable: recreate the class)"]
    return []
