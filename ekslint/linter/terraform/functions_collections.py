"""Terraform's collection functions: length, element, lookup, merge, concat, flatten, the set functions...

Unknown items of a known collection are carried, not spread: ``length([UNKNOWN, UNKNOWN])`` is 2,
``element``, ``slice``, ``concat``, ``reverse``, ``keys``, ``values``, ``merge`` and ``matchkeys``
keep the unknown items they pass on, ``contains(["x", UNKNOWN], "x")`` is true. A result that an
unknown could change (a repeat to drop, an order to sort, an empty string ``compact`` would drop,
a list ``flatten`` would spread) is unknown. Sets are lists in this evaluator: ``toset``,
``setunion``... return them ordered as Terraform orders sets.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from ekslint.linter.terraform.functions_core import (
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_RANGE,
    MISSING,
    Budget,
    NotKnown,
    boolean,
    check_size,
    dedup,
    eq,
    fully_known,
    graphemes,
    make_set,
    mapping,
    num,
    number_result,
    quote,
    register,
    scalar_unknown,
    seq,
    string,
    string_items,
    unify,
    whole,
)
from ekslint.linter.terraform.values import UNKNOWN, EvalError, Unknown, type_name


@register("length")
def _length(value: Any) -> Any:
    if isinstance(value, Unknown):
        raise NotKnown
    if isinstance(value, str):
        return len(graphemes(value))
    if isinstance(value, (list, dict)):
        return len(value)
    if value is None:
        raise EvalError('invalid value for "value" parameter: argument must not be null')
    raise EvalError("argument must be a string, a collection type, or a structural type")


@register("element")
def _element(lst: Any, index: Any) -> Any:
    items = seq(lst)
    i = whole(index, "index")
    if not items:
        raise EvalError("cannot use element function with an empty list")
    return items[i % len(items)]


@register("slice")
def _slice(lst: Any, start_index: Any, end_index: Any) -> Any:
    if isinstance(lst, Unknown) and lst.key and not isinstance(start_index, Unknown):
        # slice(data.aws_availability_zones.available.names, 0, 3): when the plan succeeds the
        # result has exactly 3 items, the list's first three; their values are not known, but
        # how many there are is, and each is the same unknown wherever it is read.
        start, end = whole(start_index, "start_index"), whole(end_index, "end_index")
        if 0 <= start <= end and end - start <= MAX_ITEMS:
            return [Unknown(f"{lst.key}[{i}]") for i in range(start, end)]
    items = seq(lst)
    start, end = whole(start_index, "start_index"), whole(end_index, "end_index")
    if start < 0:
        raise EvalError("start index must not be less than zero")
    if start > len(items):
        raise EvalError("start index must not be greater than the length of the list")
    if end < 0:
        raise EvalError("end index must not be less than zero")
    if end > len(items):
        raise EvalError("end index must not be greater than the length of the list")
    if start > end:
        raise EvalError("start index must not be greater than end index")
    return items[start:end]


@register("concat")
def _concat(*seqs: Any) -> Any:
    lists = [seq(s, "seqs") for s in seqs]
    check_size(sum(len(x) for x in lists), MAX_ITEMS)
    return [item for x in lists for item in x]


@register("reverse")
def _reverse(lst: Any) -> Any:
    if isinstance(lst, (str, dict)) or lst is None:
        raise EvalError(f"can only reverse list or tuple values, not {type_name(lst)}")
    return seq(lst)[::-1]


@register("chunklist")
def _chunklist(lst: Any, size: Any) -> Any:
    items, n = seq(lst), whole(size, "size")
    if n < 0:
        raise EvalError("the size argument must be positive")
    if not items:
        return []
    if n == 0:
        return [items]
    return [items[i : i + n] for i in range(0, len(items), n)]


@register("flatten")
def _flatten(lst: Any) -> Any:
    if not isinstance(lst, (list, Unknown)):
        raise EvalError("can only flatten lists, sets and tuples")
    out: list[Any] = []
    budget = Budget()

    def walk(items: list[Any], depth: int) -> None:
        if depth > MAX_DEPTH:
            raise NotKnown
        for v in items:
            budget.spend()
            if isinstance(v, list):
                walk(v, depth + 1)
            elif isinstance(v, Unknown) and not scalar_unknown(v):
                raise NotKnown  # it might be a list to spread
            else:
                out.append(v)
                check_size(len(out), MAX_ITEMS)

    walk(seq(lst), 0)
    return out


@register("compact")
def _compact(lst: Any) -> Any:
    items = string_items(seq(lst))
    if any(isinstance(v, Unknown) for v in items):
        raise NotKnown  # an unknown might be the empty string
    return [v for v in items if v not in (None, "")]


@register("distinct")
def _distinct(lst: Any) -> Any:
    return dedup(seq(lst))


def _member(v: Any, items: list[Any], budget: Budget) -> bool:
    """``v`` is in ``items``; :class:`NotKnown` if an unknown leaves it open."""
    undecided = False
    for item in items:
        r = eq(item, v, budget)
        if r is True:
            return True
        if r is not False:
            undecided = True
    if undecided:
        raise NotKnown
    return False


@register("contains")
def _contains(lst: Any, value: Any) -> Any:
    items = seq(lst)
    try:
        return _member(value, items, Budget())
    except NotKnown:
        return UNKNOWN


@register("index")
def _index(lst: Any, value: Any) -> Any:
    items = seq(lst)
    if not items:
        raise EvalError("cannot search an empty list")
    budget = Budget()
    for i, item in enumerate(items):
        r = eq(item, value, budget)
        if r is True:
            return i
        if r is not False:
            raise NotKnown
    raise EvalError("item not found")


@register("keys")
def _keys(inputMap: Any) -> Any:
    return sorted(mapping(inputMap, "inputMap"))


@register("values")
def _values(inputMap: Any) -> Any:
    m = mapping(inputMap, "mapping")
    return [m[k] for k in sorted(m)]


@register("lookup")
def _lookup(inputMap: Any, key: Any, default: Any = MISSING) -> Any:
    if isinstance(inputMap, (list, str)) or inputMap is None:
        raise EvalError("lookup() requires a map as the first argument")
    m, k = mapping(inputMap, "inputMap"), string(key, "key")
    if k in m:
        return m[k]
    if default is not MISSING:
        return default
    raise EvalError(f"lookup failed to find key {quote(k)}")


@register("merge")
def _merge(*maps: Any) -> Any:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        if isinstance(m, Unknown):
            raise NotKnown
        if not isinstance(m, dict):
            raise EvalError(f'arguments must be maps or objects, got "{type_name(m)}"')
        out.update(m)
    return out


@register("one")
def _one(lst: Any) -> Any:
    if isinstance(lst, Unknown):
        raise NotKnown
    if not isinstance(lst, list) or len(lst) > 1:
        raise EvalError(
            'invalid value for "list" parameter: must be a list, set, or tuple value with either zero or one elements'
        )
    return lst[0] if lst else None


@register("coalesce")
def _coalesce(*vals: Any) -> Any:
    try:
        values = unify(list(vals))
    except EvalError:
        raise EvalError("all arguments must have the same type") from None
    for v in values:
        if isinstance(v, Unknown):
            raise NotKnown
        if v is None or v == "":
            continue
        return v
    raise EvalError("no non-null, non-empty-string arguments")


@register("coalescelist")
def _coalescelist(*vals: Any) -> Any:
    if not vals:
        raise EvalError("at least one argument is required")
    for v in vals:
        if v is not None and not isinstance(v, (list, Unknown)):
            raise EvalError("coalescelist arguments must be lists or tuples")
    for v in vals:
        if isinstance(v, Unknown):
            raise NotKnown
        if v:
            return v
    raise EvalError("no non-null arguments")


@register("alltrue")
def _alltrue(lst: Any) -> Any:
    undecided = False
    for v in seq(lst):
        if v is None:
            return False
        if isinstance(v, Unknown):
            undecided = True
        elif not boolean(v, "list"):
            return False
    return UNKNOWN if undecided else True


@register("anytrue")
def _anytrue(lst: Any) -> Any:
    undecided = False
    for v in seq(lst):
        if isinstance(v, Unknown):
            undecided = True
        elif v is not None and boolean(v, "list"):
            return True
    return UNKNOWN if undecided else False


@register("matchkeys")
def _matchkeys(values: Any, keys: Any, searchset: Any) -> Any:
    vals, ks, ss = seq(values, "values"), seq(keys, "keys"), seq(searchset, "searchset")
    if len(vals) != len(ks):
        raise EvalError("length of keys and values should be equal")
    try:
        both = unify(ks + ss)
    except EvalError:
        raise EvalError("keys and searchset must be of the same type") from None
    ks, ss = both[: len(ks)], both[len(ks) :]
    budget = Budget()
    return [vals[i] for i, k in enumerate(ks) if ss and _member(k, ss, budget)]


@register("range")
def _range(*params: Any) -> Any:
    nums = [num(p, "params") for p in params]
    start: int | float
    end: int | float
    step: int | float
    if len(nums) == 1:
        start, end = 0, nums[0]
        step = -1 if end < 0 else 1
    elif len(nums) == 2:
        start, end = nums
        step = -1 if end < start else 1
    elif len(nums) == 3:
        start, end, step = nums
    else:
        raise EvalError("must have one, two, or three arguments")
    if step == 0:
        raise EvalError("step must not be zero")
    down = step < 0
    if down and end > start:
        raise EvalError("end must be less than start when step is negative")
    if not down and end < start:
        raise EvalError("end must be greater than start when step is positive")
    out: list[Any] = []
    n: int | float = start
    while n > end if down else n < end:
        if len(out) >= MAX_RANGE:
            raise EvalError(
                "more than 1024 values were generated; "
                "either decrease the difference between start and end or use a smaller step"
            )
        out.append(number_result(n))
        n += step
        if isinstance(n, float) and not math.isfinite(n):
            raise NotKnown
    return out


@register("setproduct")
def _setproduct(*sets: Any) -> Any:
    if len(sets) < 2:
        raise EvalError("at least two arguments are required")
    groups: list[list[Any]] = []
    for i, s in enumerate(sets):
        try:
            groups.append(unify(seq(s, "sets")))
        except EvalError as exc:
            if "single type" not in str(exc):
                raise
            raise EvalError(f"argument {i + 1}: all elements must be of the same type") from None
    total = math.prod(len(g) for g in groups)
    check_size(total * len(groups), MAX_ITEMS)
    return [list(combo) for combo in itertools.product(*groups)]


def _set_groups(sets: tuple[Any, ...]) -> list[list[Any]]:
    groups = [seq(s, "sets") for s in sets]
    try:
        flat = unify([v for g in groups for v in g], "set")
    except EvalError:
        raise EvalError("given sets must all have compatible element types") from None
    out: list[list[Any]] = []
    pos = 0
    for g in groups:
        out.append(flat[pos : pos + len(g)])
        pos += len(g)
    return out


@register("setunion")
def _setunion(first_set: Any, *other_sets: Any) -> Any:
    groups = _set_groups((first_set, *other_sets))
    check_size(sum(len(g) for g in groups), MAX_ITEMS)
    return make_set([v for g in groups for v in g])


@register("setintersection")
def _setintersection(first_set: Any, *other_sets: Any) -> Any:
    groups = _set_groups((first_set, *other_sets))
    budget = Budget()
    candidates = dedup(groups[0])
    for g in groups[1:]:
        candidates = [c for c in candidates if _member(c, g, budget)]
    return make_set(candidates)


@register("setsubtract")
def _setsubtract(a: Any, b: Any) -> Any:
    left, right = _set_groups((a, b))
    budget = Budget()
    return make_set([v for v in dedup(left) if not _member(v, right, budget)])


@register("transpose")
def _transpose(values: Any) -> Any:
    m = mapping(values, "values")
    if not fully_known(m):
        raise NotKnown
    out: dict[str, list[str]] = {}
    for key in sorted(m):
        lst = m[key]
        if lst is None:
            raise EvalError("input must not contain null list")
        if not isinstance(lst, list):
            raise EvalError("input must be a map of lists of strings")
        for item in string_items(lst, "values"):
            if item is None:
                raise EvalError("input list must not contain null string")
            out.setdefault(item, []).append(key)
    return {k: sorted(out[k]) for k in sorted(out)}


@register("zipmap")
def _zipmap(keys: Any, values: Any) -> Any:
    ks = string_items(seq(keys, "keys"), "keys")
    if any(isinstance(k, Unknown) for k in ks):
        raise NotKnown
    vs = seq(values, "values")
    if len(ks) != len(vs):
        raise EvalError(f"number of keys ({len(ks)}) does not match number of values ({len(vs)})")
    for i, k in enumerate(ks):
        if k is None:
            raise EvalError(f"keys list has null value at index {i}")
    return dict(zip(ks, vs, strict=True))


@register("list")
def _list(*_vals: Any) -> Any:
    raise EvalError(
        'the "list" function was deprecated in Terraform v0.12 and is no longer available; '
        "use tolist([ ... ]) syntax to write a literal list"
    )


@register("map")
def _map(*_vals: Any) -> Any:
    raise EvalError(
        'the "map" function was deprecated in Terraform v0.12 and is no longer available; '
        "use tomap({ ... }) syntax to write a literal map"
    )
