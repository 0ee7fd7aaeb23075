"""Kustomize overlays: patches merged into a base, and labels and namespaces set at build time.

A strategic-merge patch file holds objects that only carry what they change (a PDB patch without
a selector, a Deployment patch with ``replicas: 2`` and no containers). They are not objects of
their own: the availability rules skip them as targets and leave them out of every selection and
count. A field that a patch in the scan overrides is not judged from the base either, because what
gets applied depends on which overlay is built (the base may say ``replicas: 1`` while the HA
overlay patches it to 2, or a PDB's ``minAvailable: 80%`` may be patched to 0).

A kustomization's ``replicas:`` field overrides replica counts like a patch does. A kustomization
also adds labels (``commonLabels``, ``labels`` with ``includeTemplates`` or ``includeSelectors``)
to pod templates and sets every object's namespace. The rules that claim something is *not*
selected use :func:`build_labels` and :func:`build_namespaces` to stay silent when a build could
make it selected.

Which files are patches, and which kustomizations may build a file, is answered by the Kustomize
view of ``podsecurity._kustomize`` (kustomizations in the scan and in the files' parent folders).
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex
from ekslint.linter.kustomize_context import is_kustomize_patch, kustomize
from ekslint.linter.model import Container, K8sObject, Workload
from ekslint.linter.nodes import NodePath, get_path

#: Patch files are small; reading more of one only to find a word is not worth it.
MAX_PATCH = 64 * 1024


class _Patches:
    """The patch objects of one scan, by (kind, name)."""

    def __init__(self, ctx: RuleContext) -> None:
        by_file: dict[int, bool] = {}
        self.ids: set[int] = set()
        self.by_name: dict[tuple[str, str], list[K8sObject]] = defaultdict(list)
        self.labels: dict[int, dict[str, Any]] = {}
        self.namespaces: dict[int, set[str]] = {}
        self.texts: dict[int, list[str]] = {}
        #: namespace -> its workloads without the patches (asked for once per object of a namespace)
        self.workloads: dict[str, list[Workload]] = {}
        for obj in ctx.index.objects:
            key = id(obj.file)
            if key not in by_file:
                by_file[key] = is_kustomize_patch(obj, ctx)
            if by_file[key]:
                self.ids.add(id(obj))
                self.by_name[(obj.kind, obj.name or "")].append(obj)


_CACHE: weakref.WeakKeyDictionary[ScanIndex, _Patches] = weakref.WeakKeyDictionary()


def _patches(ctx: RuleContext) -> _Patches:
    found = _CACHE.get(ctx.index)
    if found is None:
        found = _CACHE[ctx.index] = _Patches(ctx)
    return found


def is_patch(obj: K8sObject, ctx: RuleContext) -> bool:
    """Is ``obj`` a partial object that a kustomization merges into a base?"""
    return id(obj) in _patches(ctx).ids


def workloads_in(ctx: RuleContext, namespace: str) -> list[Workload]:
    """The namespace's workloads, patches left out."""
    patches = _patches(ctx)
    found = patches.workloads.get(namespace)
    if found is None:
        found = patches.workloads[namespace] = [
            w for w in ctx.index.workloads_in(namespace) if id(w) not in patches.ids
        ]
    return list(found)


def objects_of(ctx: RuleContext, kind: str, group: str, namespace: str) -> list[K8sObject]:
    """``index.of_kind`` with patches left out."""
    ids = _patches(ctx).ids
    return [o for o in ctx.index.of_kind(kind, group=group, namespace=namespace) if id(o) not in ids]


def patches_for(obj: K8sObject, ctx: RuleContext) -> list[K8sObject]:
    """Patches in the scan that target ``obj`` (same kind and name; a patch without a namespace
    takes the one the kustomization gives, so it may target any)."""
    return [
        p
        for p in _patches(ctx).by_name.get((obj.kind, obj.name or ""), [])
        if p is not obj and (p.namespace is None or p.effective_namespace == obj.effective_namespace)
    ]


def overridden(obj: K8sObject, ctx: RuleContext, *paths: NodePath) -> bool:
    """Does a patch in the scan set any of ``paths`` (from the object root) of ``obj``?"""
    return any(get_path(p.root, path) is not None for p in patches_for(obj, ctx) for path in paths)


