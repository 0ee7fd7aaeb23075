"""Output formats. Each turns a finished :class:`~ekslint.linter.report.Report` into text.

json and sarif are machine formats written with ``json.dumps`` straight to the stream (never
through Rich, which would eat ``[...]`` as markup and wrap lines). ``auto`` is resolved by the
caller: github under GitHub Actions, text otherwise.
"""

from __future__ import annotations

from typing import Protocol, TextIO

from ekslint.linter.formatters.github import GithubFormatter
from ekslint.linter.formatters.json import JsonFormatter
from ekslint.linter.formatters.sarif import SarifFormatter
from ekslint.linter.formatters.text import TextFormatter
from ekslint.linter.report import Report


class Formatter(Protocol):
    def write(self, report: Report, stream: TextIO) -> None: ...


FORMATTERS: dict[str, type[Formatter]] = {
    "text": TextFormatter,
    "json": JsonFormatter,
    "sarif": SarifFormatter,
    "github": GithubFormatter,
}


def visible(report: Report, include_suppressed: bool) -> list:  # type: ignore[type-arg]
    """The results an output shows: suppressed ones only when asked for."""
    return report.results if include_suppressed else report.active


__all__ = ["FORMATTERS", "Formatter", "GithubFormatter", "JsonFormatter", "SarifFormatter", "TextFormatter", "visible"]
