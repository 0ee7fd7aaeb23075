"""The rule phase gives the same report in one process and over forked workers.

The parallel path is forced on small inputs (no size threshold, many chunks) so that every
fixture is split across chunks and workers: objects of one file land in different chunks,
suppressions are parsed and used in workers, whole-scan rules run in chunk 0 only.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import pytest

from ekslint.linter import engine, parallel
from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.registry import load_rules
from ekslint.linter.report import Report

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

needs_fork = pytest.mark.skipif(not parallel.fork_available(), reason="forking workers is Linux-only")


def snapshot(report: Report) -> tuple[Any, ...]:
    """Everything an output can show, in report order."""
    results = [
        (r.rule, r.level, r.message, r.file, r.line, r.col, r.object, r.node, r.suppressed, r.justification)
        for r in report.results
    ]
    return results, [str(e) for e in report.errors], report.notes, report.files, report.objects


@pytest.fixture(autouse=True)
def four_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--jobs`` is clamped to the CPUs: pretend there are four, so that ``jobs=2`` forks even
    on a one-CPU CI machine."""
    monkeypatch.setattr(parallel, "cpu_count", lambda: 4)


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parallel on any input, cut into as many chunks as there are objects."""
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(engine, "CHUNKS_PER_WORKER", 1000)


def test_jobs_are_clamped_to_the_cpus_and_the_work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``jobs: 100000`` from a scanned repository's config forks no more than the CPUs, and no
    more workers than there are chunks of work."""
    assert engine.workers_for(100_000, 10) == (4 if parallel.fork_available() else 1)
    assert engine.workers_for(3, 10) == (3 if parallel.fork_available() else 1)
    started: list[int] = []

    def fake_map(fn: Any, state: Any, tasks: Any, workers: int) -> list[Any]:
        started.append(workers)
        return [fn(state, t) for t in tasks]

    monkeypatch.setattr(parallel, "map_forked", fake_map)
    monkeypatch.setattr(parallel, "fork_available", lambda: True)
    one_file = str(FIXTURES / "privileged-container")
    lint([one_file], Settings(root=ROOT, jobs=100_000))
    assert started and started[0] <= 4
    started.clear()
    pod = tmp_path / "pod.yaml"
    pod.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n")
    lint([str(pod)], Settings(root=tmp_path, jobs=100_000))
    assert started == []  # one chunk of work: no worker at all


def test_split_is_contiguous_balanced_and_complete() -> None:
    assert parallel.split([], 4) == [(0, 0)]
    assert parallel.split([5, 5, 5], 1) == [(0, 3)]
    assert parallel.split([1, 1], 5) == [(0, 1), (1, 2)]
    assert parallel.split([0, 0, 0, 0], 2) == [(0, 2), (2, 4)]
    ranges = parallel.split([10, 1, 1, 1, 1, 1, 1, 1, 1, 1], 3)
    assert ranges[0] == (0, 1)  # the heavy item gets a range of its own
    weights = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]
    ranges = parallel.split(weights, 4)
    assert len(ranges) == 4
    assert ranges[0][0] == 0 and ranges[-1][1] == len(weights)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert all(end > start for start, end in ranges)
    shares = [sum(weights[s:e]) for s, e in ranges]
    assert max(shares) <= sum(weights) / 4 + max(weights)


def test_workers_for() -> None:
    assert engine.workers_for(1, 10**9) == 1
    if parallel.fork_available():
        assert engine.workers_for(3, 0) == 3
        assert engine.workers_for(0, 0) == 1  # small scans stay in-process
        assert engine.workers_for(0, engine.PARALLEL_MIN_BYTES) == parallel.cpu_count()


def test_plan_covers_every_file_and_object_once() -> None:
    settings = Settings(root=ROOT)
    report = lint([str(FIXTURES)], settings)
    assert report.files > 100
    # Rebuild a phase the way lint() does, to look at its chunks.
    captured: dict[str, engine.RulePhase] = {}

    def capture(phase: engine.RulePhase, report: Report) -> list[engine.Outcome]:
        captured["phase"] = phase
        return []

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine, "_run_rule_phase", capture)
        lint([str(FIXTURES)], settings)
    phase = captured["phase"]
    chunks = engine.plan_chunks(phase, 8)
    assert len(chunks) == 8 and [c.whole_scan for c in chunks] == [True] + [False] * 7
    for attr, total in (("files", len(phase.files)), ("objects", len(phase.objects))):
        spans = [getattr(c, attr) for c in chunks]
        assert spans[0][0] == 0 and spans[-1][1] == total
        assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))


