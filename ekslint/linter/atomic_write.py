"""Write a report file, or a fixed manifest, whole or not at all.

A run interrupted while it writes ``--output``, ``--sarif-file`` or a baseline must not leave a
truncated JSON or SARIF for a later CI step to upload or trust. The text goes to a temporary file
in the same folder (same file system, so the rename is atomic) that replaces the target only
once it is complete; on any failure or interrupt the temporary file is removed and the target is
as it was. ``ekslint fix`` writes manifests the same way: a full disk or a ^C mid-write never
leaves half a manifest.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_text(path: Path) -> Iterator[TextIO]:
    """``open(path, "w")`` that publishes the file only when the block ends normally.

    Anything but a regular file (``/dev/stdout``, a FIFO a reader waits on) is written directly:
    it cannot be replaced, and a reader of a stream sees its end anyway.
    """
    if path.exists() and not path.is_file():
        with path.open("w", encoding="utf-8") as stream:
            yield stream
        return
    with _replacing(path) as fd, os.fdopen(fd, "w", encoding="utf-8") as fh:
        yield fh


def atomic_bytes(path: Path, data: bytes) -> None:
    """Replace the regular file ``path`` with ``data`` whole, keeping its mode (``ekslint fix``).

    The rename replaces the name ``path`` itself: a symbolic link there would become a file, so
    the caller passes a real path.
    """
    with _replacing(path) as fd, os.fdopen(fd, "wb") as fh:
        fh.write(data)


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[int]:
    """A descriptor of a new temporary file beside ``path`` that replaces it when the block ends
    normally (closed by then), with the mode ``path`` had or the umask's; else it is removed."""
    import tempfile  # only runs that write a report or a fix get here

    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        yield fd
        if path.exists():  # keep the mode an existing file had
            os.chmod(temp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
