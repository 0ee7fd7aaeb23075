"""dangerous-capabilities: added SYS_ADMIN, NET_ADMIN, ALL, ...; NET_RAW not dropped.

Capability names are compared as the container runtimes read them: case-insensitive, with or
without the ``CAP_`` prefix. Capabilities are Linux-only, so Windows pods are skipped. A
privileged container has every capability whatever it adds or drops, so it is left to
``privileged-container``; a kustomize patch file that leaves ``capabilities`` out is not a
container of its own.
"""

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.kustomize_context import is_kustomize_patch
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule

#: Capabilities that break container isolation or give host-level control. The Pod Security
#: Standards (baseline) allow none of them; ``ALL`` includes them all.
DANGEROUS = frozenset(
    {
        "ALL",
        "SYS_ADMIN",
        "NET_ADMIN",
        "SYS_PTRACE",
        "SYS_MODULE",
        "SYS_RAWIO",
        "SYS_BOOT",
        "SYS_TIME",
        "DAC_READ_SEARCH",
        "BPF",
        "PERFMON",
        "MAC_ADMIN",
        "MAC_OVERRIDE",
        "NET_RAW",
        "SYSLOG",
        "SYS_RESOURCE",
        "LINUX_IMMUTABLE",
        "BLOCK_SUSPEND",
        "WAKE_ALARM",
        "AUDIT_CONTROL",
    }
)


def norm_cap(cap: object) -> str:
    """``cap_sys_admin``, ``CAP_SYS_ADMIN`` and ``SYS_ADMIN`` are the same capability."""
    return str(cap).strip().upper().removeprefix("CAP_")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@rule(
    id="dangerous-capabilities",
    title="Containers should not add dangerous capabilities and should drop NET_RAW",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("security",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if w.is_windows:
        return
    patch: bool | None = None
    for c in w.containers:
        caps = c.security_context.get("capabilities")
        caps = caps if isinstance(caps, dict) else {}
        added = _list(caps.get("add"))
        dropped = {norm_cap(x) for x in _list(caps.get("drop"))}
        base = c.path + ("securityContext", "capabilities")
        if c.security_context.get("privileged") is True:
            continue  # it has every capability whatever it adds or drops; privileged-container reports it
        for i, cap in enumerate(added):
            if norm_cap(cap) in DANGEROUS:
                yield Finding(
                    f"{c.describe} adds capability {cap}: drop it, or grant the narrow capability it needs",
                    base + ("add", i),
                )
        if "NET_RAW" in dropped or "ALL" in dropped or any(norm_cap(x) == "NET_RAW" for x in added):
            continue  # dropped, or added on purpose (reported above)
        if "drop" not in caps:
            if patch is None:
                patch = is_kustomize_patch(w, ctx)
            if patch:
                continue  # the base it is merged into may drop it
        yield Finding(
            f"{c.describe} keeps NET_RAW (raw sockets allow ARP and DNS spoofing); "
            "add drop: [ALL] (or NET_RAW) to securityContext.capabilities",
            base + ("drop",) if "drop" in caps else base,
        )
