"""``ekslint fix``: mechanical, safe fixes applied with ruamel.yaml round-trip editing.

Only objects that a fixable rule actually reported are edited, so a fix never runs where the rule
would not fire (an apiVersion migration only when the target version asks for it). Each edit is
made on ruamel's round-trip tree; then only the lines that the edit changed are spliced into the
original text: the diff between ruamel's rendering of the document before and after the edit is
applied to the original lines. Comments, key order, quoting and indentation of everything else
stay byte-for-byte as they were, even where ruamel would have reformatted them. A document whose
line structure ruamel does not reproduce is left alone and reported.
"""

from __future__ import annotations

import difflib
import io
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.model import object_ref
from ekslint.linter.registry import REGISTRY

#: A fixer edits one object in place and returns a description of each change it made.
Fixer = Callable[[CommentedMap], list[str]]
FIXERS: dict[str, Fixer] = {}
_SEPARATOR = re.compile(r"^---(\s|$)")
_TRAILING_COMMENT = re.compile(r"(\s+)(#[^'\"]*)$")


def load_fixers() -> dict[str, Fixer]:
    """Register the fixers (``ekslint.rules.fixes``); a scan never needs them."""
    import ekslint.rules.fixes  # noqa: F401  (importing registers the fixers)

    return FIXERS


def fixer(rule_id: str) -> Callable[[Fixer], Fixer]:
    """Register the fix of a rule, which says ``fixable=True`` in its ``@rule`` (a test checks both agree)."""

    def register(func: Fixer) -> Fixer:
        FIXERS[rule_id] = func
        return func

    return register


@dataclass
class FileFix:
    path: Path
    display: str
    original: str
    fixed: str
    changes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.fixed.splitlines(keepends=True),
                fromfile=f"a/{self.display}",
                tofile=f"b/{self.display}",
            )
        )


def _yaml(indent: int, block_seq_indent: int | None) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 16
    offset = block_seq_indent or 0
    y.indent(mapping=indent, sequence=indent + offset if offset else indent, offset=offset)
    return y


def _dump(y: YAML, data: Any) -> list[str]:
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue().splitlines(keepends=True)


def _split(text: str) -> list[str]:
    """Split a stream into chunks at ``---`` lines (each chunk keeps its own ``---``)."""
    chunks: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if _SEPARATOR.match(line) and chunks[-1]:
            chunks.append([])
        chunks[-1].append(line)
    return ["".join(c) for c in chunks]


def _objects(data: Any) -> list[CommentedMap]:
    if not isinstance(data, CommentedMap):
        return []
    kind = data.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), CommentedSeq):
        return [i for i in data["items"] if isinstance(i, CommentedMap)]
    return [data]


def _ref(obj: CommentedMap) -> str:
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    return object_ref(str(obj.get("apiVersion", "")), str(obj.get("kind", "")), meta.get("name"), meta.get("namespace"))


def fix_chunk(chunk: str, wanted: dict[str, set[str]]) -> tuple[str, list[str], list[str]]:
    """Fix the flagged objects of one document chunk; return (text, changes, refusals)."""
    head = ""
    body = chunk
    if _SEPARATOR.match(chunk):
        head, _, body = chunk.partition("\n")
        head += "\n"
    try:
        _, indent, bsi = load_yaml_guess_indent(body)
        y = _yaml(indent or 2, bsi)
        before = _dump(y, y.load(body))
        data = y.load(body)
    except (YAMLError, ValueError, TypeError):
        return chunk, [], []
    changes: list[str] = []
    for obj in _objects(data):
        for rule_id in sorted(wanted.get(_ref(obj), ())):
            changes += [f"{rule_id}: {_ref(obj)}: {c}" for c in FIXERS[rule_id](obj)]
    if not changes:
        return chunk, [], []
    original = body.splitlines(keepends=True)
    if len(before) != len(original):
        return chunk, [], [f"{_ref(_objects(data)[0])}: ruamel cannot keep this document's layout; fix it by hand"]
    after = _dump(y, data)
    result = list(original)
    for tag, i1, i2, j1, j2 in reversed(difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()):
        if tag != "equal":
            result[i1:i2] = _reindent(original, before, after, i1, i2, j1, j2)
    return head + "".join(result), changes, []


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _reindent(
    original: list[str], before: list[str], after: list[str], i1: int, i2: int, j1: int, j2: int
) -> list[str]:
    """ruamel's new lines, moved to the original's indentation (files may mix widths).

    A replaced line keeps the indentation of the line it replaces; other new lines keep their
    offset from the nearest original line above, as ruamel placed them.
    """
    out = []
    for k, line in enumerate(after[j1:j2]):
        if i1 + k < i2:
            shift = _indent(original[i1 + k]) - _indent(before[i1 + k])
        elif i1 > 0:
            shift = _indent(original[i1 - 1]) - _indent(before[i1 - 1])
        else:
            shift = 0
        width = max(0, _indent(line) + shift)
        new = " " * width + line.lstrip(" ")
        if i1 + k < i2:
            new = _keep_comment_spacing(original[i1 + k], new)
        out.append(new)
    return out


def _keep_comment_spacing(old: str, new: str) -> str:
    """Keep the original gap before a trailing comment that ruamel carried over."""
    match = _TRAILING_COMMENT.search(old.rstrip("\n"))
    if match is None:
        return new
    comment = match.group(2)
    body = new.rstrip("\n")
    if not body.endswith(comment):
        return new
    code = body[: -len(comment)].rstrip()
    return code + match.group(1) + comment + ("\n" if new.endswith("\n") else "")


def fix_paths(paths: Sequence[str], settings: Settings, cwd: Path | None = None) -> list[FileFix]:
    """Lint with the fixable rules, then fix what they reported, file by file (not written)."""
    from ekslint.linter.registry import load_rules

    load_rules()
    load_fixers()
    fixable = sorted(rid for rid in FIXERS if rid in REGISTRY)
    settings = replace(settings, enable=[*settings.enable, *fixable])
    report = lint(paths, settings, cwd=cwd)
    wanted: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    paths_by_display: dict[str, Path] = {}
    for r in report.active:
        if r.rule in FIXERS and r.object:
            wanted[r.file][r.object].add(r.rule)
    cwd = cwd or Path.cwd()
    for display in wanted:
        candidate = Path(display) if Path(display).is_absolute() else cwd / display
        if candidate.is_file():
            paths_by_display[display] = candidate
    fixes: list[FileFix] = []
    for display, path in sorted(paths_by_display.items()):
        original = path.read_text(encoding="utf-8")
        fixed, changes, refused = fix_text(original, wanted[display])
        if changes or refused:
            fixes.append(FileFix(path, display, original, fixed, changes, refused))
    return fixes


def fix_text(text: str, wanted: dict[str, set[str]]) -> tuple[str, list[str], list[str]]:
    """Fix the objects of a file's text that ``wanted`` names (object ref -> fixable rule ids):
    the fixed text, the changes made and the refusals. ``ekslint fix`` and the editor's quick
    fixes both come here, so both make the same edits."""
    load_fixers()
    parts = [fix_chunk(chunk, wanted) for chunk in _split(text)]
    return "".join(p[0] for p in parts), [c for p in parts for c in p[1]], [r for p in parts for r in p[2]]
