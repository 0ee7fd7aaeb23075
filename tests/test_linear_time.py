"""Scanned values cannot make placeholder, credential or redaction matching take super-linear time.

A manifest is untrusted input: a 100 KB value built to make a regular expression backtrack
(``{{{{...``, ``"://@ " + "a." * N``) must not hang a scan or the writing of its report. Each case
runs the real entry points on 100 KB adversarial values with a generous bound (2 s, against the
many seconds to minutes the quadratic patterns took); the URL finder is also checked against the
regular expression it replaced, on generated text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ekslint.linter import placeholders
from ekslint.linter.formatters.escape import redact
from ekslint.linter.url_passwords import url_passwords
from ekslint.rules.secrets import _credentials as credentials

N = 50_000  # two-character units: 100 KB values
BOUND = 2.0

HOSTILE = {
    "braces": "{{" * N,  # \{\{.*?\}\} ran to the end of the text from every "{{"
    "url-scheme": "://@ " + "a." * N,  # the scheme of the URL patterns ran to the end from every letter
    "url-user": "a://" + "a" * (2 * N),  # user and password without ":" or "@"
    "dollar-brace": "${" * N,
    "dollar-paren": "$(" * N,
    "hash-brace": "#{" * N,
    "printf": "%(" * N,
    "percent-var": "%A" * N,
    "tokens": "__A" + "_A" * N,
    "at-var": "@a" * N,
    "slot": "{a" * N,
    "angle": "<a" * N,
    "upper-words": "-A" * N,
    "pem": "-----BEGIN PRIVATE KEY-----" * (2 * N // 27),
    "slack-token": "xoxb-" + "1" * (2 * N),
    "dotted": "a." * N,
}

ENTRY_POINTS: dict[str, Callable[[str], object]] = {
    "placeholders.is_placeholder": placeholders.is_placeholder,
    "credentials.is_placeholder": credentials.is_placeholder,
    "credentials.url_password": credentials.url_password,
    "credentials.value_hits": credentials.value_hits,
    "scan_value(password)": lambda v: credentials.scan_value("password", v),
    "scan_value(note)": lambda v: credentials.scan_value("note", v),
    "scan_value(SECRET_BLAH)": lambda v: credentials.scan_value("SECRET_BLAH", v),
    "redact": redact,
}


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
@pytest.mark.parametrize("entry", list(ENTRY_POINTS.values()), ids=list(ENTRY_POINTS))
def test_hostile_values_take_linear_time(entry: Callable[[str], object], value: str) -> None:
    start = time.monotonic()
    entry(value)
    assert time.monotonic() - start < BOUND


def test_redact_still_masks_after_a_hostile_prefix() -> None:
    text = "://@ " + "a." * N + " postgres://app:s3cr3t@db/x"
    assert redact(text).endswith(" postgres://app:****@db/x")


#: The expressions :func:`url_passwords` replaced (credential rules; redaction).
OLD_WITH_HOST = re.compile(
    r"\b[A-Za-z][A-Za-z0-9+.\-]*://(?P<user>[^:/?#@\s\"'<>]*):(?P<pw>[^@/?#\s\"'<>]+)@(?P<host>[^\s/?#:\"'<>@]+)"
)
OLD_REDACT = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s\"'<>]*:)([^@/?#\s\"'<>]+)(@)")


@given(st.text(alphabet="ab1_.+-:/@ #?\"'<>\né", max_size=40))
def test_url_passwords_match_the_old_expressions(text: str) -> None:
    with_host = [(u.start, u.user, u.password_start, u.password_end, u.end) for u in url_passwords(text)]
    assert with_host == [
        (m.start(), m.group("user"), m.start("pw"), m.end("pw"), m.end()) for m in OLD_WITH_HOST.finditer(text)
    ]
    without = [(u.start, u.password_start, u.password_end, u.end) for u in url_passwords(text, host=False)]
    assert without == [(m.start(), m.start(2), m.end(2), m.end()) for m in OLD_REDACT.finditer(text)]
