"""duplicate-key: a mapping that defines the same key twice (in a manifest or a CloudFormation template)."""

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
    template: bool | None = None
    for issue in source.issues:
        if issue.rule == "duplicate-key":
            message = issue.message
            if template is None:
                from ekslint.linter.cloudformation.template import is_template

                template = any(is_template(d.root) for d in source.documents)
            if template:  # a CloudFormation template, not a manifest: kubectl never reads it
                message = message.replace(
                    "kubectl rejects this and other tools silently keep one of them",
                    "cfn-lint reports this as an error and most YAML parsers silently keep one of them",
                )
            yield Finding(message, pos=issue.pos)
