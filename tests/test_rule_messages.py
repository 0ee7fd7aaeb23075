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


def test_single_replica_advice_for_leader_elected_controllers() -> None:
    found = messages("single-replica", "fail-leader-election.yaml")
    elected = {
        10: "cluster-autoscaler elects a leader unless told not to",
        33: "--leader-elect on container 'manager'",
        53: "--leader-election=T on container 'csi-provisioner'",
        113: "cert-manager's controller elects a leader unless told not to",
    }
    for line, why in elected.items():
        message = found[("fail-leader-election.yaml", line)]
        assert f"of a leader-elected controller ({why})" in message, message
        assert "set replicas: 2 and a PDB" in message and "failover" in message
        assert "add an HPA" not in message  # extra replicas only wait on the lease
    # leader election off (by flag, by Karpenter's environment); ingress-nginx's election only
    # picks who writes Ingress status
    for line in (75, 94, 132):
        message = found[("fail-leader-election.yaml", line)]
        assert "leader" not in message and "add an HPA with minReplicas: 2" in message


def test_service_selects_nothing_says_what_was_compared() -> None:
    found = messages("service-selects-nothing", "fail-among-workloads")
    assert found[("shop/app/web.yaml", 9)].startswith(
        "no Deployment, CronJob or StatefulSet among the 4 workloads in namespace 'shop' has pod labels "
        "matching app=shop-web (2 of them are shipped with the Service: same file, Kustomization or folder "
        "tree; Deployment/staging/web matches, but a Service selects pods of its own namespace only): "
        "Service/shop/web has no endpoints"
    )
    one = messages("service-selects-nothing", "fail-no-match.yaml")
    assert one[("fail-no-match.yaml", 26)].startswith(
        "the only workload in namespace 'shop', Deployment/shop/web (shipped with the Service), has no pod "
        "labels matching app=web-frontend: Service/shop/web has no endpoints"
    )
