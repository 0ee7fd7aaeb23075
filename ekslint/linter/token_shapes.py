"""Well-known token formats: credentials whatever key holds them, and never anything else.

GitHub (classic and fine-grained), GitLab, Slack, Stripe live keys, Google API keys, npm and
SendGrid tokens are each a fixed prefix and one bounded character class, so each pattern runs in
linear time. The credential rules report them (``ekslint/rules/secrets/_credentials.py``), and
every output masks them (:func:`ekslint.linter.formatters.escape.redact`): another rule can quote
the same value, as an image name or an annotation.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ekslint.linter.lazyre import LazyPattern


class TokenShape(NamedTuple):
    """One token format: what to call it, the prefixes it starts with, and its whole shape."""

    what: str
    prefixes: tuple[str, ...]
    pattern: LazyPattern


TOKEN_SHAPES = (
    TokenShape(
        "a GitHub token",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        LazyPattern(r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b"),
    ),
    TokenShape("a GitLab token", ("glpat-",), LazyPattern(r"\bglpat-[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])")),
    TokenShape(
        "a Slack token",
        tuple(f"xox{c}-" for c in "abposr"),
        LazyPattern(r"\bxox[abposr]-[0-9]{6,}-[A-Za-z0-9-]{10,100}"),
    ),
    TokenShape("a Stripe live key", ("rk_live_", "sk_live_"), LazyPattern(r"\b[rs]k_live_[A-Za-z0-9]{24,99}\b")),
    TokenShape("a Google API key", ("AIza",), LazyPattern(r"\bAIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])")),
    TokenShape("an npm token", ("npm_",), LazyPattern(r"\bnpm_[A-Za-z0-9]{36}\b")),
    TokenShape(
        "a SendGrid API key", ("SG.",), LazyPattern(r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
    ),
)
#: Text holding none of these holds no token: the patterns are skipped on most text.
MARKERS = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xox", "k_live_", "AIza", "npm_", "SG.")
_MASK = "****"


def may_hold_token(text: str) -> bool:
    return any(marker in text for marker in MARKERS)


def mask_tokens(text: str) -> str:
    """``text`` with every token of :data:`TOKEN_SHAPES` cut to its prefix and ``****``
    (``ghp_****``), placeholders included: a mask loses nothing a reader needs."""
    if not may_hold_token(text):
        return text
    for shape in TOKEN_SHAPES:

        def masked(m: re.Match[str], prefixes: tuple[str, ...] = shape.prefixes) -> str:
            token = m.group()
            return next((p for p in prefixes if token.startswith(p)), "") + _MASK

        text = shape.pattern.sub(masked, text)
    return text
