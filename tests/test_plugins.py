"""Rule plugins: the example plugin installed with pip, and plugins that cannot load."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ekslint.linter.registry import REGISTRY, load_rules
from ekslint.testing import expected, plugin_rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "plugin"
FIXTURES = EXAMPLE / "tests" / "fixtures"


def ekslint(args: list[str], site: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The console script with ``site`` on the path, as a package installed there would be."""
    exe = shutil.which("ekslint", path=str(Path(sys.executable).parent)) or shutil.which("ekslint")
    if exe is None:
        pytest.skip("the ekslint console script is not installed")
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1", "GITHUB_ACTIONS": ""}
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pip install ./examples/plugin`` into a folder of its own (no network, no ekslint copy)."""
    target = tmp_path_factory.mktemp("site")
    source = tmp_path_factory.mktemp("src") / "plugin"  # the build writes egg-info beside the sources
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("tests", "*.egg-info", "build"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--target", str(target), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return target


def test_installed_plugin_is_listed_and_explained(installed: Path) -> None:
    done = ekslint(["rules", "--format", "json"], installed)
    assert done.returncode == 0, done.stderr
    rules = {r["id"]: r for r in json.loads(done.stdout)}
    assert rules["acme/ecr-images"]["source"] == "plugin acme (acme-ekslint 0.1.0)"
    assert rules["acme/ecr-images"]["doc_url"].endswith("ecr_images.md")
    assert rules["pdb-blocks-drain"]["source"] == "built-in"
    text = ekslint(["rules"], installed).stdout
    assert "plugin acme (acme-ekslint 0.1.0)\n  acme/ecr-images" in text
    explained = ekslint(["explain", "acme/required-team-label"], installed)
    assert explained.returncode == 0
    assert "From: plugin acme (acme-ekslint 0.1.0)" in explained.stdout and "## Why is this bad?" in explained.stdout


def test_installed_plugin_fires_on_its_fixtures_in_every_output(installed: Path, tmp_path: Path) -> None:
    fixture = FIXTURES / "acme" / "ecr-images" / "fail-registries.yaml"
    done = ekslint(["scan", str(fixture), "--no-config", "-f", "json", "--as-of", "2026-11-25"], installed)
    assert done.returncode == 1, done.stderr
    found = sorted((r["rule"], r["line"]) for r in json.loads(done.stdout)["results"])
    marked = sorted((rule, line) for _, line, rule in expected(fixture))
    assert found == marked and len(found) == 3
    sarif = json.loads(ekslint(["scan", str(fixture), "--no-config", "-f", "sarif"], installed).stdout)
    [descriptor] = [r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "acme/ecr-images"]
    assert descriptor["helpUri"].endswith("ecr_images.md")
    github = ekslint(["scan", str(fixture), "--no-config", "-f", "github"], installed).stdout
    assert "title=ekslint acme/ecr-images" in github
    # a suppression names the plugin's id like any other
    copy = tmp_path / "app.yaml"
    lines = fixture.read_text().splitlines()
    first = marked[0][1] - 1
    lines[first] = lines[first].replace(
        "# expect: acme/ecr-images", "# ekslint: ignore=acme/ecr-images -- mirrored soon"
    )
    copy.write_text("\n".join(lines) + "\n")
    found = json.loads(ekslint(["scan", str(copy), "--no-config", "-f", "json"], installed).stdout)["results"]
    assert [r["line"] for r in found if r["rule"] == "acme/ecr-images"] == [line for _, line in marked[1:]]


def fake_plugin(site: Path, name: str, value: str, module: str, code: str) -> Path:
    """A distribution ``ekslint-test-<name>`` with one ``ekslint.rules`` entry point, as pip lays it out."""
    info = site / f"ekslint_test_{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: ekslint-test-{name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[ekslint.rules]\n{name} = {value}\n")
    (site / f"{module}.py").write_text(code)
    return site


GOOD_RULE = """
from ekslint.api import Finding, Level, K8sObject, rule

