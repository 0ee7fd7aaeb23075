"""Render Kustomize folders and attribute each rendered object to the file that defines it.

``--kustomize DIR`` renders every kustomization under DIR that no other kustomization there
includes (the overlays, not the bases they share), with ``kubectl kustomize`` or
``kustomize build``, whichever is on PATH.

Rendering never touches the network and never runs code from the scanned repository. Before
anything runs, every kustomization a root builds from is read and the root is refused when one of
them would fetch or execute something:

* remote targets: git repositories (``https://``, ``ssh://``, ``git@host:``, ``github.com/...``,
  ``host/org/repo.git``, ``?ref=``) under ``resources``/``bases``/``components``, and ``http(s)``
  URLs in any field kustomize loads a file from (patches, replacements, ``openapi.path``,
  ``configurations``, ``crds``, generator ``files``/``envs``), which kustomize downloads;
* Helm inflation (``helmCharts``, ``helmChartInflationGenerator``, a ``HelmChartInflationGenerator``
  config), which runs ``helm`` and may pull charts;
* plugins under ``generators``/``transformers``/``validators``: any config that is not a
  ``builtin`` one is a KRM function (``exec:`` runs a program, ``container:`` an image) or a
  legacy exec/Go plugin; a folder there is vetted file by file, and refused when its
  kustomization (or one it builds from) does more than list files, since a patch or an
  annotation can turn a ``builtin`` config into a function.

Kustomize matches field names as Go's JSON decoder does, case-insensitively (``HelmCharts`` works),
so this reader does too. The renderer then runs with proxies pointed at a closed local port and git
limited to local protocols, and without ``--enable-helm``/``--enable-alpha-plugins``, as a second
fence; it sees only an allow-listed part of the caller's environment (:data:`RENDERER_ENV`), so
the credentials of a CI job do not reach it. Messages name paths as the user reached them
(relative to the working directory, symlinks kept), never the machine's resolved folders.

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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ekslint.linter.kustomization import KUSTOMIZATION_NAMES, field_value, fields, is_remote_ref
from ekslint.linter.loader import SourceFile, load_bytes, load_untrusted, read_file
from ekslint.linter.model import objects_from
from ekslint.linter.nodes import LMap, Pos
from ekslint.linter.paths import SKIP_DIRS, display_path

RESOURCE_KEYS = ("resources", "bases", "components")
#: Fields that name files kustomize loads (and downloads when they are ``http(s)`` URLs).
FILE_LIST_KEYS = ("crds", "configurations", "patchesStrategicMerge")
PATH_ENTRY_KEYS = ("patches", "patchesJson6902", "replacements")
GENERATOR_KEYS = ("configMapGenerator", "secretGenerator")
HELM_KEYS = ("helmCharts", "helmChartInflationGenerator")
PLUGIN_KEYS = ("generators", "transformers", "validators")
#: Keys under which builtin generator/transformer configs name the files they load.
CONFIG_PATH_KEYS = frozenset({"path", "paths", "files", "envs", "env"})
#: Annotations that make a generator/transformer config a KRM function.
FUNCTION_ANNOTATIONS = ("config.kubernetes.io/function", "config.k8s.io/function")
#: The only ``apiVersion`` kustomize runs in-process; anything else is an external plugin.
BUILTIN_API_VERSION = "builtin"
#: What a kustomization that builds plugin configs (a folder under ``generators``/``transformers``/
#: ``validators``) may say: which files to build from, and fields that only touch namespaces and
#: names. Anything else can rewrite the configs (see :func:`plugin_folder_problems`).
#: Casefolded, as :func:`fields` compares.
PLUGIN_FOLDER_KEYS = frozenset(
    {"apiversion", "kind", "metadata", "resources", "bases", "components", "namespace", "nameprefix", "namesuffix"}
)
HELM_REASON = "needs Helm and may fetch charts: render the chart yourself (helm template) and scan the output"
PLUGIN_REASON = (
    "ekslint never runs code from the scanned repository: render the kustomization yourself and pipe "
    "the output to `ekslint scan -`"
)
REMOTE_REASON = (
    "ekslint never fetches remote bases: vendor them, or render yourself and pipe the output to `ekslint scan -`"
)
#: Plugin config files bigger than this are not read (and the kustomization is refused).
MAX_CONFIG_BYTES = 4 * 1024 * 1024
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
#: The caller's variables the renderer gets (and :data:`OFFLINE_ENV`), and nothing else: a CI job's
#: environment holds cloud credentials and tokens (``AWS_*``, ``GITHUB_TOKEN``) that a renderer has
#: no use for. ``PATH`` (kubectl finds its own helpers), ``HOME`` and the temporary folder, and the
#: locale for its messages. Left out on purpose: ``KUSTOMIZE_PLUGIN_HOME`` and ``XDG_CONFIG_HOME``
#: (where kustomize looks for plugins, which never run here), ``KUBECONFIG`` (rendering needs no
#: cluster), proxies and ``GIT_*`` (set by :data:`OFFLINE_ENV`) and Helm's ``HELM_*`` (``helm
#: template`` of a local chart needs none of them; ``HELM_PLUGINS`` would point it at code).
RENDERER_ENV = frozenset({"PATH", "HOME", "TMPDIR", "TMP", "TEMP", "LANG", "LANGUAGE", "SYSTEMROOT"})
RENDERER_ENV_PREFIXES = ("LC_",)


class KustomizeError(Exception):
    """A folder that cannot be rendered: reported as a run error (exit 2).

    ``path`` is the file the message is about, kept apart so that it is shown relative to the
    working directory (:meth:`show`) and not as the absolute path it was read from.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def show(self, cwd: Path) -> str:
        return f"{display_path(self.path, cwd)}: {self.message}" if self.path is not None else self.message


