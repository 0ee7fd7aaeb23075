"""The lifecycle of an object's apiVersion at the target version (shared by removed-api and deprecated-api)."""

from __future__ import annotations

from dataclasses import dataclass

from ekslint.data.deprecated_apis import AWS_LOAD_BALANCER_CONTROLLER, BY_API_KIND, KARPENTER, Api
from ekslint.linter.model import K8sObject
from ekslint.linter.versions import Target, at_least


@dataclass(frozen=True)
class Lifecycle:
    api: Api
    removed: bool


def lifecycle(obj: K8sObject, target: Target) -> Lifecycle | None:
    """``removed`` when the apiVersion is gone at the target; not removed when it is deprecated there
    and its replacement is already served; ``None`` when neither applies.

    Projected removals (not yet in the migration guide) are reported as deprecations only.
    """
    api = BY_API_KIND.get((obj.api_version, obj.kind))
    if api is None:
        return None
    if api.removed_in and not api.projected and at_least(target.version, api.removed_in):
        return Lifecycle(api, True)
    if not at_least(target.version, api.deprecated_in):
        return None
    if not api.replacement and api.since is None:
        return None  # nothing to move to yet
    if api.since is not None and not at_least(target.version, api.since):
        return None  # the replacement is not served at the target: nothing to do yet
    return Lifecycle(api, False)


def owner(api: Api) -> str:
    if api in KARPENTER:
        return "Karpenter"
    if api in AWS_LOAD_BALANCER_CONTROLLER:
        return "the AWS Load Balancer Controller"
    return "Kubernetes"


def replacement(api: Api) -> str:
    """``apps/v1 Deployment``, or the explanation when there is no replacement API."""
    if not api.replacement:
        return api.note or "no replacement API"
    text = api.replacement if " " in api.replacement else f"{api.replacement} {api.kind}"
    if api.since and owner(api) == "Kubernetes":
        text += f" (served since {api.since})"
    return f"use {text}"
