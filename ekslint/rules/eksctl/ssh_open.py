"""ssh-open: a node group that lets the whole internet reach its nodes on port 22.

With SSH on (``ssh.allow: true``, or a public key, which eksctl takes as ``allow`` unless
``allow: false`` is written) and no ``ssh.sourceSecurityGroupIds``, eksctl adds security group
rules opening port 22 to ``0.0.0.0/0`` and ``::/0`` for node groups in public subnets (to the VPC
CIDR only with ``privateNetworking: true``). Internet-wide SSH is brute-forced within minutes of
launch, and a node login is one step from the node IAM role.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="ssh-open",
    title="Node group SSH must not be open to the world",
    level=Level.ERROR,
    targets=(ClusterConfig,),
    tags=("eksctl", "security"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    for ng in cluster(cfg).node_groups:
        ssh = ng.ssh
        # launchTemplate groups take SSH from the template; private groups are opened to the VPC CIDR only.
        if not ssh.allow or ssh.source_security_group_ids or ng.private_networking or ng.launch_template:
            continue
        why = "ssh.allow: true" if ssh.reason_key == "allow" else f"ssh.{ssh.reason_key} (eksctl then allows SSH)"
        ssm = (
            "; ssh.enableSsm is on, so drop the key and use Session Manager"
            if ssh.enable_ssm
            else ", or drop SSH and use SSM Session Manager"
        )
        yield Finding(
            f"{ng.describe} enables SSH ({why}) without ssh.sourceSecurityGroupIds in public subnets: "
            f"eksctl opens port 22 to 0.0.0.0/0 and ::/0; set sourceSecurityGroupIds{ssm}",
            ng.at("ssh", ssh.reason_key or "allow"),
        )
