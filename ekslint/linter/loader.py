"""Load YAML and JSON sources into located documents, turning every problem into a finding.

libyaml (PyYAML's C parser) turns the text into parse events, and :class:`_Composer` builds
:class:`~ekslint.linter.nodes.LMap`/:class:`~ekslint.linter.nodes.LSeq` with positions straight
from them, applying YAML 1.1 scalar resolution as the Kubernetes API server's decoder does
(``yes`` is a bool, ``0644`` is 420). Nothing is ever executed: only the safe tags are resolved,
unknown tags keep their plain value.

No intermediate node graph is built: PyYAML's composer keeps a node (and two marks) for every
scalar of a document until the whole document is composed, which for a 50 MB ``kind: List``
dump (one document) took over a gigabyte on top of the result, and recursed in C once per level
of nesting. Building from events keeps only the result, walks any depth without recursion, and
stops an alias bomb or absurd nesting at the event where it shows, not after composing it all.

Bad input never raises out of here. A document that does not parse becomes a ``yaml-syntax``
issue at the parser's mark and loading resumes at the next ``---`` (walking on from the error:
thousands of broken documents cost no more than thousands of good ones); binary, non-UTF-8 and
huge files, alias bombs, recursive aliases and absurd nesting become issues too. A document
that cannot be loaded gets one such issue, for the first problem found in it. Keys Kubernetes
cannot decode (null, or a mapping or sequence as a key) and merges (``<<``) of anything but
mappings are reported where they are written and left out, and the rest of the document is
loaded; duplicate keys become ``duplicate-key`` issues and the last value wins (as most loaders
do). Anchors may be redefined, as YAML 1.2 and kubectl allow: an alias takes the latest one.
"""

from __future__ import annotations

import codecs
import errno
import re
import stat
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, NamedTuple

import yaml
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode

from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.nodes import LMap, LSeq, Pos

#: Files larger than this are reported and skipped (a manifest this big is a mistake or an attack).
#: Big install bundles and ``kubectl get -A -o yaml`` dumps reach tens of MB; ``max-file-size``
#: in the config changes it.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Deepest nesting accepted below a document root (real CRD schemas stay well under 100).
MAX_DEPTH = 200
#: How many extra nodes alias expansion may add to a document before it counts as an alias bomb.
MAX_ALIAS_EXPANSION = 100_000

