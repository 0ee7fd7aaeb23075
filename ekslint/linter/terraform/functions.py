"""Terraform's built-in functions for the static evaluator: what ``plan`` would compute, or unknown.

:data:`FUNCTIONS` maps each function name to its implementation, which takes the already
evaluated arguments (values as :mod:`.values` describes them); :func:`call` looks a name up and
spreads a final ``...`` argument. The implementations live by family:
:mod:`.functions_numeric`, :mod:`.functions_strings` (``format`` included),
:mod:`.functions_collections`, :mod:`.functions_encoding`, :mod:`.functions_net`; the type
conversions and the pass-through functions are here. :mod:`.functions_core` holds what they share,
including the conversions the evaluator uses for operators and attribute types
(:func:`to_number`, :func:`to_string`, :func:`to_bool`, :func:`to_list`, :func:`to_map`,
:func:`equal`, :func:`number_result`), re-exported here.

Unknowns (see :mod:`.values`): a function whose result depends on an unknown argument returns
:data:`UNKNOWN`; one whose result does not, answers (``length([UNKNOWN, UNKNOWN])`` is 2,
``coalesce(null, "a", UNKNOWN)`` is ``"a"``, ``merge({a = UNKNOWN}, {a = 1})`` is ``{a = 1}``);
items are passed on as they are, so ``element(aws_subnet.private[*].id, 1)`` is still the
:class:`~.values.Ref` to that subnet's id.

Unknown on purpose, never evaluated (they return :data:`UNKNOWN` whatever their arguments):

* the file system: ``file``, ``fileexists``, ``fileset``, ``filebase64``, ``filemd5``,
  ``filesha1``, ``filesha256``, ``filesha512``, ``filebase64sha256``, ``filebase64sha512``,
  ``templatefile``, ``templatestring`` (it renders a template read from elsewhere), ``abspath`` of
  a relative path (it depends on the working directory) and ``pathexpand`` of ``~`` (the home
  directory): a lint run must not read the machine it runs on, and the scanned files are not
  where Terraform would run;
* the clock and randomness: ``timestamp``, ``plantimestamp``, ``timeadd``, ``timecmp``,
  ``formatdate``, ``uuid``, ``bcrypt`` (salted);
* ``base64gzip`` (the bytes of Go's gzip writer are not reproducible), ``rsadecrypt`` (a private
  key, usually from a file), ``issensitive`` (sensitivity is not tracked).

``sensitive`` and ``nonsensitive`` return their argument, ``ephemeralasnull`` too when it is wholly
known (ephemeral values come from ephemeral resources, which are unknown here). ``can`` and ``try``
are not functions here: the evaluator evaluates their arguments lazily. ``type`` exists only in
``terraform console``, and provider-defined functions (``provider::aws::arn_parse``) are not
known to a static reader: calling any of them is an "unknown function" error, like a typo.

Hostile input: a scanned repository is hostile, so every result a function builds is bounded
(:data:`~.functions_core.MAX_STRING` characters, :data:`~.functions_core.MAX_ITEMS` items,
:data:`~.functions_core.MAX_DEPTH` levels, :data:`~.functions_core.MAX_VISITS` values visited,
numbers within ±2**1024, numerals of 4,300 characters, ``format`` widths of 4,096, YAML documents
of 1 MB). A result past a bound that Terraform would compute is :data:`UNKNOWN`, not an error (an
error would make ``try`` pick its fallback); ``range`` beyond 1,024 values is an error because it
is one in Terraform. Every failure is an :class:`~.values.EvalError`, never another exception.
"""

from __future__ import annotations

import posixpath
from typing import Any

from ekslint.linter.terraform import (
    functions_collections,
    functions_encoding,
    functions_net,
    functions_numeric,
    functions_regex,
    functions_strings,
)
from ekslint.linter.terraform.functions_core import (
    FUNCTIONS,
    NotKnown,
    equal,
    fully_known,
    make_set,
    number_result,
    register,
    string,
    to_bool,
    to_list,
    to_map,
    to_number,
    to_string,
    unknown_result,
)
from ekslint.linter.terraform.values import UNKNOWN, EvalError, Unknown, type_name

__all__ = [
    "FUNCTIONS",
    "UNKNOWN_ON_PURPOSE",
    "call",
    "equal",
    "number_result",
    "to_bool",
    "to_list",
    "to_map",
    "to_number",
    "to_string",
]

