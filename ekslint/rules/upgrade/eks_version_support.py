"""eks-version-support: a cluster version past EKS standard or extended support.

The version comes from the cluster model: eksctl ``metadata.version``, Terraform ``version``
(``cluster_version``/``kubernetes_version`` of ``terraform-aws-modules/eks``), CloudFormation
``Version``. A cluster without a version gets eksctl's default (supported) or, with Terraform
and CloudFormation, the newest version at creation time: nothing to report.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.data.eks_versions import EKSCTL_NEWEST_VERSION, RELEASES
from ekslint.linter.cluster.kinds import EKSCTL, ClusterDefinition
from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import minor, version_key

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster


#: Values eksctl resolves itself instead of passing them to EKS.
EKSCTL_KEYWORDS = ("auto", "latest", "default")


@rule(
    id="eks-version-support",
    title="Run an EKS version in standard support",
    level=Level.WARNING,
    targets=(ClusterDefinition,),
    tags=("upgrade", "eks"),
)
def check(c: Cluster, ctx: RuleContext) -> Iterator[Finding]:
    written = c.version
    if written is None:
        return  # the tool's default version, or the newest at creation time: supported
    today = ctx.settings.today
    version = written.written
    at, key = written.at, written.key
    if c.source == EKSCTL and version.lower() in EKSCTL_KEYWORDS:
        return  # eksctl resolves it to a supported version
    if written.unquoted_number and written.read_as != version:
        reader = "HCL" if c.syntax.style == "hcl" else "YAML"
        yield at.finding(
            f"{key} {version} is unquoted{written.whence}: {reader} reads the number {written.read_as} and "
            f'{c.tool} asks EKS for version "{written.read_as}", which does not exist; quote it: "{version}"',
            level=Level.ERROR,
        )
        return
    rel = RELEASES.get(version)
    oldest = min(RELEASES, key=version_key)
    if rel is None and minor(version) is not None and version_key(version) < version_key(oldest):
        ended = RELEASES[oldest].end_of_extended_support
        yield at.finding(
            f"Kubernetes {version}{written.whence} is older than every version in the EKS calendar ({oldest}, the "
            f"oldest, left extended support on {ended.isoformat() if ended else 'an earlier date'}): EKS no longer "
            "runs it; upgrade the cluster one minor version at a time",
            level=Level.ERROR,
        )
        return
    if rel is None or rel.eks_release is None or minor(version) is None:
        known = ", ".join(v for v, r in RELEASES.items() if r.eks_release)
        newest = f"; eksctl's newest is {EKSCTL_NEWEST_VERSION}" if c.source == EKSCTL else ""
        yield at.finding(
            f"{key} {version!r}{written.whence} is not an EKS Kubernetes version ekslint knows ({known}{newest})",
            level=Level.ERROR,
        )
        return
    if today < rel.eks_release:
        yield at.finding(
            f"Kubernetes {version}{written.whence} is not available on EKS until {rel.eks_release.isoformat()}",
            level=Level.ERROR,
        )
        return
    end_std, end_ext = rel.end_of_standard_support, rel.end_of_extended_support
    if end_ext is not None and today >= end_ext:
        yield at.finding(
            f"Kubernetes {version}{written.whence} reached the end of EKS extended support on {end_ext.isoformat()}: "
            "EKS upgrades such control planes automatically and nodes fall out of the supported skew; "
            "upgrade the cluster one minor version at a time",
            level=Level.ERROR,
        )
    elif end_std is not None and today >= end_std:
        until = f" until {end_ext.isoformat()}" if end_ext else ""
        yield at.finding(
            f"Kubernetes {version}{written.whence} left EKS standard support on {end_std.isoformat()}: the cluster "
            f"is in extended support{until}, which is billed per cluster-hour; upgrade it"
        )
