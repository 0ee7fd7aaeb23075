"""efs-storageclass-invalid: an EFS StorageClass that cannot provision volumes.

The EFS CSI driver provisions dynamically only through access points: the class needs
``provisioningMode: efs-ap`` (``s3files-ap`` for Amazon S3 Files, driver 3.0+) and a file system,
given as ``fileSystemId`` or, in recent drivers, ``fileSystemIdConfigRef`` /
``fileSystemIdSecretRef``. The driver reads these keys case-sensitively and rejects the claim
("Missing provisioningMode parameter") when one is absent or unknown.

A class with no ``parameters`` at all is the documented shape for *static* provisioning (the
driver's ``static_provisioning`` examples: PVs name the file system in ``volumeHandle``), so it
is not flagged; a class that has parameters is meant for dynamic provisioning and is checked.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.storage._ebs import EFS_CSI, STORAGE_CLASS, parameters, provisioner

MODES = ("efs-ap", "s3files-ap")
FILE_SYSTEM_KEYS = ("fileSystemId", "fileSystemIdConfigRef", "fileSystemIdSecretRef")


@rule(
    id="efs-storageclass-invalid",
    title="EFS StorageClasses need an access-point mode and a file system",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=(STORAGE_CLASS,),
    tags=("storage", "eks"),
)
def check(sc: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    params = parameters(sc)
    if provisioner(sc) != EFS_CSI or not params:
        return
    mode = params.get("provisioningMode")
    if mode is None:
        yield Finding(
            f"{sc.ref} has parameters but no provisioningMode: the EFS CSI driver rejects every "
            "claim of this class; set parameters.provisioningMode: efs-ap",
            ("parameters",),
        )
    elif mode not in MODES:
        yield Finding(
            f"{sc.ref} sets provisioningMode: {mode!r}: the EFS CSI driver provisions only "
            "access points; set provisioningMode: efs-ap",
            ("parameters", "provisioningMode"),
        )
    if not any(str(params.get(k) or "").strip() for k in FILE_SYSTEM_KEYS):
        empty = next((k for k in FILE_SYSTEM_KEYS if k in params), None)
        yield Finding(
            f"{sc.ref} names no file system: the EFS CSI driver cannot create access points; "
            "set parameters.fileSystemId to the EFS file system id (fs-...)",
            ("parameters", empty) if empty else ("parameters",),
        )
