"""Object model, selectors and the scan index."""

from __future__ import annotations

from pathlib import Path

import pytest

from ekslint.linter.index import ScanIndex
from ekslint.linter.loader import SourceFile, load_bytes
from ekslint.linter.model import ClusterConfig, K8sObject, Workload, objects_from
from ekslint.linter.selectors import label_selector_matches, map_selector_matches


def objects(text: str) -> list[K8sObject]:
    src = load_bytes(SourceFile(display="x.yaml", path=Path("x.yaml")), text.encode())
    return [o for d in src.documents for o in objects_from(d)]


LABELS = {"app": "web", "tier": "front", "canary": True}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ({}, True),  # empty LabelSelector: everything
        (None, False),  # null: nothing
        ({"matchLabels": {"app": "web"}}, True),
        ({"matchLabels": {"app": "api"}}, False),
        ({"matchLabels": {"canary": "true"}}, True),  # label values compare as strings
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "back"]}]}, True),
        ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["front"]}]}, False),
        ({"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["a"]}]}, True),
        ({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, True),
        ({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, False),
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": []}]}, False),  # invalid
        ({"matchExpressions": [{"key": "tier", "operator": "Like", "values": ["f"]}]}, False),  # invalid
        ({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}, True),
        ({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "x", "operator": "Exists"}]}, False),
    ],
)
def test_label_selector_semantics(selector: object, expected: bool) -> None:
    assert label_selector_matches(selector, LABELS) is expected


def test_service_map_selector() -> None:
    assert map_selector_matches({"app": "web"}, LABELS)
    assert not map_selector_matches({}, LABELS)  # no selector: no managed endpoints
    assert not map_selector_matches({"app": "web", "x": "y"}, LABELS)


WORKLOADS = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: ops}
spec:
  schedule: "0 0 * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {job: nightly}}
        spec:
          initContainers: [{name: init, image: a:1}, {name: sidecar, image: b:1, restartPolicy: Always}]
          containers: [{name: main, image: c:1}]
          ephemeralContainers: [{name: debug, image: d:1}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: not-a-core-service}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: default}
spec: {selector: {matchLabels: {app: web}}, minAvailable: 1}
---
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: prod, region: eu-west-1, version: "1.33"}
fargateProfiles:
  - name: fp
    selectors: [{namespace: serverless, labels: {fargate: "yes"}}]
"""


def test_workload_views() -> None:
    cron, deploy, ksvc, _hpa, _pdb, cluster = objects(WORKLOADS)
    assert isinstance(cron, Workload) and cron.is_batch and cron.replicas is None
    assert [(c.name, c.list_name, c.long_running) for c in cron.containers] == [
        ("init", "initContainers", False),
        ("sidecar", "initContainers", True),
        ("main", "containers", True),
        ("debug", "ephemeralContainers", False),
    ]
    assert cron.containers[2].path == ("spec", "jobTemplate", "spec", "template", "spec", "containers", 0)
    assert cron.template_labels == {"job": "nightly"}
    assert isinstance(deploy, Workload) and deploy.replicas == 1 and deploy.effective_namespace == "default"
    assert not isinstance(ksvc, Workload) and ksvc.gk == "Service.serving.knative.dev"
    assert (
        isinstance(cluster, ClusterConfig)
        and cluster.kubernetes_version == "1.33"
        and cluster.version == "v1alpha5"
        and not cluster.namespaced
    )
    assert deploy.ref == "Deployment/default/web" and cluster.ref == "ClusterConfig/prod"


def test_index_lookups() -> None:
    _cron, deploy, _ksvc, hpa, pdb, cluster = objs = objects(WORKLOADS)
    index = ScanIndex(objs)
    assert index.hpas_for(deploy) == [hpa]
    assert index.pdbs_for(deploy) == [pdb]  # no namespace and `default` are the same namespace
    assert index.selected_by({"matchLabels": {"app": "web"}}, "default") == [deploy]
    assert index.selected_by({"matchLabels": {"app": "web"}}, "ops") == []
    assert index.has_kind("CronJob", "ops") and not index.has_kind("CronJob", "default")
    assert index.get("Service", "not-a-core-service", "default", group="") is None
    assert index.has_kind("Service", "default") and not index.has_kind("Service", "default", group="")
    (profile,) = list(cluster.fargate_profiles())
    assert profile.selects("serverless", {"fargate": "yes", "app": "x"})
    assert not profile.selects("serverless", {"app": "x"})
    assert not profile.selects("default", {"fargate": "yes"})


def test_pdb_empty_selector_depends_on_api_version() -> None:
    objs = objects(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, namespace: n}\nspec:\n  template:\n"
        "    metadata: {labels: {app: w}}\n    spec: {containers: [{name: c, image: 'x:1'}]}\n---\n"
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: all, namespace: n}\nspec: {selector: {}}\n---\n"
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: none, namespace: n}\nspec: {selector: {}}\n"
    )
    index = ScanIndex(objs)
    assert [p.name for p in index.pdbs_for(objs[0])] == ["all"]  # type: ignore[arg-type]
