"""Fixture harness: run one rule over a fixture and read the findings it must give.

The helpers live in :mod:`ekslint.testing` (plugin authors use them too); this module adds what
only ekslint's own suite needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ekslint.testing import (  # noqa: F401  (the suite imports them from here)
    AS_OF,
    EXPECT,
    SETTINGS_LINE,
    SUFFIXES,
    expected,
    fixture_files,
    fixture_settings,
    found,
    run,
)

FIXTURES = Path(__file__).parent / "fixtures"


def deny_open(monkeypatch: Any, name: str) -> None:
    """Make opening any file called ``name`` fail with EACCES, as it would for another user:
    tests run as root here, where ``chmod 000`` stops nothing."""
    real_open = Path.open

    def fake_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", fake_open)
