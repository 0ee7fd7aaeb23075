"""acme/required-team-label: every workload says which team owns it."""

from __future__ import annotations

from collections.abc import Iterator

from ekslint.api import Finding, Level, RuleContext, Workload, rule

#: The workloads that run for a long time; Jobs and bare Pods come and go with their owner.
KINDS = ("Deployment.apps", "StatefulSet.apps", "DaemonSet.apps")


@rule(
    id="acme/required-team-label",
    title="Workloads carry the owning team's label",
    level=Level.WARNING,
    targets=(Workload,),
    kinds=KINDS,
    help_url="https://github.com/ekslint/ekslint/blob/main/examples/plugin/acme_ekslint/required_team_label.md",
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    team = w.labels.get("team")
    if isinstance(team, str) and team.strip():
        return
    where = ("metadata", "labels") if "labels" in w.metadata else ("metadata",)
    yield Finding(
        f"{w.ref} has no 'team' label: the on-call rota and the cost report cannot tell who owns it; "
        "add metadata.labels.team",
        where,
    )
