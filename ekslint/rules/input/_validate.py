"""A small, fast JSON Schema validator for the subset Kubernetes schemas use.

``jsonschema`` resolves every ``$ref`` through ``referencing`` and builds a validator per
sub-schema it descends into; on a 3,600-file scan that is most of the run time. Kubernetes,
CRD structural and eksctl schemas use a handful of keywords, so ekslint compiles them once into
linked :class:`Node` objects (``$ref`` resolved at compile time, recursion included) and walks the
instance once. Supported: ``type``, ``properties``, ``additionalProperties``, ``patternProperties``,
``required``, ``items``, ``enum``, ``const``, ``oneOf``/``anyOf``/``allOf``/``not``, ``pattern``,
``minLength``/``maxLength``, ``minimum``/``maximum`` (and the numeric ``exclusive*`` forms),
``multipleOf``, ``minItems``/``maxItems``, ``uniqueItems``, ``minProperties``/``maxProperties`` and
local or ``_definitions.json`` ``$ref``. ``format`` is not checked (neither does ``jsonschema`` by
default).

A JSON ``null`` passes every type: Go's ``encoding/json`` (how the API server and eksctl decode)
treats null as "not set", and CRD structural schemas prune nulls before validating.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from ekslint.linter.linear_regex import LinearPattern, PatternError, compile_linear
from ekslint.linter.nodes import NodePath

#: Keywords that only annotate: a ``$ref`` with only these beside it is the referenced schema.
ANNOTATIONS = {"description", "title", "default", "examples", "example", "format", "$comment", "$schema", "$id"}


class Error(NamedTuple):
    """One failed check: where, which keyword, and what to say about it."""

    path: NodePath
    keyword: str
    instance: Any
    #: keyword-specific: the unknown key, the missing field, the wanted types, the enum...
    detail: Any = None
    #: the schema node's declared property names (for "did you mean" hints)
    known: tuple[str, ...] = ()


class Node:
    """A compiled schema node.

    Nodes are filled in on first use (:meth:`fill`): a CRD's schema or Kubernetes'
    ``_definitions.json`` has thousands of nodes, and the objects of a scan reach few of them.
    """

    __slots__ = (
        "additional",
        "all_of",
        "any_of",
        "const",
        "enum",
        "exclusive_maximum",
        "exclusive_minimum",
        "has_const",
        "items",
        "max_items",
        "max_length",
        "max_properties",
        "maximum",
        "min_items",
        "min_length",
        "min_properties",
        "minimum",
        "multiple_of",
        "not_",
        "one_of",
        "pattern",
        "pattern_props",
        "pending",
        "props",
        "required",
        "types",
        "unique_items",
    )

    def __init__(self) -> None:
        self.types: frozenset[str] | None = None
        self.props: dict[str, Node] | None = None
        self.additional: Node | bool | None = None
        self.pattern_props: list[tuple[LinearPattern, Node]] = []
        self.required: tuple[str, ...] = ()
        self.items: Node | None = None
        self.enum: list[Any] | None = None
        self.const: Any = None
        self.has_const = False
        self.one_of: list[Node] = []
        self.any_of: list[Node] = []
        self.all_of: list[Node] = []
        self.not_: Node | None = None
        self.pattern: LinearPattern | None = None
        self.min_length: int | None = None
        self.max_length: int | None = None
        self.minimum: float | None = None
        self.maximum: float | None = None
        self.exclusive_minimum: float | None = None
        self.exclusive_maximum: float | None = None
        self.multiple_of: float | None = None
        self.min_items: int | None = None
        self.max_items: int | None = None
        self.unique_items = False
        self.min_properties: int | None = None
        self.max_properties: int | None = None
        #: what :meth:`fill` compiles: the compiler, the schema dict and its document, and the
        #: target of a ``$ref`` written beside other keywords (checked as one more ``allOf``)
        self.pending: tuple[Compiler, dict[str, Any], Any, tuple[Any, Any] | None] | None = None

    def fill(self) -> None:
        """Compile this node's keywords; the sub-schemas they name are filled on their own first use."""
        if self.pending is None:
            return
        compiler, schema, doc, ref = self.pending
        self.pending = None
        compiler._fill(self, schema, doc)
        if ref is not None:
            self.all_of.append(compiler.compile(*ref))


