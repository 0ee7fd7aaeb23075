"""yaml-syntax: a file or document that is not valid YAML/JSON."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.loader import SourceFile
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="yaml-syntax",
    title="Files must be valid YAML or JSON",
    level=Level.ERROR,
    targets=(SourceFile,),
    tags=("input",),
)
def check(source: SourceFile, ctx: RuleContext) -> Iterator[Finding]:
    for issue in source.issues:
        if issue.rule == "yaml-syntax":
            yield Finding(issue.message, pos=issue.pos)
