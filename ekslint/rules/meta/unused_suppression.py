"""unused-suppression: a suppression that matched no finding (off by default).

Turned on by ``--warn-unused-suppressions`` or ``warn-unused-suppressions: true``; the engine
tracks which directives were used (``ekslint.linter.engine``).
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="unused-suppression",
    title="Suppressions should still suppress something",
    level=Level.NOTE,
    targets=(),
    tags=("meta",),
    enabled=False,
)
def check(target: object, ctx: RuleContext) -> Iterator[Finding]:
    return iter(())
