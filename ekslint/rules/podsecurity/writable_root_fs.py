"""writable-root-fs: ``readOnlyRootFilesystem`` not true."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule


@rule(id="writable-root-fs", title="Containers should use a read-only root filesystem", level=Level.NOTE,
      targets=(Workload,), tags=("security",))
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if w.is_windows:
        return
    for c in w.containers:
        value = c.security_context.get("readOnlyRootFilesystem")
        if value is True:
            continue
        path = c.path + ("securityContext", "readOnlyRootFilesystem") if value is False else c.path + ("securityContext",)
        yield Finding(f"{c.describe} has a writable root filesystem; set readOnlyRootFilesystem: true "
                      "and mount an emptyDir where it must write", path)