@needs_fork
@pytest.mark.usefixtures("forced")
def test_every_fixture_gives_the_same_report_over_workers() -> None:
    settings: dict[str, Any] = {"root": ROOT, "enable": ["all"], "warn_unused_suppressions": True}
    one = lint([str(FIXTURES), str(ROOT / "examples")], Settings(**settings, jobs=1))
    two = lint([str(FIXTURES), str(ROOT / "examples")], Settings(**settings, jobs=2))
    assert snapshot(two) == snapshot(one)
    assert one.results and any(r.suppressed for r in one.results)
    assert any(r.rule == "unused-suppression" for r in one.results)


@needs_fork
@pytest.mark.usefixtures("forced")
def test_suppressions_used_in_workers_are_not_reported_unused(tmp_path: Path) -> None:
    docs = []
    for i in range(12):
        docs.append(
            f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\n  namespace: n\n"
            + ("  annotations:\n    ekslint.io/ignore: run-as-root\n" if i % 2 else "")
            + "spec:\n  containers:\n    - name: c\n      image: nginx   # ekslint: ignore=latest-image-tag\n"
        )
    (tmp_path / "pods.yaml").write_text("---\n".join(docs))
    settings: dict[str, Any] = {"root": tmp_path, "warn_unused_suppressions": True}
    one = lint([str(tmp_path)], Settings(**settings, jobs=1))
    two = lint([str(tmp_path)], Settings(**settings, jobs=2))
    assert snapshot(two) == snapshot(one)
    assert not [r for r in one.results if r.rule == "unused-suppression"]
    assert sum(1 for r in one.results if r.suppressed == "annotation") == 6


@needs_fork
@pytest.mark.usefixtures("forced")
def test_a_rule_that_raises_in_a_worker_is_a_run_error(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = load_rules()
    meta = rules["run-as-root"]

    def broken(target: object, ctx: object) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setitem(rules, "run-as-root", type(meta)(**{**meta.__dict__, "func": broken}))
    path = str(FIXTURES / "run-as-root")
    one = lint([path], Settings(root=ROOT, jobs=1))
    two = lint([path], Settings(root=ROOT, jobs=2))
    assert snapshot(two) == snapshot(one)
    assert any("rule run-as-root: internal error: RuntimeError: boom" in str(e) for e in one.errors)


@needs_fork
@pytest.mark.usefixtures("forced")
def test_a_worker_that_dies_falls_back_to_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine._run_chunk_in_worker

    def dying(phase: engine.RulePhase, chunk: engine.Chunk) -> engine.Outcome:
        if chunk.whole_scan:
            os._exit(3)  # a worker killed by the OOM killer, say
        return real(phase, chunk)

    monkeypatch.setattr(engine, "_run_chunk_in_worker", dying)
    path = str(FIXTURES / "pdb-blocks-drain")
    one = lint([path], Settings(root=ROOT, jobs=1))
    two = lint([path], Settings(root=ROOT, jobs=2))
    assert snapshot(two)[:2] == snapshot(one)[:2]
    assert any("ran it in one process" in n for n in two.notes)


@needs_fork
@pytest.mark.usefixtures("forced")
def test_notes_of_checks_come_rule_by_rule_over_workers(tmp_path: Path) -> None:
    """Two CEL checks that note objects in several chunks: the notes come in a sequential
    run's order (all of the first check's, then the second's), not chunk by chunk."""
    config = tmp_path / ".ekslint.yaml"
    checks = [
        f"  - id: acme/c{n}\n    title: C{n}\n    match: {{kinds: [Pod]}}\n"
        f"    validations: [{{expression: 'object.spec.missing{n} == 1'}}]\n"
        for n in (1, 2)
    ]
    config.write_text("checks:\n" + "".join(checks))
    docs = [f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec: {{containers: []}}\n" for i in range(6)]
    (tmp_path / "pods.yaml").write_text("---\n".join(docs))
    from ekslint.linter.config import load_settings

    def run(jobs: int) -> Any:
        settings = load_settings(config)
        settings.jobs, settings.enable, settings.disable = jobs, ["acme/c1", "acme/c2"], ["all"]
        return lint([str(tmp_path / "pods.yaml")], settings)

    one, two = run(1), run(2)
    assert snapshot(two) == snapshot(one)
    rules = [n.split(":")[0] for n in one.notes if n.startswith("acme/")]
    assert rules == ["acme/c1"] * 6 + ["acme/c2"] * 6
