"""run-as-root: neither pod nor container sets ``runAsNonRoot: true`` or a non-zero ``runAsUser``.

Container fields win over pod fields, field by field (``Workload.security_value``). A non-zero
``runAsUser`` is enforced whatever the image says, so it passes even without ``runAsNonRoot``.
Windows pods cannot set ``runAsUser``; their equivalent is ``windowsOptions.runAsUserName``
(``ContainerUser`` is unprivileged, ``ContainerAdministrator`` is the administrator). A
kustomize patch file that sets none of these is a partial object, not a finding.
"""

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.kustomize_context import is_kustomize_patch
from ekslint.linter.model import Container, Workload
from ekslint.linter.nodes import NodePath
from ekslint.linter.registry import Finding, Level, rule

#: Windows accounts with administrator rights (HostProcess containers may run as host accounts).
WINDOWS_ADMINS = frozenset({"containeradministrator", "nt authority\\system", "system"})


def _is_uid(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _windows_user(w: Workload, c: Container) -> tuple[Any, NodePath | None]:
    for sc, base in ((c.security_context, c.path), (w.pod_security_context, w.pod_spec_path)):
        opts = sc.get("windowsOptions")
        if isinstance(opts, dict) and opts.get("runAsUserName") is not None:
            return opts["runAsUserName"], base + ("securityContext", "windowsOptions", "runAsUserName")
    return None, None


def _windows(w: Workload, c: Container) -> tuple[Finding, bool] | None:
    """The finding for a Windows container, and whether it is the "nothing set" variant."""
    user, user_at = _windows_user(w, c)
    non_root, non_root_at = w.security_value(c, "runAsNonRoot")
    if isinstance(user, str) and user.strip().lower() in WINDOWS_ADMINS:
        return Finding(
            f"{c.describe} runs as the Windows administrator account {user!r}; use ContainerUser "
            "(a HostProcess container can use 'NT AUTHORITY\\Local service')",
            user_at or c.path,
        ), False
    if (isinstance(user, str) and user.strip()) or non_root is True:
        return None
    if non_root is False:
        return Finding(
            f"{c.describe} sets runAsNonRoot: false, so it runs as ContainerAdministrator when the image does",
            non_root_at or c.path,
        ), False
    return Finding(
        f"{c.describe} may run as ContainerAdministrator: neither it nor the pod sets "
        "runAsNonRoot: true or windowsOptions.runAsUserName: ContainerUser",
        c.path + ("securityContext",),
    ), True


def _linux(w: Workload, c: Container) -> tuple[Finding, bool] | None:
    """The finding for a Linux container, and whether it is the "nothing set" variant."""
    user, user_at = w.security_value(c, "runAsUser")
    non_root, non_root_at = w.security_value(c, "runAsNonRoot")
    if _is_uid(user) and user == 0:
        return Finding(f"{c.describe} runs as UID 0 (root); use a non-zero runAsUser", user_at or c.path), False
    if (_is_uid(user) and user > 0) or non_root is True:
        return None  # a non-root UID is enforced whatever the image says
    if non_root is False:
        return Finding(
            f"{c.describe} sets runAsNonRoot: false and no non-zero runAsUser, so it runs as root when the image does",
            non_root_at or c.path,
        ), False
    return Finding(
        f"{c.describe} may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser",
        c.path + ("securityContext",),
    ), True


@rule(
    id="run-as-root",
    title="Containers should not run as root",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("security",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    patch: bool | None = None
    for c in w.containers:
        found = _windows(w, c) if w.is_windows else _linux(w, c)
        if found is None:
            continue
        finding, unset = found
        if unset:
            if patch is None:
                patch = is_kustomize_patch(w, ctx)
            if patch:
                continue  # the base it is merged into may set them
        yield finding
