"""missing-readiness-probe: a long-running container without a readiness probe."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import container_overridden, is_patch
from ekslint.rules.availability._probes import describe, probed_containers
from ekslint.rules.availability._workloads import long_running


@rule(
    id="missing-readiness-probe",
    title="Long-running containers should have a readiness probe",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("availability",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if not long_running(w) or is_patch(w, ctx):
        return
    for c in probed_containers(w):
        if c.spec.get("readinessProbe") is None and not container_overridden(w, c, ctx, "readinessProbe"):
            yield Finding(
                f"{describe(c)} has no readinessProbe: it counts as ready as soon as it starts, so the "
                "pod gets Service traffic and rollouts, drains and PDBs move on before it can serve; "
                "add a readinessProbe",
                c.path,
            )
