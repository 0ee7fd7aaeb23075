"""``path:line:col: level rule-id message``, one finding a line, then a summary.

One finding is one line, whatever the manifest holds: control characters, line separators and
bidi controls in the path or the message are written as visible escapes (``\\n``, ``\\x1b``,
``\\u202e``; see :func:`~ekslint.linter.formatters.escape.printable`) instead of raw, so that a
value can neither forge a line, drive the terminal nor reorder what is shown. The same text is
safe in a CI log: no line starts with ``::`` (a path that would gets ``./``) and ``##[`` is
broken up, so nothing in it is a GitHub workflow command. Credentials with an unmistakable shape
are masked (:func:`~ekslint.linter.formatters.escape.redact`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from ekslint.linter.formatters.escape import log_text, redact
from ekslint.linter.registry import Level
from ekslint.linter.report import Report, Result

COLORS = {Level.ERROR: "\033[31m", Level.WARNING: "\033[33m", Level.NOTE: "\033[36m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(report: Report) -> str:
    """The last line of the text and github outputs (and stderr with ``--output``).

    A run with errors (an unreadable path, nothing on stdin, a rule that raised) says so first
    and never "No problems found": a CI log that ends with that line reads as a pass even
    when the exit code says otherwise, or when nothing was read at all.
    """
    counts = report.counts()
    total = sum(counts.values())
    where = f"{plural(report.files, 'file')}, {plural(report.objects, 'object')}"
    parts = ", ".join(plural(counts[lvl], lvl.value) for lvl in Level if counts[lvl])
    if report.errors:
        found = (
            f"found {plural(total, 'problem')} ({parts}) in {where}" if total else f"nothing found in the {where} read"
        )
        text = f"Scan incomplete ({plural(len(report.errors), 'error')}): {found}."
    elif not total:
        text = f"No problems found in {where}."
    else:
        text = f"Found {plural(total, 'problem')} ({parts}) in {where}."
    if report.suppressed:
        text += f" {len(report.suppressed)} suppressed."
    return text


def shown_path(path: str) -> str:
    """A path as the first thing on a line: escaped, and never starting with blanks or ``::``
    (a GitHub workflow command; the runner trims leading blanks first)."""
    text = log_text(path)
    if text[:1].isspace() or text.startswith("::"):
        return "./" + text
    return text


@dataclass(eq=False)
class TextFormatter:
    """One ``path:line:col: level rule message`` line per finding, then a summary line."""

    color: bool = False
    include_suppressed: bool = False
    summary: bool = True

    def line(self, r: Result) -> str:
        suffix = f" [suppressed: {r.suppressed}]" if r.suppressed else ""
        path, message = shown_path(r.file), log_text(redact(r.message))
        if not self.color:
            return f"{path}:{r.line}:{r.col}: {r.level.value} {r.rule} {message}{suffix}"
        return (
            f"{BOLD}{path}:{r.line}:{r.col}:{RESET} {COLORS[r.level]}{r.level.value}{RESET} "
            f"{DIM}{r.rule}{RESET} {message}{suffix}"
        )

    def write(self, report: Report, stream: TextIO) -> None:
        results = report.shown(self.include_suppressed)
        for r in results:
            stream.write(self.line(r) + "\n")
        if self.summary:
            if results:
                stream.write("\n")
            stream.write(summary_line(report) + "\n")
