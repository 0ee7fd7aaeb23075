"""nodegroup-volume-unencrypted: node root volumes explicitly left unencrypted.

eksctl ``volumeEncrypted: false``, or ``encrypted = false`` on a launch template's EBS block
device (Terraform ``aws_launch_template``, the ``block_device_mappings`` of a
``terraform-aws-modules/eks`` node group, CloudFormation ``AWS::EC2::LaunchTemplate``), creates
the nodes' EBS volumes without encryption (unless the account enforces EBS encryption by
default). Those volumes hold container images, emptyDir data, logs and, on a node, the Secrets
mounted into its pods.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.linter.cluster.kinds import ClusterDefinition
from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster


@rule(
    id="nodegroup-volume-unencrypted",
    title="Node group volumes should be encrypted",
    level=Level.WARNING,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "security", "storage"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    for ng in c.node_groups:
        for volume in ng.volume_unencrypted:
            yield volume.at.finding(
                f"{ng.describe} has {volume.text}: its EBS volumes (images, emptyDir data, logs, "
                f"mounted Secrets) are stored unencrypted; {volume.fix}"
            )
