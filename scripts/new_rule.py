#!/usr/bin/env python3
"""Scaffold a rule: its module, its doc and its fixture folder.

    python scripts/new_rule.py pdb-blocks-drain availability --level error --title "..."

The id must be in ../shared/rules.md's catalogue (tests/data/catalogue.txt); the family is the
``ekslint/rules/<family>/`` package. Fill in the check, the doc sections and the fixtures, then
run ``python docs/generate.py`` (the rule index lists it: scans run only indexed rules) and
``pytest -k <id>``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MODULE = '''"""{id}: {title}."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule


@rule(id="{id}", title="{title}", level=Level.{level}, targets=(K8sObject,), tags=())
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    return iter(())
'''

DOC = """## What it does
TODO: one or two sentences (the SARIF short description).

## Why is this bad?
TODO

## How to fix
TODO

## Example
```yaml
# TODO: a manifest that this rule reports
```

## Use instead
```yaml
# TODO: the same manifest, fixed
```

## References
- TODO
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("id")
    parser.add_argument("family")
    parser.add_argument("--level", choices=("error", "warning", "note"), default="warning")
    parser.add_argument("--title", default="TODO")
    args = parser.parse_args()
    catalogue = (ROOT / "tests" / "data" / "catalogue.txt").read_text().split()
    if args.id not in catalogue:
        print(f"{args.id} is not in the catalogue (tests/data/catalogue.txt)", file=sys.stderr)
        return 2
    package = ROOT / "ekslint" / "rules" / args.family
    if not package.is_dir():
        print(f"no family package {package}", file=sys.stderr)
        return 2
    stem = args.id.replace("-", "_")
    module, doc = package / f"{stem}.py", package / f"{stem}.md"
    fixtures = ROOT / "tests" / "fixtures" / args.id
    if module.exists():
        print(f"{module} exists", file=sys.stderr)
        return 2
    module.write_text(MODULE.format(id=args.id, title=args.title, level=args.level.upper()))
    doc.write_text(DOC)
    fixtures.mkdir(parents=True, exist_ok=True)
    (fixtures / "fail-basic.yaml").write_text(f"# TODO: mark each finding with  # expect: {args.id}\n")
    (fixtures / "pass-basic.yaml").write_text("# TODO: look-alikes the rule must not report\n")
    print(f"wrote {module.relative_to(ROOT)}, {doc.relative_to(ROOT)}, {fixtures.relative_to(ROOT)}/")
    print("then run python docs/generate.py: scans run the rules of the index it writes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
