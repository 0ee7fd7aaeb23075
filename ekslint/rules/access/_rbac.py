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


# -- Precise built-in check --------------------------------------------------------------------
#
# A ``system:`` prefix alone does not make a role built in: a user-written ``system:test``
# ClusterRole with ``*`` everywhere must be judged. The rules use the names the API server's
# bootstrap policy actually creates. Source: kubernetes/kubernetes
# ``plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/`` (cluster-roles*.yaml,
# controller-roles*.yaml, cluster-role-bindings.yaml, controller-role-bindings.yaml,
# namespace-roles.yaml, namespace-role-bindings.yaml), checked against a 2026 EKS cluster's
# ``kubectl get clusterroles,clusterrolebindings,roles,rolebindings``. Names of roles that older
# releases created and later removed are kept, because cluster dumps of old clusters hold them.

#: Controllers of kube-controller-manager: each has a ``system:controller:<name>`` ClusterRole
#: and ClusterRoleBinding, bound to the ServiceAccount ``kube-system/<name>``.
BOOTSTRAP_CONTROLLERS: frozenset[str] = frozenset(
    {
        "attachdetach-controller",
        "certificate-controller",
        "clusterrole-aggregation-controller",
        "cronjob-controller",
        "daemon-set-controller",
        "deployment-controller",
        "device-taint-eviction-controller",
        "disruption-controller",
        "endpoint-controller",
        "endpointslice-controller",
        "endpointslicemirroring-controller",
        "ephemeral-volume-controller",
        "evictionrequest-controller",
        "expand-controller",
        "generic-garbage-collector",
        "horizontal-pod-autoscaler",
        "job-controller",
        "kube-apiserver-serving-clustertrustbundle-publisher",
        "legacy-service-account-token-cleaner",
        "namespace-controller",
        "node-controller",
        "persistent-volume-binder",
        "pod-garbage-collector",
        "podcertificaterequestcleaner",
        "podgroup-protection-controller",
        "pv-protection-controller",
        "pvc-protection-controller",
        "replicaset-controller",
        "replication-controller",
        "resource-claim-controller",
        "resourcepoolstatusrequest-controller",
        "resourcequota-controller",
        "root-ca-cert-publisher",
        "route-controller",
        "selinux-warning-controller",
        "service-account-controller",
        "service-cidrs-controller",
        "service-controller",
        "statefulset-controller",
        "storage-version-garbage-collector",
        "storage-version-migrator-controller",
        "ttl-after-finished-controller",
        "ttl-controller",
        "validatingadmissionpolicy-status-controller",
        "volumeattributesclass-protection-controller",
    }
)

#: ClusterRoles of the bootstrap policy (``system:controller:*`` ones are added from
#: :data:`BOOTSTRAP_CONTROLLERS`).
BOOTSTRAP_CLUSTER_ROLES: frozenset[str] = frozenset(
    {
        "admin",
        "cluster-admin",
        "edit",
        "view",
        "system:aggregate-to-admin",
        "system:aggregate-to-edit",
        "system:aggregate-to-view",
        "system:auth-delegator",
        "system:basic-user",
        "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
        "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
        "system:certificates.k8s.io:kube-apiserver-client-approver",
        "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
        "system:certificates.k8s.io:kubelet-serving-approver",
        "system:certificates.k8s.io:legacy-unknown-approver",
        "system:cluster-trust-bundle-discovery",
        "system:discovery",
        "system:heapster",
        "system:kube-aggregator",
        "system:kube-controller-manager",
        "system:kube-dns",
        "system:kube-scheduler",
        "system:kubelet-api-admin",
        "system:monitoring",
        "system:node",
        "system:node-bootstrapper",
        "system:node-problem-detector",
        "system:node-proxier",
        "system:persistent-volume-provisioner",
        "system:public-info-viewer",
        "system:service-account-issuer-discovery",
        "system:volume-scheduler",
        # created by older releases, still found in dumps of old clusters
        "system:aws-cloud-provider",
        "system:csi-external-attacher",
        "system:csi-external-provisioner",
    }
    | {f"system:controller:{name}" for name in BOOTSTRAP_CONTROLLERS}
)

#: ClusterRoleBindings of the bootstrap policy (``admin``, ``edit``, ``view`` and most
#: ``system:`` roles have none: a user's binding of that name is the user's).
BOOTSTRAP_CLUSTER_ROLE_BINDINGS: frozenset[str] = frozenset(
    {
        "cluster-admin",
        "system:basic-user",
        "system:discovery",
        "system:kube-controller-manager",
        "system:kube-dns",
        "system:kube-scheduler",
        "system:monitoring",
        "system:node",
        "system:node-proxier",
        "system:public-info-viewer",
        "system:service-account-issuer-discovery",
        "system:volume-scheduler",
        "system:aws-cloud-provider",  # older releases
    }
    | {f"system:controller:{name}" for name in BOOTSTRAP_CONTROLLERS}
)

