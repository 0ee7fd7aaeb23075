"""CloudFormation clusters (stub)."""

from __future__ import annotations

from ekslint.linter.cluster.model import Cluster
from ekslint.linter.loader import SourceFile


def cloudformation_clusters(files: list[SourceFile], notes: list[str]) -> list[Cluster]:
    return []
