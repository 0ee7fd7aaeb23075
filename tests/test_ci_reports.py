"""Reports for CIs: the size and links of the SARIF rule help."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ekslint import __version__
from ekslint.cli import app
from ekslint.linter.config import ConfigError, Settings, load_settings
from ekslint.linter.engine import lint
from ekslint.linter.formatters.sarif import SarifFormatter
from ekslint.linter.registry import load_rules, rule_doc_url
from ekslint.linter.report import Report

DATA = Path(__file__).parent / "data"
SHOP = DATA / "formatters" / "shop.yaml"
RULES = ["privileged-container", "latest-image-tag", "missing-resource-requests", "yaml-syntax"]
ONLY = ["--no-config", "--disable", "all", "--enable", "privileged-container"]
TAG_DOCS = f"https://github.com/ekslint/ekslint/blob/v{__version__}/docs/rules/"

BAD_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext: {privileged: true}
    - name: side
      image: nginx:1.27
      securityContext: {privileged: true}
"""

runner = CliRunner()


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
    result = runner.invoke(app, list(args), input=input, env={"NO_COLOR": "1", "GITHUB_ACTIONS": "", **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def render(formatter: Any, report: Report) -> str:
    out = io.StringIO()
    formatter.write(report, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def shop() -> Report:
    settings = Settings(root=SHOP.parent, enable=RULES, disable=["all"])
    return lint([str(SHOP)], settings, cwd=SHOP.parent)


# --- SARIF rule help ---------------------------------------------------------------------------------------


def test_sarif_embeds_each_rule_doc_once_and_only_for_rules_with_results(shop: Report) -> None:
    text = render(SarifFormatter(include_suppressed=True, root=SHOP.parent), shop)
    run = json.loads(text)["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    with_results = {r["ruleId"] for r in run["results"]}
    assert set(rules) >= with_results and len(rules) > len(with_results)
    registry = load_rules()
    for rid, descriptor in rules.items():
        why = registry[rid].doc().sections["Why is this bad?"].split("\n")[0]
        assert text.count(json.dumps(why, ensure_ascii=False)[1:-1]) == (1 if rid in with_results else 0), rid
        assert ("help" in descriptor) == (rid in with_results)
        assert descriptor["helpUri"] == f"{TAG_DOCS}{rid}.md"
        assert len(descriptor["fullDescription"]["text"]) <= 1000
    help_ = rules["privileged-container"]["help"]
    assert help_["markdown"] == registry["privileged-container"].doc().text
    assert len(help_["text"]) < 1200 and help_["text"].endswith(f"{TAG_DOCS}privileged-container.md")


def test_sarif_of_a_few_findings_is_small() -> None:
    """The default rules on one Deployment (15 findings of 9 rules): the log was 771 KB, every
    rule doc twice over. Now about 140 KB: 90-odd descriptors without help (~57 KB), nine with
    their doc (~32 KB), and the results."""
    report = lint([str(SHOP)], Settings(root=SHOP.parent), cwd=SHOP.parent)
    assert 0 < len(report.results) <= 20 and len(report.rules) > 80
    assert len(render(SarifFormatter(root=SHOP.parent), report).encode()) < 180_000


def test_rule_doc_url_templates() -> None:
    assert rule_doc_url("run-as-root") == f"{TAG_DOCS}run-as-root.md"
    assert rule_doc_url("run-as-root", "https://docs.example.com/ekslint/{version}/{id}.html") == (
        f"https://docs.example.com/ekslint/{__version__}/run-as-root.html"
    )
    assert (
        rule_doc_url("run-as-root", "https://mirror.example.com/rules")
        == "https://mirror.example.com/rules/run-as-root.md"
    )
    assert (
        rule_doc_url("run-as-root", "https://mirror.example.com/rules/")
        == "https://mirror.example.com/rules/run-as-root.md"
    )


def test_docs_url_from_config_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pod.yaml").write_text(BAD_POD)
    (tmp_path / ".ekslint.yaml").write_text('docs-url: "https://wiki.example.com/ekslint/{id}"\n')
    args = ["scan", "pod.yaml", "--disable", "all", "--enable", "privileged-container"]
    sarif = json.loads(invoke(*args, "-f", "sarif").stdout)
    assert (
        sarif["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"]
        == "https://wiki.example.com/ekslint/privileged-container"
    )
    env = {"EKSLINT_DOCS_URL": "https://mirror.example.com/ekslint/v{version}/docs/rules/"}
    sarif = json.loads(invoke(*args, "-f", "sarif", env=env).stdout)  # the environment wins over the file
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] == (
        f"https://mirror.example.com/ekslint/v{__version__}/docs/rules/privileged-container.md"
    )


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("ftp://x/{id}", "docs-url must be an http or https URL"),
        ("https://x/{rule}", "docs-url: unknown placeholder {rule}"),
        ("https://x/{id", "docs-url: unbalanced"),
        ("42", "docs-url must be an http or https URL"),
    ],
)
def test_bad_docs_url_is_a_config_error(tmp_path: Path, value: str, error: str) -> None:
    (tmp_path / ".ekslint.yaml").write_text(f"docs-url: {json.dumps(value) if value != '42' else value}\n")
    with pytest.raises(ConfigError, match=error):
        load_settings(None, cwd=tmp_path)
    result = invoke("scan", str(tmp_path), "--no-config", env={"EKSLINT_DOCS_URL": value})
    assert result.exit_code == 2 and "EKSLINT_DOCS_URL" in result.stderr and "Traceback" not in result.stderr
