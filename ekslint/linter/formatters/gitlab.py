"""GitLab Code Quality (``artifacts:reports:codequality``): a JSON array, one entry a finding.

```
[{"description": "privileged-container: container 'app' runs privileged: ...",
  "check_name": "privileged-container", "fingerprint": "3f1c...", "severity": "critical",
  "location": {"path": "k8s/app.yaml", "lines": {"begin": 18}}}]
```
These are the fields GitLab reads (its docs' "Code Quality report format"; the rest of the Code
Climate spec is ignored). What GitLab's parser does shapes the rest:

* It checks each entry against a schema (``app/validators/json_schemas/codeclimate.json``) and
  stops at the first that fails, so every entry has every field, with the right types.
* It keys entries by ``fingerprint``, and the merge request widget compares the fingerprints of
  the target branch with the merge request's. So a fingerprint is the finding's own, stable
  across runs and line shifts (rule, file, object and node path, as the baseline and SARIF use),
  and unique in the report: a repeated identical finding gets one derived from it
  (:func:`~ekslint.linter.report.unique_fingerprints`), else it would not be shown.
* ``location.path`` is linked into the repository, so it is relative to the project root
  (``$CI_PROJECT_DIR`` when ekslint runs in or below it, also after a ``cd infra``; else the
  folder ekslint ran in) and never names the machine's folders
  (:func:`~ekslint.linter.formatters.location.report_path`).
* ``severity`` from the level: error is ``critical``, warning ``major``, note ``minor``
  (``blocker`` and ``info`` are left unused: ekslint has three levels, and ``info`` reads as
  nothing to do).

Suppressed findings are left out whatever ``--include-suppressed`` says (an entry is a request
to act), and so are run errors, which have no place in the format: they are on stderr and in
the exit code. The description starts with the rule id, since the widget shows no other field;
its text is exact but inert like the JSON report's (credential shapes masked, invisible
characters as ``\\uXXXX``, lone surrogates as U+FFFD). No byte order mark: GitLab rejects one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ekslint.linter.formatters.escape import LIST_MARK, redact, write_json_list
from ekslint.linter.formatters.location import report_path
from ekslint.linter.registry import Level
from ekslint.linter.report import Report, Result, unique_fingerprints

SEVERITY = {Level.ERROR: "critical", Level.WARNING: "major", Level.NOTE: "minor"}


def entry(r: Result, fingerprint: str, root: Path | None, cwd: Path | None = None) -> dict[str, Any]:
    return {
        "description": f"{r.rule}: {redact(r.message)}",
        "check_name": r.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITY[r.level],
        "location": {"path": report_path(r.file, root, cwd)[0], "lines": {"begin": max(1, r.line)}},
    }


@dataclass
class GitlabFormatter:
    #: The project root (see ``location.repository_root``): paths are relative to it.
    root: Path | None = None
    #: The folder ekslint ran in, which the scan's relative paths start from (default: ``root``).
    cwd: Path | None = None

    def write(self, report: Report, stream: TextIO) -> None:
        """Written entry by entry, like the JSON report."""
        entries = (entry(r, fp, self.root, self.cwd) for r, fp in unique_fingerprints(report.active))
        write_json_list(stream, LIST_MARK, entries, level=1)