@dataclass
class Kustomization:
    """One kustomization file and what rendering it would read, fetch or run.

    ``folder`` and the paths below are absolute but not resolved: they keep the symlinks the
    user went through, so that findings and messages show the user's paths; :attr:`real` is the
    identity used to tell two routes to the same folder apart.
    """

    folder: Path
    file: Path
    data: dict[str, Any]
    includes: list[Path] = field(default_factory=list)  # folders of other kustomizations
    resources: list[Path] = field(default_factory=list)  # plain resource files
    remote: list[str] = field(default_factory=list)  # "field: target" that kustomize would fetch
    refused: list[str] = field(default_factory=list)  # why it would run something (Helm, plugins)
    #: (field, entry, folder) of generators/transformers/validators built from a kustomization.
    plugin_dirs: list[tuple[str, str, Path]] = field(default_factory=list)

    @property
    def real(self) -> Path:
        return self.folder.resolve()


def kustomization_file(folder: Path) -> Path | None:
    return next((folder / n for n in KUSTOMIZATION_NAMES if (folder / n).is_file()), None)


def _join(folder: Path, ref: str) -> Path:
    """``folder/ref`` cleaned lexically, as kustomize (Go's ``filepath.Join``) does: symlinks kept."""
    return Path(os.path.normpath(folder / ref))