# Patterns for syntax errors, byte order marks, JSON escapes and Helm sources are compiled when
# first needed (LazyPattern): most files have none of those.
#: A line that starts a document (``---``) or ends one (``...``): where loading resumes.
_DOC_START = LazyPattern(r"(?:---|\.\.\.)(?:\s|\Z)")
#: What YAML 1.1 (libyaml) counts as a line break, so what every line number counts. Not what
#: ``str.splitlines`` counts: it also breaks at form feeds and other controls, which would put
#: every later line of a file one off from where libyaml (and every finding) says it is.
_LINE_BREAKS = "\n\r\x85\u2028\u2029"
_BREAK = LazyPattern(f"\r\n|[{_LINE_BREAKS}]")
_OTHER_BREAK = LazyPattern(f"[{_LINE_BREAKS[1:]}]")
#: A line and the line break that ends it (empty for a last line without one).
_LINE = LazyPattern(f"([^{_LINE_BREAKS}]*)(\r\n|[{_LINE_BREAKS}]|)")
#: A byte order mark that starts a document: on the line after a ``---``/``...`` line, or before
#: a ``---``.
_DOCUMENT_BOM = LazyPattern(r"(^(?:---|\.\.\.)(?:[ \t][^\n]*)?\n)\ufeff|^\ufeff(?=---)", re.MULTILINE)
#: What YAML 1.1 does not allow in a stream, i.e. everything but tab, line breaks and printable
#: Unicode (``\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff``), written
#: as the characters it matches: Python compiled the negated class in 4 ms at every start (it maps
#: each code point the ranges cover), longer than linting a small file took.
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
MAX_CONTROL_REPORTS = 20
_TEMPLATE_MARK = "{{"
_JSON_START = re.compile(r"\s*\{")
#: ``\\uD83D\\uDE80``: JSON spells characters beyond U+FFFF as a UTF-16 surrogate pair (Python's
#: ``json.dumps`` does by default), which YAML rejects; a lone surrogate is U+FFFD to Go's JSON.
#: Only an escape preceded by an even number of backslashes is one (``\\\\ud83d`` is text).
_JSON_SURROGATES = LazyPattern(
    r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?"
    r"|(?<!\\)((?:\\\\)*)\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)

_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LoadIssue(NamedTuple):
    """A problem found while reading a file: reported under ``rule`` at ``pos``."""

    rule: str
    pos: Pos
    message: str


@dataclass(eq=False)
class Document:
    """One YAML document of a source file whose root is a mapping."""

    file: SourceFile
    index: int
    root: LMap
    #: Where a rendered document came from (a Helm template named by ``# Source:``, or the
    #: Kustomize source file holding the object): findings name it instead of the stream.
    origin: str | None = None
    #: Subtracted from stream line numbers when reporting against ``origin``.
    origin_line_offset: int = 0
    #: The same object in its source file (Kustomize): findings are located along their node
    #: path in this tree instead, and that file's suppression comments apply.
    origin_root: LMap | None = None
    origin_file: SourceFile | None = None


@dataclass(eq=False)
class SourceFile:
    """A file (or stdin) as read: its text, its documents and what went wrong reading it."""

    display: str
    path: Path | None = None
    text: str = ""
    documents: list[Document] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)
    #: Why the file was not linted at all (a Helm template, say); shown once as a note.
    skipped: str | None = None
    #: "yaml" (YAML and JSON: loaded into documents) or "hcl" (Terraform ``.tf``/``.tfvars``: read
    #: by :mod:`ekslint.linter.terraform`, never as YAML).
    syntax: str = "yaml"
    #: (start, end) positions of multi-line or suppression-looking scalars, so that text inside
    #: them (embedded config files in ConfigMaps) is never read as an ``# ekslint:`` directive.
    scalar_spans: list[tuple[Pos, Pos]] = field(default_factory=list)
    #: Where each line of ``text`` starts (and, last, where the text ends): see :meth:`line`.
    _starts: tuple[str, array[int]] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def lines(self) -> list[str]:
        """Every line of the text, cut where YAML cuts lines: a copy of all of it, made on each call.

        For a few lines of a big file use :meth:`line`, which copies only the line asked for.
        """
        lines = _BREAK.split(self.text)
        if lines[-1] == "":  # a last line break ends the last line; it does not start another
            lines.pop()
        return lines

    @property
    def line_count(self) -> int:
        """``len(self.lines)``, without splitting the text."""
        return len(self._line_starts()) - 1

    def line(self, number: int) -> str:
        """``self.lines[number - 1]`` (``""`` out of range) without splitting the whole text.

        Keeping a file's lines costs about three times its text (a 50 MB manifest: 1.4 million
        strings); an index of where they start costs eight bytes a line, made once per file on
        first use.
        """
        starts = self._line_starts()
        if not 1 <= number < len(starts):
            return ""
        line = self.text[starts[number - 1] : starts[number]]
        if line.endswith("\r\n"):
            return line[:-2]
        return line[:-1] if line and line[-1] in _LINE_BREAKS else line

    def _line_starts(self) -> array[int]:
        text = self.text
        if self._starts is None or self._starts[0] is not text:
            starts = array("q", [0])
            if _OTHER_BREAK.search(text) is None:  # the usual case: twice as fast
                add, find = starts.append, text.find
                at = find("\n")
                while at >= 0:
                    add(at + 1)
                    at = find("\n", at + 1)
            else:
                starts.extend(m.end() for m in _BREAK.finditer(text))
            if starts[-1] != len(text):  # a last line without a line break
                starts.append(len(text))
            self._starts = (text, starts)
        return self._starts[1]


