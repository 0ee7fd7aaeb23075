"""Shared RBAC helpers: which objects are Kubernetes' (or EKS') own, and binding subjects.

A ``kubectl get clusterroles,clusterrolebindings -o yaml`` dump contains the API server's
bootstrap policy (``cluster-admin`` with ``*`` everywhere, ``system:*`` roles and bindings,
``system:public-info-viewer`` bound to ``system:unauthenticated``) and, on EKS, the ``eks:*``
objects that AWS manages. Users cannot meaningfully change them (the API server reconciles the
bootstrap policy on start), so reporting them would be noise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ekslint.linter.model import K8sObject

RBAC_GROUP = "rbac.authorization.k8s.io"
ROLE_KINDS = (f"Role.{RBAC_GROUP}", f"ClusterRole.{RBAC_GROUP}")
BINDING_KINDS = (f"RoleBinding.{RBAC_GROUP}", f"ClusterRoleBinding.{RBAC_GROUP}")


def is_builtin(obj: K8sObject) -> bool:
    """Kubernetes' bootstrap RBAC (``cluster-admin``, ``system:*``, labelled ``rbac-defaults``) or
    EKS-managed (``eks:*``) objects."""
    name = obj.name or ""
    return (
        name == "cluster-admin"
        or name.startswith(("system:", "eks:"))
        or obj.labels.get("kubernetes.io/bootstrapping") == "rbac-defaults"
    )


@dataclass(frozen=True)
class Subject:
    """One ``subjects[]`` entry of a binding, with its index."""

    index: int
    kind: str
    name: str
    namespace: str | None

    @property
    def describe(self) -> str:
        if self.kind == "ServiceAccount":
            return f"ServiceAccount {self.namespace + '/' if self.namespace else ''}{self.name}"
        return f"{self.kind} {self.name!r}"


def subjects(obj: K8sObject) -> Iterator[Subject]:
    items: Any = obj.root.get("subjects")
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            ns = item.get("namespace")
            yield Subject(i, str(item.get("kind", "")), item["name"], str(ns) if ns is not None else None)


def role_ref(obj: K8sObject) -> tuple[str, str]:
    """``(kind, name)`` of the binding's roleRef ('' when missing)."""
    ref = obj.root.get("roleRef")
    if not isinstance(ref, dict):
        return "", ""
    return str(ref.get("kind", "")), str(ref.get("name", ""))
