"""Shared logic of the cross-object rules: what a Service selects, which ports pods declare,
which definition a name resolves to, and when the scan can be trusted to be complete.

Three facts of real repositories shape these helpers:

* Controllers add labels to the pods they create (``job-name``, ``statefulset.kubernetes.io/
  pod-name``, ``pod-template-hash``...). Services select on them (headless Services for a Job,
  one Service per StatefulSet replica), so they must count as pod labels.
* A name is often defined more than once in one scan (Kustomize bases and overlays, one app per
  example folder): a reference resolves to the nearest definition, as it would when applied.
* A repository often holds only part of what runs in a namespace (an Ingress for a chart
  installed by Helm, pods created by an operator from a custom resource, Kustomize patches of a
  remote base). A rule reporting something *missing* needs evidence that the objects it searched
  are the ones shipped with the reference: see :func:`in_scope` and :func:`scope_evidence`.
"""

from __future__ import annotations

import posixpath
import re
import weakref
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex, source_folder
from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.loader import SourceFile
from ekslint.linter.model import K8sObject, Workload

T = TypeVar("T", bound=K8sObject)

#: IANA_SVC_NAME as the API server validates port names: 1-15 lowercase letters, digits and
#: single inner hyphens, with at least one letter. Anything else is a template placeholder
#: (``${PORT}``, ``PORT``) or a value the API server rejects, not a name to look up.
PORT_NAME_RE = LazyPattern(r"^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*$")

_JOB_KINDS = frozenset({"Job.batch", "CronJob.batch"})
_STS_KINDS = frozenset({"StatefulSet.apps", "StatefulSet.extensions"})
_DS_KINDS = frozenset({"DaemonSet.apps", "DaemonSet.extensions"})
_DEPLOY_KINDS = frozenset({"Deployment.apps", "Deployment.extensions", "ReplicaSet.apps", "ReplicaSet.extensions"})
_ROLLOUT = "Rollout.argoproj.io"

#: Pods of EKS default add-ons (CoreDNS, VPC CNI, kube-proxy, Pod Identity agent): always in
#: ``kube-system`` of an EKS cluster, never in the repository.
EKS_ADDON_POD_LABELS = frozenset(
    {
        ("k8s-app", "kube-dns"),
        ("k8s-app", "aws-node"),
        ("k8s-app", "kube-proxy"),
        ("app.kubernetes.io/name", "eks-pod-identity-agent"),
    }
)

#: Custom resource kinds (``Kind.group``) known not to create pods. Any other custom resource
#: may be an operator's input (Prometheus, a Postgres cluster, a LeaderWorkerSet) whose pods
#: carry labels no manifest shows.
NON_POD_CUSTOM_KINDS = frozenset(
    {
        "ServiceMonitor.monitoring.coreos.com",
        "PodMonitor.monitoring.coreos.com",
        "PrometheusRule.monitoring.coreos.com",
        "Probe.monitoring.coreos.com",
        "TargetGroupBinding.elbv2.k8s.aws",
        "IngressClassParams.elbv2.k8s.aws",
    }
)
NON_POD_CUSTOM_GROUPS = frozenset({"cert-manager.io", "external-secrets.io", "secrets-store.csi.x-k8s.io"})


