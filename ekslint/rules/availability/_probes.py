"""Which containers probes apply to.

The kubelet runs probes on the pod's regular containers and on sidecars (init containers with
``restartPolicy: Always``, which live as long as the pod). The API server rejects probes on other
init containers, and ephemeral containers cannot have them. Workloads that run to completion
(Jobs, CronJobs, bare Pods that never restart) are not expected to carry readiness or liveness
probes: nothing routes traffic to them for long and a hung run is bounded by ``activeDeadlineSeconds``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Container, Workload
from ekslint.rules.availability._overlays import container_overridden, is_patch
from ekslint.rules.availability._workloads import long_running

PROBES = ("readinessProbe", "livenessProbe", "startupProbe")


def probed_containers(w: Workload) -> Iterator[Container]:
    """Containers that may carry probes: regular containers and sidecar init containers."""
    return (c for c in w.containers if c.long_running)


def describe(c: Container) -> str:
    return f"sidecar container {c.name!r}" if c.is_sidecar else c.describe


def without_probe(w: Workload, ctx: RuleContext, probe: str) -> Iterator[Container]:
    """Long-running containers of a long-running workload that lack ``probe`` (and no overlay of
    the same object adds it); nothing for a Kustomize patch, whose base may set it."""
    if not long_running(w) or is_patch(w, ctx):
        return
    for c in probed_containers(w):
        if c.spec.get(probe) is None and not container_overridden(w, c, ctx, probe):
            yield c
