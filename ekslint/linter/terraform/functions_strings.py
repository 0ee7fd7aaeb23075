"""Terraform's string functions: format, formatlist, join, split, replace, substr, title...

Lengths, offsets, widths and precisions count user-perceived characters (grapheme clusters,
approximated by :func:`~.functions_core.graphemes`), as Terraform does. ``upper``, ``lower`` and
``title`` map character by character (Go's simple case mapping: ``upper("ß")`` stays ``"ß"``),
``title`` capitalises after Go's word separators and lowers nothing, as Go's ``strings.Title``.

``replace`` with a pattern in slashes (``"/w.*d/"``) is a regular-expression replacement, run with
RE2 as Terraform runs it (:mod:`.functions_regex`).
Every string a function builds is bounded by :data:`~.functions_core.MAX_STRING`; past it the
result is unknown.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

from ekslint.linter.terraform.functions_core import (
    GO_SPACE,
    MAX_ITEMS,
    MAX_PAD,
    NotKnown,
    boolean,
    check_size,
    fully_known,
    graphemes,
    is_number,
    num,
    register,
    seq,
    string,
    string_items,
    whole,
)
from ekslint.linter.terraform.functions_encoding import json_encode
from ekslint.linter.terraform.values import UNKNOWN, EvalError, Unknown, type_name

# --- format --------------------------------------------------------------------------------------

#: A verb as cty's scanner reads it: ``%`` flags width precision [argument index] letter.
_VERB = re.compile(
    r"%(?P<flags>[-+# 0]*)(?P<width>[1-9][0-9]*)?(?P<prec>\.[0-9]*)?(?:\[(?P<index>[1-9][0-9]*)\])?(?P<mode>[A-Za-z])"
)
_VERB_START = re.compile(r"%[-+# 0]*(?:[1-9][0-9]*)?(?:\.[0-9]*)?(?:\[(?:[1-9][0-9]*\]?)?)?")


class _Verb:
    """One formatting verb of a ``format`` string."""

    __slots__ = ("flags", "mode", "offset", "prec", "raw", "width")

    def __init__(self, m: re.Match[str]) -> None:
        self.raw = m[0]
        self.offset = m.start()
        self.flags = m["flags"]
        self.mode = m["mode"]
        self.width = _pad_number(m["width"]) if m["width"] else None
        self.prec = _pad_number(m["prec"][1:] or "0") if m["prec"] is not None else None

    def fail(self, why: str) -> EvalError:
        return EvalError(f'unsupported value for "{self.raw}" at {self.offset}: {why}')


def _pad_number(digits: str) -> int:
    if len(digits) > 6 or int(digits) > MAX_PAD:
        raise NotKnown  # a width or precision this large is refused, not computed
    return int(digits)


def format_string(fmt: str, args: list[Any]) -> str:
    """Terraform's ``format``: the verbs of cty's ``format`` with Go's number formatting.

    The arguments must be wholly known (the caller checks); a too-long result is :class:`NotKnown`.
    """
    out: list[str] = []
    size = 0
    pos = 0
    next_arg = 1
    highest = 0
    while pos < len(fmt):
        i = fmt.find("%", pos)
        if i < 0:
            out.append(fmt[pos:])
            size += len(fmt) - pos
            break
        out.append(fmt[pos:i])
        size += i - pos
        if fmt.startswith("%%", i):
            out.append("%")
            size += 1
            pos = i + 2
            continue
        m = _VERB.match(fmt, i)
        if m is None:
            start = _VERB_START.match(fmt, i)
            end = start.end() if start else i + 1
            if end >= len(fmt):
                raise EvalError(f"invalid format string starting at offset {i}")
            raise EvalError(f"unrecognized format character {fmt[end]!r} at offset {end}")
        verb = _Verb(m)
        argnum = int(m["index"]) if m["index"] and len(m["index"]) < 10 else (10**9 if m["index"] else next_arg)
        if argnum > len(args):
            raise EvalError(
                f'not enough arguments for "{verb.raw}" at {verb.offset}: '
                f"need index {argnum} but have {len(args)} total"
            )
        highest = max(highest, argnum)
        text = _format_verb(verb, args[argnum - 1])
        out.append(text)
        size += len(text)
        check_size(size)
        next_arg = argnum + 1
        pos = m.end()
    check_size(size)
    if highest < len(args):
        if highest == 0:
            raise EvalError("too many arguments; no verbs in format string")
        raise EvalError(f"too many arguments; only {highest} used by format string")
    return "".join(out)


def _format_verb(verb: _Verb, arg: Any) -> str:
    mode = verb.mode
    if mode != "v" and arg is None:
        raise verb.fail("null value cannot be formatted")
    if mode == "v":
        if "#" not in verb.flags and isinstance(arg, str):
            return _pad(verb, arg)
        if "#" not in verb.flags and is_number(arg):
            return _pad(verb, ("-" if arg < 0 else "") + _float_text(arg, "g", None))
        return _pad(verb, json_encode(arg))
    if mode == "t":
        if not isinstance(arg, (bool, str)):
            raise verb.fail(f"bool required, but have {type_name(arg)}")
        try:
            return "true" if boolean(arg) else "false"
        except EvalError:
            raise verb.fail("a bool is required") from None
    if mode in "bdoxXeEfgG":
        if isinstance(arg, bool) or not isinstance(arg, (int, float, str)):
            raise verb.fail(f"number required, but have {type_name(arg)}")
        try:
            n = num(arg)
        except EvalError:
            raise verb.fail("a number is required") from None
        if mode in "bdoxX":
            if isinstance(n, float):
                if not n.is_integer():
                    raise verb.fail("an integer is required")
                n = int(n)
            return _int_text(verb, n)
        return _float_verb(verb, n)
    if mode in "sq":
        if isinstance(arg, (list, dict)):
            raise verb.fail(f"string required, but have {type_name(arg)}")
        s = string(arg)
        if verb.prec:
            s = "".join(graphemes(s)[: verb.prec])
        return _pad(verb, json_encode(s) if mode == "q" else s)
    raise EvalError(f'unsupported format verb {mode!r} in "{verb.raw}" at offset {verb.offset}')


def _pad(verb: _Verb, text: str) -> str:
    """cty's padding of a non-numeric verb: to ``width`` characters, with ``0`` or spaces, ``-`` pads right."""
    if verb.width is None:
        return text
    missing = verb.width - len(graphemes(text))
    if missing <= 0:
        return text
    pad = ("0" if "0" in verb.flags else " ") * missing
    return text + pad if "-" in verb.flags else pad + text


