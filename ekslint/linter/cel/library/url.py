"""Kubernetes' URL library: ``url()``, ``isURL()`` and the ``get*`` accessors.

Kubernetes checks a string with Go's ``url.ParseRequestURI`` (an absolute URL, or an absolute
path) and then reads it with ``url.Parse``; this module follows the parts of both that decide
the answers: the scheme grammar, the authority (host and a numeric port, IPv6 in brackets),
control characters refused, and ``getEscapedPath`` escaping what Go's ``EscapedPath`` escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from cel_expr_python import cel

from ekslint.linter.cel.library.wrapped import URL, WRAPPED, CelFunctionError, Functions, unwrap, wrap

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(.*)$", re.S)
_HOST_CHARS = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=%]*$")
_PORT = re.compile(r"^[0-9]*$")
#: What Go leaves unescaped in a path (``shouldEscape`` in ``encodePath`` mode).
_PATH_SAFE = "/-._~!$&'()*+,;=:@"
_VALID_ENCODED = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/\[\]]|%[0-9A-Fa-f]{2})*$")


@dataclass(frozen=True)
class ParsedURL:
    scheme: str
    host: str
    path: str
    query: str


def parse_url(text: str) -> ParsedURL:
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise ValueError("URL parse error during conversion from string: net/url: invalid control character in URL")
    rest, _, _fragment = text.partition("#")
    m = _SCHEME.match(rest)
    if m is None:
        if not rest.startswith("/"):
            raise ValueError(f"URL parse error during conversion from string: parse {text!r}: invalid URI for request")
        scheme, rest = "", rest
    else:
        scheme, rest = m.group(1).lower(), m.group(2)
    rest, _, query = rest.partition("?")
    host = ""
    if rest.startswith("//"):
        authority, slash, path = rest[2:].partition("/")
        rest = slash + path
        host = authority.rpartition("@")[2]
        _check_host(host, text)
    return ParsedURL(scheme, host, rest, query)


def _check_host(host: str, text: str) -> None:
    if host.startswith("["):
        close = host.find("]")
        if close < 0:
            raise ValueError(f"URL parse error during conversion from string: parse {text!r}: missing ']' in host")
        port = host[close + 1 :]
        if port and (not port.startswith(":") or not _PORT.match(port[1:])):
            raise ValueError(f"URL parse error during conversion from string: parse {text!r}: invalid port {port!r}")
        return
    name, colon, port = host.rpartition(":") if ":" in host else (host, "", "")
    if colon and not _PORT.match(port):
        raise ValueError(f"URL parse error during conversion from string: parse {text!r}: invalid port {':' + port!r}")
    if not _HOST_CHARS.match(name):
        raise ValueError(
            f"URL parse error during conversion from string: parse {text!r}: invalid character in host name"
        )


def url(text: str) -> dict[str, str]:
    try:
        parse_url(text)
    except ValueError as exc:
        raise CelFunctionError(str(exc)) from None
    return wrap(URL, text)


def is_url(text: str) -> bool:
    try:
        parse_url(text)
    except ValueError:
        return False
    return True


def _parsed(value: Any, function: str) -> ParsedURL:
    return parse_url(unwrap(URL, value, function))


def hostname(u: ParsedURL) -> str:
    host = u.host
    if host.startswith("["):
        return host[1 : host.find("]")]
    return host.rpartition(":")[0] if ":" in host else host


def port(u: ParsedURL) -> str:
    host = u.host
    if host.startswith("["):
        rest = host[host.find("]") + 1 :]
        return rest[1:] if rest.startswith(":") else ""
    return host.rpartition(":")[2] if ":" in host else ""


def escaped_path(u: ParsedURL) -> str:
    if _VALID_ENCODED.match(u.path):  # already a valid escaping: Go returns RawPath as written
        return u.path
    return quote(unquote(u.path), safe=_PATH_SAFE)


def query(u: ParsedURL) -> dict[str, list[str]]:
    return parse_qs(u.query, keep_blank_values=True)


def register(fns: Functions) -> None:
    S, B = cel.Type.STRING, cel.Type.BOOL
    fns.add("url", "string_to_url", WRAPPED, [S], url)
    fns.add("isURL", "is_url_string", B, [S], is_url)
    fns.add("getScheme", "url_get_scheme", S, [WRAPPED], lambda v: _parsed(v, "getScheme").scheme, member=True)
    fns.add("getHost", "url_get_host", S, [WRAPPED], lambda v: _parsed(v, "getHost").host, member=True)
    fns.add("getHostname", "url_get_hostname", S, [WRAPPED], lambda v: hostname(_parsed(v, "getHostname")), member=True)
    fns.add("getPort", "url_get_port", S, [WRAPPED], lambda v: port(_parsed(v, "getPort")), member=True)
    fns.add(
        "getEscapedPath",
        "url_get_escaped_path",
        S,
        [WRAPPED],
        lambda v: escaped_path(_parsed(v, "getEscapedPath")),
        member=True,
    )
    fns.add(
        "getQuery",
        "url_get_query",
        cel.Type.Map(S, cel.Type.List(S)),
        [WRAPPED],
        lambda v: query(_parsed(v, "getQuery")),
        member=True,
    )
