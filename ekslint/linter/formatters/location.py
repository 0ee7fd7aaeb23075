"""File paths in reports that other tools resolve against a repository (SARIF, GitLab).

A finding's file (``Result.file``) is the path as the scan shows it: relative to the folder
ekslint ran in when the file is below it, else absolute. Code scanning and GitLab resolve paths
against the repository root, which is the folder ekslint runs in in CI, and a report must not
spell out the machine's folders; :func:`report_path` gives the path such a report carries.
"""

from __future__ import annotations

import posixpath
from pathlib import Path


def report_path(file: str, root: Path | None) -> tuple[str, bool]:
    """``(path, below_root)`` for a file as the scan shows it; ``root`` is the folder ekslint ran in.

    * A relative path (the file is below the folder ekslint ran in, or the user named it
      relative) is its own path, normalised (no ``./``, which code scanning mishandles:
      github/codeql-action#2829).
    * An absolute path below ``root`` becomes relative to it.
    * An absolute path elsewhere becomes relative to ``root`` with ``..`` segments, when the two
      share a folder other than ``/``: resolving it against the root gives the right file, it
      names no folder above that shared one, and it can never be mistaken for a file of the
      repository. (The same holds for a relative path the user wrote with ``..``.)
    * An absolute path that shares only ``/`` with ``root`` (a temporary file, another tree)
      would spell out the machine's folders: it is its file name alone, and ``below_root`` is
      false, so that the report can say it is not relative to the root.
    """
    if not file.startswith("/"):
        return posixpath.normpath(file), True
    target = posixpath.normpath(file)
    if root is None:
        return posixpath.basename(target), False
    base = root.absolute().as_posix()
    if posixpath.commonpath([base, target]) == "/":
        return posixpath.basename(target), False
    return posixpath.relpath(target, base), True
