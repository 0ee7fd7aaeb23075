"""Inline suppressions: ``# ekslint:`` comments and ``ekslint.io/ignore`` annotations.

The grammar is strict on purpose. flake8 read typos such as ``# noqa:E123`` as "ignore
everything"; here an unknown id or a malformed directive is itself reported
(``invalid-suppression``) and never widens what is suppressed. ``all`` must be written out.

* ``# ekslint: ignore=<id>[,<id>]`` after YAML (or HCL, where ``//`` comments work too) on a
  line: that line.
* the same alone on a line: the next line that holds YAML.
* ``# ekslint: ignore-file=<id>[,<id>]`` alone on a line: the whole file.
* ``metadata.annotations["ekslint.io/ignore"]: "<id>,<id>"`` (reason in
  ``ekslint.io/ignore-reason``): every finding on that object.

Directives are read from the raw lines, skipping any ``#`` that lies inside a scalar (ConfigMaps
embed whole files whose comments must not count). Each directive remembers whether it was used, so
dead ones can be reported (``unused-suppression``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.loader import SourceFile
from ekslint.linter.nodes import Pos

ANNOTATION = "ekslint.io/ignore"
REASON_ANNOTATION = "ekslint.io/ignore-reason"
ALL = "all"

# Only files that mention ekslint (_MENTION) are parsed, so the rest are compiled then (LazyPattern).
_DIRECTIVE = LazyPattern(r"#\s*ekslint\s*:(?P<body>.*)$")
#: In Terraform files a comment also starts with ``//`` (HCL has ``#``, ``//`` and ``/* */``).
_HCL_DIRECTIVE = LazyPattern(r"(?:#|//)\s*ekslint\s*:(?P<body>.*)$")
#: Near misses of the directive (wrong case, no colon): reported, never silently ignored.
_NEAR_MISS = LazyPattern(r"#\s*ekslint\s*[:=]?\s*(ignore|disable|noqa|skip|nolint)", re.I)
_HCL_NEAR_MISS = LazyPattern(r"(?:#|//)\s*ekslint\s*[:=]?\s*(ignore|disable|noqa|skip|nolint)", re.I)
_MENTION = re.compile("ekslint", re.I)
#: ekslint's own rules about suppressions: suppressing them would hide the very problem.
META_RULES = frozenset({"invalid-suppression", "unused-suppression"})
_BODY = LazyPattern(
    r"^\s*(?P<verb>ignore|ignore-file)\s*=\s*(?P<ids>{id}(?:\s*,\s*{id})*)\s*(?:#.*|--.*)?$".format(
        # a built-in id, or a check's, a plugin's or a policy's ``prefix/name`` (names may hold dots)
        id=r"[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9.-]*)?"
    )
)


@dataclass(eq=False)
class Directive:
    """One suppression: the ids it names, where it is, and what it covers."""

    kind: str  # "line", "file" or "annotation"
    ids: tuple[str, ...]
    pos: Pos
    target_line: int = 0
    reason: str | None = None
    used: set[str] = field(default_factory=set)

    def covers(self, rule_id: str) -> bool:
        return rule_id in self.ids or ALL in self.ids


class BadDirective(NamedTuple):
    """A malformed suppression comment, reported by ``invalid-suppression``."""

    pos: Pos
    message: str


@dataclass(eq=False)
class FileSuppressions:
    """The suppression comments of one file: by the line they cover, file-wide, and malformed."""

    line: dict[int, list[Directive]] = field(default_factory=dict)
    file: list[Directive] = field(default_factory=list)
    bad: list[BadDirective] = field(default_factory=list)

    @property
    def all(self) -> list[Directive]:
        return [d for ds in self.line.values() for d in ds] + self.file


def _inside_scalar(source: SourceFile, line: int, col: int) -> bool:
    return any((start.line, start.col) <= (line, col) < (end.line, end.col) for start, end in source.scalar_spans)


def parse_file(source: SourceFile, known_ids: set[str]) -> FileSuppressions:
    """Read the ``# ekslint:`` directives of a file."""
    result = FileSuppressions()
    if _MENTION.search(source.text) is None:
        return result
    lines = source.lines
    for index, text in enumerate(lines):
        if _MENTION.search(text) is None:
            continue
        lineno = index + 1
        match = _find_comment_directive(source, lineno, text)
        if match is None:
            near = (_HCL_NEAR_MISS if source.syntax == "hcl" else _NEAR_MISS).search(text)
            if near and not _inside_scalar(source, lineno, near.start() + 1):
                result.bad.append(
                    BadDirective(
                        Pos(lineno, near.start() + 1),
                        f"malformed ekslint directive {text[near.start() :].strip()!r}: write "
                        "'# ekslint: ignore=<rule-id>' (lower case, with a colon)",
                    )
                )
            continue
        col, body = match
        pos = Pos(lineno, col)
        parsed = _BODY.match(body)
        if not parsed:
            result.bad.append(
                BadDirective(
                    pos,
                    f"malformed ekslint directive {body.strip()!r}: write "
                    "'# ekslint: ignore=<rule-id>[,<rule-id>]' or 'ignore-file=…'",
                )
            )
            continue
        ids = tuple(i.strip() for i in parsed.group("ids").split(","))
        unknown = [i for i in ids if i not in known_ids and i != ALL]
        for bad in unknown:
            result.bad.append(BadDirective(pos, f"unknown rule id {bad!r} in suppression (see `ekslint rules`)"))
        for meta in (i for i in ids if i in META_RULES):
            result.bad.append(BadDirective(pos, f"{meta} cannot be suppressed: fix the directive instead"))
        ids = tuple(i for i in ids if i not in unknown and i not in META_RULES)
        if not ids:
            continue
        alone = not text[: col - 1].strip()
        if parsed.group("verb") == "ignore-file":
            if not alone:
                result.bad.append(BadDirective(pos, "ignore-file must stand alone on its line"))
                continue
            result.file.append(Directive("file", ids, pos))
            continue
        target = lineno if not alone else _next_yaml_line(lines, index + 1, hcl=source.syntax == "hcl")
        if target:
            directive = Directive("line", ids, pos, target_line=target)
            result.line.setdefault(target, []).append(directive)
    return result


