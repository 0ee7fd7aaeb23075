"""privilege-escalation: ``allowPrivilegeEscalation`` not set to false.

The field is container-level only (there is no pod-level default) and Linux-only: Windows pods
are skipped, as the Pod Security Standards do. Privileged containers and containers that add
``SYS_ADMIN`` are skipped too: the API server rejects ``allowPrivilegeEscalation: false`` on
them, and ``privileged-container``/``dangerous-capabilities`` already report the real problem.
A kustomize patch file that leaves the field out is a partial object, not a finding.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.kustomize_context import is_kustomize_patch
from ekslint.linter.model import Container, Workload
from ekslint.linter.registry import Finding, Level, rule


def _escalation_is_inherent(c: Container) -> bool:
    if c.security_context.get("privileged") is True:
        return True
    caps = c.security_context.get("capabilities")
    added = caps.get("add") if isinstance(caps, dict) else None
    return isinstance(added, list) and any(str(x).upper().removeprefix("CAP_") == "SYS_ADMIN" for x in added)


@rule(
    id="privilege-escalation",
    title="Containers should set allowPrivilegeEscalation: false",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("security",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if w.is_windows:  # a Linux-only field (Pod Security Standards skip Windows pods)
        return
    patch: bool | None = None
    for c in w.containers:
        value = c.security_context.get("allowPrivilegeEscalation")
        if value is False or _escalation_is_inherent(c):
            continue
        if value is True:
            yield Finding(
                f"{c.describe} sets allowPrivilegeEscalation: true; set it to false",
                c.path + ("securityContext", "allowPrivilegeEscalation"),
            )
        else:
            if patch is None:
                patch = is_kustomize_patch(w, ctx)
            if patch:
                continue  # a kustomize patch is partial: the base it is merged into may set it
            yield Finding(
                f"{c.describe} does not set securityContext.allowPrivilegeEscalation: false, "
                "so setuid binaries can gain privileges",
                c.path + ("securityContext",),
            )
