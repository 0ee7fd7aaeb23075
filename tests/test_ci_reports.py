"""Reports for other CIs: JUnit XML (GitLab, Jenkins and Azure test tabs), GitLab Code Quality,
the size and links of the SARIF rule help, stdin in CI pipes, and what a failed run says.

JUnit is validated with lxml (libxml2, the parser under GitLab's JUnit reader) against the two
schemas JUnit consumers are written against, GitLab Code Quality with jsonschema against the
schema GitLab's parser checks each entry with and the format GitLab documents; the schemas are
test data, byte for byte as published (``tests/data/ci-reports/SOURCES.md``).

Regenerate the golden files with ``EKSLINT_UPDATE_GOLDEN=1 pytest tests/test_ci_reports.py``.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import etree
from typer.testing import CliRunner

from ekslint import __version__
from ekslint.cli import app
from ekslint.linter.config import ConfigError, Settings, load_settings
from ekslint.linter.engine import lint
from ekslint.linter.formatters.gitlab import GitlabFormatter
from ekslint.linter.formatters.junit import JunitFormatter
from ekslint.linter.formatters.sarif import SarifFormatter
from ekslint.linter.registry import Level, load_rules, rule_doc_url
from ekslint.linter.report import Report, Result, RunError

DATA = Path(__file__).parent / "data"
SCHEMAS = DATA / "ci-reports"
GOLDEN = Path(__file__).parent / "golden"
SHOP = DATA / "formatters" / "shop.yaml"
RULES = ["privileged-container", "latest-image-tag", "missing-resource-requests", "yaml-syntax"]
ONLY = ["--no-config", "--disable", "all", "--enable", "privileged-container"]
TIMESTAMP = "2026-01-02T03:04:05"
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
CLEAN = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {a: b}\n"

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


def check_golden(name: str, text: str) -> None:
    text = text.replace(__version__, "<version>")
    golden = GOLDEN / name
    if os.environ.get("EKSLINT_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()


# --- JUnit ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def junit_schemas() -> list[etree.XMLSchema]:
    return [
        etree.XMLSchema(etree.parse(str(SCHEMAS / name))) for name in ("windyroad-JUnit.xsd", "jenkins-junit-10.xsd")
    ]


def parse_junit(text: str, schemas: list[etree.XMLSchema]) -> etree._Element:
    """Parse as a CI does (bytes, the declared encoding) and validate against both schemas."""
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = etree.fromstring(text.encode("utf-8"))
    for schema in schemas:
        assert schema.validate(root), schema.error_log
    return root


def suites(root: etree._Element) -> dict[str, etree._Element]:
    return {s.get("name"): s for s in root.iter("testsuite")}


def test_junit_golden(shop: Report) -> None:
    check_golden("junit.xml", render(JunitFormatter(include_suppressed=True, timestamp=TIMESTAMP), shop))


def test_junit_is_valid_and_counts_right(shop: Report, junit_schemas: list[etree.XMLSchema]) -> None:
    root = parse_junit(render(JunitFormatter(include_suppressed=True), shop), junit_schemas)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert suite.get("name") == "shop.yaml" and {c.get("classname") for c in cases} == {"shop.yaml"}
    assert int(suite.get("tests")) == len(cases) == len(shop.results)
    assert int(suite.get("failures")) == len(shop.active) == len(suite.findall("testcase/failure"))
    assert int(suite.get("skipped")) == len(shop.suppressed) == len(suite.findall("testcase/skipped")) == 1
    assert suite.get("errors") == "0"
    names = [c.get("name") for c in cases]
    assert len(set(names)) == len(names)
    assert "privileged-container line 17" in names
    failure = next(c for c in cases if c.get("name") == "privileged-container line 17").find("failure")
    assert failure.get("type") == "privileged-container"
    assert failure.get("message").startswith("container 'checkout' runs privileged")
    body = failure.text
    assert "Level: error" in body and "Object: Deployment/shop/checkout" in body
    assert f"{TAG_DOCS}privileged-container.md" in body and "shop.yaml:17:13" in body
    skipped = next(c for c in cases if c.find("skipped") is not None).find("skipped")
    assert skipped.get("message") == "suppressed (line)" and "privileged-container.md" in skipped.text


def test_junit_suppressed_findings_are_skipped_with_their_reason(junit_schemas: list[etree.XMLSchema]) -> None:
    report = Report(
        results=[Result("r", Level.ERROR, "m", "a.yaml", 1, 1, suppressed="annotation", justification="audited")],
        scanned=["a.yaml"],
    )
    root = parse_junit(render(JunitFormatter(include_suppressed=True), report), junit_schemas)
    assert root.find("testsuite/testcase/skipped").get("message") == "suppressed (annotation): audited"
    assert root.find("testsuite").get("skipped") == "1"
    (case,) = parse_junit(render(JunitFormatter(), report), junit_schemas).iter("testcase")
    assert case.get("name") == "no findings" and len(case) == 0


def test_junit_has_a_suite_per_file_a_passing_case_per_clean_file_and_errors(
    junit_schemas: list[etree.XMLSchema],
) -> None:
    report = Report(
        results=[
            Result(
                "privileged-container", Level.ERROR, "runs privileged", "k8s/bad.yaml", 8, 25, object="Pod shop/web"
            ),
            Result("latest-image-tag", Level.WARNING, "uses :latest", "k8s/bad.yaml", 7, 14),
            Result("privileged-container", Level.ERROR, "quiet", "k8s/clean.yaml", 3, 1, suppressed="comment"),
        ],
        errors=[
            RunError("cannot read: permission denied", file="k8s/locked.yaml"),
            RunError("internal error: RuntimeError: kaput", file="k8s/bad.yaml", rule="pdb-blocks-drain"),
            RunError("helm template failed"),
        ],
        scanned=["k8s/bad.yaml", "k8s/clean.yaml"],
        files=2,
    )
    root = parse_junit(render(JunitFormatter(), report), junit_schemas)
    by_name = suites(root)
    assert list(by_name) == ["k8s/bad.yaml", "k8s/clean.yaml", "k8s/locked.yaml", "ekslint"]
    bad, clean, locked, tool = by_name.values()
    assert (bad.get("tests"), bad.get("failures"), bad.get("errors")) == ("3", "2", "1")
    assert [c.get("name") for c in bad.findall("testcase") if c.find("failure") is not None] == [
        "privileged-container line 8",
        "latest-image-tag line 7",
    ]
    crash = bad.find("testcase/error")
    assert crash.get("type") == "pdb-blocks-drain" and "kaput" in crash.get("message")
    # the clean file (its one finding suppressed and not asked for) passes, so test tabs list it
    (passing,) = clean.findall("testcase")
    assert len(passing) == 0 and passing.get("classname") == "k8s/clean.yaml"
    assert (clean.get("tests"), clean.get("failures"), clean.get("errors")) == ("1", "0", "0")
    assert locked.find("testcase/error").get("message") == "k8s/locked.yaml: cannot read: permission denied"
    assert (locked.get("tests"), locked.get("errors")) == ("1", "1")
    assert tool.find("testcase").get("classname") == "ekslint" and tool.get("errors") == "1"


def test_junit_names_are_unique_in_a_suite(junit_schemas: list[etree.XMLSchema]) -> None:
    """GitLab keys test cases by suite, class and name: two findings must not merge into one."""
    report = Report(
        results=[
            Result("r", Level.WARNING, "first", "a.yaml", 3, 5),
            Result("r", Level.WARNING, "second", "a.yaml", 3, 9),
            Result("r", Level.WARNING, "third", "a.yaml", 3, 9),
        ],
        scanned=["a.yaml"],
    )
    names = [c.get("name") for c in parse_junit(render(JunitFormatter(), report), junit_schemas).iter("testcase")]
    assert names == ["r line 3", "r line 3 col 9", "r line 3 col 9 (2)"]


def test_junit_survives_any_character(junit_schemas: list[etree.XMLSchema]) -> None:
    """XML 1.0 forbids most C0 controls, U+FFFE/U+FFFF and surrogates anywhere, even escaped:
    ElementTree writes them raw, and the whole report would not parse. They become visible
    escapes, like in the text format; markup in values stays text."""
    nasty = "a\x00b\x1b[31m\x0b\ufffe\uffff\ud800 ]]></failure><x a='1'>&amp; \"q\" \u202eevil AKIAQWERTYUIOPASDFGH"
    report = Report(
        results=[Result("r", Level.ERROR, nasty, f"bad\udcff{nasty[:6]}.yaml", 1, 1, object=nasty)],
        errors=[RunError(nasty, file="x\x01.yaml")],
    )
    root = parse_junit(render(JunitFormatter(), report), junit_schemas)
    failure = root.find("testsuite/testcase/failure")
    message = failure.get("message")
    assert message.startswith(
        "a\\x00b\\x1b[31m\\x0b\\ufffe\\uffff\\ud800 ]]></failure><x a='1'>&amp; \"q\" \\u202eevil"
    )
    assert "AKIAQWERTYUIOPASDFGH" not in etree.tostring(root, encoding="unicode")
    assert "AKIA************DFGH" in message and "\x1b" not in failure.text
    assert root.find("testsuite").get("name") == "bad\\xffa\\x00b\\x1b[3.yaml"


def test_junit_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, junit_schemas: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(BAD_POD)
    (tmp_path / "clean.yaml").write_text(CLEAN)
    result = invoke("scan", ".", "missing.yaml", *ONLY, "-f", "junit", "-o", "report.xml")
    assert result.exit_code == 2 and result.stdout == ""
    root = parse_junit((tmp_path / "report.xml").read_text(encoding="utf-8"), junit_schemas)
    by_name = suites(root)
    assert set(by_name) == {"bad.yaml", "clean.yaml", "missing.yaml"}
    assert by_name["bad.yaml"].get("failures") == "2" and by_name["clean.yaml"].get("failures") == "0"
    assert by_name["missing.yaml"].find("testcase/error").get("message") == "missing.yaml: no such file or directory"


# --- GitLab Code Quality -------------------------------------------------------------------------------


def check_gitlab(text: str) -> list[dict[str, Any]]:
    """What GitLab's parser accepts: one JSON array (no BOM), every entry valid against the
    parser's schema (an invalid one ends the parsing) and the documented format, and
    fingerprints unique (entries with the same fingerprint are shown once)."""
    assert text.startswith("[")
    entries: list[dict[str, Any]] = json.loads(text)
    parser_schema = json.loads((SCHEMAS / "gitlab-codeclimate.json").read_text())
    for entry in entries:
        jsonschema.validate(entry, parser_schema)
    jsonschema.validate(entries, json.loads((SCHEMAS / "gitlab-code-quality-format.json").read_text()))
    fingerprints = [e["fingerprint"] for e in entries]
    assert len(set(fingerprints)) == len(fingerprints)
    return entries


def test_gitlab_golden(shop: Report) -> None:
    text = render(GitlabFormatter(root=SHOP.parent), shop)
    check_gitlab(text)
    check_golden("gitlab.json", text)


def test_gitlab_entries(shop: Report) -> None:
    entries = check_gitlab(render(GitlabFormatter(root=SHOP.parent), shop))
    assert len(entries) == len(shop.active)  # suppressed findings are never requests to act
    privileged = next(e for e in entries if e["check_name"] == "privileged-container")
    assert privileged["severity"] == "critical"
    assert privileged["location"] == {"path": "shop.yaml", "lines": {"begin": 17}}
    assert privileged["description"].startswith("privileged-container: container 'checkout' runs privileged")
    assert {e["severity"] for e in entries if e["check_name"] == "latest-image-tag"} == {"major"}
    assert privileged["fingerprint"] == next(r for r in shop.active if r.rule == "privileged-container").fingerprint


def test_gitlab_severities() -> None:
    report = Report(results=[Result("r", level, level.value, "a.yaml", 1, 1) for level in Level])
    entries = check_gitlab(render(GitlabFormatter(), report))
    assert [e["severity"] for e in entries] == ["critical", "major", "minor"]


def test_gitlab_fingerprints_survive_line_shifts_and_stay_unique(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    twin = BAD_POD + "---\n" + BAD_POD  # the same Pod twice: the same findings twice
    (tmp_path / "pod.yaml").write_text(twin)
    before = check_gitlab(invoke("scan", "pod.yaml", *ONLY, "-f", "gitlab").stdout)
    (tmp_path / "pod.yaml").write_text("# a comment\n\n\n" + twin)
    after = check_gitlab(invoke("scan", "pod.yaml", *ONLY, "-f", "gitlab").stdout)
    assert len(before) == 4
    assert [e["fingerprint"] for e in after] == [e["fingerprint"] for e in before]
    assert [e["location"]["lines"]["begin"] for e in after] == [e["location"]["lines"]["begin"] + 3 for e in before]


def test_gitlab_paths_are_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GitLab links ``location.path`` into the repository: paths relative to the folder ekslint
    runs in (the project root in CI), never the machine's folders."""
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "pod.yaml").write_text(BAD_POD)
    monkeypatch.chdir(tmp_path)
    entries = check_gitlab(invoke("scan", str(tmp_path / "k8s" / "pod.yaml"), *ONLY, "-f", "gitlab").stdout)
    assert {e["location"]["path"] for e in entries} == {"k8s/pod.yaml"}
    report = Report(results=[Result("r", Level.NOTE, "m", "/elsewhere/x.yaml", 1, 1)])
    assert check_gitlab(render(GitlabFormatter(root=tmp_path), report))[0]["location"]["path"] == "x.yaml"