def _int_text(verb: _Verb, n: int) -> str:
    """Go's ``big.Int`` formatting of ``%b %d %o %x %X`` with its flags, width and precision."""
    mode, flags, prec = verb.mode, verb.flags, verb.prec
    digits = format(abs(n), "d" if mode == "d" else mode)
    sign = "-" if n < 0 else "+" if "+" in flags else " " if " " in flags else ""
    prefix = {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(mode, "") if "#" in flags else ""
    zeros = 0
    if prec is not None:
        if len(digits) < prec:
            zeros = prec - len(digits)
        elif digits == "0" and prec == 0:
            return ""  # Go prints nothing for a zero with zero precision
    left = right = 0
    length = len(sign) + len(prefix) + zeros + len(digits)
    if verb.width is not None and length < verb.width:
        missing = verb.width - length
        if "-" in flags:
            right = missing
        elif "0" in flags and prec is None:
            zeros = missing
        else:
            left = missing
    return " " * left + sign + prefix + "0" * zeros + digits + " " * right


def _decimal(n: int | float) -> Decimal:
    return Decimal(n) if isinstance(n, int) else Decimal(repr(n))


def _digits(d: Decimal, sig: int | None) -> tuple[str, int]:
    """The significant digits of ``|d|`` (rounded half-even to ``sig`` of them), without trailing
    zeros, and the decimal exponent of the first one."""
    d = abs(d)
    if sig is not None:
        with localcontext() as ctx:
            ctx.prec = sig
            ctx.rounding = ROUND_HALF_EVEN
            d = +d
    digits = "".join(str(x) for x in d.as_tuple().digits).rstrip("0") or "0"
    return digits, d.adjusted()


def _exponent(mantissa: str, exp: int) -> str:
    return f"{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp):02d}"


def _float_text(n: int | float, mode: str, prec: int | None) -> str:
    """``n`` (its magnitude) as Go's ``big.Float`` writes it for ``%e %f %g`` (``prec`` None: Go's default)."""
    d = _decimal(n)
    if mode == "f":
        with localcontext() as ctx:
            ctx.prec = MAX_PAD + 400
            return format(abs(d), f".{6 if prec is None else prec}f")
    if mode == "e":
        p = 6 if prec is None else prec
        if d.is_zero():
            digits, exp = "0", 0
        else:
            digits, exp = _digits(d, p + 1)
        digits = digits.ljust(p + 1, "0")
        return _exponent(digits[0] + ("." + digits[1:] if p > 0 else ""), exp)
    # %g: shortest digits when no precision, else that many significant digits
    if d.is_zero():
        return "0"
    sig = None if prec is None else max(prec, 1)
    digits, exp = _digits(d, sig)
    eprec = sig or 6  # Go: shortest form switches to an exponent at 6 digits, else at the precision
    if sig is not None and sig > len(digits) and len(digits) >= exp + 1:
        eprec = len(digits)
    if exp < -4 or exp >= eprec:
        return _exponent(digits[0] + ("." + digits[1:] if len(digits) > 1 else ""), exp)
    if exp < 0:
        return "0." + "0" * (-exp - 1) + digits
    whole_part, fraction = digits[: exp + 1].ljust(exp + 1, "0"), digits[exp + 1 :]
    return whole_part + ("." + fraction if fraction else "")


def _float_verb(verb: _Verb, n: int | float) -> str:
    """Go's ``big.Float.Format``: sign, then zero padding (``0`` wins over ``-``), or spaces."""
    mode = verb.mode.lower()
    body = _float_text(n, mode, verb.prec)
    if verb.mode in "EG":
        body = body.upper()
    flags = verb.flags
    sign = "-" if n < 0 else "+" if "+" in flags else " " if " " in flags else ""
    missing = max((verb.width or 0) - len(sign) - len(body), 0)
    if "0" in flags:
        return sign + "0" * missing + body
    if "-" in flags:
        return sign + body + " " * missing
    return " " * missing + sign + body


@register("format")
def _format(fmt: Any, *args: Any) -> Any:
    f = string(fmt, "format")
    if not all(fully_known(a) for a in args):
        return UNKNOWN
    return format_string(f, list(args))


@register("formatlist")
def _formatlist(fmt: Any, *args: Any) -> Any:
    f = string(fmt, "format")
    if not args:
        return [format_string(f, [])]
    length = -1
    chooser = 0
    for i, arg in enumerate(args):
        if isinstance(arg, Unknown):
            return UNKNOWN  # might be a list: the number of results is not known
        if isinstance(arg, list):
            if length == -1:
                length, chooser = len(arg), i
            elif len(arg) != length:
                raise EvalError(
                    f"argument {i + 1} has length {len(arg)}, "
                    f"which is inconsistent with argument {chooser + 1} of length {length}"
                )
    if length == 0:
        return []
    results: list[Any] = []
    size = 0
    for n in range(max(length, 1)):
        row = [arg[n] if isinstance(arg, list) else arg for arg in args]
        if not all(fully_known(v) for v in row):
            results.append(UNKNOWN)
            continue
        try:
            text = format_string(f, row)
        except EvalError as exc:
            raise EvalError(f"error on format iteration {n}: {exc}") from None
        size += len(text)
        check_size(size)
        results.append(text)
    return results


# --- the other string functions ------------------------------------------------------------------


def _go_separator(c: str) -> bool:
    """Go's ``strings.Title`` word separator."""
    if c.isascii():
        return not (c.isalnum() or c == "_")
    if unicodedata.category(c)[0] == "L" or unicodedata.category(c) == "Nd":
        return False
    return c in GO_SPACE


def _one_char(mapped: str, c: str) -> str:
    return mapped if len(mapped) == 1 else c


def _upper(s: str) -> str:
    return s.upper() if s.isascii() else "".join(_one_char(c.upper(), c) for c in s)


def _lower(s: str) -> str:
    if s.isascii():
        return s.lower()
    return "".join("i" if c == "\u0130" else _one_char(c.lower(), c) for c in s)


@register("upper")
def _upper_fn(s: Any) -> Any:
    return _upper(string(s))


@register("lower")
def _lower_fn(s: Any) -> Any:
    return _lower(string(s))


@register("title")
def _title(s: Any) -> Any:
    text = string(s)
    out: list[str] = []
    prev = " "
    for c in text:
        out.append(_one_char(c.title(), _one_char(c.upper(), c)) if _go_separator(prev) else c)
        prev = c
    return "".join(out)


@register("strrev")
def _strrev(s: Any) -> Any:
    return "".join(reversed(graphemes(string(s))))


@register("substr")
def _substr(s: Any, offset: Any, length: Any) -> Any:
    clusters = graphemes(string(s))
    start, count = whole(offset, "offset"), whole(length, "length")
    if start < 0:
        start = max(start + len(clusters), 0)
    if count == 0 or start >= len(clusters):
        return ""
    return "".join(clusters[start:] if count < 0 else clusters[start : start + count])


@register("chomp")
def _chomp(s: Any) -> Any:
    return string(s).rstrip("\r\n")


@register("trimspace")
def _trimspace(s: Any) -> Any:
    return string(s).strip(GO_SPACE)


@register("trim")
def _trim(s: Any, cutset: Any) -> Any:
    return string(s).strip(string(cutset, "cutset"))


@register("trimprefix")
def _trimprefix(s: Any, prefix: Any) -> Any:
    return string(s).removeprefix(string(prefix, "prefix"))


@register("trimsuffix")
def _trimsuffix(s: Any, suffix: Any) -> Any:
    return string(s).removesuffix(string(suffix, "suffix"))


@register("startswith")
def _startswith(s: Any, prefix: Any) -> Any:
    p = string(prefix, "prefix")
    if isinstance(s, Unknown) and p == "":
        return True
    return string(s).startswith(p)


@register("endswith")
def _endswith(s: Any, suffix: Any) -> Any:
    return string(s).endswith(string(suffix, "suffix"))


@register("strcontains")
def _strcontains(s: Any, substr: Any) -> Any:
    return string(substr, "substr") in string(s)


@register("replace")
def _replace(s: Any, substr: Any, replacement: Any) -> Any:
    text, old, new = string(s), string(substr, "substr"), string(replacement, "replace")
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        from ekslint.linter.terraform.functions_regex import replace_regex

        return replace_regex(text, old[1:-1], new)  # RE2: linear time, whatever the pattern
    count = text.count(old) if old else len(text) + 1
    check_size(len(text) + count * (len(new) - len(old)))
    return text.replace(old, new)


@register("split")
def _split(separator: Any, s: Any) -> Any:
    sep, text = string(separator, "separator"), string(s)
    check_size(len(text) if sep == "" else text.count(sep) + 1, MAX_ITEMS)
    return list(text) if sep == "" else text.split(sep)


@register("join")
def _join(separator: Any, *lists: Any) -> Any:
    sep = string(separator, "separator")
    if not lists:
        raise EvalError("at least one list is required")
    items: list[str] = []
    size = 0
    for li, lst in enumerate(lists):
        values = string_items(seq(lst, "lists"), "lists")
        for i, v in enumerate(values):
            if isinstance(v, Unknown):
                raise NotKnown
            if v is None:
                where = f"element {i} of list {li + 1}" if len(lists) > 1 else f"element {i}"
                raise EvalError(f"{where} is null; cannot concatenate null values")
            size += len(v) + len(sep)
            check_size(size)
            items.append(v)
    return sep.join(items)


@register("indent")
def _indent(spaces: Any, s: Any) -> Any:
    n, text = whole(spaces, "spaces"), string(s)
    if n < 0:
        raise EvalError("the number of spaces must not be negative")
    check_size(len(text) + text.count("\n") * n)
    return text.replace("\n", "\n" + " " * n)


@register("sort")
def _sort(lst: Any) -> Any:
    values = string_items(seq(lst), "list")
    if any(isinstance(v, Unknown) for v in values):
        return UNKNOWN
    for i, v in enumerate(values):
        if v is None:
            raise EvalError(f"given list element {i} is null; a null string cannot be sorted")
    return sorted(values)
