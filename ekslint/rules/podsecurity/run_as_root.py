"""run-as-root: neither pod nor container sets ``runAsNonRoot: true`` or a non-zero ``runAsUser``."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule


@rule(id="run-as-root", title="Containers should not run as root", level=Level.WARNING,
      targets=(Workload,), tags=("security",))
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in w.containers:
        user, user_at = w.security_value(c, "runAsUser")
        non_root, non_root_at = w.security_value(c, "runAsNonRoot")
        if user == 0 and not isinstance(user, bool):
            yield Finding(f"{c.describe} runs as UID 0 (root); use a non-zero runAsUser", user_at or c.path)
        elif isinstance(user, int) and not isinstance(user, bool) and user > 0:
            continue  # a non-root UID is enforced whatever the image says
        elif non_root is True:
            continue
        elif non_root is False:
            yield Finding(f"{c.describe} sets runAsNonRoot: false and no non-zero runAsUser, "
                          "so it runs as root when the image does", non_root_at or c.path)
        else:
            yield Finding(f"{c.describe} may run as root: neither it nor the pod sets runAsNonRoot: true "
                          "or a non-zero runAsUser", c.path + ("securityContext",))
