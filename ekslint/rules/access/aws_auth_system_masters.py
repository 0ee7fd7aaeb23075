"""aws-auth-system-masters: the ``kube-system/aws-auth`` ConfigMap maps an IAM principal to ``system:masters``.

``system:masters`` is hard-wired to full access in the API server: no RBAC binding grants it and
none can take it away, so it cannot be audited or revoked with RBAC, and an IAM role mapped to it
is a cluster admin for everyone who can assume that role. ``mapRoles``/``mapUsers`` are YAML inside
a string: they are parsed here and the finding points at the ``system:masters`` line in the block.
Inner YAML that does not parse is left to the schema rules. A namespace-less ``aws-auth`` counts (it
is applied with ``-n kube-system``); one in another namespace is inert. eksctl ``iamIdentityMappings`` are the
same thing one step earlier (eksctl writes them into ``aws-auth``), so they are checked too.
"""

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.nodes import LMap, LSeq, Pos
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.secrets._blocks import line_in_scalar

_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FIX = (
    "map it to a group bound to a narrower ClusterRole, or move to EKS access entries with an access "
    "policy (aws-auth is deprecated)"
)


def _scalar(node: Node | None) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else ""


def _masters_in_text(text: str) -> Iterator[tuple[str, int, int]]:
    """``(principal, line, column)`` of each ``system:masters`` group entry in a mapRoles/mapUsers
    string (0-based, relative to the string)."""
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.YAMLError:
        return
    if not isinstance(root, SequenceNode):
        return
    for item in root.value:
        if not isinstance(item, MappingNode):
            continue
        fields = {_scalar(k): v for k, v in item.value}
        who = _scalar(fields.get("rolearn")) or _scalar(fields.get("userarn")) or "<no arn>"
        groups = fields.get("groups")
        if isinstance(groups, SequenceNode):
            for g in groups.value:
                if _scalar(g) == "system:masters":
                    yield who, g.start_mark.line, g.start_mark.column


def _eksctl(obj: K8sObject) -> Iterator[Finding]:
    mappings = obj.get("iamIdentityMappings")
    for i, item in enumerate(mappings if isinstance(mappings, list) else []):
        groups = item.get("groups") if isinstance(item, dict) else None
        for j, group in enumerate(groups if isinstance(groups, list) else []):
            if group == "system:masters":
                who = item.get("arn") or "<no arn>"
                yield Finding(
                    f"{obj.ref}: iamIdentityMappings[{i}] maps {who} to system:masters (eksctl writes it "
                    f"into kube-system/aws-auth: unrevocable full cluster access); {_FIX}",
                    ("iamIdentityMappings", i, "groups", j),
                )


@rule(
    id="aws-auth-system-masters",
    title="aws-auth must not map IAM principals to system:masters",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=("ConfigMap", "ClusterConfig.eksctl.io"),
    tags=("security", "iam", "rbac"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if obj.gk == "ClusterConfig.eksctl.io":
        yield from _eksctl(obj)
        return
    if obj.name != "aws-auth" or obj.namespace not in (None, "kube-system"):
        return
    data = obj.get("data")
    if not isinstance(data, LMap):
        return
    for field in ("mapRoles", "mapUsers"):
        value = data.get(field)
        principal = "IAM role" if field == "mapRoles" else "IAM user"
        if isinstance(value, str):
            for who, line, col in _masters_in_text(value):
                pos: Pos | None = line_in_scalar(obj.file, data.vpos[field], value, line, col)
                yield Finding(
                    f"{obj.ref}: {field} maps {principal} {who} to system:masters (unrevocable full "
                    f"cluster access); {_FIX}",
                    ("data", field),
                    pos=pos,
                )
        elif isinstance(value, LSeq):  # written as a YAML list instead of a string (schema-invalid, still meant)
            for i, item in enumerate(value):
                groups = item.get("groups") if isinstance(item, dict) else None
                for j, group in enumerate(groups if isinstance(groups, list) else []):
                    if group == "system:masters":
                        who = item.get("rolearn") or item.get("userarn") or "<no arn>"
                        yield Finding(
                            f"{obj.ref}: {field} maps {principal} {who} to system:masters (unrevocable "
                            f"full cluster access); {_FIX}",
                            ("data", field, i, "groups", j),
                        )
