"""``ekslint fix``: mechanical, safe fixes applied with ruamel.yaml round-trip editing.

Only objects that a fixable rule actually reported are edited, so a fix never runs where the rule
would not fire (an apiVersion migration only when the target version asks for it). Each edit is
made on ruamel's round-trip tree; then only the lines that the edit changed are spliced into the
original text: the diff between ruamel's rendering of the document before and after the edit is
applied to the original lines. Comments, key order, quoting, indentation and line breaks of
everything else stay byte-for-byte as they were, even where ruamel would have reformatted them.

Lines are cut where YAML cuts them (CR LF, CR, LF and the YAML 1.1 breaks, as every finding counts
lines), and ruamel reads each document with LF breaks only; every line put back keeps its own
break, and a new line takes the file's first one. A document is left alone, and the reason
reported with its line, when ruamel cannot read it (a duplicate key, a control character), when
ruamel does not reproduce its line structure, or when the spliced text would not read back as
the edited object: the last check means a splice that got the layout wrong (a new key indented
as its parent) changes nothing, instead of breaking the manifest.

Which files are fixed, and how they are read, shown and written: :mod:`ekslint.linter.fix_run`.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.util import load_yaml_guess_indent

from ekslint.linter.loader import lines_with_breaks
from ekslint.linter.model import object_ref

#: A fixer edits one object in place and returns a description of each change it made.
Fixer = Callable[[CommentedMap], list[str]]
FIXERS: dict[str, Fixer] = {}
#: A line's text (a ``---`` line starts a document) and the line break that ends it.
Line = tuple[str, str]
#: A document that was not fixed: its line in the file (1-based) and why.
Refusal = tuple[int, str]
_SEPARATOR = re.compile(r"---(\s|$)")
_BOM = "\ufeff"


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


def _yaml(indent: int, block_seq_indent: int | None) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 16
    offset = block_seq_indent or 0
    y.indent(mapping=indent, sequence=indent + offset if offset else indent, offset=offset)
    return y


def _dump(y: YAML, data: Any) -> list[str]:
    """ruamel's rendering of ``data``, as the texts of its lines."""
    out = io.StringIO()
    y.dump(data, out)
    return [text for text, _ in lines_with_breaks(out.getvalue())]


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


def split_documents(lines: list[Line]) -> list[tuple[int, list[Line]]]:
    """The documents of a stream: each one's first line (1-based) and lines, cut before each
    ``---`` line (which stays with the document it starts)."""
    documents: list[tuple[int, list[Line]]] = [(1, [])]
    for number, line in enumerate(lines, 1):
        if _SEPARATOR.match(line[0]) and documents[-1][1]:
            documents.append((number, []))
        documents[-1][1].append(line)
    return documents


def fix_chunk(chunk: str, wanted: dict[str, set[str]], first_line: int = 1) -> tuple[str, list[str], list[Refusal]]:
    """Fix the flagged objects (``wanted``: object ref → rule ids) of one document; return
    (text, changes, refusals). ``first_line`` is the document's line in its file."""
    lines = lines_with_breaks(chunk)
    eol = next((brk for _, brk in lines if brk), "\n")
    fixed, changes, refused = fix_document(lines, wanted, first_line, eol)
    return "".join(text + brk for text, brk in fixed), changes, refused


def fix_document(
    lines: list[Line], wanted: dict[str, set[str]], first_line: int, eol: str, shown: Mapping[str, str] | None = None
) -> tuple[list[Line], list[str], list[Refusal]]:
    """:func:`fix_chunk` on the lines of a document; new lines end with ``eol``."""

    names_of = shown or {}  # the objects as the findings name them (a kustomization's namespace)

    def refuse(line: int, why: str) -> tuple[list[Line], list[str], list[Refusal]]:
        names = sorted(names_of.get(ref, ref) for ref in wanted)
        return lines, [], [(line, f"{', '.join(names) or 'document'}: {why}; fix it by hand")]

    head, body = (lines[:1], lines[1:]) if lines and _SEPARATOR.match(lines[0][0]) else ([], lines)
    original = [text for text, _ in body]
    source = "".join(text + "\n" for text in original)  # ruamel reads (and writes) LF breaks only
    try:
        _, indent, bsi = load_yaml_guess_indent(source)
        y = _yaml(indent or 2, bsi)
        before = _dump(y, y.load(source))
        data = y.load(source)
    except Exception as exc:  # noqa: BLE001 - ruamel refuses what it cannot read in many ways
        return refuse(first_line + len(head) + _error_line(exc, source), f"ruamel.yaml cannot read it ({_reason(exc)})")
    changes: list[str] = []
    try:
        for obj in _objects(data):
            ref = _ref(obj)
            for rule_id in sorted(wanted.get(ref, ())):
                changes += [f"{rule_id}: {names_of.get(ref, ref)}: {c}" for c in FIXERS[rule_id](obj)]
        after = _dump(y, data) if changes else before
    except Exception as exc:  # noqa: BLE001 - a fixer or ruamel's writer failed on odd data
        return refuse(first_line, f"the fix failed ({_reason(exc)})")
    if not changes:
        return lines, [], []
    if len(before) != len(original):
        return refuse(first_line, "ruamel cannot keep this document's layout")
    texts: list[str] = list(original)
    breaks: list[str | None] = [brk for _, brk in body]  # None: a new line
    for tag, i1, i2, j1, j2 in reversed(difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()):
        if tag != "equal":
            new = _reindent(original, before, after, i1, i2, j1, j2)
            texts[i1:i2] = new
            breaks[i1:i2] = [body[i1 + k][1] if i1 + k < i2 else None for k in range(len(new))]
    if not _reads_back(y, texts, data):
        return refuse(first_line, "the edited text would not read back as the edited object")
    ends = [brk or eol for brk in breaks]  # a new line, or a last line that is no longer last
    if body and body[-1][1] == "" and ends:
        ends[-1] = ""  # the file had no break at its end, and still has none
    return head + list(zip(texts, ends, strict=True)), changes, []


