"""do-not-disrupt: a pod template annotated ``karpenter.sh/do-not-disrupt: "true"``.

Jobs and CronJobs (and bare Pods that never restart) are skipped: they end on their own, and
protecting a run from consolidation is the use Karpenter documents for the annotation. A duration
value (``"30m"``) bounds the protection and is not reported.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import is_patch
from ekslint.rules.availability._workloads import long_running

ANNOTATION = "karpenter.sh/do-not-disrupt"


@rule(
    id="do-not-disrupt",
    title="Long-running pods should not block Karpenter disruption",
    level=Level.NOTE,
    targets=(Workload,),
    tags=("availability", "karpenter"),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if not long_running(w) or is_patch(w, ctx):
        return
    value = w.template_annotations.get(ANNOTATION)
    if not isinstance(value, str) or value.strip() != "true":
        return
    what = "pod annotation" if w.is_pod else "pod template annotation"
    yield Finding(
        f'{what} {ANNOTATION}: "true" on a long-running {w.kind}: Karpenter never '
        "consolidates, drifts or gracefully expires the nodes its pods run on, so AMI and Kubernetes "
        "upgrades stall until someone deletes the pods; remove it and protect availability with a PDB, "
        'or set a duration ("30m") and a NodePool terminationGracePeriod',
        w.template_meta_path + ("annotations", ANNOTATION),
    )
