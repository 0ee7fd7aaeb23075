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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ekslint.linter.nodes import LMap, LSeq, Pos

#: Files larger than this are reported and skipped (a manifest this big is a mistake or an attack).
MAX_FILE_BYTES = 32 * 1024 * 1024
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


_CONSTRUCTOR = SafeConstructor()  # stateless for scalars: one for the whole process
#: YAML 1.1 scalar resolution as the API server's decoder does it; str, timestamps, binary and
#: unknown tags keep their text (``None`` here).
_SCALAR_CTORS: dict[str, Any] = {
    "tag:yaml.org,2002:str": None,
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
}


class _Builder:
    """Turns one composed node graph into located containers, bounded in depth and size."""

    def __init__(self, source: SourceFile, line_offset: int, watch_lines: set[int]) -> None:
        self.source = source
        self.line_offset = line_offset
        self.watch_lines = watch_lines
        self.memo: dict[int, Any] = {}
        self.sizes: dict[int, int] = {}
        self.active: set[int] = set()
        self.issues: list[LoadIssue] = []
        self.scalars = 0
        self.scalar_ctors = _SCALAR_CTORS

    def build(self, node: Node) -> Any:
        value = self._node(node, 0)
        size = self.sizes.get(id(node), 1)
        if size - len(self.sizes) - self.scalars > MAX_ALIAS_EXPANSION:
            raise _LoadError(
                _pos(node, self.line_offset),
                f"aliases expand this document to {size:,} nodes; refusing to load it (an alias bomb?)",
            )
        return value

    def _scalar(self, node: ScalarNode) -> Any:
        ctor = self.scalar_ctors.get(node.tag)
        if ctor is None:
            return node.value  # str, timestamps, binary and unknown tags keep their text
        try:
            return ctor(node)
        except (ValueError, yaml.YAMLError):
            return node.value

    def _note_span(self, node: Node) -> None:
        start, end = node.start_mark, node.end_mark
        if end.line > start.line or (start.line + 1 + self.line_offset) in self.watch_lines:
            self.source.scalar_spans.append(
                (
                    Pos(start.line + 1 + self.line_offset, start.column + 1),
                    Pos(end.line + 1 + self.line_offset, end.column + 1),
                )
            )

    def _node(self, node: Node, depth: int) -> Any:
        if isinstance(node, ScalarNode):
            self.scalars += 1
            if node.style or node.end_mark.line > node.start_mark.line or self.watch_lines:
                self._note_span(node)
            return self._scalar(node)
        key = id(node)
        if key in self.memo:
            if key in self.active:
                raise _LoadError(_pos(node, self.line_offset), "recursive alias: the node contains itself")
            return self.memo[key]
        if depth > MAX_DEPTH:
            raise _LoadError(_pos(node, self.line_offset), f"nesting deeper than {MAX_DEPTH} levels")
        self.active.add(key)
        size = 1
        result: LMap | LSeq
        if isinstance(node, SequenceNode):
            result = LSeq(_pos(node, self.line_offset))
            self.memo[key] = result
            for item in node.value:
                result.append(self._node(item, depth + 1))
                result.ipos.append(_pos(item, self.line_offset))
                size += self.sizes.get(id(item), 1)
        elif isinstance(node, MappingNode):
            result = LMap(_pos(node, self.line_offset))
            self.memo[key] = result
            size += self._mapping(node, result, depth)
        else:  # pragma: no cover - libyaml only makes the three node kinds
            raise _LoadError(_pos(node, self.line_offset), "unsupported YAML node")
        self.active.discard(key)
        self.sizes[key] = size
        return result

    def _mapping(self, node: MappingNode, result: LMap, depth: int) -> int:
        size = 0
        merged: list[tuple[str, Any, Pos, Pos]] = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged.extend(self._merge_sources(value_node, depth))
                size += self.sizes.get(id(value_node), 1)
                continue
            if not isinstance(key_node, ScalarNode):
                raise _LoadError(_pos(key_node, self.line_offset), "a mapping key must be a plain value")
            name = key_node.value
            kpos = _pos(key_node, self.line_offset)
            if name in result:
                first = result.kpos[name]
                self.issues.append(
                    LoadIssue(
                        "duplicate-key",
                        kpos,
                        f"key {name!r} is defined twice (first on line {first.line}); kubectl "
                        "rejects this and other tools silently keep one of them",
                    )
                )
            result[name] = self._node(value_node, depth + 1)
            result.kpos[name] = kpos
            result.vpos[name] = _pos(value_node, self.line_offset)
            size += self.sizes.get(id(value_node), 1)
        for name, value, kpos, vpos in merged:  # explicit keys win over merged ones
            if name not in result:
                result[name] = value
                result.kpos[name] = kpos
                result.vpos[name] = vpos
        return size

    def _merge_sources(self, node: Node, depth: int) -> list[tuple[str, Any, Pos, Pos]]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        out: list[tuple[str, Any, Pos, Pos]] = []
        for source in sources:
            value = self._node(source, depth + 1)
            if not isinstance(value, LMap):
                raise _LoadError(_pos(source, self.line_offset), "a merge key (<<) needs a mapping")
            out.extend((k, v, value.kpos[k], value.vpos[k]) for k, v in value.items())
        return out


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
    loader = _SafeLoader(text)
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
    loader = _SafeLoader(text)
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
