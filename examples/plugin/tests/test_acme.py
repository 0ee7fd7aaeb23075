"""The example plugin's own tests, written as a plugin author would: fixtures with
``# expect:`` marks, checked with ekslint's test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ekslint.testing import assert_fixture, plugin_rules, run

FIXTURES = Path(__file__).parent / "fixtures"
RULES = ("acme/required-team-label", "acme/ecr-images")


@pytest.fixture(autouse=True, scope="module")
def acme() -> object:
    with plugin_rules("acme", "acme_ekslint.rules") as ids:
        assert sorted(ids) == sorted(RULES)
        yield ids


@pytest.mark.parametrize(
    "fixture",
    sorted(p for p in FIXTURES.rglob("*.yaml")),
    ids=lambda p: str(p.relative_to(FIXTURES)),
)
def test_fixture(fixture: Path) -> None:
    rule_id = fixture.parent.relative_to(FIXTURES).as_posix()
    assert_fixture(fixture, rule_id)


def test_every_rule_has_fail_and_pass_fixtures() -> None:
    for rule_id in RULES:
        names = [p.name for p in (FIXTURES / rule_id).glob("*.yaml")]
        assert any(n.startswith("fail") for n in names) and any(n.startswith("pass") for n in names), rule_id


def test_account_option() -> None:
    from ekslint.linter.config import RuleConfig

    fixture = FIXTURES / "acme/ecr-images/fail-registries.yaml"
    report = run(fixture, "acme/ecr-images")
    report_other = run(
        fixture, "acme/ecr-images", rules={"acme/ecr-images": RuleConfig(options={"account": "210987654321"})}
    )
    assert len([r for r in report.active if r.rule == "acme/ecr-images"]) == 3
    others = [r for r in report_other.active if r.rule == "acme/ecr-images"]
    assert len(others) == 2 and all("210987654321" in r.message for r in others)
