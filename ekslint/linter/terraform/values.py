"""Terraform values as the evaluator computes them, and what is not known until ``terraform plan``.

Known values are plain Python: ``None`` (null), ``bool``, ``int``/``float`` (Terraform numbers;
integral results stay ``int`` so that ``count`` and list indexes are exact), ``str``, ``list``
(tuples, lists and sets: a set of strings is kept sorted, as Terraform orders it) and ``dict``
with ``str`` keys (objects and maps). Containers may hold unknown items: ``[UNKNOWN, UNKNOWN]``
is a list of exactly two values that are not known, which is still enough for ``length`` or for
``count.index`` in a ``for`` expression.

An :class:`Unknown` is a value a static reader cannot have: a data source, an attribute AWS
computes (``.id``, ``.arn``), a variable nothing sets, the output of a module that is not in the
scan. Rules never guess from it: every function and operator that receives one returns one,
except where the answer does not depend on it (``length`` of a list of unknown items,
``coalesce`` whose first argument is known and not null, ``x ? a : a``).

Two kinds of unknown keep an identity, because the cluster model needs it:

* :class:`Ref`: a computed attribute of a resource (or a module output) that is in the scan,
  ``aws_subnet.private[0].id``: unknown as a value, but it says *which* subnet a cluster uses.
* :class:`Unknown` with a ``key``: the same unknown expression in the same context
  (``data.aws_availability_zones.available.names[1]``); two such values are equal when their keys
  are, and distinct elements of one data-source list are distinct (AZ names are unique), which
  is enough to count the AZs of a cluster.
"""

from __future__ import annotations

from typing import Any


class Unknown:
    """A value not known statically; ``key`` names it when the same expression yields it again."""

    __slots__ = ("key",)

    def __init__(self, key: str = "") -> None:
        self.key = key

    def __repr__(self) -> str:
        return f"Unknown({self.key!r})" if self.key else "UNKNOWN"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and type(other) is type(self) and bool(self.key) and self.key == other.key

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.key)) if self.key else id(self)

    def __bool__(self) -> bool:
        raise TypeError("the truth of an unknown value is not known: test it with is_unknown() first")


class Ref(Unknown):
    """A computed attribute of a resource or module in the scan: ``aws_subnet.private[0].id``.

    ``address`` is the instance (``aws_subnet.private[0]``, ``module.vpc``), ``attr`` the attribute
    (``id``) or output; ``key`` is both, for equality.
    """

    __slots__ = ("address", "attr")

    def __init__(self, address: str, attr: str) -> None:
        super().__init__(f"{address}.{attr}")
        self.address = address
        self.attr = attr

    def __repr__(self) -> str:
        return f"Ref({self.address!r}, {self.attr!r})"


#: The anonymous unknown: nothing else is known about it.
UNKNOWN = Unknown()


class EvalError(Exception):
    """An expression that Terraform itself would reject (a wrong type, an index out of range, a
    function called wrongly). ``try()`` and ``can()`` catch it; elsewhere the value is unknown
    and the reason is kept for a note."""


def is_unknown(value: Any) -> bool:
    """``value`` itself is unknown (its items may still be known)."""
    return isinstance(value, Unknown)


def wholly_known(value: Any) -> bool:
    """``value`` and everything inside it is known."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, Unknown):
            return False
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return True


def type_name(value: Any) -> str:
    """Terraform's name for a value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "tuple"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, Unknown):
        return "unknown"
    return type(value).__name__
