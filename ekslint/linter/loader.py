"""Load YAML and JSON sources into located documents, turning every problem into a finding.

libyaml (PyYAML's C parser) composes the node graph; :class:`_Builder` turns nodes into
:class:`~ekslint.linter.nodes.LMap`/:class:`~ekslint.linter.nodes.LSeq` with positions, applying
YAML 1.1 scalar resolution as the Kubernetes API server's decoder does (``yes`` is a bool,
``0644`` is 420). Nothing is ever executed: only the safe tags are resolved, unknown tags keep
their plain value.

Bad input never raises out of here. A document that does not parse becomes a ``yaml-syntax``
issue at the parser's mark and loading resumes at the next ``---``; binary, non-UTF-8, huge
files, alias bombs, recursive aliases and absurd nesting become issues too; duplicate keys
become ``duplicate-key`` issues and the last value wins (as most loaders do).
"""

from __future__ import annotations

import codecs
import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ekslint.linter.nodes import LMap, LSeq, Pos

#: Files larger than this are reported and skipped (a manifest this big is a mistake or an attack).
#: Big install bundles and ``kubectl get -A -o yaml`` dumps reach tens of MB; ``max-file-size``
#: in the config changes it.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Deepest nesting accepted below a document root (real CRD schemas stay well under 100).
MAX_DEPTH = 200
#: How many extra nodes alias expansion may add to a document before it counts as an alias bomb.
MAX_ALIAS_EXPANSION = 100_000

_DOC_START = re.compile(r"^(---|\.\.\.)(\s|$)")
#: What YAML 1.1 allows in a stream (tab, line breaks, printable Unicode); anything else is reported.
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_CONTROL_REPORTS = 20
_TEMPLATE_MARK = "{{"

_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class LoadIssue:
    """A problem found while reading a file: reported under ``rule`` at ``pos``."""

    rule: str
    pos: Pos
    message: str


@dataclass
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


@dataclass
class SourceFile:
    """A file (or stdin) as read: its text, its documents and what went wrong reading it."""

    display: str
    path: Path | None = None
    text: str = ""
    documents: list[Document] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)
    #: Why the file was not linted at all (a Helm template, say); shown once as a note.
    skipped: str | None = None
    #: (start, end) positions of multi-line or suppression-looking scalars, so that text inside
    #: them (embedded config files in ConfigMaps) is never read as an ``# ekslint:`` directive.
    scalar_spans: list[tuple[Pos, Pos]] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


