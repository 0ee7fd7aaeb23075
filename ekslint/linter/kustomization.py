"""What a kustomization says, read as kustomize reads it: its file names, its fields (matched as
Go's JSON decoder matches them) and which of its entries are remote targets.

Shared by the renderer (:mod:`ekslint.linter.kustomize`) and by the rules, through
:mod:`ekslint.linter.kustomize_context`, so that a scan without ``--kustomize`` does not import
the renderer. The remote-target patterns are compiled when a kustomization is first read
(:class:`~ekslint.linter.lazyre.LazyPattern`): most scans have none.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ekslint.linter.lazyre import LazyPattern

#: The file names Kustomize accepts for a kustomization.
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

# Remote targets, after kustomize's ``api/internal/git/repospec.go`` (v5) and the go-getter
# detectors of older releases. Always remote, whatever is on disk:
_URL = "://"  # https://, http://, ssh://, file:// (a local clone still runs git), s3://, ...
_FORCED = LazyPattern(r"^[A-Za-z][A-Za-z0-9]*::")  # go-getter forced getters: git::https://..., hg::, s3::
_SCP = LazyPattern(r"^[A-Za-z][A-Za-z0-9-]*@[^/:@]+[:/]")  # git@github.com:org/repo, git@host/org/repo
_GITHUB = LazyPattern(r"^(?:gh:|github\.com[:/])", re.IGNORECASE)  # github.com/org/repo/path?ref=v1
# Remote unless a local path of that name exists (kustomize v5 reads these as local paths, older
# releases fetched them; a folder literally named so is read locally by both):
_HOSTED = LazyPattern(r"^(?:gitlab\.com|bitbucket\.org)/", re.IGNORECASE)
_HOST_PATH = LazyPattern(r"^[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+(?::\d+)?/")  # git.example.com/
_GIT_MARK = LazyPattern(r"\.git(?:/|\?|$)|//|_git/")  # repo.git, repo//subdir, Azure's _git/
_QUERY = LazyPattern(r"\?(?:[^?]*&)?(?:ref|version|timeout|submodules)=", re.IGNORECASE)


def is_remote_ref(ref: str, folder: Path | None = None) -> bool:
    """Is a kustomization entry a remote target (a URL, a git repository) rather than a local path?

    Recognises what kustomize's remote-target syntax accepts: any ``scheme://`` URL, go-getter's
    forced ``git::``, scp-like ``user@host:path``, ``gh:`` and ``github.com/...``; and, unless
    ``folder`` holds a local path of that name, ``gitlab.com/``/``bitbucket.org/`` paths, a
    host-like first segment with a git marker (``git.example.com/org/repo.git``, ``host/repo//dir``,
    ``_git/``) and ``?ref=``/``?version=`` queries. A local path that merely contains a dot
    (``../base.v2``, ``./my.app``, ``vendor/github.com/x``) is local.
    """
    ref = ref.strip()
    if _URL in ref or _FORCED.match(ref) or _SCP.match(ref) or _GITHUB.match(ref):
        return True
    host_path = _HOST_PATH.match(ref)
    likely = bool(
        _HOSTED.match(ref) or (host_path and _GIT_MARK.search(ref, host_path.end() - 1)) or _QUERY.search(ref)
    )
    return likely and not (folder is not None and os.path.lexists(folder / ref))


def fields(data: Mapping[Any, Any], name: str) -> list[tuple[str, Any]]:
    """``(key as written, value)`` for each key of ``data`` that kustomize reads as ``name``.

    Kustomize decodes kustomizations with Go's JSON rules, which match field names without regard
    to case (``HelmCharts``, ``RESOURCES``): a reader that only knew the canonical spelling would
    miss what kustomize acts on.
    """
    want = name.casefold()
    return [(k, v) for k, v in data.items() if isinstance(k, str) and k.casefold() == want]


def field_value(data: Mapping[Any, Any], name: str) -> Any:
    """The value kustomize uses for ``name`` (the last spelling wins), or ``None``."""
    found = fields(data, name)
    return found[-1][1] if found else None
