"""anonymous-binding: a binding whose subject is ``system:anonymous`` or ``system:unauthenticated``.

Such a binding gives its permissions to every request that reaches the API server without
credentials: on an EKS cluster with a public endpoint, that is the whole internet. Kubernetes'
own ``system:public-info-viewer`` role (health and version endpoints) and
``system:service-account-issuer-discovery`` (the public OIDC keys) are meant for anonymous callers
and are not reported.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.access._rbac import BINDING_KINDS, role_ref, subjects

_ANONYMOUS = {
    ("User", "system:anonymous"): "every anonymous request",
    ("Group", "system:unauthenticated"): "every unauthenticated request",
}
#: Bootstrap roles meant for anonymous callers: health and version endpoints, and the service
#: account issuer's public OIDC discovery document and keys (Kubernetes documents binding it to
#: system:unauthenticated so that external systems can verify tokens).
_SAFE_ROLES = {("ClusterRole", "system:public-info-viewer"), ("ClusterRole", "system:service-account-issuer-discovery")}


@rule(
    id="anonymous-binding",
    title="Do not bind roles to anonymous users",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=BINDING_KINDS,
    tags=("security", "rbac"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    ref = role_ref(obj)
    if ref in _SAFE_ROLES:
        return
    for s in subjects(obj):
        who = _ANONYMOUS.get((s.kind, s.name))
        if who:
            yield Finding(
                f"{obj.ref} grants {ref[0]} {ref[1]!r} to {s.name} ({who}, e.g. from the internet "
                "through a public endpoint); remove this subject",
                ("subjects", s.index),
            )
