"""Baselines: adopt ekslint in a repository that already has findings.

``--write-baseline FILE`` records the current findings; ``--baseline FILE`` then reports only
findings that are not in it. Findings match by rule, file, object (as shown, or as its file
writes it) and a fingerprint built from the node path inside the object (not the line), so
edits elsewhere in a file that shift lines do not resurface old findings, while a new finding on
the same object does show. Matching counts occurrences, so a second identical problem is still
new.

A baseline is committed to the repository, so it holds no more than the reports do: ``file`` is
the path as the scan shows it (as the user named it), and ``message`` (for the reader only,
never matched) and ``object`` have credential shapes masked like every other output (a lone surrogate, from a
file name that is not UTF-8, is escaped by ``json.dumps``: a baseline must round-trip exactly).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ekslint import __version__
from ekslint.linter.atomic_write import atomic_text
from ekslint.linter.config import ConfigError
from ekslint.linter.formatters.escape import redact
from ekslint.linter.report import Report, Result

SCHEMA = "ekslint-baseline/1"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _key(rule: str, file: str, obj: str | None, fingerprint: str) -> tuple[str, str, str, str]:
    """The matching key; the object as written to the file (masked like the message)."""
    return (rule, file, redact(obj or ""), fingerprint)


def write_baseline(report: Report, path: Path) -> int:
    entries = [
        {
            "rule": r.rule,
            "file": r.file,
            "object": redact(r.object) if r.object else r.object,
            "fingerprint": r.fingerprint,
            "message": redact(r.message),
        }
        for r in report.active
    ]
    data = {"schema": SCHEMA, "tool": f"ekslint {__version__}", "findings": entries}
    # ensure_ascii only where it is needed: a raw lone surrogate cannot be written as UTF-8.
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if _SURROGATE.search(text):
        text = json.dumps(data, indent=2)
    try:
        with atomic_text(path) as fh:
            fh.write(text + "\n")
    except OSError as exc:
        raise ConfigError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(entries)


def load_baseline(path: Path) -> Counter[tuple[str, str, str, str]]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc}") from None
    except RecursionError:
        raise ConfigError(f"cannot read baseline {path}: nested too deeply") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise ConfigError(f"cannot read baseline {path}: {exc}".split(";")[0]) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{path} is not an ekslint baseline (write one with --write-baseline)")
    keys: Counter[tuple[str, str, str, str]] = Counter()
    for entry in data["findings"]:
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) for k in ("rule", "file", "fingerprint")
        ):
            raise ConfigError(f"{path}: malformed baseline entry {entry!r}")
        keys[_key(entry["rule"], entry["file"], entry.get("object"), entry["fingerprint"])] += 1
    return keys


def apply_baseline(report: Report, baseline: Counter[tuple[str, str, str, str]]) -> int:
    """Mark findings present in the baseline as suppressed (kind ``baseline``); return how many."""
    remaining = Counter(baseline)
    matched = 0
    results: list[Result] = []
    for r in report.results:
        # the object as shown, or as its file writes it: baselines written before ekslint gave
        # objects the namespace of their kustomization recorded the latter
        objects = [r.object] + ([r.source_object] if r.source_object else [])
        keys = [_key(r.rule, r.file, obj, r.fingerprint) for obj in objects]
        key = next((k for k in keys if remaining[k] > 0), None) if r.suppressed is None else None
        if key is not None:
            remaining[key] -= 1
            matched += 1
            r = r._replace(suppressed="baseline", justification="in the baseline")
        results.append(r)
    report.results = results
    return matched
