"""dangerous-capabilities: added SYS_ADMIN, NET_ADMIN, ALL, ...; NET_RAW not dropped."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule

#: Capabilities that break container isolation or give host-level control (CIS 5.2.x, PSS baseline
#: allows none of these; ``ALL`` includes them all).
DANGEROUS = frozenset({
    "ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT", "SYS_TIME",
    "DAC_READ_SEARCH", "BPF", "PERFMON", "MAC_ADMIN", "MAC_OVERRIDE", "NET_RAW", "SYSLOG",
    "SYS_RESOURCE", "LINUX_IMMUTABLE", "BLOCK_SUSPEND", "WAKE_ALARM", "AUDIT_CONTROL",
})


def _norm(cap: object) -> str:
    return str(cap).upper().removeprefix("CAP_")


@rule(id="dangerous-capabilities", title="Containers should not add dangerous capabilities and should drop NET_RAW",
      level=Level.WARNING, targets=(Workload,), tags=("security",))
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if w.is_windows:
        return
    for c in w.containers:
        caps = c.security_context.get("capabilities")
        caps = caps if isinstance(caps, dict) else {}
        added = caps.get("add") if isinstance(caps.get("add"), list) else []
        dropped = {_norm(x) for x in caps.get("drop") or [] if isinstance(caps.get("drop"), list)}
        base = c.path + ("securityContext", "capabilities")
        for i, cap in enumerate(added):
            if _norm(cap) in DANGEROUS:
                yield Finding(f"{c.describe} adds capability {cap}: drop it, or grant the narrow capability it needs",
                              base + ("add", i))
        if c.security_context.get("privileged") is True:
            continue  # privileged-container reports it; dropping caps has no effect there
        if "NET_RAW" not in dropped and "ALL" not in dropped and not any(_norm(x) == "NET_RAW" for x in added):
            yield Finding(f"{c.describe} keeps NET_RAW (raw sockets allow ARP and DNS spoofing); "
                          "add drop: [ALL] (or NET_RAW) to securityContext.capabilities",
                          base + ("drop",) if "drop" in caps else base)
