"""The namespace a kustomization gives its objects is the one every rule and output names.

A Deployment without ``metadata.namespace`` in a base that an overlay builds with
``namespace: shop`` is applied to ``shop``: its findings say ``Deployment/shop/web`` in the
``object`` field of every format and in the messages that name a namespace, and the objects of
that build are matched with each other there. Fingerprints, ``ekslint fix`` and baselines keep
reading the object as its file writes it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ekslint.cli import app

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1.0
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: websvc
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
"""
PDB = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: other
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: other}
"""
INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    kubernetes.io/ingress.class: alb
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: missing, port: {number: 80}}
          - path: /web
            pathType: Prefix
            backend:
              service: {name: websvc, port: {number: 80}}
"""
#: Rules whose messages name the object or its namespace, and one that fixes.
RULES = (
    "missing-pdb",
    "no-pod-spread",
    "pdb-selects-nothing",
    "service-selects-nothing",
    "ingress-backend-missing",
    "deprecated-annotation",
    "default-namespace",
    "privileged-container",
)
#: Kustomize reads a kustomization whether or not it names its kind: the overlays do, the bases not.
KIND = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
ONLY = ["--no-config", "--disable", "all", *(a for r in RULES for a in ("--enable", r))]


def write(top: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(text)


def shop(top: Path, *, base_namespace: str = "staging", overlays: tuple[str, ...] = ("shop",)) -> None:
    """A base that sets ``base_namespace``, built by one overlay per namespace of ``overlays``
    (``overlays/<namespace>``): the overlay's namespace replaces the base's."""
    write(
        top,
        {
            "base/kustomization.yaml": f"namespace: {base_namespace}\n"
            "resources: [deploy.yaml, svc.yaml, pdb.yaml, ingress.yaml]\n",
            "base/deploy.yaml": DEPLOY,
            "base/svc.yaml": SERVICE,
            "base/pdb.yaml": PDB,
            "base/ingress.yaml": INGRESS,
        },
    )
    for ns in overlays:
        write(top, {f"overlays/{ns}/kustomization.yaml": f"{KIND}namespace: {ns}\nresources: [../../base]\n"})


def scan(top: Path, *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(top)
    try:
        result = CliRunner().invoke(app, ["scan", ".", *ONLY, *args], env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""})
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def results(top: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(scan(top, "-f", "json")[1])["results"]
    return found


def by_rule(found: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    return {r["rule"]: (r["object"], r["message"]) for r in found}


def test_objects_and_messages_name_the_namespace_the_overlay_gives(tmp_path: Path) -> None:
    shop(tmp_path)
    got = by_rule(results(tmp_path))
    assert {rule: obj for rule, (obj, _) in got.items()} == {
        "missing-pdb": "Deployment/shop/web",
        "no-pod-spread": "Deployment/shop/web",
        "pdb-selects-nothing": "PodDisruptionBudget/shop/other",
        "service-selects-nothing": "Service/shop/websvc",
        "ingress-backend-missing": "Ingress/shop/web",
        "deprecated-annotation": "Ingress/shop/web",
    }  # and no default-namespace: the overlay puts everything in shop
    assert "and no PodDisruptionBudget in namespace shop selects its pods" in got["missing-pdb"][1]
    assert got["missing-pdb"][1].startswith("Deployment/shop/web runs 3 replicas")
    assert got["no-pod-spread"][1].startswith("Deployment/shop/web runs 3 replicas")
    assert "matches no pod template among the only workload in namespace shop:" in got["pdb-selects-nothing"][1]
    assert "the only workload in namespace 'shop'" in got["service-selects-nothing"][1]
    assert "Service/shop/websvc has no endpoints" in got["service-selects-nothing"][1]
    assert "backend Service 'missing' is not defined in namespace 'shop'" in got["ingress-backend-missing"][1]
    assert "Ingress/shop/web routes this path nowhere" in got["ingress-backend-missing"][1]
    assert not [m for _, m in got.values() if "default" in m or "staging" in m]


def test_every_output_names_the_namespace(tmp_path: Path) -> None:
    shop(tmp_path)
    _, text = scan(tmp_path, "-f", "text")
    assert "Deployment/shop/web runs 3 replicas" in text and "/default/" not in text
    _, github = scan(tmp_path, "-f", "github")
    assert "Deployment/shop/web runs 3 replicas" in github and "/default/" not in github
    sarif = json.loads(scan(tmp_path, "-f", "sarif")[1])
    names = {
        loc["fullyQualifiedName"]
        for result in sarif["runs"][0]["results"]
        for location in result["locations"]
        for loc in location.get("logicalLocations", [])
    }
    assert names == {"Deployment/shop/web", "PodDisruptionBudget/shop/other", "Service/shop/websvc", "Ingress/shop/web"}


def test_the_base_namespace_counts_when_no_overlay_sets_one(tmp_path: Path) -> None:
    shop(tmp_path, overlays=())
    write(tmp_path, {"overlays/plain/kustomization.yaml": "resources: [../../base]\n"})
    found = results(tmp_path)
    assert {r["object"] for r in found} == {
        "Deployment/staging/web",
        "PodDisruptionBudget/staging/other",
        "Service/staging/websvc",
        "Ingress/staging/web",
    }


def test_a_base_of_several_overlays_names_all_their_namespaces(tmp_path: Path) -> None:
    shop(tmp_path, overlays=("dev", "prod"))
    got = by_rule(results(tmp_path))
    assert got["missing-pdb"][0] == "Deployment/dev,prod/web"
    assert "and no PodDisruptionBudget in namespace dev,prod selects its pods" in got["missing-pdb"][1]
    assert got["service-selects-nothing"][0] == "Service/dev,prod/websvc"


def test_only_a_kustomization_that_lists_the_file_gives_its_namespace(tmp_path: Path) -> None:
    """A kustomization in a parent folder that does not list the file may keep a rule quiet, but
    it does not decide where the file is applied."""
    write(
        tmp_path,
        {
            "kustomization.yaml": "namespace: shop\nresources: [deploy.yaml]\n",
            "deploy.yaml": DEPLOY,
            "loose/deploy.yaml": DEPLOY.replace("name: web", "name: loose"),
        },
    )
    found = [r for r in results(tmp_path) if r["rule"] == "no-pod-spread"]
    assert sorted(r["object"] for r in found) == ["Deployment/default/loose", "Deployment/shop/web"]


def test_a_patch_takes_the_namespace_of_the_object_it_patches(tmp_path: Path) -> None:
    shop(tmp_path)
    patch = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: web\n          securityContext: {privileged: true}\n"
    )
    write(
        tmp_path,
        {
            "overlays/shop/kustomization.yaml": f"{KIND}namespace: shop\nresources: [../../base]\npatches:\n"
            "  - path: privileged.yaml\n",
            "overlays/shop/privileged.yaml": patch,
        },
    )
    found = [(r["file"], r["object"]) for r in results(tmp_path) if r["rule"] == "privileged-container"]
    assert found == [("overlays/shop/privileged.yaml", "Deployment/shop/web")]


def test_fingerprints_fix_and_baselines_read_the_object_as_written(tmp_path: Path) -> None:
    plain, built = tmp_path / "plain", tmp_path / "built"
    write(plain, {"base/deploy.yaml": DEPLOY, "base/pdb.yaml": PDB})
    shop(built)
    before = {r["rule"]: r["fingerprint"] for r in results(plain) if r["file"] == "base/deploy.yaml"}
    after = {r["rule"]: r["fingerprint"] for r in results(built) if r["file"] == "base/deploy.yaml"}
    assert before["no-pod-spread"] == after["no-pod-spread"]  # same file, same node: same finding

    # a baseline written when the object was still shown as Deployment/default/web
    baseline = tmp_path / "baseline.json"
    assert scan(built, "--write-baseline", str(baseline))[0] == 1
    data = json.loads(baseline.read_text())
    assert {f["object"] for f in data["findings"]} >= {"Deployment/shop/web"}
    for entry in data["findings"]:
        entry["object"] = entry["object"].replace("/shop/", "/default/")
    baseline.write_text(json.dumps(data))
    code, out = scan(built, "--baseline", str(baseline), "-f", "json")
    assert code == 0 and json.loads(out)["results"] == []

    old = Path.cwd()
    os.chdir(built)
    try:
        fixed = CliRunner().invoke(app, ["fix", ".", "--no-config"])
    finally:
        os.chdir(old)
    assert fixed.exit_code == 0, fixed.stdout + fixed.stderr
    assert "base/ingress.yaml: fixed deprecated-annotation: Ingress/shop/web: annotation" in fixed.stdout
    assert "ingressClassName: alb" in (built / "base" / "ingress.yaml").read_text()


@pytest.mark.parametrize("namespace", ["", "namespace: \n", "namespace: default\n"])
def test_no_namespace_or_default_keeps_default(namespace: str, tmp_path: Path) -> None:
    write(tmp_path, {"kustomization.yaml": f"{namespace}resources: [deploy.yaml, pdb.yaml]\n"})
    write(tmp_path, {"deploy.yaml": DEPLOY, "pdb.yaml": PDB})
    assert by_rule(results(tmp_path))["missing-pdb"][0] == "Deployment/default/web"
