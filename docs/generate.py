#!/usr/bin/env python3
"""Write docs/rules/<id>.md, docs/rules/README.md and the README rule table.

python docs/generate.py          # write
python docs/generate.py --check  # exit 1 when anything is stale (the test suite does this too)
"""

from __future__ import annotations

import sys
from pathlib import Path

from ekslint.linter.registry import load_rules
from ekslint.linter.ruledocs import index_page, readme_with_table, rule_page

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "rules"


def expected() -> dict[Path, str]:
    registry = load_rules()
    files = {OUT / f"{rid}.md": rule_page(meta) for rid, meta in registry.items()}
    files[OUT / "README.md"] = index_page(registry)
    readme = ROOT / "README.md"
    files[readme] = readme_with_table(readme.read_text(encoding="utf-8"), registry)
    return files


def stale() -> list[Path]:
    want = expected()
    out = [p for p, text in want.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    out += [p for p in OUT.glob("*.md") if p not in want]
    return sorted(out)


def main() -> int:
    if "--check" in sys.argv:
        bad = stale()
        for path in bad:
            print(f"stale: {path.relative_to(ROOT)}")
        return 1 if bad else 0
    OUT.mkdir(parents=True, exist_ok=True)
    want = expected()
    for path in OUT.glob("*.md"):
        if path not in want:
            path.unlink()
    for path, text in want.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(want)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
