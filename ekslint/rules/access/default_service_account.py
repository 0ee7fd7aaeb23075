"""default-service-account: a workload runs as its namespace's ``default`` ServiceAccount with
its API token mounted (off by default).

IRSA (the ``eks.amazonaws.com/role-arn`` annotation) and EKS Pod Identity associations grant AWS
permissions per ServiceAccount, and RBAC grants Kubernetes permissions the same way. A workload
on ``default`` shares its identity with every other pod of the namespace that sets no
ServiceAccount: a role given to it goes to all of them, and none of them can be given least
privilege. With the token mounted, any process in the pod can call the API server as that
identity. Skipped when the pod spec sets ``automountServiceAccountToken: false``, or the
``default`` ServiceAccount of the namespace does in the scan, and for Kustomize patches and
partial copies (the base decides), or when an overlay sets the ServiceAccount.

Off by default: most workloads need neither AWS nor API access, and for them ``default`` is
harmless once nothing is granted to it; teams that enforce one ServiceAccount per workload (EKS
Best Practices, Identity and Access Management) turn it on.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.kustomize_context import looks_partial
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import is_patch, overlay_mentions, overridden
from ekslint.rules.wiring._providers import SERVICE_ACCOUNT, catalogue, service_account_of

AUTOMOUNT = "automountServiceAccountToken"


@rule(
    id="default-service-account",
    title="Workloads should run as their own ServiceAccount",
    level=Level.NOTE,
    targets=(Workload,),
    tags=("security", "iam", "irsa"),
    enabled=False,
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    name, key = service_account_of(w)
    if key is not None and name != "default":
        return
    if w.pod_spec.get(AUTOMOUNT) is False or is_patch(w, ctx) or looks_partial(w):
        return
    spec = w.pod_spec_path
    if overridden(w, ctx, (*spec, "serviceAccountName"), (*spec, "serviceAccount"), (*spec, AUTOMOUNT)):
        return
    if overlay_mentions(w, ctx, "serviceAccountName", AUTOMOUNT):
        return
    cat = catalogue(ctx)
    if any(sa.root.get(AUTOMOUNT) is False for sa in cat.objects(w, SERVICE_ACCOUNT, "default", ctx)):
        return
    how = f"sets {key}: default" if key else "sets no serviceAccountName"
    yield Finding(
        f"{w.ref} {how}, so it runs as the namespace's default ServiceAccount with its token "
        "mounted: IRSA or Pod Identity permissions cannot be scoped to it, and whatever is granted "
        "to default goes to every such pod; give it its own ServiceAccount, or set "
        f"{AUTOMOUNT}: false if it needs no API access",
        (*spec, key or "serviceAccountName"),
    )
