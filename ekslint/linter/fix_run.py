"""One ``ekslint fix`` run: lint, fix file by file, show the diff, write, count what is left.

Everything a fix run reads is untrusted, and nothing it meets stops the others: a file that cannot
be read or decoded, or a document ruamel cannot edit, is left whole and reported, and the rest of
the run goes on.

* Which files: :func:`~ekslint.linter.fix_targets.fix_targets` (never through a symbolic link,
  each real file once). Only files with a finding of a fixable rule are read again.
* Bytes: a file is decoded as the scan decodes it (UTF-8, or UTF-16/32 after a byte order mark)
  and written back in the same encoding with the same mark, only if that gives back exactly the
  bytes it was read from; line breaks are kept line by line (see :mod:`ekslint.linter.fixes`).
* Writes are atomic (:func:`~ekslint.linter.atomic_write.atomic_bytes`, mode kept), and only if
  the file still holds what was read and its path still has no link in it.
* The diff shows the manifest's own text, so it is shown as the scan's text format shows a
  message: credentials of an unmistakable shape masked, control, bidi and separator characters
  as visible escapes, and no line a GitHub workflow command.
* What is left: the findings a scan of the fixed text would report (counted without writing it,
  for ``--diff``), so the user knows how much needs a manual change.
"""

from __future__ import annotations

import bisect
import difflib
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ekslint.linter.atomic_write import atomic_bytes
from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.fix_targets import fix_targets
from ekslint.linter.fixes import FIXERS, Refusal, fix_document, load_fixers, split_documents
from ekslint.linter.formatters.escape import log_line, redact
from ekslint.linter.loader import byte_order_mark, decode, lines_with_breaks
from ekslint.linter.registry import REGISTRY
from ekslint.linter.report import Report


@dataclass
class FileFix:
    """One file: the text read (as decoded) and the fixed text, and how to write it back."""

    path: Path  # the real path: what is read and replaced
    display: str
    data: bytes  # the bytes read
    original: str
    fixed: str
    bom: bytes = b""
    codec: str = "utf-8"
    changes: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def fixed_bytes(self) -> bytes:
        return self.bom + self.fixed.encode(self.codec)

    @property
    def diff(self) -> str:
        """A unified diff of the fix, safe to show (see the module docstring); line breaks are
        shown as LF whatever the file uses."""
        lines = difflib.unified_diff(
            [text for text, _ in lines_with_breaks(self.original)],
            [text for text, _ in lines_with_breaks(self.fixed)],
            fromfile=f"a/{self.display}",
            tofile=f"b/{self.display}",
            lineterm="",
        )
        return "".join(log_line(redact(line)) + "\n" for line in lines)


@dataclass
class FixRun:
    """What ``fix_paths`` found: the lint report, the files it fixed (or refused documents of),
    the files it left whole with why, and what it needs to count what is left."""

    report: Report
    files: list[FileFix]
    skipped: list[tuple[str, str]]
    paths: Sequence[str]
    settings: Settings
    cwd: Path

    @property
    def changed(self) -> list[FileFix]:
        return [f for f in self.files if f.fixed != f.original]

    def remaining(self, applied: Sequence[FileFix]) -> int:
        """How many findings are left once ``applied`` are fixed: a scan of the fixed text (read
        from memory, so ``--diff`` counts without writing)."""
        if not applied:
            return len(self.report.active)
        contents = {str(f.path): f.fixed_bytes for f in applied}
        return len(lint(self.paths, self.settings, cwd=self.cwd, contents=contents).active)


def fix_paths(paths: Sequence[str], settings: Settings, cwd: Path | None = None) -> FixRun:
    """Lint with the fixable rules, then fix what they reported, file by file (not written)."""
    from ekslint.linter.registry import load_rules

    load_rules()
    load_fixers()
    cwd = cwd or Path.cwd()
    fixable = sorted(rid for rid in FIXERS if rid in REGISTRY)
    settings = replace(settings, enable=[*settings.enable, *fixable])
    report = lint(paths, settings, cwd=cwd)
    # display → (line, object as the file writes it, rule, object as the findings name it: in the
    # namespace a kustomization gives it)
    wanted: dict[str, list[tuple[int, str, str, str]]] = defaultdict(list)
    for r in report.active:
        if r.rule in FIXERS and r.object:
            wanted[r.file].append((r.line, r.source_object or r.object, r.rule, r.object))
    targets = fix_targets(paths, cwd=cwd, root=settings.root, exclude=settings.exclude)
    skipped = [(display, why) for display, why in targets.refused.items() if display in wanted]
    files: list[FileFix] = []
    for display, path in targets.writable.items():
        if display not in wanted:
            continue
        fix = fix_file(path, display, wanted[display])
        if isinstance(fix, str):
            skipped.append((display, fix))
        elif fix.changes or fix.refused:
            files.append(fix)
    return FixRun(report, files, skipped, paths, settings, cwd)


def fix_file(path: Path, display: str, findings: list[tuple[int, str, str, str]]) -> FileFix | str:
    """Fix the documents of ``path`` that hold ``findings`` (line, object as written, rule,
    object as shown); a string says why the file is left whole."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    text, error = decode(data)
    if text is None:
        return error or "cannot be decoded"
    bom, codec = byte_order_mark(data)
    try:
        exact = bom + text.encode(codec) == data
    except UnicodeEncodeError:
        exact = False
    if not exact:
        return f"would not be written back byte for byte as {codec.upper()}; fix it by hand"
    lines = lines_with_breaks(text)
    eol = next((brk for _, brk in lines if brk), "\n")
    findings = sorted(findings)
    at = [line for line, _, _, _ in findings]
    fix = FileFix(path, display, data, text, text, bom, codec)
    out: list[tuple[str, str]] = []
    for first, document in split_documents(lines):
        here = findings[bisect.bisect_left(at, first) : bisect.bisect_left(at, first + len(document))]
        if not here:
            out += document
            continue
        wanted: dict[str, set[str]] = defaultdict(set)
        shown: dict[str, str] = {}
        for _, obj, rule, name in here:
            wanted[obj].add(rule)
            shown[obj] = name
        fixed, changes, refused = fix_document(document, wanted, first, eol, shown)
        out += fixed
        fix.changes += changes
        fix.refused += refused
    fix.fixed = "".join(text + brk for text, brk in out)
    return fix


def write_fix(fix: FileFix) -> None:
    """Replace the file with the fixed bytes, atomically and keeping its mode; an OSError if it
    changed since it was read or its path now runs through a link (nothing is written then)."""
    if os.path.realpath(fix.path) != str(fix.path):
        raise OSError("its path became a symbolic link during the fix; not written")
    if fix.path.read_bytes() != fix.data:
        raise OSError("it changed during the fix; not written (run the fix again)")
    atomic_bytes(fix.path, fix.fixed_bytes)
