"""A cost bound for an expression on given inputs, computed before it runs.

Kubernetes bounds CEL by cost units (one per simple operation, the length of the strings and
lists that functions traverse, the product of the lengths for nested comprehensions) and stops
an evaluation that exceeds its budget. cel-expr-python has no such counter, so ekslint computes
the bound before evaluating: it walks the checked tree (:mod:`.ast`) with the actual input values
(what ``object.spec.template.spec.containers`` holds is known, so a comprehension over it costs
its real length), and where a value is only known by its bound (a list built by ``map()``,
a string built by ``+``), with the longest list, map or string of the inputs. Concatenation in
nested ``cel.bind``/``map`` therefore grows the bound as it grows the value, and an expression
that would build gigabytes is refused before it allocates any.

The figure is an upper bound in the spirit of Kubernetes' units, not the same number: it is
compared with :data:`BUDGET`, which is generous for anything a policy does on one object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ekslint.linter.cel.ast import Call, Comprehension, Const, Expr, Ident, ListExpr, MapExpr, Select

#: Cost units one expression may spend on one object: Kubernetes' per-validation runtime budget.
BUDGET = 10_000_000
#: Known values tracked per node before falling back to the bound alone.
MAX_VALUES = 4096

#: Functions whose cost is the length of their receiver times that of their arguments.
_TRAVERSING = frozenset(
    {
        "matches",
        "find",
        "findAll",
        "contains",
        "startsWith",
        "endsWith",
        "split",
        "replace",
        "join",
        "lowerAscii",
        "upperAscii",
        "trim",
        "indexOf",
        "lastIndexOf",
        "substring",
        "format",
        "quote",
        "reverse",
        "charAt",
        "strings.quote",
        "isSorted",
        "sum",
        "min",
        "max",
        "sets.contains",
        "sets.equivalent",
        "sets.intersects",
        "@in",
        "_==_",
        "_!=_",
        "string",
        "base64.encode",
        "base64.decode",
        "url",
        "quantity",
        "ip",
        "cidr",
        "semver",
        "isURL",
        "isQuantity",
        "isIP",
        "isCIDR",
    }
)
#: Functions whose result is about as long as receiver times arguments.
_GROWING = frozenset({"split", "replace", "join", "format", "findAll", "_+_", "quote", "strings.quote"})


@dataclass(frozen=True)
class Estimate:
    cost: int
    size: int
    #: The values the node may take, when known (``None``: only ``size`` is known).
    values: tuple[Any, ...] | None = None


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, dict)) else 1


def _known(values: list[Any]) -> Estimate:
    if len(values) > MAX_VALUES:
        return Estimate(1, max(map(_length, values), default=0))
    return Estimate(1, max(map(_length, values), default=0), tuple(values))


class _Estimator:
    def __init__(self, longest: int) -> None:
        self.longest = max(1, longest)

    def visit(self, node: Expr, scope: dict[str, Estimate]) -> Estimate:
        if isinstance(node, Const):
            return Estimate(1, _length(node.value), (node.value,))
        if isinstance(node, Ident):
            return scope.get(node.name, Estimate(1, self.longest))
        if isinstance(node, Select):
            inner = self.visit(node.operand, scope)
            return self._field(inner, node.field, node.test_only)
        if isinstance(node, ListExpr):
            parts = [self.visit(e, scope) for e in node.elements]
            return Estimate(1 + sum(p.cost for p in parts), len(parts))
        if isinstance(node, MapExpr):
            cost = 1
            for key, value in node.entries:
                cost += self.visit(value, scope).cost + (0 if isinstance(key, str) else self.visit(key, scope).cost)
            return Estimate(cost, len(node.entries))
        if isinstance(node, Comprehension):
            return self._comprehension(node, scope)
        return self._call(node, scope)

    def _field(self, inner: Estimate, name: str | int, test_only: bool = False) -> Estimate:
        cost = inner.cost + 1
        if inner.values is None:
            return Estimate(cost, self.longest)
        found = [
            v[name] if isinstance(v, dict) else v[name] if isinstance(name, int) and -len(v) <= name < len(v) else None
            for v in inner.values
            if (isinstance(v, dict) and name in v) or (isinstance(v, list) and isinstance(name, int))
        ]
        known = _known(found)
        return Estimate(cost, 1 if test_only else known.size, None if test_only else known.values)

    def _call(self, node: Call, scope: dict[str, Estimate]) -> Estimate:
        if node.function in ("_[_]", "_?._", "_[?_]") and len(node.args) == 2 and isinstance(node.args[1], Const):
            key = node.args[1].value
            if isinstance(key, (str, int)) and not isinstance(key, bool):
                return self._field(self.visit(node.args[0], scope), key)
        parts = [self.visit(a, scope) for a in ([node.target] if node.target is not None else []) + list(node.args)]
        cost = 1 + sum(p.cost for p in parts)
        sizes = [p.size for p in parts] or [1]
        if node.function == "_+_":
            accumulating = any(isinstance(a, Ident) and a.name.startswith("@") for a in node.args)
            size = sum(sizes)
            return Estimate(cost + (1 if accumulating else size), size)
        if node.function in _TRAVERSING:
            receiver, rest = sizes[0], max(sizes[1:], default=1)
            traverse = receiver * max(1, rest)
            size = traverse if node.function in _GROWING else 1
            return Estimate(cost + traverse, size)
        return Estimate(cost + max(sizes), max(sizes))

    def _comprehension(self, node: Comprehension, scope: dict[str, Estimate]) -> Estimate:
        rng = self.visit(node.iter_range, scope)
        init = self.visit(node.accu_init, scope)
        inner = dict(scope)
        if rng.values is not None:
            elements: list[Any] = []
            seconds: list[Any] = []
            for v in rng.values:
                if isinstance(v, list):
                    elements += v
                    seconds += v
                elif isinstance(v, dict):
                    elements += list(v)
                    seconds += list(v.values())
            first = _known(elements)
            inner[node.iter_var] = Estimate(1, first.size, first.values)
            if node.iter_var2:
                second = _known(seconds)
                # With two variables, the first is the index (lists) or the key (maps).
                inner[node.iter_var] = Estimate(1, max(first.size, 1))
                inner[node.iter_var2] = Estimate(1, second.size, second.values)
        else:
            inner[node.iter_var] = Estimate(1, self.longest)
            if node.iter_var2:
                inner[node.iter_var2] = Estimate(1, self.longest)
        steps = rng.size
        inner[node.accu_var] = Estimate(1, init.size, init.values)
        grown = self.visit(node.loop_step, inner)
        growth = max(0, grown.size - init.size)
        final = init.size + steps * growth
        inner[node.accu_var] = Estimate(1, final)
        step = self.visit(node.loop_step, inner).cost + self.visit(node.loop_condition, inner).cost
        result = self.visit(node.result, inner)
        return Estimate(rng.cost + init.cost + steps * step + result.cost, result.size)


def estimate(root: Expr, inputs: dict[str, Any], longest: int) -> int:
    """The cost bound of ``root`` evaluated on ``inputs`` (plain data), whose longest list, map
    or string has length ``longest``."""
    scope = {name: Estimate(1, _length(value), (value,)) for name, value in inputs.items()}
    return _Estimator(longest).visit(root, scope).cost
