"""Where an HCL file is broken, in words a person can act on.

tree-sitter-hcl recovers from errors, and its ERROR node for an unclosed bracket often starts at
the first line of the file: "syntax error at 1:1" helps nobody. Most broken ``.tf`` files are
broken brackets or quotes (a merge that dropped a ``}``, a ``[`` closed by ``}``), so the
brackets are matched first, outside strings, comments and heredocs, and the first mismatch is
reported where it is; only when they balance is tree-sitter's first ERROR or MISSING node used.
The scan is linear and iterative: no input makes it recurse or backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ekslint.linter.nodes import Pos

_CLOSE = {")": "(", "]": "[", "}": "{"}
_TEMPLATE = "${"
_PUNCTUATION = frozenset('{}[]()=:,?"')


def bracket_error(text: str) -> tuple[Pos, str] | None:
    """The first unbalanced bracket or unterminated string of ``text``, or None."""
    stack: list[tuple[str, int, int]] = []  # (opener, line, column)
    line, col = 1, 1
    i, n = 0, len(text)
    in_string = False
    string_at = Pos(1, 1)
    heredoc: str | None = None
    while i < n:
        ch = text[i]
        if heredoc is not None:  # inside a heredoc: skip to its closing line
            end = text.find("\n", i)
            end = n if end < 0 else end
            if text[i:end].strip() == heredoc:
                heredoc = None
            i, line, col = end + 1, line + 1, 1
            continue
        if in_string:
            if ch == "\\":
                i, col = i + 2, col + 2
                continue
            if ch == '"':
                in_string = False
            elif ch in "$%" and text.startswith("{", i + 1) and not text.startswith(ch, i - 1):
                stack.append((_TEMPLATE, line, col))
                in_string = False
                i, col = i + 2, col + 2
                continue
            elif ch == "\n":
                return string_at, "the string opened here is not closed on its line"
        elif ch == '"':
            in_string, string_at = True, Pos(line, col)
        elif ch == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            i, col = (n, col) if end < 0 else (end, col + end - i)
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                return Pos(line, col), "the comment opened here is not closed"
            skipped = text[i : end + 2]
            newlines = skipped.count("\n")
            if newlines:
                line, col = line + newlines, len(skipped) - skipped.rfind("\n")
            else:
                col += len(skipped)
            i = end + 2
            continue
        elif text.startswith("<<", i):
            j = i + 2 + (text.startswith("-", i + 2))
            k = j
            while k < n and (text[k].isalnum() or text[k] == "_"):
                k += 1
            eol = text.find("\n", k)
            if k > j and text[k : eol if eol >= 0 else n].strip() == "":
                heredoc = text[j:k]
                i, line, col = (n if eol < 0 else eol + 1), line + 1, 1
                continue
        elif ch in "([{":
            stack.append((ch, line, col))
        elif ch in _CLOSE:
            if not stack:
                return Pos(line, col), f"`{ch}` closes nothing"
            opener, oline, ocol = stack.pop()
            if opener == _TEMPLATE and ch == "}":
                in_string = True
            elif opener != _CLOSE[ch]:
                shown = "${" if opener == _TEMPLATE else opener
                return Pos(line, col), f"`{ch}` does not close the `{shown}` at {oline}:{ocol}"
        if ch == "\n":
            line, col = line + 1, 1
        else:
            col += 1
        i += 1
    if in_string:
        return string_at, "the string opened here is not closed"
    if heredoc is not None:
        return Pos(line, col), f"the heredoc has no closing `{heredoc}` line"
    if stack:
        opener, oline, ocol = stack[-1]
        shown = "${" if opener == _TEMPLATE else opener
        return Pos(oline, ocol), f"the `{shown}` opened here is never closed"
    return None


def tree_error(node: Any, at: Pos) -> str:
    """Words for tree-sitter's first ERROR or MISSING node (found at ``at``)."""
    if node is None:
        return "the file does not parse"
    if node.is_missing:  # what tree-sitter inserted to recover: punctuation says it; the rest
        # (a heredoc start, an identifier) is its guess at some value
        return f"`{node.type}` expected here" if node.type in _PUNCTUATION else "a value is expected here"
    text = (node.text or b"").decode("utf-8", "replace").strip().splitlines()
    shown = text[0][:40] if text else ""
    if shown.endswith("=") and not shown.endswith(("==", "!=", "<=", ">=")):
        return f"`{shown}` has no value"
    return f"unexpected `{shown}`" if shown else f"unexpected text at {at.line}:{at.col}"


#: A number with an exponent and no fraction (``1e12``, ``4E-06``): valid HCL that
#: tree-sitter-hcl 1.2 does not parse (it reads ``1`` and then an identifier ``e12``).
_EXPONENT_INTEGER = re.compile(r"(?<![\w.])\d+[eE][+-]?\d+\b")


def parser_gap(text: str, parses: Callable[[str], bool]) -> str | None:
    """Why a file that is valid HCL does not parse, when it is such a number: the text with each
    one turned into as many ``1`` digits (same length, same positions) parses."""
    first = _EXPONENT_INTEGER.search(text)
    if first is None or not parses(_EXPONENT_INTEGER.sub(lambda m: "1" * len(m.group()), text)):
        return None
    number = first.group()
    line = text.count("\n", 0, first.start()) + 1
    fraction = re.sub(r"^(\d+)", r"\1.0", number)
    return (
        f"{line}: the number {number} (valid HCL) is beyond the HCL parser ekslint uses; "
        f"write it with a fraction ({fraction}) to have the file read"
    )
