"""Shared logic of the storage rules: which StorageClass a claim uses, and what a class is.

Facts (Kubernetes and the AWS CSI drivers, see ``shared/reference/eks-facts.md`` §4 and the
drivers' ``docs/parameters.md``):

* EBS-backed means provisioner ``ebs.csi.aws.com`` or the in-tree ``kubernetes.io/aws-ebs``
  (CSI-migrated on EKS since 1.23), and also ``ebs.csi.eks.amazonaws.com``, the EBS driver that
  EKS Auto Mode runs for its nodes (AWS docs "Create a storage class" for Auto Mode). They read
  the same ``parameters`` keys, matched case-insensitively (``type``, ``encrypted``,
  ``kmsKeyId``...).
* A claim's class is the beta annotation ``volume.beta.kubernetes.io/storage-class`` when set
  (the API server gives it precedence), else ``spec.storageClassName``. An empty string means
  "no class" (bind statically to a PV): nothing to check. No class at all means the default
  class, the one annotated ``storageclass.kubernetes.io/is-default-class: "true"`` (or the
  beta annotation), if the scan holds one.
* A class named by a claim but absent from the scan is unknown (partial input): silent.
* Claims are PersistentVolumeClaims, StatefulSet ``volumeClaimTemplates`` and generic
  ephemeral volumes (``volumes[].ephemeral.volumeClaimTemplate``) of any pod template.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from ekslint.linter.index import ScanIndex
from ekslint.linter.model import POD_TEMPLATE_PATHS, K8sObject, Workload
from ekslint.linter.nodes import NodePath

EBS_CSI = "ebs.csi.aws.com"
EBS_IN_TREE = "kubernetes.io/aws-ebs"
EBS_AUTO_MODE = "ebs.csi.eks.amazonaws.com"
EBS_CSI_DRIVERS = frozenset({EBS_CSI, EBS_AUTO_MODE})
EBS_PROVISIONERS = frozenset({EBS_CSI, EBS_IN_TREE, EBS_AUTO_MODE})
EFS_CSI = "efs.csi.aws.com"

STORAGE_CLASS = "StorageClass.storage.k8s.io"
PVC = "PersistentVolumeClaim"
#: Object kinds that can hold a claim: PVCs and every kind with a pod template.
CLAIM_KINDS: tuple[str, ...] = (PVC, *POD_TEMPLATE_PATHS)

CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
DEFAULT_ANNOTATIONS = (
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
)


def provisioner(sc: K8sObject) -> str:
    value = sc.root.get("provisioner")
    return value if isinstance(value, str) else ""


def is_ebs(sc: K8sObject) -> bool:
    return provisioner(sc) in EBS_PROVISIONERS


def parameters(sc: K8sObject) -> dict[str, Any]:
    params = sc.root.get("parameters")
    return params if isinstance(params, dict) else {}


def ebs_param(sc: K8sObject, key: str) -> tuple[str | None, Any]:
    """An EBS parameter looked up case-insensitively, as both EBS provisioners do.

    Returns the key as written (``None`` when absent) and its value.
    """
    wanted = key.lower()
    for k, v in parameters(sc).items():
        if isinstance(k, str) and k.lower() == wanted:
            return k, v
    return None, None


def is_true(value: Any) -> bool:
    """``"true"`` as the EBS drivers read it; an unquoted YAML ``true`` counts too (the
    ``yaml-implicit-type`` rule reports the missing quotes)."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def storage_classes(index: ScanIndex) -> list[K8sObject]:
    return index.of_kind("StorageClass", group="storage.k8s.io")


def is_default(sc: K8sObject) -> bool:
    return any(is_true(sc.annotations.get(a)) for a in DEFAULT_ANNOTATIONS)


class Claim(NamedTuple):
    """A PersistentVolumeClaim spec wherever it is written, with its path from the object root."""

    obj: K8sObject
    spec: dict[str, Any]
    path: NodePath
    annotations: dict[str, Any]
    describe: str

    @property
    def class_name(self) -> str | None:
        """The class the claim names ('' = no class, ``None`` = the default class)."""
        beta = self.annotations.get(CLASS_ANNOTATION)
        if beta is not None:
            return str(beta)
        name = self.spec.get("storageClassName")
        return None if name is None else str(name)


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def iter_claims(obj: K8sObject) -> Iterator[Claim]:
    """Every claim an object carries: itself (a PVC), StatefulSet volumeClaimTemplates and
    generic ephemeral volumes of its pod template."""
    if obj.gk == PVC:
        yield Claim(obj, obj.spec, ("spec",), obj.annotations, obj.ref)
        return
    if not isinstance(obj, Workload):
        return
    if obj.kind == "StatefulSet":
        templates = obj.spec.get("volumeClaimTemplates")
        for i, vct in enumerate(templates if isinstance(templates, list) else []):
            if isinstance(vct, dict):
                name = _map(vct.get("metadata")).get("name", f"#{i}")
                yield Claim(
                    obj,
                    _map(vct.get("spec")),
                    ("spec", "volumeClaimTemplates", i, "spec"),
                    _map(_map(vct.get("metadata")).get("annotations")),
                    f"{obj.ref} volumeClaimTemplate {name!r}",
                )
    volumes = obj.pod_spec.get("volumes")
    for i, vol in enumerate(volumes if isinstance(volumes, list) else []):
        template = _map(_map(_map(vol).get("ephemeral")).get("volumeClaimTemplate"))
        if template:
            yield Claim(
                obj,
                _map(template.get("spec")),
                (*obj.pod_spec_path, "volumes", i, "ephemeral", "volumeClaimTemplate", "spec"),
                _map(_map(template.get("metadata")).get("annotations")),
                f"{obj.ref} ephemeral volume {_map(vol).get('name', f'#{i}')!r}",
            )


def claim_classes(claim: Claim, index: ScanIndex) -> list[K8sObject]:
    """The StorageClass(es) in the scan that the claim would use; [] when unknown or none.

    Several objects can answer (the same class name in several overlays, or several default
    classes); callers decide only when all of them agree.
    """
    name = claim.class_name
    if name == "":
        return []
    classes = storage_classes(index)
    if name is None:
        return [sc for sc in classes if is_default(sc)]
    return [sc for sc in classes if sc.name == name]
