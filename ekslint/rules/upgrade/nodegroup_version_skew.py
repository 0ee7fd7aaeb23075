"""nodegroup-version-skew: a node group newer than the control plane or too far behind it."""

import re
from collections.abc import Iterator

from ekslint.data.eks_versions import EKSCTL_DEFAULT_VERSION, KUBELET_MAX_SKEW, KUBELET_MAX_SKEW_BEFORE_1_25
from ekslint.linter.context import RuleContext
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import cluster_version, minor, written_version

#: An EKS AMI release version: ``1.33.0-20250704`` (Kubernetes 1.33).
RELEASE_RE = re.compile(r"^v?1\.(\d{1,2})\.\d+(?:-\d+)?$")


@rule(
    id="nodegroup-version-skew",
    title="Node groups must stay within the kubelet version skew",
    level=Level.ERROR,
    targets=(ClusterConfig,),
    tags=("upgrade", "eks"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    written = cluster_version(cfg)
    cp_version = written.written if written is not None else EKSCTL_DEFAULT_VERSION
    cp = minor(cp_version)
    if cp is None:
        return  # eks-version-support reports an unknown control-plane version
    where = "metadata.version" if written is not None else f"eksctl's default {EKSCTL_DEFAULT_VERSION}"
    for path, ng, _managed in cfg.node_groups():
        name = ng.get("name", "<unnamed>")
        for key in ("version", "releaseVersion"):
            node_written = written_version(ng, key, cfg.file)
            if node_written is None:
                continue
            text = node_written.written
            node = minor(text)
            if node is None and key == "releaseVersion":
                m = RELEASE_RE.match(text)
                node = int(m.group(1)) if m else None
            if node is None:
                continue
            limit = KUBELET_MAX_SKEW_BEFORE_1_25 if node < 25 else KUBELET_MAX_SKEW
            if node > cp:
                yield Finding(
                    f"node group {name!r} runs Kubernetes 1.{node} ({key} {text}), newer than the control "
                    f"plane 1.{cp} ({where}): a kubelet must never be newer than the API server",
                    (*path, key),
                    value=True,
                )
            elif cp - node > limit:
                yield Finding(
                    f"node group {name!r} runs Kubernetes 1.{node} ({key} {text}), {cp - node} minor "
                    f"versions behind the control plane 1.{cp} ({where}): kubelet 1.{node} may trail the "
                    f"API server by at most {limit}; upgrade the node group first",
                    (*path, key),
                    value=True,
                )
