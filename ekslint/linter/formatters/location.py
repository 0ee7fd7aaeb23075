"""File paths in reports that other tools resolve against a repository (SARIF, GitLab, GitHub).

A finding's file (``Result.file``) is the path as the scan shows it: relative to the folder
ekslint ran in when the file is below it, else absolute. Code scanning, the Actions runner and
GitLab resolve paths against the repository root, and a report must not spell out the
machine's folders; :func:`report_path` gives the path such a report carries.

The repository root is not always the folder ekslint runs in: a workflow step with
``working-directory: infra`` (or a ``cd infra`` in a GitLab job) runs it one folder down, and
``k8s/app.yaml`` would then name nothing in the repository. :func:`repository_root` takes the
CI's workspace folder when ekslint runs in or below it, and report paths get the prefix of the
folder ekslint ran in (``infra/k8s/app.yaml``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from ekslint.linter.lazyre import LazyPattern

#: Where CI checks the repository out: GitHub Actions, GitLab CI.
WORKSPACE_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")
#: ``C:/``: an absolute path on Windows as ``Path.as_posix`` writes it.
WINDOWS_DRIVE = LazyPattern(r"[A-Za-z]:(/|$)")


def repository_root(cwd: Path, environ: Mapping[str, str]) -> Path:
    """The folder report paths are relative to: the CI workspace (``$GITHUB_WORKSPACE``,
    ``$CI_PROJECT_DIR``) when ``cwd`` is that folder or below it, else ``cwd``.

    A workspace that does not hold ``cwd`` (a tool run from a temporary folder) is not the
    scan's repository, and a relative value is not a workspace at all. The workspace may be
    named through a symbolic link while ``cwd`` is real (``os.getcwd``): then the resolved
    workspace is returned, so that absolute paths of the scan (made from ``cwd``) share it.
    """
    for name in WORKSPACE_VARIABLES:
        value = environ.get(name)
        if not value or not Path(value).is_absolute():
            continue
        workspace = Path(value)
        for base, here in ((workspace.absolute(), cwd.absolute()), (workspace.resolve(), cwd.resolve())):
            if here == base or base in here.parents:
                return base
    return cwd


def is_absolute(file: str) -> bool:
    """A POSIX absolute path, or a Windows one as ``Path.as_posix`` writes it (``D:/a/x.yaml``)."""
    return file.startswith("/") or WINDOWS_DRIVE.match(file) is not None


def shared_relpath(target: str, base: str) -> str | None:
    """``target`` relative to ``base`` (both absolute, normalised, POSIX separators), with
    ``..`` segments, or None when the two share no folder but the root or the drive."""
    common = posixpath.commonpath([base, target]) if target[:1] == base[:1] else ""
    if common in ("", "/") or WINDOWS_DRIVE.fullmatch(common):
        return None
    return posixpath.relpath(target, base)


@lru_cache(maxsize=8)
def _prefix(root: Path, cwd: Path) -> str:
    """The folder ekslint ran in, relative to the repository root (``""`` when the same)."""
    for base, here in ((root.absolute(), cwd.absolute()), (root.resolve(), cwd.resolve())):
        if here == base or base in here.parents:
            return "" if here == base else here.relative_to(base).as_posix()
    return ""


def report_path(file: str, root: Path | None, cwd: Path | None = None) -> tuple[str, bool]:
    """``(path, below_root)`` for a file as the scan shows it; ``root`` is the repository root
    (see :func:`repository_root`) and ``cwd`` the folder ekslint ran in (default: ``root``).

    * A relative path (the file is below the folder ekslint ran in, or the user named it
      relative) is that folder's path from the root joined with it, normalised (no ``./``,
      which code scanning mishandles: github/codeql-action#2829).
    * An absolute path below ``root`` becomes relative to it.
    * An absolute path elsewhere becomes relative to ``root`` with ``..`` segments, when the two
      share a folder other than ``/`` (or a drive): resolving it against the root gives the
      right file, it names no folder above that shared one, and it can never be mistaken for a
      file of the repository. (The same holds for a relative path the user wrote with ``..``.)
    * An absolute path that shares only ``/`` with ``root`` (a temporary file, another tree)
      would spell out the machine's folders: it is its file name alone, and ``below_root`` is
      false, so that the report can say it is not relative to the root.
    """
    if not is_absolute(file):
        prefix = _prefix(root, cwd) if root is not None and cwd is not None and cwd != root else ""
        return posixpath.normpath(posixpath.join(prefix, file)), True
    target = posixpath.normpath(file)
    if root is None:
        return posixpath.basename(target), False
    relative = shared_relpath(target, root.absolute().as_posix())
    return (posixpath.basename(target), False) if relative is None else (relative, True)
