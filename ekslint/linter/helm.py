"""Render a Helm chart with ``helm template`` and lint the output (``--helm CHART``).

Findings name the template file (from helm's ``# Source:`` comments, mapped back onto the chart
folder so that annotations land on real files). Nothing is fetched: dependencies must already be
in ``charts/``, values files must be local files (helm downloads ``--values`` URLs, so anything
else is refused before helm runs), and helm runs with proxies pointed at a closed local port.
Messages name the chart and values as the user gave them, relative to the working directory.
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
    """``helm template`` of a local chart folder with local values files, offline.

    Everything is checked before helm starts, so that a chart or values argument helm would
    resolve over the network (a URL, a repository reference) is refused, not attempted.
    """
    shown = display_path(chart, cwd)
    helm = shutil.which("helm")
    if helm is None:
        raise HelmError("--helm needs `helm` on PATH; it was not found (or pipe `helm template` into `ekslint scan -`)")
    if not (chart / "Chart.yaml").is_file():
        raise HelmError(f"{shown}: not a Helm chart (no Chart.yaml)")
    cmd = [helm, "template", "ekslint", str(chart.absolute())]
    for v in values:
        if not v.is_file():  # a URL (helm would download it) or a missing file
            raise HelmError(
                f"{display_path(v, cwd)}: not a local values file; ekslint never lets helm fetch values: "
                "download the file and pass its path"
            )
        cmd += ["--values", str(v.absolute())]  # absolute: helm reads "scheme:..." paths as URLs
    data = run_offline(cmd, shown, HelmError, cwd=cwd)
    stream = load_bytes(SourceFile(display=f"{shown} (rendered)"), data)
    attribute_helm_sources(stream)
    base = shown
    for doc in stream.documents:  # "# Source: <chart name>/templates/x.yaml" -> "<chart dir>/templates/x.yaml"
        if doc.origin and "/" in doc.origin:
            doc.origin = f"{base}/{doc.origin.split('/', 1)[1]}"
    return stream
