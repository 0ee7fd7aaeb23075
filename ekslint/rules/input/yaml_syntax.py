"""yaml-syntax: a file or document that is not valid YAML/JSON.

The loader (``ekslint.linter.loader``) turns every reading problem into an issue: a parser error
at libyaml's mark (loading resumes at the next ``---``), binary and non-UTF-8 files, alias bombs,
recursive aliases and absurd nesting. This rule reports them; it is the one place where a file
that could not be read at all shows up, so it is never silent about a skipped file.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.loader import SourceFile
from ekslint.linter.registry import Finding, Level, rule

_TEMPLATE_HINT = "the file contains '{{', is it an unrendered template?"


@rule(
    id="yaml-syntax",
    title="Files must be valid YAML or JSON",
    level=Level.ERROR,
    targets=(SourceFile,),
    tags=("input",),
)
def check(source: SourceFile, ctx: RuleContext) -> Iterator[Finding]:
    template = "{{" in source.text  # once per file: a file with thousands of errors asked each time
    for issue in source.issues:
        if issue.rule == "yaml-syntax":
            message = issue.message
            if template and _TEMPLATE_HINT not in message:
                message += f"; {_TEMPLATE_HINT}"  # the loader adds it to parser errors only
            yield Finding(message, pos=issue.pos)
