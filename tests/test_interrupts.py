"""An interrupted or killed run leaves no half report and no orphaned worker behind.

A CI timeout sends SIGTERM, or SIGKILL after a grace period. Workers that outlive their parent
hold the caller's stdout and stderr open, so the CI step or pre-commit hook would hang; a report
cut off mid-write would be uploaded as a broken SARIF. The process tests run the installed
console script on a scan big enough to be in its parallel rule phase when the signal arrives;
they wait with timeouts and never hang themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekslint import cli
from ekslint.linter import parallel
from ekslint.linter.atomic_write import atomic_text

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: d{i}
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {{app: d{i}}}
  template:
    metadata:
      labels: {{app: d{i}}}
    spec:
      containers:
        - name: app
          image: nginx:latest
          securityContext: {{privileged: true}}
"""


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old\n")
    with pytest.raises(KeyboardInterrupt), atomic_text(target) as fh:
        fh.write('{"half": ')
        raise KeyboardInterrupt
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    with atomic_text(target) as fh:
        fh.write("new\n")
    assert target.read_text() == "new\n" and sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_scan_output_is_whole_or_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "d.yaml").write_text(DEPLOYMENT.format(i=0))
    out = tmp_path / "out.json"

    def interrupted(report: object, format: object, fh: object, settings: object, color: bool) -> None:
        fh.write('{"results": [')  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "write_report", interrupted)
    result = CliRunner().invoke(
        cli.app, ["scan", str(tmp_path / "d.yaml"), "--no-config", "-f", "json", "-o", str(out)]
    )
    assert result.exit_code == 130  # click's ^C exit
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]  # no report, no temporary


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


needs_workers = pytest.mark.skipif(
    not parallel.fork_available()
    or parallel.cpu_count() < 2
    or shutil.which("ekslint") is None
    or not Path("/proc/self/task").is_dir(),
    reason="needs Linux /proc, two CPUs for parallel workers and the installed console script",
)


def _start(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """A parallel scan of 4,000 Deployments, once its workers are running."""
    work = tmp_path / "work"
    work.mkdir()
    for n in range(40):
        (work / f"f{n:02d}.yaml").write_text("---\n".join(DEPLOYMENT.format(i=f"{n}-{i}") for i in range(100)))
    exe = shutil.which("ekslint")
    assert exe is not None
    proc = subprocess.Popen(
        [exe, "scan", str(work), "--no-config", "--jobs", "2", "-f", "json", "-o", str(tmp_path / "out.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = [c for c in _children(proc.pid) if _alive(c)]
        if len(workers) >= 2:
            break
        time.sleep(0.02)
    if proc.poll() is not None or len(workers) < 2:
        proc.kill()
        proc.wait(timeout=30)
        pytest.skip("the scan ended before its parallel phase could be caught")
    return proc, workers


def _gone(pids: list[int], timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


@needs_workers
def test_sigterm_ends_the_run_like_ctrl_c(tmp_path: Path) -> None:
    proc, workers = _start(tmp_path)
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        for pid in workers:  # never leave them behind, even when the test fails
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert b"ekslint: interrupted" in err and b"Traceback" not in err
    assert _gone(workers)
    assert not (tmp_path / "out.json").exists()  # no half report
    assert [p.name for p in tmp_path.iterdir()] == ["work"]


@needs_workers
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    proc, workers = _start(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    try:
        assert _gone(workers), "workers outlived their killed parent"
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_finished_run_writes_its_whole_report(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(DEPLOYMENT.format(i=0))
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        cli.app, ["scan", str(tmp_path / "d.yaml"), "--no-config", "-f", "json", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert json.loads(out.read_text())["summary"]["error"] >= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml", "out.json"]
