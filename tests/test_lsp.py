"""``ekslint lsp`` end to end: a client speaking JSON-RPC over stdio to the server process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsp_client import LspClient

REPO = Path(__file__).resolve().parent.parent

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1.4.2
"""
PDB = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  unhealthyPodEvictionPolicy: AlwaysAllow
  minAvailable: 2
  selector:
    matchLabels: {app: web}
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "deploy.yaml").write_text(DEPLOYMENT)
    (tmp_path / "pdb.yaml").write_text(PDB)
    return tmp_path


@pytest.fixture
def client(tree: Path) -> Iterator[LspClient]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ekslint", "lsp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tree,
        env=_env(),
    )
    lsp = LspClient(proc)
    try:
        capabilities = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
        uri = tree.as_uri()
        result = lsp.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "tree"}],
                "capabilities": capabilities,
                "initializationOptions": {"debounceMs": 0},
            },
        )
        assert result["serverInfo"]["name"] == "ekslint"
        lsp.notify("initialized", {})
        yield lsp
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(5)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _open(client: LspClient, path: Path, text: str) -> None:
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": path.as_uri(), "languageId": "yaml", "version": 1, "text": text}},
    )


def _change(client: LspClient, path: Path, version: int, changes: list[dict[str, object]]) -> None:
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": path.as_uri(), "version": version}, "contentChanges": changes},
    )


def _at(line: int, start: int, end: int) -> dict[str, dict[str, int]]:
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


def test_edit_session(client: LspClient, tree: Path) -> None:
    pdb, deploy = tree / "pdb.yaml", tree / "apps" / "deploy.yaml"
    uri = pdb.as_uri()

    # Opened: judged against the Deployment in another file of the workspace, never opened.
    _open(client, pdb, PDB)
    [found] = client.diagnostics(uri)
    assert found["code"] == "pdb-blocks-drain"
    assert found["range"] == _at(7, 2, 14)  # `minAvailable` on line 8
    assert found["severity"] == 1  # error
    assert found["source"] == "ekslint"
    assert found["codeDescription"]["href"].endswith("/docs/rules/pdb-blocks-drain.md")
    assert "Deployment/shop/web" in found["message"]

    # An incremental edit that fixes it clears the diagnostics.
    _change(client, pdb, 2, [{"range": _at(7, 16, 17), "text": "1"}])
    assert client.diagnostics(uri) == []

    # An edit of the Deployment's buffer is seen by the PDB: one replica left, the PDB blocks again.
    deploy_text = DEPLOYMENT
    _open(client, deploy, deploy_text)
    _change(client, deploy, 2, [{"range": _at(6, 12, 13), "text": "1"}])
    [again] = client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)["diagnostics"]
    assert again["code"] == "pdb-blocks-drain" and "minAvailable 1 of 1 replica " in again["message"]

    # A whole-document change to a removed API: the quick fix is the edit `ekslint fix` makes.
    text = PDB.replace("policy/v1", "policy/v1beta1").replace("minAvailable: 2", "minAvailable: 0")
    _change(client, pdb, 3, [{"text": text}])
    [removed] = client.diagnostics(uri)
    assert removed["code"] == "removed-api" and removed["range"] == _at(0, 0, 10)
    actions = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": removed["range"], "context": {"diagnostics": [removed]}},
    )
    fixes = {a["title"]: a for a in actions}
    fix = fixes["Fix removed-api: apiVersion policy/v1beta1 -> policy/v1"]
    assert fix["kind"] == "quickfix" and fix["diagnostics"] == [removed]
    assert fix["edit"] == {
        "changes": {
            uri: [
                {
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}},
                    "newText": "apiVersion: policy/v1\n",
                }
            ]
        }
    }
    ignore = fixes["Ignore removed-api on this line"]
    assert ignore["edit"]["changes"][uri] == [{"range": _at(0, 26, 26), "newText": "  # ekslint: ignore=removed-api"}]

    # Closing a file clears its diagnostics; shutdown and exit end the process cleanly.
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []
    assert client.request("shutdown", None) is None
    client.notify("exit", None)
    assert client.proc.wait(10) == 0


def test_config_changes_and_bad_input(client: LspClient, tree: Path) -> None:
    pdb = tree / "pdb.yaml"
    uri = pdb.as_uri()
    _open(client, pdb, PDB)
    assert [d["code"] for d in client.diagnostics(uri)] == ["pdb-blocks-drain"]

    # A config written outside the editor, reported by the client's watcher: read again.
    config = tree / ".ekslint.yaml"
    config.write_text("rules:\n  pdb-blocks-drain: false\n")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 1}]})
    assert client.diagnostics(uri) == []

    # Invalid YAML is a diagnostic like any other, at the parser's position.
    _change(client, pdb, 2, [{"text": "apiVersion: v1\nkind: [oops\n"}])
    [syntax] = client.diagnostics(uri)
    assert syntax["code"] == "yaml-syntax" and syntax["range"]["start"]["line"] == 2

    # A broken config: logged, and the server goes on with the defaults.
    config.write_text("rules: [\n")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    logged = client.wait_for("window/logMessage", lambda p: ".ekslint.yaml" in p["message"])
    assert logged["type"] == 1 and "default settings" in logged["message"]
    _change(client, pdb, 3, [{"text": PDB}])
    assert [d["code"] for d in client.diagnostics(uri)] == ["pdb-blocks-drain"]
    assert client.request("shutdown", None) is None
    client.notify("exit", None)
    assert client.proc.wait(10) == 0


def test_without_pygls_says_how_to_install_it(tmp_path: Path) -> None:
    blocker = tmp_path / "pygls.py"
    blocker.write_text("raise ModuleNotFoundError(\"No module named 'pygls'\", name='pygls')\n")
    env = _env()
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env["PYTHONPATH"]])
    done = subprocess.run(
        [sys.executable, "-m", "ekslint", "lsp"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2
    assert "pip install 'ekslint[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr
