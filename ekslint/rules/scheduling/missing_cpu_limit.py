"""missing-cpu-limit: a container without a cpu limit (off by default).

Off by default because cpu limits throttle a container even when the node has idle cpu; teams
that need hard cpu isolation (noisy neighbours, per-tenant cost) turn it on. A LimitRange
default (``default`` or ``max``) and a pod-level cpu limit count; kustomize patches are skipped.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.kustomize_context import is_kustomize_patch
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._resources import missing, sized_containers


@rule(
    id="missing-cpu-limit",
    title="Containers should set a cpu limit",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("capacity",),
    enabled=False,
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    patch: bool | None = None
    for c in sized_containers(w):
        if "cpu" not in missing(w, c, ctx, "limits"):
            continue
        if patch is None:
            patch = is_kustomize_patch(w, ctx)
        if patch:
            return  # the base it is merged into may set it
        yield Finding(
            f"{c.describe} has no cpu limit; set resources.limits.cpu if this namespace must "
            "not burst (cpu limits throttle, which is why this rule is off by default)",
            c.path + ("resources", "limits"),
        )
