"""What the Kustomize and Skaffold files around a manifest say about it.

Manifests in a Kustomize tree are not what gets applied: the kustomization sets the namespace,
rewrites image tags (``images:``), and merges *patch* files, which are partial objects that only
carry the fields they change. Rules that report something *missing* (a namespace, a pinned tag,
a securityContext field) would raise false alarms on all of them, so they ask this module first.

A file counts as covered by a kustomization when the kustomization sits in its folder or a parent
folder (an over-approximation: it may not list the file, which only makes rules quieter), or
when a kustomization in the scan includes it, directly or through its bases, with a local
``resources``/``bases``/``components`` entry. Skaffold's ``build.artifacts[].image`` names are
replaced by the tag Skaffold builds, so those images are pinned at deploy time.

Everything is cached per scan (keyed on the scan's index), never across scans.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex
from ekslint.linter.kustomization import KUSTOMIZATION_NAMES, is_remote_ref
from ekslint.linter.loader import SourceFile, load_untrusted
from ekslint.linter.model import K8sObject, Workload

SKAFFOLD_NAMES = ("skaffold.yaml", "skaffold.yml")
KUSTOMIZE_GROUP = "kustomize.config.k8s.io"
#: Kustomization files are small; anything bigger is not worth parsing for these hints.
MAX_BYTES = 1024 * 1024


def _norm(path: Path) -> Path:
    """``path`` made absolute and normalised (``os.path.abspath``: one Path built, not three)."""
    return Path(os.path.abspath(path))


def _strs(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


@dataclass(eq=False)
class Kustomization:
    """One kustomization: its folder and the fields the rules read.

    ``source`` is its file when the scan holds it (then ``data`` has positions), and ``obj`` the
    kustomization as an object of the scan (a file that says ``kind: Kustomization``); both are
    ``None`` when it was read from disk.
    """

    folder: Path
    data: dict[str, Any]
    obj: K8sObject | None = None
    source: SourceFile | None = None

    @property
    def namespace(self) -> str | None:
        ns = self.data.get("namespace")
        return str(ns) if isinstance(ns, str) and ns.strip() else None

    @cached_property
    def images(self) -> list[dict[str, Any]]:
        return _dicts(self.data.get("images"))

    def includes(self, keys: tuple[str, ...] = ("resources", "bases", "components")) -> Iterator[Path]:
        """Local files and folders this kustomization builds from (under ``keys``)."""
        for key in keys:
            for ref in _strs(self.data.get(key)):
                if "\n" not in ref and not is_remote_ref(ref, self.folder):
                    yield _norm(self.folder / ref)

    def patch_files(self) -> Iterator[Path]:
        """Files merged as patches (strategic-merge or JSON 6902), not applied as objects."""
        for ref in _strs(self.data.get("patchesStrategicMerge")):
            if "\n" not in ref and not is_remote_ref(ref, self.folder):  # or an inline patch
                yield _norm(self.folder / ref)
        for key in ("patches", "patchesJson6902"):
            for entry in _dicts(self.data.get(key)):
                path = entry.get("path")
                if isinstance(path, str):
                    yield _norm(self.folder / path)

    @cached_property
    def include_paths(self) -> tuple[Path, ...]:
        """:meth:`includes`, resolved once: a base is followed from every overlay that uses it."""
        return tuple(self.includes())

    @cached_property
    def component_paths(self) -> tuple[Path, ...]:
        """The local ``components``, in the order kustomize applies them."""
        return tuple(self.includes(("components",)))

    @cached_property
    def patch_set(self) -> frozenset[Path]:
        """:meth:`patch_files`, resolved once: asked about every file below the kustomization."""
        return frozenset(self.patch_files())


class Build(NamedTuple):
    """One way kustomize builds a file: the kustomizations whose transformers reach its objects,
    in the order they run.

    Kustomize builds a kustomization's resources (its bases fully built first), then applies its
    components in order, each to everything accumulated so far, then its own transformers; so a
    file's objects go through the kustomization that lists it, the components of that
    kustomization, the kustomization that includes it, and so on up to a root that nothing in
    view includes (the overlay that is applied). When the same field is set at several steps, the
    last step wins: the overlay's ``namespace:`` replaces the base's.
    """

    steps: tuple[Kustomization, ...]

    @property
    def root(self) -> Kustomization:
        return self.steps[-1]

    @property
    def namespace(self) -> str | None:
        """The namespace this build gives every namespaced object, or ``None`` (kept as written)."""
        return next((k.namespace for k in reversed(self.steps) if k.namespace), None)


#: Builds of one file followed at most: a diamond of bases and overlays multiplies them.
MAX_BUILDS = 64


@dataclass(eq=False)
class KustomizeView:
    """Kustomize and Skaffold hints for the files of one scan.

    Every question is about a file and the folders above it, and the files of a scan share
    most of their folders: answers are kept per file and per folder, so each folder's
    kustomization and Skaffold config is read and resolved once.
    """

    #: The kustomizations (and components) of the scan itself (the view is kept in the scan's
    #: index: ``ScanIndex.cached``).
    scanned: list[Kustomization]
    _disk: dict[Path, Kustomization | None] = field(default_factory=dict)
    _skaffold: dict[Path, frozenset[str]] = field(default_factory=dict)
    _reached: dict[Path, list[Kustomization]] | None = None
    _patches: set[Path] | None = None
    _normed: dict[Path, Path] = field(default_factory=dict)
    _disk_up: dict[Path, list[Kustomization]] = field(default_factory=dict)
    _reached_up: dict[Path, list[Kustomization]] = field(default_factory=dict)
    _skaffold_up: dict[Path, frozenset[str]] = field(default_factory=dict)
    _covering: dict[Path, list[Kustomization]] = field(default_factory=dict)
    _covering_images: dict[Path, list[dict[str, Any]]] = field(default_factory=dict)
    _scanned_images: list[dict[str, Any]] | None = None
    _is_patch: dict[Path, bool] = field(default_factory=dict)
    _built_by_skaffold: dict[Path, frozenset[str]] = field(default_factory=dict)
    #: The include graph, inverted: path -> (kustomization listing it, its index in that
    #: kustomization's ``components``, or ``None`` for a resource or base).
    _parents: dict[Path, list[tuple[Kustomization, int | None]]] = field(default_factory=dict)
    _walked: set[int] = field(default_factory=set)
    _scan_walked: bool = False
    _builds: dict[Path, tuple[Build, ...]] = field(default_factory=dict)
    _up: dict[Path, list[tuple[Kustomization, ...]]] = field(default_factory=dict)
    #: patch file -> the kustomizations (walked by :meth:`builds`) that merge it
    _patch_of: dict[Path, list[Kustomization]] = field(default_factory=dict)
    _located: dict[Path, Kustomization] | None = None

    # -- loading --------------------------------------------------------------------------------

    def _read(self, path: Path) -> list[Any]:
        try:
            if not path.is_file() or path.stat().st_size > MAX_BYTES:
                return []
            return load_untrusted(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return []

    def at(self, folder: Path) -> Kustomization | None:
        """The kustomization file in ``folder`` (read from disk once per scan)."""
        if folder not in self._disk:
            found = None
            for name in KUSTOMIZATION_NAMES:
                docs = self._read(folder / name)
                if docs and isinstance(docs[0], dict):
                    found = Kustomization(folder, docs[0])
                    break
            self._disk[folder] = found
        return self._disk[folder]

    def _build(self) -> None:
        """Follow every kustomization in the scan through its local includes."""
        reached: dict[Path, list[Kustomization]] = {}
        patches: set[Path] = set()
        for top in self.scanned:
            seen: set[Path] = set()
            stack = [top]
            while stack:
                k = stack.pop()
                patches.update(k.patch_set)
                for path in k.include_paths:
                    if path in seen:
                        continue
                    seen.add(path)
                    reached.setdefault(path, []).append(top)
                    sub = self.at(path)  # None for a file: only folders hold a kustomization
                    if sub is not None:
                        stack.append(sub)
        self._reached, self._patches = reached, patches

    def _norm(self, file: Path) -> Path:
        """``file`` made absolute and normalised (once per file)."""
        found = self._normed.get(file)
        if found is None:
            found = self._normed[file] = _norm(file)
        return found

    def _disk_above(self, folder: Path) -> list[Kustomization]:
        """The kustomization files in ``folder`` and in every folder above it, nearest first."""
        found = self._disk_up.get(folder)
        if found is None:
            k = self.at(folder)
            parent = folder.parent
            above = self._disk_above(parent) if parent != folder else []
            found = self._disk_up[folder] = [k, *above] if k is not None else above
        return found

    def _reached_above(self, folder: Path) -> list[Kustomization]:
        """The scanned kustomizations that include ``folder`` or a folder above it, nearest first."""
        found = self._reached_up.get(folder)
        if found is None:
            assert self._reached is not None
            parent = folder.parent
            above = self._reached_above(parent) if parent != folder else []
            found = self._reached_up[folder] = [*self._reached.get(folder, []), *above]
        return found

    def _skaffold_above(self, folder: Path) -> frozenset[str]:
        """Images that a Skaffold config in ``folder`` or a folder above it builds."""
        found = self._skaffold_up.get(folder)
        if found is None:
            parent = folder.parent
            above = self._skaffold_above(parent) if parent != folder else frozenset()
            found = self._skaffold_up[folder] = self._skaffold_at(folder) | above
        return found

    def _skaffold_at(self, folder: Path) -> frozenset[str]:
        if folder not in self._skaffold:
            found: set[str] = set()
            for name in SKAFFOLD_NAMES:
                for doc in self._read(folder / name):
                    if not isinstance(doc, dict):
                        continue
                    builds = [doc.get("build"), *(p.get("build") for p in _dicts(doc.get("profiles")))]
                    for build in builds:
                        if isinstance(build, dict):
                            found.update(str(a["image"]) for a in _dicts(build.get("artifacts")) if a.get("image"))
            self._skaffold[folder] = frozenset(found)
        return self._skaffold[folder]

    # -- questions ------------------------------------------------------------------------------

    def covering(self, file: Path) -> list[Kustomization]:
        """Kustomizations that (may) build ``file``: nearest parent folders first."""
        if file in self._covering:
            return self._covering[file]
        norm = self._norm(file)
        if self._reached is None:
            self._build()
        assert self._reached is not None
        out = [*self._disk_above(norm.parent), *self._reached.get(norm, []), *self._reached_above(norm.parent)]
        self._covering[file] = out
        return out

    def namespace(self, file: Path) -> tuple[str, Path] | None:
        """The namespace a covering kustomization sets, and the folder of that kustomization."""
        for k in self.covering(file):
            if k.namespace:
                return k.namespace, k.folder
        return None

    def is_patch(self, file: Path) -> bool:
        """Is ``file`` merged into other objects as a patch (by a parent or scanned kustomization)?"""
        if file not in self._is_patch:
            norm = self._norm(file)
            if self._patches is None:
                self._build()
            assert self._patches is not None
            self._is_patch[file] = norm in self._patches or any(
                norm in k.patch_set for k in self._disk_above(norm.parent)
            )
        return self._is_patch[file]

    def covering_images(self, file: Path) -> list[dict[str, Any]]:
        """``images:`` entries of the kustomizations that (may) build ``file``."""
        if file not in self._covering_images:
            self._covering_images[file] = [entry for k in self.covering(file) for entry in k.images]
        return self._covering_images[file]

    def scanned_images(self) -> list[dict[str, Any]]:
        """``images:`` entries of every kustomization in the scan: any of them may build a file
        the scan holds (one ``images:`` list often retags the images of a whole repository)."""
        if self._scanned_images is None:
            self._scanned_images = [entry for k in self.scanned for entry in k.images]
        return self._scanned_images

    def builds(self, file: Path) -> tuple[Build, ...]:
        """Every way the kustomizations in view (those of the scan, and those in ``file``'s folder
        and above) build ``file``, each up to its root; empty when none of them lists it.

        Unlike :meth:`covering`, only kustomizations that really list the file (through their
        bases and components) count: what a build *gives* the file (a namespace, an image tag)
        must be what kustomize does, not a guess that only serves to keep a rule quiet.
        """
        found = self._builds.get(file)
        if found is None:
            norm = self._norm(file)
            if not self._scan_walked:  # once: every file of a big scan asks
                for k in self.scanned:
                    self._walk(k)
                self._scan_walked = True
            for k in self._disk_above(norm.parent):
                self._walk(self._canonical(k.folder) or k)
            found = self._builds[file] = tuple(Build(steps) for steps in self._steps_up(norm, set()))
        return found

    def patched_by(self, file: Path) -> list[Kustomization]:
        """The kustomizations that merge ``file`` as a patch, among those :meth:`builds` has
        followed (ask :meth:`builds` about ``file`` first)."""
        return self._patch_of.get(self._norm(file), [])

    def _canonical(self, folder: Path) -> Kustomization | None:
        """The kustomization kustomize reads in ``folder``: the scan's object when the scan holds
        it (its fields have positions), else the file on disk."""
        if self._located is None:
            self._located = {}
            for k in self.scanned:
                if k.source is not None and k.source.path is not None and k.source.path.name in KUSTOMIZATION_NAMES:
                    self._located.setdefault(k.folder, k)
        return self._located.get(folder) or self.at(folder)

    def _walk(self, k: Kustomization) -> None:
        """Record, for everything ``k`` lists and (recursively) everything that lists, who lists it."""
        stack = [k]
        while stack:
            k = stack.pop()
            if id(k) in self._walked:
                continue
            self._walked.add(id(k))
            for path in k.patch_set:
                self._patch_of.setdefault(path, []).append(k)
            components = k.component_paths
            for path in dict.fromkeys(k.include_paths):
                index = components.index(path) if path in components else None
                self._parents.setdefault(path, []).append((k, index))
                sub = self._canonical(path)  # None for a file
                if sub is not None:
                    stack.append(sub)

    def _steps_up(self, path: Path, visiting: set[Path]) -> list[tuple[Kustomization, ...]]:
        """The transformer steps from the kustomizations that list ``path`` up to each root
        (kept per path: the bases of a diamond of overlays are asked again and again)."""
        if path in self._up:
            return self._up[path]
        if path in visiting:
            return []  # a cycle, which kustomize rejects
        visiting.add(path)
        out: list[tuple[Kustomization, ...]] = []
        for k, index in self._parents.get(path, []):
            later = k.component_paths if index is None else k.component_paths[index + 1 :]
            here = (*(c for c in map(self._canonical, later) if c is not None), k)
            above = self._steps_up(k.folder, visiting)
            out.extend((*here, *up) for up in above) if above else out.append(here)
            if len(out) >= MAX_BUILDS:
                break
        visiting.discard(path)
        found = self._up[path] = out[:MAX_BUILDS]
        return found

    def skaffold_images(self, file: Path) -> frozenset[str]:
        """Images that a Skaffold config in a parent folder builds (and tags) itself."""
        if file not in self._built_by_skaffold:
            self._built_by_skaffold[file] = self._skaffold_above(self._norm(file).parent)
        return self._built_by_skaffold[file]


def view_of(objects: Iterable[K8sObject], files: Iterable[SourceFile] = ()) -> KustomizeView:
    """The view of a scan that holds ``objects`` and ``files``: its kustomizations (objects of
    kind Kustomization, and kustomization files that name no kind, which kustomize reads all the
    same), then its components."""
    found: dict[str, list[Kustomization]] = {"Kustomization": [], "Component": []}
    for obj in objects:
        if obj.kind in found and obj.group == KUSTOMIZE_GROUP and obj.file.path is not None:
            found[obj.kind].append(Kustomization(_norm(obj.file.path).parent, obj.root, obj, obj.file))
    kindless = [
        Kustomization(_norm(f.path).parent, f.documents[0].root, None, f)
        for f in files
        if f.path is not None and f.path.name in KUSTOMIZATION_NAMES and f.documents
        if f.documents[0].root.get("kind") is None and f.documents[0].root.get("apiVersion") is None
    ]
    return KustomizeView([*found["Kustomization"], *kindless, *found["Component"]])


def give_namespaces(
    objects: Iterable[K8sObject], files: Iterable[SourceFile] = (), view: KustomizeView | None = None
) -> KustomizeView:
    """Set :attr:`K8sObject.given_namespaces` of every object that a kustomization builds, and
    return the view (for :func:`share`). ``view`` is one made before from the same
    kustomizations (the editor workspace keeps it while no kustomization changes): what it
    worked out per file is reused.

    This is the one notion of the namespace Kustomize gives an object: the object ids of the
    findings, the messages that name a namespace and the matching of objects with each other
    (``effective_namespace``) all follow it, so a Deployment in a kustomization that says
    ``namespace: shop`` is ``Deployment/shop/web`` everywhere, as it is once applied. It must be
    set before anything reads an object's namespace (the scan index is keyed on it).
    """
    objects = list(objects)
    view = view or view_of(objects, files)
    built: dict[tuple[str, str | None], list[tuple[K8sObject, tuple[Build, ...]]]] = {}
    unbuilt: list[K8sObject] = []
    for obj in objects:
        path = obj.file.path
        if obj.given_namespaces:  # given by an earlier run (the workspace): worked out afresh
            obj.given_namespaces = ()
        obj.__dict__.pop("effective_namespace", None)  # read before, it must follow what is given
        if path is None or not obj.namespaced:
            continue
        builds = view.builds(path)
        if any(b.namespace for b in builds):
            obj.given_namespaces = _namespaces(obj, builds)
            built.setdefault((obj.kind, obj.name), []).append((obj, builds))
        elif not builds and obj.namespace is None:
            unbuilt.append(obj)
    for patch in unbuilt:  # a patch without a namespace: merged into objects of the same kind and name
        assert patch.file.path is not None
        mergers = {k.folder for k in view.patched_by(patch.file.path)}
        if not mergers:
            continue
        found = {
            ns
            for target, builds in built.get((patch.kind, patch.name), [])
            for ns in _namespaces(target, [b for b in builds if mergers & {k.folder for k in b.steps}])
        }
        if found - {"default"}:
            patch.given_namespaces = tuple(sorted(found))
            patch.__dict__.pop("effective_namespace", None)
    return view


def _namespaces(obj: K8sObject, builds: Iterable[Build]) -> tuple[str, ...]:
    """The namespaces ``builds`` put ``obj`` in (a build that sets none keeps the written one)."""
    return tuple(sorted({b.namespace or obj.namespace or "default" for b in builds}))


def share(index: ScanIndex, view: KustomizeView) -> None:
    """Let the rules of the scan of ``index`` ask ``view`` (see :func:`kustomize`): the view that
    gave the objects their namespaces, with the kustomization files that name no kind."""
    index.cached(KustomizeView, lambda: view)


def kustomize(ctx: RuleContext) -> KustomizeView:
    """The view of this scan: the one the engine shared, else built lazily from the scan's
    Kustomization and Component objects (looked up by kind, so that the editor workspace knows
    what it was made from), then shared by every rule of the scan."""
    index = ctx.index

    def build() -> KustomizeView:
        return view_of(
            [*index.of_kind("Kustomization", group=KUSTOMIZE_GROUP), *index.of_kind("Component", group=KUSTOMIZE_GROUP)]
        )

    return index.cached(KustomizeView, build, lasting=True)


#: ``manager_auth_proxy_patch.yaml``, ``replicas-patch.yaml``, ``patch.yaml``: "patch" as a word of the name.
_PATCH_NAME = re.compile(r"(?:^|[^a-z])patch(?:es)?(?:[^a-z]|$)")


def looks_partial(obj: K8sObject) -> bool:
    """A workload the API server would reject as it stands, the way patches are written: a
    container without an image, or an ``apps`` controller without ``spec.selector``."""
    if not isinstance(obj, Workload):
        return False
    if obj.group == "apps" and not obj.spec.get("selector"):
        return True  # required in apps/v1
    return any(not c.spec.get("image") for c in obj.iter_containers())


def is_kustomize_patch(obj: K8sObject, ctx: RuleContext) -> bool:
    """A partial object that a kustomization merges into its base: it lacks fields on purpose.

    Either a kustomization we can see lists its file as a patch, or the file is named like a
    patch and the object is partial (a scan often holds a patch without its kustomization).
    """
    path = obj.file.path
    if path is None:
        return False
    if kustomize(ctx).is_patch(path):
        return True
    return bool(_PATCH_NAME.search(path.stem.lower())) and looks_partial(obj)
