"""writable-root-fs: ``readOnlyRootFilesystem`` not true.

The field is container-level only and Linux-only (Windows pods cannot set it). Kustomize patch
files are partial objects and are skipped when they merely leave the field out.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.kustomize_context import is_kustomize_patch
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="writable-root-fs",
    title="Containers should use a read-only root filesystem",
    level=Level.NOTE,
    targets=(Workload,),
    tags=("security",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if w.is_windows:
        return
    patch: bool | None = None
    for c in w.containers:
        value = c.security_context.get("readOnlyRootFilesystem")
        if value is True:
            continue
        if value is False:
            path = c.path + ("securityContext", "readOnlyRootFilesystem")
        else:
            if patch is None:
                patch = is_kustomize_patch(w, ctx)
            if patch:
                continue  # the base it is merged into may set it
            path = c.path + ("securityContext",)
        yield Finding(
            f"{c.describe} has a writable root filesystem; set readOnlyRootFilesystem: true "
            "and mount an emptyDir where it must write",
            path,
        )
