"""CRDs come from the scanned repository: their regex patterns must not be able to hang a scan."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.rules.input._validate import catastrophic

DATA = Path(__file__).parent / "data" / "redos-crd.yaml"


@pytest.mark.parametrize(
    ("pattern", "dangerous"),
    [
        ("(a+)+$", True),
        ("^((a+)?)+$", True),
        ("(\\w*\\.?)*x", True),
        ("^(([a-z])+.)+[A-Z]([a-z])+$", True),
        ("^[a-z]+$", False),
        ("^([a-z0-9]+(-[a-z0-9]+)*)$", False),  # DNS-1123 label
        ("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", False),  # DNS-1123 subdomain
        ("^(\\d+(\\.\\d+)*)$", False),
    ],
)
def test_catastrophic_patterns_are_recognised(pattern: str, dangerous: bool) -> None:
    assert catastrophic(pattern) is dangerous


def test_evil_crd_pattern_does_not_hang_the_scan() -> None:
    start = time.monotonic()
    report = lint([str(DATA)], Settings(root=DATA.parent, enable=["schema-invalid"], disable=["all"]), cwd=DATA.parent)
    assert time.monotonic() - start < 30  # exponential backtracking would take hours
    assert not report.errors
