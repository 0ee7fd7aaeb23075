"""Report paths in CI are relative to the repository, not to the folder ekslint runs in.

A workflow step with ``working-directory: infra`` runs ekslint in ``$GITHUB_WORKSPACE/infra``,
but the runner attaches an annotation's ``file=`` to the repository root (it only rewrites
absolute paths below the workspace: actions/runner ``IssueCommandExtension``), and code scanning
resolves SARIF URIs against the checkout; GitLab links Code Quality paths from
``$CI_PROJECT_DIR``. These tests fake the workspace variables.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ekslint.cli import app
from ekslint.linter.formatters.location import report_path, repository_root, shared_relpath

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  containers:
    - name: c
      image: nginx:1.27
      securityContext: {privileged: true}
"""
ONLY = ["--no-config", "--disable", "all", "--enable", "privileged-container"]
CLEAN_ENV = {"NO_COLOR": "1", "GITHUB_ACTIONS": "", "GITHUB_WORKSPACE": "", "CI_PROJECT_DIR": ""}


def invoke(*args: str, env: dict[str, str]) -> Any:
    return CliRunner().invoke(app, list(args), env={**CLEAN_ENV, **env})


@pytest.fixture
def infra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout in ``tmp_path/ws`` with manifests in ``infra/k8s`` and ``shared``; cwd ``infra``."""
    for folder in ("infra/k8s", "shared"):
        (tmp_path / "ws" / folder).mkdir(parents=True)
        (tmp_path / "ws" / folder / "pod.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path / "ws" / "infra")
    return tmp_path / "ws"


def sarif_uris(text: str) -> list[str]:
    run = json.loads(text)["runs"][0]
    return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]


def test_github_annotations_and_sarif_relative_to_the_workspace(infra: Path) -> None:
    env = {"GITHUB_WORKSPACE": str(infra), "GITHUB_ACTIONS": "true"}
    result = invoke("scan", "k8s", "../shared/pod.yaml", *ONLY, "--sarif-file", "out.sarif", env=env)
    assert result.exit_code == 1, result.stderr
    files = [line.split("file=", 1)[1].split(",", 1)[0] for line in result.stdout.splitlines() if line.startswith("::")]
    assert sorted(files) == ["infra/k8s/pod.yaml", "shared/pod.yaml"]
    assert sorted(sarif_uris((infra / "infra" / "out.sarif").read_text())) == ["infra/k8s/pod.yaml", "shared/pod.yaml"]
    # Text and JSON are read by people and tools in the folder ekslint ran in: unchanged.
    text = invoke("scan", "k8s", *ONLY, "-f", "text", env=env).stdout
    assert text.startswith("k8s/pod.yaml:8:")


def test_absolute_paths_below_the_workspace(infra: Path) -> None:
    env = {"GITHUB_WORKSPACE": str(infra)}
    result = invoke("scan", str(infra / "shared"), *ONLY, "-f", "sarif", env=env)
    assert sarif_uris(result.stdout) == ["shared/pod.yaml"]


def test_github_annotations_keep_absolute_paths(infra: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner itself makes an absolute ``file=`` below the workspace relative to it; a path
    made relative to some other folder would attach to nothing."""
    (tmp_path / "temp").mkdir()
    monkeypatch.chdir(tmp_path / "temp")
    pod = str(infra / "shared" / "pod.yaml")
    result = invoke("scan", pod, *ONLY, "-f", "github", env={"GITHUB_WORKSPACE": str(infra)})
    assert result.stdout.startswith(f"::error file={pod},line=8,")


def test_gitlab_paths_relative_to_the_project_dir(infra: Path) -> None:
    result = invoke("scan", "k8s", *ONLY, "-f", "gitlab", env={"CI_PROJECT_DIR": str(infra)})
    assert [e["location"]["path"] for e in json.loads(result.stdout)] == ["infra/k8s/pod.yaml"]


def test_a_workspace_that_does_not_hold_the_folder_is_ignored(infra: Path, tmp_path: Path) -> None:
    """A tool run from a temporary folder in CI: its paths stay relative to where it ran."""
    (tmp_path / "elsewhere").mkdir()
    result = invoke("scan", "k8s", *ONLY, "-f", "sarif", env={"GITHUB_WORKSPACE": str(tmp_path / "elsewhere")})
    assert sarif_uris(result.stdout) == ["k8s/pod.yaml"]
    assert repository_root(infra / "infra", {"GITHUB_WORKSPACE": "relative/ws"}) == infra / "infra"
    assert repository_root(infra / "infra", {}) == infra / "infra"


def test_workspace_reached_through_a_symbolic_link(infra: Path, tmp_path: Path) -> None:
    """The runner's workspace variable may name a link (macOS /var -> /private/var); the cwd is real."""
    (tmp_path / "link").symlink_to(infra, target_is_directory=True)
    root = repository_root(infra / "infra", {"GITHUB_WORKSPACE": str(tmp_path / "link")})
    assert report_path("k8s/pod.yaml", root, infra / "infra") == ("infra/k8s/pod.yaml", True)
    assert report_path(str(infra / "shared" / "pod.yaml"), root, infra / "infra") == ("shared/pod.yaml", True)


def test_report_path_rules() -> None:
    root, cwd = Path("/home/runner/work/repo/repo"), Path("/home/runner/work/repo/repo/infra")
    assert report_path("k8s/./a.yaml", root, cwd) == ("infra/k8s/a.yaml", True)
    assert report_path("../shared/a.yaml", root, cwd) == ("shared/a.yaml", True)
    assert report_path("k8s/a.yaml", root) == ("k8s/a.yaml", True)  # cwd defaults to the root
    assert report_path("/tmp/render/a.yaml", root, cwd) == ("a.yaml", False)
    # Windows runners: a file outside the folder ekslint ran in is shown absolute, with a drive.
    assert shared_relpath("C:/Users/runneradmin/AppData/Local/Temp/a.yaml", "D:/a/repo/repo") is None
    assert shared_relpath("D:/a/other/a.yaml", "D:/a/repo/repo") == "../../other/a.yaml"
    assert shared_relpath("D:/b/a.yaml", "D:/a/repo") is None  # shares only the drive
    assert shared_relpath("/tmp/a.yaml", "/home/runner") is None