def _find_comment_directive(source: SourceFile, lineno: int, text: str) -> tuple[int, str] | None:
    pattern = _HCL_DIRECTIVE if source.syntax == "hcl" else _DIRECTIVE
    for m in pattern.finditer(text):
        col = m.start() + 1
        if col > 1 and not text[col - 2].isspace():
            continue  # '#' must start a comment: at line start or after white space
        if _inside_scalar(source, lineno, col):
            continue
        return col, m.group("body")
    return None


def _next_yaml_line(lines: list[str], start: int, *, hcl: bool = False) -> int:
    """The next line that holds content (YAML, or HCL: ``//`` comments are skipped too)."""
    comments = ("#", "//") if hcl else ("#",)
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith(comments):
            return index + 1
    return 0


def annotation_directive(
    annotations: dict[str, object], pos: Pos, known_ids: set[str]
) -> tuple[Directive | None, list[BadDirective]]:
    """The ``ekslint.io/ignore`` annotation of an object, if any."""
    raw = annotations.get(ANNOTATION)
    if raw is None:
        return None, []
    if not isinstance(raw, str) or not raw.strip():
        return None, [BadDirective(pos, f"{ANNOTATION} must be a comma-separated string of rule ids")]
    ids = tuple(i.strip() for i in raw.split(",") if i.strip())
    bad = [
        BadDirective(pos, f"unknown rule id {i!r} in {ANNOTATION} (see `ekslint rules`)")
        for i in ids
        if i not in known_ids and i != ALL
    ]
    bad += [BadDirective(pos, f"{i} cannot be suppressed: fix the directive instead") for i in ids if i in META_RULES]
    ids = tuple(i for i in ids if (i in known_ids or i == ALL) and i not in META_RULES)
    reason = annotations.get(REASON_ANNOTATION)
    if not ids:
        return None, bad
    return Directive("annotation", ids, pos, reason=str(reason) if reason is not None else None), bad
