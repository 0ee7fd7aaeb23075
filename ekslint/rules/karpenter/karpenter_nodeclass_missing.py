"""karpenter-nodeclass-missing: a NodePool whose ``nodeClassRef`` names an EC2NodeClass that is
not in the scan.

Karpenter will not launch nodes for a NodePool whose node class does not exist (the pool stays
NotReady and pods stay Pending). v1 refs carry ``group``/``kind``/``name``; v1beta1 refs carry
``name`` (and optionally ``kind``/``apiVersion``), with EC2NodeClass implied. Refs to other
providers' classes are ignored. Partial-input policy (``rules.md``): only when the scan holds at
least one EC2NodeClass, otherwise the class may simply live elsewhere.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.karpenter._karpenter import NODEPOOL, as_map

GROUP = "karpenter.k8s.aws"


@rule(
    id="karpenter-nodeclass-missing",
    title="NodePools must reference an existing EC2NodeClass",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=(NODEPOOL,),
    tags=("karpenter", "wiring"),
)
def check(pool: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    ref = as_map(as_map(as_map(pool.spec.get("template")).get("spec")).get("nodeClassRef"))
    name = ref.get("name")
    if not isinstance(name, str) or not name:
        return
    if ref.get("kind", "EC2NodeClass") != "EC2NodeClass":
        return
    api_version = str(ref.get("apiVersion") or "")
    group = ref.get("group") or (api_version.rpartition("/")[0] if "/" in api_version else GROUP)
    if group != GROUP:
        return
    classes = ctx.index.of_kind("EC2NodeClass", group=GROUP)
    if not classes or any(nc.name == name for nc in classes):
        return
    known = ", ".join(sorted({repr(nc.name) for nc in classes if nc.name})[:5])
    yield Finding(
        f"{pool.ref} references EC2NodeClass {name!r}, which is not in the scan (it has "
        f"{known}): Karpenter launches no nodes for this pool; fix nodeClassRef.name or add the "
        "EC2NodeClass",
        ("spec", "template", "spec", "nodeClassRef", "name"),
    )