def test_gitlab_empty_report_is_an_empty_array() -> None:
    assert render(GitlabFormatter(), Report()) == "[]\n"


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
    junit = invoke(*args, "-f", "junit").stdout
    assert "https://wiki.example.com/ekslint/privileged-container" in junit
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


# --- stdin in CI pipes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("stdin", ["", "\n  \n"])
def test_empty_stdin_is_an_error(stdin: str) -> None:
    """``helm template ... | ekslint scan -`` without pipefail: a failed render is no green job."""
    for fmt in ("text", "json", "junit"):
        result = invoke("scan", "-", *ONLY, "-f", fmt, input=stdin)
        assert result.exit_code == 2, fmt
        assert "ekslint: error: nothing on standard input" in result.stderr
        assert "No problems found" not in result.stdout


def test_stdin_filename_names_the_results() -> None:
    args = ["scan", "-", "--stdin-filename", "k8s/pod.yaml", *ONLY]
    data = json.loads(invoke(*args, "-f", "json", input=BAD_POD).stdout)
    assert {r["file"] for r in data["results"]} == {"k8s/pod.yaml"}
    sarif = json.loads(invoke(*args, "-f", "sarif", input=BAD_POD).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"k8s/pod.yaml"}
    assert invoke(*args, "-f", "github", input=BAD_POD).stdout.startswith("::error file=k8s/pod.yaml,line=8,")
    assert {e["location"]["path"] for e in check_gitlab(invoke(*args, "-f", "gitlab", input=BAD_POD).stdout)} == {
        "k8s/pod.yaml"
    }
    assert invoke(*args, "-f", "text", input=BAD_POD).stdout.startswith("k8s/pod.yaml:8:25: error privileged-container")
    assert '<testsuite name="k8s/pod.yaml"' in invoke(*args, "-f", "junit", input=BAD_POD).stdout
    # normalised like a path on disk: no ./ or a/../, relative when below the working folder
    for name in ("./a/../k8s/pod.yaml", f"{Path.cwd()}/k8s/pod.yaml"):
        data = json.loads(invoke("scan", "-", "--stdin-filename", name, *ONLY, "-f", "json", input=BAD_POD).stdout)
        assert {r["file"] for r in data["results"]} == {"k8s/pod.yaml"}, name


