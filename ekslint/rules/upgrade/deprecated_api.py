"""deprecated-api: an apiVersion/kind deprecated at the target version whose replacement is served."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import at_least, target_version
from ekslint.rules.upgrade._apis import lifecycle, owner, replacement


@rule(
    id="deprecated-api",
    title="Move off API versions deprecated at the target version",
    level=Level.WARNING,
    targets=(K8sObject,),
    tags=("upgrade",),
    fixable=True,
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    target = target_version(ctx, obj)
    life = lifecycle(obj, target)
    if life is None or life.removed:
        return
    api = life.api
    who = owner(api)
    if who != "Kubernetes":
        when = f"is deprecated by {who} ({api.note})"
    elif api.projected and api.removed_in:
        projected = "is due" if not at_least(target.version, api.removed_in) else "was due"
        when = (
            f"is deprecated since Kubernetes {api.deprecated_in} and {projected} for removal in {api.removed_in} "
            "(projected: deprecated + 3 minors, not yet in the migration guide)"
        )
    else:
        when = f"is deprecated since Kubernetes {api.deprecated_in} and removed in {api.removed_in}"
    yield Finding(
        f"{obj.api_version} {obj.kind} {when}; the target is {target.version} ({target.source}): {replacement(life)}",
        ("apiVersion",),
    )
