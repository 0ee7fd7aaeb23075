"""host-namespaces: ``hostNetwork``, ``hostPID`` or ``hostIPC``."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule

WHAT = {
    "hostNetwork": "the node's network namespace (it can reach every node port and sniff node traffic)",
    "hostPID": "the node's process namespace (it can see and signal every process on the node)",
    "hostIPC": "the node's IPC namespace (shared memory of every process on the node)",
}


@rule(
    id="host-namespaces",
    title="Pods must not share the host's namespaces",
    level=Level.ERROR,
    targets=(Workload,),
    tags=("security",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for key, what in WHAT.items():
        if w.pod_spec.get(key) is True:
            yield Finding(f"{w.kind} {w.name!r} sets {key}: true and shares {what}", w.pod_spec_path + (key,))
