"""Output formats. Each turns a finished :class:`~ekslint.linter.report.Report` into text.

json and sarif are machine formats written with ``json.dumps`` straight to the stream (never
through Rich, which would eat ``[...]`` as markup and wrap lines). ``auto`` is resolved by the
caller: github under GitHub Actions, text otherwise.
"""

from ekslint.linter.formatters.github import GithubFormatter
from ekslint.linter.formatters.json import JsonFormatter
from ekslint.linter.formatters.sarif import SarifFormatter
from ekslint.linter.formatters.text import TextFormatter

__all__ = ["GithubFormatter", "JsonFormatter", "SarifFormatter", "TextFormatter"]
