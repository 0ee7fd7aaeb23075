"""Ties rules, docs and fixtures together: no rule ships without all three."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from harness import FIXTURES, run

from ekslint.linter.registry import DOC_SECTIONS, FAMILIES, load_rules

CATALOGUE = Path(__file__).parent / "data" / "catalogue.txt"
SHARED_RULES = Path(__file__).parents[1].parent / "shared" / "rules.md"
#: ekslint's own rules about its suppressions; not part of the EKS catalogue.
META_RULES = {"invalid-suppression", "unused-suppression"}
RULES = load_rules()


def catalogue() -> list[str]:
    return CATALOGUE.read_text().split()


def test_catalogue_matches_shared_rules_md() -> None:
    if not SHARED_RULES.is_file():
        pytest.skip("../shared/rules.md is not beside this checkout")
    import re

    ids = re.findall(r"^\| `([a-z0-9-]+)` \|", SHARED_RULES.read_text(), re.M)
    assert sorted(set(ids)) == sorted(catalogue())


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_id_is_catalogued(rule_id: str) -> None:
    assert rule_id in catalogue() or rule_id in META_RULES


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_metadata(rule_id: str) -> None:
    meta = RULES[rule_id]
    assert meta.family in FAMILIES, f"{rule_id} lives outside a family package"
    assert meta.title and not meta.title.endswith(".")
    assert meta.doc_path.is_file(), f"{rule_id} has no doc at {meta.doc_path}"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_has_pass_and_fail_fixtures(rule_id: str) -> None:
    folder = FIXTURES / rule_id
    names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    assert any(n.startswith("pass") for n in names), f"{rule_id} has no pass fixture"
    assert any(n.startswith("fail") for n in names), f"{rule_id} has no fail fixture"


def test_every_fixture_dir_is_a_rule() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in RULES) == []


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_doc_sections(rule_id: str) -> None:
    doc = RULES[rule_id].doc()
    assert list(doc.sections) == list(DOC_SECTIONS), f"{rule_id}: doc sections must be exactly {DOC_SECTIONS}"
    for name in DOC_SECTIONS:
        assert doc.sections[name].strip(), f"{rule_id}: section {name!r} is empty"
    assert len(doc.summary) <= 1000


#: Where a doc example of each language is written to be linted: HCL as a Terraform root module.
EXAMPLE_FILES = {"yaml": "example.yaml", "yml": "example.yaml", "json": "example.json", "hcl": "main.tf"}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_doc_examples(rule_id: str) -> None:
    """Every block of the doc's Example fails with this rule and every block of Use instead passes
    (the cluster rules show eksctl, Terraform and CloudFormation side by side)."""
    doc = RULES[rule_id].doc()
    bad, good = doc.code_blocks("Example"), doc.code_blocks("Use instead")
    assert doc.yaml_block("Example") is not None and doc.yaml_block("Use instead") is not None, (
        f"{rule_id}: Example and Use instead need a ```yaml block"
    )
    for should_fail, blocks in ((True, bad), (False, good)):
        for n, (lang, text) in enumerate(blocks):
            assert lang in EXAMPLE_FILES, f"{rule_id}: unknown example language {lang!r}"
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / f"{'example' if should_fail else 'instead'}-{n}"
                folder.mkdir()
                path = folder / EXAMPLE_FILES[lang]
                path.write_text(text)
                report = run(folder if lang == "hcl" else path, rule_id)
                hits = [r for r in report.active if r.rule == rule_id]
                assert bool(hits) == should_fail, (
                    f"{rule_id}: {lang} block {n} gave {[(r.line, r.message) for r in hits]}"
                )
