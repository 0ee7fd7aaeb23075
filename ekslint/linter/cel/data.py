"""What an expression reads of its inputs, and those parts as plain CEL data.

cel-expr-python takes only plain ``dict``/``list`` values (not the loader's located ``LMap``)
and converts the whole value into CEL on every evaluation: for a big object (a CRD, a
ConfigMap with embedded files) that conversion costs far more than the expression. So each
compiled expression records, from its syntax tree, which paths of each input it reads
(``object.metadata.labels``, ``object.spec.template.spec.containers``), and only those
subtrees are copied and handed over. A path is taken whole from where the expression stops
selecting fields (``containers`` above, iterated by ``all()``), so every value the expression
can reach is there, and ``has()`` sees exactly what the object has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ekslint.linter.cel.ast import Call, Comprehension, Const, Expr, Ident, ListExpr, Select, children

#: Inputs that hold documents (and may be large); the others are small and passed whole.
DATA_VARIABLES = frozenset({"object", "oldObject", "params", "namespaceObject", "request"})
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: Nesting beyond this is not handed to CEL (cel-cpp recurses over values; the API server's
#: JSON decoder stops far below what YAML allows). Kubernetes objects nest about 20 deep.
MAX_DEPTH = 200


class TooDeep(ValueError):
    """A value nested deeper than :data:`MAX_DEPTH`."""


Path = tuple[str | int, ...]
#: The key of ``inputs`` (see :meth:`~ekslint.linter.cel.program.Program.evaluate`) under which
#: a scan passes its :data:`Copies`: never a CEL identifier, so never an input.
COPIES = "@copies"
#: Plain copies already made in a scan, by ``id()`` of the subtree: ``(subtree, copy, longest)``.
#: Twenty checks that read ``spec.template.spec.containers`` copy it once. The subtree is held,
#: so its id cannot be reused for another while the cache lives (one scan).
Copies = dict[int, tuple[Any, Any, int]]


def scan_copies(scan: Any) -> Copies:
    """The cache of copies of one scan, kept in its ``ScanIndex`` (so it goes with the scan)."""
    copies: Copies = scan.caches.setdefault("cel-copies", {})
    return copies


#: A path step that stands for every item of a list (``c`` in ``containers.all(c, c.image…)``).
EACH = "\x00*"
#: A path step no key has: the value is needed for its presence or shape, not its content
#: (``has(c.resources)``, or the items of a list whose loop never reads them).
SHAPE = "\x00"

Aliases = dict[str, "tuple[str, Path] | None"]


def read_paths(root: Expr, variables: Iterable[str] = DATA_VARIABLES) -> dict[str, set[Path]]:
    """For each input variable, the paths whose subtrees the expression may read; ``()`` is the
    whole value. A comprehension over a list read by a chain (``object.spec.containers``) reads
    of each item what its loop reads through the loop variable (``c.image`` → ``containers[*]
    .image``); a loop variable used whole takes the items whole. Variables bound by
    comprehensions (``c``, ``cel.bind`` names) shadow inputs."""
    names = frozenset(variables)
    out: dict[str, set[Path]] = {}
    stack: list[tuple[Expr, Aliases]] = [(root, {})]
    while stack:
        node, aliases = stack.pop()
        found = _resolve(node, aliases, names)
        if found is not None:
            if found[0]:
                out.setdefault(found[0], set()).add(found[1])
            continue
        if isinstance(node, Comprehension):
            inner: Aliases = dict(aliases)
            rng = _resolve(node.iter_range, aliases, names)
            if rng is not None and rng[0]:
                # the list itself: its items, for their number, whatever the loop reads of them
                out.setdefault(rng[0], set()).add((*rng[1], EACH, SHAPE))
                inner[node.iter_var] = (rng[0], (*rng[1], EACH)) if not node.iter_var2 else None
            else:
                stack.append((node.iter_range, aliases))
                inner[node.iter_var] = None
            if node.iter_var2:
                inner[node.iter_var2] = None
                if rng is not None and rng[0]:
                    out.setdefault(rng[0], set()).add(rng[1])  # index or key and value: all of it
            init = _resolve(node.accu_init, aliases, names)
            inner[node.accu_var] = init if init is not None and init[0] else None  # cel.bind(x, <chain>)
            if init is None:
                stack.append((node.accu_init, aliases))
            elif init[0]:
                out.setdefault(init[0], set()).add((*init[1], SHAPE))
            binding = isinstance(node.iter_range, ListExpr) and not node.iter_range.elements  # cel.bind: no loop
            loop = (node.result,) if binding else (node.loop_condition, node.loop_step, node.result)
            stack += [(n, inner) for n in loop]
            continue
        stack += [(child, aliases) for child in children(node)]
    return out


def _resolve(node: Expr, aliases: Aliases, names: frozenset[str]) -> tuple[str, Path] | None:
    """``(input, path)`` when ``node`` is a chain from an input or from a loop variable that
    stands for part of one; ``("", ())`` for a chain from anything else (nothing to record);
    None when ``node`` is not a chain. A presence test (``has()``) reads only the shape."""
    found = _chain(node)
    if found is None:
        return None
    name, path = found
    if isinstance(node, Select) and node.test_only:
        path = (*path, SHAPE)
    if name in aliases:
        target = aliases[name]
        return ("", ()) if target is None else (target[0], target[1] + path)
    return (name, path) if name in names else ("", ())


def _chain(node: Expr) -> tuple[str, Path] | None:
    """``(variable, path)`` when ``node`` is a chain of field selections (``a.b``, ``a['b']``,
    ``a[0]``, ``a.?b``) from a variable."""
    path: list[str | int] = []
    while True:
        if isinstance(node, Ident):
            return node.name, tuple(reversed(path))
        if isinstance(node, Select):
            path.append(node.field)
            node = node.operand
            continue
        if (
            isinstance(node, Call)
            and node.function in ("_[_]", "_?._", "_[?_]")
            and len(node.args) == 2
            and isinstance(node.args[1], Const)
            and isinstance(node.args[1].value, (str, int))
            and not isinstance(node.args[1].value, bool)
        ):
            path.append(node.args[1].value)
            node = node.args[0]
            continue
        return None


@dataclass
class Converted:
    """Plain data and the largest length found in it (a list, a map or a string)."""

    value: Any
    longest: int = 0


def plain(node: Any, paths: set[Path] | None = None, copies: Copies | None = None) -> Converted:
    """A plain copy of the parts of ``node`` at ``paths`` (all of it when ``None`` or when
    ``()`` is among them). Integers beyond int64 become doubles, as in the API server's JSON
    decoding; keys become strings. Whole subtrees are taken from and added to ``copies``."""
    return plain_at(node, path_trie(paths), copies)


def plain_at(node: Any, trie: dict[Any, Any] | None, copies: Copies | None = None) -> Converted:
    """:func:`plain` with the paths already made a :func:`path_trie` (once per expression)."""
    out = Converted(None)
    out.value = _copy(node, trie, out, copies)
    return out


def path_trie(paths: set[Path] | None) -> dict[Any, Any] | None:
    """Paths as nested dicts (an empty dict: the whole subtree from there); None: everything."""
    return _trie(paths) if paths is not None and () not in paths else None


def _trie(paths: set[Path]) -> dict[Any, Any]:
    """Paths as nested dicts; an empty dict marks "the whole subtree from here"."""
    root: dict[Any, Any] = {}
    for path in sorted(paths, key=len):
        node = root
        for i, key in enumerate(path):
            if key in node and not node[key]:
                break  # a shorter path already takes this subtree whole
            node = node.setdefault(key, {})
            if i == len(path) - 1:
                node.clear()
    return root


def _copy(node: Any, trie: dict[Any, Any] | None, out: Converted, copies: Copies | None = None, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise TooDeep(f"the input is nested deeper than {MAX_DEPTH} levels")
    if copies is not None and trie is None and isinstance(node, (dict, list)):
        found = copies.get(id(node))
        if found is None or found[0] is not node:
            part = Converted(None)
            found = (node, _copy(node, None, part, None, depth), part.longest)
            copies[id(node)] = found
        out.longest = max(out.longest, found[2])
        return found[1]
    kind = type(node)
    if kind is str:
        if len(node) > out.longest:
            out.longest = len(node)
        return node
    if node is None or kind is bool or kind is float:
        return node
    if isinstance(node, dict):
        if len(node) > out.longest:
            out.longest = len(node)
        if trie and EACH not in trie:  # a loop over a map reads its keys: all of it
            return {
                str(k): _copy(node[k], trie[k] or None, out, copies, depth + 1)
                for k in trie
                if isinstance(k, str) and k in node
            }
        return {str(k): _copy(v, None, out, None, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        if len(node) > out.longest:
            out.longest = len(node)
        if trie and EACH in trie:  # what a loop reads of every item (an index anywhere: all of it)
            each = None if any(isinstance(k, int) for k in trie) else trie[EACH] or None
            return [_copy(v, each, out, copies if each is None else None, depth + 1) for v in node]
        return [_copy(v, None, out, None, depth + 1) for v in node]  # lists whole (indexes must hold)
    if isinstance(node, int):
        return node if INT64_MIN <= node <= INT64_MAX else float(node)
    return str(node)
