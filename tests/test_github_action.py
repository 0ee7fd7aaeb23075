"""The GitHub Action's inputs, interpreter, pins and step definitions (fast; test_action.py runs the steps)."""

from __future__ import annotations

import itertools
import re
import sys
import textwrap
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
import yaml
from action_constraints import constraints
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from ekslint.github_action import (
    InputError,
    expand_paths,
    scan_argv,
    split_args,
    split_paths,
    venv_python,
    workspace_path,
)

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


# --- inputs ------------------------------------------------------------------------------------


def test_args_are_split_like_a_shell_command_line() -> None:
    assert split_args("--exclude 'third_party/**' --kubernetes-version 1.33") == [
        "--exclude",
        "third_party/**",
        "--kubernetes-version",
        "1.33",
    ]
    assert split_args('--config ".ekslint prod.yaml"\n--var-file infra/prod.tfvars\n') == [
        "--config",
        ".ekslint prod.yaml",
        "--var-file",
        "infra/prod.tfvars",
    ]
    assert split_args("--exclude a\\ b") == ["--exclude", "a b"]
    assert split_args("--exclude $HOME/*") == ["--exclude", "$HOME/*"]  # nothing is expanded
    assert split_args("") == [] and split_args("  \n ") == []


@pytest.mark.parametrize("text", ["--exclude 'third_party/**", '--config "a', "--exclude a\\"])
def test_unbalanced_quotes_are_an_error(text: str) -> None:
    with pytest.raises(InputError, match=r"^args: (no closing quotation|no escaped character) in "):
        split_args(text)


def test_paths_are_split_on_spaces_and_newlines() -> None:
    assert split_paths("k8s/ eksctl/") == ["k8s/", "eksctl/"]
    assert split_paths("k8s/\n  eksctl/cluster.yaml\n\n\tcharts/\n") == ["k8s/", "eksctl/cluster.yaml", "charts/"]
    assert split_paths("") == []


