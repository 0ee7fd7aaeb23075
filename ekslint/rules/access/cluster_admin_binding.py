"""cluster-admin-binding: a (Cluster)RoleBinding that grants ``cluster-admin`` to a non-system subject.

``cluster-admin`` is every verb on every resource: a ServiceAccount bound to it turns any bug in
that workload into a cluster takeover, and a user or group bound to it bypasses all review of what
they need. Kubernetes' own subjects (``system:masters``, ``system:kube-controller-manager`` and
other ``system:*`` components) and bootstrap bindings are not reported; the broad groups
``system:authenticated`` and ``system:serviceaccounts[:ns]`` and service account users are.
Bindings to ``system:anonymous``/``system:unauthenticated`` are ``anonymous-binding``'s.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.access._rbac import BINDING_KINDS, Subject, is_bootstrap_rbac, role_ref, subjects

#: ``system:`` subjects that stand for many principals or for workloads: binding them is a choice.
_BROAD = ("system:authenticated", "system:serviceaccounts")


def _system_subject(s: Subject) -> bool:
    if not s.name.startswith("system:"):
        return False
    return not (s.name in _BROAD or s.name.startswith(("system:serviceaccounts:", "system:serviceaccount:")))


@rule(
    id="cluster-admin-binding",
    title="Do not bind cluster-admin",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=BINDING_KINDS,
    tags=("security", "rbac"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if role_ref(obj) != ("ClusterRole", "cluster-admin") or is_bootstrap_rbac(obj):
        return
    scope = "the whole cluster" if obj.kind == "ClusterRoleBinding" else f"namespace {obj.shown_namespace!r}"
    for s in subjects(obj):
        if _system_subject(s) or s.name in ("system:anonymous", "system:unauthenticated"):
            continue
        yield Finding(
            f"{obj.ref} grants cluster-admin over {scope} to {s.describe}; bind a role with only "
            "the verbs and resources it needs",
            ("subjects", s.index),
        )
