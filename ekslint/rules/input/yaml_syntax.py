"""yaml-syntax: a file or document that is not valid YAML/JSON.

The loader (``ekslint.linter.loader``) turns every reading problem into an issue: a parser error
at libyaml's mark (loading resumes at the next ``---``), binary and non-UTF-8 files, alias bombs,
recursive aliases and absurd nesting. This rule reports them; it is the one place where a file
that could not be read at all shows up, so it is never silent about a skipped file.
"""

import re
from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.loader import LoadIssue, SourceFile
from ekslint.linter.nodes import Pos
from ekslint.linter.registry import Finding, Level, rule

#: PyYAML's reader errors (control characters) say where they are as a byte offset into the text
#: the parser was given, on a second line of the message: ``in "<unicode string>", position 9``.
_READER_WHERE = re.compile(r"\s*in \"<unicode string>\", position (\d+)\s*$")
_TEMPLATE_HINT = "the file contains '{{', is it an unrendered template?"


def _reader_error(source: SourceFile, issue: LoadIssue) -> tuple[str, Pos]:
    """Turn a reader error's byte offset into a line and column, and drop the stream name.

    The loader reports these at the start of the text it was parsing (``issue.pos``); libyaml
    counts the offset in UTF-8 bytes from there.
    """
    m = _READER_WHERE.search(issue.message)
    if m is None:
        return issue.message, issue.pos
    message = issue.message[: m.start()].rstrip()
    lines = source.text.splitlines(keepends=True)
    start = issue.pos.line - 1
    if not 0 <= start < len(lines):
        return message, issue.pos
    before = "".join(lines[start:]).encode("utf-8")[: int(m.group(1))].decode("utf-8", errors="ignore")
    line = issue.pos.line + before.count("\n")
    col = len(before) - (before.rfind("\n") + 1) + 1
    return message, Pos(line, col)


@rule(id="yaml-syntax", title="Files must be valid YAML or JSON", level=Level.ERROR, targets=(SourceFile,),
      tags=("input",))
def check(source: SourceFile, ctx: RuleContext) -> Iterator[Finding]:
    for issue in source.issues:
        if issue.rule == "yaml-syntax":
            message, pos = _reader_error(source, issue)
            if "{{" in source.text and _TEMPLATE_HINT not in message:
                message += f"; {_TEMPLATE_HINT}"  # the loader adds it to parser errors only
            yield Finding(message, pos=pos)
