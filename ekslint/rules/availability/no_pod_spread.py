"""no-pod-spread: a workload with 2+ replicas that is not spread over nodes or zones.

Spread counts when the pod spec has pod anti-affinity (required terms, or preferred terms'
``podAffinityTerm``) or a topology spread constraint on the node or the zone key (the legacy
``failure-domain.beta.kubernetes.io/zone`` too). DaemonSets run one pod per node by design, and
Jobs/Pods have no replica count, so only replicated kinds are checked.
"""

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import build_namespaces, is_patch, overlay_mentions, overridden
from ekslint.rules.availability._workloads import desired, pod_source

SPREAD_KEYS = frozenset(
    {"kubernetes.io/hostname", "topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"}
)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _own_namespace(term: dict[str, Any], namespaces: set[str] | None) -> bool:
    """Does an affinity term look at pods of the pod's own namespace (one of ``namespaces``)?
    With neither ``namespaces`` nor a ``namespaceSelector`` it does; a ``namespaces`` list
    without it (and no selector, which would add more) makes the replicas ignore each other.
    ``None``: the pod's namespace is not known (not written: ``kubectl -n`` decides)."""
    names = term.get("namespaces")
    if namespaces is None or term.get("namespaceSelector") is not None or not isinstance(names, list) or not names:
        return True
    return bool(namespaces & {str(n) for n in names})


def topology_keys(pod_spec: dict[str, Any], namespaces: set[str] | None) -> set[str]:
    """Topology keys the pod spec spreads its pods over (pods of one of ``namespaces``)."""
    keys: set[str] = set()
    affinity = pod_spec.get("affinity")
    anti = affinity.get("podAntiAffinity") if isinstance(affinity, dict) else None
    if isinstance(anti, dict):
        terms = _dicts(anti.get("requiredDuringSchedulingIgnoredDuringExecution"))
        terms += [
            t["podAffinityTerm"]
            for t in _dicts(anti.get("preferredDuringSchedulingIgnoredDuringExecution"))
            if isinstance(t.get("podAffinityTerm"), dict)
        ]
        keys.update(str(t.get("topologyKey")) for t in terms if _own_namespace(t, namespaces))
    keys.update(str(c.get("topologyKey")) for c in _dicts(pod_spec.get("topologySpreadConstraints")))
    return keys


@rule(
    id="no-pod-spread",
    title="Replicated workloads should spread over nodes or zones",
    level=Level.NOTE,
    targets=(Workload,),
    tags=("availability",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if not w.replicated or is_patch(w, ctx):
        return
    want = desired(w, ctx)
    source = pod_source(w, ctx)
    if want.pods is None or want.pods < 2 or source is None:
        return
    if overridden(
        source, ctx, source.pod_spec_path + ("affinity",), source.pod_spec_path + ("topologySpreadConstraints",)
    ):
        return  # an overlay adds or changes the spread
    if overlay_mentions(source, ctx, "podAntiAffinity", "topologySpreadConstraints"):
        return
    own = build_namespaces(w, ctx) if w.namespace is not None else None
    if topology_keys(source.pod_spec, own) & SPREAD_KEYS:
        return
    path = w.pod_spec_path + ("affinity",) if source is w else ("spec", "workloadRef")
    yield Finding(
        f"{w.ref} runs {want.pods} replicas ({want.why}) with neither podAntiAffinity nor "
        "topologySpreadConstraints on kubernetes.io/hostname or topology.kubernetes.io/zone: the scheduler "
        "may pack them onto one node or zone, and one node drain or AZ outage takes them all down; add "
        "topologySpreadConstraints on topology.kubernetes.io/zone and kubernetes.io/hostname",
        path,
    )
