"""What some findings say: fixtures pin where a rule reports, these tests pin the advice.

A finding that points at the right line but gives the wrong advice (add an HPA to a
leader-elected controller) or an unreadable explanation ("checked 7 workload(s)") is still a bug.
Each test runs one fixture of the rule (see ``harness.py``) and reads the messages by line.
"""

from __future__ import annotations

from pathlib import Path

from harness import FIXTURES, run


def messages(rule_id: str, fixture: str) -> dict[tuple[str, int], str]:
    """(file relative to the fixture, line) -> message of every finding of ``rule_id``."""
    target = FIXTURES / rule_id / fixture
    report = run(target, rule_id)
    assert not report.errors, [str(e) for e in report.errors]
    return {
        (r.file if target.is_dir() else Path(r.file).name, r.line): r.message
        for r in report.active
        if r.rule == rule_id
    }


def test_ingress_class_missing_names_the_class_the_others_use() -> None:
    found = messages("ingress-class-missing", "fail-others-name-class")
    api = found[("k8s/ingress.yaml", 21)]
    assert api.startswith("Ingress/shop/api sets no spec.ingressClassName")
    # the class, and which Ingresses name it (the annotated one in another namespace included)
    assert "(alb (Ingress/shop/web, Ingress/monitoring/grafana))" in api
    assert api.endswith("set spec.ingressClassName: alb")
    assert found[("k8s/admin/ingress.yaml", 24)].startswith("Ingress/admin/admin sets no spec.ingressClassName")
