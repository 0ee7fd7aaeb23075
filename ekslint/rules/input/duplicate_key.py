"""duplicate-key: a mapping that defines the same key twice."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.loader import SourceFile
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="duplicate-key",
    title="Mappings must not repeat a key",
    level=Level.ERROR,
    targets=(SourceFile,),
    tags=("input",),
)
def check(source: SourceFile, ctx: RuleContext) -> Iterator[Finding]:
    for issue in source.issues:
        if issue.rule == "duplicate-key":
            yield Finding(issue.message, pos=issue.pos)