def test_stdin_filename_without_stdin_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(BAD_POD)
    result = invoke("scan", str(tmp_path / "pod.yaml"), "--stdin-filename", "x.yaml", *ONLY)
    assert result.exit_code == 2 and "--stdin-filename names standard input: add - to the paths" in result.stderr
    result = invoke("scan", "-", "--stdin-filename", "", *ONLY, input=BAD_POD)
    assert result.exit_code == 2 and "--stdin-filename" in result.stderr


# --- a failed run never says it found nothing ---------------------------------------------------------------


def test_a_run_error_is_not_reported_as_no_problems(tmp_path: Path) -> None:
    (tmp_path / "clean.yaml").write_text(CLEAN)
    for fmt in ("text", "github"):
        result = invoke("scan", str(tmp_path / "missing.yaml"), *ONLY, "-f", fmt)
        assert result.exit_code == 2 and "No problems found" not in result.stdout, fmt
        assert "Scan incomplete (1 error): nothing found in the 0 files, 0 objects read." in result.stdout
    result = invoke(
        "scan", str(tmp_path / "clean.yaml"), str(tmp_path / "missing.yaml"), *ONLY, "-o", str(tmp_path / "r")
    )
    assert result.exit_code == 2 and "No problems found" not in result.stderr
    assert "Scan incomplete (1 error): nothing found in the 1 file, 1 object read." in result.stderr
    (tmp_path / "bad.yaml").write_text(BAD_POD)
    result = invoke("scan", str(tmp_path / "bad.yaml"), str(tmp_path / "missing.yaml"), *ONLY, "-f", "text")
    assert (
        result.stdout.splitlines()[-1] == "Scan incomplete (1 error): found 2 problems (2 errors) in 1 file, 1 object."
    )
    assert invoke("scan", str(tmp_path / "clean.yaml"), *ONLY).stdout == "No problems found in 1 file, 1 object.\n"
