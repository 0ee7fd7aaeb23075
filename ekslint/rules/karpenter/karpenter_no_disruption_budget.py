"""karpenter-no-disruption-budget: a NodePool whose disruption budgets leave disruption unlimited,
or that relies on the default budget.

``spec.disruption.budgets`` caps how many of a pool's nodes Karpenter may voluntarily disrupt at
the same time. Facts (NodePool CRD; karpenter ``GetAllowedDisruptionsByReason``; maintainer
answer in kubernetes-sigs/karpenter discussion #1079):

* unset, the CRD defaults it to one always-active ``nodes: "10%"`` budget: a policy nobody chose
  (no quiet hours, every reason), reported as advice;
* Karpenter starts from "unlimited" and lowers it with each budget that is *active* and applies
  to the reason, so an explicit empty list, budgets that are all ``nodes: "100%"``, or budgets
  that all have a ``schedule`` (inactive outside their windows) leave disruption unlimited.

Only the reasons that evict pods are weighed: ``Drifted`` always, ``Underutilized`` unless
consolidation is off (``consolidationPolicy: WhenEmpty`` or ``consolidateAfter: Never``).
Removing ``Empty`` nodes moves no pods, so a ``100%`` budget limited to ``Empty`` is fine. A
schedule whose window covers its whole period (``@daily`` with ``duration: 24h``) counts as
always active. Budgets never stop expiry (``expireAfter``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.karpenter._karpenter import NODEPOOL, as_map

DURATION_RE = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:0s)?$")
MACRO_PERIODS = {"@hourly": 60, "@daily": 1440, "@midnight": 1440, "@weekly": 10080}
BUDGETS = ("spec", "disruption", "budgets")


def _minutes(duration: Any) -> int:
    m = DURATION_RE.match(str(duration or "").strip())
    if not m or not any(m.groups()):
        return 0
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)


def _period(schedule: str) -> int | None:
    """The period in minutes of a cron schedule that fires at one fixed offset per hour, day or
    week; ``None`` for anything else (ranges, lists, monthly...)."""
    schedule = schedule.strip()
    if schedule in MACRO_PERIODS:
        return MACRO_PERIODS[schedule]
    fields = schedule.split()
    if len(fields) != 5 or fields[2] != "*" or fields[3] != "*" or not fields[0].isdigit():
        return None
    hour, dow = fields[1], fields[4]
    if hour == "*" and dow == "*":
        return 60
    if hour.isdigit() and dow == "*":
        return 1440
    if hour.isdigit() and dow.isalnum():
        return 10080
    return None


def _always_active(budget: dict[str, Any]) -> bool:
    schedule = budget.get("schedule")
    if schedule is None:
        return True
    period = _period(str(schedule))
    return period is not None and _minutes(budget.get("duration")) >= period


def _nodes(budget: dict[str, Any]) -> str:
    return str(budget.get("nodes", "10%")).strip()


def _evicting_reasons(disruption: dict[str, Any]) -> list[str]:
    reasons = ["Drifted"]
    if disruption.get("consolidationPolicy") != "WhenEmpty" and str(disruption.get("consolidateAfter")) != "Never":
        reasons.insert(0, "Underutilized")
    return reasons


@rule(
    id="karpenter-no-disruption-budget",
    title="Karpenter NodePools should set disruption budgets",
    level=Level.NOTE,
    targets=(K8sObject,),
    kinds=(NODEPOOL,),
    tags=("karpenter", "availability"),
)
def check(pool: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    disruption = as_map(pool.spec.get("disruption"))
    budgets = disruption.get("budgets")
    name = pool.ref
    if budgets is None:
        yield Finding(
            f"{name} sets no spec.disruption.budgets: Karpenter's default budget lets it "
            "disrupt 10% of the pool's nodes at once, at any hour and for every reason; set budgets "
            'that fit the workloads (for example nodes: "1", and nodes: "0" on a schedule for '
            "business hours)",
            BUDGETS,
        )
        return
    if not isinstance(budgets, list):
        return
    items = [(i, b) for i, b in enumerate(budgets) if isinstance(b, dict)]
    if not budgets:
        yield Finding(
            f"{name} sets spec.disruption.budgets: [] and so has no budget at all: Karpenter "
            "may disrupt every node of the pool at once; list at least one budget (for example "
            'nodes: "10%")',
            BUDGETS,
        )
        return
    all_at_once: list[str] = []
    first_100: int | None = None
    unbounded: list[str] = []
    for reason in _evicting_reasons(disruption):
        applying = [
            (i, b)
            for i, b in items
            if b.get("reasons") is None or (isinstance(b.get("reasons"), list) and reason in b["reasons"])
        ]
        active = [(i, b) for i, b in applying if _always_active(b)]
        if active and all(_nodes(b) == "100%" for _, b in active):
            all_at_once.append(reason)
            first_100 = active[0][0] if first_100 is None else first_100
        elif not active:
            unbounded.append(reason)
    if all_at_once:
        yield Finding(
            f'{name} has a disruption budget of nodes: "100%" that is always active for '
            f"{' and '.join(all_at_once)}: Karpenter may disrupt every node of the pool at once; lower it, "
            "or limit it with a schedule and duration or to the Empty reason",
            (*BUDGETS, first_100 if first_100 is not None else 0, "nodes"),
        )
    if unbounded:
        yield Finding(
            f"{name} has no always-active disruption budget for {' and '.join(unbounded)}: an "
            "inactive (scheduled) budget does not limit anything, so outside its window Karpenter may "
            'disrupt every node of the pool at once; add a budget without schedule, such as nodes: "10%"',
            BUDGETS,
        )
