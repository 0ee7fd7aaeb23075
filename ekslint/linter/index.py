"""An index of every object in a scan, for the rules that compare objects.

Cross-object rules (PDB vs workload, Service vs pods, HPA vs target) look objects up by kind,
namespace and name, and select pod templates with label selectors. The index also answers the
partial-input question of ``rules.md``: does the scan hold any object of a kind in a namespace?
A rule that reports something *missing* stays silent when it does not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

from ekslint.linter.loader import SourceFile
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.selectors import (
    is_empty_label_selector,
    label_selector_matches,
    label_str,
    map_selector_matches,
)

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster

T = TypeVar("T", bound=K8sObject)
V = TypeVar("V")


@lru_cache(maxsize=8192)
def _folder_parts(path: str, real: bool) -> tuple[str, ...]:
    return Path(path).resolve().parent.parts if real else PurePosixPath(path.replace("\\", "/")).parent.parts


def file_folder(obj: K8sObject) -> tuple[str, ...]:
    """The parts of the folder holding ``obj``'s file (resolved; stdin and rendered streams by name)."""
    return source_folder(obj.file)


def source_folder(source: SourceFile) -> tuple[str, ...]:
    """The parts of the folder holding ``source`` (see :func:`file_folder`)."""
    path = source.path
    return _folder_parts(str(path), True) if path is not None else _folder_parts(source.display, False)


def nearest(origin: K8sObject, candidates: Sequence[T]) -> list[T]:
    """The candidates closest to ``origin`` in the file tree: same file first, then the longest
    common folder prefix. Ties are all returned, in scan order.

    A name can be defined several times in one scan: Kustomize bases and overlays, one app per
    example folder, several repositories scanned together. Kubernetes would only ever see one of
    them next to ``origin``; the nearest definition is the one shipped with it.
    """
    if len(candidates) <= 1:
        return list(candidates)
    here = file_folder(origin)

    def score(c: K8sObject) -> tuple[int, int]:
        if c.file is origin.file:
            return (1, len(here))
        common = 0
        for a, b in zip(here, file_folder(c), strict=False):
            if a != b:
                break
            common += 1
        return (0, common)

    scores = [score(c) for c in candidates]
    best = max(scores)
    return [c for c, s in zip(candidates, scores, strict=True) if s == best]


