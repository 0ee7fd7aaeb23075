"""missing-cpu-limit: a container without a cpu limit (off by default)."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._resources import missing, sized_containers


@rule(id="missing-cpu-limit", title="Containers should set a cpu limit", level=Level.WARNING,
      targets=(Workload,), tags=("capacity",), enabled=False)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in sized_containers(w):
        if "cpu" in missing(w, c, ctx, "limits"):
            yield Finding(f"{c.describe} has no cpu limit; set resources.limits.cpu if this namespace must "
                          "not burst (cpu limits throttle, which is why this rule is off by default)",
                          c.path + ("resources", "limits"))
