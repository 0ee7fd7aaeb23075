"""Which files ``ekslint fix`` may write: never through a symbolic link, each real file once.

A fix job runs on a checkout of a pull request, and a repository can hold links: ``victim.yaml ->
../../elsewhere/file.yaml``, or a folder linked to one outside. The scan follows them (it only
reads), but a fix that wrote through them would rewrite files outside the checkout, or, with
two links (or a link and the file) to the same file, fix it twice. So a file is written only by
a path with no symbolic link on the way down from the trusted base: the working directory (the
checkout) for paths named inside it, else the named path itself (``/tmp`` is a link on macOS,
and a folder named outside the checkout is the user's own choice). So every file written lies
below a named path, and it is written at its real path, so the rename of an atomic write
replaces the file itself. Files reached through a link are refused with a reason, unless the
same file is also found by its own path (then it is fixed once, by that path). The scan walks a
folder reached twice only once, so a link that sorts before its target hides the target: the
reason names the file, to be fixed by its own path.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ekslint.linter.paths import STDIN, discover, display_path


@dataclass
class Targets:
    """The files a fix may write (display → real path, one display per file) and the files it
    must not, with why (display → reason), both in discovery order."""

    writable: dict[str, Path] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)


def fix_targets(args: Sequence[str], *, cwd: Path, root: Path, exclude: list[str]) -> Targets:
    """Discover the files of ``args`` as a scan does and sort them into writable and refused."""
    here = os.path.abspath(cwd)
    own: dict[str, str] = {}  # real path → display, for files found by their own path
    linked: dict[str, str] = {}  # display → real path, for files found through a link
    real_bases: set[str] = set()
    for arg in args:
        if arg == STDIN:
            continue
        base = _trusted_base(arg, here)
        real_base = os.path.realpath(base)
        real_bases.add(real_base)
        found, _ = discover([arg], cwd=cwd, root=root, exclude=exclude)  # problems: the scan reports them
        for candidate in found:
            if candidate.path is None:
                continue
            real = os.path.realpath(candidate.path)
            if real == os.path.join(real_base, os.path.relpath(os.path.abspath(candidate.path), base)):
                own.setdefault(real, candidate.display)
            else:
                linked.setdefault(candidate.display, real)
    targets = Targets(writable={display: Path(real) for real, display in own.items()})
    for display, real in linked.items():
        if real in own:
            continue  # the same file, fixed by its own path
        shown = display_path(Path(real), cwd)
        if any(_below(real, base) for base in real_bases):
            why = f"reached through a symbolic link; the file is {shown}: fix it by that path"
        else:
            why = f"reached through a symbolic link to {shown}, outside the paths being fixed: not written"
        targets.refused[display] = why
    return targets


def _below(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _trusted_base(arg: str, here: str) -> str:
    """Where links stop being trusted for ``arg``: the working directory when ``arg`` is inside
    it, else the named folder itself (the folder of a named file)."""
    path = os.path.abspath(arg)
    if _below(path, here):
        return here
    return path if os.path.isdir(path) else os.path.dirname(path)
