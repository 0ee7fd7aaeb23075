"""The composite action's script steps, run for real with GitHub's environment variables set.

Each ``run:`` block of action.yml is executed by bash the way the runner does it: ``${{ }}``
expressions (inputs and earlier steps' outputs) are substituted into the step's ``env`` and
``working-directory``, each step gets its own GITHUB_OUTPUT file, and GITHUB_WORKSPACE,
GITHUB_ACTION_PATH, RUNNER_TEMP and GITHUB_STEP_SUMMARY point into a temporary folder. ``uses:``
steps (actions/setup-python) are skipped: the tests pass ``python`` explicitly, which skips that
step on a runner too. The install step builds a real virtualenv from this checkout (about half a
minute), once for the module; the scans reuse it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from action_constraints import constraints
from packaging.utils import canonicalize_name

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the harness runs the steps with this bash")

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
BAD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext: {privileged: true}
"""
#: How the runner runs a ``shell: bash`` step (GitHub docs, "Workflow syntax", ``shell``).
RUNNER_BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def substitute(value: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    """The expressions action.yml uses: ``inputs.NAME`` and ``steps.ID.outputs.NAME`` (a skipped
    step's outputs are empty). Any other expression fails the test rather than pass unevaluated."""

    def value_of(match: re.Match[str]) -> str:
        expr = match.group(1)
        if m := re.fullmatch(r"inputs\.([\w-]+)", expr):
            return inputs[m.group(1)]
        if m := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr):
            return outputs.get(m.group(1), {}).get(m.group(2), "")
        raise AssertionError(f"the test harness does not evaluate ${{{{ {expr} }}}}")

    return EXPRESSION.sub(value_of, value)


def read_outputs(file: Path) -> dict[str, str]:
    """A GITHUB_OUTPUT file: ``name=value`` lines and ``name<<DELIMITER`` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(file.read_text().splitlines()) if file.exists() else iter(())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            outputs[name] = "\n".join(iter(lambda: next(lines), delimiter))
        else:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


@dataclass
class Run:
    steps: dict[str, subprocess.CompletedProcess[str]]
    outputs: dict[str, dict[str, str]]
    #: The action's own outputs (action.yml ``outputs``), evaluated.
    action_outputs: dict[str, str]


def run_action(
    tmp: Path, work: Path, inputs: dict[str, str], *, only: set[str] | None = None, before: Run | None = None
) -> Run:
    """Run the action's ``run:`` steps (``only`` these ids) with cwd ``work`` as the workspace;
    ``before`` holds the outputs of steps run earlier (the install)."""
    values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    assert set(inputs) <= set(values), f"no such input: {set(inputs) - set(values)}"
    values.update(inputs)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "VIRTUAL_ENV", "PYTHONPATH"))},
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_ACTION_PATH": str(ROOT),
        "RUNNER_TEMP": str(tmp / "runner"),
        "GITHUB_STEP_SUMMARY": str(tmp / "summary.md"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    (tmp / "runner").mkdir(exist_ok=True)
    outputs = dict(before.outputs) if before else {}
    results: dict[str, subprocess.CompletedProcess[str]] = {}
    for number, step in enumerate(ACTION["runs"]["steps"]):
        step_id = step.get("id", f"step{number}")
        if "uses" in step or (only is not None and step_id not in only):
            continue
        output_file = tmp / f"output-{step_id}"
        output_file.write_text("")
        step_env = {**env, "GITHUB_OUTPUT": str(output_file)}
        step_env.update({k: substitute(str(v), values, outputs) for k, v in step.get("env", {}).items()})
        cwd = work / substitute(step.get("working-directory", "."), values, outputs)
        proc = subprocess.run(
            [*RUNNER_BASH, step["run"]], cwd=cwd, env=step_env, capture_output=True, text=True, timeout=600
        )
        results[step_id] = proc
        outputs[step_id] = read_outputs(output_file)
    action_outputs = {name: substitute(spec["value"], values, outputs) for name, spec in ACTION["outputs"].items()}
    return Run(results, outputs, action_outputs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The install step, once: a virtualenv with ekslint from this checkout, pinned by the constraints."""
    tmp = tmp_path_factory.mktemp("action")
    (tmp / "repo").mkdir()
    run = run_action(tmp, tmp / "repo", {"python": sys.executable}, only={"install"})
    install = run.steps["install"]
    assert install.returncode == 0, install.stdout + install.stderr
    return run


def scan(tmp: Path, work: Path, installed: Run, **inputs: str) -> Run:
    return run_action(tmp, work, {"python": sys.executable, **inputs}, only={"scan"}, before=installed)


def annotated_files(stdout: str) -> list[str]:
    return sorted(line.split("file=", 1)[1].split(",", 1)[0] for line in stdout.splitlines() if line.startswith("::"))


def sarif_uris(path: Path) -> list[str]:
    data: dict[str, Any] = json.loads(path.read_text())
    return sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"])


