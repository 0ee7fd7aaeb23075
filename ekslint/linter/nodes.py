"""Located YAML containers: dicts and lists that remember where each key and item came from.

Scanning needs positions, not round-trip editing, so the loader builds plain ``dict``/``list``
subclasses (fast, JSON-like, usable by jsonschema) that carry the 1-based line and column of the
mapping or sequence itself, of every key, and of every value or item. Rules address places in a
document with ``NodePath`` tuples; :func:`locate` resolves a path to the deepest node that exists,
so a finding about something *missing* points at the mapping that lacks it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple


class Pos(NamedTuple):
    """A 1-based line and column (columns count Unicode code points)."""

    line: int
    col: int


class LMap(dict[str, Any]):
    """A mapping that knows its own position and the positions of its keys and values."""

    __slots__ = ("kpos", "pos", "vpos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.kpos: dict[str, Pos] = {}
        self.vpos: dict[str, Pos] = {}


class LSeq(list[Any]):
    """A sequence that knows its own position and the position of each item."""

    __slots__ = ("ipos", "pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.ipos: list[Pos] = []


PathKey = str | int
NodePath = tuple[PathKey, ...]


def get_path(root: Any, path: NodePath) -> Any:
    """Return the node at ``path`` below ``root``, or ``None`` when any step is missing."""
    node = root
    for key in path:
        if isinstance(key, int):
            if not isinstance(node, list) or not -len(node) <= key < len(node):
                return None
            node = node[key]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(key)
            if node is None:
                return None
    return node


def locate(root: Any, path: NodePath, *, value: bool = False) -> Pos:
    """Resolve ``path`` to a position, walking as deep as the document goes.

    A complete path to a mapping key points at the key (``value=True``: at its value); to a
    sequence item, at the item. When a step is missing, the position is that of the deepest node
    that exists: the key or item that holds it, so "container 'app' lacks resources" points at
    the container's ``- name: app`` line.
    """
    pos = root.pos if isinstance(root, (LMap, LSeq)) else Pos(1, 1)
    node = root
    for key in path:
        if isinstance(key, int) and isinstance(node, LSeq) and 0 <= key < len(node):
            pos = node.ipos[key]
            node = node[key]
        elif isinstance(key, str) and isinstance(node, LMap) and key in node:
            pos = node.vpos[key] if value else node.kpos[key]
            node = node[key]
        else:
            break
    return pos


def iter_leaves(node: Any, path: NodePath = ()) -> Iterator[tuple[NodePath, Any]]:
    """Yield ``(path, scalar)`` for every scalar below ``node`` (depth-first, document order)."""
    stack: list[tuple[NodePath, Any]] = [(path, node)]
    while stack:
        p, n = stack.pop()
        if isinstance(n, dict):
            stack.extend((p + (k,), v) for k, v in reversed(list(n.items())))
        elif isinstance(n, list):
            stack.extend((p + (i,), v) for i, v in reversed(list(enumerate(n))))
        else:
            yield p, n