class Compiler:
    """Compiles schema dicts into :class:`Node` graphs; ``$ref`` resolves against ``documents``.

    ``documents`` maps a document name to its root: ``""`` is the document being compiled
    (``#/definitions/X``), and any ref whose URI part ends with a known name (``_definitions.json``)
    resolves into that document. Compiled nodes are memoised by the identity of their dict, so a
    shared definition is compiled once and recursive schemas become cyclic graphs. A node's
    keywords are compiled when it is first used (see :class:`Node`).
    """

    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents
        self.memo: dict[int, Node] = {}
        self._keep: list[Any] = []  # keep compiled dicts alive so their ids stay unique

    def compile(self, schema: Any, document: Any = None) -> Node:
        if not isinstance(schema, dict):
            return Node()  # True/{} or anything odd: accept everything
        key = id(schema)
        found = self.memo.get(key)
        if found is not None:
            return found
        self._keep.append(schema)
        doc = document if document is not None else self.documents.get("")
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target_doc, target = self._resolve(ref, doc)
            rest = {k: v for k, v in schema.items() if k != "$ref" and k not in ANNOTATIONS and not k.startswith("x-")}
            if not rest:
                node = self.compile(target, target_doc)
                self.memo[key] = node
                return node
            node = Node()
            self.memo[key] = node
            node.pending = (self, rest, doc, (target, target_doc))
            return node
        node = Node()
        self.memo[key] = node
        node.pending = (self, schema, doc, None)
        return node

    def _resolve(self, ref: str, doc: Any) -> tuple[Any, Any]:
        uri, _, pointer = ref.partition("#")
        target_doc = doc
        if uri:
            name = uri.rsplit("/", 1)[-1]
            target_doc = self.documents.get(name)
            if target_doc is None:
                return doc, {}
        node = target_doc
        for part in pointer.split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            node = node.get(part) if isinstance(node, dict) else None
            if node is None:
                return doc, {}
        return target_doc, node

    def _fill(self, node: Node, s: dict[str, Any], doc: Any) -> None:
        t = s.get("type")
        if isinstance(t, str):
            node.types = frozenset((t,))
        elif isinstance(t, list):
            node.types = frozenset(str(x) for x in t)
        props = s.get("properties")
        if isinstance(props, dict):
            node.props = {str(k): self.compile(v, doc) for k, v in props.items()}
        additional = s.get("additionalProperties")
        if isinstance(additional, bool):
            node.additional = additional
        elif isinstance(additional, dict):
            node.additional = self.compile(additional, doc)
        pattern_props = s.get("patternProperties")
        if isinstance(pattern_props, dict):
            for pat, sub in pattern_props.items():
                compiled = _regex(pat)
                if compiled is not None:
                    node.pattern_props.append((compiled, self.compile(sub, doc)))
        if isinstance(s.get("required"), list):
            node.required = tuple(str(r) for r in s["required"])
        if isinstance(s.get("items"), dict):
            node.items = self.compile(s["items"], doc)
        if isinstance(s.get("enum"), list):
            node.enum = list(s["enum"])
        if "const" in s:
            node.const, node.has_const = s["const"], True
        for key, attr in (("oneOf", "one_of"), ("anyOf", "any_of"), ("allOf", "all_of")):
            if isinstance(s.get(key), list):
                getattr(node, attr).extend(self.compile(x, doc) for x in s[key])
        if isinstance(s.get("not"), dict):
            node.not_ = self.compile(s["not"], doc)
        if isinstance(s.get("pattern"), str):
            node.pattern = _regex(s["pattern"])
        for key, attr in (
            ("minLength", "min_length"),
            ("maxLength", "max_length"),
            ("minimum", "minimum"),
            ("maximum", "maximum"),
            ("multipleOf", "multiple_of"),
            ("minItems", "min_items"),
            ("maxItems", "max_items"),
            ("minProperties", "min_properties"),
            ("maxProperties", "max_properties"),
        ):
            value = s.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                setattr(node, attr, value)
        for key, attr in (("exclusiveMinimum", "exclusive_minimum"), ("exclusiveMaximum", "exclusive_maximum")):
            value = s.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                setattr(node, attr, value)
        node.unique_items = s.get("uniqueItems") is True


