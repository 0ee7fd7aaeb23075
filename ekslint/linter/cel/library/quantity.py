"""Kubernetes' quantity library: ``quantity()``, ``isQuantity()`` and the Quantity members.

Parsing follows ``resource.ParseQuantity`` of k8s.io/apimachinery: a signed decimal number
followed by a binary SI suffix (``Ki`` … ``Ei``), a decimal SI suffix (``n u m k M G T P E``) or a
decimal exponent (``e3``, ``E-2``); values finer than 1n are rounded up (away from zero) to 1n,
as Kubernetes stores them. Arithmetic is exact (``decimal``), so ``quantity('0.1').add(...)``
never meets binary floating point.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal
from typing import Any

from cel_expr_python import cel

from ekslint.linter.cel.library.wrapped import QUANTITY, WRAPPED, CelFunctionError, Functions, unwrap, wrap

_NUMBER = re.compile(r"^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(.*)$")
_EXPONENT = re.compile(r"^[eE]([+-]?[0-9]+)$")
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
#: Exponents beyond this are refused: ``1e999999999`` is a valid-looking quantity whose exact
#: value would take a gigabyte; nothing Kubernetes stores comes near it.
MAX_EXPONENT = 1000
_NANO = Decimal("1e-9")
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


def _context(digits: int) -> decimal.Context:
    """Enough precision that no operation here rounds: the digits of the operands plus room."""
    return decimal.Context(
        prec=max(34, digits + 2 * MAX_EXPONENT + 40), Emax=10 * MAX_EXPONENT, Emin=-10 * MAX_EXPONENT
    )


def parse_quantity(text: str) -> Decimal:
    """The exact value of a Kubernetes quantity string, or ``ValueError``."""
    m = _NUMBER.match(text)
    if not m or len(text) > 200:
        raise ValueError(
            f"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': {text!r}"
        )
    number, suffix = m.groups()
    ctx = _context(len(number))
    value = ctx.create_decimal(number)
    if suffix in _BINARY:
        value = ctx.multiply(value, Decimal(_BINARY[suffix]))
    elif suffix in _DECIMAL:
        value = ctx.scaleb(value, _DECIMAL[suffix])
    elif (e := _EXPONENT.match(suffix)) is not None:
        exponent = int(e.group(1))
        if abs(exponent) > MAX_EXPONENT:
            raise ValueError(f"quantity {text!r} is out of range")
        value = ctx.scaleb(value, exponent)
    else:
        raise ValueError(f"unable to parse quantity's suffix: {text!r}")
    if value != value.quantize(_NANO, rounding=decimal.ROUND_UP, context=ctx):
        value = value.quantize(_NANO, rounding=decimal.ROUND_UP, context=ctx)
    return value


def canonical(value: Decimal) -> str:
    """One text per number, so that map equality of wrapped quantities is numeric equality."""
    if value == 0:
        return "0"
    return str(value.normalize(_context(len(value.as_tuple().digits))))


def _q(value: Decimal) -> dict[str, str]:
    return wrap(QUANTITY, canonical(value))


def _value(q: Any, function: str) -> Decimal:
    return Decimal(unwrap(QUANTITY, q, function))


def quantity(text: str) -> dict[str, str]:
    try:
        return _q(parse_quantity(text))
    except ValueError as exc:
        raise CelFunctionError(str(exc)) from None


def is_quantity(text: str) -> bool:
    try:
        parse_quantity(text)
    except ValueError:
        return False
    return True


def _is_integer(value: Decimal) -> bool:
    return value == value.to_integral_value() and INT64_MIN <= value <= INT64_MAX


def is_integer(q: Any) -> bool:
    return _is_integer(_value(q, "isInteger"))


def as_integer(q: Any) -> int:
    value = _value(q, "asInteger")
    if not _is_integer(value):
        raise CelFunctionError("cannot convert value to integer")
    return int(value)


def as_approximate_float(q: Any) -> float:
    return float(_value(q, "asApproximateFloat"))


def sign(q: Any) -> int:
    value = _value(q, "sign")
    return 0 if value == 0 else 1 if value > 0 else -1


def _operand(other: Any, function: str) -> Decimal:
    return Decimal(other) if isinstance(other, int) and not isinstance(other, bool) else _value(other, function)


def add(q: Any, other: Any) -> dict[str, str]:
    a, b = _value(q, "add"), _operand(other, "add")
    return _q(_context(len(str(a)) + len(str(b))).add(a, b))


def sub(q: Any, other: Any) -> dict[str, str]:
    a, b = _value(q, "sub"), _operand(other, "sub")
    return _q(_context(len(str(a)) + len(str(b))).subtract(a, b))


def compare_to(q: Any, other: Any) -> int:
    a, b = _value(q, "compareTo"), _value(other, "compareTo")
    return 0 if a == b else 1 if a > b else -1


def register(fns: Functions) -> None:
    S, INT, B, D = cel.Type.STRING, cel.Type.INT, cel.Type.BOOL, cel.Type.DOUBLE
    fns.add("quantity", "quantity_string", WRAPPED, [S], quantity)
    fns.add("isQuantity", "isQuantity_string", B, [S], is_quantity)
    fns.add("isInteger", "quantity_isInteger", B, [WRAPPED], is_integer, member=True)
    fns.add("asInteger", "quantity_asInteger", INT, [WRAPPED], as_integer, member=True)
    fns.add("asApproximateFloat", "quantity_asFloat", D, [WRAPPED], as_approximate_float, member=True)
    fns.add("sign", "quantity_sign", INT, [WRAPPED], sign, member=True)
    fns.add("add", "quantity_add", WRAPPED, [WRAPPED, WRAPPED], add, member=True)
    fns.add("add", "quantity_add_int", WRAPPED, [WRAPPED, INT], add, member=True)
    fns.add("sub", "quantity_sub", WRAPPED, [WRAPPED, WRAPPED], sub, member=True)
    fns.add("sub", "quantity_sub_int", WRAPPED, [WRAPPED, INT], sub, member=True)
    fns.add("compareTo", "wrapped_compareTo", INT, [WRAPPED, WRAPPED], compare, member=True)
    fns.add("isLessThan", "wrapped_isLessThan", B, [WRAPPED, WRAPPED], lambda a, b: compare(a, b) < 0, member=True)
    fns.add(
        "isGreaterThan", "wrapped_isGreaterThan", B, [WRAPPED, WRAPPED], lambda a, b: compare(a, b) > 0, member=True
    )


def compare(a: Any, b: Any) -> int:
    """``compareTo`` of quantities and of semantic versions (both libraries name it so)."""
    from ekslint.linter.cel.library import semver
    from ekslint.linter.cel.library.wrapped import SEMVER, kind_of

    if kind_of(a) == SEMVER:
        return semver.compare_to(a, b)
    return compare_to(a, b)
