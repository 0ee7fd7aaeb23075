"""imdsv1-allowed: nodes whose instance metadata service answers IMDSv1, or answers pods.

IMDSv1 hands the node's IAM role credentials to any unauthenticated GET, so an SSRF bug or an
open proxy in any pod becomes the node role. IMDSv2 needs a PUT-issued token, and a response hop
limit of 1 keeps that token from reaching pods that are not on the host network (EKS Best
Practices, "Restrict access to the instance profile assigned to the worker node").

* Karpenter EC2NodeClass (and the v1alpha1 AWSNodeTemplate): ``spec.metadataOptions``. The v1
  CRD defaults are ``httpTokens: required`` and ``httpPutResponseHopLimit: 1``, so only explicit
  ``httpTokens: optional`` or a hop limit above 1 is flagged; ``httpEndpoint: disabled`` turns
  IMDS off and nothing is flagged. (v1beta1 defaulted the hop limit to 2; an unset field is not
  flagged there, since ``removed-api`` already asks for the v1 move that fixes it.)
* eksctl node groups: ``disableIMDSv1``. The eksctl schema (v0.230, shared/reference/
  eksctl-clusterconfig.schema.json) defaults it to **true** for both ``nodeGroups`` and
  ``managedNodeGroups``, so an absent field means IMDSv1 is already off: only an explicit
  ``disableIMDSv1: false`` is flagged.
* Terraform and CloudFormation node groups (through the cluster model): their launch
  template's metadata options. Only what is written is flagged (``http_tokens = "optional"``,
  ``HttpTokens: optional``, a hop limit above 1): when unset, the AMI's own IMDS default applies
  (recent EKS AMIs require IMDSv2), which the definition does not show. ``terraform-aws-modules/eks``
  node groups get ``http_tokens = "required"`` from the module unless overridden.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ekslint.linter.cluster.kinds import ClusterDefinition
from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.karpenter._karpenter import AWSNODETEMPLATE, EC2NODECLASS, as_map

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster


CREDS = "pods can fetch the node role's credentials"


def _hop_limit(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _node_class(obj: K8sObject) -> Iterator[Finding]:
    opts = as_map(obj.spec.get("metadataOptions"))
    if str(opts.get("httpEndpoint", "enabled")).lower() == "disabled":
        return
    path = ("spec", "metadataOptions")
    what = obj.ref
    if str(opts.get("httpTokens", "required")).lower() == "optional":
        yield Finding(
            f"{what} sets metadataOptions.httpTokens: optional: its nodes answer IMDSv1, so an SSRF "
            f"or open proxy in any pod can fetch the node role's credentials; set httpTokens: "
            "required (the default)",
            (*path, "httpTokens"),
        )
    hops = _hop_limit(opts.get("httpPutResponseHopLimit"))
    if hops is not None and hops > 1:
        yield Finding(
            f"{what} sets metadataOptions.httpPutResponseHopLimit: {hops}: IMDS responses reach "
            f"containers that are not on the host network, so {CREDS}; set it to 1 (the default) and "
            "give pods AWS access through EKS Pod Identity or IRSA",
            (*path, "httpPutResponseHopLimit"),
        )


def _cluster(c: Cluster) -> Iterator[Finding]:
    for ng in c.node_groups:
        imds = ng.imds
        if imds.tokens_optional is not None:
            yield imds.tokens_optional.finding(
                f"{imds.tokens_text}: its nodes answer IMDSv1, so an SSRF or open proxy in any pod can fetch the "
                f"node role's credentials; {imds.tokens_fix}"
            )
        if imds.hop_limit is not None and imds.hop_limit > 1 and imds.hop_limit_site is not None:
            yield imds.hop_limit_site.finding(
                f"{ng.describe} sets {imds.hop_limit_key} to {imds.hop_limit}: IMDS responses reach containers "
                f"that are not on the host network, so {CREDS}; set it to 1 and give pods AWS access through "
                "EKS Pod Identity or IRSA"
            )


@rule(
    id="imdsv1-allowed",
    title="Nodes should require IMDSv2 and keep IMDS away from pods",
    level=Level.WARNING,
    targets=(K8sObject, ClusterDefinition),
    kinds=(EC2NODECLASS, AWSNODETEMPLATE),
    tags=("security", "eks", "karpenter"),
)
def check(target: K8sObject | Cluster, ctx: RuleContext) -> Iterator[Finding]:
    if isinstance(target, ClusterDefinition):
        yield from _cluster(target)
    else:
        yield from _node_class(target)
