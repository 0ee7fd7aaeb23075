"""Code actions: the edits of ``ekslint fix``, and "ignore <rule> on this line".

A fix is computed exactly as ``ekslint fix`` computes it (:func:`ekslint.linter.fixes.fix_text`
on the buffer's text, for the object the finding is on) and offered as the few line edits that
turn the buffer into the fixed text, so the editor keeps the cursor and undo history around them.

The ignore action writes the suppression comment of the README's "Suppressions": a trailing
``# ekslint: ignore=<rule>`` (``#`` is a comment in YAML and in Terraform's HCL alike), or the rule
added to a directive already on the line. It is not offered in JSON (which has no comments), for
ekslint's own suppression rules (which cannot be suppressed), nor where the end of the line lies
inside a multi-line string, where the comment would become part of the string.
"""

from __future__ import annotations

import difflib
import re

from lsprotocol import types

from ekslint.linter.loader import SourceFile
from ekslint.linter.suppress import META_RULES
from ekslint.lsp.diagnostics import Units

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
#: A directive already on the line: the rule is added to its ids.
_IGNORE = re.compile(r"(?:#|//)\s*ekslint\s*:\s*ignore\s*=\s*[a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*")


def lsp_lines(text: str) -> list[str]:
    """The lines of ``text`` as LSP counts them (breaks: ``\\n``, ``\\r\\n``, ``\\r``), with their breaks."""
    return _LINE.findall(text)


def _end(lines: list[str], index: int, units: Units) -> types.Position:
    """The position of the start of line ``index``, or the end of the text past the last line."""
    if index < len(lines) or not lines or lines[-1].endswith(("\n", "\r")):
        return types.Position(line=index, character=0)
    return types.Position(line=len(lines) - 1, character=units(lines[-1]))


def text_edits(old: str, new: str, units: Units) -> list[types.TextEdit]:
    """The line edits that turn ``old`` into ``new`` (whole lines replaced, in document order)."""
    before, after = lsp_lines(old), lsp_lines(new)
    edits = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(
                types.TextEdit(
                    range=types.Range(start=_end(before, i1, units), end=_end(before, i2, units)),
                    new_text="".join(after[j1:j2]),
                )
            )
    return edits


def _inside_string(source: SourceFile, line: int, text: str) -> bool:
    """Does the end of ``line`` (1-based, its text ``text``) lie inside a multi-line scalar?

    A block scalar's header line (``key: |``) may end with a comment; any other line a multi-line
    scalar spans, or a quoted or plain scalar that goes on to the next line, may not.
    """
    for start, end in source.scalar_spans:
        if start.line <= line < end.line:
            header = start.line == line and text[start.col - 1 : start.col] in ("|", ">")
            if not header:
                return True
    return False


def ignore_edit(source: SourceFile, line: int, text: str, rule: str, units: Units) -> types.TextEdit | None:
    """The edit that suppresses ``rule`` on ``line`` (1-based; ``text`` without its break), if any."""
    if rule in META_RULES or (source.path is not None and source.path.suffix.lower() == ".json"):
        return None
    if _inside_string(source, line, text):
        return None
    existing = _IGNORE.search(text)
    if existing is not None:
        at = units(text[: existing.end()])
        insert = f",{rule}"
    else:
        at = units(text)
        insert = ("" if text[-1:] in (" ", "\t") else "  ") + f"# ekslint: ignore={rule}"
        if not text.strip():
            return None
    position = types.Position(line=line - 1, character=at)
    return types.TextEdit(range=types.Range(start=position, end=position), new_text=insert)
