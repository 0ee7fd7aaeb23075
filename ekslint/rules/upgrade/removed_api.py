"""removed-api: an apiVersion/kind the target version no longer serves."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import target_version
from ekslint.rules.upgrade._apis import lifecycle, owner, replacement


@rule(
    id="removed-api",
    title="API versions must still be served at the target version",
    level=Level.ERROR,
    targets=(K8sObject,),
    tags=("upgrade",),
    fixable=True,
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    target = target_version(ctx, obj)
    life = lifecycle(obj, target)
    if life is None or not life.removed:
        return
    api = life.api
    who = owner(api)
    if who == "Kubernetes":
        when = f"was removed in Kubernetes {api.removed_in}"
    else:
        when = f"is no longer served by {who} ({api.note})"
    yield Finding(
        f"{obj.api_version} {obj.kind} {when}; the target is {target.version} ({target.source}): {replacement(life)}",
        ("apiVersion",),
    )
