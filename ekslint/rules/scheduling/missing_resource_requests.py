"""missing-resource-requests: a container without a cpu or memory request.

A limit without a request, a LimitRange default in the namespace and pod-level requests all
count (``_resources.missing``). Kustomize patch files are partial objects and are skipped.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._resources import lacking


@rule(
    id="missing-resource-requests",
    title="Containers should request cpu and memory",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("reliability", "capacity"),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c, resources in lacking(w, ctx, "requests"):
        what = " and ".join(resources)
        fields = " and ".join(f"resources.requests.{r}" for r in resources)
        yield Finding(
            f"{c.describe} has no {what} request: the scheduler and Karpenter place pods and size "
            f"nodes by requests, so it can land on a full node; set {fields}",
            c.path + ("resources", "requests"),
        )