def test_globs_in_paths_are_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("k8s/a.yaml", "k8s/apps/b.yaml", "k8s/apps/deep/c.yaml", "k8s/apps/notes.txt", "k8s/.hidden/d.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "clusters" / "prod").mkdir(parents=True)
    (tmp_path / "clusters" / "dev.yaml").write_text("")
    (tmp_path / "app" / "[id]").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert expand_paths(["k8s/**/*.yaml"]) == ["k8s/a.yaml", "k8s/apps/b.yaml", "k8s/apps/deep/c.yaml"]
    assert expand_paths(["clusters/*", "k8s/a.yaml"]) == ["clusters/dev.yaml", "clusters/prod", "k8s/a.yaml"]
    assert expand_paths(["k8s/ap?s/b.yaml"]) == ["k8s/apps/b.yaml"]
    # A name that is not a glob is passed on as it is (ekslint says if it does not exist) ...
    assert expand_paths(["missing.yaml", "."]) == ["missing.yaml", "."]
    # ... and so is a glob-like name that exists and matches nothing else.
    assert expand_paths(["app/[id]"]) == ["app/[id]"]
    with pytest.raises(InputError, match=r"^paths: helm/\*\*/\*\.yaml matches no file or folder$"):
        expand_paths(["k8s", "helm/**/*.yaml"])


def test_scan_command_line() -> None:
    env = {
        "EKSLINT_PATHS": "k8s/\neksctl/",
        "EKSLINT_ARGS": "--exclude 'third_party/**'",
        "EKSLINT_FAIL_ON": "error",
        "EKSLINT_SARIF": "out/ekslint.sarif",
        "GITHUB_STEP_SUMMARY": "/runner/summary.md",
    }
    fixed = ["scan", "--format", "github", "--fail-on", "error", "--sarif-file", "out/ekslint.sarif"]
    summary = ["--summary-file", "/runner/summary.md"]
    assert scan_argv(env) == [*fixed, *summary, "--exclude", "third_party/**", "--", "k8s/", "eksctl/"]
    # No SARIF file, no summary outside Actions, no paths: ekslint's own default (., or only the renders).
    bare = {"EKSLINT_PATHS": "", "EKSLINT_ARGS": "--helm chart", "EKSLINT_FAIL_ON": "warning", "EKSLINT_SARIF": ""}
    assert scan_argv(bare) == ["scan", "--format", "github", "--fail-on", "warning", "--helm", "chart"]


def test_sarif_output_is_a_path_from_the_workspace(tmp_path: Path) -> None:
    """The next step (upload-sarif) runs in the workspace, not in the scan's working-directory."""
    infra = tmp_path / "infra"
    infra.mkdir()
    env = {"GITHUB_WORKSPACE": str(tmp_path)}
    assert workspace_path("ekslint.sarif", infra, env) == "infra/ekslint.sarif"
    assert workspace_path("./out/../ekslint.sarif", tmp_path, env) == "ekslint.sarif"
    assert workspace_path("/runner/temp/ekslint.sarif", infra, env) == "/runner/temp/ekslint.sarif"
    assert workspace_path("ekslint.sarif", infra, {}) == "ekslint.sarif"
    assert workspace_path("", infra, env) == ""


# --- interpreter -------------------------------------------------------------------------------


def test_venv_python_per_platform() -> None:
    """venv puts the interpreter in Scripts\\python.exe on Windows and bin/python elsewhere."""
    assert (
        venv_python("/home/runner/work/_temp/ekslint-venv", "linux")
        == "/home/runner/work/_temp/ekslint-venv/bin/python"
    )
    assert venv_python("/Users/runner/work/_temp/ekslint-venv", "darwin").endswith("/ekslint-venv/bin/python")
    # RUNNER_TEMP is a Windows path; the step appends /ekslint-venv.
    assert venv_python("D:\\a\\_temp/ekslint-venv", "win32") == "D:\\a\\_temp\\ekslint-venv\\Scripts\\python.exe"


def test_venv_python_matches_this_interpreter_s_venv_layout(tmp_path: Path) -> None:
    import venv

    context = venv.EnvBuilder().ensure_directories(tmp_path / "v")
    assert Path(venv_python(str(tmp_path / "v"))).parent == Path(context.bin_path)


# --- pins --------------------------------------------------------------------------------------

#: Where the action runs: GitHub's runners, Python 3.11 (ekslint's floor) and newer.
ENVIRONMENTS = [
    {
        "sys_platform": sys_platform,
        "platform_system": system,
        "os_name": os_name,
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }
    for (sys_platform, system, os_name), version in itertools.product(
        [("linux", "Linux", "posix"), ("win32", "Windows", "nt"), ("darwin", "Darwin", "posix")],
        ["3.11", "3.12", "3.13", "3.14"],
    )
]


def runtime_requirements() -> dict[str, list[Requirement]]:
    """ekslint's runtime requirements (pyproject.toml) and theirs, recursively, from the metadata
    of the installed distributions: every requirement that applies on some runner (a marker true
    for one of :data:`ENVIRONMENTS`; extras left out). A requirement of another platform that is
    not installed here (colorama, Windows only) counts, but its own requirements cannot be read."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    todo = [Requirement(r) for r in pyproject["project"]["dependencies"]]
    found: dict[str, list[Requirement]] = {}
    while todo:
        req = todo.pop()
        if req.marker is not None and not any(req.marker.evaluate(env) for env in ENVIRONMENTS):
            continue
        name = canonicalize_name(req.name)
        first = name not in found
        found.setdefault(name, []).append(req)
        if first:
            try:
                todo.extend(Requirement(r) for r in distribution(req.name).requires or [])
            except PackageNotFoundError:
                continue
    return found


def test_constraints_pin_the_whole_runtime_closure() -> None:
    """The action installs with ``-c action-constraints.txt``: a requirement that is not pinned
    there (a new dependency, or a new one of a dependency) would float, and a pin nobody needs
    any more is a leftover."""
    pins = constraints()
    required = runtime_requirements()
    assert sorted(set(required) - set(pins)) == [], "not pinned in action-constraints.txt"
    assert sorted(set(pins) - set(required)) == [], "pinned but not required"
    for name, reqs in required.items():
        for req in reqs:
            assert req.specifier.contains(Version(pins[name]), prereleases=True), f"{name}=={pins[name]} vs {req}"


# --- action.yml --------------------------------------------------------------------------------


def test_python_is_set_up_unless_given() -> None:
    inputs = ACTION["inputs"]
    assert inputs["python-version"]["default"] == "3.12" and inputs["python"]["default"] == ""
    (setup,) = [s for s in ACTION["runs"]["steps"] if "actions/setup-python" in s.get("uses", "")]
    assert setup["if"] == "inputs.python == ''"
    assert setup["with"] == {"python-version": "${{ inputs.python-version }}", "update-environment": False}


def test_actions_used_are_pinned_to_a_major_version() -> None:
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]


def test_steps_never_import_from_the_scanned_repository() -> None:
    """``python -m`` puts the working folder (the scanned checkout) first on sys.path; ``-P`` keeps
    a repository's own ``pip/`` or ``ekslint/`` folder from being run."""
    runs = "\n".join(step.get("run", "") for step in ACTION["runs"]["steps"])
    assert re.findall(r"\S+ -m ", runs) and all(m.endswith("-P -m ") for m in re.findall(r"\S+ -m ", runs))
    assert '-c "$GITHUB_ACTION_PATH/action-constraints.txt"' in runs


def test_module_runs_on_the_runner_s_python_before_install() -> None:
    """The install step runs ``venv-python`` with the base interpreter, before ekslint's
    dependencies exist: the module imports only the standard library at load time."""
    import subprocess

    code = (
        "import sys; sys.modules['yaml'] = sys.modules['typer'] = None; import ekslint.github_action as a; "
        "print(sorted(m for m in sys.modules if m.startswith('ekslint')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "['ekslint', 'ekslint.github_action']"


def test_readme_documents_every_input_and_uses_only_real_ones() -> None:
    """The inputs table names every input with its default, and every example step of the action
    passes only inputs it has. (The text waits in README-snippet-action.md until it is in the README.)"""
    snippet = ROOT / "README-snippet-action.md"
    text = (snippet if snippet.exists() else ROOT / "README.md").read_text(encoding="utf-8")
    for name, spec in ACTION["inputs"].items():
        default = spec.get("default", "")
        cell = f"`{default}`" if default else '`""`'
        assert f"| `{name}` | {cell} |" in text, f"input {name} (default {default!r}) not in the table"
    examples = 0
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        if "uses: ekslint/ekslint@" not in block:
            continue
        data = yaml.safe_load(textwrap.dedent(block))  # a whole workflow, or a list of its steps
        steps = [s for job in data["jobs"].values() for s in job["steps"]] if isinstance(data, dict) else data
        for step in steps:
            if str(step.get("uses", "")).startswith("ekslint/ekslint@"):
                assert set(step.get("with", {})) <= set(ACTION["inputs"]), step
                assert re.fullmatch(r"ekslint/ekslint@v\d+(\.\d+\.\d+)?", step["uses"]), step["uses"]
                examples += 1
    assert examples >= 2
