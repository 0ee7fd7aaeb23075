"""ebs-unencrypted: an EBS StorageClass whose volumes are not encrypted.

Both EBS provisioners encrypt only when ``parameters.encrypted`` is ``"true"``; the default is
unencrypted, and ``kmsKeyId`` alone is ignored (the driver passes the key only with
``encrypted: "true"``). Accounts with EC2 "EBS encryption by default" turned on encrypt anyway,
but that setting lives outside the manifests; say so with a suppression.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.storage._ebs import STORAGE_CLASS, ebs_param, is_ebs, is_true, provisioner


@rule(
    id="ebs-unencrypted",
    title="EBS StorageClasses should encrypt their volumes",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=(STORAGE_CLASS,),
    tags=("storage", "eks", "security"),
)
def check(sc: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if not is_ebs(sc):
        return
    key, value = ebs_param(sc, "encrypted")
    if is_true(value):
        return
    kms_key, _ = ebs_param(sc, "kmsKeyId")
    fix = 'set parameters.encrypted: "true" (and kmsKeyId for a customer-managed key)'
    if key is not None:
        yield Finding(
            f"{sc.ref} ({provisioner(sc)}) sets encrypted: {value!r}: its EBS volumes are not encrypted at rest; {fix}",
            ("parameters", key),
        )
    elif kms_key is not None:
        yield Finding(
            f"{sc.ref} ({provisioner(sc)}) sets {kms_key} but not encrypted: the key is ignored "
            f"and its EBS volumes are not encrypted at rest; {fix}",
            ("parameters", kms_key),
        )
    else:
        yield Finding(
            f"{sc.ref} ({provisioner(sc)}) does not set encrypted: its EBS volumes are not encrypted at rest; {fix}",
            ("parameters",),
        )
