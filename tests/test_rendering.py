"""Rendered input: Helm output on stdin, --helm, and --kustomize with the real kubectl."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.kustomize import OFFLINE_ENV

HELM_OUTPUT = """\
---
# Source: shop/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: shop, namespace: shop}
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: shop
spec:
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
        - name: shop
          image: "example/shop:1.0"
          securityContext:
            privileged: true
"""


def only(rule: str, root: Path, **kw: object) -> Settings:
    return Settings(root=root, enable=[rule], disable=["all"], **kw)  # type: ignore[arg-type]


def test_helm_output_on_stdin_names_the_template(tmp_path: Path) -> None:
    report = lint(["-"], only("privileged-container", tmp_path), stdin=io.BytesIO(HELM_OUTPUT.encode()), cwd=tmp_path)
    assert [(r.file, r.line) for r in report.active] == [("shop/templates/deployment.yaml", 15)]
    assert any("Helm output" in n for n in report.notes)


def test_helm_flag_without_helm_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    report = lint([], only("privileged-container", tmp_path, helm=[str(tmp_path)]), cwd=tmp_path)
    assert report.errors[0].message.startswith("--helm needs `helm` on PATH")


@pytest.mark.skipif(shutil.which("helm") is None, reason="helm is not installed")
def test_helm_chart_is_rendered(tmp_path: Path) -> None:
    chart = tmp_path / "shop"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    (chart / "templates" / "deployment.yaml").write_text(
        HELM_OUTPUT.split("# Source: shop/templates/deployment.yaml\n")[1]
    )
    report = lint([], only("privileged-container", tmp_path, helm=[str(chart)]), cwd=tmp_path)
    assert [(r.file, r.line) for r in report.active] == [("shop/templates/deployment.yaml", 15)]


DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            privileged: true  # ekslint: ignore=privileged-container
        - name: helper
          image: busybox:1.36
          securityContext:
            privileged: true
"""


def kustomize_tree(tmp_path: Path) -> Path:
    files = {
        "base/kustomization.yaml": "resources:\n  - deploy.yaml\n",
        "base/deploy.yaml": DEPLOY,
        "overlays/prod/kustomization.yaml": (
            "namespace: prod\nnamePrefix: prod-\nresources:\n  - ../../base\n  - pod.yaml\n"
            "configMapGenerator:\n  - name: settings\n    literals: [LOG_LEVEL=info]\n"
        ),
        "overlays/prod/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  hostNetwork: true\n  containers: [{name: sh, image: 'busybox:1.36'}]\n",
        "overlays/remote/kustomization.yaml": "resources:\n  - https://github.com/example/repo//base?ref=v1\n",
    }
    for rel, text in files.items():
        path = tmp_path / "k" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "k"


@pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None, reason="no kustomize renderer"
)
def test_kustomize_renders_overlays_and_attributes_sources(tmp_path: Path) -> None:
    top = kustomize_tree(tmp_path)
    settings = Settings(
        root=top, enable=["privileged-container", "host-namespaces", "default-namespace"], disable=["all"]
    )
    settings.kustomize = [str(top / "overlays" / "prod")]
    report = lint([], settings, cwd=top)
    assert not report.errors, report.errors
    got = sorted((r.file, r.line, r.rule) for r in report.active)
    assert got == [
        ("base/deploy.yaml", 20, "privileged-container"),  # found by name despite namePrefix
        ("overlays/prod/pod.yaml", 6, "host-namespaces"),
    ]
    assert [(r.file, r.line) for r in report.suppressed] == [("base/deploy.yaml", 16)]  # source comments apply


@pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None, reason="no kustomize renderer"
)
def test_kustomize_refuses_remote_bases_and_finds_roots(tmp_path: Path) -> None:
    top = kustomize_tree(tmp_path)
    settings = Settings(root=top, enable=["privileged-container"], disable=["all"])
    settings.kustomize = [str(top)]
    report = lint([], settings, cwd=top)
    assert len(report.errors) == 1 and "never fetches remote bases" in report.errors[0].message
    assert [(r.file, r.line) for r in report.active] == [("base/deploy.yaml", 20)]  # base rendered once, via prod
    assert OFFLINE_ENV["GIT_ALLOW_PROTOCOL"] == "file"


def test_kustomize_without_renderer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = kustomize_tree(tmp_path)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    settings = Settings(root=top, enable=["privileged-container"], disable=["all"])
    settings.kustomize = [str(top / "overlays" / "prod")]
    report = lint([], settings, cwd=top)
    assert "needs `kubectl` or `kustomize` on PATH" in report.errors[0].message
