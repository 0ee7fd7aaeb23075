"""Findings as LSP diagnostics: ranges in the client's units, severity, rule id and doc link.

ekslint positions are 1-based lines and columns counted in characters (code points); LSP positions
are 0-based, with columns in the code units the client negotiated (UTF-16 unless it said
otherwise). A finding names where something starts, not where it ends, so the range ends where the
token at that place ends (a key, a scalar, a quoted string), or at the end of the line when no
token starts there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lsprotocol import types

from ekslint.linter.registry import Level, rule_doc_url
from ekslint.linter.report import Result

SOURCE = "ekslint"
#: Client code units of a string (``PositionCodec.client_num_units``).
Units = Callable[[str], int]

SEVERITY = {
    Level.ERROR: types.DiagnosticSeverity.Error,
    Level.WARNING: types.DiagnosticSeverity.Warning,
    Level.NOTE: types.DiagnosticSeverity.Information,
}

_DOUBLE_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"?')
_SINGLE_QUOTED = re.compile(r"'(?:[^']|'')*'?")
#: A plain token: a key before its ``:``, a value, an HCL name. A colon belongs to it when
#: something other than a space or a flow indicator follows (``nginx:1.27``, ``https://``).
_PLAIN = re.compile(r"(?:[^\s:,\[\]{}#\"']|:(?=[^\s,\[\]{}]))+")


def token_end(line: str, col: int) -> int:
    """Where the token starting at character ``col`` (0-based) of ``line`` ends; the end of the
    line (without trailing blanks) when none starts there."""
    if col >= len(line):
        return len(line)
    pattern = _DOUBLE_QUOTED if line[col] == '"' else _SINGLE_QUOTED if line[col] == "'" else _PLAIN
    match = pattern.match(line, col)
    if match is not None and match.end() > col:
        return match.end()
    return max(col, len(line.rstrip()))


def result_range(result: Result, line: str, units: Units) -> types.Range:
    """The range of ``result`` on ``line`` (the text of its line, without the line break)."""
    number = max(result.line, 1) - 1
    col = min(max(result.col, 1) - 1, len(line))
    end = token_end(line, col)
    return types.Range(
        start=types.Position(line=number, character=units(line[:col])),
        end=types.Position(line=number, character=units(line[:end])),
    )


def to_diagnostic(result: Result, line: str, units: Units, docs_url: str | None) -> types.Diagnostic:
    """``result`` as the client shows it; ``docs_url`` is the config's ``docs-url`` template."""
    return types.Diagnostic(
        range=result_range(result, line, units),
        message=result.message,
        severity=SEVERITY[result.level],
        code=result.rule,
        code_description=types.CodeDescription(href=rule_doc_url(result.rule, docs_url)),
        source=SOURCE,
    )
