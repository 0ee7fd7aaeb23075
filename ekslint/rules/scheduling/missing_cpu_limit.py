"""missing-cpu-limit: a container without a cpu limit (off by default).

Off by default because cpu limits throttle a container even when the node has idle cpu; teams
that need hard cpu isolation (noisy neighbours, per-tenant cost) turn it on. A LimitRange
default (``default`` or ``max``) and a pod-level cpu limit count; kustomize patches are skipped.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._resources import lacking


@rule(
    id="missing-cpu-limit",
    title="Containers should set a cpu limit",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("capacity",),
    enabled=False,
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c, _ in lacking(w, ctx, "limits", ("cpu",)):
        yield Finding(
            f"{c.describe} has no cpu limit; set resources.limits.cpu if this namespace must "
            "not burst (cpu limits throttle, which is why this rule is off by default)",
            c.path + ("resources", "limits"),
        )
