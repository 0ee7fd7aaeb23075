"""The checked syntax tree of a compiled expression, read from cel-expr-python's serialisation.

cel-expr-python exposes no syntax tree, but ``Expression.serialize()`` returns the checked
expression as the CEL protobuf ``cel.expr.CheckedExpr`` (wrapped in a ``google.protobuf.Any``).
Its wire format is simple enough to read here without the protobuf runtime, and the tree is what
ekslint needs beyond evaluation: a cost estimate before running an expression
(:mod:`.cost`), the parts of ``object`` an expression reads (:mod:`.reads`), and the functions
and variables it uses (an ``authorizer`` check ekslint cannot evaluate is reported, not run).

Field numbers are those of ``cel/expr/checked.proto`` and ``cel/expr/syntax.proto``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Const(NamedTuple):
    id: int
    value: Any


class Ident(NamedTuple):
    id: int
    name: str


class Select(NamedTuple):
    id: int
    operand: Expr
    field: str
    test_only: bool


class Call(NamedTuple):
    id: int
    function: str
    target: Expr | None
    args: tuple[Expr, ...]


class ListExpr(NamedTuple):
    id: int
    elements: tuple[Expr, ...]


class MapExpr(NamedTuple):
    id: int
    #: ``(key, value)``: a key is an expression (maps) or a field name (messages).
    entries: tuple[tuple[Expr | str, Expr], ...]


class Comprehension(NamedTuple):
    id: int
    iter_var: str
    iter_range: Expr
    accu_var: str
    accu_init: Expr
    loop_condition: Expr
    loop_step: Expr
    result: Expr
    iter_var2: str = ""


Expr = Const | Ident | Select | Call | ListExpr | MapExpr | Comprehension


@dataclass(frozen=True)
class Checked:
    """A checked expression: its root and the source offset of each node id."""

    root: Expr
    positions: dict[int, int] = field(default_factory=dict)


# --- protobuf wire format -------------------------------------------------------------------


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, i
        shift += 7


def _fields(buf: bytes) -> Iterator[tuple[int, int, Any]]:
    """``(field number, wire type, value)`` of each field: an int for varints and fixed-width
    values, bytes for length-delimited ones."""
    i, end = 0, len(buf)
    while i < end:
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        value: Any
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 1:
            value, i = struct.unpack_from("<q", buf, i)[0], i + 8
        elif wire == 2:
            length, i = _varint(buf, i)
            value, i = bytes(buf[i : i + length]), i + length
        elif wire == 5:
            value, i = struct.unpack_from("<i", buf, i)[0], i + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _const(buf: bytes) -> Any:
    for number, wire, value in _fields(buf):
        if number == 1:
            return None
        if number == 2:
            return bool(value)
        if number in (3, 4):
            return _signed(value) if number == 3 else value
        if number == 5:
            return struct.unpack("<d", struct.pack("<q", value))[0] if wire == 1 else float(value)
        if number == 6:
            return bytes(value).decode("utf-8")
        if number == 7:
            return bytes(value)
    return None


def _expr(buf: bytes) -> Expr:
    node_id = 0
    kind: tuple[int, bytes] | None = None
    for number, _, value in _fields(buf):
        if number == 2:
            node_id = _signed(value)
        elif 3 <= number <= 9:
            kind = (number, value)
    if kind is None:
        return Const(node_id, None)
    number, body = kind
    parts = list(_fields(body))
    if number == 3:
        return Const(node_id, _const(body))
    if number == 4:
        return Ident(node_id, _text(parts, 1))
    if number == 5:
        operand = next((_expr(v) for n, _, v in parts if n == 1), Const(0, None))
        return Select(node_id, operand, _text(parts, 2), any(n == 3 and v for n, _, v in parts))
    if number == 6:
        target = next((_expr(v) for n, _, v in parts if n == 1), None)
        args = tuple(_expr(v) for n, _, v in parts if n == 3)
        return Call(node_id, _text(parts, 2), target, args)
    if number == 7:
        return ListExpr(node_id, tuple(_expr(v) for n, _, v in parts if n == 1))
    if number == 8:
        return MapExpr(node_id, tuple(_entry(v) for n, _, v in parts if n == 2))
    sub = {n: v for n, _, v in parts}
    return Comprehension(
        node_id,
        iter_var=_text(parts, 1),
        iter_range=_expr(sub.get(2, b"")),
        accu_var=_text(parts, 3),
        accu_init=_expr(sub.get(4, b"")),
        loop_condition=_expr(sub.get(5, b"")),
        loop_step=_expr(sub.get(6, b"")),
        result=_expr(sub.get(7, b"")),
        iter_var2=_text(parts, 8),
    )


def _entry(buf: bytes) -> tuple[Expr | str, Expr]:
    key: Expr | str = ""
    value: Expr = Const(0, None)
    for number, _, v in _fields(buf):
        if number == 2:
            key = bytes(v).decode("utf-8")
        elif number == 3:
            key = _expr(v)
        elif number == 4:
            value = _expr(v)
    return key, value


def _text(parts: list[tuple[int, int, Any]], number: int) -> str:
    return next((bytes(v).decode("utf-8") for n, _, v in parts if n == number), "")


def parse_checked(serialized: bytes) -> Checked:
    """The tree of ``Expression.serialize()``: an ``Any`` holding a ``CheckedExpr``."""
    payload = serialized
    outer = {n: v for n, _, v in _fields(serialized)}
    if isinstance(outer.get(1), (bytes, memoryview)) and b"CheckedExpr" in bytes(outer[1]):
        payload = bytes(outer.get(2, b""))
    root: Expr = Const(0, None)
    positions: dict[int, int] = {}
    for number, _, value in _fields(payload):
        if number == 4:
            root = _expr(value)
        elif number == 5:
            for n, _, v in _fields(value):
                if n == 4:  # map<int64, int32> positions: entries of (key 1, value 2)
                    entry = {k: x for k, _, x in _fields(v)}
                    positions[_signed(entry.get(1, 0))] = _signed(entry.get(2, 0))
    return Checked(root, positions)


def walk(node: Expr) -> Iterator[Expr]:
    """Every node below ``node``, itself first."""
    stack: list[Expr] = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(children(n))


def children(node: Expr) -> list[Expr]:
    if isinstance(node, Select):
        return [node.operand]
    if isinstance(node, Call):
        return ([node.target] if node.target is not None else []) + list(node.args)
    if isinstance(node, ListExpr):
        return list(node.elements)
    if isinstance(node, MapExpr):
        return [x for k, v in node.entries for x in ((k, v) if not isinstance(k, str) else (v,))]
    if isinstance(node, Comprehension):
        return [node.iter_range, node.accu_init, node.loop_condition, node.loop_step, node.result]
    return []