#: The family modules register their functions when imported.
_FAMILIES = (
    functions_collections,
    functions_encoding,
    functions_net,
    functions_numeric,
    functions_regex,
    functions_strings,
)

#: Functions that are unknown whatever their arguments (see the module docstring for why).
UNKNOWN_ON_PURPOSE = frozenset(
    {
        "file",
        "fileexists",
        "fileset",
        "filebase64",
        "filebase64sha256",
        "filebase64sha512",
        "filemd5",
        "filesha1",
        "filesha256",
        "filesha512",
        "templatefile",
        "templatestring",
        "timestamp",
        "plantimestamp",
        "timeadd",
        "timecmp",
        "formatdate",
        "uuid",
        "bcrypt",
        "base64gzip",
        "rsadecrypt",
        "issensitive",
    }
)
register(*UNKNOWN_ON_PURPOSE)(unknown_result)


# --- type conversion -----------------------------------------------------------------------------


@register("tonumber")
def _tonumber(v: Any) -> Any:
    if v is None or isinstance(v, Unknown):
        return None if v is None else UNKNOWN
    return to_number(v)


@register("tostring")
def _tostring(v: Any) -> Any:
    return None if v is None else to_string(v)  # tostring(aws_subnet.a.id) still names that subnet


@register("tobool")
def _tobool(v: Any) -> Any:
    if v is None or isinstance(v, Unknown):
        return None if v is None else UNKNOWN
    return to_bool(v)


@register("tolist")
def _tolist(v: Any) -> Any:
    return None if v is None else to_list(v)


@register("tomap")
def _tomap(v: Any) -> Any:
    return None if v is None else to_map(v)


@register("toset")
def _toset(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, Unknown):
        raise NotKnown
    if not isinstance(v, list):
        raise EvalError(f"cannot convert {type_name(v)} to set of any single type")
    return make_set(v)


# --- pass-through and paths ----------------------------------------------------------------------


@register("sensitive", "nonsensitive")
def _identity(value: Any) -> Any:
    return value


@register("ephemeralasnull")
def _ephemeralasnull(value: Any) -> Any:
    return value if fully_known(value) else UNKNOWN


def go_clean(path: str) -> str:
    """Go's ``filepath.Clean`` on a slash-separated path (``posixpath.normpath`` keeps ``//``)."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    return "/" + cleaned if rooted else cleaned or "."


@register("dirname")
def _dirname(path: Any) -> Any:
    p = string(path, "path")
    return go_clean(p[: p.rfind("/") + 1])


@register("basename")
def _basename(path: Any) -> Any:
    p = string(path, "path").rstrip("/")
    if p == "":
        return "/" if string(path, "path") else "."
    return p[p.rfind("/") + 1 :]


@register("abspath")
def _abspath(path: Any) -> Any:
    p = string(path, "path")
    if not posixpath.isabs(p):
        raise NotKnown  # relative to the directory Terraform runs in
    return go_clean(p)


@register("pathexpand")
def _pathexpand(path: Any) -> Any:
    p = string(path, "path")
    if p == "~" or p.startswith("~/"):
        raise NotKnown  # the home directory of whoever runs Terraform
    return p


#: Every built-in function is also ``core::name`` (Terraform's namespace for them).
FUNCTIONS.update({"core::" + name: fn for name, fn in list(FUNCTIONS.items())})


# --- calling ------------------------------------------------------------------------------------


def call(name: str, args: list[Any], expand_last: bool = False) -> Any:
    """Call the Terraform function ``name`` with evaluated ``args``.

    ``expand_last``: the call was written ``f(a, b...)``; the last argument is a list whose items
    become arguments (an unknown one makes the result unknown). ``core::name`` is ``name``.
    Raises :class:`EvalError` for an unknown function (a provider-defined ``provider::x::y`` one
    included), a wrong number of arguments, or whatever Terraform would reject.
    """
    fn = FUNCTIONS.get(name)
    if fn is None:
        raise EvalError(f"unknown function {name!r}")
    if expand_last:
        if not args:
            raise EvalError("invalid expanding argument value: there is no argument to expand")
        last = args[-1]
        if isinstance(last, Unknown):
            return UNKNOWN
        if last is None:
            raise EvalError(
                "invalid expanding argument value: the expanding argument (indicated by ...) must not be null"
            )
        if not isinstance(last, list):
            raise EvalError(
                "invalid expanding argument value: the expanding argument (indicated by ...) must be of a tuple, "
                f"list, or set type, not {type_name(last)}"
            )
        args = [*args[:-1], *last]
    return fn(*args)
