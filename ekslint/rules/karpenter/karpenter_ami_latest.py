"""karpenter-ami-latest: an EC2NodeClass that follows the newest AMI (``alias: family@latest``).

With an ``@latest`` alias every AMI release published by AWS makes every node of the class
drift, and Karpenter replaces them on its own schedule: an untested AMI reaches production
without a change in Git, and a bad release cannot be rolled back by reverting a commit. Pin a
version (``al2023@v20250715``) and bump it deliberately, environment by environment.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.karpenter._karpenter import EC2NODECLASS


@rule(
    id="karpenter-ami-latest",
    title="EC2NodeClasses should pin the AMI version",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=(EC2NODECLASS,),
    tags=("karpenter", "reproducibility"),
)
def check(nc: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    terms = nc.spec.get("amiSelectorTerms")
    for i, term in enumerate(terms if isinstance(terms, list) else []):
        alias = term.get("alias") if isinstance(term, dict) else None
        if isinstance(alias, str) and alias.strip().lower().endswith("@latest"):
            family = alias.partition("@")[0]
            yield Finding(
                f"{nc.ref} selects AMI alias {alias!r}: each new AMI release drifts and "
                "replaces every node of the class, untested and without a change in Git; pin a version "
                f"such as {family}@v20250715 and update it deliberately",
                ("spec", "amiSelectorTerms", i, "alias"),
            )
