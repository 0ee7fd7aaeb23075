"""File discovery: recursion, skipped folders, globs, symlinks and unreadable paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ekslint.linter.config import Settings
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
    real_open = Path.open

    def fake_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", fake_open)
    settings = Settings(root=tmp_path, enable=["privileged-container"], disable=["all"])
    report = lint([str(tmp_path), str(tmp_path / "nope")], settings, cwd=tmp_path)
    assert sorted(str(e) for e in report.errors) == [
        "locked.yaml: cannot read: Permission denied",
        "nope: no such file or directory",
    ]
    assert [r.rule for r in report.active] == ["privileged-container"]  # the rest is still linted
    assert report.exit_code("warning") == 2
