"""The cluster model and its adapters: every EKS cluster definition in a scan, source-neutral.

:func:`build_clusters` turns the scan's eksctl ClusterConfigs, Terraform root modules and
CloudFormation templates into :class:`~ekslint.linter.cluster.model.Cluster` objects, once per
scan; rules that target ``Cluster`` get each of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ekslint.linter.loader import SourceFile
from ekslint.linter.model import ClusterConfig, K8sObject

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster
    from ekslint.linter.config import Settings


def build_clusters(
    files: list[SourceFile],
    objects: Iterable[K8sObject],
    notes: list[str],
    settings: Settings | None = None,
    cwd: Path | None = None,
) -> list[Cluster]:
    """Every cluster the scan defines, in scan order: eksctl first (by object), then Terraform and
    CloudFormation (by folder and file). Problems reading a definition become ``notes``."""
    # Each adapter is imported only when the scan holds its source: a one-manifest pre-commit run
    # pays for none of them.
    configs = [o for o in objects if isinstance(o, ClusterConfig)]
    clusters: list[Cluster] = []
    if configs:
        from ekslint.linter.cluster.eksctl import eksctl_cluster

        clusters += [eksctl_cluster(o) for o in configs]
    if any(f.syntax == "hcl" or f.display.endswith((".tf.json", ".tfvars.json")) for f in files):
        from ekslint.linter.terraform.clusters import terraform_clusters

        clusters += terraform_clusters(files, notes, settings, cwd)
    if any(isinstance(d.root, dict) and "Resources" in d.root for f in files for d in f.documents):
        from ekslint.linter.cloudformation.clusters import cloudformation_clusters

        clusters += cloudformation_clusters(files, notes)
    return clusters
