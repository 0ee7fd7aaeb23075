"""probe-port-mismatch: a probe that names a port the container does not declare.

``httpGet.port`` and ``tcpSocket.port`` are int-or-string; a string is a port *name* that the
kubelet looks up in the same container's ``ports[].name`` (not the pod's other containers). An
undeclared name makes every probe fail. Numeric ports are not checked: a container need not
declare the ports it listens on. ``grpc.port`` is a number only.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import container_overridden, is_patch
from ekslint.rules.availability._probes import PROBES, describe, probed_containers

EFFECT = {
    "readinessProbe": "the pod never becomes Ready and never gets Service traffic",
    "livenessProbe": "the kubelet restarts the container over and over",
    "startupProbe": "the kubelet kills the container before it ever starts",
}


@rule(
    id="probe-port-mismatch",
    title="Probes must use a port name the container declares",
    level=Level.ERROR,
    targets=(Workload,),
    tags=("availability",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if is_patch(w, ctx):
        return
    for c in probed_containers(w):
        if container_overridden(w, c, ctx, "ports", *PROBES):
            continue  # an overlay renames ports or rewrites probes: judged on the built object only
        names = [str(p["name"]) for p in c.ports if p.get("name") is not None]
        for probe in PROBES:
            spec = c.spec.get(probe)
            if not isinstance(spec, dict):
                continue
            for handler in ("httpGet", "tcpSocket"):
                action = spec.get(handler)
                port = action.get("port") if isinstance(action, dict) else None
                if not isinstance(port, str) or port.strip().isdigit() or port in names:
                    continue
                declared = f"it declares {', '.join(names)}" if names else "it declares no named ports"
                yield Finding(
                    f"{probe} of {describe(c)} uses port {port!r}, which the container does not declare "
                    f"({declared}): the probe always fails and {EFFECT[probe]}; name the port under "
                    "ports[] or use the port number",
                    c.path + (probe, handler, "port"),
                )
