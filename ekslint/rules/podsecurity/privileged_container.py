"""privileged-container: ``securityContext.privileged: true``."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="privileged-container",
    title="Containers must not run privileged",
    level=Level.ERROR,
    targets=(Workload,),
    tags=("security",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in w.containers:
        if c.security_context.get("privileged") is True:
            yield Finding(
                f"{c.describe} runs privileged: it has every capability and all host devices; "
                "set privileged: false and add only the capabilities it needs",
                c.path + ("securityContext", "privileged"),
            )