def _entries(value: Any) -> list[Any]:
    """A field's entries: a list's items, a lone value as one entry, nothing for ``None``."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _has_content(text: str) -> bool:
    """Does a YAML text hold anything but blank lines, comments and document markers?"""
    return any(
        s and not s.startswith("#") and s not in ("---", "...") for s in (li.strip() for li in text.splitlines())
    )


def read_kustomization(folder: Path) -> Kustomization | None:
    """Read the kustomization in ``folder`` (``None`` if there is none) and what it would do.

    Nothing is run: remote targets, Helm inflation and plugins are recorded in ``remote`` and
    ``refused`` for :func:`refusals`. A file that cannot be read or parsed cannot be vetted, so it
    is an error rather than an empty kustomization.
    """
    path = kustomization_file(folder)
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KustomizeError(f"cannot read: {exc.strerror if isinstance(exc, OSError) else exc}", path) from None
    docs = load_untrusted(text)
    if not docs and _has_content(text):
        raise KustomizeError(
            "cannot be parsed as YAML, so ekslint cannot check what it would fetch or run: fix it, or render "
            "it yourself and pipe the output to `ekslint scan -`",
            path,
        )
    data = docs[0] if docs and docs[0] is not None else {}
    if not isinstance(data, dict):
        raise KustomizeError("not a kustomization (expected a mapping)", path)
    k = Kustomization(folder, path, data)
    _read_resources(k)
    _read_files(k)
    _read_helm(k)
    _read_plugins(k)
    return k


def _read_resources(k: Kustomization) -> None:
    """``resources``/``bases``/``components``: local folders and files, or remote targets."""
    for name in RESOURCE_KEYS:
        for key, value in fields(k.data, name):
            for entry in _entries(value):
                text = str(entry)
                if is_remote_ref(text, k.folder):
                    k.remote.append(f"{key}: {text}")
                    continue
                target = _join(k.folder, text)
                if target.is_dir():
                    k.includes.append(target)
                elif target.is_file():
                    k.resources.append(target)


def _file_refs(k: Kustomization) -> Iterator[tuple[str, str]]:
    """``(field, path)`` for every file kustomize would load, which it downloads if it is a URL."""
    data = k.data
    for name in FILE_LIST_KEYS:
        for key, value in fields(data, name):
            for entry in _entries(value):
                if isinstance(entry, str) and "\n" not in entry:  # patchesStrategicMerge may be inline
                    yield key, entry
    for name in PATH_ENTRY_KEYS:
        for key, value in fields(data, name):
            for entry in _entries(value):
                if isinstance(entry, dict):
                    for sub, path in fields(entry, "path"):
                        yield f"{key}.{sub}", str(path)
    for key, value in fields(data, "openapi"):
        if isinstance(value, dict):
            for sub, path in fields(value, "path"):
                yield f"{key}.{sub}", str(path)
    for name in GENERATOR_KEYS:
        for key, value in fields(data, name):
            for entry in _entries(value):
                if not isinstance(entry, dict):
                    continue
                for list_name in ("files", "envs", "env"):
                    for sub, paths in fields(entry, list_name):
                        for source in _entries(paths):  # "key=https://..." is a URL all the same
                            yield f"{key}.{sub}", str(source)


def _read_files(k: Kustomization) -> None:
    for key, ref in _file_refs(k):
        entry = f"{key}: {ref}"
        if is_remote_ref(ref, k.folder) and entry not in k.remote:
            k.remote.append(entry)


def _read_helm(k: Kustomization) -> None:
    """``helmCharts``/``helmChartInflationGenerator`` run ``helm``, which may pull charts."""
    for name in HELM_KEYS:
        for key, value in fields(k.data, name):
            if value:  # an empty list inflates nothing
                k.refused.append(f"{key} {HELM_REASON}")


def _read_plugins(k: Kustomization) -> None:
    """Generator, transformer and validator configs: inline, in files, or built from a folder."""
    for name in PLUGIN_KEYS:
        for key, value in fields(k.data, name):
            for entry in _entries(value):
                if isinstance(entry, dict):
                    configs: list[Any] = [entry]
                elif isinstance(entry, str):  # inline configs first, as kustomize tries them
                    configs = [d for d in load_untrusted(entry) if isinstance(d, dict)]
                else:
                    continue
                if configs:
                    k.refused.extend(f"{key}: an inline config {why}" for why in map(plugin_problem, configs) if why)
                    continue
                if is_remote_ref(entry, k.folder):
                    k.remote.append(f"{key}: {entry}")
                    continue
                target = _join(k.folder, entry)
                if target.is_dir():  # a kustomization whose output is the configs
                    k.includes.append(target)
                    k.plugin_dirs.append((key, entry, target))
                elif target.is_file():
                    k.refused.extend(f"{key}: {entry} {why}" for why in config_file_problems(target))


def plugin_folder_problems(k: Kustomization) -> list[str]:
    """Why ekslint cannot vet the plugin configs that ``k`` (a plugin folder's kustomization, or
    one of its bases or components) builds, or nothing when its files are all there is to vet.

    Kustomize builds a plugin folder like any base and loads what comes out as the configs. Only
    the files can be read here; the fields that transform them are refused, whatever they say:
    ``patches`` can set ``apiVersion: example.com/v1`` and the ``config.kubernetes.io/function``
    annotation on a ``builtin`` config, and so can ``commonAnnotations``, ``labels`` with
    ``fields``, ``replacements``, ``configurations`` (which point any transformer at any field),
    ``transformers`` and generators. A list of the dangerous fields would miss the next one, so
    the fields allowed are listed instead (:data:`PLUGIN_FOLDER_KEYS`, which only name files,
    namespaces and names).

    Vetting the rendered folder instead (``kubectl kustomize`` on it, then
    :func:`plugin_problem` on each document) would vet something else than kustomize loads: a
    nested build skips the steps of a top-level one (``config.kubernetes.io/local-config``
    objects are dropped and vars resolved only at the top), so a config marked local-config is
    missing from the rendered folder and still loaded as a plugin. It would also run the
    renderer on the repository's folder only to decide whether the renderer may run.
    """
    extra = [key for key in k.data if not (isinstance(key, str) and key.casefold() in PLUGIN_FOLDER_KEYS)]
    if not extra:
        return []
    return [
        f"sets {', '.join(map(str, extra))}, which can rewrite the plugin configs it builds (their apiVersion, "
        f"kind or config.kubernetes.io/function annotation), so ekslint cannot check what kustomize would run: "
        f"{PLUGIN_REASON}"
    ]


def config_file_problems(path: Path) -> list[str]:
    """Why the plugin configs in ``path`` would run something; a file that cannot be read or
    parsed cannot be vetted, and says so."""
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            return [
                f"is bigger than {MAX_CONFIG_BYTES // (1024 * 1024)} MB, so ekslint cannot check it: {PLUGIN_REASON}"
            ]
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return [f"cannot be read, so ekslint cannot check what it runs: {PLUGIN_REASON}"]
    docs = load_untrusted(text)
    if not docs and _has_content(text):
        return [f"cannot be parsed as YAML, so ekslint cannot check what it runs: {PLUGIN_REASON}"]
    return [why for why in (plugin_problem(d) for d in docs if isinstance(d, dict)) if why]


def plugin_problem(config: Mapping[Any, Any]) -> str | None:
    """Why kustomize would run something for this generator/transformer config, or ``None``.

    Only ``apiVersion: builtin`` configs run in kustomize itself (and the Helm one of those runs
    ``helm``); any other config is an external plugin: a KRM function (the
    ``config.kubernetes.io/function`` annotation: ``exec:`` runs a program, ``container:`` an
    image) or a legacy exec/Go plugin looked up by apiVersion and kind.
    """
    api, kind = config.get("apiVersion"), config.get("kind")
    if api == BUILTIN_API_VERSION:
        if str(kind).casefold() == "helmchartinflationgenerator":
            return f"is a HelmChartInflationGenerator, which {HELM_REASON}"
        remote = [ref for ref in _config_paths(config) if is_remote_ref(ref)]
        if remote:  # a builtin ConfigMapGenerator, PatchTransformer... loads its files as kustomize does
            return f"is a builtin {kind} that loads {remote[0]}, which kustomize would download: {REMOTE_REASON}"
        return None
    meta = config.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    spec: Any = None
    for name in FUNCTION_ANNOTATIONS:
        if isinstance(annotations, dict) and annotations.get(name) is not None:
            text = annotations[name]
            spec = (load_untrusted(text) or [None])[0] if isinstance(text, str) else text
            break
    else:
        return f"is a plugin (apiVersion {api}, kind {kind}) that kustomize would load and run: {PLUGIN_REASON}"
    runs = "a KRM function"
    if isinstance(spec, dict):
        exe, container = spec.get("exec"), spec.get("container")
        if exe is not None:
            runs = f"a program (KRM function exec: {exe.get('path') if isinstance(exe, dict) else exe})"
        elif container is not None:
            image = container.get("image") if isinstance(container, dict) else container
            runs = f"a container (KRM function container: {image})"
        elif spec.get("starlark") is not None:
            runs = "a Starlark script (KRM function)"
    return f"runs {runs}: {PLUGIN_REASON}"


def _config_paths(value: Any) -> Iterator[str]:
    """Strings under the keys builtin plugin configs name files with (``path``, ``paths``,
    ``files``, ``envs``, ``env``), at any depth (``replacements: [{path: ...}]``)."""
    if isinstance(value, dict):
        for key, sub in value.items():
            if isinstance(key, str) and key.casefold() in CONFIG_PATH_KEYS:
                yield from (str(v) for v in _entries(sub) if not isinstance(v, (dict, list)))
            yield from _config_paths(sub)
    elif isinstance(value, list):
        for sub in value:
            yield from _config_paths(sub)


def find_roots(top: Path) -> tuple[list[Kustomization], list[KustomizeError]]:
    """Kustomizations under ``top`` that no other kustomization under ``top`` includes, and the
    errors of those that could not be read (the other roots are still rendered).

    Symlinked folders are followed once (a loop is detected by real path); paths keep the links.
    """
    found: dict[Path, Kustomization] = {}
    errors: list[KustomizeError] = []
    visited: set[str] = set()
    for dirpath, dirnames, _ in os.walk(top, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in visited:
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        try:
            k = read_kustomization(Path(dirpath))
        except KustomizeError as exc:
            errors.append(exc)
            continue
        if k is not None:
            found.setdefault(k.real, k)
    included = {inc.resolve() for k in found.values() for inc in k.includes}
    roots = [k for real, k in found.items() if real not in included]
    return sorted(roots, key=lambda k: k.folder), errors


def closure(root: Kustomization) -> list[Kustomization]:
    """The kustomization and everything it includes, transitively (local only)."""
    seen: dict[Path, Kustomization] = {}
    stack = [root]
    while stack:
        k = stack.pop()
        if k.real in seen:
            continue
        seen[k.real] = k
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


def refusals(root: Kustomization, cwd: Path) -> list[str]:
    """Why ``root`` must not be rendered: everything in its build that would fetch or run something.

    Each message names the kustomization file holding the field (and the root, when that file is
    one of its bases), relative to ``cwd``. Empty when the root can be rendered.
    """
    out: list[str] = []
    chain = closure(root)
    for k in chain:
        shown = display_path(k.file, cwd)
        found: list[str] = []
        if k.remote:
            more = ", ..." if len(k.remote) > 3 else ""
            found.append(f"{shown}: refers to remote resources ({', '.join(k.remote[:3])}{more}); {REMOTE_REASON}")
        found += [f"{shown}: {why}" for why in k.refused]
        for key, entry, folder in k.plugin_dirs:
            sub = read_kustomization(folder)
            for base in closure(sub) if sub is not None else []:
                found += [
                    f"{shown}: {key}: {entry} ({display_path(base.file, cwd)}) {why}"
                    for why in plugin_folder_problems(base)
                ]
                for path in base.resources:
                    found += [
                        f"{shown}: {key}: {entry} ({display_path(path, cwd)}) {why}"
                        for why in config_file_problems(path)
                    ]
        if k is not root:
            found = [f"{m} (in the build of {display_path(root.file, cwd)}, which is not rendered)" for m in found]
        out += found
    return out


def render(root: Kustomization, cwd: Path) -> bytes:
    """Run the renderer on ``root``, which :func:`refusals` has passed."""
    return run_offline([*renderer(), str(root.folder)], display_path(root.folder, cwd), KustomizeError, cwd=cwd)


def renderer_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The part of ``environ`` a renderer may see (:data:`RENDERER_ENV`)."""
    return {k: v for k, v in environ.items() if k in RENDERER_ENV or k.startswith(RENDERER_ENV_PREFIXES)}


