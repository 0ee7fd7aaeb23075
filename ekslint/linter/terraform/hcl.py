"""HCL files as blocks and attributes with exact positions, parsed with tree-sitter-hcl.

tree-sitter gives a concrete syntax tree with the byte, line and column of every node, and is
error-tolerant; this module keeps only the structure Terraform gives meaning to (blocks with
their type and labels, attributes with their name and expression) and leaves expressions as
tree nodes: most are never evaluated, and :mod:`ekslint.linter.terraform.evaluate` walks the few
that a rule needs.

``.tf.json``/``.tfvars.json`` files (Terraform's JSON syntax) are mapped onto the same classes from
the located JSON the YAML loader already built: their values are JSON, and their strings are
templates that are parsed as HCL when evaluated.

A file with a syntax error is not read at all (a note says where): error recovery can glue the
rest of a file into the wrong block, and a linter that reads half a block would report defaults
that are not defaults. Terraform refuses such a file too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ekslint.linter.loader import SourceFile
from ekslint.linter.nodes import LMap, LSeq, Pos
from ekslint.linter.terraform.syntax import bracket_error, parser_gap, tree_error

#: Deepest block nesting read (real configurations nest a few levels; a hostile file, thousands).
MAX_BLOCK_DEPTH = 64


@cache
def parser() -> Any:
    """The tree-sitter parser for HCL (imported on first use: YAML-only scans never pay for it)."""
    import tree_sitter
    import tree_sitter_hcl

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))


@dataclass(eq=False)
class Attr:
    """``name = expression`` in a body. ``expr`` is a tree-sitter node, or for JSON syntax a
    :class:`JsonExpr`."""

    name: str
    expr: Any
    file: SourceFile
    #: Where the attribute name is (findings point here).
    pos: Pos
    #: Where the expression starts.
    value_pos: Pos


@dataclass(eq=False)
class Block:
    """``type "label" ... { body }``."""

    type: str
    labels: tuple[str, ...]
    file: SourceFile
    pos: Pos
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]

    def block(self, type_: str) -> Block | None:
        return next((b for b in self.blocks if b.type == type_), None)

    @property
    def label(self) -> str:
        return ".".join(self.labels)


@dataclass(eq=False)
class JsonExpr:
    """A value of a Terraform JSON file: JSON, whose strings are HCL templates."""

    value: Any
    file: SourceFile
    pos: Pos


@dataclass
class HclFile:
    """A parsed file: its top-level body, or why it could not be read."""

    source: SourceFile
    body: Block | None
    error: str | None = None
    #: Where an HCL syntax error is (native syntax only: a ``.tf.json`` file is JSON, which the
    #: YAML loader already reports).
    error_at: Pos | None = None
    #: Top-level attributes (``.tfvars`` files are nothing else).
    attrs: dict[str, Attr] = field(default_factory=dict)


class Columns:
    """Turns tree-sitter byte columns into code-point columns (what every ekslint column counts)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.ascii = data.isascii()
        self._starts: list[int] | None = None

    def pos(self, point: Any) -> Pos:
        row, col = point[0], point[1]
        if self.ascii or col == 0:
            return Pos(row + 1, col + 1)
        if self._starts is None:
            starts = [0]
            find = self.data.find
            at = find(b"\n")
            while at >= 0:
                starts.append(at + 1)
                at = find(b"\n", at + 1)
            self._starts = starts
        start = self._starts[row] if row < len(self._starts) else 0
        return Pos(row + 1, len(self.data[start : start + col].decode("utf-8", "replace")) + 1)


def node_text(node: Any) -> str:
    text: bytes = node.text or b""
    return text.decode("utf-8", "replace")


def parse_hcl(source: SourceFile) -> HclFile:
    """Parse an HCL file (``.tf``, ``.tfvars``) into its top-level body."""
    data = source.text.encode("utf-8", "surrogatepass")
    tree = parser().parse(data)
    root = tree.root_node
    cols = Columns(data)
    if root.has_error:
        found = bracket_error(source.text)
        if found is None:
            bad = _first_error(root)
            where = cols.pos(bad.start_point) if bad is not None else Pos(1, 1)
            found = where, tree_error(bad, where)
        where, what = found
        number = parser_gap(source.text, _parses)
        if number is not None:  # valid HCL: a note, not a syntax error
            return HclFile(source, None, number)
        return HclFile(source, None, f"{where.line}:{where.col}: HCL syntax error: {what}", error_at=where)
    body = Block("", (), source, Pos(1, 1))
    _spans(source, root, cols)
    for child in root.children:
        if child.type == "body":
            _read_body(child, body, source, cols, 0)
    return HclFile(source, body, attrs=body.attrs)


def _parses(text: str) -> bool:
    return not parser().parse(text.encode("utf-8", "surrogatepass")).root_node.has_error