class _LoadError(Exception):
    """A document that parses but cannot be loaded (too deep, an alias bomb, a recursive alias)."""

    def __init__(self, pos: Pos, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


_new_tuple = tuple.__new__  # Pos(...) via tuple.__new__ is twice as fast: ~760k calls on a big scan

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULL_TEXTS = frozenset({"", "~", "null", "Null", "NULL"})
#: Plain scalar text -> resolved tag, shared by every load in the process (bounded). Manifests
#: repeat the same keys and values endlessly; PyYAML's resolver is a list of regexes per first
#: character, in Python.
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 200_000
#: (tag, text) -> value of non-string scalars (``1``, ``true``, ``80``), shared the same way;
#: the values are immutable.
_CONVERTED: dict[tuple[str, str], Any] = {}
_CONVERTED_MAX = 200_000
#: One copy of each key and short string value: manifests repeat ``name``, ``image``,
#: ``IfNotPresent`` ... in every object, and libyaml makes a new string each time (bounded).
_STRINGS: dict[str, str] = {}
_STRINGS_MAX = 500_000
_INTERN_LEN = 64
_intern = _STRINGS.setdefault

_RESOLVER = _SafeLoader("")  # only its (stateless) implicit resolver is used
_CONSTRUCTOR = SafeConstructor()  # stateless for scalars: one for the whole process
#: YAML 1.1 scalar resolution as the API server's decoder does it; str, timestamps, binary and
#: unknown tags keep their text (``None`` here).
_SCALAR_CTORS: dict[str, Any] = {
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
}


def _tag_of(event: ScalarEvent) -> str:
    """The resolved tag of a scalar, as PyYAML's composer works it out (memoised for plain text)."""
    tag = event.tag
    if tag is not None and tag != "!":
        return str(tag)
    if not event.implicit[0]:  # quoted, or with the non-specific '!' tag: always a string
        return _STR_TAG
    text = event.value
    found = _RESOLVED.get(text)
    if found is None:
        found = _RESOLVER.resolve(ScalarNode, text, (True, False))
        if len(_RESOLVED) < _RESOLVED_MAX:
            _RESOLVED[text] = found
    return found


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _convert(tag: str, text: str) -> Any:
    """The value of a non-string scalar; its text when the tag is unknown or the text invalid."""
    key = (tag, text)
    value: Any = _CONVERTED.get(key, _CONVERTED)
    if value is not _CONVERTED:
        return value
    ctor = _SCALAR_CTORS.get(tag)
    if ctor is None:
        return text  # str, timestamps, binary and unknown tags keep their text
    try:
        value = ctor(ScalarNode(tag, text))
    except (ValueError, KeyError, yaml.YAMLError):  # KeyError: !!bool maybe
        value = text
    if type(value) is int and not INT64_MIN <= value <= INT64_MAX:
        # The API server decodes integers as int64, so a bigger one is invalid there; kept as
        # text it is reported once (schema-invalid: not an integer) instead of crashing every
        # rule that formats it (Python refuses to print ints of more than 4,300 digits).
        value = text
    if len(_CONVERTED) < _CONVERTED_MAX:
        _CONVERTED[key] = value
    return value


#: What the composer expects next in a mapping, besides a key name (see ``_Composer.document``).
_EXPECT_KEY: Final = object()  # a key
_DROP: Final = object()  # the value of a key Kubernetes cannot decode: read and ignored
_MERGE: Final = object()  # the value of a ``<<`` merge key

#: An anchored node: (value, line, column, expanded size, text and tag: None for a container).
_Anchor = tuple[Any, int, int, int, str | None, str | None]


class _Composer:
    """Builds one document at a time from parse events: located containers, bounded in depth and
    alias expansion, with the document's duplicate keys and scalar spans kept aside until the
    document has parsed to its end (a document that fails to parse reports only that).

    This is the hot loop of every scan (one pass per event of every file), so it is written for
    speed: one function, local variables, the current container's state in locals and its
    ancestors' on an explicit stack (so any depth costs no Python recursion).
    """

    def __init__(self, line_offset: int, watch_lines: set[int]) -> None:
        self.off = line_offset + 1  # 0-based mark lines to 1-based file lines
        self.watch_lines = watch_lines
        self.issues: list[LoadIssue] = []
        self.spans: list[tuple[Pos, Pos]] = []

    def document(self, get_event: Callable[[], Any]) -> Any:
        """Consume the events of one document up to its end; return its root value.

        Raises ``_LoadError`` (the rest of the document is then left unread) and the parser's
        ``yaml.YAMLError``; ``ComposerError`` for an alias to an anchor not defined before it.
        """
        off, watch, spans, issues = self.off, self.watch_lines, self.spans, self.issues
        intern, new_tuple = _intern, _new_tuple
        anchors: dict[str, _Anchor] = {}
        opened: dict[str, Pos] = {}  # anchors of containers not closed yet: an alias to one recurses
        tagged: dict[int, str] = {}  # containers written with a CloudFormation tag (``!If [...]``)
        stack: list[tuple[Any, ...]] = []
        cont: Any = None  # the container being filled (None at the document level)
        at: list[int] = []
        is_map = False
        key: Any = _EXPECT_KEY
        kl = kc = 0
        merged: list[tuple[str, Any, int, int, int, int]] | None = None
        anchor: str | None = None
        started = 0
        total = extra = 0  # nodes the document expands to; of those, added by aliases
        root_pos = Pos(off, 1)
        result: Any = None
        value: Any = None
        vl = vc = 0
        text: str | None
        tag: str | None
        while True:
            event: Any = get_event()  # typed loosely: attribute access by event kind, for speed
            kind = type(event)
            if kind is ScalarEvent:
                total += 1
                mark = event.start_mark
                vl, vc = mark.line + off, mark.column + 1
                text = event.value
                if is_map and key is _EXPECT_KEY:
                    kl, kc = vl, vc
                    if event.anchor is not None or text == "<<" or text in _NULL_TEXTS or event.tag is not None:
                        tag = _tag_of(event)
                        if event.anchor is not None:
                            anchors[event.anchor] = (_value_of(tag, text), vl, vc, 1, text, tag)
                        key = self._key(text, tag, vl, vc)
                    else:
                        key = intern(text, text)
                    continue
                end = event.end_mark
                if end.line != mark.line or (watch and vl in watch):
                    spans.append((new_tuple(Pos, (vl, vc)), new_tuple(Pos, (end.line + off, end.column + 1))))
                tag = event.tag
                if tag is None and not event.implicit[0]:
                    value = intern(text, text) if len(text) < _INTERN_LEN else text
                else:
                    tag = _tag_of(event)
                    if tag == _STR_TAG:
                        value = intern(text, text) if len(text) < _INTERN_LEN else text
                    else:
                        value = _convert(tag, text)
                        if tag[0] == "!" and tag in CFN_TAGS:
                            value = _cfn_scalar(tag, text, vl, vc)
                        elif isinstance(value, str) and event.tag is not None and tag in _SCALAR_CTORS:
                            self._bad_tag(tag, text, vl, vc)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, vl, vc, 1, text, tag or _tag_of(event))
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                mark = event.start_mark
                pos = new_tuple(Pos, (mark.line + off, mark.column + 1))
                if len(stack) > MAX_DEPTH:
                    raise _LoadError(pos, f"nesting deeper than {MAX_DEPTH} levels")
                if not stack:
                    root_pos = pos
                total += 1
                stack.append((cont, at, is_map, key, kl, kc, merged, anchor, started))
                if kind is MappingStartEvent:
                    cont, is_map, key = LMap(pos), True, _EXPECT_KEY
                else:
                    cont, is_map = LSeq(pos), False
                at, merged = [], None
                anchor, started = event.anchor, total
                if anchor is not None:
                    opened[anchor] = pos
                if event.tag is not None and event.tag in CFN_TAGS:
                    tagged[id(cont)] = event.tag
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                if merged:  # explicit keys win over merged ones; merged keys go last
                    for name, merged_value, mkl, mkc, mvl, mvc in merged:
                        if name not in cont:
                            cont[name] = merged_value
                            at += (mkl, mkc, mvl, mvc)
                cont.at.fromlist(at)  # after the container's own position
                value = cont
                vl, vc = cont.pos
                if tagged and id(cont) in tagged:
                    value = _cfn_wrap(tagged.pop(id(cont)), cont, vl, vc)
                if anchor is not None:
                    anchors[anchor] = (value, vl, vc, total - started + 1, None, None)
                    opened.pop(anchor, None)
                if len(_STRINGS) > _STRINGS_MAX:
                    _STRINGS.clear()
                cont, at, is_map, key, kl, kc, merged, anchor, started = stack.pop()
            elif kind is AliasEvent:
                name = event.anchor
                if name in opened:
                    raise _LoadError(opened[name], "recursive alias: the node contains itself")
                target = anchors.get(name)
                if target is None:
                    raise ComposerError(None, None, "found undefined alias", event.start_mark)
                value, vl, vc, size, text, tag = target
                total += size
                extra += size
                if extra > MAX_ALIAS_EXPANSION:
                    raise _LoadError(
                        root_pos,
                        f"aliases expand this document to {total:,} nodes; refusing to load it (an alias bomb?)",
                    )
                if is_map and key is _EXPECT_KEY:  # an alias as a key
                    if text is not None and tag is not None:  # to a scalar
                        kl, kc = vl, vc
                        key = self._key(text, tag, vl, vc)
                        continue
                    mark = event.start_mark  # to a container: reported where the alias is
                    vl, vc = mark.line + off, mark.column + 1
            elif kind is DocumentEndEvent:
                return result
            else:  # pragma: no cover - libyaml sends nothing else inside a document
                raise _LoadError(root_pos, f"unexpected YAML event {kind.__name__}")

            # A value is complete: put it where it belongs.
            if cont is None:
                result = value
            elif not is_map:
                cont.append(value)
                at += (vl, vc)
            elif key is _EXPECT_KEY:  # a mapping or sequence written as a key
                what = "mapping" if isinstance(value, dict) else "sequence"
                issues.append(
                    LoadIssue(
                        "yaml-syntax",
                        new_tuple(Pos, (vl, vc)),
                        f"a {what} is used as a mapping key: Kubernetes accepts only string, number "
                        "and boolean keys; this entry is ignored",
                    )
                )
                key = _DROP
            elif key is _DROP:
                key = _EXPECT_KEY
            elif key is _MERGE:
                if merged is None:
                    merged = []
                self._merge(value, kl, kc, merged)
                key = _EXPECT_KEY
            else:
                if key in cont:
                    i = list(cont).index(key)
                    issues.append(
                        LoadIssue(
                            "duplicate-key",
                            new_tuple(Pos, (kl, kc)),
                            f"key {key!r} is defined twice (first on line {at[4 * i]}); kubectl "
                            "rejects this and other tools silently keep one of them",
                        )
                    )
                    at[4 * i : 4 * i + 4] = (kl, kc, vl, vc)  # the last one wins, as most loaders do
                else:
                    at += (kl, kc, vl, vc)
                cont[key] = value
                key = _EXPECT_KEY

    def _bad_tag(self, tag: str, text: str, line: int, col: int) -> None:
        """``!!bool maybe``: an explicit tag its value does not fit. Reported at the value, which
        is kept as text; loading goes on (PyYAML's own loader gives up on the whole file)."""
        shown = text if len(text) <= 40 else text[:37] + "..."
        self.issues.append(
            LoadIssue(
                "yaml-syntax",
                _new_tuple(Pos, (line, col)),
                f"{shown!r} is not a valid {tag.replace('tag:yaml.org,2002:', '!!')}: kubectl rejects the document",
            )
        )

    def _key(self, text: str, tag: str, line: int, col: int) -> Any:
        """A mapping key as Kubernetes decodes it: its text (numbers and booleans included, as
        sigs.k8s.io/yaml turns them into strings), ``_MERGE`` for ``<<``, ``_DROP`` for null."""
        if tag == _MERGE_TAG:
            return _MERGE
        if tag == _NULL_TAG:
            self.issues.append(
                LoadIssue(
                    "yaml-syntax",
                    _new_tuple(Pos, (line, col)),
                    "a null mapping key: Kubernetes accepts only string, number and boolean keys; "
                    "this entry is ignored",
                )
            )
            return _DROP
        return _intern(text, text)

    def _merge(self, value: Any, line: int, col: int, merged: list[tuple[str, Any, int, int, int, int]]) -> None:
        """Collect the entries of a ``<<`` merge (whose key is at ``line``, ``col``): a mapping,
        or a sequence of mappings (earlier ones win). Anything else is reported at the key
        (Kubernetes' decoder rejects it) and ignored."""
        for source in value if isinstance(value, LSeq) else (value,):
            if not isinstance(source, LMap):
                what = "a sequence" if isinstance(source, LSeq) else "a scalar"
                self.issues.append(
                    LoadIssue(
                        "yaml-syntax",
                        _new_tuple(Pos, (line, col)),
                        f"a merge key (<<) needs a mapping or a sequence of mappings, not {what}; it is ignored",
                    )
                )
                continue
            at = source.at
            merged.extend(
                (k, v, at[4 * i + 2], at[4 * i + 3], at[4 * i + 4], at[4 * i + 5])
                for i, (k, v) in enumerate(source.items())
            )


