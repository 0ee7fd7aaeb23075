"""A Markdown summary for ``$GITHUB_STEP_SUMMARY``: counts by rule and level, then the top findings.

The job summary is where a reviewer looks first; annotations are capped at 10 per level per step,
so the table gives the whole picture and the SARIF upload gives every finding in code scanning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from ekslint.linter.formatters.text import summary_line
from ekslint.linter.registry import Level
from ekslint.linter.report import Report

TOP = 20
ICONS = {Level.ERROR: "🔴", Level.WARNING: "🟠", Level.NOTE: "🔵"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
                where = f"`{_cell(r.file)}:{r.line}`"
                stream.write(f"| {ICONS[r.level]} {r.level.value} | {where} | `{r.rule}` | {_cell(r.message)} |\n")
        if report.errors:
            stream.write("\n### Errors\n\n" + "".join(f"- {_cell(str(e))}\n" for e in report.errors))
        stream.write("\n")
