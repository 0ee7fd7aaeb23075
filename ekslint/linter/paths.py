"""Which files a scan reads: recursion, skipped folders, exclude globs, symlink loops.

Directories are walked for ``*.yaml``, ``*.yml``, ``*.json``, ``*.tf`` and ``*.tfvars``; files named explicitly are read
whatever their suffix. VCS, dependency, cache and build folders (:data:`SKIP_DIRS`), virtual
environments whatever their name, and, inside a git work tree, whatever git ignores are skipped
(:mod:`ekslint.linter.gitignore`). Symlinked directories are
followed once (a loop is detected by real path and not walked again). Exclude globs match the
POSIX path relative to the project root (the config file's folder, or the working directory):
``*`` stays inside one folder, ``**`` crosses folders, and a pattern that matches a folder
excludes everything below it.

Only regular files are read: a FIFO (which would block the scan until something writes to it)
or a device such as ``/dev/zero`` (which never ends), named on the command line or found in a
folder, is a run error, as are missing paths, broken links, link loops and unreadable folders.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ekslint.linter.linear_regex import LinearPattern, compile_linear

#: YAML and JSON (manifests, eksctl configs, CloudFormation templates, ``.tf.json``) and
#: Terraform's native syntax.
SUFFIXES = frozenset({".yaml", ".yml", ".json", ".tf", ".tfvars"})
#: Folders a walk never enters (a folder named on the command line is still read): version
#: control, dependencies, caches and build output, as ruff skips them, plus Terraform's and
#: Terragrunt's module caches. Virtual environments are skipped whatever their name
#: (:func:`is_virtualenv`), and inside a git work tree so is everything git ignores
#: (:mod:`ekslint.linter.gitignore`).
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        ".git-rewrite",
        "node_modules",
        "vendor",
        ".venv",
        "venv",
        "__pypackages__",
        "site-packages",
        ".direnv",
        ".eggs",
        ".nox",
        ".tox",
        ".pyenv",
        ".pants.d",
        "buck-out",
        "build",
        "_build",
        "dist",
        "__pycache__",
        ".terraform",
        ".terragrunt-cache",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".pytype",
        ".ipynb_checkpoints",
        ".idea",
        ".vscode",
    }
)
STDIN = "-"
STDIN_DISPLAY = "<stdin>"


class Candidate(NamedTuple):
    """A file to read (``path`` is ``None`` for stdin) and how it is shown in output."""

    path: Path | None
    display: str


class PathProblem(NamedTuple):
    """A path that cannot be scanned (missing, unreadable): a run error, exit code 2."""

    display: str
    message: str


def _glob_literal(ch: str) -> str:
    """One glob character as RE2 text: ASCII punctuation escaped, other ASCII by code point, the rest
    as it is (a lone surrogate, from a name that is not UTF-8, as U+FFFD: what RE2 reads it as)."""
    if ch.isascii():
        if ch.isalnum():
            return ch
        return "\\" + ch if ch.isprintable() and ch != " " else f"\\x{{{ord(ch):02x}}}"
    return "\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> LinearPattern:
    """Compile a gitignore-like glob: ``**`` any depth, ``*``/``?`` within a segment.

    Globs come from ``--exclude`` and from the scanned repository's config, so they run on RE2
    (:mod:`ekslint.linter.linear_regex`): translated for Python's ``re``, ``*a*a*a*a*a*a*a*a*b``
    backtracks through every way of splitting a long name and hangs the scan. A glob too long for
    RE2 raises :class:`~ekslint.linter.linear_regex.PatternError` (the config check reports it).
    """
    pat = pattern.strip().removeprefix("./")
    anchored = pat.startswith("/") or "/" in pat.rstrip("/")
    pat = pat.strip("/")
    out, i = [], 0
    while i < len(pat):
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif pat[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pat[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(_glob_literal(pat[i]))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    return compile_linear(f"(?s)^{prefix}{body}(?:/.*)?$")  # (?s): a name may hold a newline


def is_excluded(rel_posix: str, patterns: Iterable[str]) -> bool:
    return any(glob_regex(p).match(rel_posix) for p in patterns)


def display_path(path: Path, cwd: Path) -> str:
    """POSIX path relative to ``cwd`` when below it, else absolute."""
    try:
        return path.absolute().relative_to(cwd.absolute()).as_posix()
    except ValueError:
        return path.absolute().as_posix()


def relative_to_root(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def _stdin_display(name: str, cwd: Path) -> str:
    """``--stdin-filename`` as a scanned file of that name would be shown: relative to ``cwd``
    when below it, without ``./`` or ``a/../``."""
    path = posixpath.normpath(name.replace(os.sep, "/"))
    return display_path(Path(path), cwd) if posixpath.isabs(path) else path


def is_virtualenv(folder: str) -> bool:
    """A Python virtual environment, whatever its name: venv and virtualenv both write ``pyvenv.cfg``."""
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg"))


def discover(
    args: Iterable[str],
    *,
    cwd: Path,
    root: Path,
    exclude: list[str],
    respect_gitignore: bool = True,
    skip: frozenset[str] = frozenset(),
    stdin_name: str | None = None,
    config_in: Callable[[str], str | None] | None = None,
    configs_below: list[str] | None = None,
) -> tuple[list[Candidate], list[PathProblem]]:
    """Expand the command-line paths into files to read, in a stable order.

    Files named on the command line are always read; folders are walked, skipping
    :data:`SKIP_DIRS`, virtual environments, exclude globs and (with ``respect_gitignore``)
    what git ignores; ``skip`` holds real paths walks pass over (this run's baseline files).
    Standard input is shown as ``stdin_name`` (``--stdin-filename``: the file a pipe renders,
    so that reports link to it) normalised like a path on disk, else as ``<stdin>``.
    With ``config_in`` (the name of the config file a folder holds, or ``None``), the configs
    found in the folders walked below a named folder are added to ``configs_below``, as shown.
    """
    stdin_display = STDIN_DISPLAY if not stdin_name else _stdin_display(stdin_name, cwd)
    found: list[Candidate] = []
    problems: list[PathProblem] = []
    seen: set[str] = set()

    def add(path: Path, display: str, rel: str | None) -> None:
        key = str(path.absolute())
        if key in seen or (exclude and is_excluded(rel if rel is not None else relative_to_root(path, root), exclude)):
            return
        seen.add(key)
        found.append(Candidate(path, display))

    for arg in args:
        if arg == STDIN:
            found.append(Candidate(None, stdin_display))
            continue
        path = Path(arg)
        try:
            info = os.stat(path)
        except OSError as exc:  # missing, a broken link or a loop, or a folder above it unreadable
            problems.append(PathProblem(display_path(path, cwd), _stat_problem(exc, os.path.islink(path))))
            continue
        if stat.S_ISDIR(info.st_mode):
            walk = _walk(path, root, exclude, problems, cwd, respect_gitignore, config_in, configs_below)
            for file, display, rel in walk:
                if not skip or os.path.realpath(file) not in skip:
                    add(file, display, rel)
        elif stat.S_ISREG(info.st_mode):
            add(path, display_path(path, cwd), None)
        else:  # a FIFO would block the scan, /dev/zero would never end
            problems.append(PathProblem(display_path(path, cwd), "not a regular file or directory"))
    unique = {(p.display): p for p in reversed(problems)}  # a path named and also found in a folder
    return found, [p for p in problems if unique[p.display] is p]


def _stat_problem(exc: OSError, is_link: bool) -> str:
    """Why a path cannot be read, in words: links are told apart from missing paths."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if is_link and exc.errno == errno.ENOENT:
        return "broken symbolic link"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return exc.strerror or str(exc)


def _child(parent: str, name: str) -> str:
    """``parent/name`` as pathlib would show it (``.`` is dropped)."""
    return name if parent == "." else f"{parent}/{name}"


def _walk(
    top: Path,
    root: Path,
    exclude: list[str],
    problems: list[PathProblem],
    cwd: Path,
    respect_gitignore: bool,
    config_in: Callable[[str], str | None] | None = None,
    configs_below: list[str] | None = None,
) -> Iterator[tuple[Path, str, str | None]]:
    """Yield ``(path, display, path relative to root or None)`` for each YAML/JSON file below
    ``top`` (and, with ``config_in``, record the configs of the folders below it; see :func:`discover`).

    Display and root-relative paths are worked out once per folder, not per file: a big
    repository has thousands of files, and pathlib's per-call parsing cost a second per scan.
    """
    from ekslint.linter import gitignore  # only folders are matched against ignore files

    visited: set[str] = set()
    top_ignores = gitignore.for_folder(str(top)) if respect_gitignore else None
    ignores_at: dict[str, gitignore.Ignores | None] = {}  # what applies in each folder still to walk

    def onerror(err: OSError) -> None:
        problems.append(PathProblem(display_path(Path(err.filename or top), cwd), err.strerror or str(err)))

    for dirpath, dirnames, filenames in os.walk(top, followlinks=True, onerror=onerror):
        real = os.path.realpath(dirpath)
        if real in visited:  # a symlink loop, or a second link to a folder already walked
            dirnames[:] = []
            continue
        visited.add(real)
        ignores = ignores_at.pop(dirpath, top_ignores)
        here = Path(dirpath)
        shown = display_path(here, cwd)
        rel = relative_to_root(here, root) if exclude else None
        kept = []
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            if _skipped_folder(d, full, _child(rel, d) if rel is not None else None, exclude):
                continue
            if ignores is not None:
                if ignores.ignored(os.path.join(real, d), is_dir=True):
                    continue
                ignores_at[full] = ignores.enter(os.path.realpath(full))
            kept.append(d)
        dirnames[:] = kept
        if config_in is not None and configs_below is not None and dirpath != str(top):
            name = config_in(dirpath)
            if name is not None:
                configs_below.append(_child(shown, name))
        for name in sorted(filenames):
            if os.path.splitext(name)[1].lower() not in SUFFIXES:
                continue
            if ignores is not None and ignores.ignored(os.path.join(real, name), is_dir=False):
                continue
            full = os.path.join(dirpath, name)
            try:  # os.walk lists directories (and working links to them) apart
                info = os.stat(full)
            except OSError as exc:
                problems.append(PathProblem(_child(shown, name), _stat_problem(exc, os.path.islink(full))))
                continue
            if not stat.S_ISREG(info.st_mode):  # a FIFO named x.yaml would block the scan
                problems.append(PathProblem(_child(shown, name), "not a regular file"))
                continue
            yield here / name, _child(shown, name), _child(rel, name) if rel is not None else None


def _skipped_folder(name: str, full: str, rel: str | None, exclude: list[str]) -> bool:
    """Does a walk pass over folder ``name`` (at ``full``; ``rel``: relative to the root, when
    there are exclude globs), whatever git says?"""
    return (
        name in SKIP_DIRS
        or name.endswith(".egg-info")
        or (rel is not None and is_excluded(rel, exclude))
        or is_virtualenv(full)
    )


def walk_finds(top: Path, file: Path, *, root: Path, exclude: list[str], respect_gitignore: bool = True) -> bool:
    """Would a walk of folder ``top`` (:func:`discover`) yield ``file``?

    For a file that appeared after the walk (an editor watching the tree says so): the same
    decisions, made for the folders from ``top`` down to the file only.
    """
    try:
        parts = file.relative_to(top).parts
    except ValueError:
        return False
    if not parts or os.path.splitext(parts[-1])[1].lower() not in SUFFIXES:
        return False
    from ekslint.linter import gitignore  # only folders are matched against ignore files

    ignores = gitignore.for_folder(str(top)) if respect_gitignore else None
    here = str(top)
    for name in parts[:-1]:
        full = os.path.join(here, name)
        rel = relative_to_root(Path(here), root) if exclude else None
        if _skipped_folder(name, full, _child(rel, name) if rel is not None else None, exclude):
            return False
        if ignores is not None:
            if ignores.ignored(os.path.join(os.path.realpath(here), name), is_dir=True):
                return False
            ignores = ignores.enter(os.path.realpath(full))
        here = full
    if ignores is not None and ignores.ignored(os.path.join(os.path.realpath(here), parts[-1]), is_dir=False):
        return False
    if exclude and is_excluded(relative_to_root(file, root), exclude):
        return False
    try:
        return stat.S_ISREG(os.stat(file).st_mode)
    except OSError:
        return False
