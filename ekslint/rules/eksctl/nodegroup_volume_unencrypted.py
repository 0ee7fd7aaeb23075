"""nodegroup-volume-unencrypted: node root volumes explicitly left unencrypted.

``volumeEncrypted: false`` creates the nodes' EBS volumes without encryption (unless the
account enforces EBS encryption by default). Those volumes hold container images, emptyDir
data, logs and, on a node, the Secrets mounted into its pods.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="nodegroup-volume-unencrypted",
    title="Node group volumes should be encrypted",
    level=Level.WARNING,
    targets=(ClusterConfig,),
    tags=("eksctl", "security", "storage"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    for ng in cluster(cfg).node_groups:
        if ng.volume_encrypted is False:
            yield Finding(
                f"{ng.describe} has volumeEncrypted: false: its EBS volumes (images, emptyDir data, logs, "
                "mounted Secrets) are stored unencrypted; set volumeEncrypted: true (and volumeKmsKeyID for "
                "your own key)",
                ng.at("volumeEncrypted"),
            )
