"""The language server: editor buffers in, diagnostics and code actions out, over stdio.

Each workspace folder is a :class:`~ekslint.linter.workspace.Workspace`, read once when the client
says it is ready (``initialized``) with ``ekslint scan``'s own discovery and the folder's config
(``.ekslint.yaml`` or ``[tool.ekslint]`` found from the folder upwards). An open buffer replaces
its file's content in that workspace, so cross-object rules judge a PDB in one file against the
Deployment in another, edited or not. Files outside every folder are linted on their own, with the
default settings.

After each change the open files are linted again (a short pause first, so that a burst of
keystrokes is linted once: ``initializationOptions.debounceMs``, default 50) and diagnostics are
published for each open file whose diagnostics changed; closing a file clears its diagnostics.
With ``initializationOptions.workspaceDiagnostics: true`` every file of the workspace gets them
(each change then re-lints the whole tree: slower).

The config is read again when it is saved or changes on disk (and ``.gitignore`` files, which
decide what is read), and every file of that folder with it. Files changed, created or deleted
outside the editor are taken from disk again when the client reports them (the server asks it to
watch ``**/*.{yaml,yml,json,tf,tfvars}`` and the config files).

Nothing here may stop the server: an exception while linting or answering is written to the
client's log (``window/logMessage``) and the diagnostics already shown stay as they were.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from ekslint import __version__
from ekslint.linter.config import CONFIG_NAMES, PYPROJECT, ConfigError, Settings, load_settings, parse_docs_url
from ekslint.linter.registry import REGISTRY
from ekslint.linter.report import Report, Result
from ekslint.linter.workspace import Workspace
from ekslint.lsp.actions import ignore_edit, text_edits
from ekslint.lsp.diagnostics import to_diagnostic

#: Files whose change reloads a folder's settings and files.
RELOADS = frozenset({*CONFIG_NAMES, PYPROJECT, ".gitignore"})
WATCHED = ("**/*.{yaml,yml,json,tf,tfvars}", "**/pyproject.toml", "**/.gitignore")
FIX_ALL = "source.fixAll.ekslint"
DOCS_URL_ENV = "EKSLINT_DOCS_URL"
DEFAULT_DEBOUNCE = 0.05

T = TypeVar("T")


@dataclass
class Root:
    """A workspace folder (``folder`` None: the files outside every folder) and its workspace."""

    folder: Path | None
    workspace: Workspace
    #: Something changed since it was last linted.
    dirty: bool = True


class Session:
    """The server's state and its answers; :func:`make_server` wires it to the protocol."""

    def __init__(self, ls: LanguageServer) -> None:
        self.ls = ls
        self.folders: list[Path] = []
        self.roots: list[Root] = []
        self.loose: Root | None = None
        #: Open documents: uri -> path.
        self.open: dict[str, Path] = {}
        #: Buffers changed since the last lint.
        self.pending: set[str] = set()
        self.published: dict[str, list[types.Diagnostic]] = {}
        #: What each published diagnostic was made from, for code actions.
        self.shown: dict[str, list[tuple[Result, types.Diagnostic]]] = {}
        self.workspace_diagnostics = False
        self.debounce = DEFAULT_DEBOUNCE
        self.logged: set[str] = set()
        self._timer: asyncio.TimerHandle | None = None

    # -- messages to the client ------------------------------------------------------------------

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.ls.window_log_message(types.LogMessageParams(type=kind, message=f"ekslint: {message}"))

    def log_once(self, message: str, kind: types.MessageType) -> None:
        if message not in self.logged:
            self.logged.add(message)
            self.log(message, kind)

    def failed(self, what: str, exc: BaseException) -> None:
        """An exception while ``what``: logged with its traceback, nothing else changes."""
        trace = "".join(traceback.format_exception(exc, limit=-8))
        self.log(f"internal error while {what}: {type(exc).__name__}: {exc}\n{trace}", types.MessageType.Error)

    def guarded(self, what: str, default: T, func: Callable[[], T]) -> T:
        try:
            return func()
        except Exception as exc:  # noqa: BLE001 - nothing may stop the server
            self.failed(what, exc)
            return default

    # -- set-up ----------------------------------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        folders = [f.uri for f in params.workspace_folders or []]
        if not folders and params.root_uri:
            folders = [params.root_uri]
        elif not folders and params.root_path:
            folders = [from_fs_path(params.root_path) or ""]
        self.folders = [p for p in (_path(uri) for uri in folders) if p is not None]
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        self.workspace_diagnostics = options.get("workspaceDiagnostics") is True
        debounce = options.get("debounceMs")
        if isinstance(debounce, int | float) and not isinstance(debounce, bool) and 0 <= debounce <= 10_000:
            self.debounce = debounce / 1000

    def initialized(self) -> None:
        """Read every workspace folder, and ask the client to report changes on disk."""
        gc.enable()  # a long-running process: the CLI's no-collector policy is for one-shot runs
        for folder in self.folders:
            self.roots.append(self.make_root(folder))
        gc.collect()
        gc.freeze()  # what was read lives for the session: keep it out of every collection
        self._watch()
        if self.workspace_diagnostics:
            self.lint()

    def make_root(self, folder: Path) -> Root:
        started = time.perf_counter()
        root = Root(folder, self._workspace(folder, discover=True))
        root.workspace.load()
        for error in root.workspace.load_errors:
            self.log_once(str(error), types.MessageType.Warning)
        files = len(root.workspace.paths)
        self.log(f"read {files} file(s) below {folder} in {time.perf_counter() - started:.1f} s")
        return root

    def _workspace(self, folder: Path, *, discover: bool) -> Workspace:
        """A workspace for ``folder`` with its config; the defaults (and a message) when the
        config is invalid: the server keeps going, as it would after the user fixes the file."""
        try:
            settings = load_settings(None, cwd=folder, start=folder, discover=discover)
            if os.environ.get(DOCS_URL_ENV):
                settings.docs_url = parse_docs_url(os.environ[DOCS_URL_ENV], DOCS_URL_ENV)
            return Workspace(folder, settings)
        except ConfigError as exc:
            message = f"{exc}; linting {folder} with the default settings until it is fixed"
            self.log(message, types.MessageType.Error)
            self.ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
            return Workspace(folder, Settings(root=folder))

    def _watch(self) -> None:
        capabilities = self.ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities is not None else None
        if watched is None or not watched.dynamic_registration:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=g) for g in (*WATCHED, *(f"**/{n}" for n in CONFIG_NAMES))]
        )
        registration = types.Registration(
            id="ekslint-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
        )
        self.ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    def root_for(self, path: Path) -> Root:
        """The deepest workspace folder holding ``path``, else the root of loose files."""
        holding = [r for r in self.roots if r.folder is not None and path.is_relative_to(r.folder)]
        if holding:
            return max(holding, key=lambda r: len(r.folder.parts) if r.folder else 0)
        if self.loose is None:
            self.loose = Root(None, self._workspace(Path(os.path.abspath(os.sep)), discover=False))
        return self.loose

    def reload(self, root: Root) -> None:
        """Read a folder again, with its config as it is now; open buffers are put back."""
        if root.folder is None:
            return
        fresh = self.make_root(root.folder)
        root.workspace = fresh.workspace
        root.dirty = True
        for uri, path in self.open.items():
            if self.root_for(path) is root:
                self._set_buffer(root, uri, path)

    # -- documents -------------------------------------------------------------------------------

    def _buffer(self, uri: str) -> str:
        return self.ls.workspace.get_text_document(uri).source

    def _set_buffer(self, root: Root, uri: str, path: Path, *, saved: bool = False) -> None:
        root.workspace.set_text(path, self._buffer(uri), saved=saved)
        root.dirty = True

    def did_open(self, uri: str) -> None:
        path = _path(uri)
        if path is None:
            return
        self.open[uri] = path
        self._set_buffer(self.root_for(path), uri, path)
        self.lint()

    def did_change(self, uri: str) -> None:
        if uri in self.open:
            self.pending.add(uri)
            self.schedule()

    def did_save(self, uri: str) -> None:
        path = self.open.get(uri)
        if path is None:
            return
        root = self.root_for(path)
        if path.name in RELOADS:
            self.pending.discard(uri)
            self.reload(root)
        else:
            self.pending.discard(uri)
            self._set_buffer(root, uri, path, saved=True)
        self.lint()

    def did_close(self, uri: str) -> None:
        path = self.open.pop(uri, None)
        self.pending.discard(uri)
        if path is None:
            return
        root = self.root_for(path)
        root.workspace.reread(path)
        root.dirty = True
        self._clear(uri)
        self.lint()

    def files_changed(self, changes: Iterable[types.FileEvent]) -> None:
        """Files changed on disk (the client watches them): configs and ``.gitignore`` files reload
        their folder, other files are read again unless open (the buffer wins)."""
        reload: list[Root] = []
        for change in changes:
            path = _path(change.uri)
            if path is None:
                continue
            root = self.root_for(path)
            if path.name in RELOADS:
                if root not in reload:
                    reload.append(root)
            elif change.uri not in self.open:
                root.workspace.reread(path, saved=True)
                root.dirty = True
        for root in reload:
            self.reload(root)
        self.lint()

    def folders_changed(self, event: types.WorkspaceFoldersChangeEvent) -> None:
        gone = {p for p in (_path(f.uri) for f in event.removed) if p is not None}
        self.roots = [r for r in self.roots if r.folder not in gone]
        for added in event.added:
            path = _path(added.uri)
            if path is not None and all(r.folder != path for r in self.roots):
                self.roots.append(self.make_root(path))
        for uri in [u for u in self.published if u not in self.open]:
            self._clear(uri)  # published for a folder that may be gone: the next lint says again
        for uri, path in self.open.items():
            self._set_buffer(self.root_for(path), uri, path)
        for root in self.roots:
            root.dirty = True
        self.lint()

    # -- linting ---------------------------------------------------------------------------------

    def schedule(self) -> None:
        """Lint after the debounce pause (now when there is none, or no event loop)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if self.debounce <= 0 or loop is None:
            self.lint()
            return
        self._timer = loop.call_later(self.debounce, lambda: self.guarded("linting", None, self.lint))

    def take_pending(self) -> None:
        """Put the changed buffers into their workspaces."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for uri in sorted(self.pending):
            path = self.open.get(uri)
            if path is not None:
                self._set_buffer(self.root_for(path), uri, path)
        self.pending.clear()

    def lint(self) -> None:
        self.take_pending()
        for root in [*self.roots, *([self.loose] if self.loose else [])]:
            if root.dirty:
                root.dirty = False
                what = f"linting {root.folder or 'files outside the workspace folders'}"
                self.guarded(what, None, partial(self._lint, root))

    def _lint(self, root: Root) -> None:
        ws = root.workspace
        mine = {uri: path for uri, path in self.open.items() if self.root_for(path) is root}
        report: Report | None
        if self.workspace_diagnostics and root.folder is not None:
            report = ws.lint()
        else:
            shown = [p for p in mine.values() if p in ws]
            report = ws.lint(only=shown) if shown else None
        found: dict[str, list[Result]] = {uri: [] for uri, path in mine.items() if path in ws}
        if report is not None:
            for error in report.errors:
                self.log_once(str(error), types.MessageType.Warning)
            for result in report.active:
                uri = from_fs_path(str(ws.path_of(result.file)))
                if uri is not None:
                    found.setdefault(self._open_uri(uri), []).append(result)
        if self.workspace_diagnostics and root.folder is not None:
            for uri in list(self.published):
                path = _path(uri)
                if path is not None and uri not in found and self.root_for(path) is root:
                    found[uri] = []
        for uri in [u for u, p in mine.items() if p not in ws]:  # excluded by the config
            found[uri] = []
        units = self.ls.workspace.position_codec.client_num_units
        for uri, results in found.items():
            path = _path(uri)
            source = ws.source(path) if path is not None else None
            docs_url = ws.settings.docs_url
            self._publish(
                uri, [(r, to_diagnostic(r, source.line(r.line) if source else "", units, docs_url)) for r in results]
            )

    def _open_uri(self, uri: str) -> str:
        """The uri the client opened a file under (it may spell it differently: %3A, case)."""
        path = _path(uri)
        for open_uri, open_path in self.open.items():
            if open_path == path:
                return open_uri
        return uri

    def _publish(self, uri: str, pairs: list[tuple[Result, types.Diagnostic]]) -> None:
        """Send the diagnostics of ``uri`` when they changed (an open file's always once)."""
        diagnostics = [d for _, d in pairs]
        known = self.published.get(uri)
        if known is None and not diagnostics and uri not in self.open:
            return
        if known != diagnostics or known is None:
            version = self.ls.workspace.get_text_document(uri).version if uri in self.open else None
            self.ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
            )
        if diagnostics or uri in self.open:
            self.published[uri], self.shown[uri] = diagnostics, pairs
        else:
            self.published.pop(uri, None)
            self.shown.pop(uri, None)

    def _clear(self, uri: str) -> None:
        """No diagnostics for ``uri`` any more (closed, or its folder gone)."""
        if self.published.pop(uri, None):
            self.ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self.shown.pop(uri, None)

    # -- code actions ----------------------------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        if self.pending:
            self.lint()
        uri = params.text_document.uri
        path = self.open.get(uri)
        if path is None:
            return []
        ws = self.root_for(path).workspace
        source = ws.source(path)
        if source is None:
            return []
        only = params.context.only
        quick = only is None or any(types.CodeActionKind.QuickFix.startswith(k) for k in only)
        fix_all = only is None or any(FIX_ALL.startswith(k) for k in only)
        units = self.ls.workspace.position_codec.client_num_units
        pairs = self.shown.get(uri, [])
        actions: list[types.CodeAction] = []
        first, last = params.range.start.line, params.range.end.line
        for result, diagnostic in pairs if quick else []:
            if not (diagnostic.range.start.line <= last and diagnostic.range.end.line >= first):
                continue
            fix = self._fix(uri, source.text, [result], units)
            if fix is not None:
                title, edit = fix
                actions.append(
                    types.CodeAction(
                        title=f"Fix {result.rule}: {title}",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=True,
                        edit=edit,
                    )
                )
            ignore = ignore_edit(source, result.line, source.line(result.line), result.rule, units)
            if ignore is not None:
                actions.append(
                    types.CodeAction(
                        title=f"Ignore {result.rule} on this line",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        edit=types.WorkspaceEdit(changes={uri: [ignore]}),
                    )
                )
        if fix_all:
            fix = self._fix(uri, source.text, [r for r, _ in pairs], units)
            if fix is not None:
                actions.append(
                    types.CodeAction(title="Fix all auto-fixable ekslint problems", kind=FIX_ALL, edit=fix[1])
                )
        return actions

    def _fix(
        self, uri: str, text: str, results: list[Result], units: Callable[[str], int]
    ) -> tuple[str, types.WorkspaceEdit] | None:
        """What ``ekslint fix`` would do to ``text`` for these findings, as an edit; None if nothing."""
        from ekslint.linter.fixes import fix_text, load_fixers

        fixers = load_fixers()
        wanted: dict[str, set[str]] = {}
        for r in results:
            meta = REGISTRY.get(r.rule)
            if meta is not None and meta.fixable and r.rule in fixers and r.object:
                wanted.setdefault(r.source_object or r.object, set()).add(r.rule)  # as the file writes it
        if not wanted:
            return None
        fixed, changes, _ = fix_text(text, wanted)
        if fixed == text:
            return None
        edits = text_edits(text, fixed, units)
        title = "; ".join(c.split(": ", 2)[-1] for c in changes)
        return title, types.WorkspaceEdit(changes={uri: edits})

    def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _path(uri: str) -> Path | None:
    """The file a ``file:`` uri names (others, such as ``untitled:``, name none)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(os.path.abspath(path)) if path else None


def make_server() -> LanguageServer:
    """The server, its features registered; ``start_io()`` runs it."""
    ls = LanguageServer("ekslint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
    session = Session(ls)

    @ls.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        session.guarded("initializing", None, lambda: session.initialize(params))

    @ls.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        session.guarded("reading the workspace", None, session.initialized)

    @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        session.guarded("opening a file", None, lambda: session.did_open(params.text_document.uri))

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        session.guarded("taking a change", None, lambda: session.did_change(params.text_document.uri))

    @ls.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        session.guarded("saving a file", None, lambda: session.did_save(params.text_document.uri))

    @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        session.guarded("closing a file", None, lambda: session.did_close(params.text_document.uri))

    @ls.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(params: types.DidChangeWatchedFilesParams) -> None:
        session.guarded("reading changed files", None, lambda: session.files_changed(params.changes))

    @ls.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        session.guarded("changing workspace folders", None, lambda: session.folders_changed(params.event))

    @ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        return session.guarded("computing code actions", [], lambda: session.code_actions(params))

    @ls.feature(types.SHUTDOWN)
    def shutdown(params: Any) -> None:
        session.guarded("shutting down", None, session.shutdown)

    return ls


def serve() -> None:
    """Run the server on stdin and stdout until the client says ``exit``.

    The protocol gets a stream of its own on the standard output, and ``sys.stdout`` becomes the
    standard error meanwhile: a stray ``print`` would corrupt the protocol stream, and pygls closes
    the stream it was given when the client says ``exit``.
    """
    stream = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout.flush()
    sys.stdout = sys.stderr
    make_server().start_io(sys.stdin.buffer, stream)
