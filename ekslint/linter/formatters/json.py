"""A documented, stable JSON document (``schema: ekslint-report/1``).

```
{"schema": "ekslint-report/1", "tool": {"name": "ekslint", "version": "0.1.0"},
 "results": [{"rule", "level", "message", "file", "line", "column", "object", "fingerprint",
              "suppressed": null | {"kind", "justification"}}],
 "errors": [{"message", "file", "rule"}], "notes": ["..."],
 "summary": {"files", "objects", "error", "warning", "note", "suppressed"}}
```
Fields are only ever added within a schema version; ``line``/``column`` are 1-based.

Values are exact (``file`` is the path as shown everywhere else, ``message`` the rule's text),
with two exceptions that keep the document valid and inert: a lone surrogate (a byte of a file
name that is not UTF-8) becomes U+FFFD, and credentials with an unmistakable shape are masked
in ``message``, ``object`` and run errors (see :mod:`ekslint.linter.formatters.escape`).
Invisible characters that survive ``json.dumps`` (DEL, C1 controls, line separators, bidi
controls) are written as ``\\uXXXX`` escapes: the parsed value is the same, the raw text shows
nothing a terminal would act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from ekslint import __version__
from ekslint.linter.formatters.escape import LIST_MARK, redact, write_json_list
from ekslint.linter.registry import Level
from ekslint.linter.report import Report, Result

SCHEMA = "ekslint-report/1"


def result_dict(r: Result) -> dict[str, Any]:
    return {
        "rule": r.rule,
        "level": r.level.value,
        "message": redact(r.message),
        "file": r.file,
        "line": r.line,
        "column": r.col,
        "object": redact(r.object) if r.object else r.object,
        "fingerprint": r.fingerprint,
        "suppressed": {"kind": r.suppressed, "justification": r.justification} if r.suppressed else None,
    }


def _document(report: Report, results: Any) -> dict[str, Any]:
    """The document around ``results`` (a marker while writing, see :meth:`JsonFormatter.write`)."""
    counts = report.counts()
    return {
        "schema": SCHEMA,
        "tool": {"name": "ekslint", "version": __version__},
        "results": results,
        "errors": [{"message": redact(e.message), "file": e.file, "rule": e.rule} for e in report.errors],
        "notes": [redact(note) for note in report.notes],
        "summary": {
            "files": report.files,
            "objects": report.objects,
            **{lvl.value: counts[lvl] for lvl in Level},
            "suppressed": len(report.suppressed),
        },
    }


@dataclass
class JsonFormatter:
    include_suppressed: bool = False

    def write(self, report: Report, stream: TextIO) -> None:
        """Write the document result by result: the same text as one ``json.dumps(..., indent=2)``
        of the whole document, without holding a second copy of every result as dicts and one
        string (on a 50 MB manifest that was the peak of the whole run)."""
        results = (result_dict(r) for r in report.shown(self.include_suppressed))
        write_json_list(stream, _document(report, LIST_MARK), results, level=2)
