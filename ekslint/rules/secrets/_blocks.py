"""Map a line inside a multi-line string (an embedded config file) back to its place in the file.

ConfigMaps embed whole files (``application.properties``, ``prometheus.yml``, ``aws-auth``'s
``mapRoles``) as block scalars; a finding about one line of such a file must point at that line,
not at the key that holds the file. The loader records where each value *starts* (for a ``|``
block, the indicator's line); this module reads the raw lines of the source to find the rest:

* a literal ``|`` block keeps its lines one for one: content line *i* is on ``start.line + 1 + i``
  (checked against the raw text, so an indentation indicator or a comment cannot shift it);
* other styles (folded ``>``, plain or quoted multi-line scalars) fold lines, so the content line
  is searched for among the raw lines of the scalar (its n-th occurrence, for repeated lines);
* anything that cannot be matched (JSON strings with ``\\n`` escapes, a line split by folding)
  returns ``None`` and the caller points at the key instead.
"""

from __future__ import annotations

from ekslint.linter.loader import SourceFile
from ekslint.linter.nodes import Pos


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _pos(raw: str, content_line: str, col: int, lineno: int) -> Pos:
    lead = _indent(content_line)
    return Pos(lineno, _indent(raw) + max(col - lead, 0) + 1)


def line_in_scalar(source: SourceFile, start: Pos, value: str, line: int, col: int = 0) -> Pos | None:
    """Where content line ``line`` (0-based, column ``col``) of the string ``value`` whose node
    starts at ``start`` is in ``source``; ``None`` when it cannot be told exactly."""
    content = value.split("\n")
    if len(content) < 2 or not 0 <= line < len(content) or not content[line].strip():
        return None
    count = source.line_count  # lines as libyaml counts them, cut out of the text one at a time
    if not 1 <= start.line <= count:
        return None
    target = content[line]
    wanted = target.strip()
    header = source.line(start.line)
    if header[start.col - 1 : start.col] == "|":
        lineno = start.line + 1 + line
        if lineno <= count and source.line(lineno).strip() == wanted:
            return _pos(source.line(lineno), target, col, lineno)
    # Search the scalar's own lines: from its start to the first line indented no deeper than the
    # line that holds its key (the end of a block or multi-line flow scalar).
    skip = sum(1 for c in content[:line] if c.strip() == wanted)
    parent_indent = _indent(header)
    for index in range(start.line - 1, count):
        raw = source.line(index + 1)
        if index > start.line - 1 and raw.strip() and _indent(raw) <= parent_indent:
            break
        if raw.strip() == wanted or (index == start.line - 1 and raw.rstrip().endswith(wanted)):
            if skip == 0:
                if index == start.line - 1:
                    return Pos(index + 1, len(raw.rstrip()) - len(wanted) + max(col - _indent(target), 0) + 1)
                return _pos(raw, target, col, index + 1)
            skip -= 1
    return None
