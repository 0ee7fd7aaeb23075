"""Smoke run over the real public manifests in ../shared/corpus (skipped when it is absent).

Every rule on, every file: nothing may crash (a rule that raises is a run error), every finding
must have a real position, and the parallel rule phase must give exactly the same report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_parallel import needs_fork, snapshot

from ekslint.linter import engine
from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.report import Report

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")


@pytest.fixture(scope="module")
def sequential() -> Report:
    return lint([str(CORPUS)], Settings(root=CORPUS, enable=["all"], jobs=1), cwd=CORPUS)


def test_corpus_scans_without_errors(sequential: Report) -> None:
    assert [str(e) for e in sequential.errors] == []
    assert sequential.files > 3000 and sequential.objects > 6000
    assert all(r.line >= 1 and r.col >= 1 and r.message for r in sequential.results)


@needs_fork
def test_corpus_report_is_the_same_over_workers(sequential: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "CHUNKS_PER_WORKER", 16)  # more, smaller chunks than by default
    parallel = lint([str(CORPUS)], Settings(root=CORPUS, enable=["all"], jobs=2), cwd=CORPUS)
    assert snapshot(parallel) == snapshot(sequential)
