"""host-path-mount: a ``hostPath`` volume; error for the container runtime socket.

The error variant covers the socket itself (any containerd, Docker, CRI-O or cri-dockerd socket
path), a folder that contains one of the standard socket paths (``/var/run``, ``/run``, ``/``),
and the Windows named pipes of containerd and Docker.
"""

import posixpath
from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule

#: Container runtime sockets: whoever can write to one controls every container on the node.
RUNTIME_SOCKETS = (
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/run/cri-dockerd.sock",
    "/var/run/dockershim.sock",
)
#: Socket file names, wherever they live (k3s and snaps move them).
SOCKET_NAMES = frozenset({"docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock", "dockershim.sock"})
#: Windows named pipes of the runtimes (``\\.\pipe\containerd-containerd``, ``\\.\pipe\docker_engine``).
WINDOWS_PIPES = ("containerd-containerd", "docker_engine")


def exposes_runtime_socket(path: str) -> bool:
    """The socket itself, a folder that contains one (``/var/run``, ``/``), or a runtime pipe."""
    lowered = path.strip().lower().replace("/", "\\")
    if lowered.startswith("\\\\.\\pipe\\"):
        return lowered.removeprefix("\\\\.\\pipe\\") in WINDOWS_PIPES
    norm = posixpath.normpath(path.strip()) if path.strip() else ""
    if not norm.startswith("/"):
        return False
    if posixpath.basename(norm) in SOCKET_NAMES:
        return True
    return any(sock == norm or sock.startswith(norm.rstrip("/") + "/") for sock in RUNTIME_SOCKETS)


@rule(
    id="host-path-mount",
    title="Pods should not mount host paths",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("security",),
)
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
            what = "is" if posixpath.basename(path.rstrip("/")) in SOCKET_NAMES or "pipe" in path else "contains"
            yield Finding(
                f"volume {vol.get('name')!r} mounts {path!r} from the host, which {what} the container "
                "runtime socket: whoever can use it controls every container on the node",
                where,
                level=Level.ERROR,
            )
        else:
            yield Finding(
                f"volume {vol.get('name')!r} mounts host path {path!r}; use an emptyDir, a ConfigMap "
                "or a PersistentVolume instead",
                where,
            )
