"""Deprecated and removed API versions: Kubernetes, Karpenter and the AWS Load Balancer Controller.

Kubernetes rows are generated from ``shared/reference/deprecated-apis.csv`` (facts extracted from
kubernetes/api ``*/*/zz_generated.prerelease-lifecycle.go`` @ 10b39a39bcee (2026-07-24, Apache-2.0);
removals up to 1.32 cross-checked with https://kubernetes.io/docs/reference/using-api/deprecation-guide/
and FairwindsOps/pluto ``versions.yaml`` @ dd5ec8cc). Rows whose removal is after 1.32 are
*projections* (deprecated + 3 minors, not yet in the migration guide): ekslint reports them as
deprecated, never as removed, until the guide confirms them.

Karpenter rows come from ``shared/reference/eks-facts.md`` section 7 (aws/karpenter-provider-aws
website docs upgrading/upgrade-guide.md, v1-migration.md and compatibility.md @ 1d927085): Karpenter
v0.33+ serves only v1beta1, v1.1.0 drops v1beta1, and each Kubernetes minor needs a minimum
Karpenter (1.30 -> 0.37, 1.31 -> 1.0.5, 1.32 -> 1.2). A Karpenter API is therefore "removed" at the
first Kubernetes minor whose minimum Karpenter no longer serves it.

The AWS Load Balancer Controller row: ``elbv2.k8s.aws/v1alpha1`` TargetGroupBinding was promoted to
``v1beta1`` in LBC v2.0.0 (kubernetes-sigs/aws-load-balancer-controller PR #1478); the CRD still
serves v1alpha1 (``served: true, storage: false`` in config/crd/bases/elbv2.k8s.aws_targetgroupbindings.yaml),
so it is deprecated, not removed.

Audit against the migration guide (kubernetes/website ``deprecation-guide.md``, live page newest
section v1.32; ``tests/test_api_lifecycle.py`` checks every row at each boundary): the guide's v1.22
TokenReview and SubjectAccessReview sections were missing and are added (k8s.io/api v0.22
lifecycle: deprecated 1.19, removed 1.22; ``SelfSubjectRulesReview`` went with the rest of
``authorization.k8s.io/v1beta1``). Two "available since" values differ from the guide on purpose:
NetworkPolicy ``networking.k8s.io/v1`` is served since 1.7 (GA in 1.7; the guide says 1.8) and
CSIDriver ``storage.k8s.io/v1`` since 1.18 (GA in 1.18; the guide says 1.19); both precede the
deprecation, so no verdict depends on them.

*Interim* replacements (:attr:`Api.interim`) are the APIs the API server's deprecation warning
named before the guide's replacement was served (k8s.io/api lifecycle of those releases: v0.22
names ``autoscaling/v2beta2`` for ``autoscaling/v2beta1``): ``extensions/v1beta1`` Ingress has
``networking.k8s.io/v1beta1`` from 1.14 until ``networking.k8s.io/v1`` in 1.19. Only APIs enabled
by default are listed (a beta introduced after 1.24 is off by default, and EKS does not turn it on).
"""

from __future__ import annotations

from typing import NamedTuple


class Api(NamedTuple):
    """One apiVersion + kind with its lifecycle in Kubernetes minors (``None``: not applicable).

    ``deprecated_in`` ``None`` means deprecated whatever the target version (an add-on API whose
    deprecation is tied to the add-on release, not to Kubernetes). ``replacement`` is an
    apiVersion (the kind stays the same) or ``"apiVersion Kind"`` when the kind changes, or a
    parenthesised explanation when there is none. ``since`` is the first minor serving the
    replacement. ``projected`` rows are never reported as removed. ``note`` explains add-on rows,
    and rows whose replacement is itself gone at some target. ``interim`` lists older replacements
    served before ``since`` (newest first, as (apiVersion, served since)).
    """

    api_version: str
    kind: str
    deprecated_in: str | None
    removed_in: str | None
    replacement: str
    since: str | None = None
    projected: bool = False
    note: str = ""
    interim: tuple[tuple[str, str], ...] = ()


#: The last Kubernetes minor whose removals the migration guide confirms; later removals are projections.
CONFIRMED_THROUGH = "1.32"

