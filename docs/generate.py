#!/usr/bin/env python3
"""Write docs/rules/<id>.md, docs/rules/README.md, the README rule table and the rule index.

python docs/generate.py          # write
python docs/generate.py --check  # exit 1 when anything is stale (the test suite does this too)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ekslint.linter.registry import IndexEntry, Level, RuleMeta, declared_rules
from ekslint.linter.ruledocs import index_page, readme_with_table, rule_page

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "rules"
INDEX = ROOT / "ekslint" / "rules" / "_index.py"

INDEX_HEADER = '''"""Every rule's metadata, so that a scan imports only the modules of the rules it runs.

Generated from the rule modules by ``python docs/generate.py``: do not edit (a test fails when it
is stale). ``ekslint.linter.registry.load_rules`` builds the registry from it.
"""

from ekslint.linter.registry import IndexEntry, Level

RULES: tuple[IndexEntry, ...] = (
'''


def expected() -> dict[Path, str]:
    registry = declared_rules()  # what the modules say, not the index being checked
    files = {OUT / f"{rid}.md": rule_page(meta) for rid, meta in registry.items()}
    files[OUT / "README.md"] = index_page(registry)
    readme = ROOT / "README.md"
    files[readme] = readme_with_table(readme.read_text(encoding="utf-8"), registry)
    files[INDEX] = rule_index(registry)
    return files


def rule_index(registry: dict[str, RuleMeta]) -> str:
    """``ekslint/rules/_index.py``: one ``IndexEntry`` per rule, in declaration order, with the
    fields that differ from the defaults, laid out as ``ruff format`` leaves it."""
    defaults = IndexEntry._field_defaults
    out = [INDEX_HEADER]
    for meta in registry.values():
        out.append("    IndexEntry(\n")
        for name, value in IndexEntry.of(meta)._asdict().items():
            if name not in defaults or value != defaults[name]:
                out.append(_field(name, value))
        out.append("    ),\n")
    out.append(")\n")
    return "".join(out)


def _field(name: str, value: object) -> str:
    """``name=value,`` on one line when it fits in ruff's 120 columns, else one item a line."""
    line = f"        {name}={_literal(value)},\n"
    if len(line) <= 121 or not isinstance(value, tuple):
        return line
    items = "".join(f"            {_literal(v)},\n" for v in value)
    return f"        {name}=(\n{items}        ),\n"


def _literal(value: object) -> str:
    if isinstance(value, Level):
        return f"Level.{value.name}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        inner = ", ".join(_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


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