def _s(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- which pods a Service selects ---------------------------------------------------------------


def service_selector(svc: K8sObject) -> dict[str, Any] | None:
    """The Service's pod selector, or ``None`` when it manages no endpoints itself.

    ExternalName Services and Services without a selector (endpoints managed by hand or by
    another controller) select no pods, by design.
    """
    if svc.spec.get("type") == "ExternalName":
        return None
    selector = svc.spec.get("selector")
    if not isinstance(selector, dict) or not selector:
        return None
    return selector


#: Every label key that :func:`_controller_label` may accept: the only keys a pod can carry
#: without its template saying so. Keep the two in step.
CONTROLLER_LABEL_KEYS = frozenset(
    {
        "job-name",
        "batch.kubernetes.io/job-name",
        "controller-uid",
        "batch.kubernetes.io/controller-uid",
        "batch.kubernetes.io/job-completion-index",
        "statefulset.kubernetes.io/pod-name",
        "apps.kubernetes.io/pod-index",
        "controller-revision-hash",
        "pod-template-generation",
        "pod-template-hash",
        "rollouts-pod-template-hash",
    }
)


def _controller_label(w: Workload, key: str, value: str) -> bool:
    """Does the workload's controller put ``key: value`` on the pods it creates?"""
    gk, name = w.gk, w.name or ""
    if gk in _JOB_KINDS:
        if key in ("job-name", "batch.kubernetes.io/job-name"):
            # A CronJob's Jobs are named <cronjob>-<scheduled time>.
            return value == name if gk == "Job.batch" else value.startswith(f"{name}-")
        return key in (
            "controller-uid",
            "batch.kubernetes.io/controller-uid",
            "batch.kubernetes.io/job-completion-index",
        )
    if gk in _STS_KINDS:
        if key == "statefulset.kubernetes.io/pod-name":
            return re.fullmatch(re.escape(name) + r"-\d+", value) is not None
        if key == "apps.kubernetes.io/pod-index":
            return value.isdigit()
        return key == "controller-revision-hash"
    if gk in _DS_KINDS:
        return key in ("controller-revision-hash", "pod-template-generation")
    if gk in _DEPLOY_KINDS:
        return key == "pod-template-hash"
    if gk == _ROLLOUT:
        return key == "rollouts-pod-template-hash"
    return False


def pods_match(selector: Mapping[str, Any], w: Workload) -> bool:
    """Does a Service-style map selector select the pods ``w`` creates? Template labels plus
    the labels its controller adds; an empty selector selects nothing."""
    if not selector:
        return False
    labels = w.template_labels
    for key, value in selector.items():
        if key in labels:
            if _s(labels[key]) != _s(value):
                return False
        elif not _controller_label(w, str(key), _s(value)):
            return False
    return True


def candidate_workloads(index: ScanIndex, namespace: str, selector: Mapping[str, Any]) -> list[Workload]:
    """The workloads of ``namespace`` that :func:`pods_match` may accept for ``selector``, in
    scan order: a superset of the matches, much smaller than the namespace.

    A pod carries a label its controller does not add (see :data:`CONTROLLER_LABEL_KEYS`) only
    when its template does, so any such pair of the selector must be a template label of every
    match; the workloads carrying the rarest of those pairs are the candidates. A selector made
    only of controller-added keys leaves the whole namespace.
    """
    narrowed = [
        index.workloads_labelled(namespace, key, _s(value))
        for key, value in selector.items()
        if str(key) not in CONTROLLER_LABEL_KEYS
    ]
    return min(narrowed, key=len) if narrowed else list(index.workloads_in(namespace))


def selected_workloads(ctx: RuleContext, svc: K8sObject) -> list[Workload]:
    """The workloads whose pods ``svc`` selects, in scan order."""
    selector = service_selector(svc)
    if selector is None:
        return []
    candidates = candidate_workloads(ctx.index, svc.effective_namespace, selector)
    return [w for w in candidates if pods_match(selector, w)]


def format_selector(selector: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in selector.items())


def selects_eks_addon(svc: K8sObject, selector: Mapping[str, Any]) -> bool:
    return svc.effective_namespace == "kube-system" and any(
        (str(k), _s(v)) in EKS_ADDON_POD_LABELS for k, v in selector.items()
    )


# -- ports ---------------------------------------------------------------------------------------


def named_ports(w: Workload) -> dict[str, set[str]]:
    """Container port names of a workload's pods and their protocols (default TCP).

    Endpoints resolve a named ``targetPort`` in ``spec.containers`` and in sidecar init
    containers (``restartPolicy: Always``), matching name and protocol.
    """
    out: dict[str, set[str]] = {}
    for c in w.iter_containers(init=True):
        if c.is_init and not c.is_sidecar:
            continue
        for p in c.ports:
            name = p.get("name")
            if isinstance(name, str) and name:
                out.setdefault(name, set()).add(str(p.get("protocol") or "TCP"))
    return out


def service_ports(svc: K8sObject) -> list[tuple[int, dict[str, Any]]]:
    ports = svc.spec.get("ports")
    return [(i, p) for i, p in enumerate(ports) if isinstance(p, dict)] if isinstance(ports, list) else []


def core_services(ctx: RuleContext, namespace: str) -> list[K8sObject]:
    """Core ``v1`` Services in ``namespace`` (not Knative's ``serving.knative.dev`` Service)."""
    return ctx.index.of_kind("Service", group="", namespace=namespace)


# -- several definitions of one name ---------------------------------------------------------------


def same_object(w: Workload, ctx: RuleContext) -> list[Workload]:
    """Every workload of the scan with ``w``'s kind, name and namespace, ``w`` first.

    Kustomize strategic-merge patches are partial copies of the object they patch (a patch that
    adds a sidecar and its named port, say); facts found in any copy count for the object.
    """
    return [w] + [o for o in ctx.index.workloads_named(w.effective_namespace, w.kind, w.name) if o is not w]


# -- what is applied together -------------------------------------------------------------------

KUSTOMIZATION_KINDS = frozenset({"Kustomization.kustomize.config.k8s.io", "Component.kustomize.config.k8s.io"})


class _Files:
    """Per scan, per file: which Kustomizations apply it (see :func:`_files`) and its folder.

    :func:`in_scope` and :func:`separate` ask about the same few files over and over (every
    workload of a namespace against every Service), so each file's facts are worked out once,
    keyed by the file's id (every file outlives the scan's index).
    """

    def __init__(self, by_path: dict[str, frozenset[int]]) -> None:
        #: normalised file path -> ids of the Kustomizations that apply it
        self.by_path = by_path
        self._units: dict[int, frozenset[int]] = {}
        self._folders: dict[int, tuple[str, ...]] = {}

    def units(self, source: SourceFile) -> frozenset[int]:
        found = self._units.get(id(source))
        if found is None:
            found = self._units[id(source)] = self.by_path.get(_norm(source.display), frozenset())
        return found

    def folder(self, source: SourceFile) -> tuple[str, ...]:
        found = self._folders.get(id(source))
        if found is None:
            found = self._folders[id(source)] = source_folder(source)
        return found


_FILES: weakref.WeakKeyDictionary[ScanIndex, _Files] = weakref.WeakKeyDictionary()


def _norm(display: str) -> str:
    return posixpath.normpath(display.replace("\\", "/"))


def _entries(value: Any) -> list[str]:
    """Local paths of a kustomization list (remote URLs are not in the scan anyway)."""
    out = []
    for item in value if isinstance(value, list) else []:
        path = item.get("path") if isinstance(item, dict) else item
        if isinstance(path, str) and path and "://" not in path and not path.startswith(("github.com/", "git@")):
            out.append(path)
    return out


def _files(index: ScanIndex) -> _Files:
    """For every file that a Kustomization of the scan applies (its resources, bases,
    components and strategic-merge patches, following local kustomization folders), the ids of
    the Kustomizations that apply it."""
    cached = _FILES.get(index)
    if cached is not None:
        return cached
    by_dir = {posixpath.dirname(_norm(o.file.display)): o for o in index.objects if o.gk in KUSTOMIZATION_KINDS}

    def closure(folder: str, seen: set[str]) -> set[str]:
        k = by_dir.get(folder)
        if k is None or folder in seen:
            return set()
        seen.add(folder)
        out = {_norm(k.file.display)}
        lists = [k.root.get(key) for key in ("resources", "bases", "components", "patchesStrategicMerge", "patches")]
        for entry in (e for value in lists for e in _entries(value)):
            path = posixpath.normpath(posixpath.join(folder, entry))
            out |= closure(path, seen) if path in by_dir else {path}
        return out

    members: dict[str, set[int]] = {}
    for unit_id, folder in enumerate(by_dir):
        for path in closure(folder, set()):
            members.setdefault(path, set()).add(unit_id)
    files = _FILES[index] = _Files({path: frozenset(ids) for path, ids in members.items()})
    return files


def separate(index: ScanIndex, a: K8sObject, b: K8sObject) -> bool:
    """Are ``a`` and ``b`` known to be applied separately: both files belong to Kustomizations
    of the scan, and no Kustomization applies both (two example modules of one repository)?"""
    if a.file is b.file:
        return False
    files = _files(index)
    ua, ub = files.units(a.file), files.units(b.file)
    return bool(ua) and bool(ub) and not (ua & ub)


def in_scope(origin: K8sObject, other: K8sObject, index: ScanIndex | None = None) -> bool:
    """Is ``other`` shipped with ``origin``?

    Same file; or a Kustomization of the scan applies both; or, when Kustomize does not tell,
    the same folder or a folder above or below. Sibling folders (``overlays/prod`` vs
    ``modules/ingress``) are often applied separately, so an object there is no evidence that
    the scan holds everything ``origin`` refers to.
    """
    source, other_source = origin.file, other.file
    if other_source is source:
        return True
    if index is None:
        a, b = source_folder(source), source_folder(other_source)
    else:
        files = _files(index)
        ua, ub = files.units(source), files.units(other_source)
        if ua & ub:
            return True
        if ua and ub:
            return False
        a, b = files.folder(source), files.folder(other_source)
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def near(origin: K8sObject, other: K8sObject, index: ScanIndex) -> bool:
    """:func:`in_scope`, or folders side by side (``k8s/deployments`` and ``k8s/hpa``): close
    enough for a reference to resolve to the only definition of its name."""
    if in_scope(origin, other, index):
        return True
    if separate(index, origin, other):
        return False
    files = _files(index)
    a, b = files.folder(origin.file), files.folder(other.file)
    return len(a) == len(b) and a[:-1] == b[:-1]


def is_fragment(w: Workload) -> bool:
    """A Kustomize patch or a partial copy: a template without labels, no containers, or a
    container without an image. It proves the whole object lives elsewhere, so it is no evidence of completeness."""
    if not w.is_pod and w.get(*w.template_meta_path, "labels") is None:
        return True
    containers = list(w.iter_containers(init=False))
    return not containers or any(not c.spec.get("image") for c in containers)


def may_create_pods(obj: K8sObject) -> bool:
    """A custom resource that an operator may turn into pods (any but a few known kinds)."""
    group = obj.group
    builtin = not group or "." not in group or group.endswith(".k8s.io")
    return not (
        builtin or isinstance(obj, Workload) or obj.gk in NON_POD_CUSTOM_KINDS or group in NON_POD_CUSTOM_GROUPS
    )


def scope_evidence(ctx: RuleContext, origin: K8sObject, objects: Iterable[T]) -> list[T]:
    """The objects of ``objects`` that are shipped with ``origin`` (see :func:`in_scope`).

    :func:`in_scope` depends only on the two objects' files, so it is decided once per file:
    a namespace's objects mostly share a few files.
    """
    shipped: dict[int, bool] = {}  # id of the file -> verdict (every file outlives this call)
    out = []
    for o in objects:
        verdict = shipped.get(id(o.file))
        if verdict is None:
            verdict = shipped[id(o.file)] = in_scope(origin, o, ctx.index)
        if verdict:
            out.append(o)
    return out
