"""Kubernetes' opaque CEL types (Quantity, URL, IP, CIDR) as one-key marker maps.

Kubernetes declares ``quantity('1Gi')`` and friends as opaque types with member functions.
cel-expr-python can declare such types to its checker but cannot pass a value of one through a
Python function (``Unimplemented type``), so each value travels as a map with one key naming its
type, ``{"kubernetes.Quantity": "1073741824"}``, declared to the checker as ``map(string,
string)``. The value is canonical (a quantity's exact number, an IP's canonical text), so CEL's
map equality is Kubernetes' semantic equality (``quantity('1') == quantity('1000m')``). What
differs: ``type(quantity('1'))`` is ``map``, and the marker key can be read like any map key.
"""

from __future__ import annotations

from typing import Any

from cel_expr_python import cel

#: What the checker sees for every wrapped value.
WRAPPED = cel.Type.Map(cel.Type.STRING, cel.Type.STRING)


class CelFunctionError(ValueError):
    """Raised inside a library function: cel-expr-python turns it into a CEL error value whose
    message is this exception's text, as cel-go returns ``types.NewErr``."""


def wrap(kind: str, value: str) -> dict[str, str]:
    return {kind: value}


def unwrap(kind: str, value: Any, function: str) -> str:
    """The payload of a wrapped ``kind``, or the error Kubernetes gives for a wrong argument."""
    if isinstance(value, dict) and len(value) == 1 and kind in value:
        return str(value[kind])
    raise CelFunctionError(f"no such overload: {function} needs a {kind.rpartition('.')[2]}")


def kind_of(value: Any) -> str | None:
    """Which wrapped type ``value`` is (``kubernetes.Quantity``…), or None for a plain map."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return key if key in KINDS else None
    return None


QUANTITY = "kubernetes.Quantity"
URL = "kubernetes.URL"
IP = "net.IP"
CIDR = "net.CIDR"
SEMVER = "kubernetes.Semver"
KINDS = frozenset({QUANTITY, URL, IP, CIDR, SEMVER})


class Functions:
    """The overloads of a library, grouped by function name: cel-expr-python wants one
    declaration per name in an extension, and merges it with the same name elsewhere (the
    list library's ``indexOf`` beside the strings extension's)."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[cel.Overload]] = {}

    def add(
        self, name: str, overload_id: str, result: Any, params: list[Any], impl: Any, *, member: bool = False
    ) -> None:
        self._by_name.setdefault(name, []).append(
            cel.Overload(overload_id, result, params, is_member=member, impl=impl)
        )

    def declarations(self) -> list[cel.FunctionDecl]:
        return [cel.FunctionDecl(name, overloads) for name, overloads in self._by_name.items()]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._by_name)
