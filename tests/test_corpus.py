"""Smoke run over the real public manifests in ../shared/corpus (skipped when it is absent).

Every rule on, every file: nothing may crash (a rule that raises is a run error), and every
finding must have a real position.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ekslint.linter.config import Settings
from ekslint.linter.engine import lint

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")
def test_corpus_scans_without_errors() -> None:
    report = lint([str(CORPUS)], Settings(root=CORPUS, enable=["all"]), cwd=CORPUS)
    assert [str(e) for e in report.errors] == []
    assert report.files > 3000 and report.objects > 6000
    assert all(r.line >= 1 and r.col >= 1 and r.message for r in report.results)
