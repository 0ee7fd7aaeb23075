"""missing-memory-limit: a container without a memory limit.

A LimitRange default (``default`` or ``max``) in the namespace and a pod-level memory limit
count. Kustomize patch files are partial objects and are skipped.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._resources import lacking


@rule(
    id="missing-memory-limit",
    title="Containers should set a memory limit",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("reliability", "capacity"),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c, _ in lacking(w, ctx, "limits", ("memory",)):
        yield Finding(
            f"{c.describe} has no memory limit: a leak can exhaust the node and get other pods "
            "OOM-killed or evicted; set resources.limits.memory",
            c.path + ("resources", "limits"),
        )
