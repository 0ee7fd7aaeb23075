"""Discovery that respects the repository: git's ignore files, virtualenvs and build output,
configs in pyproject.toml, a config per scanned tree, and the run's own baseline file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekslint.cli import app
from ekslint.linter import gitignore
from ekslint.linter.config import ConfigError, config_groups, find_config, load_settings
from ekslint.linter.paths import discover

PRIVILEGED = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\n"
    "spec: {containers: [{name: a, image: 'x:1', securityContext: {privileged: true}}]}\n"
)
runner = CliRunner()


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's global git excludes must not change what these tests see."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    gitignore._global_excludes_file.cache_clear()
    yield home
    gitignore._global_excludes_file.cache_clear()


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def found(root: Path, *, respect_gitignore: bool = True) -> list[str]:
    files, problems = discover([str(root)], cwd=root, root=root, exclude=[], respect_gitignore=respect_gitignore)
    assert problems == []
    return [c.display for c in files]


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""})
    return result.exit_code, result.stdout, result.stderr


def test_virtualenvs_of_any_name_and_build_output_are_skipped(tmp_path: Path) -> None:
    repo = write(
        tmp_path / "repo",
        {
            "app.yaml": "a: 1\n",
            "tools-env/pyvenv.cfg": "home = /usr/bin\n",
            "tools-env/lib/python3.11/site-packages/x/deploy.yaml": "a: 1\n",
            "build/out.yaml": "a: 1\n",
            "dist/out.yaml": "a: 1\n",
            ".nox/x.yaml": "a: 1\n",
            ".terragrunt-cache/x/main.tf": "",
            "pkg.egg-info/x.json": "{}\n",
        },
    )
    assert found(repo) == ["app.yaml"]
    # a skipped folder named on the command line is still read
    files, _ = discover([str(repo / "build")], cwd=repo, root=repo, exclude=[])
    assert [c.display for c in files] == ["build/out.yaml"]


def git_repo(root: Path) -> Path:
    (root / ".git" / "info").mkdir(parents=True)
    return root


def test_gitignore_rules_as_git_reads_them(tmp_path: Path, own_home: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    write(
        repo,
        {
            ".gitignore": "generated/\n*.local.yaml\n!keep.local.yaml\n/rendered.yaml\n",
            ".git/info/exclude": "scratch.yaml\n",
            "app.yaml": "a: 1\n",
            "generated/x.yaml": "a: 1\n",
            "keep.local.yaml": "a: 1\n",
            "dev.local.yaml": "a: 1\n",
            "rendered.yaml": "a: 1\n",
            "sub/rendered.yaml": "a: 1\n",
            "scratch.yaml": "a: 1\n",
            "sub/.gitignore": "!dev.local.yaml\nonly-here.yaml\n",
            "sub/dev.local.yaml": "a: 1\n",
            "sub/only-here.yaml": "a: 1\n",
            "only-here.yaml": "a: 1\n",
            "mine.yaml": "a: 1\n",
        },
    )
    write(own_home, {".config/git/ignore": "mine.yaml\n"})
    assert found(repo) == ["app.yaml", "keep.local.yaml", "only-here.yaml", "sub/dev.local.yaml", "sub/rendered.yaml"]
    assert len(found(repo, respect_gitignore=False)) == 11


def test_global_excludes_file_from_the_users_git_config(tmp_path: Path, own_home: Path) -> None:
    repo = write(git_repo(tmp_path / "repo"), {"a.yaml": "a: 1\n", "b.yaml": "a: 1\n"})
    write(
        own_home,
        {".gitconfig": '[user]\n\tname = x\n[core]\n\texcludesFile = "~/my-ignores"\n', "my-ignores": "b.yaml\n"},
    )
    assert found(repo) == ["a.yaml"]


def test_a_subfolder_scan_applies_the_ignore_files_above_it(tmp_path: Path) -> None:
    repo = write(
        git_repo(tmp_path / "repo"), {".gitignore": "*.gen.yaml\n", "k8s/a.yaml": "a: 1\n", "k8s/b.gen.yaml": "a: 1\n"}
    )
    files, _ = discover([str(repo / "k8s")], cwd=repo, root=repo, exclude=[])
    assert [c.display for c in files] == ["k8s/a.yaml"]
    # a file named on the command line is read although git ignores it (pre-commit names files)
    files, _ = discover([str(repo / "k8s" / "b.gen.yaml")], cwd=repo, root=repo, exclude=[])
    assert [c.display for c in files] == ["k8s/b.gen.yaml"]


def test_gitignore_outside_a_work_tree_and_in_a_nested_repository(tmp_path: Path) -> None:
    plain = write(tmp_path / "plain", {".gitignore": "*.yaml\n", "a.yaml": "a: 1\n"})
    assert found(plain) == ["a.yaml"]  # git reads no .gitignore outside a work tree
    repo = write(git_repo(tmp_path / "repo"), {".gitignore": "x.yaml\n", "x.yaml": "a: 1\n"})
    write(git_repo(repo / "module"), {"x.yaml": "a: 1\n"})  # another repository: its own rules
    assert found(repo) == ["module/x.yaml"]


def test_linked_work_tree_reads_the_common_info_exclude(tmp_path: Path) -> None:
    main = git_repo(tmp_path / "main")
    write(main, {".git/info/exclude": "private.yaml\n", ".git/worktrees/wt/commondir": "../..\n"})
    wt = write(
        tmp_path / "wt", {".git": f"gitdir: {main / '.git' / 'worktrees' / 'wt'}\n", "a.yaml": "", "private.yaml": ""}
    )
    assert found(wt) == ["a.yaml"]


def test_hostile_ignore_patterns_match_in_linear_time(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    long_name = "a" * 200 + ".yaml"
    write(repo, {".gitignore": "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n[z-a]\n\\\n**/**/**/**/**/**/**/c\n", long_name: ""})
    start = time.monotonic()
    assert found(repo) == [long_name]
    assert time.monotonic() - start < 5  # Python's re takes minutes on the first line


def test_scan_respects_gitignore_and_the_flag_turns_it_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write(git_repo(tmp_path / "repo"), {".gitignore": "ignored/\n", "ignored/pod.yaml": PRIVILEGED})
    monkeypatch.chdir(repo)
    assert invoke("scan", ".", "--no-config", "-f", "json")[0] == 0
    code, out, _ = invoke("scan", ".", "--no-config", "-f", "json", "--no-respect-gitignore")
    assert code == 1 and json.loads(out)["summary"]["files"] == 1
    (repo / ".ekslint.yaml").write_text("respect-gitignore: false\n")
    assert invoke("scan", ".", "-f", "json")[0] == 1


def test_pyproject_tool_table_is_a_config(tmp_path: Path) -> None:
    write(tmp_path, {".ekslint.yaml": "fail-on: note\n", "proj/pyproject.toml": '[project]\nname = "x"\n'})
    # a pyproject.toml without [tool.ekslint] is passed over
    assert find_config(tmp_path / "proj") == tmp_path / ".ekslint.yaml"
    (tmp_path / "proj" / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["ekslint"]\n\n[tool.ekslint]\nfail-on = "error"\n'
        'kubernetes-version = "1.33"\nas-of = 2026-01-05\n\n[tool.ekslint.rules]\nrun-as-root = false\n'
    )
    assert find_config(tmp_path / "proj") == tmp_path / "proj" / "pyproject.toml"
    settings = load_settings(None, start=tmp_path / "proj")
    assert (settings.fail_on, settings.kubernetes_version, str(settings.as_of)) == ("error", "1.33", "2026-01-05")
    assert settings.rules["run-as-root"].enabled is False
    assert settings.root == (tmp_path / "proj").resolve()
    # .ekslint.yaml beats pyproject.toml in the same folder
    (tmp_path / "proj" / ".ekslint.yaml").write_text("fail-on: warning\n")
    assert find_config(tmp_path / "proj") == tmp_path / "proj" / ".ekslint.yaml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.ekslint\nfail-on = 1\n", "invalid TOML"),
        ("[tool.ekslint]\nfail-on = 'sometimes'\n", "fail-on must be one of"),
        ("[tool.ekslint]\nbogus = 1\n", "unknown setting"),
        ("[tool]\nekslint = 3\n", "must be a table"),
        ("[tool.ekslint]\nmax-file-size = " + "9" * 5000 + "\n", "cannot be read"),
        ("[tool.ekslint]\nx = " + "[" * 5000 + "]" * 5000 + "\n", "pyproject.toml"),
    ],
)
def test_broken_pyproject_config_is_one_line_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        load_settings(None, start=tmp_path)
    assert "\n" not in str(info.value)
    assert "pyproject.toml" in str(info.value)


def test_each_tree_is_linted_with_its_own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "team-a/.ekslint.yaml": "rules: {privileged-container: false}\n",
            "team-a/pod.yaml": PRIVILEGED,
            "team-b/.ekslint.yaml": "fail-on: none\n",
            "team-b/pod.yaml": PRIVILEGED,
        },
    )
    monkeypatch.chdir(tmp_path)
    groups = config_groups(["team-a/pod.yaml", "team-b", "team-a"], tmp_path)
    assert [(g and g.parent.name, p) for g, p in groups] == [
        ("team-a", ["team-a/pod.yaml", "team-a"]),
        ("team-b", ["team-b"]),
    ]
    code, out, err = invoke("scan", "team-a/pod.yaml", "team-b/pod.yaml", "-f", "json")
    rules = {(r["file"], r["rule"]) for r in json.loads(out)["results"]}
    assert ("team-b/pod.yaml", "privileged-container") in rules
    assert ("team-a/pod.yaml", "privileged-container") not in rules
    assert code == 1  # team-b says fail-on none, but team-a's other findings still fail the run
    assert "2 trees linted" in err


def test_a_walk_says_which_configs_below_it_are_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan takes the config of each path it names; one of the folders a walk goes through is
    not used, and the note says so and how to use it, instead of ignoring it silently."""
    write(
        tmp_path,
        {
            ".ekslint.yaml": "fail-on: error\n",
            "team-a/.ekslint.yaml": "rules: {privileged-container: false}\n",
            "team-a/pod.yaml": PRIVILEGED,
            "team-b/pyproject.toml": "[tool.ekslint]\nfail-on = 'none'\n",
            "team-c/pyproject.toml": "[project]\nname = 'c'\n",  # no [tool.ekslint]: not a config
            "vendor/.ekslint.yaml": "fail-on: none\n",
            ".gitignore": "vendor/\n",
        },
    )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    _, out, err = invoke("scan", ".", "-f", "json")
    assert ("team-a/pod.yaml", "privileged-container") in {(r["file"], r["rule"]) for r in json.loads(out)["results"]}
    assert (
        "ekslint: note: 2 config files below the scanned folders are not used (team-a/.ekslint.yaml, "
        "team-b/pyproject.toml): a scan takes the config of each path it names, so those folders are linted "
        "with the settings of .ekslint.yaml; name them (ekslint scan team-a team-b) to lint each with its own "
        "config"
    ) in err.splitlines()
    _, _, err = invoke("scan", "team-a", "team-b")
    assert "not used" not in err and "2 trees linted" in err
    for flags in (["--no-config"], ["--config", ".ekslint.yaml"]):  # the config is chosen: nothing to say
        assert "not used" not in invoke("scan", ".", *flags)[2]


def test_the_runs_baseline_file_is_not_read_as_a_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"pod.yaml": PRIVILEGED})
    monkeypatch.chdir(tmp_path)
    invoke("scan", ".", "--no-config", "--write-baseline", "baseline.json")
    code, out, _ = invoke("scan", ".", "--no-config", "--baseline", "baseline.json", "-f", "json")
    assert code == 0
    assert json.loads(out)["summary"]["files"] == 1


def test_values_without_helm_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "v.yaml").write_text("a: 1\n")
    code, _, err = invoke("scan", str(tmp_path), "--no-config", "--values", str(tmp_path / "v.yaml"))
    assert code == 2
    assert "--values is for --helm" in err


def test_short_help_and_shell_completion() -> None:
    code, out, _ = invoke("scan", "-h")
    assert code == 0 and "Usage: ekslint scan" in out
    exe = shutil.which("ekslint", path=str(Path(sys.executable).parent)) or shutil.which("ekslint")
    if exe is None:
        pytest.skip("the ekslint console script is not installed")
    done = subprocess.run([exe, "--show-completion", "bash"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "_ekslint_completion" in done.stdout
