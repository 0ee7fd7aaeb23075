"""secrets-encryption-disabled: no customer-managed KMS key encrypts the cluster's Secrets.

Since Kubernetes 1.28 EKS envelope-encrypts all Kubernetes API data with an AWS-owned KMS key by
default; before that, Secrets were only protected by the disk encryption of etcd. Neither gives
you the key: its policy, its rotation, the CloudTrail record of its use, or the ability to cut
access by disabling it. Secrets encryption with your own KMS key adds it (eksctl
``secretsEncryption.keyARN``, Terraform ``encryption_config``, CloudFormation
``EncryptionConfig``; ``terraform-aws-modules/eks`` v19 and later create a key by default).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.linter.cluster.kinds import ClusterDefinition
from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import minor

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster


#: First Kubernetes version on which EKS envelope-encrypts all API data by default (AWS EKS user
#: guide "Default envelope encryption for all Kubernetes API data"; eksctl kms-encryption docs).
DEFAULT_ENVELOPE_MINOR = 28


@rule(
    id="secrets-encryption-disabled",
    title="Secrets should be encrypted with a customer-managed KMS key",
    level=Level.NOTE,
    targets=(ClusterDefinition,),
    tags=("eksctl", "terraform", "cloudformation", "security"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    key = c.secrets_key
    if key is None or not key.known or key.value is not None:
        return
    version = minor(c.version.written) if c.version is not None else None
    if version is not None and version < DEFAULT_ENVELOPE_MINOR:
        state = (
            f"on Kubernetes 1.{version} EKS does not envelope-encrypt Secrets by default (that starts with "
            "1.28), so they rest in etcd protected only by disk encryption"
        )
    else:
        state = (
            "Secrets are envelope-encrypted only with an AWS-owned key (the EKS default from Kubernetes 1.28), "
            "whose policy, rotation and CloudTrail audit you do not control"
        )
    yield key.at.finding(f"{key.default}{key.whence}: {state}; {key.hint}")
