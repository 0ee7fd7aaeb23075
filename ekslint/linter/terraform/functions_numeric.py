"""Terraform's numeric functions: abs, ceil, floor, log, max, min, parseint, pow, signum, sum.

``log`` and ``pow`` compute in float64, as Terraform does (``math.Log``, ``math.Pow``); a result
past ±2**1024 (an overflow) is unknown, NaN is Terraform's "result is not a number" error.
"""

from __future__ import annotations

import math
from typing import Any

from ekslint.linter.terraform.functions_core import (
    MAX_DIGITS,
    NotKnown,
    check_size,
    fully_known,
    num,
    number_result,
    quote,
    register,
    seq,
    whole,
)
from ekslint.linter.terraform.values import UNKNOWN, EvalError, Unknown, type_name

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@register("abs")
def _abs(n: Any) -> Any:
    return number_result(abs(num(n)))


@register("ceil")
def _ceil(n: Any) -> Any:
    return math.ceil(num(n))


@register("floor")
def _floor(n: Any) -> Any:
    return math.floor(num(n))


def _float(n: int | float) -> float:
    try:
        return float(n)
    except OverflowError:
        raise NotKnown from None


def _go_div(a: float, b: float) -> float:
    """Float division as Go does it: by zero gives an infinity, or NaN for 0/0."""
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b)
    return a / b


def _go_log(x: int | float) -> float:
    if x == 0:
        return -math.inf
    if x < 0:
        return math.nan
    return math.log(x)


@register("log")
def _log(n: Any, base: Any) -> Any:
    return number_result(_go_div(_go_log(num(n, "num")), _go_log(num(base, "base"))))


@register("pow")
def _pow(n: Any, power: Any) -> Any:
    x, y = _float(num(n, "num")), _float(num(power, "power"))
    try:
        result = math.pow(x, y)
    except OverflowError:
        raise NotKnown from None
    except ValueError:  # Go: NaN for a negative base and a fractional power, +Inf for 0 ** -1
        if x == 0:
            raise NotKnown from None
        raise EvalError("result is not a number") from None
    return number_result(result)


@register("signum")
def _signum(n: Any) -> Any:
    # Terraform reads the argument as an integer: signum(0.5) is an error there too.
    i = whole(n)
    return (i > 0) - (i < 0)


def _extreme(args: tuple[Any, ...], pick: Any) -> Any:
    if not args:
        raise EvalError("must pass at least one number")
    values = [num(a, "numbers") for a in args]
    return pick(values)


@register("max")
def _max(*numbers: Any) -> Any:
    return _extreme(numbers, max)


@register("min")
def _min(*numbers: Any) -> Any:
    return _extreme(numbers, min)


@register("parseint")
def _parseint(number: Any, base: Any) -> Any:
    if isinstance(number, Unknown):
        raise NotKnown
    if not isinstance(number, str):
        raise EvalError(f"first argument must be a string, not {type_name(number)}")
    b = whole(base, "base")
    if not 2 <= b <= 62:
        raise EvalError("base must be a whole number between 2 and 62 inclusive")
    check_size(len(number), MAX_DIGITS)
    text = number[1:] if number[:1] in ("+", "-") else number
    digits = _DIGITS[:b] if b > 36 else _DIGITS[:b] + _DIGITS[10:b].upper()
    if not text or any(c not in digits for c in text):
        raise EvalError(f"cannot parse {quote(number)} as a base {b} integer")
    if b <= 36:
        value = int(text, b)
    else:
        value = 0
        for c in text:
            value = value * b + _DIGITS.index(c)
    return number_result(-value if number.startswith("-") else value)


@register("sum")
def _sum(lst: Any) -> Any:
    items = seq(lst, "list")
    if not items:
        raise EvalError("cannot sum an empty list")
    if not fully_known(items):
        return UNKNOWN
    total: int | float = 0
    for item in items:
        try:
            if item is None or isinstance(item, (list, dict, bool)):
                raise EvalError("not a number")
            total += num(item, "list")
        except EvalError:
            raise EvalError("argument must be list, set, or tuple of number values") from None
    return number_result(total)
