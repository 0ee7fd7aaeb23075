"""privilege-escalation: ``allowPrivilegeEscalation`` not set to false."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule


@rule(id="privilege-escalation", title="Containers should set allowPrivilegeEscalation: false",
      level=Level.WARNING, targets=(Workload,), tags=("security",))
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if w.is_windows:  # a Linux-only field (Pod Security Standards skip Windows pods)
        return
    for c in w.containers:
        value = c.security_context.get("allowPrivilegeEscalation")
        if value is False:
            continue
        if value is True:
            yield Finding(f"{c.describe} sets allowPrivilegeEscalation: true; set it to false",
                          c.path + ("securityContext", "allowPrivilegeEscalation"))
        else:
            yield Finding(f"{c.describe} does not set securityContext.allowPrivilegeEscalation: false, "
                          "so setuid binaries can gain privileges", c.path + ("securityContext",))
