"""Typed views over loaded documents: Kubernetes objects, workloads and their containers.

Views keep a reference to the located tree instead of copying it, so every field a rule reads can
still be pointed at. Only what the rules read is modelled; the API is not mirrored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Any, NamedTuple

from ekslint.linter.loader import Document, SourceFile
from ekslint.linter.nodes import LMap, NodePath, Pos, get_path, locate
from ekslint.linter.selectors import label_str

#: Built-in kinds that are not namespaced, keyed as ``Kind.group`` (``Kind`` for the core group).
CLUSTER_SCOPED: frozenset[str] = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "ComponentStatus",
        "ClusterRole.rbac.authorization.k8s.io",
        "ClusterRoleBinding.rbac.authorization.k8s.io",
        "CustomResourceDefinition.apiextensions.k8s.io",
        "StorageClass.storage.k8s.io",
        "CSIDriver.storage.k8s.io",
        "CSINode.storage.k8s.io",
        "VolumeAttachment.storage.k8s.io",
        "VolumeAttributesClass.storage.k8s.io",
        "IngressClass.networking.k8s.io",
        "PriorityClass.scheduling.k8s.io",
        "RuntimeClass.node.k8s.io",
        "MutatingWebhookConfiguration.admissionregistration.k8s.io",
        "ValidatingWebhookConfiguration.admissionregistration.k8s.io",
        "ValidatingAdmissionPolicy.admissionregistration.k8s.io",
        "ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io",
        "APIService.apiregistration.k8s.io",
        "CertificateSigningRequest.certificates.k8s.io",
        "FlowSchema.flowcontrol.apiserver.k8s.io",
        "PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io",
        "PodSecurityPolicy.policy",
        "PodSecurityPolicy.extensions",
        "NodePool.karpenter.sh",
        "NodeClaim.karpenter.sh",
        "NodeOverlay.karpenter.sh",
        "EC2NodeClass.karpenter.k8s.aws",
        "Provisioner.karpenter.sh",
        "AWSNodeTemplate.karpenter.k8s.aws",
        "ClusterIssuer.cert-manager.io",
        "IngressClassParams.elbv2.k8s.aws",
        "ENIConfig.crd.k8s.amazonaws.com",
        "VolumeSnapshotClass.snapshot.storage.k8s.io",
        "VolumeSnapshotContent.snapshot.storage.k8s.io",
        "ClusterServiceVersion.operators.coreos.com",
    }
)

#: Kinds that never live in a namespace and are not Kubernetes API objects at all.
NON_API_KINDS: frozenset[str] = frozenset(
    {"ClusterConfig.eksctl.io", "Kustomization.kustomize.config.k8s.io", "Component.kustomize.config.k8s.io"}
)

#: Where each workload kind keeps its pod template: (pod template metadata path, pod spec path).
POD_TEMPLATE_PATHS: dict[str, tuple[NodePath, NodePath]] = {
    "Pod": (("metadata",), ("spec",)),
    "PodTemplate": (("template", "metadata"), ("template", "spec")),
    "ReplicationController": (("spec", "template", "metadata"), ("spec", "template", "spec")),
    **{
        f"{kind}.{group}": (("spec", "template", "metadata"), ("spec", "template", "spec"))
        for kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")
        for group in ("apps", "extensions")
    },
    "Job.batch": (("spec", "template", "metadata"), ("spec", "template", "spec")),
    "CronJob.batch": (
        ("spec", "jobTemplate", "spec", "template", "metadata"),
        ("spec", "jobTemplate", "spec", "template", "spec"),
    ),
    "Rollout.argoproj.io": (("spec", "template", "metadata"), ("spec", "template", "spec")),
}

#: Workload kinds that run to completion (no probes expected, no PDB or replicas semantics).
BATCH_KINDS = frozenset({"Job.batch", "CronJob.batch"})
#: Workload kinds whose ``spec.replicas`` matters (defaults to 1).
REPLICATED_KINDS = frozenset(
    {"ReplicationController", "Rollout.argoproj.io"}
    | {f"{k}.{g}" for k in ("Deployment", "StatefulSet", "ReplicaSet") for g in ("apps", "extensions")}
)

CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


def object_ref(api_version: str, kind: str, name: Any, namespace: Any) -> str:
    """``Kind/namespace/name`` (``Kind/name`` when cluster-scoped); unset namespace = default."""
    group = api_version.rpartition("/")[0] if "/" in api_version else ""
    gk = f"{kind}.{group}" if group else kind
    shown = "<unnamed>" if name is None else str(name)
    if gk in CLUSTER_SCOPED or gk in NON_API_KINDS:
        return f"{kind}/{shown}"
    return f"{kind}/{namespace or 'default'}/{shown}"


def _str_map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(eq=False)
class K8sObject:
    """Any document (or ``List`` item) with an ``apiVersion`` and a ``kind``."""

    doc: Document
    root: LMap
    api_version: str
    kind: str
    #: The namespaces Kustomize builds give it (sorted; a build that sets none keeps the written
    #: one, unset meaning ``default``); empty when no kustomization in view builds its file. Set
    #: by the engine (:func:`ekslint.linter.kustomize_context.give_namespaces`) before any rule runs.
    given_namespaces: tuple[str, ...] = field(default=(), kw_only=True)

    @property
    def file(self) -> SourceFile:
        return self.doc.file

    @cached_property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0] if "/" in self.api_version else ""

    @cached_property
    def version(self) -> str:
        return self.api_version.rpartition("/")[2]

    @cached_property
    def gk(self) -> str:
        """``Kind.group`` as kubectl writes it (``Deployment.apps``), plain ``Kind`` for core."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    @cached_property
    def metadata(self) -> dict[str, Any]:
        return _str_map(self.root.get("metadata"))

    @cached_property
    def name(self) -> str | None:
        name = self.metadata.get("name")
        return str(name) if name is not None else None

    @cached_property
    def namespace(self) -> str | None:
        """The namespace as written (``None`` when absent)."""
        ns = self.metadata.get("namespace")
        return str(ns) if ns is not None else None

    @property
    def namespaced(self) -> bool:
        return self.gk not in CLUSTER_SCOPED and self.gk not in NON_API_KINDS

    @cached_property
    def effective_namespace(self) -> str:
        """Where it is applied: the namespace every Kustomize build gives it (which replaces the
        written one), else the written one, unset meaning ``default``; '' for cluster-scoped
        objects. Objects are matched with each other in this namespace."""
        if not self.namespaced:
            return ""
        if len(self.given_namespaces) == 1:
            return self.given_namespaces[0]
        return self.namespace or "default"

    @property
    def shown_namespace(self) -> str:
        """The namespace to name in messages and object ids: :attr:`effective_namespace`, or when
        the builds disagree (a base applied by a ``dev`` and a ``prod`` overlay) all of them,
        ``dev,prod`` (a namespace name has no comma, so the list reads unambiguously)."""
        if self.namespaced and len(self.given_namespaces) > 1:
            return ",".join(self.given_namespaces)
        return self.effective_namespace

    @cached_property
    def labels(self) -> dict[str, Any]:
        return _str_map(self.metadata.get("labels"))

    @cached_property
    def annotations(self) -> dict[str, Any]:
        return _str_map(self.metadata.get("annotations"))

    @property
    def ref(self) -> str:
        """``Kind/namespace/name`` (``Kind/name`` when cluster-scoped) for messages and output."""
        return object_ref(self.api_version, self.kind, self.name, self.shown_namespace)

    @property
    def written_ref(self) -> str:
        """:attr:`ref` with the namespace its file writes (unset = default), not the one a
        kustomization gives: how the object reads in its file."""
        return object_ref(self.api_version, self.kind, self.name, self.namespace)

    def get(self, *path: str | int) -> Any:
        return get_path(self.root, path)

    def pos(self, *path: str | int) -> Pos:
        return locate(self.root, path)

    @cached_property
    def spec(self) -> dict[str, Any]:
        return _str_map(self.root.get("spec"))