#: CloudFormation's short-form intrinsic functions: ``!Ref X`` is ``{"Ref": "X"}``, ``!If [...]`` is
#: ``{"Fn::If": [...]}`` (AWS CloudFormation user guide, "Intrinsic function reference"). Read as
#: their long forms, so a template means the same in YAML and JSON; no Kubernetes manifest uses them.
CFN_TAGS: Final = frozenset(
    {
        "!Ref",
        "!Condition",
        "!And",
        "!Base64",
        "!Cidr",
        "!Equals",
        "!FindInMap",
        "!ForEach",
        "!GetAtt",
        "!GetAZs",
        "!If",
        "!ImportValue",
        "!Join",
        "!Length",
        "!Not",
        "!Or",
        "!Select",
        "!Split",
        "!Sub",
        "!ToJsonString",
        "!Transform",
    }
)


def _cfn_key(tag: str) -> str:
    name = tag[1:]
    return name if name in ("Ref", "Condition") else f"Fn::{name}"


def _cfn_scalar(tag: str, text: str, line: int, col: int) -> LMap:
    """``!Ref X`` and the other short forms written on a scalar: ``!GetAtt A.B`` is ``[A, B]``."""
    value: Any = text
    if tag == "!GetAtt":
        resource, _, attribute = text.partition(".")
        value = LSeq(Pos(line, col))
        value.extend((resource, attribute))
        value.at.fromlist([line, col, line, col])
    return _cfn_wrap(tag, value, line, col)