class _LoadError(Exception):
    def __init__(self, pos: Pos, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


_new_tuple = tuple.__new__  # Pos(...) via tuple.__new__ is twice as fast: ~760k calls on a big scan


def _pos(node: Node, line_offset: int) -> Pos:
    mark = node.start_mark
    return _new_tuple(Pos, (mark.line + 1 + line_offset, mark.column + 1))


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: Plain scalar text -> resolved tag, shared by every load in the process (bounded).
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 200_000
#: One copy of each key and short string value: manifests repeat ``name``, ``image``,
#: ``IfNotPresent`` ... in every object, and libyaml makes a new string each time (bounded).
_STRINGS: dict[str, str] = {}
_STRINGS_MAX = 500_000
_INTERN_LEN = 64
_intern = _STRINGS.setdefault


class _Loader(_SafeLoader):  # type: ignore[misc]
    """libyaml's parser and composer, with a memo in front of PyYAML's implicit resolver.

    The C composer calls the resolver (pure Python: a list of regexes per first character) for
    every node. Manifests repeat the same keys and values endlessly, so remembering the tag of
    each plain scalar's text, and answering quoted scalars and containers directly, takes about
    a third off loading. The answers are the resolver's own: no path resolvers are registered.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:  # quoted, or with the non-specific '!' tag: always a string
                return _STR_TAG
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) < _RESOLVED_MAX:
                    _RESOLVED[value] = tag
            return tag
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


_CONSTRUCTOR = SafeConstructor()  # stateless for scalars: one for the whole process
#: YAML 1.1 scalar resolution as the API server's decoder does it; str, timestamps, binary and
#: unknown tags keep their text (``None`` here).
_SCALAR_CTORS: dict[str, Any] = {
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
}


def _scalar(node: ScalarNode) -> Any:
    ctor = _SCALAR_CTORS.get(node.tag)
    if ctor is None:
        return node.value  # str, timestamps, binary and unknown tags keep their text
    try:
        return ctor(node)
    except (ValueError, yaml.YAMLError):
        return node.value


class _Builder:
    """Turns one composed node graph into located containers, bounded in depth and size.

    This is the hot loop of every scan (one pass per node of every file), so it is written for
    speed: scalars are handled inline where they occur, and alias bookkeeping (expansion size,
    recursion) runs as a separate pass only for documents that use aliases at all.
    """

    def __init__(self, source: SourceFile, line_offset: int, watch_lines: set[int]) -> None:
        self.source = source
        self.line_offset = line_offset
        self.off = line_offset + 1  # 0-based mark lines to 1-based file lines
        self.watch_lines = watch_lines
        self.memo: dict[int, Any] = {}
        self.aliased = False
        self.issues: list[LoadIssue] = []

    def build(self, node: Node) -> Any:
        value = self._value(node, 0)
        if self.aliased:
            _check_aliases(node, self.line_offset)
        return value

    def _value(self, node: Node, depth: int) -> Any:
        if type(node) is ScalarNode:
            self._span(node)
            return node.value if node.tag == _STR_TAG else _scalar(node)
        return self._container(node, depth)

    def _span(self, node: ScalarNode) -> None:
        """Remember multi-line scalars and those on a line with a directive (see SourceFile)."""
        start, end = node.start_mark, node.end_mark
        if end.line != start.line or (self.watch_lines and start.line + self.off in self.watch_lines):
            self.source.scalar_spans.append(
                (
                    Pos(start.line + self.off, start.column + 1),
                    Pos(end.line + self.off, end.column + 1),
                )
            )

    def _container(self, node: Node, depth: int) -> Any:
        key = id(node)
        seen = self.memo.get(key)
        if seen is not None:
            self.aliased = True  # the same node twice: an alias (checked once built)
            return seen
        if depth > MAX_DEPTH:
            raise _LoadError(_pos(node, self.line_offset), f"nesting deeper than {MAX_DEPTH} levels")
        off, watch, intern = self.off, self.watch_lines, _intern
        mark = node.start_mark
        result: LMap | LSeq
        if type(node) is SequenceNode:
            result = LSeq(_new_tuple(Pos, (mark.line + off, mark.column + 1)))
            self.memo[key] = result
            at: list[int] = []
            for item in node.value:
                m = item.start_mark
                if type(item) is ScalarNode:
                    if watch or item.end_mark.line != m.line:
                        self._span(item)
                    if item.tag == _STR_TAG:
                        text = item.value
                        result.append(intern(text, text) if len(text) < _INTERN_LEN else text)
                    else:
                        result.append(_scalar(item))
                else:
                    result.append(self._container(item, depth + 1))
                at += (m.line + off, m.column + 1)
            result.at = array("I", at)
        elif type(node) is MappingNode:
            result = LMap(_new_tuple(Pos, (mark.line + off, mark.column + 1)))
            self.memo[key] = result
            self._mapping(node, result, depth)
        else:  # pragma: no cover - libyaml only makes the three node kinds
            raise _LoadError(_pos(node, self.line_offset), "unsupported YAML node")
        if len(_STRINGS) > _STRINGS_MAX:
            _STRINGS.clear()
        return result

    def _mapping(self, node: MappingNode, result: LMap, depth: int) -> None:
        off, watch, intern = self.off, self.watch_lines, _intern
        at: list[int] = []
        merged: list[tuple[str, Any, Pos, Pos]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self._merge_sources(value_node, depth))
                continue
            if type(key_node) is not ScalarNode:
                raise _LoadError(_pos(key_node, self.line_offset), "a mapping key must be a plain value")
            name = key_node.value
            name = intern(name, name)
            km, vm = key_node.start_mark, value_node.start_mark
            if type(value_node) is ScalarNode:
                if watch or value_node.end_mark.line != vm.line:
                    self._span(value_node)
                if value_node.tag == _STR_TAG:
                    text = value_node.value
                    value = intern(text, text) if len(text) < _INTERN_LEN else text
                else:
                    value = _scalar(value_node)
            else:
                value = self._container(value_node, depth + 1)
            place = (km.line + off, km.column + 1, vm.line + off, vm.column + 1)
            if name in result:
                i = list(result).index(name)
                self.issues.append(
                    LoadIssue(
                        "duplicate-key",
                        Pos(place[0], place[1]),
                        f"key {name!r} is defined twice (first on line {at[4 * i]}); kubectl "
                        "rejects this and other tools silently keep one of them",
                    )
                )
                at[4 * i : 4 * i + 4] = place  # the last one wins, as most loaders do
            else:
                at += place
            result[name] = value
        for name, value, kp, vp in merged:  # explicit keys win over merged ones
            if name not in result:
                result[name] = value
                at += (kp.line, kp.col, vp.line, vp.col)
        result.at = array("I", at)

    def _merge_sources(self, node: Node, depth: int) -> list[tuple[str, Any, Pos, Pos]]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        out: list[tuple[str, Any, Pos, Pos]] = []
        for source in sources:
            value = self._value(source, depth + 1)
            if not isinstance(value, LMap):
                raise _LoadError(_pos(source, self.line_offset), "a merge key (<<) needs a mapping")
            at = value.at
            out.extend(
                (k, v, Pos(at[4 * i], at[4 * i + 1]), Pos(at[4 * i + 2], at[4 * i + 3]))
                for i, (k, v) in enumerate(value.items())
            )
        return out


def _check_aliases(root: Node, line_offset: int) -> None:
    """Refuse a document whose aliases make it recursive or expand it into an alias bomb.

    Rules walk documents as trees, so an alias counts once per place it is used: a few lines of
    nested aliases can stand for billions of nodes. Iterative, so depth costs no Python stack.
    """
    sizes: dict[int, int] = {}  # expanded size of each finished node
    active: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            children = node.value if type(node) is SequenceNode else [n for pair in node.value for n in pair]
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] - len(sizes) > MAX_ALIAS_EXPANSION:
                raise _LoadError(
                    _pos(root, line_offset),
                    f"aliases expand this document to {sizes[key]:,} nodes; refusing to load it (an alias bomb?)",
                )
            continue
        if key in sizes:
            continue
        if type(node) is ScalarNode:
            sizes[key] = 1
            continue
        if key in active:
            raise _LoadError(_pos(node, line_offset), "recursive alias: the node contains itself")
        active.add(key)
        stack.append((node, True))
        children = node.value if type(node) is SequenceNode else [n for pair in node.value for n in pair]
        for child in reversed(children):
            if id(child) in active:
                raise _LoadError(_pos(child, line_offset), "recursive alias: the node contains itself")
            if id(child) not in sizes:
                stack.append((child, False))


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Decode file bytes as YAML allows (UTF-8, or UTF-16/32 with a BOM); return (text, error).

    See :func:`decode_error_pos` for where an undecodable UTF-8 file is reported.
    """
    if b"\x00" in data[:8192] and not data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ):
        return None, "binary file (contains NUL bytes), not YAML or JSON"
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                return None, f"not valid {encoding.upper()}: {exc.reason} at byte {exc.start}"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        pos = decode_error_pos(data, exc.start)
        return None, f"not UTF-8 (byte 0x{data[exc.start]:02x} on line {pos.line}); YAML files must be UTF-8"


