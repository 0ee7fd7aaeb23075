"""missing-liveness-probe: a long-running container without a liveness probe."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import container_overridden, is_patch
from ekslint.rules.availability._probes import describe, probed_containers
from ekslint.rules.availability._workloads import long_running


@rule(
    id="missing-liveness-probe",
    title="Long-running containers should have a liveness probe",
    level=Level.NOTE,
    targets=(Workload,),
    tags=("availability",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if not long_running(w) or is_patch(w, ctx):
        return
    for c in probed_containers(w):
        if c.spec.get("livenessProbe") is None and not container_overridden(w, c, ctx, "livenessProbe"):
            yield Finding(
                f"{describe(c)} has no livenessProbe: if its process hangs without exiting, the kubelet "
                "never restarts it; add a livenessProbe that checks the process itself, not its dependencies",
                c.path,
            )
