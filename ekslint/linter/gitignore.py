"""What git ignores, read the way git reads it, without running git.

Inside a git work tree, a folder scan skips what git would not track: the ``.gitignore`` files from the
work tree's top down to each folder, ``.git/info/exclude`` and the user's global excludes file
(``core.excludesFile`` in ``~/.gitconfig`` or ``$XDG_CONFIG_HOME/git/config``, else
``$XDG_CONFIG_HOME/git/ignore``). As in git, a deeper ``.gitignore`` beats a shallower one, the
last matching line of a file wins, ``!`` re-includes, and nothing below an ignored folder comes
back (ignored folders are not walked). A nested repository (a folder holding its own ``.git``)
starts again from its own files, as git does for submodules.

Git itself is not run: a scanned repository's ``.git/config`` can name programs git runs
(``core.fsmonitor``), and nothing a scan reads may be executed. So a file that git *tracks*
although a ``.gitignore`` matches it is skipped too; name it on the command line to read it
(named files are always read), or turn the behaviour off with ``respect-gitignore: false``.

Patterns come from the scanned repository, so they are hostile input: they are matched by
pathspec's gitignore implementation on its RE2 backend, in time linear in the path, whatever the
pattern (``*a*a*a*a*a*a*a*a*b`` backtracks for minutes on Python's ``re``). Each ignore file is
read up to :data:`MAX_IGNORE_BYTES`; larger ones, unreadable or undecodable ones are passed over.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

#: Far above any real ignore file (the Linux kernel's biggest is 4 KB).
MAX_IGNORE_BYTES = 1 << 20
_EXCLUDES_FILE = re.compile(r"^\s*excludesfile\s*=\s*(.*?)\s*$", re.IGNORECASE)
_SECTION = re.compile(r"^\s*\[\s*([A-Za-z0-9.-]+)")


@dataclass(frozen=True)
class _Layer:
    """The patterns of one ignore file and the folder (relative to the work tree) they are relative to."""

    base: str
    spec: GitIgnoreSpec


@dataclass(frozen=True)
class Ignores:
    """The ignore layers that apply inside one folder, outermost first, and the work tree they belong to."""

    top: str
    layers: tuple[_Layer, ...]

    def ignored(self, path: str, *, is_dir: bool) -> bool:
        """Whether git ignores ``path`` (a real path: symbolic links resolved, as git sees the tree)."""
        rel = os.path.relpath(path, self.top).replace(os.sep, "/")
        if rel == ".." or rel.startswith("../"):  # a linked folder outside the work tree
            return False
        for layer in reversed(self.layers):  # the deepest file with a matching line decides
            sub = rel if not layer.base else rel[len(layer.base) + 1 :]
            result = layer.spec.check_file(sub + "/" if is_dir else sub)
            if result.include is not None:
                return bool(result.include)
        return False

    def enter(self, folder: str) -> Ignores:
        """The layers for ``folder`` (a child of the folder these are for): its own ``.gitignore`` added.

        A folder with its own ``.git`` is another repository: it starts from its own files.
        """
        if os.path.lexists(os.path.join(folder, ".git")):
            return for_work_tree(folder)
        spec = _read_spec(os.path.join(folder, ".gitignore"))
        if spec is None:
            return self
        base = os.path.relpath(folder, self.top).replace(os.sep, "/")
        return Ignores(self.top, (*self.layers, _Layer("" if base == "." else base, spec)))


def for_folder(folder: str) -> Ignores | None:
    """The ignores that apply inside ``folder``, or ``None`` when it is not in a git work tree."""
    real = os.path.realpath(folder)
    top = _work_tree(real)
    if top is None:
        return None
    ignores = for_work_tree(top)
    rel = os.path.relpath(real, top)
    here = top
    for part in [] if rel == "." else rel.split(os.sep):  # the .gitignore files above the folder apply too
        here = os.path.join(here, part)
        ignores = ignores.enter(here)
    return ignores


def for_work_tree(top: str) -> Ignores:
    """The global excludes, ``info/exclude`` and the top ``.gitignore`` of the work tree at ``top``."""
    layers = []
    for source in (_global_excludes_file(), _info_exclude(top), os.path.join(top, ".gitignore")):
        spec = _read_spec(source) if source else None
        if spec is not None:
            layers.append(_Layer("", spec))
    return Ignores(top, tuple(layers))


def _work_tree(real: str) -> str | None:
    """The nearest folder at or above ``real`` that holds a ``.git`` folder or file."""
    here = real
    while True:
        if os.path.lexists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _info_exclude(top: str) -> str | None:
    """``info/exclude`` of the repository: in ``.git/``, or in the common dir of a linked work tree."""
    dot_git = os.path.join(top, ".git")
    if os.path.isdir(dot_git):
        return os.path.join(dot_git, "info", "exclude")
    text = _read_small(dot_git)  # a work tree or submodule: "gitdir: <path>"
    if text is None or not text.startswith("gitdir:"):
        return None
    git_dir = os.path.join(top, text[len("gitdir:") :].strip())
    common = _read_small(os.path.join(git_dir, "commondir"))
    if common is not None:
        git_dir = os.path.join(git_dir, common.strip())
    return os.path.join(git_dir, "info", "exclude")


@lru_cache(maxsize=1)
def _global_excludes_file() -> str | None:
    """The user's global excludes file, as git finds it (the user's own config, never the repository's)."""
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    for config in (os.path.join(xdg, "git", "config"), os.path.join(home, ".gitconfig")):
        named = _excludes_file_setting(_read_small(config) or "")
        if named:
            return os.path.expanduser(named)
    return os.path.join(xdg, "git", "ignore")


def _excludes_file_setting(text: str) -> str | None:
    """``core.excludesFile`` from git config text (the last one wins, as in git)."""
    section, found = "", None
    for line in text.splitlines():
        head = _SECTION.match(line)
        if head:
            section = head.group(1).lower()
            continue
        match = _EXCLUDES_FILE.match(line) if section == "core" else None
        if match:
            found = match.group(1).strip('"')
    return found


def _read_small(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_IGNORE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_IGNORE_BYTES:
        return None
    return data.decode("utf-8", "replace")


def _read_spec(path: str) -> GitIgnoreSpec | None:
    if not os.path.isfile(path):
        return None
    text = _read_small(path)
    if not text or not text.strip():
        return None
    from pathspec import GitIgnoreSpec  # only for scans inside a work tree with ignore files

    try:
        return GitIgnoreSpec.from_lines(text.splitlines(), backend="re2")
    except Exception:  # noqa: BLE001 - a line pathspec cannot read must not end the scan
        return _lenient_spec(text)


def _lenient_spec(text: str) -> GitIgnoreSpec | None:
    """The lines pathspec can read, one by one: git itself passes over lines it cannot use."""
    from pathspec import GitIgnoreSpec

    good = []
    for line in text.splitlines():
        try:
            GitIgnoreSpec.from_lines([line], backend="re2")
        except Exception:  # noqa: BLE001
            continue
        good.append(line)
    return GitIgnoreSpec.from_lines(good, backend="re2") if good else None
