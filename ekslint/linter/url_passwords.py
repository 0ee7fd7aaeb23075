"""The passwords of ``scheme://user:password@host`` URLs in a text, found in linear time.

Shared by the credential rules (a URL with a password is a credential under any key) and by
output redaction (no message may quote one). Both used to run the regular expression
``\\b[A-Za-z][A-Za-z0-9+.\\-]*://user:password@host``; on a scanned value such as
``"://@ " + "a." * 50_000`` each of the 50,000 starting letters ran its scheme to the end of the
text, looking for ``://`` (quadratic: minutes for 100 KB, and a scanned file is untrusted
input). Here each ``://`` is found once with ``str.find``; its scheme is read backwards from it
and its user and password forwards, so every character is looked at a bounded number of times.

The matches are those of the old expression, leftmost first and not overlapping: the scheme is
the run of scheme characters before ``://`` from its first ASCII letter that starts a word, the
user is everything up to the first ``:`` (no ``/?#@``, quotes, ``<>`` or white space), the
password everything up to the next ``@`` (no ``/?#``, quotes, ``<>`` or white space), and, when
asked for, the host is at least one character after it (no ``/?#:@``, quotes, ``<>`` or white
space).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ekslint.linter.lazyre import LazyPattern

# Spelled out: importing ``string`` compiles a regular expression at every start.
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SCHEME = frozenset(_LETTERS | set("0123456789+.-"))
_WORD = re.compile(r"\w")
#: After ``://``: user, ``:``, password, ``@``. Each class excludes the character that ends it,
#: so the match is found without backtracking.
_USERINFO = LazyPattern(r"(?P<user>[^:/?#@\s\"'<>]*):(?P<pw>[^@/?#\s\"'<>]+)@")
_HOST = re.compile(r"[^\s/?#:\"'<>@]+")


class UrlPassword(NamedTuple):
    """One ``scheme://user:password@`` in a text: offsets into it, and the user's name."""

    start: int  #: where the scheme starts
    user: str
    password_start: int
    password_end: int  #: the ``@`` after the password
    end: int  #: after the host (with ``host=True``) or after the ``@``


def _scheme_start(text: str, colon: int, earliest: int) -> int | None:
    """Where the scheme before the ``://`` at ``colon`` starts, not before ``earliest``: the first
    ASCII letter of the run of scheme characters that starts a word (``\\b``)."""
    first = colon
    while first > earliest and text[first - 1] in _SCHEME:
        first -= 1
    for k in range(first, colon):
        if text[k] in _LETTERS and (k == 0 or not _WORD.match(text[k - 1])):
            return k
    return None


def url_passwords(text: str, *, host: bool = True) -> Iterator[UrlPassword]:
    """Every ``scheme://user:password@`` in ``text`` (followed by a host when ``host``), in order."""
    earliest = 0  # no match starts before the end of the previous one
    colon = text.find("://")
    while colon != -1:
        start = _scheme_start(text, colon, earliest)
        m = _USERINFO.match(text, colon + 3) if start is not None else None
        end = m.end() if m else 0
        if m and host:
            h = _HOST.match(text, end)
            end = h.end() if h else 0
        if start is not None and m and end:
            yield UrlPassword(start, m.group("user"), m.start("pw"), m.end("pw"), end)
            earliest = end  # the match holds no "/", so the next "://" is after it
            colon = text.find("://", end)
        else:
            colon = text.find("://", colon + 1)
