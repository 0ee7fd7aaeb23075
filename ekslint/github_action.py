"""The composite GitHub Action's steps (``action.yml``), in Python rather than bash.

The action's inputs reach its steps as environment variables holding the text the workflow
wrote, and a user writes them as a shell user would:

* ``args`` is split like a POSIX shell command line (:func:`shlex.split`): quotes group words and
  are removed (``--exclude 'third_party/**'`` gives the glob to ``--exclude``, not ``'third_party/**'``
  with its quotes), a backslash escapes, and a multi-line ``args: |`` block is one command line.
  Nothing is expanded or run: no variables, no globs, no command substitution. A ``#`` is text,
  not a comment.
* ``paths`` is split on whitespace (spaces and newlines), and each word with a glob character
  (``*``, ``?``, ``[``) is expanded as bash with ``globstar`` does: ``**`` spans folders, ``*``
  skips names that start with a dot, the matches are sorted. A glob that matches nothing is an
  error that names it (bash would pass the pattern on, and ekslint would report a missing
  file), unless a file or folder has that very name (``app/[id]``).

``bash``'s ``read -r -a`` did neither: it kept the first line of a block and left the quotes in.

Commands (``python -P -m ekslint.github_action ...``):

* ``venv-python DIR``: where the interpreter of the virtualenv ``DIR`` is (``Scripts\\python.exe``
  on Windows, ``bin/python`` elsewhere). The install step runs it with the runner's Python,
  before ekslint's dependencies are installed, so this module imports only the standard
  library at load time.
* ``scan``: build ``ekslint scan``'s arguments from the inputs, run it in this process (the
  expanded files are never put on a command line, which Windows caps at 32,767 characters) and
  write the step's outputs.
"""

from __future__ import annotations

import glob
import ntpath
import os
import posixpath
import re
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path

#: Characters that make a ``paths`` word a glob (``glob.has_magic`` is not public).
GLOB_CHARS = re.compile(r"[*?[]")


class InputError(Exception):
    """An input the action cannot use; the message starts with the input's name."""


def split_args(text: str) -> list[str]:
    """The ``args`` input as words, by the shell's quoting rules (see the module docstring)."""
    try:
        return shlex.split(text)
    except ValueError as exc:  # "No closing quotation", "No escaped character"
        message = str(exc)
        raise InputError(f"args: {message[:1].lower()}{message[1:]} in {text!r}") from None


def split_paths(text: str) -> list[str]:
    """The ``paths`` input as words: separated by spaces, tabs or newlines."""
    return text.split()


def expand_paths(words: list[str]) -> list[str]:
    """Each glob among ``words`` replaced by its matches, relative to the working folder."""
    paths: list[str] = []
    for word in words:
        if not GLOB_CHARS.search(word):
            paths.append(word)
            continue
        matches = sorted(glob.glob(word, recursive=True))
        if matches:
            paths.extend(matches)
        elif os.path.lexists(word):
            paths.append(word)
        else:
            raise InputError(f"paths: {word} matches no file or folder")
    return paths


def scan_argv(environ: Mapping[str, str]) -> list[str]:
    """``ekslint scan``'s arguments: the action's own options, then ``args`` (a repeated option
    there wins over the action's), then ``--`` and the paths (so that no file name is read as an
    option). No paths: ekslint's default (``.``, or only the ``--helm``/``--kustomize`` renders)."""
    argv = ["scan", "--format", "github"]
    if not one_line(environ.get("EKSLINT_SARIF", "")):
        raise InputError("sarif-file: a file name with a line break")
    if fail_on := environ.get("EKSLINT_FAIL_ON", ""):
        argv += ["--fail-on", fail_on]
    if sarif := environ.get("EKSLINT_SARIF", ""):
        argv += ["--sarif-file", sarif]
    if summary := environ.get("GITHUB_STEP_SUMMARY", ""):
        argv += ["--summary-file", summary]
    argv += split_args(environ.get("EKSLINT_ARGS", ""))
    paths = expand_paths(split_paths(environ.get("EKSLINT_PATHS", "")))
    return [*argv, "--", *paths] if paths else argv


def workspace_path(path: str, cwd: Path, environ: Mapping[str, str]) -> str:
    """The ``sarif-file`` output: ``path`` (relative to the scan's working-directory ``cwd``) as
    the next steps see it, from ``$GITHUB_WORKSPACE`` where they run (``infra/ekslint.sarif``).
    An absolute path stays as it is."""
    if not path or os.path.isabs(path):
        return path
    from ekslint.linter.formatters.location import report_path, repository_root

    return report_path(path.replace(os.sep, "/"), repository_root(cwd, environ), cwd)[0]


def venv_python(env_dir: str, platform: str = sys.platform) -> str:
    """The interpreter of the virtualenv ``env_dir`` as ``venv`` lays it out on ``platform``."""
    if platform == "win32":
        return ntpath.join(ntpath.normpath(env_dir), "Scripts", "python.exe")
    return posixpath.join(env_dir, "bin", "python")


def one_line(text: str) -> bool:
    return "\n" not in text and "\r" not in text


def write_outputs(file: str, outputs: Mapping[str, str]) -> None:
    """Append step outputs to ``$GITHUB_OUTPUT`` (``name=value``; values are one line)."""
    with open(file, "a", encoding="utf-8") as fh:
        for name, value in outputs.items():
            fh.write(f"{name}={value}\n")


def scan(environ: Mapping[str, str], cwd: Path) -> int:
    """The scan step: ekslint's exit code, also in the ``exit-code`` output (2 for an input error,
    reported like ekslint's own usage errors)."""
    try:
        argv = scan_argv(environ)
    except InputError as exc:
        sys.stderr.write(f"ekslint: error: {exc}\n")
        code = 2
    else:
        from ekslint.cli import run

        code = run(argv)
    sarif = environ.get("EKSLINT_SARIF", "")
    if output := environ.get("GITHUB_OUTPUT"):
        sarif_output = workspace_path(sarif, cwd, environ) if one_line(sarif) else ""
        try:
            write_outputs(output, {"sarif-file": sarif_output, "exit-code": str(code)})
        except OSError as exc:
            sys.stderr.write(f"ekslint: error: cannot write the step outputs: {exc}\n")
            return 2
    return code


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "venv-python":
        sys.stdout.write(venv_python(args[1]) + "\n")
        return 0
    if args == ["scan"]:
        return scan(os.environ, Path.cwd())
    sys.stderr.write("usage: python -m ekslint.github_action (scan | venv-python DIR)\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
