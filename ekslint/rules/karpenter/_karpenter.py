"""Kinds and small readers shared by the Karpenter rules (see the CRDs in
``shared/reference/karpenter-crds/``, aws/karpenter-provider-aws @ 1d927085, v1.14.1)."""

from __future__ import annotations

from typing import Any

NODEPOOL = "NodePool.karpenter.sh"
EC2NODECLASS = "EC2NodeClass.karpenter.k8s.aws"
#: Karpenter's v1alpha1 node template; same ``metadataOptions`` shape as EC2NodeClass.
AWSNODETEMPLATE = "AWSNodeTemplate.karpenter.k8s.aws"
EKSCTL = "ClusterConfig.eksctl.io"


def as_map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
