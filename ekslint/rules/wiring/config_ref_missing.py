"""config-ref-missing: a pod names a ConfigMap, Secret or PersistentVolumeClaim (or a key of one)
that is not in the scan.

The kubelet resolves these names when it starts the pod, in the pod's namespace: a missing
ConfigMap or Secret behind ``env``/``envFrom`` leaves the container in
``CreateContainerConfigError``, a missing one behind a volume (or a missing ``items`` key)
leaves the pod in ``ContainerCreating`` with ``FailedMount`` events, and a missing claim keeps
the pod ``Pending``. Read: ``env[].valueFrom.configMapKeyRef``/``secretKeyRef`` (name and key),
``envFrom[].configMapRef``/``secretRef``, ``configMap``/``secret`` volumes and ``projected``
sources (name and ``items[].key``) and ``persistentVolumeClaim.claimName``. Never reported when
``optional: true``.

Partial input: a missing object is reported only when the scan holds an object of that kind in
the pod's namespace shipped with it (same file, same Kustomization, a folder above or below), and
nothing the scan shows creates it (see :mod:`._providers`: Kustomize generators, cert-manager,
External Secrets, StatefulSet claim templates, operators...). A missing key is reported when
every definition of the object in the scan lacks it and none is filled in by something else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.index import nearest
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.nodes import NodePath
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import overlay_mentions
from ekslint.rules.wiring._providers import (
    CONFIGMAP,
    COPIED_ANNOTATIONS,
    FILLED_SECRET_TYPES,
    PVC,
    SECRET,
    Catalogue,
    catalogue,
    valid_key,
    valid_name,
)

#: What the pod does when the object is missing, by how it is used.
_EFFECT = {
    "env": "the container cannot start (CreateContainerConfigError)",
    "volume": "the pod cannot mount it and stays in ContainerCreating (FailedMount)",
    "claim": "the pod stays Pending until the claim exists",
}


@dataclass(eq=False)
class Ref:
    """One reference of a pod spec to a ConfigMap, Secret or claim."""

    kind: str
    name: Any
    path: NodePath  #: the key holding the name
    use: str  #: "env", "volume" or "claim"
    optional: bool
    keys: list[tuple[Any, NodePath]] = field(default_factory=list)  #: named keys and their paths


def _optional(source: dict[str, Any]) -> bool:
    return source.get("optional") is True


def _items(source: dict[str, Any], path: NodePath) -> list[tuple[Any, NodePath]]:
    items = source.get("items")
    return [
        (item.get("key"), (*path, "items", i, "key"))
        for i, item in enumerate(items if isinstance(items, list) else [])
        if isinstance(item, dict)
    ]


def references(w: Workload) -> Iterator[Ref]:
    """Every ConfigMap, Secret and claim reference of the pod spec, in document order."""
    for c in w.containers:
        env = c.spec.get("env")
        for i, var in enumerate(env if isinstance(env, list) else []):
            source = var.get("valueFrom") if isinstance(var, dict) else None
            for key, kind in (("configMapKeyRef", CONFIGMAP), ("secretKeyRef", SECRET)):
                ref = source.get(key) if isinstance(source, dict) else None
                if isinstance(ref, dict):
                    path: NodePath = (*c.path, "env", i, "valueFrom", key)
                    yield Ref(
                        kind,
                        ref.get("name"),
                        (*path, "name"),
                        "env",
                        _optional(ref),
                        [(ref.get("key"), (*path, "key"))],
                    )
        env_from = c.spec.get("envFrom")
        for i, entry in enumerate(env_from if isinstance(env_from, list) else []):
            for key, kind in (("configMapRef", CONFIGMAP), ("secretRef", SECRET)):
                ref = entry.get(key) if isinstance(entry, dict) else None
                if isinstance(ref, dict):
                    yield Ref(kind, ref.get("name"), (*c.path, "envFrom", i, key, "name"), "env", _optional(ref))
    volumes = w.pod_spec.get("volumes")
    for i, vol in enumerate(volumes if isinstance(volumes, list) else []):
        if not isinstance(vol, dict):
            continue
        vpath: NodePath = (*w.pod_spec_path, "volumes", i)
        source = vol.get("configMap")
        if isinstance(source, dict):
            p = (*vpath, "configMap")
            yield Ref(CONFIGMAP, source.get("name"), (*p, "name"), "volume", _optional(source), _items(source, p))
        source = vol.get("secret")
        if isinstance(source, dict):
            p = (*vpath, "secret")
            yield Ref(
                SECRET, source.get("secretName"), (*p, "secretName"), "volume", _optional(source), _items(source, p)
            )
        source = vol.get("persistentVolumeClaim")
        if isinstance(source, dict):
            yield Ref(PVC, source.get("claimName"), (*vpath, "persistentVolumeClaim", "claimName"), "claim", False)
        projected = vol.get("projected")
        sources = projected.get("sources") if isinstance(projected, dict) else None
        for j, src in enumerate(sources if isinstance(sources, list) else []):
            for key, kind in (("configMap", CONFIGMAP), ("secret", SECRET)):
                ref = src.get(key) if isinstance(src, dict) else None
                if isinstance(ref, dict):
                    p = (*vpath, "projected", "sources", j, key)
                    yield Ref(kind, ref.get("name"), (*p, "name"), "volume", _optional(ref), _items(ref, p))


def _data_keys(obj: K8sObject) -> set[str] | None:
    """The keys an object of the scan defines, or ``None`` when something else fills them in (a
    placeholder with no data, a service-account token, a copy made by a replication tool)."""
    if any(a.startswith(COPIED_ANNOTATIONS) for a in obj.annotations):
        return None
    if obj.kind == SECRET and obj.root.get("type") in FILLED_SECRET_TYPES:
        return None
    fields = ("data", "binaryData") if obj.kind == CONFIGMAP else ("data", "stringData")
    keys: set[str] = set()
    present = False
    for name in fields:
        value = obj.root.get(name)
        if isinstance(value, dict) and value:
            present = True
            keys.update(str(k) for k in value)
    return keys if present else None


def _missing_keys(
    w: Workload, ref: Ref, defined: list[K8sObject], cat: Catalogue, ctx: RuleContext
) -> Iterator[Finding]:
    """Keys ``ref`` names that no definition of the object has."""
    wanted = [(k, p) for k, p in ref.keys if valid_key(k)]
    if not wanted or cat.created(w, ref.kind, ref.name, ctx):
        return  # a generator or a controller may add keys the manifests do not show
    keys: set[str] = set()
    for obj in defined:
        found = _data_keys(obj)
        if found is None:
            return
        keys |= found
    shown = nearest(w, defined)[0]
    for key, path in wanted:
        if key in keys or any(overlay_mentions(o, ctx, key) for o in defined):
            continue
        have = ", ".join(sorted(keys)[:8]) + (", ..." if len(keys) > 8 else "")
        effect = _EFFECT[ref.use] if ref.use == "volume" else _EFFECT["env"]
        yield Finding(
            f"key {key!r} is not in {shown.ref} (it has {have}): {effect}; fix the key, add it to "
            f"the {ref.kind}, or set optional: true if the pod can run without it",
            path,
        )


@rule(
    id="config-ref-missing",
    title="ConfigMaps, Secrets and claims that pods reference should exist",
    level=Level.ERROR,
    targets=(Workload,),
    tags=("config",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    cat = catalogue(ctx)
    reported: set[tuple[str, str]] = set()
    for ref in references(w):
        if ref.optional or not valid_name(ref.name):
            continue
        defined = cat.objects(w, ref.kind, ref.name, ctx)
        if defined:
            yield from _missing_keys(w, ref, defined, cat, ctx)
            continue
        if (ref.kind, ref.name) in reported or cat.created(w, ref.kind, ref.name, ctx):
            continue
        # Partial input: silent unless objects of that kind are shipped with the pod.
        shipped = cat.evidence(w, ref.kind, ctx)
        if not shipped:
            continue
        reported.add((ref.kind, ref.name))
        ns = w.shown_namespace
        yield Finding(
            f"{ref.kind} {ref.name!r} is not defined in namespace {ns!r} (the scan has {shipped} "
            f"other {ref.kind}(s) there beside {w.ref}): {_EFFECT[ref.use]}; fix the name, add the "
            f"{ref.kind}, or set optional: true if the pod can run without it"
            if ref.kind != PVC
            else f"{ref.kind} {ref.name!r} is not defined in namespace {ns!r} (the scan has {shipped} "
            f"other claim(s) there beside {w.ref}): {_EFFECT[ref.use]}; fix claimName or add the claim",
            ref.path,
        )
