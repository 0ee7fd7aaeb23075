"""GitHub Actions workflow commands: one annotation per finding, most severe first.

GitHub shows at most 10 error and 10 warning annotations per step (50 per job), so findings are
ordered by level and the output ends with a line saying how many were not shown as annotations.
Everything that comes from a manifest is escaped, so no file content can start a workflow
command of its own. The runner (actions/runner ``ActionCommand.TryParseV2``) reads a line as
``::name key=value,key=value::data`` after trimming leading blanks; it splits the properties at
``,`` and ends them at the first ``::``, and unescapes ``%25``, ``%0D``, ``%0A`` in the data and
also ``%3A``, ``%2C`` in properties (actions/toolkit ``command.ts`` escapes the same way). So:

* the message is first made printable (control characters, line separators and bidi controls
  as visible escapes, as in the text format, and credential shapes masked), then escaped as data:
  it can hold no raw line break and no ``%`` that would unescape into one;
* the file name keeps its exact text, so that the annotation lands on the file, and is escaped
  as a property (``:`` and ``,`` too); only bytes that are not UTF-8 become U+FFFD, since the
  line could not be written otherwise. The runner attaches a relative ``file`` to the
  repository root, whatever folder the step ran in, so with a ``root`` a relative name becomes
  the path from it (``infra/k8s/app.yaml`` for a step with ``working-directory: infra``; see
  :func:`~ekslint.linter.formatters.location.report_path`); an absolute one the runner makes
  relative to the workspace itself;
* every line that is not an annotation (the summary) is ekslint's own text, never a manifest's,
  and no line ever starts with ``::`` but the annotations. The older ``##[command]`` form, which
  the runner looks for anywhere in a line, is only tried on lines that are not ``::`` commands.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ekslint.linter.formatters.escape import no_surrogates, printable, redact
from ekslint.linter.formatters.location import is_absolute, report_path
from ekslint.linter.formatters.text import summary_line
from ekslint.linter.registry import Level
from ekslint.linter.report import Report

COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "notice"}
SHOWN_PER_LEVEL = 10


def escape_data(text: str) -> str:
    """A workflow command's data: ``%`` first, so that no escape can be forged from the text."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ``:`` (which would end the properties) and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class GithubFormatter:
    """Suppressed findings are never annotated: an annotation is a request to act."""

    #: The repository root (``$GITHUB_WORKSPACE``, see ``location.repository_root``); None: the
    #: file names as the scan shows them.
    root: Path | None = None
    #: The folder ekslint ran in, which the scan's relative paths start from (default: ``root``).
    cwd: Path | None = None

    def file(self, name: str) -> str:
        """The annotation's file: a relative name as the path from the root; an absolute name as
        it is, since the runner makes one below the workspace relative itself (and a path made
        relative to some other folder would attach to nothing)."""
        if self.root is None or is_absolute(name):
            return name
        return report_path(name, self.root, self.cwd)[0]

    def write(self, report: Report, stream: TextIO) -> None:
        results = sorted(report.active, key=lambda r: (-r.level.rank, r.sort_key))
        for r in results:
            props = ",".join(
                f"{k}={escape_property(str(v))}"
                for k, v in (
                    ("file", no_surrogates(self.file(r.file))),
                    ("line", r.line),
                    ("col", r.col),
                    ("title", f"ekslint {r.rule}"),
                )
            )
            stream.write(f"::{COMMANDS[r.level]} {props}::{escape_data(printable(redact(r.message)))}\n")
        counts = report.counts()
        hidden = {lvl: max(0, counts[lvl] - SHOWN_PER_LEVEL) for lvl in (Level.ERROR, Level.WARNING, Level.NOTE)}
        stream.write(escape_data(summary_line(report)) + "\n")
        if any(hidden.values()):
            parts = ", ".join(f"{n} {lvl.value}s" for lvl, n in hidden.items() if n)
            stream.write(
                f"GitHub shows at most {SHOWN_PER_LEVEL} annotations of each level per step: {parts} "
                "are only in this log (upload the SARIF report to see them all in code scanning).\n"
            )
