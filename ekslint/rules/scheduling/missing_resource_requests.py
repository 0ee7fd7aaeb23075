"""missing-resource-requests: a container without a cpu or memory request.

A limit without a request, a LimitRange default in the namespace and pod-level requests all
count (``_resources.missing``). Kustomize patch files are partial objects and are skipped.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.kustomize_context import is_kustomize_patch
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._resources import missing, sized_containers


@rule(
    id="missing-resource-requests",
    title="Containers should request cpu and memory",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("reliability", "capacity"),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    patch: bool | None = None
    for c in sized_containers(w):
        lacking = missing(w, c, ctx, "requests")
        if not lacking:
            continue
        if patch is None:
            patch = is_kustomize_patch(w, ctx)
        if patch:
            return  # the base it is merged into may set them
        what = " and ".join(lacking)
        fields = " and ".join(f"resources.requests.{r}" for r in lacking)
        yield Finding(
            f"{c.describe} has no {what} request: the scheduler and Karpenter place pods and size "
            f"nodes by requests, so it can land on a full node; set {fields}",
            c.path + ("resources", "requests"),
        )
