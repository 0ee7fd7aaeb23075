"""The composite action's script steps, run for real with GitHub's environment variables set.

Each ``run:`` block of action.yml is executed by bash the way the runner does it: inputs are
substituted into the step's ``env``, and GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_OUTPUT and
GITHUB_STEP_SUMMARY point into a temporary folder. The install step builds a real virtualenv
from this checkout (about half a minute).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
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


def substitute(value: str, inputs: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], value)


@pytest.mark.skipif(sys.platform == "win32", reason="the action's steps are bash")
def test_action_steps(tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs.update({"paths": "manifests", "args": "--no-config", "python": sys.executable})
    work = tmp_path / "repo"
    (work / "manifests").mkdir(parents=True)
    (work / "manifests" / "web.yaml").write_text(BAD)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "VIRTUAL_ENV"))},
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": str(ROOT),
        "RUNNER_TEMP": str(tmp_path / "runner"),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    (tmp_path / "runner").mkdir()
    results = []
    for step in action["runs"]["steps"]:
        step_env = {**env, **{k: substitute(str(v), inputs) for k, v in step.get("env", {}).items()}}
        proc = subprocess.run(
            ["bash", "-c", step["run"]], cwd=work, env=step_env, capture_output=True, text=True, timeout=600
        )
        results.append(proc)
    install, scan = results
    assert install.returncode == 0, install.stderr
    assert scan.returncode == 1, scan.stderr
    assert scan.stdout.startswith("::error file=manifests/web.yaml,line=12,col=29,title=ekslint privileged-container::")
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text().splitlines())
    assert outputs == {"sarif-file": "ekslint.sarif", "exit-code": "1"}
    sarif = json.loads((work / "ekslint.sarif").read_text())
    assert any(r["ruleId"] == "privileged-container" for r in sarif["runs"][0]["results"])
    summary = (tmp_path / "summary.md").read_text()
    assert "## ekslint" in summary and "| `privileged-container` | 🔴 error | 1 |" in summary
