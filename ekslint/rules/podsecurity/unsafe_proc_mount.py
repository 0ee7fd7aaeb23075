"""unsafe-proc-mount: a container ``securityContext.procMount: Unmasked``.

``Unmasked`` drops the runtime's masks and read-only mounts over ``/proc`` (``/proc/kcore``,
``/proc/sys``, ``/proc/sysrq-trigger``, ...). In a user namespace (``spec.hostUsers: false``) the
kernel's ID checks protect those files instead, so the Pod Security Standards baseline allows it
there from Kubernetes 1.35 (``check_procMount_baseline.go``); such a pod is reported only when the
policy version that applies (``_psa.policy_version``) is older. Only the exact value ``Unmasked``
is reported: anything else but ``Default`` fails API validation (``schema-invalid``).
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.podsecurity._psa import PolicyVersion, policy_version

#: The first Kubernetes minor whose baseline policy allows Unmasked in a user namespace.
USERNS_ALLOWED_FROM = 35


@rule(
    id="unsafe-proc-mount",
    title="Containers must not unmask /proc",
    level=Level.ERROR,
    targets=(Workload,),
    tags=("security",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    in_userns = w.pod_spec.get("hostUsers") is False
    policy: PolicyVersion | None = None
    for c in w.containers:
        if c.security_context.get("procMount") != "Unmasked":
            continue
        where = c.path + ("securityContext", "procMount")
        if not in_userns:
            yield Finding(
                f"{c.describe} sets procMount: Unmasked: it sees /proc without the runtime's masks and read-only "
                "paths (/proc/kcore, /proc/keys, /proc/sys, /proc/sysrq-trigger of the node's kernel); the Pod "
                "Security Standards baseline forbids it and current API servers reject it without "
                "spec.hostUsers: false; remove it",
                where,
            )
            continue
        if policy is None:
            policy = policy_version(w, ctx)
        if policy.minor < USERNS_ALLOWED_FROM:
            yield Finding(
                f"{c.describe} sets procMount: Unmasked in a user namespace (hostUsers: false), which the Pod "
                f"Security Standards baseline allows only from Kubernetes 1.{USERNS_ALLOWED_FROM}, but {policy.why}: "
                f"{policy.rejects}; {policy.until(f'1.{USERNS_ALLOWED_FROM}')}",
                where,
            )
