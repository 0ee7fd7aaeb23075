"""Kubernetes' semver library: ``semver()``, ``isSemver()``, ``major/minor/patch`` and comparisons.

Versions are Semantic Versioning 2.0.0 as blang/semver (what Kubernetes uses) parses them; with
``normalize`` true, a leading ``v`` and missing minor or patch numbers are accepted
(``v1.2`` is ``1.2.0``), as ``semver(string, true)`` does in Kubernetes.
"""

from __future__ import annotations

import re
from typing import Any

from cel_expr_python import cel

from ekslint.linter.cel.library.wrapped import SEMVER, WRAPPED, CelFunctionError, Functions, unwrap, wrap

_NUM = r"(0|[1-9][0-9]*)"
_IDENT = r"[0-9A-Za-z-]+"
_SEMVER = re.compile(rf"^{_NUM}\.{_NUM}\.{_NUM}(?:-({_IDENT}(?:\.{_IDENT})*))?(?:\+({_IDENT}(?:\.{_IDENT})*))?$")
_LOOSE = re.compile(r"^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(.*)$")


def parse(text: str, normalize: bool = False) -> tuple[int, int, int, tuple[str, ...]]:
    if normalize:
        m = _LOOSE.match(text)
        if m:
            major, minor, patch, rest = m.groups()
            text = f"{int(major)}.{int(minor or 0)}.{int(patch or 0)}{rest}"
    m = _SEMVER.match(text)
    if not m or len(text) > 256:
        raise ValueError(f"invalid semver: {text!r}")
    pre = tuple(m.group(4).split(".")) if m.group(4) else ()
    for part in pre:
        if part.isdigit() and len(part) > 1 and part.startswith("0"):
            raise ValueError(f"invalid semver: {text!r}: numeric prerelease with a leading zero")
    return int(m.group(1)), int(m.group(2)), int(m.group(3)), pre


def _text(v: tuple[int, int, int, tuple[str, ...]]) -> str:
    return f"{v[0]}.{v[1]}.{v[2]}" + (f"-{'.'.join(v[3])}" if v[3] else "")


def semver(text: str, normalize: bool = False) -> dict[str, str]:
    try:
        return wrap(SEMVER, _text(parse(text, normalize)))
    except ValueError as exc:
        raise CelFunctionError(str(exc)) from None


def is_semver(text: str, normalize: bool = False) -> bool:
    try:
        parse(text, normalize)
    except ValueError:
        return False
    return True


def _version(v: Any, function: str) -> tuple[int, int, int, tuple[str, ...]]:
    return parse(unwrap(SEMVER, v, function))


def _pre_key(pre: tuple[str, ...]) -> tuple[Any, ...]:
    # A release sorts after its prereleases; numeric identifiers before alphanumeric ones.
    if not pre:
        return ((2,),)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre)


def compare_to(a: Any, b: Any) -> int:
    va, vb = _version(a, "compareTo"), _version(b, "compareTo")
    ka, kb = (va[:3], _pre_key(va[3])), (vb[:3], _pre_key(vb[3]))
    return 0 if ka == kb else 1 if ka > kb else -1


def register(fns: Functions) -> None:
    S, B, INT = cel.Type.STRING, cel.Type.BOOL, cel.Type.INT
    fns.add("semver", "semver_string", WRAPPED, [S], semver)
    fns.add("semver", "semver_string_bool", WRAPPED, [S, B], semver)
    fns.add("isSemver", "isSemver_string", B, [S], is_semver)
    fns.add("isSemver", "isSemver_string_bool", B, [S, B], is_semver)
    fns.add("major", "semver_major", INT, [WRAPPED], lambda v: _version(v, "major")[0], member=True)
    fns.add("minor", "semver_minor", INT, [WRAPPED], lambda v: _version(v, "minor")[1], member=True)
    fns.add("patch", "semver_patch", INT, [WRAPPED], lambda v: _version(v, "patch")[2], member=True)
