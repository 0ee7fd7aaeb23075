"""Terraform type constraints: what a variable's value becomes once Terraform has converted it.

A variable with ``type = object({ min_size = optional(number, 1) })`` turns ``{}`` into
``{min_size = 1}``; ``number`` turns ``"3"`` into 3; a ``map(object(...))`` applies the object's
optional defaults to every entry. ``terraform-aws-modules/eks`` v21 declares its node groups like
that, so these defaults decide what the cluster gets. Conversion is best effort: a value that
does not fit its type is left as it is (Terraform would refuse the configuration; the linter is
not the place to report that) and unknowns stay unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ekslint.linter.terraform import functions
from ekslint.linter.terraform.hcl import node_text
from ekslint.linter.terraform.values import EvalError, Unknown

#: Deepest type constraint read.
MAX_TYPE_DEPTH = 32


@dataclass(frozen=True)
class TfType:
    """A type constraint: ``kind`` is string/number/bool/any/list/set/map/tuple/object."""

    kind: str
    element: TfType | None = None
    #: name -> (type, optional, the ``optional()`` default expression, unused)
    attrs: dict[str, tuple[TfType, bool, Any, Any]] = field(default_factory=dict)
    items: tuple[TfType, ...] = ()


ANY = TfType("any")


def parse_type(expr: Any, depth: int = 0) -> TfType:
    """The type constraint of a ``type =`` expression node (anything unreadable is ``any``)."""
    if depth > MAX_TYPE_DEPTH or expr is None:
        return ANY
    node = expr
    while node.type == "expression" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type == "variable_expr":
        name = node_text(node)
        return TfType(name) if name in ("string", "number", "bool", "any") else ANY
    if node.type != "function_call":
        return ANY
    name = node_text(node.children[0])
    args_node = next((c for c in node.children if c.type == "function_arguments"), None)
    args = [c for c in args_node.children if c.type == "expression"] if args_node is not None else []
    if name in ("list", "set", "map") and args:
        return TfType(name, element=parse_type(args[0], depth + 1))
    if name == "tuple" and args:
        inner = _unwrap(args[0])
        if inner is not None and inner.type == "collection_value" and inner.children[0].type == "tuple":
            items = tuple(parse_type(c, depth + 1) for c in inner.children[0].children if c.type == "expression")
            return TfType("tuple", items=items)
        return ANY
    if name == "object" and args:
        inner = _unwrap(args[0])
        if inner is None or inner.type != "collection_value" or inner.children[0].type != "object":
            return ANY
        attrs: dict[str, tuple[TfType, bool, Any, Any]] = {}
        for elem in inner.children[0].children:
            if elem.type != "object_elem":
                continue
            exprs = [c for c in elem.children if c.type == "expression"]
            if len(exprs) != 2:
                continue
            key = node_text(exprs[0]).strip().strip('"')
            attrs[key] = _attr_type(exprs[1], depth + 1)
        return TfType("object", attrs=attrs)
    return ANY


def _unwrap(expr: Any) -> Any:
    node = expr
    while node is not None and node.type == "expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _attr_type(expr: Any, depth: int) -> tuple[TfType, bool, Any, Any]:
    """An object attribute's type, and for ``optional(T, default)`` its default expression."""
    node = _unwrap(expr)
    if node is not None and node.type == "function_call" and node_text(node.children[0]) == "optional":
        args_node = next((c for c in node.children if c.type == "function_arguments"), None)
        args = [c for c in args_node.children if c.type == "expression"] if args_node is not None else []
        inner = parse_type(args[0], depth) if args else ANY
        return inner, True, args[1] if len(args) > 1 else None, None
    return parse_type(expr, depth), False, None, None


def convert(value: Any, t: TfType, default_of: Any, depth: int = 0) -> Any:
    """``value`` converted to ``t``; ``default_of(node)`` evaluates an ``optional()`` default."""
    if isinstance(value, Unknown) or value is None or t.kind == "any" or depth > MAX_TYPE_DEPTH:
        return value
    try:
        if t.kind == "string":
            return functions.to_string(value) if not isinstance(value, (list, dict)) else value
        if t.kind == "number":
            return functions.to_number(value) if isinstance(value, (str, int, float)) else value
        if t.kind == "bool":
            return functions.to_bool(value) if isinstance(value, (str, bool)) else value
    except EvalError:
        return value
    if t.kind in ("list", "set") and isinstance(value, list) and t.element is not None:
        return _same_list(value, [convert(v, t.element, default_of, depth + 1) for v in value])
    if t.kind == "map" and isinstance(value, dict) and t.element is not None:
        return _same_map(value, {k: convert(v, t.element, default_of, depth + 1) for k, v in value.items()})
    if t.kind == "object" and isinstance(value, dict):
        out = dict(value)
        for name, (attr_t, optional, default_node, _) in t.attrs.items():
            if name in value and value[name] is not None:
                out[name] = convert(value[name], attr_t, default_of, depth + 1)
            elif optional and default_node is not None:
                out[name] = convert(default_of(default_node), attr_t, default_of, depth + 1)
            elif name not in value:
                out[name] = None
        return _same_map(value, out)
    return value


def _same_list(original: Any, items: list[Any]) -> Any:
    """A converted list that keeps the original's positions."""
    from ekslint.linter.terraform.evaluate import HList

    return HList(items, getattr(original, "src", None), list(getattr(original, "ipos", [])))


def _same_map(original: Any, items: dict[str, Any]) -> Any:
    from ekslint.linter.terraform.evaluate import HMap

    return HMap(
        items,
        getattr(original, "src", None),
        dict(getattr(original, "kpos", {})),
        dict(getattr(original, "vpos", {})),
    )
