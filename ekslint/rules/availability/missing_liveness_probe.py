"""missing-liveness-probe: a long-running container without a liveness probe."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._probes import describe, without_probe


@rule(
    id="missing-liveness-probe",
    title="Long-running containers should have a liveness probe",
    level=Level.NOTE,
    targets=(Workload,),
    tags=("availability",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in without_probe(w, ctx, "livenessProbe"):
        yield Finding(
            f"{describe(c)} has no livenessProbe: if its process hangs without exiting, the kubelet "
            "never restarts it; add a livenessProbe that checks the process itself, not its dependencies",
            c.path,
        )
