"""CRDs come from the scanned repository: their regex patterns must not be able to hang a scan.

Schema ``pattern``s run on RE2 (linear time, Go's syntax and semantics, as the API server runs
them), so no pattern shape can backtrack, including the ones a "nested repeat" heuristic misses:
overlapping alternatives, optional prefixes inside a repeat, and polynomial runs of repeats.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.report import Report
from ekslint.rules.input._validate import Compiler, validate

DATA = Path(__file__).parent / "data" / "redos-crd.yaml"

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {{name: evils.example.com}}
spec:
  group: example.com
  scope: Namespaced
  names: {{kind: Evil, plural: evils, singular: evil, listKind: EvilList}}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                name: {{type: string, pattern: {pattern}}}
---
apiVersion: example.com/v1
kind: Evil
metadata: {{name: x, namespace: n}}
spec:
  name: {value}
"""


def scan(tmp_path: Path, pattern: str, value: str, rule: str = "schema-invalid") -> tuple[Report, float]:
    path = tmp_path / "evil.yaml"
    path.write_text(CRD.format(pattern=_quote(pattern), value=_quote(value)))
    start = time.monotonic()
    report = lint([str(path)], Settings(root=tmp_path, enable=[rule], disable=["all"]), cwd=tmp_path)
    return report, time.monotonic() - start


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def messages(report: Report) -> list[str]:
    assert not report.errors
    return [r.message for r in report.results if r.rule == "schema-invalid"]


@pytest.mark.parametrize(
    "pattern",
    [
        "^(a+)+$",
        "^(a|a)+$",  # overlapping alternatives: no inner repeat for a heuristic to see
        "^(-?a+)+$",  # the repeated group starts with an optional separator
        "^a*a*a*a*a*a*$",  # polynomial: no group at all
        "^((a+)?)+$",
        "(\\w*\\.?)*x",
    ],
)
@pytest.mark.parametrize("length", [40, 100_000])
def test_hostile_patterns_finish_and_still_validate(tmp_path: Path, pattern: str, length: int) -> None:
    report, seconds = scan(tmp_path, pattern, "a" * length + "!")
    assert seconds < 5  # backtracking took minutes at 40 characters
    assert any("does not match the pattern" in m for m in messages(report))


def test_a_matching_value_passes(tmp_path: Path) -> None:
    report, _ = scan(tmp_path, "^(-?a+)+$", "a-aa-a")
    assert messages(report) == []


def test_patterns_mean_what_they_mean_to_go(tmp_path: Path) -> None:
    """``$`` is the end of the text in Go (Python's ``re`` also matches before a final newline)."""
    report, _ = scan(tmp_path, "^[a-z]+$", "abc\n")
    assert any("does not match the pattern" in m for m in messages(report))


@pytest.mark.parametrize("pattern", ["^(?=a)a$", "^(a)\\1$", "^a\\Z"])
def test_patterns_go_rejects_are_not_checked(tmp_path: Path, pattern: str) -> None:
    """The API server refuses a CRD whose pattern Go cannot compile; ekslint does not guess."""
    report, _ = scan(tmp_path, pattern, "b")
    assert messages(report) == []


def test_pattern_properties_run_on_re2_too() -> None:
    node = Compiler({}).compile(
        {"type": "object", "additionalProperties": False, "patternProperties": {"^(a|a)+$": {}}}
    )
    start = time.monotonic()
    errors = validate(node, {"a" * 100_000 + "!": 1, "aaa": 2})
    assert time.monotonic() - start < 5
    assert [(e.keyword, e.detail) for e in errors] == [("unknown", "a" * 100_000 + "!")]


def test_evil_crd_pattern_does_not_hang_the_scan() -> None:
    start = time.monotonic()
    report = lint([str(DATA)], Settings(root=DATA.parent, enable=["schema-invalid"], disable=["all"]), cwd=DATA.parent)
    assert time.monotonic() - start < 30  # exponential backtracking would take hours
    assert not report.errors


def test_karpenter_schedule_pattern_does_not_hang_the_scan(tmp_path: Path) -> None:
    """The bundled Karpenter schema's own ``schedule`` pattern, ``(.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+)``,
    is polynomial in ``re``: 120 spaces took 40 s."""
    path = tmp_path / "nodepool.yaml"
    path.write_text(
        "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: default}\nspec:\n"
        "  disruption:\n    consolidateAfter: 30s\n    budgets:\n"
        f'      - {{nodes: "10%", duration: 8h, schedule: "{" " * 5000}\\n\\n"}}\n'
        "  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}\n"
        "      requirements: []\n"
    )
    start = time.monotonic()
    report = lint([str(path)], Settings(root=tmp_path, enable=["schema-invalid"], disable=["all"]), cwd=tmp_path)
    assert time.monotonic() - start < 5
    assert any("schedule" in m and "does not match the pattern" in m for m in messages(report))
