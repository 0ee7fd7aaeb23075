"""host-path-mount: a ``hostPath`` volume; error for the container runtime socket."""

import posixpath
from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule

#: Container runtime sockets: whoever can write to one controls every container on the node.
RUNTIME_SOCKETS = (
    "/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock", "/run/cri-dockerd.sock", "/var/run/dockershim.sock",
)


def exposes_runtime_socket(path: str) -> bool:
    """The socket itself, or a folder that contains one (``/var/run``, ``/``)."""
    norm = posixpath.normpath(path) if path else ""
    if not norm.startswith("/"):
        return False
    return any(sock == norm or sock.startswith(norm.rstrip("/") + "/") for sock in RUNTIME_SOCKETS)


@rule(id="host-path-mount", title="Pods should not mount host paths", level=Level.WARNING,
      targets=(Workload,), tags=("security",))
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    volumes = w.pod_spec.get("volumes")
    if not isinstance(volumes, list):
        return
    for i, vol in enumerate(volumes):
        if not isinstance(vol, dict) or not isinstance(vol.get("hostPath"), dict):
            continue
        path = str(vol["hostPath"].get("path", ""))
        where = w.pod_spec_path + ("volumes", i, "hostPath")
        if exposes_runtime_socket(path):
            yield Finding(f"volume {vol.get('name')!r} mounts {path!r} from the host, which exposes the container "
                          "runtime socket: this gives root on the node", where, level=Level.ERROR)
        else:
            yield Finding(f"volume {vol.get('name')!r} mounts host path {path!r}; use an emptyDir, a ConfigMap "
                          "or a PersistentVolume instead", where)