def test_install_pins_the_dependencies(installed: Run) -> None:
    """Every distribution in the action's virtualenv but ekslint and pip is at its pinned version."""
    python = installed.outputs["install"]["python"]
    assert Path(python).is_file()
    frozen = subprocess.run([python, "-m", "pip", "list", "--format", "json"], capture_output=True, text=True)
    installed_versions = {canonicalize_name(d["name"]): d["version"] for d in json.loads(frozen.stdout)}
    pins = constraints()
    assert {name: v for name, v in installed_versions.items() if name not in ("ekslint", "pip")} == {
        name: pins[name] for name in installed_versions if name not in ("ekslint", "pip")
    }


def test_scan_annotates_and_writes_sarif_and_summary(tmp_path: Path, installed: Run) -> None:
    work = tmp_path / "repo"
    (work / "manifests").mkdir(parents=True)
    (work / "manifests" / "web.yaml").write_text(BAD)
    run = scan(tmp_path, work, installed, paths="manifests", args="--no-config")
    result = run.steps["scan"]
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(
        "::error file=manifests/web.yaml,line=12,col=29,title=ekslint privileged-container::"
    )
    assert run.action_outputs == {"sarif-file": "ekslint.sarif", "exit-code": "1"}
    sarif = json.loads((work / "ekslint.sarif").read_text())
    assert any(r["ruleId"] == "privileged-container" for r in sarif["runs"][0]["results"])
    summary = (tmp_path / "summary.md").read_text()
    assert "## ekslint" in summary and "| `privileged-container` | 🔴 error | 1 |" in summary


def test_multi_line_inputs_quotes_globs_and_working_directory(tmp_path: Path, installed: Run) -> None:
    """What a user writes in a workflow: ``paths: |`` and ``args: |`` blocks, a quoted glob in
    ``args``, globs in ``paths``, the scan in a subfolder; annotations and SARIF name files
    from the repository root."""
    work = tmp_path / "repo"
    for name in ("infra/k8s/apps/web.yaml", "infra/k8s/db.yaml", "infra/clusters/prod/app.yaml"):
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(BAD)
    (work / "infra/third_party/vendor/x.yaml").parent.mkdir(parents=True)
    (work / "infra/third_party/vendor/x.yaml").write_text(BAD)  # named, then excluded by the quoted glob
    (work / "infra/k8s/notes.txt").write_text("not a manifest")
    run = scan(
        tmp_path,
        work,
        installed,
        **{
            "working-directory": "infra",
            "paths": "k8s/**/*.yaml\nclusters/*\nthird_party/\n",
            "args": "--no-config\n--exclude 'third_party/**' --disable \"default-namespace\"\n",
        },
    )
    result = run.steps["scan"]
    assert result.returncode == 1, result.stdout + result.stderr
    expected = ["infra/clusters/prod/app.yaml", "infra/k8s/apps/web.yaml", "infra/k8s/db.yaml"]
    assert sorted(set(annotated_files(result.stdout))) == expected
    assert sorted(set(sarif_uris(work / "infra" / "ekslint.sarif"))) == expected
    assert run.action_outputs == {"sarif-file": "infra/ekslint.sarif", "exit-code": "1"}


def test_a_glob_that_matches_nothing_is_an_error(tmp_path: Path, installed: Run) -> None:
    work = tmp_path / "repo"
    (work / "k8s").mkdir(parents=True)
    (work / "k8s" / "web.yaml").write_text(BAD)
    run = scan(tmp_path, work, installed, paths="k8s\nhelm/**/*.yaml", args="--no-config")
    result = run.steps["scan"]
    assert result.returncode == 2
    assert result.stderr == "ekslint: error: paths: helm/**/*.yaml matches no file or folder\n"
    assert run.action_outputs["exit-code"] == "2"


def test_unbalanced_quotes_in_args_are_an_error(tmp_path: Path, installed: Run) -> None:
    (tmp_path / "repo").mkdir()
    run = scan(tmp_path, tmp_path / "repo", installed, args="--exclude 'third_party/**")
    assert run.steps["scan"].returncode == 2
    assert run.steps["scan"].stderr.startswith("ekslint: error: args: no closing quotation")


def test_python_older_than_3_11_is_refused_with_a_message(tmp_path: Path) -> None:
    """Checked before anything is installed: pip would only say 'requires a different Python'."""
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\n[ \"$1\" = -V ] && echo 'Python 3.9.18'\nexit 1\n")
    old.chmod(0o755)
    (tmp_path / "repo").mkdir()
    run = run_action(tmp_path, tmp_path / "repo", {"python": str(old)}, only={"install"})
    install = run.steps["install"]
    assert install.returncode == 2
    assert f"::error title=ekslint::ekslint needs Python 3.11 or newer: {old} is Python 3.9.18" in install.stdout
    assert not (tmp_path / "runner" / "ekslint-venv").exists()
