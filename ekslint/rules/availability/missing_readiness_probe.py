"""missing-readiness-probe: a long-running container without a readiness probe."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._probes import describe, without_probe


@rule(
    id="missing-readiness-probe",
    title="Long-running containers should have a readiness probe",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("availability",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in without_probe(w, ctx, "readinessProbe"):
        yield Finding(
            f"{describe(c)} has no readinessProbe: it counts as ready as soon as it starts, so the "
            "pod gets Service traffic and rollouts, drains and PDBs move on before it can serve; "
            "add a readinessProbe",
            c.path,
        )