#: apiVersion, kind, deprecated in, removed in, replacement apiVersion ("-": none), replacement served since.
_KUBERNETES_TABLE = """
apps/v1beta1 ControllerRevision 1.8 1.16 apps/v1 1.9
apps/v1beta1 Deployment 1.8 1.16 apps/v1 1.9
apps/v1beta1 StatefulSet 1.8 1.16 apps/v1 1.9
apps/v1beta2 ControllerRevision 1.9 1.16 apps/v1 1.9
apps/v1beta2 DaemonSet 1.9 1.16 apps/v1 1.9
apps/v1beta2 Deployment 1.9 1.16 apps/v1 1.9
apps/v1beta2 ReplicaSet 1.9 1.16 apps/v1 1.9
apps/v1beta2 StatefulSet 1.9 1.16 apps/v1 1.9
extensions/v1beta1 DaemonSet 1.8 1.16 apps/v1 1.9
extensions/v1beta1 Deployment 1.8 1.16 apps/v1 1.9
extensions/v1beta1 NetworkPolicy 1.9 1.16 networking.k8s.io/v1 1.7
extensions/v1beta1 PodSecurityPolicy 1.10 1.16 policy/v1beta1 1.10
extensions/v1beta1 ReplicaSet 1.8 1.16 apps/v1 1.9
scheduling.k8s.io/v1alpha1 PriorityClass 1.14 1.17 scheduling.k8s.io/v1 1.14
flowcontrol.apiserver.k8s.io/v1alpha1 FlowSchema 1.20 1.21 flowcontrol.apiserver.k8s.io/v1beta3 1.26
flowcontrol.apiserver.k8s.io/v1alpha1 PriorityLevelConfiguration 1.20 1.21 flowcontrol.apiserver.k8s.io/v1beta3 1.26
admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration 1.16 1.22 admissionregistration.k8s.io/v1 1.16
admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration 1.16 1.22 admissionregistration.k8s.io/v1 1.16
apiextensions.k8s.io/v1beta1 CustomResourceDefinition 1.16 1.22 apiextensions.k8s.io/v1 1.16
apiregistration.k8s.io/v1beta1 APIService 1.19 1.22 apiregistration.k8s.io/v1 1.10
certificates.k8s.io/v1beta1 CertificateSigningRequest 1.19 1.22 certificates.k8s.io/v1 1.19
coordination.k8s.io/v1beta1 Lease 1.19 1.22 coordination.k8s.io/v1 1.14
authentication.k8s.io/v1beta1 TokenReview 1.19 1.22 authentication.k8s.io/v1 1.6
authorization.k8s.io/v1beta1 LocalSubjectAccessReview 1.19 1.22 authorization.k8s.io/v1 1.6
authorization.k8s.io/v1beta1 SelfSubjectAccessReview 1.19 1.22 authorization.k8s.io/v1 1.6
authorization.k8s.io/v1beta1 SelfSubjectRulesReview 1.19 1.22 authorization.k8s.io/v1 1.8
authorization.k8s.io/v1beta1 SubjectAccessReview 1.19 1.22 authorization.k8s.io/v1 1.6
extensions/v1beta1 Ingress 1.14 1.22 networking.k8s.io/v1 1.19
networking.k8s.io/v1beta1 Ingress 1.19 1.22 networking.k8s.io/v1 1.19
networking.k8s.io/v1beta1 IngressClass 1.19 1.22 networking.k8s.io/v1 1.19
rbac.authorization.k8s.io/v1alpha1 ClusterRole 1.17 1.22 rbac.authorization.k8s.io/v1 1.8
rbac.authorization.k8s.io/v1alpha1 ClusterRoleBinding 1.17 1.22 rbac.authorization.k8s.io/v1 1.8
rbac.authorization.k8s.io/v1alpha1 Role 1.17 1.22 rbac.authorization.k8s.io/v1 1.8
rbac.authorization.k8s.io/v1alpha1 RoleBinding 1.17 1.22 rbac.authorization.k8s.io/v1 1.8
rbac.authorization.k8s.io/v1beta1 ClusterRole 1.17 1.22 rbac.authorization.k8s.io/v1 1.8
rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding 1.17 1.22 rbac.authorization.k8s.io/v1 1.8
rbac.authorization.k8s.io/v1beta1 Role 1.17 1.22 rbac.authorization.k8s.io/v1 1.8
rbac.authorization.k8s.io/v1beta1 RoleBinding 1.17 1.22 rbac.authorization.k8s.io/v1 1.8
scheduling.k8s.io/v1beta1 PriorityClass 1.14 1.22 scheduling.k8s.io/v1 1.14
storage.k8s.io/v1beta1 CSIDriver 1.19 1.22 storage.k8s.io/v1 1.18
storage.k8s.io/v1beta1 CSINode 1.17 1.22 storage.k8s.io/v1 1.17
storage.k8s.io/v1beta1 StorageClass 1.19 1.22 storage.k8s.io/v1 1.6
storage.k8s.io/v1beta1 VolumeAttachment 1.19 1.22 storage.k8s.io/v1 1.13
storage.k8s.io/v1alpha1 CSIStorageCapacity 1.21 1.24 storage.k8s.io/v1beta1 1.21
storage.k8s.io/v1alpha1 VolumeAttachment 1.21 1.24 storage.k8s.io/v1 1.13
autoscaling/v2beta1 HorizontalPodAutoscaler 1.22 1.25 autoscaling/v2 1.23
batch/v1beta1 CronJob 1.21 1.25 batch/v1 1.21
discovery.k8s.io/v1beta1 EndpointSlice 1.21 1.25 discovery.k8s.io/v1 1.21
events.k8s.io/v1beta1 Event 1.22 1.25 events.k8s.io/v1 1.19
node.k8s.io/v1beta1 RuntimeClass 1.22 1.25 node.k8s.io/v1 1.20
policy/v1beta1 PodDisruptionBudget 1.21 1.25 policy/v1 1.21
policy/v1beta1 PodSecurityPolicy 1.21 1.25 - 1.23
autoscaling/v2beta2 HorizontalPodAutoscaler 1.23 1.26 autoscaling/v2 1.23
flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema 1.23 1.26 flowcontrol.apiserver.k8s.io/v1beta3 1.26
flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration 1.23 1.26 flowcontrol.apiserver.k8s.io/v1beta3 1.26
storage.k8s.io/v1beta1 CSIStorageCapacity 1.24 1.27 storage.k8s.io/v1 1.24
flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema 1.26 1.29 flowcontrol.apiserver.k8s.io/v1beta3 1.26
flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfiguration 1.26 1.29 flowcontrol.apiserver.k8s.io/v1beta3 1.26
admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicy 1.29 1.32 admissionregistration.k8s.io/v1 1.30
admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicyBinding 1.29 1.32 admissionregistration.k8s.io/v1 1.30
flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema 1.29 1.32 flowcontrol.apiserver.k8s.io/v1 1.29
flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration 1.29 1.32 flowcontrol.apiserver.k8s.io/v1 1.29
networking.k8s.io/v1alpha1 IPAddress 1.30 1.33 networking.k8s.io/v1 1.33
networking.k8s.io/v1alpha1 ServiceCIDR 1.30 1.33 networking.k8s.io/v1 1.33
admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy 1.31 1.34 admissionregistration.k8s.io/v1 1.30
admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBinding 1.31 1.34 admissionregistration.k8s.io/v1 1.30
storage.k8s.io/v1alpha1 VolumeAttributesClass 1.32 1.35 storage.k8s.io/v1 1.34
storagemigration.k8s.io/v1alpha1 StorageVersionMigration 1.33 1.36 storagemigration.k8s.io/v1beta1 1.35
certificates.k8s.io/v1alpha1 ClusterTrustBundle 1.34 1.37 certificates.k8s.io/v1beta1 1.33
coordination.k8s.io/v1alpha1 LeaseCandidate 1.34 1.37 coordination.k8s.io/v1alpha2 1.32
networking.k8s.io/v1beta1 IPAddress 1.34 1.37 networking.k8s.io/v1 1.33
networking.k8s.io/v1beta1 ServiceCIDR 1.34 1.37 networking.k8s.io/v1 1.33
storage.k8s.io/v1beta1 VolumeAttributesClass 1.34 1.37 storage.k8s.io/v1 1.34
admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicy 1.35 1.38 admissionregistration.k8s.io/v1 1.36
admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicyBinding 1.35 1.38 admissionregistration.k8s.io/v1 1.36
coordination.k8s.io/v1alpha2 LeaseCandidate 1.35 1.38 coordination.k8s.io/v1beta1 1.33
resource.k8s.io/v1beta1 DeviceClass 1.35 1.38 resource.k8s.io/v1 1.34
resource.k8s.io/v1beta1 ResourceClaim 1.35 1.38 resource.k8s.io/v1 1.34
resource.k8s.io/v1beta1 ResourceClaimTemplate 1.35 1.38 resource.k8s.io/v1 1.34
resource.k8s.io/v1beta1 ResourceSlice 1.35 1.38 resource.k8s.io/v1 1.34
coordination.k8s.io/v1beta1 LeaseCandidate 1.36 1.39 - -
resource.k8s.io/v1alpha3 DeviceTaintRule 1.36 1.39 resource.k8s.io/v1beta2 1.36
resource.k8s.io/v1beta2 DeviceClass 1.36 1.39 resource.k8s.io/v1 1.34
resource.k8s.io/v1beta2 ResourceClaim 1.36 1.39 resource.k8s.io/v1 1.34
resource.k8s.io/v1beta2 ResourceClaimTemplate 1.36 1.39 resource.k8s.io/v1 1.34
resource.k8s.io/v1beta2 ResourceSlice 1.36 1.39 resource.k8s.io/v1 1.34
"""

