"""Every rule against its fixtures: fail fixtures give exactly the marked (line, rule) pairs,
pass fixtures give none. Only the rule under test is enabled."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import FIXTURES, expected, found, run

from ekslint.linter.registry import load_rules


def _cases() -> list[tuple[str, Path]]:
    cases = []
    for rule_id in sorted(load_rules()):
        folder = FIXTURES / rule_id
        if folder.is_dir():
            cases.extend((rule_id, p) for p in sorted(folder.iterdir()) if p.name.startswith(("pass", "fail")))
    return cases


@pytest.mark.parametrize(("rule_id", "fixture"), _cases(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_fixture(rule_id: str, fixture: Path) -> None:
    report = run(fixture, rule_id)
    assert not report.errors, [str(e) for e in report.errors]
    got = found(report, fixture, rule_id)
    if fixture.name.startswith("pass"):
        assert got == set(), f"pass fixture gave findings: {sorted(got)}"
    else:
        want = expected(fixture)
        assert want, f"fail fixture {fixture} marks no expected finding"
        assert sorted(got) == sorted(want)
