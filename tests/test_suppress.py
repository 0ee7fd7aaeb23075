"""Suppressions: comments, file directives, annotations, strictness and tracking."""

from __future__ import annotations

from pathlib import Path

from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.report import Report

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: ns
{annotations}spec:
  containers:
    - name: a
      image: x:1
      securityContext: {{privileged: true}}{trailing}
{standalone}    - name: b
      image: x:1
      securityContext:
        privileged: true
"""


def scan(tmp_path: Path, text: str, **kw: object) -> Report:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    settings = Settings(root=tmp_path, enable=["privileged-container", "invalid-suppression"], disable=["all"], **kw)  # type: ignore[arg-type]
    return lint([str(path)], settings, cwd=tmp_path)


def pairs(report: Report, suppressed: bool = False) -> list[tuple[int, str]]:
    rs = report.suppressed if suppressed else report.active
    return sorted((r.line, r.rule) for r in rs)


def pod(annotations: str = "", trailing: str = "", standalone: str = "") -> str:
    return POD.format(annotations=annotations, trailing=trailing, standalone=standalone)


def test_without_suppressions(tmp_path: Path) -> None:
    assert pairs(scan(tmp_path, pod())) == [(10, "privileged-container"), (14, "privileged-container")]


def test_trailing_comment_suppresses_its_line(tmp_path: Path) -> None:
    report = scan(tmp_path, pod(trailing="  # ekslint: ignore=privileged-container"))
    assert pairs(report) == [(14, "privileged-container")]
    assert pairs(report, suppressed=True) == [(10, "privileged-container")]
    assert report.suppressed[0].suppressed == "line"


def test_standalone_comment_suppresses_next_yaml_line(tmp_path: Path) -> None:
    text = pod().replace(
        "        privileged: true", "        # ekslint: ignore=privileged-container\n\n        privileged: true"
    )
    assert pairs(scan(tmp_path, text)) == [(10, "privileged-container")]


def test_file_directive(tmp_path: Path) -> None:
    text = "# ekslint: ignore-file=privileged-container\n" + pod()
    assert pairs(scan(tmp_path, text)) == []


def test_annotation_suppresses_the_object_with_reason(tmp_path: Path) -> None:
    ann = '  annotations:\n    ekslint.io/ignore: "privileged-container"\n    ekslint.io/ignore-reason: "CNI agent"\n'
    report = scan(tmp_path, pod(annotations=ann))
    assert pairs(report) == []
    assert {r.justification for r in report.suppressed} == {"CNI agent"}


def test_all_must_be_spelled_out(tmp_path: Path) -> None:
    assert pairs(scan(tmp_path, pod(trailing="  # ekslint: ignore=all"))) == [(14, "privileged-container")]


def test_unknown_id_is_reported_and_does_not_widen(tmp_path: Path) -> None:
    report = scan(tmp_path, pod(trailing="  # ekslint: ignore=privileged-containr"))
    assert pairs(report) == [(10, "invalid-suppression"), (10, "privileged-container"), (14, "privileged-container")]


def test_malformed_directives_are_reported(tmp_path: Path) -> None:
    for bad in (
        "# ekslint: ignore",
        "# ekslint:ignore privileged-container",
        "# ekslint: disable=privileged-container",
        "# ekslint: ignore=",
        "# ekslint: noqa",
    ):
        report = scan(tmp_path, pod(trailing="  " + bad))
        assert pairs(report) == [
            (10, "invalid-suppression"),
            (10, "privileged-container"),
            (14, "privileged-container"),
        ], bad


def test_near_misses_and_meta_ids_are_reported(tmp_path: Path) -> None:
    for bad in (
        "# EKSLINT: ignore=privileged-container",
        "# ekslint ignore=privileged-container",
        "# ekslint: ignore=invalid-suppression",
    ):
        report = scan(tmp_path, pod(trailing="  " + bad))
        assert pairs(report) == [
            (10, "invalid-suppression"),
            (10, "privileged-container"),
            (14, "privileged-container"),
        ], bad
    assert pairs(scan(tmp_path, pod(trailing="  # see the ekslint docs"))) == [
        (10, "privileged-container"),
        (14, "privileged-container"),
    ]


def test_annotation_in_pod_template_is_reported(tmp_path: Path) -> None:
    deploy = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: n}\nspec:\n  template:\n"
        "    metadata:\n      annotations: {ekslint.io/ignore: privileged-container}\n"
        "    spec:\n      containers: [{name: a, image: 'x:1', securityContext: {privileged: true}}]\n"
    )
    assert pairs(scan(tmp_path, deploy)) == [(7, "invalid-suppression"), (9, "privileged-container")]


def test_unknown_id_in_annotation(tmp_path: Path) -> None:
    report = scan(tmp_path, pod(annotations='  annotations: {ekslint.io/ignore: "nope,privileged-container"}\n'))
    assert pairs(report) == [(6, "invalid-suppression")]


def test_directive_text_inside_a_block_scalar_is_not_a_directive(tmp_path: Path) -> None:
    text = pod() + (
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ns}\ndata:\n  app.conf: |\n"
        "    # ekslint: ignore=bogus\n    # ekslint: ignore-file=privileged-container\n"
        '  other: "# ekslint: ignore=bogus"\n'
    )
    report = scan(tmp_path, text)
    assert pairs(report) == [(10, "privileged-container"), (14, "privileged-container")]


def test_no_inline_suppressions(tmp_path: Path) -> None:
    ann = '  annotations: {ekslint.io/ignore: "privileged-container"}\n'
    text = "# ekslint: ignore-file=privileged-container\n" + pod(
        annotations=ann, trailing="  # ekslint: ignore=privileged-container"
    )
    assert len(pairs(scan(tmp_path, text, inline_suppressions=False))) == 2


def test_unused_suppressions_are_reported_when_asked(tmp_path: Path) -> None:
    text = pod(trailing="  # ekslint: ignore=privileged-container").replace(
        "      image: x:1\n      securityContext:\n        privileged: true\n",
        "      image: x:1  # ekslint: ignore=privileged-container\n",
    )
    report = scan(tmp_path, text, warn_unused_suppressions=True)
    assert pairs(report) == [(12, "unused-suppression")]
    assert pairs(scan(tmp_path, text)) == []


def test_annotation_used_by_a_rule_that_reads_documents_itself(tmp_path: Path) -> None:
    """aws-static-credentials builds its own views of a file's objects: the object's annotation
    suppresses its finding and counts as used (it once stayed 'unused' beside the suppression)."""
    path = tmp_path / "s.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: ns\n  annotations:\n"
        "    ekslint.io/ignore: aws-static-credentials\n    ekslint.io/ignore-reason: rotated test key\n"
        "stringData:\n  AWS_ACCESS_KEY_ID: AKIA2EKSLINTFIXTURE1\n"
    )
    settings = Settings(
        root=tmp_path, enable=["aws-static-credentials"], disable=["all"], warn_unused_suppressions=True
    )
    report = lint([str(path)], settings, cwd=tmp_path)
    assert [(r.rule, r.suppressed) for r in report.results] == [("aws-static-credentials", "annotation")]