#: Explanations for rows whose replacement is not simply another apiVersion of the same kind.
_NOTES = {
    ("policy/v1beta1", "PodSecurityPolicy"): "no replacement API: use Pod Security Admission "
    "(pod-security.kubernetes.io/* namespace labels)",
    ("extensions/v1beta1", "PodSecurityPolicy"): "policy/v1beta1 was itself removed in 1.25: use Pod Security "
    "Admission (pod-security.kubernetes.io/* namespace labels)",
    ("coordination.k8s.io/v1beta1", "LeaseCandidate"): "no GA version yet",
}


_FLOWCONTROL_KINDS = ("FlowSchema", "PriorityLevelConfiguration")

#: Older replacements, newest first, for the releases before the row's replacement was served.
_INTERIM: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("extensions/v1beta1", "Ingress"): (("networking.k8s.io/v1beta1", "1.14"),),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): (("autoscaling/v2beta2", "1.12"),),
    **{
        ("flowcontrol.apiserver.k8s.io/v1alpha1", k): (("flowcontrol.apiserver.k8s.io/v1beta1", "1.20"),)
        for k in _FLOWCONTROL_KINDS
    },
    **{
        ("flowcontrol.apiserver.k8s.io/v1beta1", k): (("flowcontrol.apiserver.k8s.io/v1beta2", "1.23"),)
        for k in _FLOWCONTROL_KINDS
    },
}


