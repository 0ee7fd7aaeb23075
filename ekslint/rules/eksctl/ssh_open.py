"""ssh-open: a node group that lets the whole internet reach its nodes on port 22.

With SSH on (eksctl ``ssh.allow: true``, or a public key, which eksctl takes as ``allow`` unless
``allow: false`` is written) and no ``ssh.sourceSecurityGroupIds``, eksctl adds security group
rules opening port 22 to ``0.0.0.0/0`` and ``::/0`` for node groups in public subnets (to the VPC
CIDR only with ``privateNetworking: true``). An EKS managed node group's remote access
(Terraform ``remote_access``, CloudFormation ``RemoteAccess``) with an SSH key and no source
security groups opens port 22 to ``0.0.0.0/0``. Internet-wide SSH is brute-forced within minutes
of launch, and a node login is one step from the node IAM role.
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
    id="ssh-open",
    title="Node group SSH must not be open to the world",
    level=Level.ERROR,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "security"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    for ng in c.node_groups:
        ssh = ng.ssh
        if ssh is None or not ssh.open_to_world:
            continue
        ssm = (
            "; ssh.enableSsm is on, so drop the key and use Session Manager"
            if ssh.enable_ssm
            else ", or drop SSH and use SSM Session Manager"
        )
        yield ssh.at.finding(
            f"{ng.describe} enables SSH ({ssh.why}) without {ssh.restrict_key}: {ssh.opener}; {ssh.fix}{ssm}"
        )