@dataclass(eq=False)
class Container:
    """One container of a pod spec, with its path from the object root."""

    spec: dict[str, Any]
    path: NodePath
    list_name: str

    @property
    def name(self) -> str:
        return str(self.spec.get("name", "<unnamed>"))

    @property
    def is_init(self) -> bool:
        return self.list_name == "initContainers"

    @property
    def is_ephemeral(self) -> bool:
        return self.list_name == "ephemeralContainers"

    @property
    def is_sidecar(self) -> bool:
        """An init container with ``restartPolicy: Always`` runs for the pod's whole life."""
        return self.is_init and self.spec.get("restartPolicy") == "Always"

    @property
    def long_running(self) -> bool:
        return self.list_name == "containers" or self.is_sidecar

    @property
    def describe(self) -> str:
        kind = {"initContainers": "init container", "ephemeralContainers": "ephemeral container"}
        return f"{kind.get(self.list_name, 'container')} {self.name!r}"

    @cached_property
    def security_context(self) -> dict[str, Any]:
        return _str_map(self.spec.get("securityContext"))

    @cached_property
    def resources(self) -> dict[str, Any]:
        return _str_map(self.spec.get("resources"))

    @cached_property
    def ports(self) -> list[dict[str, Any]]:
        ports = self.spec.get("ports")
        return [p for p in ports if isinstance(p, dict)] if isinstance(ports, list) else []


