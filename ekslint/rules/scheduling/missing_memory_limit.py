"""missing-memory-limit: a container without a memory limit."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._resources import missing, sized_containers


@rule(id="missing-memory-limit", title="Containers should set a memory limit", level=Level.WARNING,
      targets=(Workload,), tags=("reliability", "capacity"))
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in sized_containers(w):
        if "memory" in missing(w, c, ctx, "limits"):
            yield Finding(f"{c.describe} has no memory limit: a leak can exhaust the node and get other pods "
                          "OOM-killed or evicted; set resources.limits.memory", c.path + ("resources", "limits"))
