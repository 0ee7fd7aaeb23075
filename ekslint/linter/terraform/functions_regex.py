"""Terraform's regular-expression functions: ``regex``, ``regexall`` and ``replace`` with ``/re/``.

Terraform runs these with Go's ``regexp`` package, which is RE2: linear-time matching, no
backreferences or lookaround. ekslint runs them with Google's RE2 itself (the ``google-re2``
package), so a pattern means what it means to Terraform, and a pattern from a hostile
repository (``^(a|a)+$`` against 100 KB) cannot backtrack: RE2's matching time is linear in the
input (see :mod:`ekslint.linter.linear_regex`). Patterns RE2 rejects are an error, as in Terraform.
Patterns longer than :data:`~ekslint.linter.linear_regex.MAX_PATTERN` characters are refused (unknown).

The VPC module's own source tells AZ names from zone ids with
``length(regexall("^[a-z]{2}-", element(var.azs, count.index))) > 0``: that is why these are
evaluated rather than left unknown.
"""

from __future__ import annotations

from typing import Any

from ekslint.linter.linear_regex import LinearPattern, PatternError, PatternTooLong, compile_linear
from ekslint.linter.terraform.functions_core import MAX_ITEMS, NotKnown, check_size, register, string
from ekslint.linter.terraform.values import EvalError


def _compile(pattern: str) -> LinearPattern:
    try:
        return compile_linear(pattern)
    except PatternTooLong:
        raise NotKnown from None
    except PatternError as exc:  # RE2 (and so Terraform) rejects the pattern
        raise EvalError(f"invalid regular expression {pattern[:80]!r}: {exc}") from None


def _result(compiled: LinearPattern, match: Any) -> Any:
    """What Terraform makes of one match: the whole match, a list of groups, or a map of names."""
    names = compiled.groupindex
    if compiled.groups == 0:
        return match.group(0)
    if names and len(names) != compiled.groups:
        raise EvalError("patterns cannot mix named and unnamed capture groups")
    if names:
        return {name: match.group(i) or "" for name, i in names.items()}
    return [g or "" for g in match.groups()]


@register("regex")
def _regex(pattern: Any, s: Any) -> Any:
    compiled = _compile(string(pattern, "pattern"))
    match = compiled.search(string(s, "string"))
    if match is None:
        raise EvalError("pattern did not match any part of the given string")
    return _result(compiled, match)


@register("regexall")
def _regexall(pattern: Any, s: Any) -> Any:
    compiled = _compile(string(pattern, "pattern"))
    out = []
    for match in compiled.finditer(string(s, "string")):
        out.append(_result(compiled, match))
        check_size(len(out), MAX_ITEMS)
    return out


def replace_regex(text: str, pattern: str, replacement: str) -> str:
    """``replace(text, "/pattern/", replacement)``: ``$1``, ``${1}``, ``$name`` and ``${name}``
    in the replacement are the match's groups, ``$$`` is a dollar sign (Go's ``Expand``)."""
    compiled = _compile(pattern)
    out: list[str] = []
    size = 0
    at = 0
    for match in compiled.finditer(text):
        out.append(text[at : match.start()])
        out.append(_expand(replacement, match, compiled))
        at = match.end()
        size += len(out[-1]) + len(out[-2])
        check_size(size)
    out.append(text[at:])
    return "".join(out)


def _expand(template: str, match: Any, compiled: LinearPattern) -> str:
    out: list[str] = []
    i = 0
    while i < len(template):
        c = template[i]
        if c != "$" or i + 1 >= len(template):
            out.append(c)
            i += 1
            continue
        if template[i + 1] == "$":
            out.append("$")
            i += 2
            continue
        if template[i + 1] == "{":
            end = template.find("}", i + 2)
            if end < 0:
                out.append(c)
                i += 1
                continue
            name, i = template[i + 2 : end], end + 1
        else:
            j = i + 1
            while j < len(template) and (template[j].isalnum() or template[j] == "_"):
                j += 1
            name, i = template[i + 1 : j], j
            if not name:
                out.append("$")
                continue
        out.append(_group(match, compiled, name))
    return "".join(out)


def _group(match: Any, compiled: LinearPattern, name: str) -> str:
    if name.isdigit():
        n = int(name)
        return (match.group(n) or "") if n <= compiled.groups else ""
    index = compiled.groupindex.get(name)
    return (match.group(index) or "") if index is not None else ""
