"""pdb-blocks-drain: a PodDisruptionBudget that allows zero voluntary disruptions.

The arithmetic is the disruption controller's (see ``_pdb``). Some values block whatever the
PDB selects (``maxUnavailable: 0``/``"0%"``, ``minAvailable: "100%"``, neither field set); the
others need the selected pods' desired count, which is only known when every selected workload
in the scan has a static count (a DaemonSet's or a Job's depends on the cluster or the run, and
an operator's pods are not in the manifests at all).
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.selectors import is_valid_label_selector
from ekslint.rules.availability._overlays import is_patch, overridden
from ekslint.rules.availability._pdb import (
    PDB_GK,
    custom_pod_sources,
    over_100_percent,
    parse_budget,
    selection,
    selector_problem,
)

HANG = "no pod can be evicted, and node drains, managed node group updates and Karpenter consolidation will hang"
BUDGET_PATHS = (("spec", "minAvailable"), ("spec", "maxUnavailable"), ("spec", "selector"))


@rule(
    id="pdb-blocks-drain",
    title="PodDisruptionBudgets must allow at least one disruption",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=(PDB_GK,),
    tags=("availability",),
)
def check(pdb: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if is_patch(pdb, ctx) or overridden(pdb, ctx, *BUDGET_PATHS):
        return  # a fragment, or a base whose budget an overlay rewrites
    spec = pdb.spec
    if selector_problem(pdb) is not None or not is_valid_label_selector(spec.get("selector")):
        return  # selects no pods at all (pdb-selects-nothing), or is rejected by the API server
    min_raw, max_raw = spec.get("minAvailable"), spec.get("maxUnavailable")
    if min_raw is not None and max_raw is not None:
        return  # invalid: the API server rejects a PDB that sets both
    sel = selection(pdb, ctx)
    if sel.members and sel.total(percent=False) == 0:
        return  # every selected workload is scaled to zero: nothing to evict
    whom = f" ({sel.describe()})" if sel.members else ""

    if min_raw is None and max_raw is None:
        yield Finding(
            f"sets neither minAvailable nor maxUnavailable{whom}: the disruption controller then expects "
            f"0 pods and allows 0 disruptions: {HANG}; set maxUnavailable: 1",
            ("spec",),
        )
        return

    if max_raw is not None:
        budget = parse_budget(max_raw)
        # A non-zero maxUnavailable allows max(1, ...) disruptions of healthy pods: never blocks.
        if budget is not None and (budget.number == 0 or budget.percent == 0):
            yield Finding(
                f"maxUnavailable {budget}{whom}: allowed disruptions is always 0: {HANG}; "
                "use maxUnavailable: 1 (or a percentage above 0)",
                ("spec", "maxUnavailable"),
            )
        return

    if over_100_percent(min_raw):
        # The API server's validation rejects it; were it applied, it would ask for more healthy
        # pods than exist and allow no eviction at all.
        text = str(min_raw).strip()
        shown = text if len(text) <= 8 else text[:6] + "...%"
        yield Finding(
            f"minAvailable {shown}{whom} is over 100%: the API server rejects this PDB, and as "
            f"written it would allow no disruption ({HANG}); use maxUnavailable: 1 instead",
            ("spec", "minAvailable"),
        )
        return
    budget = parse_budget(min_raw)
    if budget is None:
        return
    if budget.percent == 100:
        yield Finding(
            f"minAvailable 100%{whom}: allowed disruptions is always 0: {HANG}; use maxUnavailable: 1 instead",
            ("spec", "minAvailable"),
        )
        return
    percent = budget.percent is not None
    total = sel.total(percent=percent)
    if not sel.members or not total or custom_pod_sources(pdb, ctx):
        return  # selected pods not in the scan, or their count is not known statically
    wanted = budget.scaled(total)
    if wanted < total:
        return
    pods = "replica" if total == 1 else "replicas"
    rounded = f" (rounds up to {wanted})" if percent else ""
    arith = f"{total} - {wanted} = 0" if wanted == total else f"{total} - {wanted} < 0, so 0"
    yield Finding(
        f"minAvailable {budget}{rounded} of {total} {pods}{whom}: allowed disruptions {arith}: "
        f"{HANG}; lower minAvailable below the replica count or use maxUnavailable: 1",
        ("spec", "minAvailable"),
    )
