"""Render a Helm chart with ``helm template`` and lint the output (``--helm CHART``).

Findings name the template file (from helm's ``# Source:`` comments, mapped back onto the chart
folder so that annotations land on real files). Nothing is fetched: dependencies must already be
in ``charts/``, and helm runs with proxies pointed at a closed local port.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ekslint.linter.kustomize import run_offline
from ekslint.linter.loader import SourceFile, load_bytes
from ekslint.linter.paths import display_path
from ekslint.linter.rendered import attribute_helm_sources


class HelmError(Exception):
    """A chart that cannot be rendered: reported as a run error (exit 2)."""


def render_chart(chart: Path, values: list[Path], cwd: Path) -> SourceFile:
    helm = shutil.which("helm")
    if helm is None:
        raise HelmError("--helm needs `helm` on PATH; it was not found (or pipe `helm template` into `ekslint scan -`)")
    if not (chart / "Chart.yaml").is_file():
        raise HelmError(f"{chart}: not a Helm chart (no Chart.yaml)")
    cmd = [helm, "template", "ekslint", str(chart)]
    for v in values:
        cmd += ["--values", str(v)]
    data = run_offline(cmd, str(chart), HelmError)
    stream = load_bytes(SourceFile(display=f"{display_path(chart, cwd)} (rendered)"), data)
    attribute_helm_sources(stream)
    base = display_path(chart, cwd)
    for doc in stream.documents:  # "# Source: <chart name>/templates/x.yaml" -> "<chart dir>/templates/x.yaml"
        if doc.origin and "/" in doc.origin:
            doc.origin = f"{base}/{doc.origin.split('/', 1)[1]}"
    return stream
