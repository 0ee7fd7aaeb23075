"""A scan executes nothing it reads and never touches the network.

* With networking blocked at the socket level (connect, create_connection, getaddrinfo and the
  other name lookups raise, and every attempt is recorded), scanning the fixtures and a slice of
  the real-world corpus with every rule on completes with no run error and no attempt; the
  installed console script does the same end to end, with the fence put up by a
  ``sitecustomize`` before ekslint is imported.
* Manifests with Python object tags (``!!python/object/apply:os.system``), ``!!binary`` and custom
  tags, kustomizations with ``helmCharts`` and exec generator plugins, and Helm charts are read as
  data: with fake ``kubectl``, ``kustomize``, ``helm``, ``git`` and ``sh`` first on PATH and
  every way of starting a process patched to fail, a plain scan starts nothing.
* ``--kustomize`` refuses remote bases, Helm inflation and exec/container plugins before
  anything runs, and runs the renderer offline (proxies to a closed port, git over local files
  only) with Helm inflation and exec plugins left disabled.

Attempts are recorded in a file, not in memory: the engine may fork workers for the rule phase,
and a worker's memory is its own.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ekslint.cli import app

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
CORPUS = TESTS.parent.parent / "shared" / "corpus"
#: Bytes of corpus YAML/JSON scanned in-process (the smallest projects first, for variety); the
#: whole corpus takes several times the test budget, and the console-script run below covers it
#: end to end when EKSLINT_FULL_CORPUS is set.
CORPUS_BYTES = 4_000_000

runner = CliRunner()


def invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def recorder(log: Path) -> Callable[[str], None]:
    """Append one line per attempt to ``log`` (visible from forked workers too)."""

    def record(what: str) -> None:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (what.replace("\n", " ") + "\n").encode("utf-8", "backslashreplace"))
        finally:
            os.close(fd)

    return record


def attempts(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


# --- no network -----------------------------------------------------------------------------------


@pytest.fixture
def no_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Block every way out at the socket level; yield the log of attempts."""
    log = tmp_path / "network-attempts.log"
    record = recorder(log)

    def blocked(name: str) -> Callable[..., Any]:
        def fail(*args: Any, **kwargs: Any) -> Any:
            record(f"{name}{args[1:] if args and isinstance(args[0], socket.socket) else args}")
            raise OSError(f"network blocked by the test: {name}")

        return fail

    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if self.family == getattr(socket, "AF_UNIX", None):  # local IPC, not the network
            real_connect(self, address)
            return
        blocked("socket.connect")(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", blocked("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", blocked("socket.sendto"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        monkeypatch.setattr(socket, name, blocked(f"socket.{name}"))
    yield log


def test_the_network_fence_records_attempts(no_network: Path) -> None:
    """The fence itself works: a lookup and a connection are refused and recorded."""
    with pytest.raises(OSError):
        socket.getaddrinfo("example.com", 443)
    with pytest.raises(OSError), socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect(("192.0.2.1", 443))
    with pytest.raises(OSError):
        socket.create_connection(("example.com", 80))
    assert len(attempts(no_network)) == 3


def test_the_fence_catches_a_rule_that_phones_home(no_network: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If a rule looked something up, the scan test below would see a run error and an attempt."""
    from ekslint.linter.registry import REGISTRY, load_rules

    meta = load_rules()["privileged-container"]

    def phone_home(*_: object) -> Iterator[Any]:
        socket.getaddrinfo("telemetry.example.com", 443)
        yield from ()

    monkeypatch.setitem(REGISTRY, meta.id, type(meta)(**{**meta.__dict__, "func": phone_home}))
    target = str(FIXTURES / "privileged-container")
    args = ["scan", target, "--no-config", "--disable", "all", "--enable", meta.id, "-f", "json", "--jobs", "2"]
    result = invoke(*args)  # in forked workers where the platform has them: recorded all the same
    assert result.exit_code == 2 and json.loads(result.stdout)["errors"]
    assert attempts(no_network) and attempts(no_network)[0].startswith("socket.getaddrinfo")


def corpus_slice() -> list[str]:
    """Whole projects of the corpus, smallest first, up to :data:`CORPUS_BYTES` of manifests."""
    sizes = []
    for project in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        files = [f for f in project.rglob("*") if f.suffix in (".yaml", ".yml", ".json") and f.is_file()]
        sizes.append((sum(f.stat().st_size for f in files), project.name))
    chosen, total = [], 0
    for size, name in sorted(sizes):
        if total + size > CORPUS_BYTES:
            break
        chosen.append(str(CORPUS / name))
        total += size
    return chosen


def test_a_scan_of_everything_uses_no_network(no_network: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TESTS)
    paths = ["fixtures"] + (corpus_slice() if CORPUS.is_dir() else [])
    result = invoke("scan", *paths, "--no-config", "--enable", "all", "-f", "json", "--fail-on", "none", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert report["summary"]["files"] > (1000 if CORPUS.is_dir() else 300)
    assert {r["rule"] for r in report["results"]} >= {"schema-invalid", "aws-static-credentials", "pdb-blocks-drain"}
    assert attempts(no_network) == []


SITECUSTOMIZE = '''\
"""Test fence, imported by the interpreter before ekslint: no network, no processes."""
import os, socket, subprocess

_LOG = os.environ["EKSLINT_FENCE_LOG"]


def _record(what):
    fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.write(fd, (what.replace("\\n", " ") + "\\n").encode("utf-8", "backslashreplace"))
    os.close(fd)


def _blocked(name):
    def fail(*args, **kwargs):
        _record(name)
        raise OSError("blocked by the test fence: " + name)
    return fail


_real_connect = socket.socket.connect


def _connect(self, address):
    if self.family == getattr(socket, "AF_UNIX", None):
        return _real_connect(self, address)
    return _blocked("socket.connect")(self, address)


socket.socket.connect = _connect
socket.socket.connect_ex = _blocked("socket.connect_ex")
socket.socket.sendto = _blocked("socket.sendto")
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
    setattr(socket, _name, _blocked("socket." + _name))
subprocess.Popen = _blocked("subprocess.Popen")
for _name in ("system", "popen", "posix_spawn", "posix_spawnp", "execv", "execve", "execvp", "execvpe"):
    if hasattr(os, _name):
        setattr(os, _name, _blocked("os." + _name))
_record("fence up")
'''


def test_console_script_end_to_end_behind_a_fence(tmp_path: Path) -> None:
    """The installed ``ekslint``, with sockets and process creation blocked before it starts."""
    exe = shutil.which("ekslint", path=str(Path(sys.executable).parent)) or shutil.which("ekslint")
    if exe is None:
        pytest.skip("the ekslint console script is not installed")
    fence = tmp_path / "fence"
    fence.mkdir()
    (fence / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "fence.log"
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(fence), "EKSLINT_FENCE_LOG": str(log)}
    env.pop("GITHUB_ACTIONS", None)
    paths = [str(FIXTURES)]
    if CORPUS.is_dir() and os.environ.get("EKSLINT_FULL_CORPUS"):
        paths.append(str(CORPUS))
    proc = subprocess.run(
        [exe, "scan", *paths, "--no-config", "--enable", "all", "-f", "sarif", "--fail-on", "none"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["runs"][0]["invocations"][0]["executionSuccessful"] is True
    assert attempts(log) == ["fence up"]  # the fence was in place, and nothing knocked on it


# --- nothing executed -----------------------------------------------------------------------------

TAGGED = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: !!python/object/apply:os.system ["touch {marker}-apply"]
  namespace: !!python/name:os.system
  labels: !!python/object/new:subprocess.Popen
    args: [["touch", "{marker}-new"]]
data:
  bin: !!binary aGVsbG8=
  vault: !vault secret/data/x
  cfn: !Ref AWS::Region
  obj: !!python/object:os.system {{a: 1}}
  mod: !!python/module:os
---
!!python/object/apply:os.system
- touch {marker}-document
---
apiVersion: v1
kind: Pod
metadata: !!python/object/apply:subprocess.check_call [[touch, "{marker}-call"]]
spec: !!python/object/new:os.system [touch {marker}-spec]
"""
KUSTOMIZATION = """\
resources:
  - deploy.yaml
helmCharts:
  - name: evil
    repo: https://charts.example.com
    version: 1.0.0
generators:
  - gen.yaml
"""
GENERATOR = """\
apiVersion: example.com/v1
kind: Gen
metadata:
  name: g
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ./plugin.sh
"""
DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""
FAKE_TOOLS = ("kubectl", "kustomize", "helm", "git", "sh", "bash", "python3")


def fake_tools(folder: Path, log: Path, exit_code: int = 1) -> None:
    """Scripts that record how they were called (with the renderer's offline settings) and fail."""
    folder.mkdir(parents=True, exist_ok=True)
    for tool in FAKE_TOOLS:
        script = folder / tool
        script.write_text(
            "#!/bin/sh\n"
            f'echo "{tool} $* | HTTPS_PROXY=$HTTPS_PROXY GIT_ALLOW_PROTOCOL=$GIT_ALLOW_PROTOCOL" >> "{log}"\n'
            f"exit {exit_code}\n"
        )
        script.chmod(0o755)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Manifests with executable tags, a kustomization with helmCharts and an exec plugin, a chart."""
    root = tmp_path / "repo"
    (root / "app").mkdir(parents=True)
    (root / "tagged.yaml").write_text(TAGGED.format(marker=tmp_path / "MARKER"))
    (root / "app" / "kustomization.yaml").write_text(KUSTOMIZATION)
    (root / "app" / "gen.yaml").write_text(GENERATOR)
    (root / "app" / "deploy.yaml").write_text(DEPLOY)
    (root / "app" / "plugin.sh").write_text(f"#!/bin/sh\ntouch {tmp_path / 'MARKER-plugin'}\n")
    (root / "app" / "plugin.sh").chmod(0o755)
    (root / "chart" / "templates").mkdir(parents=True)
    (root / "chart" / "Chart.yaml").write_text("apiVersion: v2\nname: evil\nversion: 1.0.0\n")
    (root / "chart" / "values.yaml").write_text("image: nginx\n")
    (root / "chart" / "templates" / "deploy.yaml").write_text(
        DEPLOY.replace("nginx:1.27", "{{ .Values.image }}") + '{{ exec "touch" (list "MARKER-tpl") }}\n'
    )
    return root


def markers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.rglob("MARKER*"))


def test_a_plain_scan_starts_no_process(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "processes.log"
    fake_tools(tmp_path / "bin", log)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    record = recorder(log)

    def forbidden(name: str) -> Callable[..., Any]:
        def fail(*args: Any, **kwargs: Any) -> Any:
            record(f"{name} {args!r}")
            raise AssertionError(f"a plain scan called {name}")

        return fail

    monkeypatch.setattr(subprocess, "Popen", forbidden("subprocess.Popen"))
    for name in ("system", "popen", "posix_spawn", "posix_spawnp", "execv", "execve", "execvp", "execvpe"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, forbidden(f"os.{name}"))
    monkeypatch.chdir(repo)
    result = invoke("scan", ".", "--no-config", "--enable", "all", "-f", "json")
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == []
    files = {r["file"] for r in report["results"]}
    assert {"tagged.yaml", "app/deploy.yaml"} <= files  # read, as data
    assert any("chart/templates/deploy.yaml: skipped: Helm chart template" in n for n in report["notes"])
    assert attempts(log) == []
    assert markers(tmp_path) == []
    with pytest.raises(AssertionError):  # the fence is real
        subprocess.run(["true"], check=False)


def test_python_tags_are_plain_data_in_every_loader(tmp_path: Path) -> None:
    """The kustomization reader and embedded-YAML rules use the same safe loader."""
    from ekslint.linter.loader import load_untrusted

    docs = load_untrusted(TAGGED.format(marker=tmp_path / "MARKER"))
    assert docs and docs[0]["data"]["bin"] == "aGVsbG8=" and docs[0]["data"]["vault"] == "secret/data/x"
    assert markers(tmp_path) == []


# --- --kustomize: refused or offline --------------------------------------------------------------

REMOTE_REFS = [
    "resources:\n  - https://raw.githubusercontent.com/org/repo/main/deploy.yaml\n",
    "resources:\n  - github.com/org/repo//deploy?ref=v1.0.0\n",
    "bases:\n  - git@github.com:org/repo.git//deploy\n",
    "components:\n  - ssh://git@example.com/org/repo.git\n",
]


@pytest.mark.parametrize("kustomization", REMOTE_REFS)
def test_kustomize_refuses_remote_bases_before_running_anything(
    kustomization: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "processes.log"
    fake_tools(tmp_path / "bin", log)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "kustomization.yaml").write_text(kustomization)
    monkeypatch.chdir(tmp_path)
    result = invoke("scan", "--kustomize", "k", "--no-config")
    assert result.exit_code == 2
    assert "refers to remote resources" in result.stderr and "never fetches remote bases" in result.stderr
    assert attempts(log) == []  # refused before the renderer ran


def test_kustomize_refuses_helm_and_plugins_before_running_anything(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """helmCharts and exec generators are refused up front, naming the file and the field:
    the renderer never starts for that root."""
    log = tmp_path / "processes.log"
    fake_tools(tmp_path / "bin", log)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.chdir(repo)
    result = invoke("scan", "--kustomize", "app", "--no-config")
    assert result.exit_code == 2
    assert attempts(log) == []
    assert "helmCharts needs Helm" in result.stderr


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed")
def test_real_kubectl_neither_inflates_charts_nor_runs_plugins(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kubectl = shutil.which("kubectl")
    assert kubectl is not None
    log = tmp_path / "processes.log"
    fake_tools(tmp_path / "bin", log)
    (tmp_path / "bin" / "kubectl").unlink()
    (tmp_path / "bin" / "kubectl").symlink_to(kubectl)  # the real renderer, fake helm/git/sh
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.chdir(repo)
    for kustomization in (KUSTOMIZATION, "resources:\n  - deploy.yaml\ngenerators:\n  - gen.yaml\n"):
        (repo / "app" / "kustomization.yaml").write_text(kustomization)
        result = invoke("scan", "--kustomize", "app", "--no-config")
        assert result.exit_code == 2, result.stdout
    assert attempts(log) == []  # no helm, git or shell was started
    assert markers(tmp_path) == []  # and the exec plugin did not run
