"""missing-resource-requests: a container without a cpu or memory request."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._resources import missing, sized_containers


@rule(id="missing-resource-requests", title="Containers should request cpu and memory", level=Level.WARNING,
      targets=(Workload,), tags=("reliability", "capacity"))
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in sized_containers(w):
        lacking = missing(w, c, ctx, "requests")
        if lacking:
            what = " and ".join(lacking)
            yield Finding(f"{c.describe} has no {what} request: the scheduler and Karpenter place and size "
                          f"nodes by requests, so it can land on a full node; set resources.requests.{lacking[0]}",
                          c.path + ("resources", "requests"))
