"""``did you mean 'pdb-blocks-drain'?``: the nearest known names to a misspelt one.

Shared by ``ekslint explain``, ``--enable``/``--disable`` and the config file's rule ids, setting
names and keys, so that every typo gets the same help.
"""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(name: str, known: Iterable[str]) -> list[str]:
    """Up to three known names close to ``name``, the closest first."""
    import difflib  # only on the error path: a clean run does not pay for the import

    return difflib.get_close_matches(name, sorted(known), n=3)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'a' or 'b'?)``, or ``""`` when nothing known is close."""
    close = [repr(c) for c in close_matches(name, known)]
    if not close:
        return ""
    options = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
    return f" (did you mean {options}?)"
