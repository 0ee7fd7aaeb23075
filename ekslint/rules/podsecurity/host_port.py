"""host-port: a container port with a non-zero ``hostPort``.

A host port binds the port on the node itself: the scheduler fits only one such pod per node,
port and protocol, Fargate cannot run it, and the Pod Security Standards baseline forbids any
non-zero value. DaemonSets get their own message (one pod per node is their design; what remains
is the port taken on every node). Pods with ``hostNetwork: true`` are left to
``host-namespaces``: there the API server sets ``hostPort`` to ``containerPort`` on every port
anyway, so the field adds nothing. ``fargate-incompatible-workload`` reports the same field for
pods a Fargate profile selects, as one reason among others why Fargate cannot run them.
"""

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule

DAEMONSET_KINDS = ("DaemonSet.apps", "DaemonSet.extensions")


def host_port(value: Any) -> int | None:
    """The host port a ``hostPort`` value binds (``None`` for unset, 0 and non-numbers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if isinstance(value, int) and value != 0 else None


@rule(
    id="host-port",
    title="Containers should not bind host ports",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("security", "scheduling", "fargate"),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if w.pod_spec.get("hostNetwork") is True:
        return  # host-namespaces reports it; every port is a host port there
    daemon = w.gk in DAEMONSET_KINDS
    for c in w.containers:
        raw = c.spec.get("ports")
        for i, port in enumerate(raw if isinstance(raw, list) else []):
            if not isinstance(port, dict):
                continue
            number = host_port(port.get("hostPort"))
            if number is None:
                continue
            proto = str(port.get("protocol") or "TCP")
            where = c.path + ("ports", i, "hostPort")
            if daemon:
                yield Finding(
                    f"{c.describe} uses hostPort {number}/{proto} on every node: no other pod there can bind "
                    "it, and the Pod Security Standards baseline forbids it; reach the agent through a Service "
                    "with internalTrafficPolicy: Local instead",
                    where,
                )
            else:
                yield Finding(
                    f"{c.describe} uses hostPort {number}/{proto}: only one such pod fits on each node (more "
                    "replicas stay Pending), it cannot run on Fargate, and the Pod Security Standards baseline "
                    "forbids it; expose it through a Service instead",
                    where,
                )