@dataclass(eq=False)
class Workload(K8sObject):
    """An object that carries a pod template (or is a Pod), with its containers."""

    template_meta_path: NodePath = ()
    pod_spec_path: NodePath = ()

    @cached_property
    def pod_spec(self) -> dict[str, Any]:
        return _str_map(get_path(self.root, self.pod_spec_path))

    @cached_property
    def template_labels(self) -> dict[str, Any]:
        return _str_map(get_path(self.root, self.template_meta_path + ("labels",)))

    @cached_property
    def template_annotations(self) -> dict[str, Any]:
        return _str_map(get_path(self.root, self.template_meta_path + ("annotations",)))

    @cached_property
    def pod_security_context(self) -> dict[str, Any]:
        return _str_map(self.pod_spec.get("securityContext"))

    @cached_property
    def containers(self) -> list[Container]:
        """All containers, init and ephemeral included, in document order of their lists."""
        out: list[Container] = []
        for list_name in CONTAINER_LISTS:
            items = self.pod_spec.get(list_name)
            if isinstance(items, list):
                out.extend(
                    Container(c, self.pod_spec_path + (list_name, i), list_name)
                    for i, c in enumerate(items)
                    if isinstance(c, dict)
                )
        return out

    def iter_containers(self, *, init: bool = True, ephemeral: bool = False) -> Iterator[Container]:
        for c in self.containers:
            if (c.is_init and not init) or (c.is_ephemeral and not ephemeral):
                continue
            yield c

    @cached_property
    def is_windows(self) -> bool:
        """Pods for Windows nodes: Linux-only security fields do not apply to them."""
        os_name = _str_map(self.pod_spec.get("os")).get("name")
        selector = _str_map(self.pod_spec.get("nodeSelector")).get("kubernetes.io/os")
        return os_name == "windows" or selector == "windows"

    def security_value(self, container: Container, key: str) -> tuple[Any, NodePath | None]:
        """A securityContext field as it applies to ``container``: its own, else the pod's.

        Returns the value and the path it was set at (``None`` when set nowhere).
        """
        if key in container.security_context:
            return container.security_context[key], container.path + ("securityContext", key)
        if key in self.pod_security_context:
            return self.pod_security_context[key], self.pod_spec_path + ("securityContext", key)
        return None, None

    @property
    def is_batch(self) -> bool:
        return self.gk in BATCH_KINDS

    @property
    def is_pod(self) -> bool:
        return self.gk == "Pod"

    @property
    def replicated(self) -> bool:
        return self.gk in REPLICATED_KINDS

    @cached_property
    def replicas(self) -> int | None:
        """``spec.replicas`` (default 1) for replicated kinds; ``None`` for other kinds."""
        if not self.replicated:
            return None
        value = self.spec.get("replicas", 1)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @cached_property
    def selector(self) -> Any:
        return self.spec.get("selector")


