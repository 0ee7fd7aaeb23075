"""PodDisruptionBudget semantics shared by the PDB rules, as the API server and the disruption
controller (``pkg/controller/disruption``) implement them.

Selectors: a null selector selects no pods. An empty selector ``{}`` selects every pod in the
namespace in ``policy/v1``, but nothing in ``policy/v1beta1`` (the API server converts it to a
match-nothing selector to keep the old behaviour). Malformed selectors are rejected by the API
server, so no conclusion is drawn from them.

Budgets: ``minAvailable`` and ``maxUnavailable`` are int-or-percent; setting both is invalid.
Allowed disruptions = healthy pods - desired healthy, where

* ``maxUnavailable`` (int or %): desired healthy = expected - maxUnavailable; a percentage is of
  the expected count (sum of the scale of the pods' controllers), rounded up;
* ``minAvailable`` int: desired healthy = minAvailable, and the expected count is the number of
  selected pods;
* ``minAvailable`` %: desired healthy = percentage of the expected count, rounded up;
* neither set: expected count 0, so the controller allows 0 disruptions (fail closed).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterator
from typing import Any, NamedTuple

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex
from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.selectors import is_empty_label_selector, is_valid_label_selector, valid_selector_matches
from ekslint.rules.availability._overlays import build_labels, build_namespaces, is_patch, objects_of, workloads_in
from ekslint.rules.availability._workloads import Desired, desired, pod_source

PDB_KIND = "PodDisruptionBudget"
PDB_GROUP = "policy"
PDB_GK = "PodDisruptionBudget.policy"
PERCENT_RE = LazyPattern(r"^(\d+)%$")

#: API groups of Kubernetes itself. Objects of any other group are custom resources, and an
#: operator may run pods for them (Prometheus, Alertmanager, Kafka clusters, Knative Services).
BUILTIN_GROUPS = frozenset(
    {
        "",
        "apps",
        "batch",
        "policy",
        "autoscaling",
        "extensions",
        "networking.k8s.io",
        "rbac.authorization.k8s.io",
        "storage.k8s.io",
        "apiextensions.k8s.io",
        "admissionregistration.k8s.io",
        "scheduling.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "node.k8s.io",
        "certificates.k8s.io",
        "events.k8s.io",
        "flowcontrol.apiserver.k8s.io",
        "apiregistration.k8s.io",
        "resource.k8s.io",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "kustomize.config.k8s.io",
    }
)


def pdbs_in(ctx: RuleContext, namespace: str) -> list[K8sObject]:
    """PodDisruptionBudgets (policy/v1 and v1beta1) of a namespace, in scan order (no patches)."""
    return objects_of(ctx, PDB_KIND, PDB_GROUP, namespace)


def selector_problem(pdb: K8sObject) -> str | None:
    """Why the PDB's selector selects no pod whatever the namespace holds; ``None`` when it can
    select pods. Malformed selectors also return ``None``: the API server rejects them."""
    sel = pdb.spec.get("selector")
    if sel is None:
        return "has no selector, and a PDB without a selector selects no pods"
    if is_valid_label_selector(sel) and is_empty_label_selector(sel) and pdb.version == "v1beta1":
        return (
            "has an empty selector, which policy/v1beta1 reads as 'select no pods' "
            "(only policy/v1 reads {} as every pod)"
        )
    return None


def selects(pdb: K8sObject, labels: dict[str, Any]) -> bool:
    """Does the PDB select pods with ``labels`` (in its namespace)?"""
    sel = pdb.spec.get("selector")
    if sel is None or not is_valid_label_selector(sel):
        return False
    if is_empty_label_selector(sel):
        return pdb.version != "v1beta1"
    return valid_selector_matches(sel, labels)


def pod_labels(workload: Workload, ctx: RuleContext) -> dict[str, Any] | None:
    """The labels the workload's pods carry (``None``: its template is not in the scan)."""
    source = pod_source(workload, ctx)
    return None if source is None else source.template_labels


#: Per scan: (id of a PDB, templates) -> the workloads it selects. pdb-overlap compares every PDB
#: of a namespace with every earlier one, and other PDB rules ask again.
_SELECTED: weakref.WeakKeyDictionary[ScanIndex, dict[tuple[int, bool], list[Workload]]] = weakref.WeakKeyDictionary()


def selected_workloads(pdb: K8sObject, ctx: RuleContext, *, templates: bool = False) -> Iterator[Workload]:
    """Workloads in the PDB's namespace whose pods it selects (kustomize patches left out).
    PodTemplate objects run no pods and are left out unless ``templates``."""
    per_scan = _SELECTED.setdefault(ctx.index, {})
    key = (id(pdb), templates)  # the PDB lives as long as the scan's index
    found = per_scan.get(key)
    if found is None:
        found = per_scan[key] = [
            w
            for w in workloads_in(ctx, pdb.effective_namespace)
            if (templates or w.gk != "PodTemplate")
            and (labels := pod_labels(w, ctx)) is not None
            and selects(pdb, labels)
        ]
    return iter(found)


class IntOrPercent(NamedTuple):
    """A parsed int-or-percent budget value."""

    number: int | None = None
    percent: int | None = None

    def __str__(self) -> str:
        return f"{self.percent}%" if self.percent is not None else str(self.number)

    def scaled(self, total: int) -> int:
        """The value against ``total`` pods, percentages rounded up (as the controller does)."""
        if self.percent is None:
            return self.number or 0
        return math.ceil(total * self.percent / 100)


