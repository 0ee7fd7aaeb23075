"""karpenter-nodepool-no-limits: a NodePool with no ``spec.limits``.

Karpenter launches whatever capacity pending pods ask for; ``spec.limits`` (cpu, memory, nodes,
any resource) is the only ceiling, and there is none by default (NodePool CRD). Without it a
runaway Deployment, an HPA gone wild or a crash-looping Job scales the bill without bound. A
static NodePool (``spec.replicas``, alpha) already has a fixed size and is not flagged.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.karpenter._karpenter import NODEPOOL


@rule(
    id="karpenter-nodepool-no-limits",
    title="Karpenter NodePools should cap their capacity with limits",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=(NODEPOOL,),
    tags=("karpenter", "cost"),
)
def check(pool: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if pool.spec.get("replicas") is not None:
        return
    limits = pool.spec.get("limits")
    if isinstance(limits, dict) and limits:
        return
    what = "an empty spec.limits" if isinstance(limits, dict) else "no spec.limits"
    yield Finding(
        f"{pool.ref} has {what}: Karpenter will launch nodes without bound for "
        "whatever pods are pending, and so spend without bound; set spec.limits (for example "
        'cpu: "1000" and memory: 1000Gi) above the pool\'s expected peak',
        ("spec", "limits"),
    )
