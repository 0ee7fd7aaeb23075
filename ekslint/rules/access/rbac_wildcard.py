"""rbac-wildcard: ``*`` in a Role/ClusterRole rule's verbs, resources or apiGroups.

A wildcard grants everything that exists *and everything added later*: ``verbs: ["*"]`` includes
``escalate``, ``bind`` and ``impersonate`` where they apply and every verb a future API adds;
``resources: ["*"]`` includes Secrets and every CRD installed next year. Aggregated ClusterRoles
(``aggregationRule``) get their rules from a controller and are skipped, as are Kubernetes' own
roles (``cluster-admin``, ``system:*``) and EKS-managed ``eks:*`` roles in cluster dumps.
"""

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.access._rbac import ROLE_KINDS, is_bootstrap_rbac


def _items(rule_item: dict[str, Any], field: str) -> list[str]:
    values = rule_item.get(field)
    return [str(v) for v in values] if isinstance(values, list) else []


def _groups(groups: list[str]) -> str:
    if "*" in groups:
        return "in every API group"
    names = ["core" if g == "" else g for g in groups]
    return f"in API group{'s' if len(names) > 1 else ''} {', '.join(names)}" if names else ""


def _describe(field: str, item: dict[str, Any]) -> str:
    groups, resources = _items(item, "apiGroups"), _items(item, "resources")
    if field == "verbs":
        target = "every resource" if "*" in resources else ", ".join(resources) or "the listed resources"
        return f"every verb, present and future, on {target} {_groups(groups)}".rstrip()
    if field == "resources":
        secrets = "" in groups or "*" in groups
        return f"every resource {_groups(groups)}{' (Secrets included)' if secrets else ''}".rstrip()
    listed = "every resource" if "*" in resources else ", ".join(resources) or "the listed resources"
    return f"{listed} in every API group, CRDs installed later included"


@rule(
    id="rbac-wildcard",
    title="RBAC rules should not use wildcards",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=ROLE_KINDS,
    tags=("security", "rbac"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if is_bootstrap_rbac(obj) or obj.root.get("aggregationRule") is not None:
        return
    rules = obj.root.get("rules")
    for i, item in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(item, dict):
            continue
        for field in ("apiGroups", "resources", "verbs"):
            for j, value in enumerate(_items(item, field)):
                if value == "*":
                    yield Finding(
                        f"{obj.ref} rules[{i}] has '*' in {field}: it grants {_describe(field, item)}; "
                        f"list the {field} needed instead",
                        ("rules", i, field, j),
                    )