def _cfn_wrap(tag: str, value: Any, line: int, col: int) -> LMap:
    wrapper = LMap(Pos(line, col))
    wrapper[_cfn_key(tag)] = value
    wrapper.at.fromlist([line, col, line, col])
    return wrapper


def _value_of(tag: str, text: str) -> Any:
    return text if tag == _STR_TAG else _convert(tag, text)


def _skip_document(get_event: Callable[[], Any]) -> None:
    """Read the rest of a document that could not be loaded (the parser still checks it)."""
    while type(get_event()) is not DocumentEndEvent:
        pass


class _TextReader:
    """The text from an offset on, as a stream libyaml reads in chunks.

    Given a ``str``, PyYAML's C parser first makes a UTF-8 copy of all of it; as a stream it
    encodes one chunk at a time, and resuming after a syntax error needs no copy of the rest.
    """

    __slots__ = ("_at", "_text")

    def __init__(self, text: str, start: int) -> None:
        self._text = text
        self._at = start

    def read(self, size: int = -1) -> str:
        at = self._at
        end = len(self._text) if size < 0 else at + size
        self._at = end
        return self._text[at:end]


def lines_with_breaks(text: str) -> list[tuple[str, str]]:
    """Each line of ``text`` and the line break that ends it (``""`` for a last line without one),
    cut where YAML cuts lines: the lines every finding counts, and what ``ekslint fix`` puts back."""
    # Only the match at the very end can be empty (no text and no break left).
    return [(m[1], m[2]) for m in _LINE.finditer(text) if m.end() > m.start()]