def parse_budget(value: Any) -> IntOrPercent | None:
    """An int or ``"N%"`` the API server accepts (``None`` when it would reject it)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return IntOrPercent(number=value) if value >= 0 else None
    if isinstance(value, str):
        percent = _percent(value)
        if percent is not None and percent <= 100:
            return IntOrPercent(percent=percent)
    return None


def _percent(text: str) -> int | None:
    """N of ``"N%"`` (leading zeros allowed, as the API server's Atoi does); a number of more
    than three digits is returned as 1000: over 100% either way, and ``int()`` of thousands of
    digits raises."""
    m = PERCENT_RE.match(text.strip())
    if m is None:
        return None
    digits = m.group(1).lstrip("0") or "0"
    return int(digits) if len(digits) <= 3 else 1000


def over_100_percent(value: Any) -> bool:
    """A percentage above 100%, which the API server rejects (``IsNotMoreThan100Percent``)."""
    percent = _percent(value) if isinstance(value, str) else None
    return percent is not None and percent > 100


class Selection(NamedTuple):
    """The workloads a PDB selects in the scan, with their desired counts."""

    members: list[tuple[Workload, Desired]]

    def total(self, *, percent: bool) -> int | None:
        """Expected pod count, or ``None`` when some member's count is not known statically.

        For percentages the controller counts only pods that have a controller with a scale;
        a bare Pod's share is then unclear, so it makes the total unknown too."""
        counts = []
        for w, d in self.members:
            if d.pods is None or (percent and w.is_pod):
                return None
            counts.append(d.pods)
        return sum(counts)

    def describe(self) -> str:
        parts = [f"{w.ref}: {d.why}" for w, d in self.members[:3]]
        if len(self.members) > 3:
            parts.append(f"and {len(self.members) - 3} more")
        return "; ".join(parts)


def selection(pdb: K8sObject, ctx: RuleContext) -> Selection:
    return Selection([(w, desired(w, ctx)) for w in selected_workloads(pdb, ctx)])


def selector_text(selector: Any) -> str:
    """A short, kubectl-like rendering of a LabelSelector for messages."""
    if not isinstance(selector, dict):
        return repr(selector)
    parts = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or []:
        if isinstance(expr, dict):
            op, key, values = expr.get("operator"), expr.get("key"), expr.get("values") or []
            if op in ("In", "NotIn"):
                parts.append(f"{key} {str(op).lower()} ({','.join(str(v) for v in values)})")
            elif op == "Exists":
                parts.append(str(key))
            else:
                parts.append(f"!{key}")
    return ",".join(parts) or "{}"


def _label_maps(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every mapping kept under a ``labels`` key below ``node`` (pod metadata of a custom resource)."""
    if depth > 8:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "labels" and isinstance(value, dict):
                yield value
            else:
                yield from _label_maps(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from _label_maps(item, depth + 1)


#: Per scan: namespace -> its custom resources (no patches) that may run pods, each with every
#: label map it carries (see :func:`custom_pod_sources`): every PDB of the namespace asks.
_CUSTOM_SOURCES: weakref.WeakKeyDictionary[ScanIndex, dict[str, list[tuple[K8sObject, list[dict[str, Any]]]]]] = (
    weakref.WeakKeyDictionary()
)


def _custom_resources(ctx: RuleContext, namespace: str) -> list[tuple[K8sObject, list[dict[str, Any]]]]:
    per_scan = _CUSTOM_SOURCES.setdefault(ctx.index, {})
    found = per_scan.get(namespace)
    if found is None:
        found = per_scan[namespace] = [
            (obj, [obj.labels, *_label_maps(obj.root.get("spec"))])
            for obj in ctx.index.objects_in(namespace)  # namespaced objects only: a PDB's namespace is not ''
            if not (obj.group in BUILTIN_GROUPS or isinstance(obj, Workload) or is_patch(obj, ctx))
        ]
    return found


def custom_pod_sources(pdb: K8sObject, ctx: RuleContext) -> list[K8sObject]:
    """Custom resources in the PDB's namespace that may run the pods it selects.

    Operators create pods from custom resources (the Prometheus operator from a ``Prometheus``)
    and label them with the resource's labels or with pod metadata from its spec. A resource
    whose ``metadata.labels`` or any ``labels`` map in its ``spec`` the selector matches is taken
    as a source of selected pods whose number is not known statically.
    """
    return [
        obj for obj, maps in _custom_resources(ctx, pdb.effective_namespace) if any(m and selects(pdb, m) for m in maps)
    ]


def other_namespaces(pdb: K8sObject, ctx: RuleContext) -> list[Workload]:
    """Workloads in *other* namespaces that the PDB's selector would match (a misplaced PDB)."""
    return [
        w
        for w in ctx.index.workloads
        if w.effective_namespace != pdb.effective_namespace
        and w.gk != "PodTemplate"
        and not is_patch(w, ctx)
        and (labels := pod_labels(w, ctx)) is not None
        and selects(pdb, labels)
    ]


def may_select(pdb: K8sObject, w: Workload, ctx: RuleContext) -> bool:
    """Could the PDB select the workload's pods once Kustomize has built both (same namespace
    after the build, labels added to the template)? For rules that claim "not selected"."""
    if not build_namespaces(pdb, ctx) & build_namespaces(w, ctx):
        return False
    labels = pod_labels(w, ctx)
    if labels is None:
        return True
    source = pod_source(w, ctx) or w
    return selects(pdb, labels) or selects(pdb, {**labels, **build_labels(source, ctx)})
