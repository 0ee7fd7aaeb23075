"""secrets-encryption-disabled: no customer-managed KMS key encrypts the cluster's Secrets.

Since Kubernetes 1.28 EKS envelope-encrypts all Kubernetes API data with an AWS-owned KMS key by
default; before that, Secrets were only protected by the disk encryption of etcd. Neither gives
you the key: its policy, its rotation, the CloudTrail record of its use, or the ability to cut
access by disabling it. ``secretsEncryption.keyARN`` adds your own KMS key.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.eksctl import cluster
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule

#: First Kubernetes version on which EKS envelope-encrypts all API data by default (AWS EKS user
#: guide "Default envelope encryption for all Kubernetes API data"; eksctl kms-encryption docs).
DEFAULT_ENVELOPE_MINOR = 28


@rule(
    id="secrets-encryption-disabled",
    title="Secrets should be encrypted with a customer-managed KMS key",
    level=Level.NOTE,
    targets=(ClusterConfig,),
    tags=("eksctl", "security"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    c = cluster(cfg)
    if c.secrets_key_arn is not None:
        return
    minor = c.version_minor
    if minor is not None and minor < DEFAULT_ENVELOPE_MINOR:
        state = (
            f"on Kubernetes 1.{minor} EKS does not envelope-encrypt Secrets by default (that starts with "
            "1.28), so they rest in etcd protected only by disk encryption"
        )
    else:
        state = (
            "Secrets are envelope-encrypted only with an AWS-owned key (the EKS default from Kubernetes 1.28), "
            "whose policy, rotation and CloudTrail audit you do not control"
        )
    yield Finding(
        f"no secretsEncryption.keyARN: {state}; set secretsEncryption.keyARN to a customer-managed KMS key",
        ("secretsEncryption", "keyARN"),
    )