@rule(id={id!r}, title="t", level={level}, targets=(K8sObject,))
def check(obj, ctx):
    return iter(())
"""


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("broken", "import no_such_module_anywhere\n", "cannot load broken_mod: ModuleNotFoundError"),
        ("broken", "raise RuntimeError('boom')\n", "RuntimeError: boom"),
        ("noprefix", GOOD_RULE.format(id="team-label", level="Level.WARNING"), "must be 'noprefix/<rule-id>'"),
        ("wrong", GOOD_RULE.format(id="other/team-label", level="Level.WARNING"), "must be 'wrong/<rule-id>'"),
        ("badlevel", GOOD_RULE.format(id="badlevel/x", level="'warning'"), "level must be a Level"),
        ("empty", "x = 1\n", "registered no rules"),
        ("Bad_Name", GOOD_RULE.format(id="x/y", level="Level.NOTE"), "must be kebab-case"),
    ],
)
def test_a_plugin_that_cannot_load_is_a_one_line_error(tmp_path: Path, name: str, code: str, message: str) -> None:
    site = fake_plugin(
        tmp_path / "site",
        name,
        "broken_mod" if name == "broken" else f"{name.lower()}_mod",
        "broken_mod" if name == "broken" else f"{name.lower()}_mod",
        code,
    )
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n")
    for args in (["scan", str(tmp_path / "a.yaml"), "--no-config"], ["rules"]):
        done = ekslint(args, site)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        [line] = done.stderr.strip().splitlines()
        assert f"plugin {name} (ekslint-test-" in line and message in line, line


def test_a_good_fake_plugin_loads_beside_the_example(tmp_path: Path) -> None:
    site = fake_plugin(
        tmp_path / "site", "house", "house_rules", "house_rules", GOOD_RULE.format(id="house/x", level="Level.NOTE")
    )
    done = ekslint(["rules", "--format", "json"], site)
    assert done.returncode == 0, done.stderr
    assert "house/x" in {r["id"] for r in json.loads(done.stdout)}


def test_plugin_rules_helper_leaves_the_registry_as_it_was() -> None:
    sys.path.insert(0, str(EXAMPLE))
    try:
        before = set(load_rules())
        with plugin_rules("acme", "acme_ekslint.rules") as ids:
            assert set(ids) == {"acme/ecr-images", "acme/required-team-label"}
            assert REGISTRY["acme/ecr-images"].family_letter == "P"
        assert set(REGISTRY) == before
    finally:
        sys.path.remove(str(EXAMPLE))


def test_nothing_in_the_scanned_tree_is_imported(tmp_path: Path) -> None:
    """A repository cannot bring its own plugin: a dist-info in the scanned folder is not on the path."""
    fake_plugin(tmp_path / "repo", "evil", "evil_mod", "evil_mod", "open('PWNED', 'w').write('x')\n")
    (tmp_path / "repo" / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n")
    done = ekslint(["scan", ".", "--no-config"], tmp_path / "empty-site", cwd=tmp_path / "repo")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "repo" / "PWNED").exists()


def test_python_m_does_not_load_a_plugin_from_the_working_directory(tmp_path: Path) -> None:
    """``python -m ekslint`` puts the working directory (the repository scanned) first on the
    path: a dist-info there must not become a plugin."""
    fake_plugin(tmp_path / "repo", "evil", "evil_mod", "evil_mod", "open('PWNED', 'w').write('x')\n")
    (tmp_path / "repo" / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n")
    env = {**os.environ, "NO_COLOR": "1", "GITHUB_ACTIONS": ""}
    done = subprocess.run(
        [sys.executable, "-m", "ekslint", "rules", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path / "repo",
    )
    assert done.returncode == 0, done.stderr
    assert not any(r["id"].startswith("evil/") for r in json.loads(done.stdout))
    assert not (tmp_path / "repo" / "PWNED").exists()
