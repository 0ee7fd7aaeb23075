"""Generated docs (docs/rules and the README rule table) must be current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_generated_docs_are_current() -> None:
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stale = [str(p.relative_to(ROOT)) for p in module.stale()]
    assert stale == [], "run `python docs/generate.py`"
