"""The language server's pieces: ranges in client units, line edits, ignore comments, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.workspace import Workspace as Documents

from ekslint.linter.loader import SourceFile, load_bytes
from ekslint.linter.registry import Level
from ekslint.linter.report import Result
from ekslint.linter.workspace import Workspace
from ekslint.lsp.actions import ignore_edit, lsp_lines, text_edits
from ekslint.lsp.diagnostics import result_range, token_end
from ekslint.lsp.server import Session


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    ("line", "col", "end"),
    [
        ("  minAvailable: 2", 2, 14),  # a key, without its colon
        ("    image: nginx:1.27  # pinned", 11, 21),  # a colon inside a value belongs to it
        ('  name: "a \\" b"', 8, 16),  # a quoted string, escapes included
        ("  name: 'it''s'", 8, 15),
        ("  - {a: 1}", 4, 10),  # no token starts at a flow indicator: to the end of the line
        ('resource "aws_eks_cluster" "this" {', 0, 8),  # HCL
        ("key:", 9, 4),  # past the end
    ],
)
def test_token_end(line: str, col: int, end: int) -> None:
    assert token_end(line, col) == end


def test_ranges_count_the_clients_code_units() -> None:
    line = '  name: "😀 café"'
    result = Result("r", Level.WARNING, "m", "f.yaml", line=3, col=9)
    found = result_range(result, line, utf16)
    assert (found.start.line, found.start.character, found.end.character) == (2, 8, 17)  # the emoji is 2 units
    assert result_range(result, line, len).end.character == 16  # a client counting code points


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = lsp_lines(text)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def at(position: types.Position) -> int:
        return offsets[position.line] + position.character if position.line < len(lines) else len(text)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: at(edit.range.start)] + edit.new_text + text[at(edit.range.end) :]
    return text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("a\nb\nc", "a\nb\nC"),  # no line break at the end
        ("a\r\nb\r\n", "a\r\nb\r\nc\r\n"),  # appended
        ("a\nb\n", "b\n"),
        ("", "x\n"),
    ],
)
def test_text_edits_turn_the_old_text_into_the_new(old: str, new: str) -> None:
    edits = text_edits(old, new, utf16)
    assert _apply(old, edits) == new
    assert all(e.range.start.character == 0 for e in edits)


def _source(text: str, name: str = "x.yaml") -> SourceFile:
    return load_bytes(SourceFile(display=name, path=Path(name)), text.encode())


def test_ignore_comments() -> None:
    source = _source("data:\n  a: 1  # ekslint: ignore=x-rule\n  b: |\n    text\n  c: 2\n")
    assert ignore_edit(source, 5, "  c: 2", "some-rule", utf16) == types.TextEdit(
        range=types.Range(start=types.Position(line=4, character=6), end=types.Position(line=4, character=6)),
        new_text="  # ekslint: ignore=some-rule",
    )
    extended = ignore_edit(source, 2, "  a: 1  # ekslint: ignore=x-rule", "some-rule", utf16)
    assert extended is not None and extended.new_text == ",some-rule" and extended.range.start.character == 32
    assert ignore_edit(source, 3, "  b: |", "some-rule", utf16) is not None  # a block scalar's header
    assert ignore_edit(source, 4, "    text", "some-rule", utf16) is None  # inside the block scalar
    assert ignore_edit(source, 5, "  c: 2", "unused-suppression", utf16) is None  # cannot be suppressed
    assert ignore_edit(_source('{"a": 1}\n', "x.json"), 1, '{"a": 1}', "some-rule", utf16) is None  # no comments


class _FakeServer:
    """What :class:`Session` uses of pygls's LanguageServer, recording what it sends."""

    def __init__(self) -> None:
        self.workspace = Documents(None)
        self.client_capabilities = types.ClientCapabilities()
        self.sent: list[tuple[str, Any]] = []

    def text_document_publish_diagnostics(self, params: types.PublishDiagnosticsParams) -> None:
        self.sent.append(("diagnostics", params))

    def window_log_message(self, params: types.LogMessageParams) -> None:
        self.sent.append(("log", params))

    def window_show_message(self, params: types.ShowMessageParams) -> None:
        self.sent.append(("show", params))


def test_an_error_while_linting_is_logged_and_the_diagnostics_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdb = tmp_path / "pdb.yaml"
    text = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {minAvailable: 1}\n"
    pdb.write_text(text)
    server = _FakeServer()
    session = Session(server)  # type: ignore[arg-type]
    session.initialize(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=tmp_path.as_uri(),
            initialization_options={"debounceMs": 0},
        )
    )
    session.initialized()
    uri = pdb.as_uri()
    server.workspace.put_text_document(types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text))
    session.did_open(uri)
    published = [p for kind, p in server.sent if kind == "diagnostics"]
    assert [d.code for d in published[-1].diagnostics if d.code == "removed-api"] == ["removed-api"]
    shown = session.published[uri]

    def broken(self: Workspace, only: object = None) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Workspace, "lint", broken)
    server.sent.clear()
    server.workspace.put_text_document(
        types.TextDocumentItem(uri=uri, language_id="yaml", version=2, text=text + "#\n")
    )
    session.did_change(uri)
    [(kind, logged)] = server.sent
    assert kind == "log" and logged.type == types.MessageType.Error
    assert "internal error while linting" in logged.message and "RuntimeError: boom" in logged.message
    assert session.published[uri] == shown  # what the editor shows stays

    monkeypatch.undo()
    session.did_change(uri)  # the next change lints again
    assert session.published[uri] == shown
    assert session.code_actions(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.QuickFix]),
        )
    )