def _first_error(node: Any) -> Any:
    """The first ERROR or MISSING node, depth first (iteratively: any depth)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.is_error or n.is_missing:
            return n
        if n.has_error:
            stack.extend(reversed(n.children))
    return None


def _read_body(node: Any, into: Block, source: SourceFile, cols: Columns, depth: int) -> None:
    for child in node.children:
        kind = child.type
        if kind == "attribute":
            name_node = child.children[0]
            expr = next((c for c in child.children if c.type == "expression"), None)
            if expr is None:
                continue
            name = node_text(name_node)
            if name not in into.attrs:  # Terraform rejects a duplicate; the first one is read
                into.attrs[name] = Attr(name, expr, source, cols.pos(name_node.start_point), cols.pos(expr.start_point))
        elif kind == "block" and depth < MAX_BLOCK_DEPTH:
            into.blocks.append(_read_block(child, source, cols, depth + 1))


def _read_block(node: Any, source: SourceFile, cols: Columns, depth: int) -> Block:
    type_ = ""
    labels: list[str] = []
    body = None
    for child in node.children:
        kind = child.type
        if kind == "identifier":
            if not type_:
                type_ = node_text(child)
            else:
                labels.append(node_text(child))
        elif kind == "string_lit":
            labels.append("".join(node_text(c) for c in child.children if c.type == "template_literal"))
        elif kind == "body":
            body = child
    block = Block(type_, tuple(labels), source, cols.pos(node.start_point))
    if body is not None:
        _read_body(body, block, source, cols, depth)
    return block


def _spans(source: SourceFile, root: Any, cols: Columns) -> None:
    """Multi-line strings and heredocs, so that an ``# ekslint:`` inside one (a script in
    ``user_data``) is never read as a directive; comments are found by the suppression reader."""
    if "ekslint" not in source.text:
        return
    stack = [root]
    while stack:
        n = stack.pop()
        kind = n.type
        if kind in ("heredoc_template", "quoted_template", "string_lit"):
            if n.end_point[0] != n.start_point[0] or "ekslint" in node_text(n):
                source.scalar_spans.append((cols.pos(n.start_point), cols.pos(n.end_point)))
            continue
        if kind != "comment":
            stack.extend(n.children)


# -- Terraform's JSON syntax ----------------------------------------------------------------------

#: Block types whose JSON object is keyed by labels, and how many labels each has.
_JSON_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1, "locals": 0}


def parse_json(source: SourceFile) -> HclFile:
    """A ``.tf.json`` or ``.tfvars.json`` file from its loaded JSON document."""
    docs = source.documents
    if len(docs) != 1 or not isinstance(docs[0].root, LMap):
        return HclFile(source, None, "not a JSON object")
    root = docs[0].root
    body = Block("", (), source, root.pos)
    if source.display.endswith(".tfvars.json"):
        for key, value in root.items():
            body.attrs[key] = _json_attr(source, root, key, value)
        return HclFile(source, body, attrs=body.attrs)
    for type_, content in root.items():
        labels = _JSON_LABELS.get(type_)
        if labels is None or not isinstance(content, (LMap, LSeq)):
            continue
        for item in content if isinstance(content, LSeq) else [content]:
            if not isinstance(item, LMap):
                continue
            if labels == 0:
                for key, value in item.items():
                    body.attrs.setdefault(key, _json_attr(source, item, key, value))
                locals_block = Block("locals", (), source, item.pos)
                locals_block.attrs = {k: _json_attr(source, item, k, v) for k, v in item.items()}
                body.blocks.append(locals_block)
                continue
            for block in _json_blocks(source, type_, item, labels):
                body.blocks.append(block)
    return HclFile(source, body)


def _json_attr(source: SourceFile, parent: LMap, key: str, value: Any) -> Attr:
    pos = parent.key_pos(key) or parent.pos
    vpos = parent.value_pos(key) or pos
    return Attr(key, JsonExpr(value, source, vpos), source, pos, vpos)


def _json_blocks(source: SourceFile, type_: str, obj: LMap, labels: int, got: tuple[str, ...] = ()) -> list[Block]:
    if len(got) == labels:
        block = Block(type_, got, source, obj.pos)
        _json_body(source, obj, block, 0)
        return [block]
    out: list[Block] = []
    for key, value in obj.items():
        for item in value if isinstance(value, LSeq) else [value]:
            if isinstance(item, LMap):
                out.extend(_json_blocks(source, type_, item, labels, (*got, key)))
    return out


#: Attribute names that are nested blocks in JSON syntax too (JSON cannot tell them apart; these
#: are the ones the cluster model reads).
JSON_NESTED_BLOCKS = frozenset(
    {
        "vpc_config",
        "encryption_config",
        "provider",
        "access_config",
        "scaling_config",
        "remote_access",
        "launch_template",
        "update_config",
        "metadata_options",
        "block_device_mappings",
        "ebs",
        "selector",
        "kubernetes_network_config",
        "compute_config",
        "outpost_config",
        "upgrade_policy",
    }
)


def _json_body(source: SourceFile, obj: LMap, into: Block, depth: int) -> None:
    for key, value in obj.items():
        if key in JSON_NESTED_BLOCKS and depth < MAX_BLOCK_DEPTH and isinstance(value, (LMap, LSeq)):
            for item in value if isinstance(value, LSeq) else [value]:
                if isinstance(item, LMap):
                    nested = Block(key, (), source, obj.key_pos(key) or obj.pos)
                    _json_body(source, item, nested, depth + 1)
                    into.blocks.append(nested)
            continue
        into.attrs[key] = _json_attr(source, obj, key, value)
