"""Render Kustomize folders and attribute each rendered object to the file that defines it.

``--kustomize DIR`` renders every kustomization under DIR that no other kustomization there
includes (the overlays, not the bases they share), with ``kubectl kustomize`` or
``kustomize build``, whichever is on PATH. Rendering never touches the network: kustomizations
that name remote resources (URLs, ``github.com/...``, ``git@...``, ``?ref=``) are refused before
anything runs, and the renderer runs with proxies pointed at a closed local port and git limited
to local protocols, as a second fence.

Kustomize rewrites objects (sorted keys, prefixes, namespaces, patches), so rendered lines mean
nothing to the user. Each rendered object is matched to its source object by kind, namespace and
name (allowing for ``namePrefix``/``nameSuffix``), and findings are located along their node path
in that source tree; objects with no source file (generators, or patched beyond recognition)
are reported against ``kustomization.yaml``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ekslint.linter.loader import SourceFile, load_bytes, load_untrusted, read_file
from ekslint.linter.model import objects_from
from ekslint.linter.nodes import LMap, Pos
from ekslint.linter.paths import SKIP_DIRS, display_path

#: The file names Kustomize accepts for a kustomization.
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
#: Signs that a resources/bases/components entry is fetched, not a local path.
REMOTE_MARKERS = (
    "://",
    "ssh:",
    "github.com/",
    "gitlab.com/",
    "bitbucket.org/",
    "git@",
    "git::",
    "?ref=",
    "?version=",
)
RESOURCE_KEYS = ("resources", "bases", "components")
TIMEOUT = 120
#: Environment for the renderer: no proxy that works, git over local files only, no prompts.
OFFLINE_ENV = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "no_proxy": "",
    "GIT_ALLOW_PROTOCOL": "file",
    "GIT_TERMINAL_PROMPT": "0",
}


class KustomizeError(Exception):
    """A folder that cannot be rendered: reported as a run error (exit 2)."""


@dataclass
class Kustomization:
    folder: Path
    file: Path
    data: dict[str, Any]
    includes: list[Path] = field(default_factory=list)  # folders of other kustomizations
    resources: list[Path] = field(default_factory=list)  # plain resource files
    remote: list[str] = field(default_factory=list)


def kustomization_file(folder: Path) -> Path | None:
    return next((folder / n for n in KUSTOMIZATION_NAMES if (folder / n).is_file()), None)


def is_remote_ref(ref: str) -> bool:
    """Is a kustomization entry a remote base (a URL, a git repository) rather than a local path?"""
    return any(marker in ref for marker in REMOTE_MARKERS)


def read_kustomization(folder: Path) -> Kustomization | None:
    path = kustomization_file(folder)
    if path is None:
        return None
    try:
        docs = load_untrusted(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise KustomizeError(f"{path}: cannot read: {exc}".replace("\n", " ")) from None
    data = docs[0] if docs and docs[0] is not None else {}
    if not isinstance(data, dict):
        raise KustomizeError(f"{path}: not a kustomization (expected a mapping)")
    k = Kustomization(folder, path, data)
    for key in RESOURCE_KEYS:
        entries = data.get(key) or []
        for entry in entries if isinstance(entries, list) else []:
            text = str(entry)
            if is_remote_ref(text):
                k.remote.append(text)
                continue
            target = (folder / text).resolve()
            if target.is_dir():
                k.includes.append(target)
            elif target.is_file():
                k.resources.append(target)
    return k


def find_roots(top: Path) -> list[Kustomization]:
    """Kustomizations under ``top`` that no other kustomization under ``top`` includes."""
    found: dict[Path, Kustomization] = {}
    for dirpath, dirnames, _ in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        k = read_kustomization(Path(dirpath).resolve())
        if k is not None:
            found[k.folder] = k
    included = {inc for k in found.values() for inc in k.includes}
    return [k for folder, k in sorted(found.items()) if folder not in included]


def closure(root: Kustomization) -> list[Kustomization]:
    """The kustomization and everything it includes, transitively (local only)."""
    seen: dict[Path, Kustomization] = {}
    stack = [root]
    while stack:
        k = stack.pop()
        if k.folder in seen:
            continue
        seen[k.folder] = k
        for inc in k.includes:
            sub = read_kustomization(inc)
            if sub is not None:
                stack.append(sub)
    return list(seen.values())


def renderer() -> list[str]:
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    raise KustomizeError("--kustomize needs `kubectl` or `kustomize` on PATH; neither was found")


def render(root: Kustomization) -> bytes:
    remote = [r for k in closure(root) for r in k.remote]
    if remote:
        raise KustomizeError(
            f"{root.file}: refers to remote resources ({', '.join(remote[:3])}); ekslint never fetches "
            "remote bases: vendor them, or render yourself and pipe the output to `ekslint scan -`"
        )
    return run_offline([*renderer(), str(root.folder)], str(root.folder), KustomizeError)


def run_offline(cmd: list[str], what: str, error: type[Exception]) -> bytes:
    """Run a renderer with no network and no stdin; its stdout, or ``error`` with its stderr."""
    env = {**os.environ, **OFFLINE_ENV}
    name = " ".join(Path(cmd[0]).name.split() + cmd[1:2])
    try:
        proc = subprocess.run(cmd, capture_output=True, env=env, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise error(f"{what}: `{name}` took longer than {TIMEOUT} s") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise error(f"{what}: `{name}` failed: {' '.join(message[:3])}")
    return proc.stdout


def _names(obj: Any) -> tuple[str, str, str]:
    meta = obj.metadata
    return obj.kind, str(meta.get("namespace") or ""), str(meta.get("name") or "")


def attribute(rendered: SourceFile, root: Kustomization, cwd: Path) -> None:
    """Point each rendered document at its source object (or at kustomization.yaml)."""
    chain = closure(root)
    prefixes = {str(k.data.get("namePrefix") or "") for k in chain}
    suffixes = {str(k.data.get("nameSuffix") or "") for k in chain}
    sources: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    for path in sorted({p for k in chain for p in k.resources}):
        try:
            src = read_file(path, display_path(path, cwd))
        except OSError:
            continue
        for doc in src.documents:
            for obj in objects_from(doc):
                kind, ns, name = _names(obj)
                sources.setdefault((kind, name), []).append((ns, obj))
    fallback = SourceFile(display=display_path(root.file, cwd), path=root.file)
    for doc in rendered.documents:
        objs = list(objects_from(doc))
        if not objs:
            continue
        kind, ns, name = _names(objs[0])
        candidates = [(kind, name)] + [
            (kind, name[len(p) : len(name) - len(s) if s else None])
            for p in prefixes
            for s in suffixes
            if (p or s) and name.startswith(p) and name.endswith(s) and len(name) > len(p) + len(s)
        ]
        match = None
        for key in candidates:
            options = sources.get(key, [])
            match = next((o for n, o in options if n == ns), None) or (options[0][1] if len(options) == 1 else None)
            if match is not None:
                break
        if match is not None:
            doc.origin, doc.origin_root, doc.origin_file = match.file.display, match.root, match.file
        else:
            doc.origin, doc.origin_root, doc.origin_file = fallback.display, LMap(Pos(1, 1)), fallback


def render_folder(top: Path, cwd: Path) -> tuple[list[SourceFile], list[str]]:
    """Render every root kustomization under ``top``; return the streams and error messages."""
    out: list[SourceFile] = []
    errors: list[str] = []
    try:
        roots = find_roots(top.resolve())
    except KustomizeError as exc:
        return [], [str(exc)]
    if not roots:
        return [], [f"{top}: no kustomization.yaml found"]
    for root in roots:
        try:
            data = render(root)
        except KustomizeError as exc:
            errors.append(str(exc))
            continue
        stream = load_bytes(SourceFile(display=f"{display_path(root.file, cwd)} (rendered)"), data)
        attribute(stream, root, cwd)
        out.append(stream)
    return out, errors