def run_offline(cmd: list[str], what: str, error: type[Exception], *, cwd: Path | None = None) -> bytes:
    """Run a renderer with no network, no stdin and only :func:`renderer_env` of the caller's
    environment; its stdout, or ``error`` with its stderr.

    The renderer's own messages name absolute paths: with ``cwd``, paths below it are shortened
    to relative ones, as everywhere else in the output, so that no machine folder is shown.
    """
    env = {**renderer_env(os.environ), **OFFLINE_ENV}
    name = " ".join(Path(cmd[0]).name.split() + cmd[1:2])
    try:
        proc = subprocess.run(cmd, capture_output=True, env=env, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise error(f"{what}: `{name}` took longer than {TIMEOUT} s") from None
    if proc.returncode != 0:
        message = " ".join(proc.stderr.decode("utf-8", "replace").strip().splitlines()[:3])
        if cwd is not None:
            for prefix in sorted({str(cwd.absolute()), str(cwd.resolve())}, key=len, reverse=True):
                message = message.replace(prefix.rstrip("/") + "/", "")
        raise error(f"{what}: `{name}` failed: {message}")
    return proc.stdout


def _names(obj: Any) -> tuple[str, str, str]:
    meta = obj.metadata
    return obj.kind, str(meta.get("namespace") or ""), str(meta.get("name") or "")


def attribute(rendered: SourceFile, root: Kustomization, cwd: Path) -> None:
    """Point each rendered document at its source object (or at kustomization.yaml)."""
    chain = closure(root)
    prefixes = {str(field_value(k.data, "namePrefix") or "") for k in chain}
    suffixes = {str(field_value(k.data, "nameSuffix") or "") for k in chain}
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
    """Render every root kustomization under ``top``; return the streams and error messages.

    A root that would fetch or run something is refused before anything runs, and one that
    fails is reported; either way the other roots are still rendered. ``top`` is kept as the
    user gave it (made absolute, not resolved), so that a symlinked folder shows its link path.
    """
    out: list[SourceFile] = []
    errors: list[str] = []

    def error(message: str) -> None:
        if message not in errors:  # a broken base shared by several roots is told once
            errors.append(message)

    roots, problems = find_roots(Path(os.path.abspath(top)))
    for problem in problems:
        error(problem.show(cwd))
    if not roots and not problems:
        return [], [f"{display_path(top, cwd)}: no kustomization.yaml found"]
    for root in roots:
        try:
            refused = refusals(root, cwd)
            if refused:
                for message in refused:
                    error(message)
                continue
            data = render(root, cwd)
        except KustomizeError as exc:
            error(exc.show(cwd))
            continue
        stream = load_bytes(SourceFile(display=f"{display_path(root.file, cwd)} (rendered)"), data)
        attribute(stream, root, cwd)
        out.append(stream)
    return out, errors
