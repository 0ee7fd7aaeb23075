"""What every family of the Terraform function library shares (see :mod:`.functions`).

* the registry (:data:`FUNCTIONS`, :func:`register`) and the guard every registered function runs
  in: argument count, unknown results, errors that are always :class:`EvalError`;
* the bounds that keep a hostile repository from hanging the scan or exhausting memory;
* Terraform's conversions between primitive types (cty's ``convert`` package), its type-strict
  equality, the "most general type" unification of lists, sets and maps, and the ordering of sets;
* argument checking: a parameter declared ``string`` accepts a number or a bool (converted as
  Terraform converts them) but not null, a list or a map, and so on.

Two internal signals travel as exceptions inside a function and never leave :func:`register`'s
guard: :class:`NotKnown` (the result depends on an unknown value, or ekslint refuses to build it
because it passes a bound) becomes :data:`UNKNOWN`; :class:`EvalError` (Terraform itself would
reject the call) is re-raised with the function's name.
"""

from __future__ import annotations

import functools
import inspect
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from ekslint.linter.terraform.values import UNKNOWN, EvalError, Ref, Unknown, type_name

#: Terraform's own limit on ``range`` (cty stdlib): more values is an error in Terraform too.
MAX_RANGE = 1024
#: Longest string a function builds, in characters (``format``, ``join``, ``indent``, ``replace``...).
MAX_STRING = 1_000_000
#: Most elements a function puts in a collection it builds (``setproduct``, ``flatten``, ``split``...).
MAX_ITEMS = 100_000
#: Deepest nesting of a value walked recursively (``jsonencode``, ``flatten``, equality, decoders).
MAX_DEPTH = 100
#: Longest numeral converted: Python's default int-to-str limit.
MAX_DIGITS = 4300
#: Largest magnitude of a number: about the range of a float64, far beyond any real configuration.
MAX_MAGNITUDE = 2**1024
#: Largest width or precision of a ``format`` verb.
MAX_PAD = 4096
#: Most values one walk visits (shared sub-values count at every use: a value built by doubling a
#: list thirty times is small in memory but has 2**30 leaves).
MAX_VISITS = 200_000
#: Below this magnitude an integral float is exact, so it becomes an ``int``.
EXACT_FLOAT = 2**53


class NotKnown(Exception):
    """Inside a function: its result is unknown (it depends on an unknown, or passes a bound)."""


Function = Callable[..., Any]

#: Terraform function name -> guarded implementation (see :func:`register`).
FUNCTIONS: dict[str, Function] = {}

#: Default of an optional parameter that was not given (``None`` is Terraform's null).
MISSING: Any = object()


def register(*names: str) -> Callable[[Function], Function]:
    """Register ``fn`` under ``names``; the registered callable is guarded, ``fn`` itself is returned.

    The guard checks the number of arguments against ``fn``'s signature, turns :class:`NotKnown`
    (and a recursion or memory exhaustion) into :data:`UNKNOWN`, prefixes :class:`EvalError` with
    the function's name, and turns any other exception into an :class:`EvalError` so that no value
    from a scanned repository can crash the process.
    """

    def decorate(fn: Function) -> Function:
        for name in names:
            FUNCTIONS[name] = _guard(name, fn)
        return fn

    return decorate