def _parse(table: str) -> tuple[Api, ...]:
    rows = []
    for line in table.strip().splitlines():
        api_version, kind, deprecated, removed, replacement, since = line.split()
        rows.append(
            Api(
                api_version,
                kind,
                deprecated,
                removed,
                "" if replacement == "-" else replacement,
                None if since == "-" else since,
                projected=_minor(removed) > _minor(CONFIRMED_THROUGH),
                note=_NOTES.get((api_version, kind), ""),
                interim=_INTERIM.get((api_version, kind), ()),
            )
        )
    return tuple(rows)


def _minor(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


KUBERNETES: tuple[Api, ...] = _parse(_KUBERNETES_TABLE)

_KARPENTER_V1ALPHA5 = (
    "Karpenter v0.33+ serves only v1beta1 and v1.1+ only v1; Kubernetes 1.30 needs Karpenter 0.37 or newer"
)
_KARPENTER_V1BETA1 = "Karpenter v1.1.0 dropped v1beta1; Kubernetes 1.32 needs Karpenter 1.2 or newer"

KARPENTER: tuple[Api, ...] = (
    Api("karpenter.sh/v1alpha5", "Provisioner", None, "1.30", "karpenter.sh/v1 NodePool", note=_KARPENTER_V1ALPHA5),
    Api("karpenter.sh/v1alpha5", "Machine", None, "1.30", "karpenter.sh/v1 NodeClaim", note=_KARPENTER_V1ALPHA5),
    Api(
        "karpenter.k8s.aws/v1alpha1",
        "AWSNodeTemplate",
        None,
        "1.30",
        "karpenter.k8s.aws/v1 EC2NodeClass",
        note=_KARPENTER_V1ALPHA5,
    ),
    Api("karpenter.sh/v1beta1", "NodePool", "1.31", "1.32", "karpenter.sh/v1", note=_KARPENTER_V1BETA1),
    Api("karpenter.sh/v1beta1", "NodeClaim", "1.31", "1.32", "karpenter.sh/v1", note=_KARPENTER_V1BETA1),
    Api("karpenter.k8s.aws/v1beta1", "EC2NodeClass", "1.31", "1.32", "karpenter.k8s.aws/v1", note=_KARPENTER_V1BETA1),
)

AWS_LOAD_BALANCER_CONTROLLER: tuple[Api, ...] = (
    Api(
        "elbv2.k8s.aws/v1alpha1",
        "TargetGroupBinding",
        None,
        None,
        "elbv2.k8s.aws/v1beta1",
        note="v1beta1 is the stored version since LBC v2.0.0; v1alpha1 is served only for conversion",
    ),
)

ALL: tuple[Api, ...] = KUBERNETES + KARPENTER + AWS_LOAD_BALANCER_CONTROLLER

#: Lookup by (apiVersion, kind).
BY_API_KIND: dict[tuple[str, str], Api] = {(a.api_version, a.kind): a for a in ALL}
