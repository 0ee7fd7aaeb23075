"""The lifecycle of an object's apiVersion at the target version (shared by removed-api and deprecated-api).

What to move to depends on the target, as the API server's own deprecation warning does: at 1.18,
``extensions/v1beta1`` Ingress is deprecated and ``networking.k8s.io/v1beta1`` is served (the
guide's ``networking.k8s.io/v1`` only from 1.19); at 1.33, ``flowcontrol.apiserver.k8s.io/v1beta1``'s
replacement ``v1beta3`` is itself gone and ``v1`` is the answer. A replacement that is deprecated or
removed at the target gives way to its own replacement, when that is served.
"""

from __future__ import annotations

from typing import NamedTuple

from ekslint.data.deprecated_apis import ALL, AWS_LOAD_BALANCER_CONTROLLER, BY_API_KIND, KARPENTER, Api
from ekslint.linter.model import K8sObject
from ekslint.linter.versions import Target, at_least


class Replacement(NamedTuple):
    """An API to move to: ``apiVersion`` (same kind) or ``"apiVersion Kind"``, and the first minor serving it."""

    api: str
    since: str | None


class Lifecycle(NamedTuple):
    """Where an object's apiVersion stands at the target version, and what replaces it."""

    api: Api
    removed: bool
    #: What to move to at the target; None when nothing is served there (``api.note`` explains).
    replacement: Replacement | None = None
    #: The guide's final replacement when it is not served yet at the target (the interim case).
    later: Replacement | None = None


def lifecycle(obj: K8sObject, target: Target) -> Lifecycle | None:
    """``removed`` when the apiVersion is gone at the target; not removed when it is deprecated there
    and something to move to is already served; ``None`` when neither applies.

    Projected removals (not yet in the migration guide) are reported as deprecations only.
    """
    return api_lifecycle(obj.api_version, obj.kind, target.version)


def api_lifecycle(api_version: str, kind: str, version: str) -> Lifecycle | None:
    """:func:`lifecycle` for an apiVersion and kind at the Kubernetes minor ``version``."""
    api = BY_API_KIND.get((api_version, kind))
    if api is None:
        return None
    best = replacement_at(api, version)
    final = _final(api)
    later = final if best != final and final is not None and not at_least(version, final.since) else None
    if _removed(api, version):
        return Lifecycle(api, True, best, later)
    if not at_least(version, api.deprecated_in):
        return None
    if not api.replacement and not api.interim:  # no replacement API (PodSecurityPolicy)
        if api.since is None or not at_least(version, api.since):
            return None  # nothing to move to yet (``since``: when the alternative is available)
        return Lifecycle(api, False)
    if best is None:
        return None  # the replacement is not served at the target: nothing to do yet
    return Lifecycle(api, False, best, later)


def _removed(api: Api, version: str) -> bool:
    return bool(api.removed_in) and not api.projected and at_least(version, api.removed_in)


def _row(r: Replacement, kind: str) -> Api | None:
    api_version, _, new_kind = r.api.partition(" ")
    return BY_API_KIND.get((api_version, new_kind or kind))


def replacement_at(api: Api, version: str, _depth: int = 0) -> Replacement | None:
    """What to move ``api`` to at ``version``: its replacement once served, else the newest interim
    one served; one that is itself deprecated (or removed) there yields to its own replacement."""
    if _depth > len(ALL):  # a cycle in the table: stop rather than recurse forever
        return None
    options = [(api.replacement, api.since)] if api.replacement else []
    for target_api, since in [*options, *api.interim]:
        if since is not None and not at_least(version, since):
            continue
        candidate = Replacement(target_api, since)
        row = _row(candidate, api.kind)
        if row is None:
            return candidate  # an API nothing deprecates (GA, or an add-on's current one)
        removed = _removed(row, version)
        if removed or at_least(version, row.deprecated_in):
            onward = replacement_at(row, version, _depth + 1)
            if onward is not None:
                return onward
            if removed:
                continue
        return candidate
    return None


def _final(api: Api) -> Replacement | None:
    """The end of the guide's replacement chain (``flowcontrol.apiserver.k8s.io/v1beta3`` -> ``v1``)."""
    if not api.replacement:
        return None
    current = Replacement(api.replacement, api.since)
    for _ in ALL:
        row = _row(current, api.kind)
        if row is None or not row.replacement:
            break
        current = Replacement(row.replacement, row.since)
    return current


def owner(api: Api) -> str:
    if api in KARPENTER:
        return "Karpenter"
    if api in AWS_LOAD_BALANCER_CONTROLLER:
        return "the AWS Load Balancer Controller"
    return "Kubernetes"


def _named(r: Replacement, kind: str) -> str:
    return r.api if " " in r.api else f"{r.api} {kind}"


def replacement(life: Lifecycle) -> str:
    """``use apps/v1 Deployment (served since 1.9)``, or the explanation when nothing is served."""
    api, r = life.api, life.replacement
    if r is None:
        return api.note or "no replacement API"
    text = _named(r, api.kind)
    if r.since and owner(api) == "Kubernetes":
        later = f"; {life.later.api} from {life.later.since}" if life.later and life.later.since else ""
        text += f" (served since {r.since}{later})"
    return f"use {text}"