def _regex(pattern: str) -> LinearPattern | None:
    """Compile a schema ``pattern`` (or a ``patternProperties`` key), or None to skip it.

    CRDs come from the scanned repository, so their patterns are untrusted: they run on RE2
    (:mod:`ekslint.linter.linear_regex`), whose matching time is linear whatever the pattern, as the
    API server runs them with Go's ``regexp`` (RE2 syntax and semantics: ``\\d`` is ASCII, ``$`` is
    the end of the text). A pattern RE2 rejects (lookaround, backreferences) is one the API server
    rejects when the CRD is created, so there are no valid objects to check against it.
    """
    try:
        return compile_linear(pattern)
    except PatternError:
        return None


_KNOWN_TYPES = frozenset({"string", "integer", "number", "boolean", "object", "array", "null"})
_STRING = frozenset({"string"})
_BOOLEAN = frozenset({"boolean"})
_INTEGER = frozenset({"integer", "number"})
_NUMBER = frozenset({"number"})
_OBJECT = frozenset({"object"})
_ARRAY = frozenset({"array"})
_NO_TYPE: frozenset[str] = frozenset()


def _json_types(value: Any) -> frozenset[str]:
    """The JSON Schema type names ``value`` is an instance of: a boolean is neither an integer
    nor a number, an integral float is an integer. A type name outside :data:`_KNOWN_TYPES`
    accepts any value. Found once per value, not tested name by name."""
    if isinstance(value, str):
        return _STRING
    if isinstance(value, bool):
        return _BOOLEAN
    if isinstance(value, int):
        return _INTEGER
    if isinstance(value, float):
        return _INTEGER if value.is_integer() else _NUMBER
    if isinstance(value, dict):
        return _OBJECT
    if isinstance(value, list):
        return _ARRAY
    return _NO_TYPE  # None never gets here (see _check)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: ``True`` is not ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def validate(node: Node, instance: Any, path: NodePath = ()) -> list[Error]:
    out: list[Error] = []
    _check(node, instance, path, out)
    return out


def _check(node: Node, value: Any, path: NodePath, out: list[Error]) -> None:
    if value is None:
        return
    if node.pending is not None:
        node.fill()
    types = node.types
    if types is not None and types.isdisjoint(_json_types(value)) and types <= _KNOWN_TYPES:
        out.append(Error(path, "type", value, tuple(sorted(types - {"null"}))))
        return
    if node.enum is not None and not any(_same(value, e) for e in node.enum):
        out.append(Error(path, "enum", value, [e for e in node.enum if e is not None]))
    if node.has_const and not _same(value, node.const):
        out.append(Error(path, "const", value, node.const))
    if isinstance(value, dict):
        _object(node, value, path, out)
    elif isinstance(value, list):
        _array(node, value, path, out)
    elif isinstance(value, str):
        if node.pattern is not None and node.pattern.search(value) is None:
            out.append(Error(path, "pattern", value, node.pattern.pattern))
        if node.min_length is not None and len(value) < node.min_length:
            out.append(Error(path, "minLength", value, node.min_length))
        if node.max_length is not None and len(value) > node.max_length:
            out.append(Error(path, "maxLength", value, node.max_length))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        _number(node, value, path, out)
    if node.all_of or node.any_of or node.one_of:
        combined: list[Error] = []
        for sub in node.all_of:
            _check(sub, value, path, combined)
        if node.any_of:
            _alternatives(node.any_of, value, path, combined)
        if node.one_of:
            _alternatives(node.one_of, value, path, combined)
        known = node.props or {}
        # A field this node declares is not unknown because a sub-schema does not list it.
        out.extend(e for e in combined if not (e.keyword == "unknown" and e.path[:-1] == path and e.detail in known))
    if node.not_ is not None and not validate(node.not_, value, path):
        out.append(Error(path, "not", value))