def _reads_back(y: YAML, texts: list[str], data: Any) -> bool:
    """Whether the spliced lines mean exactly what the edited tree does (tags included)."""
    try:
        return bool(_plain(y.load("".join(text + "\n" for text in texts))) == _plain(data))
    except Exception:  # noqa: BLE001 - a splice that broke the YAML
        return False


def _plain(node: Any) -> Any:
    """A document as plain values (with each node's tag and kind of scalar), to compare readings."""
    tag = getattr(getattr(node, "tag", None), "value", None)
    if isinstance(node, dict):
        return ("map", tag, [(_plain(k), _plain(v)) for k, v in node.items()])
    if isinstance(node, list):
        return ("seq", tag, [_plain(v) for v in node])
    for kind in (bool, int, float, str):
        if isinstance(node, kind):
            return (kind.__name__, tag, repr(node) if kind is float else node)
    return (type(node).__name__, tag, getattr(node, "value", node))


def _error_line(exc: Exception, source: str) -> int:
    """The 0-based line of ``source`` that ruamel complained about (0 when it does not say)."""
    if isinstance(exc, MarkedYAMLError) and exc.problem_mark is not None:
        return int(exc.problem_mark.line)
    if isinstance(exc, ReaderError):
        return source.count("\n", 0, exc.position)
    return 0


def _reason(exc: Exception) -> str:
    """ruamel's words for what is wrong, without its multi-line context."""
    if isinstance(exc, MarkedYAMLError) and exc.problem:
        return str(exc.problem)
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _reindent(
    original: list[str], before: list[str], after: list[str], i1: int, i2: int, j1: int, j2: int
) -> list[str]:
    """ruamel's new lines, moved to the original's indentation (files may mix widths).

    A replaced line keeps the indentation of the line it replaces; an added line is shifted as
    the nearest line ruamel indents as deep (a sibling key: the line above can be its parent).
    """
    out = []
    for k, line in enumerate(after[j1:j2]):
        if i1 + k < i2:
            shift = _indent(original[i1 + k]) - _indent(before[i1 + k])
        else:
            shift = _sibling_shift(original, before, i1, i2, _indent(line))
        new = " " * max(0, _indent(line) + shift) + line.lstrip(" ")
        if i1 + k < i2:
            new = _keep_comment_spacing(original[i1 + k], new)
            if original[i1 + k].startswith(_BOM) and not new.startswith(_BOM):
                new = _BOM + new  # a document's byte order mark, which ruamel drops
        out.append(new)
    return out


def _sibling_shift(original: list[str], before: list[str], i1: int, i2: int, width: int) -> int:
    """How far the original moved a line that ruamel indents ``width`` deep next to ``i1:i2``:
    the nearest such line above, else below, without leaving the enclosing block (a line less
    indented ends it; blank and comment lines do not count); else the line above's shift."""
    for rows in (range(i2 - 1, -1, -1), range(i2, len(before))):
        for i in rows:
            text = before[i].lstrip(" ")
            if not text or text.startswith("#"):
                continue
            if _indent(before[i]) < width:
                break
            if _indent(before[i]) == width:
                return _indent(original[i]) - width
    return _indent(original[i1 - 1]) - _indent(before[i1 - 1]) if i1 > 0 else 0


def trailing_comment(line: str) -> tuple[str, str] | None:
    """The blanks before a trailing ``# comment`` and the comment, when no quote follows its
    ``#`` (a ``#`` inside a quoted scalar is not one): what ``(\\s+)(#[^'"]*)$`` finds, in
    linear time. That expression, searched, took quadratic time on a long run of blanks."""
    quote = max(line.rfind("'"), line.rfind('"'))
    at = line.find("#", quote + 1)
    while at == 0 or (at > 0 and not line[at - 1].isspace()):
        at = line.find("#", at + 1)
    if at < 0:
        return None
    gap = at
    while gap > 0 and line[gap - 1].isspace():
        gap -= 1
    return line[gap:at], line[at:]


def _keep_comment_spacing(old: str, new: str) -> str:
    """Keep the original gap before a trailing comment that ruamel carried over."""
    found = trailing_comment(old)
    if found is None or not new.endswith(found[1]):
        return new
    gap, comment = found
    return new[: -len(comment)].rstrip() + gap + comment


def fix_text(text: str, wanted: dict[str, set[str]]) -> tuple[str, list[str], list[Refusal]]:
    """Fix the objects of a file's (decoded) text that ``wanted`` names (object ref -> fixable
    rule ids): the fixed text, the changes made and the refusals. The editor's quick fixes come
    here, and ``ekslint fix`` edits each document the same way (:func:`fix_document`)."""
    load_fixers()
    lines = lines_with_breaks(text)
    eol = next((brk for _, brk in lines if brk), "\n")
    out: list[Line] = []
    changes: list[str] = []
    refused: list[Refusal] = []
    for first, document in split_documents(lines):
        fixed, changed, refusals = fix_document(document, wanted, first, eol)
        out += fixed
        changes += changed
        refused += refusals
    return "".join(t + brk for t, brk in out), changes, refused
