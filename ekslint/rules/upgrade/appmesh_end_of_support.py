"""appmesh-end-of-support: AWS App Mesh resources or sidecar injection, after or near its end of support."""

from collections.abc import Iterator
from typing import Any

from ekslint.data.eks_versions import APPMESH_END_OF_SUPPORT
from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.nodes import NodePath
from ekslint.linter.registry import Finding, Level, rule

GROUP = "appmesh.k8s.aws"
PREFIX = GROUP + "/"
INJECTOR = PREFIX + "sidecarInjectorWebhook"


def _when(ctx: RuleContext) -> str:
    today = ctx.settings.today
    end = APPMESH_END_OF_SUPPORT.isoformat()
    if today >= APPMESH_END_OF_SUPPORT:
        return f"AWS ended support for App Mesh on {end} (its console and resources are no longer available)"
    return f"AWS ends support for App Mesh on {end} ({(APPMESH_END_OF_SUPPORT - today).days} days from now)"


def _uses_appmesh(values: dict[str, Any]) -> str | None:
    """The first App Mesh key of a labels or annotations map, ignoring an explicit opt-out."""
    for key, value in values.items():
        if key.startswith(PREFIX) and not (key == INJECTOR and str(value).lower() == "disabled"):
            return str(key)
    return None


@rule(
    id="appmesh-end-of-support",
    title="Migrate off AWS App Mesh",
    level=Level.WARNING,
    targets=(K8sObject,),
    tags=("upgrade", "eks"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    advice = "migrate the services (for example to Amazon VPC Lattice or another service mesh) and remove it"
    if obj.group == GROUP:
        yield Finding(
            f"{obj.kind} is an AWS App Mesh resource ({obj.api_version}): {_when(ctx)}; {advice}", ("apiVersion",)
        )
        return
    if obj.gk == "CustomResourceDefinition.apiextensions.k8s.io" and obj.spec.get("group") == GROUP:
        yield Finding(f"CRD {obj.name} installs the AWS App Mesh API: {_when(ctx)}; {advice}", ("spec", "group"))
        return
    metas: list[NodePath] = [("metadata",)]
    if isinstance(obj, Workload) and obj.template_meta_path != ("metadata",):
        metas.append(obj.template_meta_path)
    for meta in metas:
        for section, what in (("labels", "label"), ("annotations", "annotation")):
            values = obj.get(*meta, section)
            key = _uses_appmesh(values) if isinstance(values, dict) else None
            if key is not None:
                yield Finding(f"{what} {key} opts into AWS App Mesh: {_when(ctx)}; {advice}", (*meta, section, key))
