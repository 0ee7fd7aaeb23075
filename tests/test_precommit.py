"""The pre-commit hook, for real: a consumer repository runs it through `pre-commit try-repo`.

pre-commit (from PyPI, a dev dependency) builds the hook's own environment from this checkout, as
it would for a user pinning our repository, so this takes about half a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BAD = """\
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: ops}
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext: {privileged: true}
"""
GOOD = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ops}
data: {LOG_LEVEL: info}
"""


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    pre_commit = shutil.which(
        "pre-commit", path=os.pathsep.join([str(Path(os.sys.executable).parent), os.environ.get("PATH", "")])
    )  # type: ignore[attr-defined]
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    repo = tmp_path / "consumer"
    repo.mkdir()
    (repo / "bad.yaml").write_text(BAD)
    (repo / "good.yaml").write_text(GOOD)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: HEAD\n    hooks:\n      - id: ekslint\n"
    )
    git(repo, "init", "-q")
    git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    env.pop("VIRTUAL_ENV", None)

    def run(*files: str) -> subprocess.CompletedProcess[str]:
        cmd = [pre_commit, "try-repo", str(ROOT), "ekslint", "--verbose", "--files", *files]
        return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=900)

    bad = run("bad.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad.yaml:8:" in bad.stdout and "privileged-container" in bad.stdout
    good = run("good.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