def _guard(name: str, fn: Function) -> Function:
    params = inspect.signature(fn).parameters.values()
    positional = [p for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    least = sum(1 for p in positional if p.default is p.empty)
    most = None if any(p.kind is p.VAR_POSITIONAL for p in params) else len(positional)

    @functools.wraps(fn)
    def guarded(*args: Any) -> Any:
        if len(args) < least:
            raise EvalError(f'not enough arguments: function "{name}" expects at least {least}, got {len(args)}')
        if most is not None and len(args) > most:
            raise EvalError(f'too many arguments: function "{name}" expects at most {most}, got {len(args)}')
        try:
            return fn(*args)
        except NotKnown:
            return UNKNOWN
        except EvalError as exc:
            raise EvalError(f'call to function "{name}" failed: {exc}') from None
        except (RecursionError, MemoryError):
            return UNKNOWN  # refused: too deep or too big to compute here
        except Exception as exc:  # a bug here must not crash a scan of a hostile repository
            raise EvalError(f'call to function "{name}" failed: internal error {type(exc).__name__}: {exc}') from exc

    return guarded


class Budget:
    """How many more values a walk may visit; :class:`NotKnown` when it is spent."""

    __slots__ = ("left",)

    def __init__(self, visits: int = MAX_VISITS) -> None:
        self.left = visits

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise NotKnown


def fully_known(v: Any, budget: Budget | None = None) -> bool:
    """``v`` and everything in it is known (:func:`~.values.wholly_known`, with a visit budget)."""
    budget = budget or Budget()
    stack = [v]
    while stack:
        x = stack.pop()
        budget.spend()
        if isinstance(x, Unknown):
            return False
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return True


def unknown_result(*_args: Any) -> Any:
    """Implementation of the functions that are unknown on purpose (file, clock, regex...)."""
    return UNKNOWN


# --- numbers -------------------------------------------------------------------------------------

#: One way to split the digits around the point: ``[0-9]+\.?[0-9]*`` could split a run of digits
#: anywhere, a second per failed 4,300-digit string.
_NUMERAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def is_number(v: Any) -> bool:
    """A Terraform number (``bool`` is not one, although Python says it is an ``int``)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def number_result(x: Any) -> Any:
    """Normalise a computed number: an integral float within ±2**53 becomes ``int``.

    A magnitude beyond ±2**1024 (or an infinity) is unknown: ekslint refuses to carry it on.
    NaN is an error, as in Terraform ("result is not a number").
    """
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise EvalError(f"a number is required, got {type_name(x)}")
    if isinstance(x, int):
        return x if -MAX_MAGNITUDE <= x <= MAX_MAGNITUDE else UNKNOWN
    if math.isnan(x):
        raise EvalError("result is not a number")
    if math.isinf(x):
        return UNKNOWN
    if x.is_integer() and -EXACT_FLOAT <= x <= EXACT_FLOAT:
        return int(x)
    return x


def parse_number(s: str) -> int | float:
    """A decimal numeral as Terraform reads it (``"1"``, ``"-1.5"``, ``"1e3"``; no spaces, no ``_``).

    Raises :class:`EvalError` for anything else and :class:`NotKnown` past the bounds.
    """
    if len(s) > MAX_DIGITS:
        raise NotKnown
    if not _NUMERAL.fullmatch(s):
        raise EvalError(
            f"cannot convert {quote(s)} to number; given string must be a decimal representation of a number"
        )
    if s.lstrip("+-").isdigit():
        return _bounded(int(s))
    d = Decimal(s)
    if d.is_zero():
        return 0
    if d.adjusted() > 310:
        raise NotKnown
    if d == d.to_integral_value():
        return _bounded(int(d))
    result = number_result(float(d))
    if isinstance(result, Unknown):
        raise NotKnown
    return result  # type: ignore[no-any-return]


def _bounded(n: int) -> int:
    if not -MAX_MAGNITUDE <= n <= MAX_MAGNITUDE:
        raise NotKnown
    return n


def number_text(n: int | float) -> str:
    """A number as Terraform writes it in a string: ``1``, ``1.5``, ``0.0000001``, never an exponent."""
    if isinstance(n, int):
        return str(n)
    if math.isinf(n):
        return "+Inf" if n > 0 else "-Inf"
    if n.is_integer() and abs(n) <= EXACT_FLOAT:
        return str(int(n))
    return format(Decimal(repr(n)), "f")


def num(v: Any, param: str = "num") -> int | float:
    """A ``number`` parameter: a number, or a string holding one."""
    if isinstance(v, Unknown):
        raise NotKnown
    if is_number(v):
        result = number_result(v)
        if isinstance(result, Unknown):
            raise NotKnown
        return result  # type: ignore[no-any-return]
    if isinstance(v, str):
        return parse_number(v)
    raise EvalError(_param_error(param, v, "a number is required"))


def whole(v: Any, param: str = "num", *, int64: bool = True) -> int:
    """A number parameter that must be a whole number (an index, a count, a bit length)."""
    n = num(v, param)
    if isinstance(n, float):
        if not n.is_integer():
            raise EvalError(
                f'invalid value for "{param}" parameter: value must be a whole number, got {number_text(n)}'
            )
        n = int(n)
    if int64 and not -(2**63) <= n < 2**63:
        raise EvalError(f'invalid value for "{param}" parameter: value must be a whole number between -2^63 and 2^63-1')
    return n


# --- strings, bools and the other conversions ---------------------------------------------------


def quote(s: str, limit: int = 80) -> str:
    """``s`` quoted for an error message, cut short."""
    return '"' + (s if len(s) <= limit else s[:limit] + "...").replace('"', '\\"') + '"'


def _param_error(param: str, v: Any, what: str) -> str:
    if v is None:
        return f'invalid value for "{param}" parameter: argument must not be null'
    return f'invalid value for "{param}" parameter: {what}, got {type_name(v)}'


def string(v: Any, param: str = "str") -> str:
    """A ``string`` parameter: a string, or a number or bool converted as Terraform does."""
    if isinstance(v, str):
        return v
    if isinstance(v, Unknown):
        raise NotKnown
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_number(v):
        return number_text(v)
    raise EvalError(_param_error(param, v, "a string is required"))


def boolean(v: Any, param: str = "bool") -> bool:
    """A ``bool`` parameter: a bool, or one of the strings cty converts ("true", "false", "1", "0")."""
    if isinstance(v, bool):
        return v
    if isinstance(v, Unknown):
        raise NotKnown
    if isinstance(v, str):
        if v in ("true", "1"):
            return True
        if v in ("false", "0"):
            return False
        raise EvalError(f'cannot convert {quote(v)} to bool; only the strings "true" or "false" are allowed')
    raise EvalError(_param_error(param, v, "a bool is required"))


def seq(v: Any, param: str = "list") -> list[Any]:
    """A list, set or tuple parameter (all three are Python lists)."""
    if isinstance(v, list):
        return v
    if isinstance(v, Unknown):
        raise NotKnown
    raise EvalError(_param_error(param, v, "a list, set or tuple is required"))


def mapping(v: Any, param: str = "map") -> dict[str, Any]:
    """A map or object parameter."""
    if isinstance(v, dict):
        return v
    if isinstance(v, Unknown):
        raise NotKnown
    raise EvalError(_param_error(param, v, "a map or object is required"))


def string_items(items: list[Any], param: str = "list", *, allow_null: bool = True) -> list[Any]:
    """The items of a ``list(string)`` parameter: numbers and bools become strings, unknowns stay."""
    out: list[Any] = []
    for i, item in enumerate(items):
        if isinstance(item, (str, Unknown)):
            out.append(item)
        elif item is None:
            if not allow_null:
                raise EvalError(f'invalid value for "{param}" parameter: element {i} is null')
            out.append(None)
        elif isinstance(item, bool) or is_number(item):
            out.append(string(item))
        else:
            raise EvalError(
                f'invalid value for "{param}" parameter: element {i}: a string is required, got {type_name(item)}'
            )
    return out


def _null(v: Any, what: str) -> None:
    if v is None:
        raise EvalError(f"a null value cannot be used as {what}")


def to_number(v: Any) -> Any:
    """Terraform's conversion of an operand to number: ``"1.5"`` is 1.5, an unknown stays itself.

    Errors (:class:`EvalError`) for null (an operand, an index, a condition cannot be null: the
    ``tonumber`` function, which passes null through, checks it first), a bool, a non-numeric
    string or a collection; a number past the magnitude bound, or a numeral longer than 4,300
    characters, is unknown. The same holds for the other ``to_*`` helpers.
    """
    _null(v, "a number")
    if isinstance(v, Unknown):
        return v
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise EvalError(f"cannot convert {type_name(v)} to number")
    try:
        return num(v)
    except NotKnown:
        return UNKNOWN


def to_string(v: Any) -> Any:
    """Terraform's conversion to string: ``true`` -> "true", ``1`` -> "1", ``1.5`` -> "1.5".

    Null is an error; an unknown stays the same unknown (a ``Ref`` to an ``id`` keeps its identity).
    """
    _null(v, "a string")
    if isinstance(v, Unknown):
        return v
    if isinstance(v, (list, dict)):
        raise EvalError(f"cannot convert {type_name(v)} to string")
    return string(v)


def to_bool(v: Any) -> Any:
    """Terraform's conversion to bool: only bools and the strings "true"/"false" (and "1"/"0", as cty does)."""
    _null(v, "a bool")
    if isinstance(v, Unknown):
        return v
    if is_number(v) or isinstance(v, (list, dict)):
        raise EvalError(f"cannot convert {type_name(v)} to bool")
    return boolean(v)


def to_list(v: Any) -> Any:
    """Terraform's conversion to list: a tuple's items are converted to their most general type.

    ``["a", 3]`` -> ``["a", "3"]``; ``[1, true]`` or ``["a", []]`` is an error, so is null.
    """
    _null(v, "a list")
    if isinstance(v, Unknown):
        return UNKNOWN
    if not isinstance(v, list):
        raise EvalError(f"cannot convert {type_name(v)} to list of any single type")
    return unify(v, "list")


def to_map(v: Any) -> Any:
    """Terraform's conversion to map: an object's values are converted to their most general type."""
    _null(v, "a map")
    if isinstance(v, Unknown):
        return UNKNOWN
    if not isinstance(v, dict):
        raise EvalError(f"cannot convert {type_name(v)} to map of any single type")
    values = unify(list(v.values()), "map")
    return dict(zip(v, values, strict=True))


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "map"
    return "number"


def unify(items: list[Any], what: str = "list") -> list[Any]:
    """Convert ``items`` to the one type Terraform would give a list (set, map) of them.

    Primitive items that mix strings with numbers or bools all become strings; a mix of numbers and
    bools, or of primitives and collections, or of lists and maps, is an error. Nulls and unknowns
    take any type. Nested collections are not unified further.
    """
    kinds = {_kind(v) for v in items if v is not None and not isinstance(v, Unknown)}
    if len(kinds) <= 1:
        return items
    if kinds <= {"string", "number", "bool"} and "string" in kinds:
        return [v if v is None or isinstance(v, (str, Unknown)) else string(v) for v in items]
    raise EvalError(f"cannot convert {'object' if what == 'map' else 'tuple'} to {what} of any single type")


# --- equality ------------------------------------------------------------------------------------

#: ``data.<type>.<name>.<attr>[<n>]``: an element of a data-source list (AZ names, subnet ids...).
_DATA_ELEMENT = re.compile(r"(data\.[^\[]+)\[([0-9]{1,9})\]")
#: Attributes that no two resource instances share.
_UNIQUE_ATTRS = frozenset({"id", "arn"})


def _distinct_unknowns(a: Unknown, b: Unknown) -> bool:
    """``a`` and ``b`` are known to differ although neither value is known.

    Two elements at different indexes of one data-source list (``...names[0]``, ``...names[1]``)
    differ: the lists AWS data sources return hold unique items (``terraform_remote_state`` outputs
    are user data and are excluded). The ``id`` (or ``arn``) of two different resource instances in
    the scan differ too.
    """
    if type(a) is Unknown and type(b) is Unknown:
        ma, mb = _DATA_ELEMENT.fullmatch(a.key), _DATA_ELEMENT.fullmatch(b.key)
        return (
            ma is not None
            and mb is not None
            and ma[1] == mb[1]
            and not ma[1].startswith("data.terraform_remote_state.")
            and int(ma[2]) != int(mb[2])
        )
    if isinstance(a, Ref) and isinstance(b, Ref):
        return (
            a.attr == b.attr
            and a.attr in _UNIQUE_ATTRS
            and a.address != b.address
            and resource_ref(a)
            and resource_ref(b)
        )
    return False


def resource_ref(v: Any) -> bool:
    """``v`` is a :class:`Ref` to an attribute of a managed resource (not a module output or data source)."""
    return isinstance(v, Ref) and not v.address.startswith(("module.", "data."))


def scalar_unknown(v: Any) -> bool:
    """``v`` is unknown but surely not a collection: the ``id`` or ``arn`` of a resource in the scan."""
    return resource_ref(v) and v.attr in _UNIQUE_ATTRS


def equal(a: Any, b: Any) -> Any:
    """Terraform's ``==``: ``True``, ``False`` or :data:`UNKNOWN`.

    Type-strict (``1 == "1"`` and ``true == 1`` are false; ``1 == 1.0`` is true); collections are
    equal item by item. An unknown is equal to the same keyed unknown and different from one known
    to differ (see ``_distinct_unknowns``); otherwise a comparison with an unknown is unknown, unless
    a known difference elsewhere in the two collections already decides.
    """
    try:
        return eq(a, b, Budget())
    except NotKnown:
        return UNKNOWN


def eq(a: Any, b: Any, budget: Budget, depth: int = 0) -> Any:
    """:func:`equal`, raising :class:`NotKnown` past :data:`MAX_DEPTH` or the visit ``budget``."""
    budget.spend()
    if a is b and not isinstance(a, Unknown):
        return True
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        if isinstance(a, Unknown) and isinstance(b, Unknown):
            if a == b:
                return True
            if _distinct_unknowns(a, b):
                return False
        elif (scalar_unknown(a) and isinstance(b, (list, dict))) or (scalar_unknown(b) and isinstance(a, (list, dict))):
            return False
        return UNKNOWN
    if a is None or b is None:
        return a is None and b is None
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        return False
    if ka in ("list", "map"):
        if depth >= MAX_DEPTH:
            raise NotKnown
        if len(a) != len(b):
            return False
        if ka == "map":
            if a.keys() != b.keys():
                return False
            pairs: Iterable[tuple[Any, Any]] = ((a[k], b[k]) for k in a)
        else:
            pairs = zip(a, b, strict=True)
        result: Any = True
        for x, y in pairs:
            r = eq(x, y, budget, depth + 1)
            if r is False:
                return False
            if r is not True:
                result = UNKNOWN
        return result
    return bool(a == b)


def canon(v: Any, budget: Budget, depth: int = 0) -> Any:
    """A hashable form of a wholly known value, equal for values Terraform finds equal; ``None`` if
    ``v`` contains an unknown."""
    budget.spend()
    if isinstance(v, Unknown):
        return None
    if isinstance(v, (list, dict)) and depth >= MAX_DEPTH:
        raise NotKnown
    if isinstance(v, list):
        items = [canon(x, budget, depth + 1) for x in v]
        return None if any(i is None for i in items) else ("list", tuple(items))
    if isinstance(v, dict):
        keyed = [(k, canon(v[k], budget, depth + 1)) for k in sorted(v)]
        return None if any(i is None for _, i in keyed) else ("map", tuple(keyed))
    return (_kind(v) if v is not None else "null", v)


def dedup(items: Iterable[Any]) -> list[Any]:
    """``items`` without repeats, first occurrences in order; :class:`NotKnown` when an unknown
    could be a repeat of another item."""
    out: list[Any] = []
    seen: set[Any] = set()
    fuzzy: list[Any] = []  # items holding unknowns, compared pairwise
    budget = Budget()

    def repeated(v: Any, among: list[Any]) -> bool:
        for other in among:
            r = eq(other, v, budget)
            if r is True:
                return True
            if r is not False:
                raise NotKnown
        return False

    for v in items:
        key = canon(v, budget)
        if key is not None:
            if key in seen or repeated(v, fuzzy):
                continue
            seen.add(key)
        elif repeated(v, out):
            continue
        else:
            fuzzy.append(v)
        out.append(v)
    return out


def make_set(items: list[Any]) -> list[Any]:
    """A Terraform set of ``items``: unified, deduplicated and ordered as cty orders sets.

    Strings sort lexically, numbers numerically, ``false`` before ``true``, nulls last; other
    values keep their first-occurrence order (cty orders them by hash, which no configuration can
    rely on). :class:`NotKnown` when an unknown decides a repeat or the order (more than one item).
    """
    values = dedup(unify(items, "set"))
    budget = Budget()
    if len(values) > 1 and any(canon(v, budget) is None for v in values):
        raise NotKnown
    known = [v for v in values if v is not None]
    nulls = [v for v in values if v is None]
    kinds = {_kind(v) for v in known}
    if kinds == {"string"} or kinds == {"number"}:
        known.sort()
    elif kinds == {"bool"}:
        known.sort(key=bool)
    return known + nulls


# --- text ----------------------------------------------------------------------------------------

#: Go's ``unicode.IsSpace``: what ``trimspace`` removes.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"


def _extends(c: str) -> bool:
    o = ord(c)
    return (
        unicodedata.category(c) in ("Mn", "Me", "Mc")
        or o == 0x200D
        or 0xFE00 <= o <= 0xFE0F
        or 0x1F3FB <= o <= 0x1F3FF
        or 0xE0020 <= o <= 0xE007F
        or 0xE0100 <= o <= 0xE01EF
    )


def _pictographic(c: str) -> bool:
    o = ord(c)
    return o >= 0x1F000 or 0x2190 <= o <= 0x2BFF or o in (0xA9, 0xAE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D)


def graphemes(s: str) -> list[str]:
    """``s`` cut into user-perceived characters, which Terraform counts in ``length``, ``substr``...

    An approximation of Unicode's extended grapheme clusters (UAX #29): CR LF, combining and
    spacing marks, variation selectors, emoji modifiers and tags, ZWJ emoji sequences and regional
    indicator pairs (flags) stay with their base character. Hangul jamo sequences are not joined.
    """
    if s.isascii() and "\r\n" not in s:
        return list(s)
    out: list[str] = []
    for c in s:
        if out:
            last = out[-1]
            o = ord(c)
            if (
                (c == "\n" and last[-1] == "\r" and len(last) == 1)
                or _extends(c)
                or (last[-1] == "\u200d" and _pictographic(c))
                or (0x1F1E6 <= o <= 0x1F1FF and len(last) == 1 and 0x1F1E6 <= ord(last) <= 0x1F1FF)
            ):
                out[-1] = last + c
                continue
        out.append(c)
    return out


def check_size(n: int, limit: int = MAX_STRING) -> None:
    """:class:`NotKnown` if a result of ``n`` characters (or items) would pass ``limit``."""
    if n > limit:
        raise NotKnown
