"""irsa-role-arn-invalid: an ``eks.amazonaws.com/role-arn`` ServiceAccount annotation that is not an IAM role ARN.

The EKS Pod Identity webhook copies the annotation into ``AWS_ROLE_ARN`` without checking it; a
malformed ARN only shows up at run time as ``AssumeRoleWithWebIdentity`` failures, after the
deployment looked healthy. Syntax (IAM User Guide, "IAM identifiers" and "ARN format"):
``arn:<partition>:iam::<12-digit account>:role/<path/>*<name>``; the name is 1-64 of
``[A-Za-z0-9_+=,.@-]``, path segments are printable ASCII. Template placeholders (``${VAR}``,
``$VAR``, ``{{ }}``, ``<account>``: :mod:`ekslint.linter.placeholders`; an account written as
``ACCOUNT_ID``) are filled in later and are not reported.
"""

import re
from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.placeholders import is_placeholder
from ekslint.linter.registry import Finding, Level, rule

ANNOTATION = "eks.amazonaws.com/role-arn"
#: AWS partitions (commercial, China, GovCloud, ISO regions, European Sovereign Cloud).
PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"})
_NAME = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
_PATH_SEGMENT = re.compile(r"^[\x21-\x2e\x30-\x7e]+$")
_ACCOUNT_PLACEHOLDER = re.compile(r"^(?=.*[A-Za-z])[A-Za-z_\-]+$|^[Xx0]{12}$")


def problem(arn: str) -> str | None:
    """Why ``arn`` is not an IAM role ARN, or ``None`` when it is one (or is a placeholder)."""
    if not arn.strip() or is_placeholder(arn):
        return None
    if arn != arn.strip() or any(ch.isspace() for ch in arn):
        return "contains whitespace"
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return "is not an ARN"
    _, partition, service, region, account, resource = parts
    if _ACCOUNT_PLACEHOLDER.match(account) and partition in PARTITIONS | {""}:
        return None  # arn:aws:iam::ACCOUNT_ID:role/x, a placeholder to fill in
    if partition not in PARTITIONS:
        return f"has unknown partition {partition!r} (expected one of {', '.join(sorted(PARTITIONS))})"
    if service != "iam":
        return f"is an ARN of service {service!r}, not an IAM role"
    if region:
        return f"has region {region!r}, but IAM ARNs have an empty region field (arn:{partition}:iam::...)"
    if not re.fullmatch(r"\d{12}", account):
        return f"has account {account!r}, which is not 12 digits"
    kind, _, rest = resource.partition("/")
    if kind != "role":
        return f"names {'an IAM ' + kind if kind else 'no resource'}, not a role (expected :role/<name>)"
    *path, name = rest.split("/")
    if not name:
        return "has an empty role name"
    if len(name) > 64:
        return f"has a role name of {len(name)} characters; IAM role names have at most 64"
    if not _NAME.match(name):
        return f"has role name {name!r}, which has characters other than letters, digits and _+=,.@-"
    if any(not _PATH_SEGMENT.match(seg) for seg in path) or len("/".join(path)) + 2 > 512:
        return "has an invalid role path (segments of printable ASCII separated by single '/')"
    return None


@rule(
    id="irsa-role-arn-invalid",
    title="IRSA role ARNs must be valid IAM role ARNs",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=("ServiceAccount",),
    tags=("iam", "irsa"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    value = obj.annotations.get(ANNOTATION)
    if not isinstance(value, str):
        return
    why = problem(value)
    if why:
        yield Finding(
            f"{obj.ref}: annotation {ANNOTATION} {why}; write "
            "arn:aws:iam::<12-digit account id>:role/<optional path/><role name>",
            ("metadata", "annotations", ANNOTATION),
            value=True,
        )
