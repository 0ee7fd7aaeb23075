"""Formatters against golden files, SARIF against the official schema, GitHub escaping.

Regenerate the golden files with ``EKSLINT_UPDATE_GOLDEN=1 pytest tests/test_formatters.py``.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest

from ekslint import __version__
from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.formatters import GithubFormatter, JsonFormatter, SarifFormatter, TextFormatter
from ekslint.linter.formatters.github import escape_data, escape_property
from ekslint.linter.report import Report

DATA = Path(__file__).parent / "data" / "formatters"
GOLDEN = Path(__file__).parent / "golden"
SARIF_SCHEMA = Path(__file__).parents[1].parent / "shared" / "reference" / "sarif-schema-2.1.0.json"
RULES = ["privileged-container", "latest-image-tag", "missing-resource-requests", "yaml-syntax"]


@pytest.fixture(scope="module")
def report() -> Report:
    settings = Settings(root=DATA, enable=RULES, disable=["all"])
    return lint(["shop.yaml"], settings, cwd=DATA) if Path.cwd() == DATA else _lint_in(DATA, settings)


def _lint_in(folder: Path, settings: Settings) -> Report:
    old = Path.cwd()
    os.chdir(folder)
    try:
        return lint(["shop.yaml"], settings, cwd=folder)
    finally:
        os.chdir(old)


def render(formatter: object, report: Report) -> str:
    out = io.StringIO()
    formatter.write(report, out)  # type: ignore[attr-defined]
    return out.getvalue().replace(__version__, "<version>")


@pytest.mark.parametrize(
    ("name", "formatter"),
    [
        ("text.txt", TextFormatter()),
        ("text-suppressed.txt", TextFormatter(include_suppressed=True)),
        ("text-color.txt", TextFormatter(color=True)),
        ("json.json", JsonFormatter()),
        ("github.txt", GithubFormatter()),
        ("sarif.json", SarifFormatter(include_suppressed=True)),
    ],
)
def test_golden(name: str, formatter: object, report: Report) -> None:
    got = render(formatter, report)
    golden = GOLDEN / name
    if os.environ.get("EKSLINT_UPDATE_GOLDEN"):
        golden.write_text(got)
    assert got == golden.read_text()


def test_sarif_is_valid_and_what_github_needs(report: Report) -> None:
    data = json.loads(render(SarifFormatter(include_suppressed=True), report))
    if SARIF_SCHEMA.is_file():
        import jsonschema

        jsonschema.validate(data, json.loads(SARIF_SCHEMA.read_text()))
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "shop.yaml", "uriBaseId": "%SRCROOT%"}
        assert loc["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["ekslint/v1"]
    privileged = next(r for r in rules if r["id"] == "privileged-container")
    assert privileged["properties"]["security-severity"] == "8.0"
    assert privileged["defaultConfiguration"]["level"] == "error"
    assert "## Why is this bad?" in privileged["help"]["markdown"]
    assert run["columnKind"] == "unicodeCodePoints"
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert suppressed and suppressed[0]["suppressions"][0]["kind"] == "inSource"


def test_fingerprints_survive_line_shifts(tmp_path: Path) -> None:
    text = (DATA / "shop.yaml").read_text()
    settings = Settings(root=tmp_path, enable=RULES, disable=["all"])
    (tmp_path / "shop.yaml").write_text(text)
    before = {r.fingerprint for r in lint([str(tmp_path / "shop.yaml")], settings, cwd=tmp_path).results}
    (tmp_path / "shop.yaml").write_text("# a new comment\n\n" + text)
    after = lint([str(tmp_path / "shop.yaml")], settings, cwd=tmp_path).results
    assert {r.fingerprint for r in after} == before
    assert after[0].line > 2


def test_github_escaping_prevents_command_injection() -> None:
    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("x:y,z") == "x%3Ay%2Cz"


def test_github_output_orders_by_severity_and_counts_hidden() -> None:
    from ekslint.linter.registry import Level
    from ekslint.linter.report import Result

    report = Report(
        results=[Result("r", Level.WARNING, "w", "f.yaml", i, 1) for i in range(1, 13)]
        + [Result("r", Level.ERROR, "e", "f.yaml", 99, 1)]
    )
    lines = render(GithubFormatter(), report).splitlines()
    assert lines[0].startswith("::error ") and lines[1].startswith("::warning ")
    assert "2 warnings are only in this log" in lines[-1]
    assert all(line.startswith("::") for line in lines[:13])


def test_markdown_links_become_text_in_linear_time() -> None:
    from ekslint.linter.formatters.sarif import markdown_to_text

    assert markdown_to_text("See [the docs](https://x.example/a), an unclosed `[` then [a](b)") == (
        "See the docs (https://x.example/a), an unclosed [ then a (b)"
    )
    start = time.monotonic()
    for hostile in ("[" * 100_000, "[a](" * 25_000, "[a](b" * 20_000):
        assert markdown_to_text(hostile) == hostile
    assert time.monotonic() - start < 2  # every "[" scanned the rest of the text: minutes
