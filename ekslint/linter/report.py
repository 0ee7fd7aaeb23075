"""What a scan produces: results, run errors and notes, independent of any output format."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from ekslint.linter.config import ActiveRule
from ekslint.linter.formatters.escape import log_text, redact
from ekslint.linter.registry import Level


class Result(NamedTuple):
    """One finding, resolved: rule, level, message and a real file position."""

    rule: str
    level: Level
    message: str
    file: str
    line: int
    col: int
    #: ``Kind/namespace/name`` where the object is applied (the namespace a kustomization gives it).
    object: str | None = None
    #: A node path inside the object ("spec.template.spec.containers[0]") for fingerprints.
    node: str = ""
    suppressed: str | None = None  # "comment", "file", "annotation", "exemption", "baseline"
    justification: str | None = None
    #: The config exemption (its index in ``Settings.exemptions``) that suppressed this finding.
    exemption: int | None = None
    #: The object as its file writes it (the namespace before Kustomize sets one), when that
    #: differs from :attr:`object`: what ``ekslint fix`` looks for in the file.
    source_object: str | None = None

    @property
    def fingerprint(self) -> str:
        """Stable across line shifts: rule, file, object and node path (message if no path).

        The object is taken as its file writes it, so that a kustomization that starts (or stops)
        setting a namespace does not make every finding of its bases look new.
        """
        anchor = (
            self.node if self.node else " ".join(w for w in self.message.split() if not any(ch.isdigit() for ch in w))
        )
        written = self.source_object if self.source_object is not None else self.object
        key = "\x1f".join((self.rule, self.file, written or "", anchor))
        # surrogatepass: a file name that is not UTF-8 holds lone surrogates, which plain UTF-8
        # cannot encode; every other string hashes exactly as before.
        return _digest(key.encode("utf-8", "surrogatepass"))

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.rule, self.message)


def unique_fingerprints(results: Iterable[Result]) -> Iterator[tuple[Result, str]]:
    """Each result with a fingerprint no other result of the report has.

    :attr:`Result.fingerprint` is the same for identical findings (the same problem twice in one
    object, a document repeated in a file), and a consumer that keys findings by fingerprint
    (GitLab Code Quality) would show only one of them. The n-th repeat gets a fingerprint derived
    from the first and n, so it is as stable across runs and line shifts as the first, as the
    baseline's occurrence counting is.
    """
    seen: Counter[str] = Counter()
    for r in results:
        base = r.fingerprint
        seen[base] += 1
        n = seen[base]
        yield r, base if n == 1 else _digest(f"{base}\x1f{n}".encode())


def _digest(data: bytes) -> str:
    import hashlib  # loads OpenSSL: only the formats with fingerprints get here

    return hashlib.sha256(data).hexdigest()[:32]


class RunError(NamedTuple):
    """Something that stopped part of the scan: an unreadable path or a rule that raised."""

    message: str
    file: str | None = None
    rule: str | None = None

    def __str__(self) -> str:
        """One line for stderr or a report: a path or a renderer's message (kubectl's stderr) can
        hold line breaks and control characters, and they are escaped as in the text format."""
        where = f"{self.file}: " if self.file else ""
        rule = f"rule {self.rule}: " if self.rule else ""
        return log_text(redact(f"{where}{rule}{self.message}"))


@dataclass(eq=False)
class Report:
    """Everything a scan found and said, for the formatters and the exit code."""

    results: list[Result] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rules: dict[str, ActiveRule] = field(default_factory=dict)
    files: int = 0
    objects: int = 0
    #: Every file the scan read, by the names findings give them (a rendered stream by the
    #: templates or sources its documents came from), in scan order: reports that list the
    #: clean files too (JUnit) need them, ``files`` only counts.
    scanned: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[Result]:
        return [r for r in self.results if r.suppressed is None]

    def shown(self, include_suppressed: bool) -> list[Result]:
        """What an output shows: suppressed findings only when asked for (``--include-suppressed``)."""
        return self.results if include_suppressed else self.active

    @property
    def suppressed(self) -> list[Result]:
        return [r for r in self.results if r.suppressed is not None]

    def counts(self) -> Counter[Level]:
        return Counter(r.level for r in self.active)

    def exit_code(self, fail_on: str) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 2 run errors (they win)."""
        if self.errors:
            return 2
        if fail_on == "none":
            return 0
        threshold = Level(fail_on).rank
        return 1 if any(r.level.rank >= threshold for r in self.active) else 0


def merge_reports(reports: list[Report]) -> Report:
    """One report of several scans (one per config tree): findings in report order, notes once."""
    merged = Report()
    for part in reports:
        merged.results.extend(part.results)
        merged.errors.extend(part.errors)
        merged.notes.extend(n for n in part.notes if n not in merged.notes)
        merged.rules.update(part.rules)
        merged.files += part.files
        merged.objects += part.objects
    merged.results.sort(key=lambda r: r.sort_key)
    return merged
