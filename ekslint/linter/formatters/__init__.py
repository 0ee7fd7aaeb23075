"""Output formats. Each turns a finished :class:`~ekslint.linter.report.Report` into text.

json, sarif and gitlab are machine formats written with ``json.dumps`` straight to the stream,
junit with ElementTree (never through Rich, which would eat ``[...]`` as markup and wrap lines).
``auto`` is resolved by the caller: github under GitHub Actions, text otherwise.

The formatter classes are imported on first use (PEP 562), so that importing one format does
not pay for the others: sarif_om and attrs cost more start-up than a pre-commit run's lint.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ekslint.linter.formatters.github import GithubFormatter
    from ekslint.linter.formatters.gitlab import GitlabFormatter
    from ekslint.linter.formatters.json import JsonFormatter
    from ekslint.linter.formatters.junit import JunitFormatter
    from ekslint.linter.formatters.sarif import SarifFormatter
    from ekslint.linter.formatters.text import TextFormatter

__all__ = ["GithubFormatter", "GitlabFormatter", "JsonFormatter", "JunitFormatter", "SarifFormatter", "TextFormatter"]

_MODULES = {
    "GithubFormatter": "github",
    "GitlabFormatter": "gitlab",
    "JsonFormatter": "json",
    "JunitFormatter": "junit",
    "SarifFormatter": "sarif",
    "TextFormatter": "text",
}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
