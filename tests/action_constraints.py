"""The action's constraints file (``action-constraints.txt``), read as ``{canonical name: version}``."""

from __future__ import annotations

from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

CONSTRAINTS = Path(__file__).resolve().parents[1] / "action-constraints.txt"


def constraints() -> dict[str, str]:
    """Every line is ``name==version`` (or a comment): a range would let the install drift."""
    pins: dict[str, str] = {}
    for line in CONSTRAINTS.read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        req = Requirement(text)
        (spec,) = req.specifier
        assert spec.operator == "==" and not req.marker and not req.extras, f"not an exact pin: {line}"
        name = canonicalize_name(req.name)
        assert name not in pins, f"pinned twice: {name}"
        pins[name] = spec.version
    return pins
