"""nodegroup-version-skew: a node group newer than the control plane or too far behind it.

Node group versions come from the cluster model: eksctl ``version``/``releaseVersion``, Terraform
``version``/``release_version`` (or the module's per-group ``cluster_version``/
``kubernetes_version``), CloudFormation ``Version``/``ReleaseVersion``. A node group without one
follows the control plane.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.data.eks_versions import KUBELET_MAX_SKEW, KUBELET_MAX_SKEW_BEFORE_1_25
from ekslint.linter.cluster.kinds import ClusterDefinition
from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import minor

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster


#: An EKS AMI release version: ``1.33.0-20250704`` (Kubernetes 1.33).
RELEASE_RE = re.compile(r"^v?1\.(\d{1,2})\.\d+(?:-\d+)?$")


@rule(
    id="nodegroup-version-skew",
    title="Node groups must stay within the kubelet version skew",
    level=Level.ERROR,
    targets=(ClusterDefinition,),
    tags=("upgrade", "eks"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    if c.version is not None:
        cp_version, where = c.version.written, c.version.key + c.version.whence
    elif c.default_version is not None:
        cp_version, where = c.default_version, c.default_version_text
    else:
        return  # the newest version at creation time: unknown here
    cp = minor(cp_version)
    if cp is None:
        return  # eks-version-support reports an unknown control-plane version
    for ng in c.node_groups:
        for v in ng.versions:
            text = v.written
            node = minor(text)
            if node is None and "release" in v.key.lower():
                m = RELEASE_RE.match(text)
                node = int(m.group(1)) if m else None
            if node is None:
                continue
            limit = KUBELET_MAX_SKEW_BEFORE_1_25 if node < 25 else KUBELET_MAX_SKEW
            if node > cp:
                yield v.at.finding(
                    f"node group {ng.name!r} runs Kubernetes 1.{node} ({v.key} {text}{v.whence}), newer than the "
                    f"control plane 1.{cp} ({where}): a kubelet must never be newer than the API server"
                )
            elif cp - node > limit:
                yield v.at.finding(
                    f"node group {ng.name!r} runs Kubernetes 1.{node} ({v.key} {text}{v.whence}), {cp - node} minor "
                    f"versions behind the control plane 1.{cp} ({where}): kubelet 1.{node} may trail the "
                    f"API server by at most {limit}; upgrade the node group first"
                )