def _object(node: Node, value: dict[str, Any], path: NodePath, out: list[Error]) -> None:
    for name in node.required:
        if name not in value:
            out.append(Error(path, "required", value, name))
    props = node.props or {}
    pattern_props = node.pattern_props
    for key, item in value.items():
        sub = props.get(key)
        if sub is not None:
            _check(sub, item, path + (key,), out)
            continue
        matched = False
        for pattern, pnode in pattern_props:
            if pattern.search(key):
                matched = True
                _check(pnode, item, path + (key,), out)
        if matched:
            continue
        additional = node.additional
        if additional is False:
            out.append(Error(path + (key,), "unknown", item, key, tuple(props)))
        elif isinstance(additional, Node):
            _check(additional, item, path + (key,), out)
    if node.min_properties is not None and len(value) < node.min_properties:
        out.append(Error(path, "minProperties", value, node.min_properties))
    if node.max_properties is not None and len(value) > node.max_properties:
        out.append(Error(path, "maxProperties", value, node.max_properties))


def _array(node: Node, value: list[Any], path: NodePath, out: list[Error]) -> None:
    if node.items is not None:
        for i, item in enumerate(value):
            _check(node.items, item, path + (i,), out)
    if node.min_items is not None and len(value) < node.min_items:
        out.append(Error(path, "minItems", value, node.min_items))
    if node.max_items is not None and len(value) > node.max_items:
        out.append(Error(path, "maxItems", value, node.max_items))
    if node.unique_items:
        seen: set[str] = set()
        for item in value:
            key = json.dumps(item, sort_keys=True, default=str)
            if key in seen:
                out.append(Error(path, "uniqueItems", value))
                break
            seen.add(key)


def _number(node: Node, value: float, path: NodePath, out: list[Error]) -> None:
    if node.minimum is not None and value < node.minimum:
        out.append(Error(path, "minimum", value, node.minimum))
    if node.maximum is not None and value > node.maximum:
        out.append(Error(path, "maximum", value, node.maximum))
    if node.exclusive_minimum is not None and value <= node.exclusive_minimum:
        out.append(Error(path, "exclusiveMinimum", value, node.exclusive_minimum))
    if node.exclusive_maximum is not None and value >= node.exclusive_maximum:
        out.append(Error(path, "exclusiveMaximum", value, node.exclusive_maximum))
    if node.multiple_of:
        quotient = value / node.multiple_of
        if abs(quotient - round(quotient)) > 1e-9 * max(1.0, abs(quotient)):
            out.append(Error(path, "multipleOf", value, node.multiple_of))


def _alternatives(branches: list[Node], value: Any, path: NodePath, out: list[Error]) -> None:
    """``anyOf``/``oneOf``: fine when some branch accepts the value.

    ``oneOf`` matching several branches is not reported: in Kubernetes schemas that only happens
    for nullable int-or-string and quantity values, which the API server accepts. When no branch
    matches, report the errors of the most relevant branch (one whose type fits, with the fewest
    errors), or a single type error listing every accepted type.
    """
    results = [validate(b, value, path) for b in branches]
    if any(not r for r in results):
        return
    wrong_type = [len(r) == 1 and r[0].keyword == "type" and r[0].path == path for r in results]
    if all(wrong_type):
        wanted = tuple(sorted({t for r in results for t in r[0].detail}))
        out.append(Error(path, "type", value, wanted))
        return
    relevant = [r for r, wt in zip(results, wrong_type, strict=True) if not wt]
    best = min(relevant, key=lambda r: (len(r), -max(len(e.path) for e in r)))
    out.extend(best)
