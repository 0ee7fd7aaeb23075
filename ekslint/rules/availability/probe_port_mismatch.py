"""probe-port-mismatch: a probe that names a port the container does not declare.

``httpGet.port`` and ``tcpSocket.port`` are int-or-string; a string is a port *name* that the
kubelet looks up in the same container's ``ports[].name`` (not the pod's other containers). An
undeclared name makes every probe fail. Numeric ports are not checked: a container need not
declare the ports it listens on. ``grpc.port`` is a number only. Placeholders (``${PORT}``,
``$(PORT)``), as the probe's port or as a port name of the container, are unknown names and are
not judged.

Every probe but ``exec`` connects over TCP, so a probe of a port the container declares only
with ``protocol: UDP`` (by name or by number) cannot pass either.
"""

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.placeholders import is_placeholder
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import container_overridden, is_patch
from ekslint.rules.availability._probes import PROBES, describe, probed_containers


def _udp_only(ports: list[dict[str, Any]], port: Any) -> str | None:
    """``"53/UDP"`` when ``port`` (a name or a number) is declared only with protocol UDP."""
    if isinstance(port, str) and not port.strip().isdigit():
        matches = [p for p in ports if p.get("name") == port]
    elif isinstance(port, int) and not isinstance(port, bool):
        matches = [p for p in ports if p.get("containerPort") == port]
    else:
        return None
    protocols = {str(p.get("protocol") or "TCP").upper() for p in matches}
    if protocols != {"UDP"}:
        return None
    return f"{matches[0].get('containerPort')}/UDP"


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
        unknown_names = any(is_placeholder(n) for n in names)  # may be any name once rendered
        for probe in PROBES:
            spec = c.spec.get(probe)
            if not isinstance(spec, dict):
                continue
            for handler in ("httpGet", "tcpSocket", "grpc"):
                action = spec.get(handler)
                port = action.get("port") if isinstance(action, dict) else None
                udp = _udp_only(c.ports, port)
                if udp is not None:
                    yield Finding(
                        f"{probe} of {describe(c)} probes port {port!r} over TCP ({handler}), but the "
                        f"container declares it as {udp}: the probe cannot pass and {EFFECT[probe]}; probe "
                        "a TCP port, or use an exec probe",
                        c.path + (probe, handler, "port"),
                    )
                    continue
                if handler == "grpc" or not isinstance(port, str) or port.strip().isdigit() or port in names:
                    continue
                if unknown_names or is_placeholder(port):
                    continue
                declared = f"it declares {', '.join(names)}" if names else "it declares no named ports"
                yield Finding(
                    f"{probe} of {describe(c)} uses port {port!r}, which the container does not declare "
                    f"({declared}): the probe always fails and {EFFECT[probe]}; name the port under "
                    "ports[] or use the port number",
                    c.path + (probe, handler, "port"),
                )