#: The byte order marks YAML reads, and the codec of the text after each (a UTF-32 LE mark starts
#: like a UTF-16 LE one, so it is tried first), with the name messages give the encoding.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def byte_order_mark(data: bytes) -> tuple[bytes, str]:
    """The byte order mark ``data`` starts with (``b""`` for none) and the codec of the text after
    it: what :func:`decode` reads, and what ``ekslint fix`` writes back (mark included)."""
    for bom, codec, _ in _BOMS:
        if data.startswith(bom):
            return bom, codec
    return b"", "utf-8"


def decode(data: bytes, terraform: bool = False) -> tuple[str | None, str | None]:
    """Decode file bytes as YAML allows (UTF-8, or UTF-16/32 with a BOM); return (text, error).

    ``terraform``: the file is ``.tf``/``.tfvars``, and the messages say so (Terraform reads
    UTF-8 only, so a BOM-less UTF-16 file is just as unreadable).

    See :func:`decode_error_pos` for where an undecodable UTF-8 file is reported.
    """
    if b"\x00" in data[:8192] and not data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ):
        bomless = _bomless_encoding(data)
        if bomless is not None:
            return None, (
                f"{bomless} text without a byte order mark: save it as UTF-8 "
                "(YAML reads UTF-16 and UTF-32 only after a BOM)"
            )
        return None, f"binary file (contains NUL bytes), not {'Terraform' if terraform else 'YAML or JSON'}"
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return str(memoryview(data)[len(bom) :], codec), None  # no copy of the bytes
            except UnicodeDecodeError as exc:
                return None, f"not valid {name}: {exc.reason} at byte {exc.start + len(bom)}"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        pos = decode_error_pos(data, exc.start)
        kind = "Terraform" if terraform else "YAML"
        return None, f"not UTF-8 (byte 0x{data[exc.start]:02x} on line {pos.line}); {kind} files must be UTF-8"