class ScanIndex:
    """All objects of a scan, indexed by ``Kind`` (any group) and by (namespace, ``Kind``).

    Cross-object rules ask the same questions for every object of a kind ("which workloads of
    this namespace carry ``app: web``?"); scanning the namespace each time makes a scan
    quadratic in its size (a 50 MB install bundle puts thousands of objects in ``default``).
    The lookups below answer from tables instead, and every list keeps scan order, so rules
    that report the first match, or list matches, say the same as a full scan would.
    """

    def __init__(self, objects: Iterable[K8sObject], clusters: Iterable[Cluster] = ()) -> None:
        self.objects: list[K8sObject] = list(objects)
        #: Every EKS cluster the scan defines (eksctl, Terraform, CloudFormation): the cluster model.
        self.clusters: list[Cluster] = list(clusters)
        self._by_kind: dict[str, list[K8sObject]] = defaultdict(list)
        self._by_ns_kind: dict[tuple[str, str], list[K8sObject]] = defaultdict(list)
        self._by_ns: dict[str, list[K8sObject]] = defaultdict(list)
        for obj in self.objects:
            self._by_kind[obj.kind].append(obj)
            self._by_ns_kind[(obj.effective_namespace, obj.kind)].append(obj)
            self._by_ns[obj.effective_namespace].append(obj)
        self.workloads: list[Workload] = [o for o in self.objects if isinstance(o, Workload)]
        self._workloads_by_ns: dict[str, list[Workload]] = defaultdict(list)
        self._workloads_by_name: dict[tuple[str, str, str | None], list[Workload]] = defaultdict(list)
        for w in self.workloads:
            self._workloads_by_ns[w.effective_namespace].append(w)
            self._workloads_by_name[(w.effective_namespace, w.kind, w.name)].append(w)
        self._labelled: dict[tuple[str, Any, str], list[Workload]] | None = None
        #: Per-scan caches of rules, by name (the CEL checks' copies of what they read): they
        #: live exactly as long as the scan.
        self.caches: dict[str, Any] = {}
        self._hpas_by_target: dict[tuple[str, str, str | None], list[K8sObject]] | None = None
        self._tables: dict[Any, Any] = {}

    def cached(self, key: Any, build: Callable[[], V], *, lasting: bool = False) -> V:
        """``build()``, made once per scan (per ``key``) and kept with the index.

        Rules keep their per-scan tables here ("the Kustomizations of the scan", "the target
        version of each folder"), so a table lives exactly as long as its scan, and the editor
        workspace (:mod:`ekslint.linter.workspace`) learns what each table was made from.
        ``key`` names the table: a module-level object, or a tuple of one and a value for tables
        made part by part (one per namespace, say).

        ``lasting`` says that the table depends only on the lookups ``build`` makes (and on files
        on disk): whatever it adds to itself later is computed from those and keyed by something
        that outlives the scan (a path, a folder, an object through a weak reference). The
        workspace then keeps it for the next scan, as long as those lookups' answers stand.
        """
        tables = self._tables
        if key in tables:
            return tables[key]  # type: ignore[no-any-return]
        value = tables[key] = build()
        return value

    def of_kind(self, kind: str, *, group: str | None = None, namespace: str | None = None) -> list[K8sObject]:
        """Objects of ``kind`` (optionally of an API ``group``; '' is core) and namespace."""
        pool = self._by_kind.get(kind, []) if namespace is None else self._by_ns_kind.get((namespace, kind), [])
        if group is None:
            return list(pool)
        return [o for o in pool if o.group == group]

    def has_kind(self, kind: str, namespace: str | None = None, *, group: str | None = None) -> bool:
        """Partial-input policy: does the scan hold any ``kind`` (of API ``group``, in ``namespace``)?"""
        pool = self._by_kind.get(kind, []) if namespace is None else self._by_ns_kind.get((namespace, kind), [])
        return any(o.group == group for o in pool) if group is not None else bool(pool)

    def get(self, kind: str, name: str, namespace: str | None = None, *, group: str | None = None) -> K8sObject | None:
        for obj in self.of_kind(kind, group=group, namespace=namespace):
            if obj.name == name:
                return obj
        return None

    def objects_in(self, namespace: str) -> list[K8sObject]:
        """Objects whose effective namespace is ``namespace`` ('' for cluster-scoped ones)."""
        return list(self._by_ns.get(namespace, ()))

    def workloads_in(self, namespace: str) -> Iterator[Workload]:
        """Workloads in ``namespace``, each taken as a source of pods (a Pod is its own): the
        Jobs a CronJob makes or the ReplicaSets of a Deployment are not in static manifests."""
        return iter(self._workloads_by_ns.get(namespace, ()))

    def workloads_named(self, namespace: str, kind: Any, name: Any) -> list[Workload]:
        """Workloads in ``namespace`` whose ``kind`` and ``name`` equal these (``name`` None:
        the unnamed ones). Values read from a manifest may be of any type; a kind that is not a
        string, or a name that is neither a string nor None, names no workload."""
        if not isinstance(kind, str) or not (name is None or isinstance(name, str)):
            return []
        return list(self._workloads_by_name.get((namespace, kind, name), ()))

    def workloads_labelled(self, namespace: str, key: Any, value: Any) -> list[Workload]:
        """Workloads in ``namespace`` whose pod template has label ``key`` with ``value``,
        compared as label text (``true`` is ``"true"``), as selectors compare them.

        Selector rules use it to narrow the workloads they test to those carrying one of the
        selector's pairs, instead of testing every workload of the namespace.
        """
        if self._labelled is None:
            labelled: dict[tuple[str, Any, str], list[Workload]] = defaultdict(list)
            for w in self.workloads:
                for k, v in w.template_labels.items():
                    labelled[(w.effective_namespace, k, label_str(v))].append(w)
            self._labelled = labelled
        return list(self._labelled.get((namespace, key, label_str(value)), ()))

    def selected_by(self, selector: Any, namespace: str) -> list[Workload]:
        """Workloads in ``namespace`` whose pod template a LabelSelector selects."""
        return [w for w in self.workloads_in(namespace) if label_selector_matches(selector, w.template_labels)]

    def selected_by_map(self, selector: Any, namespace: str) -> list[Workload]:
        """Workloads in ``namespace`` whose pod template a Service-style map selector selects.

        Every pair must be on the template, so the workloads carrying the rarest pair are the
        only candidates."""
        if not isinstance(selector, Mapping) or not selector:
            return []
        candidates = min((self.workloads_labelled(namespace, key, value) for key, value in selector.items()), key=len)
        return [w for w in candidates if map_selector_matches(selector, w.template_labels)]

    # -- HorizontalPodAutoscalers and PodDisruptionBudgets -------------------------------------

    def hpas_for(self, workload: Workload) -> list[K8sObject]:
        """HPAs (any autoscaling version) whose scaleTargetRef names ``workload``."""
        if self._hpas_by_target is None:
            by_target: dict[tuple[str, str, str | None], list[K8sObject]] = defaultdict(list)
            for hpa in self.of_kind("HorizontalPodAutoscaler", group="autoscaling"):
                ref = hpa.spec.get("scaleTargetRef")
                kind, name = (ref.get("kind"), ref.get("name")) if isinstance(ref, dict) else (None, None)
                # only a string kind, and a string or no name, can equal a workload's
                if isinstance(kind, str) and (name is None or isinstance(name, str)):
                    by_target[(hpa.effective_namespace, kind, name)].append(hpa)
            self._hpas_by_target = by_target
        return list(self._hpas_by_target.get((workload.effective_namespace, workload.kind, workload.name), ()))

    def pdbs_for(self, workload: Workload) -> list[K8sObject]:
        """PodDisruptionBudgets in the workload's namespace whose selector selects its pods."""
        return [
            pdb
            for pdb in self.of_kind("PodDisruptionBudget", group="policy", namespace=workload.effective_namespace)
            if label_selector_matches(pdb.spec.get("selector"), workload.template_labels)
            # policy/v1beta1: an empty selector selects nothing (policy/v1: everything)
            and not (pdb.version == "v1beta1" and is_empty_label_selector(pdb.spec.get("selector")))
        ]
