"""Which API resource an object is created as: ``Deployment.apps`` → ``apps/deployments``.

Admission rules name resources (``deployments``), manifests name kinds. The plural comes from a
CustomResourceDefinition in the scan when there is one (its ``spec.names``), else from the
irregular names below, else from the API machinery's own guess (``UnsafeGuessKindToResource``:
lower case, ``-s`` → ``-ses``, consonant + ``y`` → ``-ies``, else ``+s``), which every built-in
kind but these follows. Scope: the CRD's ``spec.scope``, else ekslint's table of cluster-scoped
kinds (:data:`ekslint.linter.model.CLUSTER_SCOPED`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ekslint.linter.model import CLUSTER_SCOPED

#: Kinds whose resource the guess gets wrong.
IRREGULAR = {"Endpoints": "endpoints", "PodMetrics": "pods", "NodeMetrics": "nodes"}


@dataclass(frozen=True)
class Resource:
    group: str
    version: str
    resource: str
    namespaced: bool


def guess_plural(kind: str) -> str:
    if kind in IRREGULAR:
        return IRREGULAR[kind]
    lower = kind.lower()
    if lower.endswith("s"):
        return lower + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return lower[:-1] + "ies"
    return lower + "s"


class ResourceMap:
    """Kinds to resources, with the CRDs of a scan."""

    def __init__(self, crds: Iterable[Any] = ()) -> None:
        self._crds: dict[tuple[str, str], tuple[str, bool]] = {}
        for crd in crds:
            spec = crd.spec
            names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
            group, kind, plural = spec.get("group"), names.get("kind"), names.get("plural")
            if isinstance(group, str) and isinstance(kind, str) and isinstance(plural, str):
                self._crds[(group, kind)] = (plural, spec.get("scope") != "Cluster")

    def resource_of(self, obj: Any) -> Resource:
        found = self._crds.get((obj.group, obj.kind))
        if found is not None:
            return Resource(obj.group, obj.version, found[0], found[1])
        return Resource(obj.group, obj.version, guess_plural(obj.kind), obj.gk not in CLUSTER_SCOPED)

    def namespaced(self, group: str, kind: str) -> bool:
        found = self._crds.get((group, kind))
        if found is not None:
            return found[1]
        return (f"{kind}.{group}" if group else kind) not in CLUSTER_SCOPED
