"""ebs-immediate-binding: an EBS StorageClass that binds volumes before pods are scheduled.

With ``volumeBindingMode: Immediate`` (the default when unset) the volume is created as soon as
the claim exists, in an Availability Zone picked without knowing where the pod can run; an EBS
volume cannot leave its AZ, so the pod can end up unschedulable (node selectors, affinity, spot
capacity, a full AZ). ``WaitForFirstConsumer`` creates the volume where the pod lands. A class
that pins a single zone, through ``allowedTopologies`` or the in-tree provisioner's deprecated
``zone``/``zones`` parameters, is not flagged: the zone is chosen either way.
"""

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.storage._ebs import STORAGE_CLASS, ebs_param, is_ebs, provisioner

ZONE_KEYS = frozenset(
    {"topology.ebs.csi.aws.com/zone", "topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"}
)


def _single_zone(topologies: Any) -> bool:
    """``allowedTopologies`` that leaves exactly one zone (every term names the same one)."""
    zones: set[str] = set()
    if not isinstance(topologies, list) or not topologies:
        return False
    for term in topologies:
        exprs = term.get("matchLabelExpressions") if isinstance(term, dict) else None
        term_zones = [
            set(map(str, e.get("values") or []))
            for e in (exprs if isinstance(exprs, list) else [])
            if isinstance(e, dict) and e.get("key") in ZONE_KEYS
        ]
        if not term_zones:
            return False
        zones |= set.intersection(*term_zones)
    return len(zones) == 1


def _single_zone_param(sc: K8sObject) -> bool:
    """The in-tree ``zone: us-east-1d`` (or a one-item ``zones``) parameter."""
    zones = [z for key in ("zone", "zones") for z in str(ebs_param(sc, key)[1] or "").split(",") if z.strip()]
    return len(zones) == 1


@rule(
    id="ebs-immediate-binding",
    title="EBS StorageClasses should bind volumes when the pod is scheduled",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=(STORAGE_CLASS,),
    tags=("storage", "eks"),
)
def check(sc: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if not is_ebs(sc) or _single_zone(sc.root.get("allowedTopologies")) or _single_zone_param(sc):
        return
    mode = sc.root.get("volumeBindingMode")
    if mode is None:
        yield Finding(
            f"{sc.ref} ({provisioner(sc)}) has no volumeBindingMode, so it binds Immediate: each EBS "
            "volume is created in an Availability Zone chosen before the pod is scheduled and can "
            "strand the pod; set volumeBindingMode: WaitForFirstConsumer",
            (),
        )
    elif mode == "Immediate":
        yield Finding(
            f"{sc.ref} ({provisioner(sc)}) sets volumeBindingMode: Immediate: each EBS volume is "
            "created in an Availability Zone chosen before the pod is scheduled and can strand the "
            "pod; set volumeBindingMode: WaitForFirstConsumer",
            ("volumeBindingMode",),
        )
