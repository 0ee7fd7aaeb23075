"""ebs-access-mode: a claim asking ``ReadWriteMany``/``ReadOnlyMany`` from an EBS-backed class.

An EBS volume attaches to one EC2 instance at a time, so the EBS CSI driver refuses multi-node
access modes and the claim stays Pending. The one exception is EBS Multi-Attach, which the driver
supports only for ``io2`` volumes in ``volumeMode: Block`` with ``ReadWriteMany`` (driver
``docs/multi-attach.md``); that combination is not flagged. ``ReadWriteOncePod`` is single-node
and fine. A claim with ``spec.volumeName`` binds to that existing PersistentVolume instead of
provisioning from the class (the driver's node-local volumes are such PVs, and may be shared), so
it is not checked.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.storage._ebs import (
    CLAIM_KINDS,
    EBS_CSI_DRIVERS,
    Claim,
    claim_classes,
    ebs_param,
    is_ebs,
    iter_claims,
    provisioner,
)

MULTI_NODE = ("ReadWriteMany", "ReadOnlyMany")


def _multi_attach(claim: Claim, classes: list[K8sObject], mode: str) -> bool:
    """io2 Multi-Attach: RWX + Block on an io2 class of an EBS CSI driver."""
    if mode != "ReadWriteMany" or claim.spec.get("volumeMode") != "Block":
        return False
    return all(provisioner(sc) in EBS_CSI_DRIVERS and str(ebs_param(sc, "type")[1]).lower() == "io2" for sc in classes)


@rule(
    id="ebs-access-mode",
    title="EBS-backed claims must not ask for multi-node access modes",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=CLAIM_KINDS,
    tags=("storage", "eks"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    for claim in iter_claims(obj):
        modes = claim.spec.get("accessModes")
        if not isinstance(modes, list) or claim.spec.get("volumeName"):
            continue
        classes = claim_classes(claim, ctx.index)
        if not classes or not all(is_ebs(sc) for sc in classes):
            continue
        sc = classes[0]
        for i, mode in enumerate(modes):
            if mode in MULTI_NODE and not _multi_attach(claim, classes, mode):
                yield Finding(
                    f"{claim.describe} asks for {mode} from StorageClass {sc.name!r} ({provisioner(sc)}): "
                    "an EBS volume attaches to one node at a time, so the claim never binds; use "
                    "ReadWriteOnce (or ReadWriteOncePod), or an EFS class (efs.csi.aws.com) for storage "
                    "shared between nodes",
                    (*claim.path, "accessModes", i),
                )
