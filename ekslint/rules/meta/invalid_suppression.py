"""invalid-suppression: a malformed ``# ekslint:`` directive or an unknown rule id in one.

The engine finds these while it applies suppressions (``ekslint.linter.suppress``); this module
registers the rule so it can be configured, documented and reported like any other.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="invalid-suppression",
    title="Suppressions must name known rules in the documented form",
    level=Level.WARNING,
    targets=(),
    tags=("meta",),
)
def check(target: object, ctx: RuleContext) -> Iterator[Finding]:
    return iter(())
