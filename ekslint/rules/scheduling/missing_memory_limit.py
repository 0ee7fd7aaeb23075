"""missing-memory-limit: a container without a memory limit.

A LimitRange default (``default`` or ``max``) in the namespace and a pod-level memory limit
count. Kustomize patch files are partial objects and are skipped.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.kustomize_context import is_kustomize_patch
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._resources import missing, sized_containers


@rule(
    id="missing-memory-limit",
    title="Containers should set a memory limit",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("reliability", "capacity"),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    patch: bool | None = None
    for c in sized_containers(w):
        if "memory" not in missing(w, c, ctx, "limits"):
            continue
        if patch is None:
            patch = is_kustomize_patch(w, ctx)
        if patch:
            return  # the base it is merged into may set it
        yield Finding(
            f"{c.describe} has no memory limit: a leak can exhaust the node and get other pods "
            "OOM-killed or evicted; set resources.limits.memory",
            c.path + ("resources", "limits"),
        )