def _same_container(patch: K8sObject, w: Workload, c: Container) -> dict[str, Any] | None:
    items = get_path(patch.root, w.pod_spec_path + (c.list_name,))
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("name") == c.spec.get("name"):
            return item
    return None


def container_overridden(w: Workload, c: Container, ctx: RuleContext, *keys: str) -> bool:
    """Does a patch in the scan set any of ``keys`` on the container of the same name (or a
    targeted inline/JSON 6902 patch mention them)?"""
    for p in patches_for(w, ctx):
        item = _same_container(p, w, c)
        if item is not None and any(item.get(k) is not None for k in keys):
            return True
    return overlay_mentions(w, ctx, *keys)


def build_labels(obj: K8sObject, ctx: RuleContext) -> dict[str, Any]:
    """Labels that kustomizations which may build ``obj`` add to its pod template."""
    cache = _patches(ctx).labels
    if id(obj) not in cache:
        cache[id(obj)] = _build_labels(obj, ctx)
    return cache[id(obj)]


def _build_labels(obj: K8sObject, ctx: RuleContext) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if obj.file.path is None:
        return out
    for k in kustomize(ctx).covering(obj.file.path):
        common = k.data.get("commonLabels")
        if isinstance(common, dict):
            out.update(common)
        entries = k.data.get("labels")
        for entry in entries if isinstance(entries, list) else []:
            if (
                isinstance(entry, dict)
                and isinstance(entry.get("pairs"), dict)
                and (entry.get("includeTemplates") or entry.get("includeSelectors"))
            ):
                out.update(entry["pairs"])
    return out


def build_namespaces(obj: K8sObject, ctx: RuleContext) -> set[str]:
    """Namespaces ``obj`` may be applied to: its own, and any a kustomization that may build it sets."""
    cache = _patches(ctx).namespaces
    if id(obj) not in cache:
        out = {obj.effective_namespace}
        if obj.file.path is not None and obj.namespaced:
            out.update(k.namespace for k in kustomize(ctx).covering(obj.file.path) if k.namespace)
        cache[id(obj)] = out
    return cache[id(obj)]


def _targeted_patch_texts(obj: K8sObject, ctx: RuleContext) -> Iterator[str]:
    """Text of the ``patches``/``patchesJson6902`` entries with a ``target`` that may select
    ``obj`` (same kind, same or no name): inline patches, or the patch file they name. These
    are not objects of the scan (JSON 6902 operations, or objects renamed by the target)."""
    if obj.file.path is None:
        return
    for k in kustomize(ctx).covering(obj.file.path):
        for key in ("patches", "patchesJson6902"):
            entries = k.data.get(key)
            for entry in entries if isinstance(entries, list) else []:
                target = entry.get("target") if isinstance(entry, dict) else None
                if not isinstance(target, dict) or target.get("kind") not in (None, obj.kind):
                    continue
                if target.get("name") not in (None, obj.name):
                    continue
                if isinstance(entry.get("patch"), str):
                    yield entry["patch"]
                elif isinstance(entry.get("path"), str):
                    try:
                        yield (k.folder / entry["path"]).read_text(encoding="utf-8", errors="replace")[:MAX_PATCH]
                    except OSError:
                        continue


def overlay_mentions(obj: K8sObject, ctx: RuleContext, *words: str) -> bool:
    """Does a targeted Kustomize patch (inline or JSON 6902) mention any of ``words``?"""
    cache = _patches(ctx).texts
    if id(obj) not in cache:
        cache[id(obj)] = list(_targeted_patch_texts(obj, ctx))
    return any(word in text for text in cache[id(obj)] for word in words)


def replicas_overridden(w: Workload, ctx: RuleContext) -> bool:
    """Does an overlay set the workload's replica count: a patch with ``spec.replicas``, a
    kustomization's ``replicas:`` entry naming it, or a targeted patch that mentions replicas?"""
    if overridden(w, ctx, ("spec", "replicas")):
        return True
    if w.file.path is None:
        return False
    for k in kustomize(ctx).covering(w.file.path):
        entries = k.data.get("replicas")
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and entry.get("name") == w.name:
                return True
    return overlay_mentions(w, ctx, "replicas")
