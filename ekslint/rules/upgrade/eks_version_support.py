"""eks-version-support: an eksctl cluster version past EKS standard or extended support."""

from collections.abc import Iterator

from ekslint.data.eks_versions import EKSCTL_NEWEST_VERSION, RELEASES
from ekslint.linter.context import RuleContext
from ekslint.linter.model import ClusterConfig
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import cluster_version, minor, version_key

PATH = ("metadata", "version")
#: Values eksctl resolves itself instead of passing them to EKS.
EKSCTL_KEYWORDS = ("auto", "latest", "default")


@rule(
    id="eks-version-support",
    title="Run an EKS version in standard support",
    level=Level.WARNING,
    targets=(ClusterConfig,),
    tags=("upgrade", "eks"),
)
def check(cfg: ClusterConfig, ctx: RuleContext) -> Iterator[Finding]:
    written = cluster_version(cfg)
    if written is None:
        return  # eksctl creates its default version, which is supported
    today = ctx.settings.today
    version = written.written
    if version.lower() in EKSCTL_KEYWORDS:
        return  # eksctl resolves it to a supported version
    if written.unquoted_number and written.read_as != version:
        yield Finding(
            f"metadata.version {version} is unquoted: YAML reads the number {written.read_as} and eksctl "
            f'asks EKS for version "{written.read_as}", which does not exist; quote it: "{version}"',
            PATH,
            level=Level.ERROR,
            value=True,
        )
        return
    rel = RELEASES.get(version)
    oldest = min(RELEASES, key=version_key)
    if rel is None and minor(version) is not None and version_key(version) < version_key(oldest):
        ended = RELEASES[oldest].end_of_extended_support
        yield Finding(
            f"Kubernetes {version} is older than every version in the EKS calendar ({oldest}, the oldest, "
            f"left extended support on {ended.isoformat() if ended else 'an earlier date'}): EKS no longer "
            "runs it; upgrade the cluster one minor version at a time",
            PATH,
            level=Level.ERROR,
            value=True,
        )
        return
    if rel is None or rel.eks_release is None or minor(version) is None:
        known = ", ".join(v for v, r in RELEASES.items() if r.eks_release)
        yield Finding(
            f"metadata.version {version!r} is not an EKS Kubernetes version ekslint knows "
            f"({known}; eksctl's newest is {EKSCTL_NEWEST_VERSION})",
            PATH,
            level=Level.ERROR,
            value=True,
        )
        return
    if today < rel.eks_release:
        yield Finding(
            f"Kubernetes {version} is not available on EKS until {rel.eks_release.isoformat()}",
            PATH,
            level=Level.ERROR,
            value=True,
        )
        return
    end_std, end_ext = rel.end_of_standard_support, rel.end_of_extended_support
    if end_ext is not None and today >= end_ext:
        yield Finding(
            f"Kubernetes {version} reached the end of EKS extended support on {end_ext.isoformat()}: EKS "
            "upgrades such control planes automatically and nodes fall out of the supported skew; "
            "upgrade the cluster one minor version at a time",
            PATH,
            level=Level.ERROR,
            value=True,
        )
    elif end_std is not None and today >= end_std:
        until = f" until {end_ext.isoformat()}" if end_ext else ""
        yield Finding(
            f"Kubernetes {version} left EKS standard support on {end_std.isoformat()}: the cluster is in "
            f"extended support{until}, which is billed per cluster-hour; upgrade it",
            PATH,
            value=True,
        )
