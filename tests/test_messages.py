"""Usage and config messages keep their context: which file, which line, the range of versions known,
the nearest rule id; and one finding per problem (issue items 19 and 21)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekslint.cli import app
from ekslint.data.eks_versions import RELEASES
from ekslint.linter.config import ConfigError, load_settings, resolve_rules
from ekslint.linter.registry import load_rules
from ekslint.linter.versions import version_key

GOOD = Path(__file__).parent / "fixtures" / "privileged-container" / "pass-look-alikes.yaml"
NEWEST = max(RELEASES, key=version_key)
KNOWN = f"known versions are 1.16–{NEWEST}"


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""})
    return result.exit_code, result.stdout, result.stderr


# -- 19: the target version must be one ekslint knows ---------------------------------------------


@pytest.mark.parametrize("version", ["1.3", "1.15", "1.0"])
def test_a_version_older_than_the_table_is_a_usage_error(version: str) -> None:
    code, out, err = invoke("scan", str(GOOD), "--no-config", "--kubernetes-version", version)
    assert code == 2, (out, err)
    assert f"--kubernetes-version: {version} is older than every Kubernetes version ekslint knows ({KNOWN})" in err


def test_the_config_version_is_checked_too(tmp_path: Path) -> None:
    cfg = tmp_path / ".ekslint.yaml"
    cfg.write_text('kubernetes-version: "1.3"\n')
    with pytest.raises(ConfigError, match=rf"kubernetes-version: 1\.3 is older than every .*\({KNOWN}\)"):
        load_settings(cfg)


def test_a_version_newer_than_the_table_is_judged_with_a_note() -> None:
    code, out, err = invoke(
        "scan",
        str(GOOD),
        "--no-config",
        "--disable",
        "all",
        "--enable",
        "removed-api",
        "--kubernetes-version",
        "1.40",
        "-f",
        "json",
    )
    assert code == 0, err
    notes = json.loads(out)["notes"]
    assert (
        f"target Kubernetes version 1.40 (--kubernetes-version; newer than {NEWEST}, the newest version ekslint "
        f"knows: APIs deprecated after {NEWEST} are not in its table)"
    ) in notes


@pytest.mark.parametrize("option", ["--enable", "--disable"])
def test_an_unknown_rule_on_the_command_line_suggests_the_nearest(option: str) -> None:
    code, _, err = invoke("scan", str(GOOD), "--no-config", option, "pdb-blocks-drian")
    assert code == 2
    assert f"ekslint: error: {option}: unknown rule 'pdb-blocks-drian' (did you mean 'pdb-blocks-drain'?)" in err


# -- 21: config messages name the file, the line and the nearest id -------------------------------


def _config(tmp_path: Path, text: str) -> Path:
    cfg = tmp_path / ".ekslint.yaml"
    cfg.write_text(text)
    return cfg


def test_an_unknown_rule_in_the_config_names_the_file_and_suggests(tmp_path: Path) -> None:
    cfg = _config(tmp_path, "rules:\n  pdb-blocks-drian: false\n")
    with pytest.raises(ConfigError) as exc:
        resolve_rules(load_settings(cfg), load_rules())
    assert str(exc.value) == f"{cfg}: unknown rule 'pdb-blocks-drian' in rules (did you mean 'pdb-blocks-drain'?)"


def test_an_unknown_setting_suggests_the_nearest(tmp_path: Path) -> None:
    cfg = _config(tmp_path, 'kubernetes_version: "1.33"\n')
    with pytest.raises(
        ConfigError, match=r"unknown setting 'kubernetes_version' \(did you mean 'kubernetes-version'\?\)"
    ):
        load_settings(cfg)


def test_an_unknown_rule_key_suggests_the_nearest(tmp_path: Path) -> None:
    cfg = _config(tmp_path, "rules:\n  pdb-blocks-drain: {levle: error}\n")
    with pytest.raises(ConfigError, match=r"rules\.pdb-blocks-drain: unknown key 'levle' \(did you mean 'level'\?\)"):
        load_settings(cfg)


def test_an_unknown_option_names_the_file(tmp_path: Path) -> None:
    cfg = _config(tmp_path, "rules:\n  pdb-blocks-drain: {options: {strict: true}}\n")
    with pytest.raises(ConfigError) as exc:
        resolve_rules(load_settings(cfg), load_rules())
    assert str(exc.value).startswith(f"{cfg}: rules.pdb-blocks-drain.options: rule pdb-blocks-drain has no option")


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("fail-on: error\nrules: [\n", "3:1", "expected the node content, but found '<stream end>'"),
        ("fail-on: error\n  bad: indent\n", "2:6", "mapping values are not allowed here"),
        ('as-of: "2026-01-01\n', "2:1", "found unexpected end of stream (while scanning a quoted scalar)"),
        ("fail-on: error\x07\n", "1:15", "unacceptable character #x0007"),
    ],
)
def test_a_broken_config_says_path_line_col(tmp_path: Path, text: str, where: str, problem: str) -> None:
    cfg = _config(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load_settings(cfg)
    message = str(exc.value)
    assert message.startswith(f"{cfg}:{where}: invalid YAML: {problem}"), message
    assert "<unicode string>" not in message and not message.rstrip().endswith("^") and "\n" not in message


# -- 21: an unquoted eksctl version is one finding ------------------------------------------------

UNQUOTED = """apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: demo
  region: eu-west-1
  version: 1.30
"""


def test_an_unquoted_cluster_version_is_one_finding(tmp_path: Path) -> None:
    (tmp_path / "cluster.yaml").write_text(UNQUOTED)
    code, out, _ = invoke(
        "scan", str(tmp_path), "--no-config", "--enable", "all", "--as-of", "2026-11-25", "-f", "json"
    )
    assert code == 1
    on_line = [(r["rule"], r["message"]) for r in json.loads(out)["results"] if r["line"] == 6]
    assert [rule for rule, _ in on_line] == ["eks-version-support"], on_line
    assert 'quote it: "1.30"' in on_line[0][1]


def test_without_eks_version_support_yaml_implicit_type_still_reports_it(tmp_path: Path) -> None:
    (tmp_path / "cluster.yaml").write_text(UNQUOTED)
    code, out, _ = invoke(
        "scan", str(tmp_path), "--no-config", "--disable", "all", "--enable", "yaml-implicit-type", "-f", "json"
    )
    assert code == 1
    on_line = [r["rule"] for r in json.loads(out)["results"] if r["line"] == 6]
    assert on_line == ["yaml-implicit-type"]
