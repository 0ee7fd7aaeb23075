"""deprecated-annotation: annotations, labels and fields that have a supported replacement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.nodes import NodePath
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import target_version

INGRESS_KINDS = ("Ingress.networking.k8s.io", "Ingress.extensions")
LB_PREFIX = "service.beta.kubernetes.io/aws-load-balancer-"

#: Node label keys with a replacement (selectors, affinity terms, topology keys).
NODE_LABELS = {
    "failure-domain.beta.kubernetes.io/zone": "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region": "topology.kubernetes.io/region",
    "karpenter.sh/provisioner-name": "karpenter.sh/nodepool",
}

#: Pod annotations with a replacement; ``{c}`` is the container name of per-container annotations.
KARPENTER_ANNOTATIONS = {
    "karpenter.sh/do-not-evict": 'karpenter.sh/do-not-disrupt: "true" (do-not-evict was removed in Karpenter v1.0)',
    "karpenter.sh/do-not-consolidate": 'karpenter.sh/do-not-disrupt: "true" (do-not-consolidate was removed in '
    "Karpenter v1.0)",
}


def _meta_key(path: NodePath, key: str) -> NodePath:
    return (*path, "annotations", key)


def _pod_annotations(
    obj: K8sObject, meta: NodePath, annotations: dict[str, Any], target_minor: int
) -> Iterator[Finding]:
    for key in annotations:
        if key == "seccomp.security.alpha.kubernetes.io/pod":
            yield Finding(
                f"annotation {key} is deprecated since Kubernetes 1.19 and no longer applied by current "
                "kubelets: set spec.securityContext.seccompProfile (type: RuntimeDefault or Localhost)",
                _meta_key(meta, key),
            )
        elif key.startswith("container.seccomp.security.alpha.kubernetes.io/"):
            name = key.partition("/")[2]
            yield Finding(
                f"annotation {key} is deprecated since Kubernetes 1.19 and no longer applied by current "
                f"kubelets: set securityContext.seccompProfile on container {name!r} instead",
                _meta_key(meta, key),
            )
        elif key.startswith("container.apparmor.security.beta.kubernetes.io/") and target_minor >= 30:
            name = key.partition("/")[2]
            yield Finding(
                f"annotation {key} is deprecated since Kubernetes 1.30: set "
                f"securityContext.appArmorProfile on container {name!r} instead",
                _meta_key(meta, key),
            )
        elif key == "scheduler.alpha.kubernetes.io/critical-pod":
            yield Finding(
                f"annotation {key} has had no effect since Kubernetes 1.16: set "
                "spec.priorityClassName: system-cluster-critical (or system-node-critical) instead",
                _meta_key(meta, key),
            )
        elif key in KARPENTER_ANNOTATIONS:
            yield Finding(f"annotation {key} is deprecated: use {KARPENTER_ANNOTATIONS[key]}", _meta_key(meta, key))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _label_keys(spec: dict[str, Any], base: NodePath) -> Iterator[tuple[NodePath, str]]:
    """(path, label key) of every node label key a pod spec selects or spreads on."""
    selector = spec.get("nodeSelector")
    if isinstance(selector, dict):
        for key in selector:
            yield (*base, "nodeSelector", key), str(key)
    affinity = _dict(spec.get("affinity"))
    node_aff = _dict(affinity.get("nodeAffinity"))
    required = node_aff.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, dict):
        yield from _terms(
            required.get("nodeSelectorTerms"),
            (*base, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"),
        )
    preferred = node_aff.get("preferredDuringSchedulingIgnoredDuringExecution")
    for i, pref in enumerate(preferred if isinstance(preferred, list) else []):
        if isinstance(pref, dict) and isinstance(pref.get("preference"), dict):
            yield from _terms(
                [pref["preference"]],
                (*base, "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution", i, "preference"),
                single=True,
            )
    for kind in ("podAffinity", "podAntiAffinity"):
        section = _dict(affinity.get(kind))
        for mode in (
            "requiredDuringSchedulingIgnoredDuringExecution",
            "preferredDuringSchedulingIgnoredDuringExecution",
        ):
            items = section.get(mode)
            for i, item in enumerate(items if isinstance(items, list) else []):
                if not isinstance(item, dict):
                    continue
                term, sub = (
                    (item.get("podAffinityTerm"), ("podAffinityTerm",)) if "podAffinityTerm" in item else (item, ())
                )
                if isinstance(term, dict) and isinstance(term.get("topologyKey"), str):
                    yield (*base, "affinity", kind, mode, i, *sub, "topologyKey"), term["topologyKey"]
    spread = spec.get("topologySpreadConstraints")
    for i, item in enumerate(spread if isinstance(spread, list) else []):
        if isinstance(item, dict) and isinstance(item.get("topologyKey"), str):
            yield (*base, "topologySpreadConstraints", i, "topologyKey"), item["topologyKey"]


def _terms(terms: Any, base: NodePath, *, single: bool = False) -> Iterator[tuple[NodePath, str]]:
    for i, term in enumerate(terms if isinstance(terms, list) else []):
        if not isinstance(term, dict):
            continue
        term_path = base if single else (*base, i)
        exprs = term.get("matchExpressions")
        for j, expr in enumerate(exprs if isinstance(exprs, list) else []):
            if isinstance(expr, dict) and isinstance(expr.get("key"), str):
                yield (*term_path, "matchExpressions", j, "key"), expr["key"]


def _node_label_findings(keys: Iterator[tuple[NodePath, str]]) -> Iterator[Finding]:
    for path, key in keys:
        if key in NODE_LABELS:
            yield Finding(f"node label {key} is deprecated: use {NODE_LABELS[key]}", path)


@rule(
    id="deprecated-annotation",
    title="Replace deprecated annotations, labels and fields",
    level=Level.WARNING,
    targets=(K8sObject,),
    tags=("upgrade",),
    fixable=True,
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    annotations = obj.annotations
    if obj.gk in INGRESS_KINDS and "kubernetes.io/ingress.class" in annotations:
        value = annotations["kubernetes.io/ingress.class"]
        what = "an IngressClass with controller ingress.k8s.aws/alb" if value == "alb" else "the matching IngressClass"
        yield Finding(
            f"annotation kubernetes.io/ingress.class is deprecated: set spec.ingressClassName: {value} "
            f"({what}) instead",
            _meta_key(("metadata",), "kubernetes.io/ingress.class"),
        )
    if obj.gk == "Service":
        internal = LB_PREFIX + "internal"
        if internal in annotations:
            scheme = "internet-facing" if str(annotations[internal]).lower() == "false" else "internal"
            yield Finding(
                f"annotation {internal} is deprecated (AWS Load Balancer Controller v2.2+): use "
                f"{LB_PREFIX}scheme: {scheme}",
                _meta_key(("metadata",), internal),
            )
        lb_type = LB_PREFIX + "type"
        if str(annotations.get(lb_type, "")) == "nlb-ip":
            yield Finding(
                f"{lb_type}: nlb-ip is deprecated: use {lb_type}: external with {LB_PREFIX}nlb-target-type: ip",
                _meta_key(("metadata",), lb_type),
            )
    target_minor = target_version(ctx, obj).minor
    if isinstance(obj, Workload):
        meta = obj.template_meta_path
        yield from _pod_annotations(obj, meta, obj.template_annotations, target_minor)
        spec = obj.pod_spec
        if "serviceAccount" in spec:
            yield Finding(
                "spec.serviceAccount is a deprecated alias: use serviceAccountName",
                (*obj.pod_spec_path, "serviceAccount"),
            )
        yield from _node_label_findings(_label_keys(spec, obj.pod_spec_path))
    elif any(k in annotations for k in KARPENTER_ANNOTATIONS):
        yield from _pod_annotations(
            obj, ("metadata",), {k: v for k, v in annotations.items() if k in KARPENTER_ANNOTATIONS}, target_minor
        )
    if obj.gk == "StorageClass.storage.k8s.io":
        topologies = obj.root.get("allowedTopologies")
        for i, topo in enumerate(topologies if isinstance(topologies, list) else []):
            exprs = topo.get("matchLabelExpressions") if isinstance(topo, dict) else None
            for j, expr in enumerate(exprs if isinstance(exprs, list) else []):
                if isinstance(expr, dict) and isinstance(expr.get("key"), str):
                    yield from _node_label_findings(
                        iter([(("allowedTopologies", i, "matchLabelExpressions", j, "key"), expr["key"])])
                    )
    if obj.gk == "PersistentVolume":
        affinity = obj.spec.get("nodeAffinity")
        required = affinity.get("required") if isinstance(affinity, dict) else None
        if isinstance(required, dict):
            yield from _node_label_findings(
                _terms(required.get("nodeSelectorTerms"), ("spec", "nodeAffinity", "required", "nodeSelectorTerms"))
            )
    if obj.gk == "NodePool.karpenter.sh":
        reqs = obj.get("spec", "template", "spec", "requirements")
        for i, req in enumerate(reqs if isinstance(reqs, list) else []):
            if isinstance(req, dict) and isinstance(req.get("key"), str):
                yield from _node_label_findings(
                    iter([(("spec", "template", "spec", "requirements", i, "key"), req["key"])])
                )
