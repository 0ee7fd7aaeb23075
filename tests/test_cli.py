"""The command line: exit codes, formats, config errors, stdin, and one real subprocess run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekslint import __version__
from ekslint.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "privileged-container" / "fail-containers.yaml"
GOOD = FIXTURES / "privileged-container" / "pass-look-alikes.yaml"
ONLY = ["--no-config", "--disable", "all", "--enable", "privileged-container"]

runner = CliRunner()


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input, env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""})
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and out.strip() == f"ekslint {__version__}"


def test_exit_codes() -> None:
    assert invoke("scan", str(GOOD), *ONLY)[0] == 0
    assert invoke("scan", str(BAD), *ONLY)[0] == 1
    assert invoke("scan", str(BAD), *ONLY, "--fail-on", "none")[0] == 0
    assert (
        invoke(
            "scan", str(BAD), "--no-config", "--disable", "all", "--enable", "default-namespace", "--fail-on", "warning"
        )[0]
        == 0
    )
    assert (
        invoke(
            "scan", str(BAD), "--no-config", "--disable", "all", "--enable", "latest-image-tag", "--fail-on", "error"
        )[0]
        == 0
    )
    assert invoke("scan", "does-not-exist.yaml", *ONLY)[0] == 2


def test_text_output_and_summary() -> None:
    code, out, _ = invoke("scan", str(BAD), *ONLY, "-f", "text")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith(
        "fail-containers.yaml:18:13: error privileged-container init container 'setup' runs "
        "privileged: it has every capability and all host devices; set privileged: false and "
        "add only the capabilities it needs"
    )
    assert lines[-1] == "Found 3 problems (3 errors) in 1 file, 2 objects."


def test_json_is_clean_on_stdout() -> None:
    code, out, _err = invoke("scan", str(BAD), *ONLY, "-f", "json")
    data = json.loads(out)
    assert code == 1 and data["summary"]["error"] == 3 and [r["line"] for r in data["results"]] == [18, 24, 38]


def test_sarif_and_output_files(tmp_path: Path) -> None:
    out_file, sarif = tmp_path / "report.json", tmp_path / "out.sarif"
    code, out, err = invoke("scan", str(BAD), *ONLY, "-f", "json", "-o", str(out_file), "--sarif-file", str(sarif))
    assert code == 1 and out == ""
    assert json.loads(out_file.read_text())["summary"]["error"] == 3
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert "Found 3 problems" in err


def test_github_format_and_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["scan", str(BAD), *ONLY], env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=")


def test_stdin() -> None:
    code, out, _ = invoke("scan", "-", *ONLY, "-f", "json", input=BAD.read_text())
    assert code == 1 and {r["file"] for r in json.loads(out)["results"]} == {"<stdin>"}


def test_bad_config_exits_2(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("fail-on: maybe\n")
    code, out, err = invoke("scan", str(GOOD), "--config", str(cfg))
    assert code == 2 and "fail-on must be one of" in err and "Traceback" not in err + out
    code, _, err = invoke("scan", str(GOOD), "--no-config", "--enable", "no-such-rule")
    assert code == 2 and "--enable: unknown rule 'no-such-rule'" in err
    code, _, err = invoke("scan", str(GOOD), "--no-config", "--kubernetes-version", "banana")
    assert code == 2


def test_unknown_format_is_a_usage_error() -> None:
    assert invoke("scan", str(GOOD), "-f", "xml")[0] == 2


def test_rules_json_lists_every_rule() -> None:
    code, out, _ = invoke("rules", "--format", "json")
    rules = json.loads(out)
    assert code == 0 and {"id", "level", "enabled", "title"} <= set(rules[0])
    by_id = {r["id"]: r for r in rules}
    assert by_id["missing-cpu-limit"]["enabled"] is False and by_id["privileged-container"]["level"] == "error"


def test_explain() -> None:
    code, out, _ = invoke("explain", "privileged-container")
    assert code == 0 and "## Why is this bad?" in out and "Level: error" in out
    code, _, err = invoke("explain", "privileged-containr")
    assert code == 2 and "(did you mean 'privileged-container'" in err


def test_rule_crash_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from ekslint.linter.registry import REGISTRY

    meta = REGISTRY["privileged-container"]

    def boom(*_: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setitem(REGISTRY, "privileged-container", type(meta)(**{**meta.__dict__, "func": boom}))
    code, _out, err = invoke("scan", str(BAD), *ONLY)
    assert code == 2 and "rule privileged-container: internal error: RuntimeError: kaput" in err


def test_installed_console_script(tmp_path: Path) -> None:
    exe = shutil.which("ekslint", path=str(Path(sys.executable).parent)) or shutil.which("ekslint")
    if exe is None:
        pytest.skip("the ekslint console script is not installed")
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run(
        [exe, "scan", str(BAD), *ONLY, "-f", "json"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 1, proc.stderr
    assert len(json.loads(proc.stdout)["results"]) == 3
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"\x00\x01binary")
    proc = subprocess.run(
        [exe, "scan", str(broken), "--no-config"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 1 and "binary file" in proc.stdout and "Traceback" not in proc.stderr


def test_baseline_roundtrip(tmp_path: Path) -> None:
    work = tmp_path / "m.yaml"
    work.write_text(BAD.read_text())
    baseline = tmp_path / "baseline.json"
    code, _, _ = invoke("scan", str(work), *ONLY, "--write-baseline", str(baseline))
    assert code == 1 and len(json.loads(baseline.read_text())["findings"]) == 3
    work.write_text("# shifted\n\n" + BAD.read_text())  # line shifts keep the old findings known
    code, out, err = invoke("scan", str(work), *ONLY, "--baseline", str(baseline), "-f", "json")
    assert code == 0 and json.loads(out)["results"] == [] and "3 known finding(s)" in err
    work.write_text(
        BAD.read_text() + "---\n" + BAD.read_text().split("---\n")[1].replace("name: debug", "name: debug2")
    )
    code, out, _ = invoke("scan", str(work), *ONLY, "--baseline", str(baseline), "-f", "json")
    assert code == 1 and [r["object"] for r in json.loads(out)["results"]] == ["Pod/ops/debug2"]
    bad_baseline = tmp_path / "nope.json"
    bad_baseline.write_text("{}")
    assert invoke("scan", str(work), *ONLY, "--baseline", str(bad_baseline))[0] == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema": 1, "findings": [{"line": ' + "9" * 5000 + "}]}", "Exceeds the limit"),
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
    ],
)
def test_hostile_baseline_is_a_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content)
    code, _, err = invoke("scan", str(BAD), *ONLY, "--baseline", str(baseline))
    assert code == 2 and f"ekslint: error: cannot read baseline {baseline}: {message}" in err
    assert "internal error" not in err and len(err.strip().splitlines()) == 1


def test_write_baseline_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "baseline.json"
    code, _, err = invoke("scan", str(BAD), *ONLY, "--write-baseline", str(target))
    assert code == 2 and err.strip() == f"ekslint: error: cannot write baseline {target}: no folder {target.parent}"
    assert not target.parent.exists()


def test_summary_file(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    invoke("scan", str(BAD), *ONLY, "--summary-file", str(summary))
    text = summary.read_text()
    assert "| `privileged-container` | 🔴 error | 3 |" in text and "### Top 3 of 3 findings" in text


def test_schema_invalid_reports_implicit_types_only_when_yaml_implicit_type_is_off(tmp_path: Path) -> None:
    cm = tmp_path / "cm.yaml"
    cm.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\ndata:\n  enabled: yes\n")
    base = ["scan", str(cm), "--no-config", "-f", "json", "--disable", "all", "--enable", "schema-invalid"]
    alone = json.loads(invoke(*base)[1])["results"]
    both = json.loads(invoke(*base, "--enable", "yaml-implicit-type")[1])["results"]
    assert [r["rule"] for r in alone] == ["schema-invalid"]
    assert [r["rule"] for r in both] == ["yaml-implicit-type"]