_NAMESPACED_BOTH = {
    ("kube-public", "system:controller:bootstrap-signer"),
    ("kube-system", "system:controller:bootstrap-signer"),
    ("kube-system", "system:controller:cloud-provider"),
    ("kube-system", "system:controller:token-cleaner"),
    ("kube-system", "system::leader-locking-kube-controller-manager"),
    ("kube-system", "system::leader-locking-kube-scheduler"),
}
#: (namespace, name) of the bootstrap policy's Roles.
BOOTSTRAP_ROLES: frozenset[tuple[str, str]] = frozenset(
    _NAMESPACED_BOTH | {("kube-system", "extension-apiserver-authentication-reader")}
)
#: (namespace, name) of the bootstrap policy's RoleBindings.
BOOTSTRAP_ROLE_BINDINGS: frozenset[tuple[str, str]] = frozenset(
    _NAMESPACED_BOTH | {("kube-system", "system::extension-apiserver-authentication-reader")}
)

#: kube-system ServiceAccounts that Kubernetes' own components run as (the controllers above,
#: the namespace-role subjects) and the EKS-managed add-on identities bound by ``eks:*`` bindings.
BUILTIN_SERVICE_ACCOUNTS: frozenset[str] = BOOTSTRAP_CONTROLLERS | {
    "bootstrap-signer",
    "cloud-provider",
    "kube-controller-manager",
    "kube-dns",
    "kube-proxy",
    "kube-scheduler",
    "token-cleaner",
}
#: Users the control plane authenticates as (the kubelets are ``system:node:<node name>``).
BUILTIN_USERS: frozenset[str] = frozenset(
    {"system:apiserver", "system:kube-controller-manager", "system:kube-proxy", "system:kube-scheduler"}
)
#: Groups of the control plane and the nodes (kubeadm bootstrap tokens: ``system:bootstrappers:*``).
#: ``system:authenticated``, ``system:unauthenticated`` and ``system:serviceaccounts[:ns]`` are
#: deliberately *not* here: binding a role to them gives it to everyone, or to every workload.
BUILTIN_GROUPS: frozenset[str] = frozenset(
    {"system:masters", "system:nodes", "system:bootstrappers", "system:monitoring"}
)


def is_bootstrap_rbac(obj: K8sObject) -> bool:
    """Kubernetes' bootstrap RBAC by exact name (or the ``rbac-defaults`` label), or EKS-managed
    (``eks:*``). A user-written ``system:test`` role is not exempt."""
    name = obj.name or ""
    if obj.labels.get("kubernetes.io/bootstrapping") == "rbac-defaults" or name.startswith("eks:"):
        return True
    names: dict[str, frozenset[str]] = {
        "ClusterRole": BOOTSTRAP_CLUSTER_ROLES,
        "ClusterRoleBinding": BOOTSTRAP_CLUSTER_ROLE_BINDINGS,
    }
    if obj.kind in names:
        return name in names[obj.kind]
    pairs = BOOTSTRAP_ROLES if obj.kind == "Role" else BOOTSTRAP_ROLE_BINDINGS
    return (obj.namespace or "default", name) in pairs


def subject_namespace(s: Subject, binding: K8sObject) -> str | None:
    """A ServiceAccount subject's namespace: as written, else the (Role)Binding's (what
    ``kubectl create rolebinding`` and Kustomize fill in); ``None`` when neither says."""
    if s.namespace:
        return s.namespace
    return binding.namespace if binding.kind == "RoleBinding" else None


def is_builtin_subject(s: Subject, binding: K8sObject) -> bool:
    """Control-plane, node and EKS-managed identities: users, groups and kube-system
    ServiceAccounts that Kubernetes or EKS create and bind themselves."""
    if s.name.startswith("eks:"):  # EKS rejects access entries with eks: groups; AWS manages them
        return True
    if s.kind == "User":
        if s.name in BUILTIN_USERS or s.name.startswith("system:node:"):
            return True
        prefix = "system:serviceaccount:kube-system:"
        return s.name.startswith(prefix) and s.name[len(prefix) :] in BUILTIN_SERVICE_ACCOUNTS
    if s.kind == "Group":
        return s.name in BUILTIN_GROUPS or s.name.startswith("system:bootstrappers:")
    if s.kind == "ServiceAccount":
        return subject_namespace(s, binding) == "kube-system" and s.name in BUILTIN_SERVICE_ACCOUNTS
    return False
