"""service-account-missing: a pod's ``serviceAccountName`` names no ServiceAccount of its namespace.

The ServiceAccount admission plugin rejects a pod whose ServiceAccount does not exist, so the
controller's pods are never created: a Deployment sits at 0 available replicas with
``FailedCreate`` events (``serviceaccount "x" not found``), a Job never runs. On EKS the
ServiceAccount is also where IRSA (``eks.amazonaws.com/role-arn``) and Pod Identity associations
attach AWS permissions, so a misspelt name also loses them. ``default`` always exists and is
skipped; the deprecated ``serviceAccount`` alias is read when ``serviceAccountName`` is unset.

Partial input: reported only when the scan holds a ServiceAccount of the pod's namespace shipped
with it (same file, same Kustomization, a folder above or below), and nothing the scan shows
creates the name: eksctl ``iam.serviceAccounts`` and Pod Identity associations with
``createServiceAccount``, the EKS add-ons' ServiceAccounts in ``kube-system``, Kubeflow profiles,
OLM ClusterServiceVersions, or an operator's custom resource of that name (see
:mod:`._providers`).
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.wiring._providers import SERVICE_ACCOUNT, catalogue, service_account_of, valid_name


@rule(
    id="service-account-missing",
    title="Pods should run as an existing ServiceAccount",
    level=Level.ERROR,
    targets=(Workload,),
    tags=("iam", "rbac"),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    name, key = service_account_of(w)
    if key is None or name == "default" or not valid_name(name):
        return
    cat = catalogue(ctx)
    if cat.objects(w, SERVICE_ACCOUNT, name, ctx) or cat.created(w, SERVICE_ACCOUNT, name, ctx):
        return
    # Partial input: silent unless ServiceAccounts of this namespace are shipped with the pod.
    shipped = cat.evidence(w, SERVICE_ACCOUNT, ctx)
    if not shipped:
        return
    ns = w.shown_namespace
    yield Finding(
        f"ServiceAccount {name!r} is not defined in namespace {ns!r} (the scan has {shipped} other "
        f"ServiceAccount(s) there beside {w.ref}): admission rejects its pods, so none are created; "
        "fix the name or add the ServiceAccount",
        (*w.pod_spec_path, key),
    )