@dataclass(eq=False)
class ClusterConfig(K8sObject):
    """An eksctl ``ClusterConfig`` (``eksctl.io/v1alpha5``)."""

    @cached_property
    def region(self) -> str | None:
        value = self.metadata.get("region")
        return str(value) if value is not None else None

    @cached_property
    def kubernetes_version(self) -> str:
        """The cluster's Kubernetes version as written (``metadata.version``), '' when absent."""
        value = self.metadata.get("version")
        return "" if value is None else str(value)

    def node_groups(self) -> Iterator[tuple[NodePath, dict[str, Any], bool]]:
        """Yield ``(path, node group, managed)`` for every self-managed and managed node group."""
        for key, managed in (("nodeGroups", False), ("managedNodeGroups", True)):
            groups = self.root.get(key)
            if isinstance(groups, list):
                for i, ng in enumerate(groups):
                    if isinstance(ng, dict):
                        yield (key, i), ng, managed

    def fargate_profiles(self) -> Iterator[FargateProfile]:
        """The ``fargateProfiles`` and their selectors."""
        return iter(self._fargate_profiles)

    @cached_property
    def _fargate_profiles(self) -> tuple[FargateProfile, ...]:
        """Parsed once: the Fargate rules ask about every workload of the scan."""
        out = []
        profiles = self.root.get("fargateProfiles")
        for i, prof in enumerate(profiles if isinstance(profiles, list) else []):
            if not isinstance(prof, dict):
                continue
            selectors = prof.get("selectors")
            sels = [
                (j, str(sel.get("namespace")), _str_map(sel.get("labels")))
                for j, sel in enumerate(selectors if isinstance(selectors, list) else [])
                if isinstance(sel, dict) and sel.get("namespace") is not None
            ]
            out.append(FargateProfile(str(prof.get("name", f"#{i}")), ("fargateProfiles", i), sels))
        return tuple(out)


class FargateProfile(NamedTuple):
    """An eksctl Fargate profile: pods matching any selector (namespace + labels) run on Fargate."""

    name: str
    path: NodePath
    selectors: list[tuple[int, str, dict[str, Any]]]

    def selects(self, namespace: str, labels: dict[str, Any]) -> bool:
        """EKS semantics: the namespace must match exactly (eksctl allows no wildcards here
        except ``*`` and ``?`` globs) and every selector label must be on the pod."""
        for _, ns, sel_labels in self.selectors:
            if fnmatchcase(namespace, ns) and all(
                k in labels and label_str(labels[k]) == label_str(v) for k, v in sel_labels.items()
            ):
                return True
        return False


def objects_from(doc: Document) -> Iterator[K8sObject]:
    """Yield the objects a document holds: itself, or the items of a ``List``/``*List``."""
    yield from _objects(doc, doc.root, 0)


def _objects(doc: Document, root: LMap, depth: int) -> Iterator[K8sObject]:
    api_version, kind = root.get("apiVersion"), root.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str) or not kind:
        return
    items = root.get("items")
    if kind.endswith("List") and isinstance(items, list) and depth == 0 and "spec" not in root:
        for item in items:
            if isinstance(item, LMap):
                yield from _objects(doc, item, depth + 1)
        return
    yield make_object(doc, root, api_version, kind)


def make_object(doc: Document, root: LMap, api_version: str, kind: str) -> K8sObject:
    group = api_version.rpartition("/")[0] if "/" in api_version else ""
    gk = f"{kind}.{group}" if group else kind
    if gk in POD_TEMPLATE_PATHS:
        meta, spec = POD_TEMPLATE_PATHS[gk]
        return Workload(doc, root, api_version, kind, template_meta_path=meta, pod_spec_path=spec)
    if gk == "ClusterConfig.eksctl.io":
        return ClusterConfig(doc, root, api_version, kind)
    return K8sObject(doc, root, api_version, kind)