def decode_error_pos(data: bytes, offset: int) -> Pos:
    """Line and column (in characters) of byte ``offset`` of a UTF-8 file."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Pos(data[:offset].count(b"\n") + 1, col)


def looks_like_helm_template(path: Path | None, text: str) -> bool:
    """A Helm chart source: ``{{`` template actions in a chart's ``templates/`` folder."""
    if _TEMPLATE_MARK not in text or path is None:
        return False
    return any(parent.name == "templates" for parent in path.parents) or path.suffix == ".tpl"


def load_text(source: SourceFile) -> None:
    """Parse ``source.text`` into documents and issues (in place)."""
    text = source.text
    if source.path is not None and source.path.suffix.lower() == ".json":
        text = text.replace("\t", " ")  # JSON allows tab indentation, YAML does not; tabs in
        # JSON strings are always escaped, so this changes no value and keeps every column.
    text = _replace_control_characters(source, text)
    watch = {i + 1 for i, line in enumerate(text.splitlines()) if "ekslint:" in line} if "ekslint:" in text else set()
    lines = text.splitlines(keepends=True)
    offset = 0
    while True:
        resume = _load_from(source, "".join(lines[offset:]) if offset else text, offset, watch)
        if resume is None:
            return
        start = max(resume, offset + 1)  # the failing document may have run into the next '---'
        nxt = next((i for i in range(start, len(lines)) if _DOC_START.match(lines[i])), None)
        if nxt is None:
            return
        offset = nxt + 1 if lines[nxt].startswith("...") else nxt  # '...' ends a document


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


def _load_from(source: SourceFile, text: str, line_offset: int, watch: set[int]) -> int | None:
    """Load documents until the end or the first error; return the line to resume from."""
    loader = _Loader(text)
    try:
        while True:
            try:
                if not loader.check_node():
                    return None
                node = loader.get_node()
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                line = (mark.line if mark else 0) + line_offset
                col = (mark.column if mark else 0) + 1
                problem = exc.problem or exc.context or "invalid YAML"
                if exc.context and exc.problem:
                    problem = f"{exc.problem} ({exc.context})"
                if _TEMPLATE_MARK in source.text:
                    problem += "; the file contains '{{', is it an unrendered template?"
                source.issues.append(LoadIssue("yaml-syntax", Pos(line + 1, col), f"invalid YAML: {problem}"))
                return line
            except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark here
                source.issues.append(LoadIssue("yaml-syntax", Pos(line_offset + 1, 1), f"invalid YAML: {exc}"))
                return None
            if node is None:
                continue
            builder = _Builder(source, line_offset, watch)
            try:
                root = builder.build(node)
            except _LoadError as exc:
                source.issues.append(LoadIssue("yaml-syntax", exc.pos, exc.message))
                continue
            finally:
                source.issues.extend(builder.issues)
            if isinstance(root, LMap):
                source.documents.append(Document(source, len(source.documents), root))
    finally:
        loader.dispose()


def read_file(path: Path, display: str, *, max_bytes: int = MAX_FILE_BYTES) -> SourceFile:
    """Read and load one file. OSErrors propagate: the caller reports them as run errors."""
    source = SourceFile(display=display, path=path)
    size = path.stat().st_size
    if size > max_bytes:
        source.issues.append(
            LoadIssue(
                "yaml-syntax", Pos(1, 1), f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; not linted"
            )
        )
        return source
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    return load_bytes(source, data)


def load_bytes(source: SourceFile, data: bytes) -> SourceFile:
    """Decode and load ``data`` into ``source`` (used for files and for stdin)."""
    text, error = decode(data)
    if text is None:
        pos = Pos(1, 1)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" not in data[:8192]:
                pos = decode_error_pos(data, exc.start)
        source.issues.append(LoadIssue("yaml-syntax", pos, error or "unreadable"))
        return source
    source.text = text
    if not text.strip():
        return source
    if looks_like_helm_template(source.path, text):
        source.skipped = "Helm chart template (contains '{{ }}'): render it with `helm template` and scan the output"
        return source
    load_text(source)
    return source


def load_untrusted(text: str) -> list[Any]:
    """Every document of a YAML text read from the scanned repository (a kustomization, a config
    string inside a manifest), with the loader's bounds on depth and alias expansion.

    Returns ``[]`` when the text is not valid YAML or exceeds those bounds: callers treat such
    input as absent, and the file itself, when it is scanned, gets its own findings.
    """
    source = SourceFile(display="<embedded>")
    loader = _Loader(text)
    out: list[Any] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                out.append(_Builder(source, 0, set()).build(node))
    except (yaml.YAMLError, _LoadError):
        return []
    finally:
        loader.dispose()
    return out
