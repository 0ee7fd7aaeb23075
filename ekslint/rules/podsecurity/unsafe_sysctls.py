"""unsafe-sysctls: pod ``securityContext.sysctls`` outside the Pod Security Standards baseline safe set.

The safe set grows with the Kubernetes version (``ekslint/data/pss_sysctls.py``), so each name is
judged against the policy version that applies (``_psa.policy_version``: the scan's target, or
an older ``enforce-version`` the workload's Namespace pins). A name that only becomes safe in a
later version is reported with that version. Pod Security Admission compares names as written,
so the slash spelling of a safe sysctl (``net/ipv4/ip_local_port_range``) is reported too, with
the dotted spelling to use. Every pod is checked, Windows ones included: the baseline check has
no Windows exemption (and the API server rejects sysctls on ``os.name: windows`` pods anyway).
"""

from collections.abc import Iterator

from ekslint.data.pss_sysctls import is_safe, safe_since
from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.podsecurity._psa import policy_version


def dotted(name: str) -> str:
    """The dotted spelling of a sysctl the kubelet also accepts with slashes (``net/ipv4/x``).

    As in the kubelet, when the name has both, the first separator wins: dots and slashes swap.
    """
    first_slash, first_dot = name.find("/"), name.find(".")
    if first_slash == -1 or (first_dot != -1 and first_dot < first_slash):
        return name
    return name.translate(str.maketrans("/.", "./"))


@rule(
    id="unsafe-sysctls",
    title="Pods must set only the safe sysctls of the Pod Security Standards baseline",
    level=Level.ERROR,
    targets=(Workload,),
    tags=("security",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    sysctls = w.pod_security_context.get("sysctls")
    if not isinstance(sysctls, list) or not sysctls:
        return
    policy = policy_version(w, ctx)
    base = w.pod_spec_path + ("securityContext", "sysctls")
    for i, item in enumerate(sysctls):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            continue
        name: str = item["name"].strip()
        where = base + (i, "name")
        if is_safe(name, policy.minor):
            continue
        spelled = dotted(name)
        if spelled != name and is_safe(spelled, policy.minor):
            yield Finding(
                f"{w.kind} {w.name!r} sets sysctl {name!r}: Pod Security Admission compares names as written, "
                f"so baseline namespaces reject the slash spelling of a safe sysctl; write {spelled!r}",
                where,
            )
            continue
        since = safe_since(spelled)
        if since is not None:
            kubelet = "" if policy.pinned else " and kubelets older than that refuse to start it (SysctlForbidden)"
            yield Finding(
                f"{w.kind} {w.name!r} sets sysctl {spelled!r}, which the Pod Security Standards baseline allows "
                f"only from Kubernetes {since}, but {policy.why}: {policy.rejects}{kubelet}; {policy.until(since)}",
                where,
            )
            continue
        yield Finding(
            f"{w.kind} {w.name!r} sets sysctl {name!r}, which is not in the Pod Security Standards baseline "
            "safe set: it can affect the node or other pods, baseline namespaces reject the pod, and the kubelet "
            "refuses to start it (SysctlForbidden) unless the node allows it in allowedUnsafeSysctls; tune it on "
            "the nodes instead, or drop it",
            where,
        )
