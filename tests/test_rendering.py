"""Rendered input: Helm output on stdin, --helm, and --kustomize with the real kubectl."""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ekslint.cli import app
from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.kustomize import OFFLINE_ENV, is_remote_ref

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


# --- --kustomize refuses whatever would fetch or run something, before anything runs ------------
#
# Each case is a root ``k/bad`` beside a root ``k/good``. ``kubectl`` on PATH is a wrapper that
# logs its arguments and then runs the real kubectl: the log shows that nothing ran for the
# refused root, and the findings that the other root was still rendered and linted.

REAL_KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(REAL_KUBECTL is None, reason="kubectl is not installed")
GOOD_DEPLOY = DEPLOY.replace("  # ekslint: ignore=privileged-container", "")  # line 16 and line 20
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n"
REMOTE = "ekslint never fetches remote bases: vendor them, or render yourself and pipe the output to `ekslint scan -`"
HELM = "needs Helm and may fetch charts: render the chart yourself (helm template) and scan the output"
PLUGIN = (
    "ekslint never runs code from the scanned repository: render the kustomization yourself and pipe the "
    "output to `ekslint scan -`"
)


#: A builtin transformer config: harmless as written.
BUILTIN_LABELS = (
    "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: labels}\nlabels: {team: a}\n"
    "fieldSpecs: [{path: metadata/labels, create: true}]\n"
)
REWRITES = (
    "which can rewrite the plugin configs it builds (their apiVersion, kind or config.kubernetes.io/function "
    "annotation), so ekslint cannot check what kustomize would run"
)


def exec_function(path: str) -> str:
    return (
        "apiVersion: example.com/v1\nkind: Gen\nmetadata:\n  name: g\n  annotations:\n"
        f"    config.kubernetes.io/function: |\n      exec:\n        path: {path}\n"
    )


