"""in-tree-ebs-provisioner: StorageClasses on the in-tree EBS provisioner, or on gp2 volumes.

``kubernetes.io/aws-ebs`` is the in-tree volume plugin. On EKS it has been CSI-migrated since
1.23: every call is translated to the EBS CSI driver, which must be installed anyway, and
features such as snapshots, gp3 settings and VolumeAttributesClass need ``ebs.csi.aws.com``
itself (eks-facts §4). Separately, ``type: gp2`` (also the in-tree default) ties IOPS to volume size
and costs more per GiB than gp3 (about 20% in most Regions), which gives 3000 IOPS and 125 MiB/s
at any size: that variant is advice, reported as a note.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.storage._ebs import EBS_IN_TREE, STORAGE_CLASS, ebs_param, is_ebs, provisioner


@rule(
    id="in-tree-ebs-provisioner",
    title="EBS StorageClasses should use the EBS CSI driver and gp3",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=(STORAGE_CLASS,),
    tags=("storage", "eks", "upgrade"),
    fixable=True,
)
def check(sc: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if not is_ebs(sc):
        return
    if provisioner(sc) == EBS_IN_TREE:
        yield Finding(
            f"{sc.ref} uses the in-tree provisioner {EBS_IN_TREE}: EKS only serves it through CSI "
            "migration to the EBS CSI driver, and snapshots and gp3 settings need the driver itself; "
            "set provisioner: ebs.csi.aws.com (a new class: provisioner is immutable)",
            ("provisioner",),
        )
    key, value = ebs_param(sc, "type")
    if key is not None and isinstance(value, str) and value.strip().lower() == "gp2":
        yield Finding(
            f"{sc.ref} provisions gp2 volumes: gp3 costs less per GiB and gives 3000 IOPS and 125 MiB/s "
            "at any size; set parameters.type: gp3",
            ("parameters", key),
            level=Level.NOTE,
        )
