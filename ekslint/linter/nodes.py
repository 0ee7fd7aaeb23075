"""Located YAML containers: dicts and lists that remember where each key and item came from.

Scanning needs positions, not round-trip editing, so the loader builds plain ``dict``/``list``
subclasses (fast, JSON-like) that carry the 1-based line and column of the mapping or sequence
itself, of every key, and of every value or item. Rules address places in a document with
``NodePath`` tuples; :func:`locate` resolves a path to the deepest node that exists, so a finding
about something *missing* points at the mapping that lacks it.

Positions are stored packed in one ``array`` of unsigned ints per container: the container's
own line and column first, then four per key (key line, key column, value line, value column)
or two per item, in insertion order. A tuple per position plus two position dicts per mapping
made up most of a scan's memory (a 50 MB manifest took gigabytes), and a ``Pos`` object (with
its line number) per container was still a tenth of a loaded tree; positions are read only
where a finding is reported, so they are unpacked on demand through :attr:`LMap.pos`,
:attr:`LMap.kpos`, :attr:`LMap.vpos`, :attr:`LSeq.pos` and :attr:`LSeq.ipos`.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any, NamedTuple


class Pos(NamedTuple):
    """A 1-based line and column (columns count Unicode code points)."""

    line: int
    col: int


_new_pos = tuple.__new__
_INDEX_FROM = 8  # mappings with more keys than this get a key -> index dict on first lookup


class LMap(dict[str, Any]):
    """A mapping that knows its own position and the positions of its keys and values.

    Only the loader fills ``at`` (see the module docstring); the mapping is not changed after.
    """

    __slots__ = ("_ix", "at")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.at = array("I", pos)
        self._ix: dict[str, int] | None = None

    @property
    def pos(self) -> Pos:
        """Where the mapping starts (its first key, or its ``{``, or its anchor or tag)."""
        at = self.at
        return _new_pos(Pos, (at[0], at[1]))

    def index_of(self, key: str) -> int | None:
        """The insertion index of ``key`` (its slot in ``at``), or None."""
        if len(self) <= _INDEX_FROM:
            for i, k in enumerate(self):
                if k == key:
                    return i
            return None
        if self._ix is None:
            self._ix = {k: i for i, k in enumerate(self)}
        return self._ix.get(key)

    def key_pos(self, key: str) -> Pos | None:
        i = self.index_of(key)
        return None if i is None else _new_pos(Pos, (self.at[4 * i + 2], self.at[4 * i + 3]))

    def value_pos(self, key: str) -> Pos | None:
        i = self.index_of(key)
        return None if i is None else _new_pos(Pos, (self.at[4 * i + 4], self.at[4 * i + 5]))

    @property
    def kpos(self) -> _Positions:
        """``kpos[key]``: where ``key`` is written."""
        return _Positions(self.key_pos)

    @property
    def vpos(self) -> _Positions:
        """``vpos[key]``: where the value of ``key`` starts."""
        return _Positions(self.value_pos)


class _Positions:
    """A read-only ``key -> Pos`` view over a mapping's packed positions."""

    __slots__ = ("_find",)

    def __init__(self, find: Any) -> None:
        self._find = find

    def __getitem__(self, key: str) -> Pos:
        pos: Pos | None = self._find(key)
        if pos is None:
            raise KeyError(key)
        return pos

    def get(self, key: str, default: Pos | None = None) -> Pos | None:
        pos: Pos | None = self._find(key)
        return default if pos is None else pos


class LSeq(list[Any]):
    """A sequence that knows its own position and the position of each item."""

    __slots__ = ("at",)

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.at = array("I", pos)

    @property
    def pos(self) -> Pos:
        """Where the sequence starts (its first ``-``, or its ``[``, or its anchor or tag)."""
        at = self.at
        return _new_pos(Pos, (at[0], at[1]))

    def item_pos(self, i: int) -> Pos:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return _new_pos(Pos, (self.at[2 * i + 2], self.at[2 * i + 3]))

    @property
    def ipos(self) -> list[Pos]:
        """The position of each item, in order."""
        at = self.at
        return [_new_pos(Pos, (at[j], at[j + 1])) for j in range(2, len(at), 2)]


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
            pos = node.item_pos(key)
            node = node[key]
        elif isinstance(key, str) and isinstance(node, LMap) and key in node:
            found = node.value_pos(key) if value else node.key_pos(key)
            if found is None:  # pragma: no cover - every key has a position
                break
            pos = found
            node = node[key]
        else:
            break
    return pos


def iter_leaves(node: Any, path: NodePath = ()) -> Iterator[tuple[NodePath, Any]]:
    """Yield ``(path, scalar)`` for every scalar below ``node`` (depth-first, document order).

    An explicit stack rather than recursion, so no document is too deep to walk; children are
    pushed in reverse so that they come off the stack in document order.
    """
    stack: list[tuple[NodePath, Any]] = [(path, node)]
    pop = stack.pop
    while stack:
        p, n = pop()
        if isinstance(n, dict):
            children = [(p + (k,), v) for k, v in n.items()]
        elif isinstance(n, list):
            children = [(p + (i,), v) for i, v in enumerate(n)]
        else:
            yield p, n
            continue
        children.reverse()
        stack += children
