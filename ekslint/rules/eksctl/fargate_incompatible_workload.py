"""fargate-incompatible-workload: a workload a Fargate profile selects, but that Fargate cannot run.

Every pod matching a Fargate profile (namespace and labels; eksctl ``fargateProfiles``,
Terraform ``aws_eks_fargate_profile`` or the module's ``fargate_profiles``, CloudFormation
``AWS::EKS::FargateProfile``) is scheduled onto Fargate,
which runs each pod in its own micro-VM: no privileged containers, no host network or host
ports, no hostPath volumes, and no DaemonSets (eks-facts.md section 8, AWS EKS user guide
"Fargate considerations"). Such pods stay Pending, and only at deploy time.

DaemonSet pods are bound to nodes and never go to Fargate: next to node groups they run on the
EC2 nodes (aws-node and kube-proxy in a Fargate-selected ``kube-system`` are normal), so a
DaemonSet is only reported when the cluster has no node groups, Karpenter or Auto Mode to run it.

The scan does not say which cluster a manifest is deployed to. With several clusters in the
scan (per-environment configs, or a repository of examples), a workload is reported only when
every one of them would send it to Fargate.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex
from ekslint.linter.model import Workload
from ekslint.linter.nodes import NodePath
from ekslint.linter.registry import Finding, Level, rule

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster, FargateProfile


DAEMONSET_KINDS = ("DaemonSet.apps", "DaemonSet.extensions")


def _selecting(
    clusters: list[tuple[Cluster, list[FargateProfile]]], w: Workload
) -> Iterator[tuple[Cluster, FargateProfile]]:
    for c, profiles in clusters:
        for prof in profiles:
            if prof.selects(w.effective_namespace, w.template_labels):
                yield c, prof
                break


def _problems(w: Workload) -> Iterator[tuple[str, NodePath]]:
    """What keeps a (non-DaemonSet) pod template off Fargate, and where."""
    spec = w.pod_spec
    if spec.get("hostNetwork") is True:
        yield "it uses hostNetwork", w.pod_spec_path + ("hostNetwork",)
    for c in w.containers:
        if c.security_context.get("privileged") is True:
            yield f"{c.describe} is privileged", c.path + ("securityContext", "privileged")
        raw_ports = c.spec.get("ports")
        for i, port in enumerate(raw_ports if isinstance(raw_ports, list) else []):
            if isinstance(port, dict) and port.get("hostPort") not in (None, 0):
                yield f"{c.describe} uses hostPort {port['hostPort']}", c.path + ("ports", i, "hostPort")
    volumes = spec.get("volumes")
    for i, vol in enumerate(volumes if isinstance(volumes, list) else []):
        if isinstance(vol, dict) and vol.get("hostPath") is not None:
            yield f"volume {vol.get('name', i)!r} is a hostPath", w.pod_spec_path + ("volumes", i, "hostPath")


@rule(
    id="fargate-incompatible-workload",
    title="Workloads selected by a Fargate profile must be able to run on Fargate",
    level=Level.ERROR,
    targets=(ScanIndex,),
    tags=("eksctl", "terraform", "cloudformation", "fargate", "scheduling"),
)
def check(index: ScanIndex, ctx: RuleContext) -> Iterator[Finding]:
    if not index.clusters:
        return
    clusters = [(c, c.fargate_profiles) for c in index.clusters]
    if not any(profiles for _, profiles in clusters):
        return
    for w in index.workloads:
        selecting = list(_selecting(clusters, w))
        if not selecting or len(selecting) < len(index.clusters):
            continue
        c, prof = selecting[0]
        if w.gk in DAEMONSET_KINDS:
            if not any(c2.has_ec2_capacity for c2, _ in selecting):
                yield Finding(
                    f"{w.ref} is a DaemonSet in a namespace that Fargate profile {prof.name!r} selects, and "
                    f"cluster {c.name!r} has no node groups: Fargate runs no DaemonSets, so it never runs a "
                    "pod; add a node group, or run the agent as a sidecar",
                    ("kind",),
                    obj=w,
                )
            continue
        problems = list(_problems(w))
        if not problems:
            continue
        reasons = "; ".join(reason for reason, _ in problems)
        yield Finding(
            f"{w.ref} is selected by Fargate profile {prof.name!r} (cluster {c.name!r}), but Fargate cannot "
            f"run it: {reasons}; run it on a node group, or narrow the profile's selectors",
            problems[0][1],
            obj=w,
        )