def _bomless_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM, told by the NUL bytes around a first ASCII character (the
    YAML spec's detection table), when the whole head decodes that way to printable text."""
    head = data[:8192]
    candidates = []
    if len(head) >= 4 and head[0] and not any(head[1:4]):
        candidates.append(("UTF-32LE", "utf-32-le", 4))
    if len(head) >= 4 and not any(head[:3]) and head[3]:
        candidates.append(("UTF-32BE", "utf-32-be", 4))
    if len(head) >= 2 and head[0] and not head[1]:
        candidates.append(("UTF-16LE", "utf-16-le", 2))
    if len(head) >= 2 and not head[0] and head[1]:
        candidates.append(("UTF-16BE", "utf-16-be", 2))
    for name, codec, width in candidates:
        try:
            text = head[: len(head) - len(head) % width].decode(codec)
        except UnicodeDecodeError:
            continue
        if _NON_PRINTABLE.search(text) is None:  # no NUL or other control character: text
            return name
    return None


def decode_error_pos(data: bytes, offset: int) -> Pos:
    """Line and column (in characters) of byte ``offset`` of a UTF-8 file."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Pos(data.count(b"\n", 0, offset) + 1, col)


#: A CloudFormation template's top-level keys: its ``{{resolve:ssm:...}}`` dynamic references are
#: not Helm actions, and CloudFormation projects keep templates in ``templates/`` folders too.
_CFN_TOP_KEY = LazyPattern(r'^"?(?:AWSTemplateFormatVersion|Resources)"?\s*:', re.MULTILINE)


def looks_like_helm_template(path: Path | None, text: str) -> bool:
    """A Helm chart source: ``{{`` template actions in a chart's ``templates/`` folder."""
    if _TEMPLATE_MARK not in text or path is None:
        return False
    if not (any(parent.name == "templates" for parent in path.parents) or path.suffix == ".tpl"):
        return False
    return _CFN_TOP_KEY.search(text) is None


def _looks_like_json(source: SourceFile, text: str) -> bool:
    """Read as JSON by Kubernetes: a ``.json`` file, or a stream whose first character is ``{``."""
    if source.path is not None and source.path.suffix.lower() == ".json":
        return True
    return _JSON_START.match(text) is not None


def _json_surrogates(match: re.Match[str]) -> str:
    if match.group(2) is None:  # a lone low surrogate
        return f"{match.group(4)}\\uFFFD"
    if match.group(3) is None:  # a lone high surrogate
        return f"{match.group(1)}\\uFFFD"
    high, low = int(match.group(2), 16), int(match.group(3), 16)
    return f"{match.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


def load_text(source: SourceFile) -> None:
    """Parse ``source.text`` into documents and issues (in place)."""
    text = source.text
    if source.path is not None and source.path.suffix.lower() == ".json":
        text = text.replace("\t", " ")  # JSON allows tab indentation, YAML does not; tabs in
        # JSON strings are always escaped, so this changes no value and keeps every column.
    if "\\u" in text and _looks_like_json(source, text):
        # A surrogate pair becomes one \U escape (two columns shorter: later columns on that
        # line shift); a lone surrogate becomes U+FFFD as Go's JSON decoder makes it.
        text = _JSON_SURROGATES.sub(_json_surrogates, text)
    text = _replace_control_characters(source, text)
    if "\ufeff" in text:
        # Files joined with 'cat' keep each one's byte order mark at the start of a document,
        # where YAML allows it and kubectl (which parses each document on its own) ignores it;
        # libyaml counts it as a column of indentation there. Dropped, it is what editors show.
        text = _DOCUMENT_BOM.sub(r"\1", text)
    # Worked out once per file: a file with thousands of syntax errors can be big.
    scan = _Text(
        text,
        watch=_watch_lines(text) if "ekslint:" in text else set(),
        template=_TEMPLATE_MARK in source.text,
        bom="\ufeff" in text,
    )
    start, line = 0, 0
    while True:
        resume = _load_from(source, scan, start, line)
        if resume is None:
            return
        # The failing document may have run into the next '---': search from the error on.
        found = _next_document(text, start, line, max(resume, line + 1))
        if found is None:
            return
        start, line = found
        if text.startswith("...", start):  # '...' ends a document: resume on the next line
            after = _BREAK.search(text, start)
            if after is None:
                return
            start, line = after.end(), line + 1


def _next_document(text: str, start: int, line: int, target: int) -> tuple[int, int] | None:
    """Offset and line of the first ``---``/``...`` line at or after line ``target``, walking
    from ``start`` (the offset of line ``line``): linear in the lines walked, no copies."""
    while True:
        if line >= target and _DOC_START.match(text, start):
            return start, line
        found = _BREAK.search(text, start)
        if found is None:
            return None
        start, line = found.end(), line + 1


def _watch_lines(text: str) -> set[int]:
    """The 1-based lines holding ``ekslint:`` (see :class:`SourceFile`'s ``scalar_spans``)."""
    lines: set[int] = set()
    simple = _OTHER_BREAK.search(text) is None  # then counting newlines is enough (and fast)
    line, last = 1, 0
    at = text.find("ekslint:")
    while at >= 0:
        line += text.count("\n", last, at) if simple else sum(1 for _ in _BREAK.finditer(text, last, at))
        lines.add(line)
        last = at
        at = text.find("ekslint:", at + 1)
    return lines


def _replace_control_characters(source: SourceFile, text: str) -> str:
    """Report characters YAML does not allow (each at its place) and blank them out.

    libyaml stops at the first one and hides every other problem of the file behind it; a space
    keeps every column, so the rest of the file is still parsed and linted.
    """
    if _NON_PRINTABLE.search(text) is None:
        return text
    for n, m in enumerate(_NON_PRINTABLE.finditer(text)):
        if n == MAX_CONTROL_REPORTS:
            break
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        source.issues.append(
            LoadIssue("yaml-syntax", Pos(line, col), f"control character U+{ord(m.group()):04X} is not allowed in YAML")
        )
    return _NON_PRINTABLE.sub(" ", text)


def syntax_message(exc: yaml.MarkedYAMLError, template: bool = False) -> str:
    """``invalid YAML: <problem> (<context>)``: what went wrong, without PyYAML's mark and snippet."""
    if exc.problem == "exceeded maximum nesting depth":  # libyaml's own limit (1000 levels)
        return f"nesting deeper than {MAX_DEPTH} levels"
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        problem = f"{exc.problem} ({exc.context})"
    if template:
        problem += "; the file contains '{{', is it an unrendered template?"
    return f"invalid YAML: {problem}"


class _Text(NamedTuple):
    """The text being parsed, with what is looked up in it once per file."""

    text: str
    #: 1-based lines holding ``ekslint:`` (see :class:`SourceFile`'s ``scalar_spans``).
    watch: set[int]
    #: The file holds ``{{``: syntax errors ask whether it is an unrendered template.
    template: bool
    #: The file holds a byte order mark: syntax errors on its line say so.
    bom: bool


def _load_from(source: SourceFile, scan: _Text, start: int, line_offset: int) -> int | None:
    """Load documents from offset ``start`` (line ``line_offset``) until the end or the first
    syntax error; return the (0-based) line of the error, to resume from."""
    text, watch = scan.text, scan.watch
    loader = _SafeLoader(_TextReader(text, start))
    get_event = loader.get_event
    skipping = False  # the rest of a document that could not be loaded: already reported
    try:
        get_event()  # the stream start
        while type(get_event()) is DocumentStartEvent:
            composer = _Composer(line_offset, watch)
            try:
                root = composer.document(get_event)
            except _LoadError as exc:
                source.issues.append(LoadIssue("yaml-syntax", exc.pos, exc.message))
                source.issues.extend(composer.issues)
                source.scalar_spans.extend(composer.spans)
                skipping = True
                _skip_document(get_event)
                skipping = False
                continue
            source.issues.extend(composer.issues)
            source.scalar_spans.extend(composer.spans)
            if isinstance(root, LMap):
                source.documents.append(Document(source, len(source.documents), root))
        return None
    except yaml.MarkedYAMLError as exc:
        line = _error_line(exc, line_offset)
        if not skipping:
            mark = exc.problem_mark or exc.context_mark
            col = (mark.column if mark else 0) + 1
            message = syntax_message(exc, scan.template)
            if scan.bom and "\ufeff" in _line_text(text, start, line_offset, line):
                message += "; the line holds a byte order mark (U+FEFF), left by joining files?"
            source.issues.append(LoadIssue("yaml-syntax", Pos(line + 1, col), message))
        return line
    except yaml.YAMLError as exc:  # reader errors carry no mark
        source.issues.append(LoadIssue("yaml-syntax", Pos(line_offset + 1, 1), f"invalid YAML: {exc}"))
        return None
    except Exception as exc:  # noqa: BLE001 - a loader bug must not stop the scan of other files
        source.issues.append(
            LoadIssue(
                "yaml-syntax",
                Pos(line_offset + 1, 1),
                f"internal error while loading the rest of this file: {type(exc).__name__}: {exc}",
            )
        )
        return None
    finally:
        loader.dispose()


def _line_text(text: str, start: int, line: int, target: int) -> str:
    """The text of line ``target`` (0-based), walking from ``start``, the offset of ``line``."""
    while line < target:
        found = _BREAK.search(text, start)
        if found is None:
            return ""
        start, line = found.end(), line + 1
    end = _BREAK.search(text, start)
    return text[start : end.start() if end else len(text)]


def _error_line(exc: yaml.MarkedYAMLError, line_offset: int) -> int:
    mark = exc.problem_mark or exc.context_mark
    return (mark.line if mark else 0) + line_offset


def read_file(path: Path, display: str, *, max_bytes: int = MAX_FILE_BYTES) -> SourceFile:
    """Read and load one file. OSErrors propagate: the caller reports them as run errors.

    Anything but a regular file (a FIFO would block, ``/dev/zero`` never ends) is refused with
    an OSError before it is opened. The bytes are dropped once decoded, so a big file is not
    held twice while it is parsed.
    """
    source = SourceFile(display=display, path=path)
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    if info.st_size > max_bytes:
        _too_big(source, info.st_size, max_bytes)
        return source
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew since stat (or stat does not know: /proc)
        _too_big(source, len(data), max_bytes)
        return source
    text = _decode_into(source, data)
    del data
    if text is not None:
        _load_decoded(source, text)
    return source


def _too_big(source: SourceFile, size: int, max_bytes: int) -> None:
    source.issues.append(
        LoadIssue("yaml-syntax", Pos(1, 1), f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; not linted")
    )


def load_bytes(source: SourceFile, data: bytes) -> SourceFile:
    """Decode and load ``data`` into ``source`` (used for files and for stdin)."""
    text = _decode_into(source, data)
    if text is not None:
        _load_decoded(source, text)
    return source


def _decode_into(source: SourceFile, data: bytes) -> str | None:
    """The text of ``data``; ``None`` (and an issue at the first bad byte) when undecodable."""
    text, error = decode(data, source.display.lower().endswith(HCL_SUFFIXES))
    if text is not None:
        return text
    pos = Pos(1, 1)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" not in data[:8192]:
            pos = decode_error_pos(data, exc.start)
    source.issues.append(LoadIssue("yaml-syntax", pos, error or "unreadable"))
    return None


#: Terraform's native syntax: read by the Terraform layer, not as YAML.
HCL_SUFFIXES = (".tf", ".tfvars")


def _load_decoded(source: SourceFile, text: str) -> None:
    source.text = text
    if source.path is not None and source.path.suffix.lower() in HCL_SUFFIXES:
        source.syntax = "hcl"
        return
    if not text or text.isspace():  # not text.strip(): no copy of a big file
        return
    if looks_like_helm_template(source.path, text):
        source.skipped = "Helm chart template (contains '{{ }}'): render it with `helm template` and scan the output"
        return
    load_text(source)


def load_untrusted(text: str) -> list[Any]:
    """Every document of a YAML text read from the scanned repository (a kustomization, a config
    string inside a manifest), with the loader's bounds on depth and alias expansion.

    Returns ``[]`` when the text is not valid YAML or exceeds those bounds: callers treat such
    input as absent, and the file itself, when it is scanned, gets its own findings.
    """
    loader = _SafeLoader(_TextReader(text, 0))
    get_event = loader.get_event
    out: list[Any] = []
    try:
        get_event()  # the stream start
        while type(get_event()) is DocumentStartEvent:
            composer = _Composer(0, set())
            out.append(composer.document(get_event))
            if any(issue.rule == "yaml-syntax" for issue in composer.issues):
                return []
    except Exception:  # noqa: BLE001 - invalid YAML, too deep, an alias bomb: treated as absent
        return []
    finally:
        loader.dispose()
    return out
