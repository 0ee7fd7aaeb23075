"""Regular expressions that come from the scanned files, run on RE2: linear time, whatever the pattern.

Python's ``re`` backtracks, so a pattern written by whoever wrote the scanned repository
(``^(a|a)+$``, ``^(-?a+)+$``, ``^a*a*a*a*a*a*$``) can take minutes or hours on a 40-character
value. No heuristic recognises every such shape. Google's RE2 (the ``google-re2`` package) matches
in time linear in the input for every pattern, and it is also what the tools being emulated run:
Go's ``regexp`` package is RE2, and it is what the API server compiles a CRD's ``pattern`` with and
what Terraform's ``regex()`` functions use. A pattern RE2 rejects (backreferences, lookaround) is
one Go rejects too: the API server refuses such a CRD, Terraform fails the call.

:func:`compile_linear` compiles a pattern; :class:`LinearPattern` runs it on any Python string.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ekslint.linter.lazyre import LazyPattern

#: Longest pattern compiled (RE2 bounds the work per input character; this bounds compiling).
MAX_PATTERN = 10_000

_SURROGATE = LazyPattern("[\ud800-\udfff]")


class PatternError(ValueError):
    """RE2 (and so Go's ``regexp``) rejects the pattern; the message says why."""


class PatternTooLong(PatternError):
    """The pattern is longer than :data:`MAX_PATTERN` characters."""


def _readable(text: str) -> str:
    """``text`` as RE2 can read it: RE2 reads UTF-8, which cannot hold a lone surrogate (a file name
    that is not UTF-8, a ``"\\ud800"`` escape in YAML or HCL). Each becomes U+FFFD, as Go reads an
    invalid UTF-8 sequence; positions in the string do not move."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


class LinearPattern:
    """A compiled RE2 pattern with the ``re.Pattern`` methods ekslint uses; matches are RE2's
    (``re``-like ``group``, ``groups``, ``start``, ``end``), positions count characters."""

    __slots__ = ("_re2",)

    def __init__(self, compiled: Any) -> None:
        self._re2 = compiled

    @property
    def pattern(self) -> str:
        return str(self._re2.pattern)

    @property
    def groups(self) -> int:
        return int(self._re2.groups)

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(self._re2.groupindex)

    def search(self, text: str) -> Any:
        return self._re2.search(_readable(text))

    def match(self, text: str) -> Any:
        return self._re2.match(_readable(text))

    def fullmatch(self, text: str) -> Any:
        return self._re2.fullmatch(_readable(text))

    def finditer(self, text: str) -> Iterator[Any]:
        return iter(self._re2.finditer(_readable(text)))


@lru_cache(maxsize=1024)
def compile_linear(pattern: str) -> LinearPattern:
    """Compile ``pattern`` with RE2's default (Go's) syntax; :class:`PatternError` when RE2 rejects it
    (:class:`PatternTooLong` when it is too long to try)."""
    if len(pattern) > MAX_PATTERN:
        raise PatternTooLong(f"pattern longer than {MAX_PATTERN} characters")
    import re2  # about 3 ms; only scans that compile such a pattern pay for it

    options = re2.Options()
    options.log_errors = False  # RE2 would print parse errors on stderr
    try:
        return LinearPattern(re2.compile(_readable(pattern), options))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "rejected"
        raise PatternError(reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)) from None
