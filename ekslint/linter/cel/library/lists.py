"""Kubernetes' list library, the sets extension and the regex library (``find``, ``findAll``).

Lists: ``isSorted``, ``sum``, ``min``, ``max``, ``indexOf``, ``lastIndexOf``. Sets (cel-go's
``ext.Sets``, enabled by Kubernetes): ``sets.contains``, ``sets.equivalent``, ``sets.intersects``.
Regexes run on RE2 (``google-re2``), the engine of Go's ``regexp`` that Kubernetes uses, so a
pattern in a check or a policy is matched in linear time whatever it is.
"""

from __future__ import annotations

import datetime as dt
import itertools
from functools import lru_cache
from typing import Any

import re2
from cel_expr_python import cel

from ekslint.linter.cel.library.wrapped import CelFunctionError, Functions

L = cel.Type.List(cel.Type.DYN)


def _comparable(items: list[Any], function: str) -> list[Any]:
    kinds = {_kind(x) for x in items}
    if len(kinds) > 1:
        raise CelFunctionError(f"no such overload: {function} of a list of mixed types")
    if kinds and next(iter(kinds)) in ("map", "list", "null"):
        raise CelFunctionError(f"no such overload: {function} of a list of {next(iter(kinds))}s")
    return items


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (bytes, bytearray)):
        return "bytes"
    if isinstance(value, dt.timedelta):
        return "duration"
    if isinstance(value, dt.datetime):
        return "timestamp"
    if value is None:
        return "null"
    return "list" if isinstance(value, list) else "map"


def is_sorted(items: list[Any]) -> bool:
    _comparable(items, "isSorted")
    return all(a <= b for a, b in itertools.pairwise(items))


def sum_(items: list[Any]) -> Any:
    if not items:
        return 0
    _comparable(items, "sum")
    if _kind(items[0]) not in ("number", "duration"):
        raise CelFunctionError(f"no such overload: sum of a list of {_kind(items[0])}s")
    total = items[0]
    for x in items[1:]:
        total = total + x
    return total


def min_(items: list[Any]) -> Any:
    if not items:
        raise CelFunctionError("min of an empty list")
    return min(_comparable(items, "min"))


def max_(items: list[Any]) -> Any:
    if not items:
        raise CelFunctionError("max of an empty list")
    return max(_comparable(items, "max"))


def index_of(items: list[Any], value: Any) -> int:
    for i, x in enumerate(items):
        if _equal(x, value):
            return i
    return -1


def last_index_of(items: list[Any], value: Any) -> int:
    for i in range(len(items) - 1, -1, -1):
        if _equal(items[i], value):
            return i
    return -1


def _equal(a: Any, b: Any) -> bool:
    """CEL equality of plain values: no bool/int confusion (Python's ``True == 1``)."""
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def sets_contains(items: list[Any], subset: list[Any]) -> bool:
    return all(any(_equal(x, y) for x in items) for y in subset)


def sets_intersects(a: list[Any], b: list[Any]) -> bool:
    return any(any(_equal(x, y) for x in a) for y in b)


def compile_re2(pattern: str) -> Any:
    """RE2's compiled ``pattern``, or ``ValueError`` with RE2's message (never on stderr)."""
    options = re2.Options()
    options.log_errors = False  # RE2 would print the parse error on stderr
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise ValueError(f"invalid regular expression {pattern!r}: {text}") from None


@lru_cache(maxsize=256)
def compiled(pattern: str) -> Any:
    """An RE2 regex, compiled once per pattern (checks run the same few over every object)."""
    try:
        return compile_re2(pattern)
    except ValueError as exc:
        raise CelFunctionError(str(exc)) from None


def find(text: str, pattern: str) -> str:
    m = compiled(pattern).search(text)
    return m.group(0) if m else ""


def find_all(text: str, pattern: str, limit: int = -1) -> list[str]:
    if limit == 0:
        return []
    out = []
    for m in compiled(pattern).finditer(text):
        out.append(m.group(0))
        if 0 < limit <= len(out):
            break
    return out


def register(fns: Functions) -> None:
    S, INT, B, D = cel.Type.STRING, cel.Type.INT, cel.Type.BOOL, cel.Type.DYN
    fns.add("isSorted", "list_is_sorted", B, [L], is_sorted, member=True)
    fns.add("sum", "list_sum", D, [L], sum_, member=True)
    fns.add("min", "list_min", D, [L], min_, member=True)
    fns.add("max", "list_max", D, [L], max_, member=True)
    fns.add("indexOf", "list_index_of", INT, [L, D], index_of, member=True)
    fns.add("lastIndexOf", "list_last_index_of", INT, [L, D], last_index_of, member=True)
    fns.add("sets.contains", "list_sets_contains_list", B, [L, L], sets_contains)
    fns.add(
        "sets.equivalent",
        "list_sets_equivalent_list",
        B,
        [L, L],
        lambda a, b: sets_contains(a, b) and sets_contains(b, a),
    )
    fns.add("sets.intersects", "list_sets_intersects_list", B, [L, L], sets_intersects)
    fns.add("find", "string_find_string", S, [S, S], find, member=True)
    fns.add("findAll", "string_find_all_string", cel.Type.List(S), [S, S], find_all, member=True)
    fns.add("findAll", "string_find_all_string_int", cel.Type.List(S), [S, S, INT], find_all, member=True)
