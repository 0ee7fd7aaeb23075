"""A Markdown summary for ``$GITHUB_STEP_SUMMARY``: counts by rule and level, then the top findings.

The job summary is where a reviewer looks first; annotations are capped at 10 per level per step,
so the table gives the whole picture and the SARIF upload gives every finding in code scanning.

File names and messages come from the scanned repository and GitHub renders the summary as
GitHub-flavoured Markdown with some HTML, so they are written as inert text:

* a message is made printable (line breaks, control and bidi characters as visible escapes,
  credential shapes masked) and every Markdown-active ASCII punctuation character is
  backslash-escaped (``\\|`` keeps the table cell, ``\\<`` stops HTML such as ``<img>`` or
  ``<details>``, ``\\[`` and ``\\!`` stop links and images, ``\\``` `` code spans, ``\\$`` math,
  ``\\&`` entities); a backslash escape renders as the character itself, so the text reads the same;
* the ``file:line`` cell is a code span whose backtick fence is longer than any run of backticks
  in the name, so HTML and Markdown inside it are shown literally; ``|`` is escaped there too
  (GitHub splits table rows before it parses code spans);
* each cell is cut to :data:`MAX_CELL` characters: a summary over 1 MiB fails to upload, and a
  manifest value can be any length.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from ekslint.linter.formatters.escape import printable, redact
from ekslint.linter.formatters.text import summary_line
from ekslint.linter.registry import Level
from ekslint.linter.report import Report

TOP = 20
ICONS = {Level.ERROR: "🔴", Level.WARNING: "🟠", Level.NOTE: "🔵"}
#: Longest cell text (before escaping); longer text ends with an ellipsis.
MAX_CELL = 1000
#: ASCII punctuation that means something to GitHub Markdown or HTML inside a table cell.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]<>!|~$&])")
_BACKTICKS = re.compile(r"`+")


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def markdown_text(text: str) -> str:
    """Text for a Markdown table cell or list item, rendered exactly as written and inert."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", _cut(printable(redact(text))))


def markdown_code(text: str) -> str:
    """A code span showing ``text`` literally inside a table cell."""
    body = _cut(printable(text)).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(body)), default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


@dataclass
class SummaryFormatter:
    top: int = TOP

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write("## ekslint\n\n" + summary_line(report) + "\n\n")
        results = sorted(report.active, key=lambda r: (-r.level.rank, r.sort_key))
        if results:
            by_rule = Counter((r.rule, r.level) for r in results)
            stream.write("| rule | level | findings |\n|---|---|---:|\n")
            for (rule, level), n in sorted(by_rule.items(), key=lambda kv: (-kv[0][1].rank, -kv[1], kv[0][0])):
                stream.write(f"| `{rule}` | {ICONS[level]} {level.value} | {n} |\n")
            shown = results[: self.top]
            stream.write(f"\n### Top {len(shown)} of {len(results)} findings\n\n")
            stream.write("| level | where | rule | message |\n|---|---|---|---|\n")
            for r in shown:
                where = markdown_code(f"{r.file}:{r.line}")
                stream.write(
                    f"| {ICONS[r.level]} {r.level.value} | {where} | `{r.rule}` | {markdown_text(r.message)} |\n"
                )
        if report.errors:
            stream.write("\n### Errors\n\n" + "".join(f"- {markdown_text(str(e))}\n" for e in report.errors))
        stream.write("\n")
