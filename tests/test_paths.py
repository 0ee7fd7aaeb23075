"""File discovery: recursion, skipped folders, globs, symlinks and unreadable paths."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from harness import deny_open

from ekslint.linter.config import ConfigError, Settings
from ekslint.linter.engine import lint
from ekslint.linter.paths import discover, is_excluded


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("vendor", "a/vendor/x.yaml", True),
        ("charts/*/templates/**", "charts/web/templates/x.yaml", True),
        ("*.json", "a/b.json", True),
        ("dev/", "dev/x.yaml", True),
        ("/dev", "a/dev/x.yaml", False),
        ("a/*.yaml", "a/b/c.yaml", False),
        ("**/secret-*.yaml", "x/y/secret-db.yaml", True),
        ("./overlays/prod", "overlays/prod/k.yaml", True),
    ],
)
def test_glob_semantics(pattern: str, path: str, expected: bool) -> None:
    assert is_excluded(path, [pattern]) is expected


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("a b/[x]+(y)|$.yaml", "a b/[x]+(y)|$.yaml", True),  # every character but * and ? is itself
        ("a b/[x].yaml", "a b/x.yaml", False),
        ("café/*.yaml", "café/x.yaml", True),
        ("new\nline/**", "new\nline/a/b.yaml", True),
        ("**/x.yaml", "a\nb/x.yaml", True),  # ** crosses a name holding a newline
        ("*.yaml", "x.yaml\n", False),  # $ is the end of the path
        ("bad\udc80/**", "bad\udc80/x.yaml", True),  # a name that is not UTF-8
    ],
)
def test_glob_characters_are_literal(pattern: str, path: str, expected: bool) -> None:
    assert is_excluded(path, [pattern]) is expected


def test_globs_match_in_linear_time() -> None:
    """Translated for Python's re, ``*a*a*...*b`` backtracked through every split of a long name."""
    start = time.monotonic()
    assert not is_excluded("a" * 100_000, ["*a" * 12 + "b", "**/" + "*a" * 12 + "b"])
    assert not is_excluded("d/" * 2_000 + "x", ["**/" * 12 + "y"])
    assert time.monotonic() - start < 2  # was hours


def test_a_glob_too_long_to_compile_is_a_config_error(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, exclude=["a*" * 6_000])
    with pytest.raises(ConfigError, match=r"exclude: cannot use the glob 'a\*a\*.*\.\.\.: pattern longer"):
        lint([str(tmp_path)], settings, cwd=tmp_path)


def tree(tmp_path: Path) -> None:
    for rel in (
        "a.yaml",
        "b.yml",
        "c.json",
        "README.md",
        "sub/d.yaml",
        ".git/e.yaml",
        "node_modules/f.yaml",
        "skip/g.yaml",
    ):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("kind: x\n")


def test_recursion_suffixes_and_skipped_folders(tmp_path: Path) -> None:
    tree(tmp_path)
    found, problems = discover([str(tmp_path)], cwd=tmp_path, root=tmp_path, exclude=["skip"])
    assert [c.display for c in found] == ["a.yaml", "b.yml", "c.json", "sub/d.yaml"]
    assert problems == []


def test_explicit_files_any_suffix_and_no_duplicates(tmp_path: Path) -> None:
    tree(tmp_path)
    found, _ = discover(
        [str(tmp_path / "README.md"), str(tmp_path / "a.yaml"), str(tmp_path)], cwd=tmp_path, root=tmp_path, exclude=[]
    )
    assert [c.display for c in found][:2] == ["README.md", "a.yaml"]
    assert len(found) == len({c.display for c in found})


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.yaml").write_text("a: 1\n")
    os.symlink(tmp_path, tmp_path / "d" / "loop")
    os.symlink(tmp_path / "missing.yaml", tmp_path / "broken.yaml")
    found, problems = discover([str(tmp_path)], cwd=tmp_path, root=tmp_path, exclude=[])
    assert [c.display for c in found] == ["d/x.yaml"]
    assert [(p.display, p.message) for p in problems] == [("broken.yaml", "broken symbolic link")]


def test_missing_and_unreadable_paths_are_run_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "ok.yaml"
    good.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: 'x:1', securityContext: {privileged: true}}]}\n"
    )
    locked = tmp_path / "locked.yaml"
    locked.write_text("a: 1\n")
    deny_open(monkeypatch, "locked.yaml")
    settings = Settings(root=tmp_path, enable=["privileged-container"], disable=["all"])
    report = lint([str(tmp_path), str(tmp_path / "nope")], settings, cwd=tmp_path)
    assert sorted(str(e) for e in report.errors) == [
        "locked.yaml: cannot read: Permission denied",
        "nope: no such file or directory",
    ]
    assert [r.rule for r in report.active] == ["privileged-container"]  # the rest is still linted
    assert report.exit_code("warning") == 2


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    """A FIFO would block the scan and /dev/zero never ends: both are run errors, found in a
    folder or named, and a path named twice is reported once."""
    (tmp_path / "ok.yaml").write_text("a: 1\n")
    os.mkfifo(tmp_path / "pipe.yaml")
    found, problems = discover([str(tmp_path), "/dev/zero"], cwd=tmp_path, root=tmp_path, exclude=[])
    assert [c.display for c in found] == ["ok.yaml"]
    assert [(p.display, p.message) for p in problems] == [
        ("pipe.yaml", "not a regular file"),
        ("/dev/zero", "not a regular file or directory"),
    ]
    _, problems = discover([str(tmp_path / "pipe.yaml"), str(tmp_path)], cwd=tmp_path, root=tmp_path, exclude=[])
    assert [(p.display, p.message) for p in problems] == [("pipe.yaml", "not a regular file or directory")]


def test_link_loops_and_broken_links_are_told_apart(tmp_path: Path) -> None:
    os.symlink("b.yaml", tmp_path / "a.yaml")
    os.symlink("a.yaml", tmp_path / "b.yaml")
    os.symlink("missing.yaml", tmp_path / "c.yaml")
    found, problems = discover([str(tmp_path), str(tmp_path / "a.yaml")], cwd=tmp_path, root=tmp_path, exclude=[])
    assert found == []
    assert [(p.display, p.message) for p in problems] == [
        ("a.yaml", "symbolic link loop"),
        ("b.yaml", "symbolic link loop"),
        ("c.yaml", "broken symbolic link"),
    ]


def test_unreadable_folders_and_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing a folder or looking a path up can fail (permissions): each is a run error, never
    an exception out of discovery. Run as root here, so the failures are simulated."""
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.yaml").write_text("a: 1\n")
    (tmp_path / "ok.yaml").write_text("a: 1\n")
    real_scandir, real_stat = os.scandir, os.stat

    def fake_scandir(path: str = ".") -> object:
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    def fake_stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if os.path.basename(os.fspath(path)) == "hidden.yaml":  # type: ignore[call-overload]
            raise PermissionError(13, "Permission denied", path)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", fake_scandir)
    monkeypatch.setattr(os, "stat", fake_stat)
    found, problems = discover([str(tmp_path), str(tmp_path / "hidden.yaml")], cwd=tmp_path, root=tmp_path, exclude=[])
    assert [c.display for c in found] == ["ok.yaml"]
    assert [(p.display, p.message) for p in problems] == [
        ("locked", "Permission denied"),
        ("hidden.yaml", "Permission denied"),
    ]