def write_tree(top: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = top / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def kubectl_spy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a ``kubectl`` first on PATH that logs each call and runs the real one; return the log.

    ``helm`` and ``git`` on PATH log too and fail, so that a Helm inflation or a git fetch that
    slipped through would show in the same log.
    """
    log, folder = tmp_path / "calls.log", tmp_path / "spy-bin"
    folder.mkdir()
    real = f'exec "{REAL_KUBECTL}" "$@"' if REAL_KUBECTL else "exit 1"
    for tool, then in (("kubectl", real), ("helm", "exit 1"), ("git", "exit 1")):
        (folder / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >> "{log}"\n{then}\n')
        (folder / tool).chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return log


def calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def scan_json(*args: str) -> tuple[int, dict[str, Any]]:
    """Run ``ekslint scan`` (privileged-container only) as the CLI does: exit code and json report."""
    argv = ["scan", *args, "--no-config", "-f", "json", "--disable", "all", "--enable", "privileged-container"]
    result = CliRunner().invoke(app, argv, env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout)


RESOURCE_REMOTES = [
    "git.example.com/org/repo.git",  # a host path without ?ref
    "gitlab.com/org/repo//path",
    "ssh://git@example.com/org/repo.git",
    "git::https://example.com/org/repo.git",
    "https://raw.githubusercontent.com/org/repo/main/deploy.yaml",  # a raw file: kustomize downloads it
    "github.com/org/repo/path?ref=v1",
    "git@github.com:org/repo.git//deploy",
    "gh:org/repo",
    "file:///srv/git/repo.git//deploy",  # a local clone still runs git
]
#: (case id, files of k/bad, the messages expected, exactly).
REFUSED: list[tuple[str, dict[str, str], list[str]]] = [
    *(
        (
            f"resources-{i}",
            {"kustomization.yaml": f"resources:\n  - cm.yaml\n  - {ref}\n", "cm.yaml": CM},
            [f"k/bad/kustomization.yaml: refers to remote resources (resources: {ref}); {REMOTE}"],
        )
        for i, ref in enumerate(RESOURCE_REMOTES)
    ),
    (
        "remote-component",
        {"kustomization.yaml": "components:\n  - https://github.com/org/repo//components/x?ref=v1\n"},
        [
            "k/bad/kustomization.yaml: refers to remote resources "
            f"(components: https://github.com/org/repo//components/x?ref=v1); {REMOTE}"
        ],
    ),
    *(
        (
            f"file-{label}",
            {"kustomization.yaml": "resources: [cm.yaml]\n" + body, "cm.yaml": CM},
            [f"k/bad/kustomization.yaml: refers to remote resources ({label}: {url}); {REMOTE}"],
        )
        for label, url, body in [
            ("openapi.path", "https://example.com/schema.json", "openapi:\n  path: https://example.com/schema.json\n"),
            ("configurations", "https://example.com/c.yaml", "configurations:\n  - https://example.com/c.yaml\n"),
            ("crds", "https://example.com/crd.json", "crds:\n  - https://example.com/crd.json\n"),
            (
                "replacements.path",
                "https://example.com/r.yaml",
                "replacements:\n  - path: https://example.com/r.yaml\n",
            ),
            ("patches.path", "https://example.com/p.yaml", "patches:\n  - path: https://example.com/p.yaml\n"),
            (
                "patchesJson6902.path",
                "https://example.com/p.json",
                "patchesJson6902:\n  - target: {kind: ConfigMap, name: settings}\n    path: https://example.com/p.json\n",
            ),
            (
                "patchesStrategicMerge",
                "https://example.com/p.yaml",
                "patchesStrategicMerge:\n  - https://example.com/p.yaml\n",
            ),
            (
                "configMapGenerator.files",
                "k=https://example.com/f.txt",
                "configMapGenerator:\n  - name: x\n    files: [k=https://example.com/f.txt]\n",
            ),
            (
                "secretGenerator.envs",
                "https://example.com/x.env",
                "secretGenerator:\n  - name: x\n    envs: [https://example.com/x.env]\n",
            ),
            (  # kustomize matches field names case-insensitively (Go's JSON decoding)
                "configMapGenerator.Files",
                "https://example.com/f.txt",
                "configMapGenerator:\n  - name: x\n    Files: [https://example.com/f.txt]\n",
            ),
        ]
    ),
    (
        "helmCharts",
        {
            "kustomization.yaml": "resources: [cm.yaml]\nhelmCharts:\n  - name: evil\n"
            "    repo: https://charts.example.com\n    version: 1.0.0\n",
            "cm.yaml": CM,
        },
        [f"k/bad/kustomization.yaml: helmCharts {HELM}"],
    ),
    (
        "HelmCharts",
        {"kustomization.yaml": "HelmCharts:\n  - name: evil\n    repo: https://charts.example.com\n"},
        [f"k/bad/kustomization.yaml: HelmCharts {HELM}"],
    ),
    (
        "helmChartInflationGenerator",
        {
            "kustomization.yaml": "helmChartInflationGenerator:\n  - chartName: evil\n"
            "    chartRepoUrl: https://charts.example.com\n"
        },
        [f"k/bad/kustomization.yaml: helmChartInflationGenerator {HELM}"],
    ),
    (
        "builtin-helm-generator",
        {
            "kustomization.yaml": "generators:\n  - |\n    apiVersion: builtin\n    kind: HelmChartInflationGenerator\n"
            "    metadata: {name: evil}\n    name: evil\n    repo: https://charts.example.com\n"
        },
        [f"k/bad/kustomization.yaml: generators: an inline config is a HelmChartInflationGenerator, which {HELM}"],
    ),
    (
        "builtin-config-url",
        {
            "kustomization.yaml": "generators:\n  - |\n    apiVersion: builtin\n    kind: ConfigMapGenerator\n"
            "    metadata: {name: x}\n    files: [https://example.com/f.txt]\n"
        },
        [
            "k/bad/kustomization.yaml: generators: an inline config is a builtin ConfigMapGenerator that loads "
            f"https://example.com/f.txt, which kustomize would download: {REMOTE}"
        ],
    ),
    (
        "exec-generator",
        {"kustomization.yaml": "generators:\n  - gen.yaml\n", "gen.yaml": exec_function("./plugin.sh")},
        [f"k/bad/kustomization.yaml: generators: gen.yaml runs a program (KRM function exec: ./plugin.sh): {PLUGIN}"],
    ),
    (
        "container-transformer",
        {
            "kustomization.yaml": "resources: [cm.yaml]\ntransformers:\n  - fn.yaml\n",
            "cm.yaml": CM,
            "fn.yaml": exec_function("x").replace(
                "exec:\n        path: x", "container:\n        image: example.com/fn:v1"
            ),
        },
        [
            "k/bad/kustomization.yaml: transformers: fn.yaml runs a container "
            f"(KRM function container: example.com/fn:v1): {PLUGIN}"
        ],
    ),
    (
        "legacy-plugin-validator",
        {
            "kustomization.yaml": "resources: [cm.yaml]\nvalidators:\n  - |\n    apiVersion: someteam.example.com/v1\n"
            "    kind: Checker\n    metadata: {name: check}\n",
            "cm.yaml": CM,
        },
        [
            "k/bad/kustomization.yaml: validators: an inline config is a plugin "
            f"(apiVersion someteam.example.com/v1, kind Checker) that kustomize would load and run: {PLUGIN}"
        ],
    ),
    (
        "plugin-folder",
        {
            "kustomization.yaml": "resources: [cm.yaml]\ntransformers:\n  - plugins\n",
            "cm.yaml": CM,
            "plugins/kustomization.yaml": "resources: [t.yaml]\n",
            "plugins/t.yaml": exec_function("./t.sh"),
        },
        [
            "k/bad/kustomization.yaml: transformers: plugins (k/bad/plugins/t.yaml) runs a program "
            f"(KRM function exec: ./t.sh): {PLUGIN}"
        ],
    ),
    (  # a builtin config in the files, made a KRM function by the plugin folder's own patch
        "plugin-folder-patched",
        {
            "kustomization.yaml": "resources: [cm.yaml]\ntransformers:\n  - plugins\n",
            "cm.yaml": CM,
            "plugins/kustomization.yaml": "resources: [t.yaml]\npatches:\n  - target: {kind: LabelTransformer}\n"
            "    patch: |\n      - {op: replace, path: /apiVersion, value: example.com/v1}\n"
            "      - op: add\n        path: /metadata/annotations\n        value:\n"
            "          config.kubernetes.io/function: 'exec: {path: ../plugin.sh}'\n",
            "plugins/t.yaml": BUILTIN_LABELS,
        },
        [
            "k/bad/kustomization.yaml: transformers: plugins (k/bad/plugins/kustomization.yaml) sets patches, "
            f"{REWRITES}: {PLUGIN}"
        ],
    ),
    (  # the same through a base of the plugin folder, with annotations only
        "plugin-folder-base-annotated",
        {
            "kustomization.yaml": "resources: [cm.yaml]\ngenerators:\n  - plugins\n",
            "cm.yaml": CM,
            "plugins/kustomization.yaml": "resources: [inner]\n",
            "plugins/inner/kustomization.yaml": "resources: [t.yaml]\ncommonAnnotations:\n"
            "  config.kubernetes.io/function: 'exec: {path: ../../plugin.sh}'\n",
            "plugins/inner/t.yaml": BUILTIN_LABELS,
        },
        [
            "k/bad/kustomization.yaml: generators: plugins (k/bad/plugins/inner/kustomization.yaml) sets "
            f"commonAnnotations, {REWRITES}: {PLUGIN}"
        ],
    ),
    (
        "helm-in-a-base",
        {
            "kustomization.yaml": "resources: [base]\n",
            "base/kustomization.yaml": "helmCharts:\n  - name: evil\n    repo: https://charts.example.com\n",
        },
        [
            f"k/bad/base/kustomization.yaml: helmCharts {HELM} "
            "(in the build of k/bad/kustomization.yaml, which is not rendered)"
        ],
    ),
    (
        "unparseable",
        {"kustomization.yaml": "resources: [cm.yaml\nhelmCharts: {\n"},
        [
            "k/bad/kustomization.yaml: cannot be parsed as YAML, so ekslint cannot check what it would fetch or run: "
            "fix it, or render it yourself and pipe the output to `ekslint scan -`"
        ],
    ),
]


@needs_kubectl
@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_kustomize_refuses_what_would_fetch_or_run_and_renders_the_rest(
    files: dict[str, str], expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = kubectl_spy(tmp_path, monkeypatch)
    write_tree(
        tmp_path / "k", {"good/kustomization.yaml": "resources: [deploy.yaml]\n", "good/deploy.yaml": GOOD_DEPLOY}
    )
    marker = tmp_path / "MARKER"
    write_tree(tmp_path / "k" / "bad", {**files, "plugin.sh": f"#!/bin/sh\ntouch {marker}\n"})
    (tmp_path / "k" / "bad" / "plugin.sh").chmod(0o755)
    monkeypatch.chdir(tmp_path)
    code, report = scan_json("--kustomize", "k")
    assert code == 2
    assert [e["message"] for e in report["errors"]] == expected
    assert [c for c in calls(log) if "bad" in c] == []  # refused before anything ran for it
    assert calls(log) == [f"kubectl kustomize {tmp_path / 'k' / 'good'}"]  # the other root ran
    assert [(r["file"], r["line"]) for r in report["results"]] == [
        ("k/good/deploy.yaml", 16),
        ("k/good/deploy.yaml", 20),
    ]
    assert not marker.exists()


def test_the_renderer_gets_an_allow_listed_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI job's secrets stay out of the renderer: a ``kubectl`` first on PATH records what it got."""
    seen, folder = tmp_path / "env.txt", tmp_path / "bin"
    folder.mkdir()
    (tmp_path / "out.yaml").write_text(CM)
    (folder / "kubectl").write_text(f'#!/bin/sh\nenv > "{seen}"\ncat "{tmp_path / "out.yaml"}"\n')
    (folder / "kubectl").chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    secrets = {
        "AWS_SECRET_ACCESS_KEY": "aws-secret",
        "AWS_SESSION_TOKEN": "aws-session",
        "GITHUB_TOKEN": "ghp_secret",
        "KUSTOMIZE_PLUGIN_HOME": str(tmp_path / "plugins"),
        "HTTPS_PROXY": "http://proxy.example.com:3128",
    }
    for name, value in {**secrets, "LC_ALL": "C.UTF-8", "HOME": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    write_tree(tmp_path / "k", {"kustomization.yaml": "resources: [cm.yaml]\n", "cm.yaml": CM})
    settings = only("default-namespace", tmp_path)
    settings.kustomize = [str(tmp_path / "k")]
    report = lint([], settings, cwd=tmp_path)
    assert not report.errors, report.errors
    assert [r.object for r in report.active] == ["ConfigMap/default/settings"]  # the fake's output was read
    env = dict(line.split("=", 1) for line in seen.read_text().splitlines() if "=" in line)
    # names only in the assertions: a failure must not print the machine's environment
    leaked = {"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GITHUB_TOKEN", "KUSTOMIZE_PLUGIN_HOME"} & set(env)
    assert sorted(leaked) == []
    assert [name for name, value in secrets.items() if value in seen.read_text()] == []
    assert env["HTTPS_PROXY"] == OFFLINE_ENV["HTTPS_PROXY"] and env["GIT_ALLOW_PROTOCOL"] == "file"
    assert env["PATH"].startswith(str(folder)) and env["LC_ALL"] == "C.UTF-8" and env["HOME"] == str(tmp_path)


def test_remote_target_syntax() -> None:
    """kustomize's remote forms (repospec.go, go-getter) are remote; local paths with dots are not."""
    remote = [
        *RESOURCE_REMOTES,
        "https://github.com/example/repo//base?ref=v1",
        "git@gitlab2.example.ru:10022/infra/base.git?ref=v0.1.0",
        "GitHub.com/org/repo",
        "bitbucket.org/org/repo",
        "https://dev.azure.com/org/project/_git/repo",
        "host.example.com:7999/org/repo.git",
        "s3::https://s3.amazonaws.com/bucket/key",
        "some/path?ref=main",
    ]
    local = ["../base.v2", "./my.app", "my.app/base", "v1.2/x.yaml", "vendor/github.com/org/repo", "../x//y", "node@18"]
    assert [r for r in remote if not is_remote_ref(r)] == []
    assert [r for r in local if is_remote_ref(r)] == []


@needs_kubectl
def test_local_paths_with_dots_are_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dotted local paths, and folders named like a host that exist here, are local to kustomize
    (v5) too: they are rendered, not refused; so is a builtin transformer whose values hold a URL
    that kustomize does not load."""
    log = kubectl_spy(tmp_path, monkeypatch)
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {{name: {0}}}\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      securityContext: {{privileged: true}}\n"
    write_tree(
        tmp_path / "k",
        {
            "app/kustomization.yaml": (
                "resources:\n  - ../base.v2\n  - ./my.app\n  - vendor/github.com/org/repo\n"
                "  - git.example.com/org/repo.git\ntransformers:\n  - |\n    apiVersion: builtin\n"
                "    kind: AnnotationsTransformer\n    metadata: {name: docs}\n"
                "    annotations: {docs: 'https://example.com/runbook'}\n"
                "    fieldSpecs: [{path: metadata/annotations, create: true}]\n"
            ),
            "base.v2/kustomization.yaml": "resources: [pod.yaml]\n",
            "base.v2/pod.yaml": pod.format("a"),
            "app/my.app/kustomization.yaml": "resources: [pod.yaml]\n",
            "app/my.app/pod.yaml": pod.format("b"),
            "app/vendor/github.com/org/repo/kustomization.yaml": "resources: [pod.yaml]\n",
            "app/vendor/github.com/org/repo/pod.yaml": pod.format("c"),
            "app/git.example.com/org/repo.git/kustomization.yaml": "resources: [pod.yaml]\n",
            "app/git.example.com/org/repo.git/pod.yaml": pod.format("d"),
        },
    )
    monkeypatch.chdir(tmp_path)
    code, report = scan_json("--kustomize", "k")
    assert report["errors"] == [] and code == 1
    assert calls(log) == [f"kubectl kustomize {tmp_path / 'k' / 'app'}"]
    assert sorted(r["file"] for r in report["results"]) == [
        "k/app/git.example.com/org/repo.git/pod.yaml",
        "k/app/my.app/pod.yaml",
        "k/app/vendor/github.com/org/repo/pod.yaml",
        "k/base.v2/pod.yaml",
    ]


@needs_kubectl
def test_kustomize_messages_name_paths_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder given as an absolute path (as the ``kustomize:`` config key does) still gives
    messages relative to the working directory: no machine folder in the output. An unreadable
    kustomization is reported and the other roots are still rendered."""
    write_tree(
        tmp_path / "k",
        {
            "good/kustomization.yaml": "resources: [deploy.yaml]\n",
            "good/deploy.yaml": GOOD_DEPLOY,
            "bad/kustomization.yaml": "helmCharts:\n  - name: evil\n",
            "broken/kustomization.yaml": "resources: [missing.yaml]\n",
            "list/kustomization.yaml": "- resources\n",
        },
    )
    (tmp_path / "empty").mkdir()
    settings = only("privileged-container", tmp_path)
    settings.kustomize = [str(tmp_path / "k"), str(tmp_path / "empty")]
    report = lint([], settings, cwd=tmp_path)
    messages = [e.message for e in report.errors]
    assert [m.split(": ", 1)[0] for m in messages] == [
        "k/list/kustomization.yaml",
        "k/bad/kustomization.yaml",
        "k/broken",
        "empty",
    ]
    assert "`kubectl kustomize` failed" in messages[2] and "missing.yaml" in messages[2]
    assert [m for m in messages if str(tmp_path) in m] == []
    assert [(r.file, r.line) for r in report.active] == [("k/good/deploy.yaml", 16), ("k/good/deploy.yaml", 20)]


@needs_kubectl
def test_kustomize_keeps_the_symlink_path_of_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--kustomize deploy`` where ``deploy`` links elsewhere: findings name ``deploy/...``."""
    real = kustomize_tree(tmp_path / "elsewhere")
    (real / "overlays" / "remote" / "kustomization.yaml").unlink()
    work = tmp_path / "work"
    work.mkdir()
    (work / "deploy").symlink_to(real, target_is_directory=True)
    monkeypatch.chdir(work)
    settings = only("privileged-container", work)
    settings.kustomize = ["deploy"]
    report = lint([], settings, cwd=work)
    assert not report.errors, report.errors
    assert [(r.file, r.line) for r in report.active] == [("deploy/base/deploy.yaml", 20)]
    assert [(r.file, r.line) for r in report.suppressed] == [("deploy/base/deploy.yaml", 16)]


def test_helm_refuses_values_that_are_not_local_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """helm downloads ``--values`` URLs: they are refused before helm starts, paths shown as given."""
    log = tmp_path / "calls.log"
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "helm").write_text(f'#!/bin/sh\necho "helm $*" >> "{log}"\nexit 1\n')
    (tmp_path / "bin" / "helm").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    settings = only("privileged-container", tmp_path, helm=[str(tmp_path / "shop")])
    settings.helm_values = ["https://example.com/values.yaml"]
    report = lint([], settings, cwd=tmp_path)
    assert [e.message for e in report.errors] == [
        "https:/example.com/values.yaml: not a local values file; ekslint never lets helm fetch values: "
        "download the file and pass its path"
    ]
    assert calls(log) == []
    settings = only("privileged-container", tmp_path, helm=[str(tmp_path)])  # no Chart.yaml, given absolute
    report = lint([], settings, cwd=tmp_path / "shop")
    assert [e.message for e in report.errors] == [f"{tmp_path}: not a Helm chart (no Chart.yaml)"]  # not below cwd
    report = lint([], only("privileged-container", tmp_path, helm=[str(tmp_path / "shop" / "x")]), cwd=tmp_path)
    assert [e.message for e in report.errors] == ["shop/x: not a Helm chart (no Chart.yaml)"]


def test_a_source_comment_of_blanks_is_read_in_linear_time(tmp_path: Path) -> None:
    """The ``# Source:`` pattern once retried the trailing blanks at every character (quadratic)."""
    text = HELM_OUTPUT.replace(
        "# Source: shop/templates/deployment.yaml", "# Source: shop/templates/a" + " " * 60_000 + "b  "
    )
    start = time.monotonic()
    report = lint(["-"], only("privileged-container", tmp_path), stdin=io.BytesIO(text.encode()), cwd=tmp_path)
    assert time.monotonic() - start < 5  # was minutes
    assert [r.file.split()[-1] for r in report.active] == ["b"]  # trailing blanks stripped, inner ones kept
