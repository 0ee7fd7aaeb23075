"""The removed/deprecated API table, audited at every boundary against the Kubernetes migration guide.

``GUIDE`` below is written independently of ``ekslint.data.deprecated_apis``: for each apiVersion and
kind, the minor it is deprecated in, the minor it is removed in (``~1.33`` = a projection, not yet in
the guide) and *what to move to* for each range of target versions, as the deprecation guide
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/) and the API server's own
deprecation warnings of each release (k8s.io/api ``zz_generated.prerelease-lifecycle.go``) name it.
``extensions/v1beta1`` Ingress, for example, is deprecated from 1.14 with
``networking.k8s.io/v1beta1`` to move to until ``networking.k8s.io/v1`` is served in 1.19.

Every entry is scanned at version - 1, version and version + 1 of each of its boundaries (in fact at
the union of all of them): ``removed-api`` from the removal on, ``deprecated-api`` while deprecated
with something to move to, nothing otherwise, and the message names the replacement of that range.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from ekslint.data.deprecated_apis import ALL, KUBERNETES
from ekslint.linter.config import Settings
from ekslint.linter.engine import lint

# apiVersion  kind  deprecated-in  removed-in  replacement:from-to ... ("-": no replacement API; an open
# range ends with "-"; "~" marks a projected removal)
GUIDE = """
apps/v1beta1 ControllerRevision 1.8 1.16 apps/v1:1.9-
apps/v1beta1 Deployment 1.8 1.16 apps/v1:1.9-
apps/v1beta1 StatefulSet 1.8 1.16 apps/v1:1.9-
apps/v1beta2 ControllerRevision 1.9 1.16 apps/v1:1.9-
apps/v1beta2 DaemonSet 1.9 1.16 apps/v1:1.9-
apps/v1beta2 Deployment 1.9 1.16 apps/v1:1.9-
apps/v1beta2 ReplicaSet 1.9 1.16 apps/v1:1.9-
apps/v1beta2 StatefulSet 1.9 1.16 apps/v1:1.9-
extensions/v1beta1 DaemonSet 1.8 1.16 apps/v1:1.9-
extensions/v1beta1 Deployment 1.8 1.16 apps/v1:1.9-
extensions/v1beta1 NetworkPolicy 1.9 1.16 networking.k8s.io/v1:1.7-
extensions/v1beta1 PodSecurityPolicy 1.10 1.16 policy/v1beta1:1.10-1.24
extensions/v1beta1 ReplicaSet 1.8 1.16 apps/v1:1.9-
scheduling.k8s.io/v1alpha1 PriorityClass 1.14 1.17 scheduling.k8s.io/v1:1.14-
flowcontrol.apiserver.k8s.io/v1alpha1 FlowSchema 1.20 1.21 flowcontrol.apiserver.k8s.io/v1beta1:1.20-1.22 flowcontrol.apiserver.k8s.io/v1beta2:1.23-1.25 flowcontrol.apiserver.k8s.io/v1beta3:1.26-1.28 flowcontrol.apiserver.k8s.io/v1:1.29-
flowcontrol.apiserver.k8s.io/v1alpha1 PriorityLevelConfiguration 1.20 1.21 flowcontrol.apiserver.k8s.io/v1beta1:1.20-1.22 flowcontrol.apiserver.k8s.io/v1beta2:1.23-1.25 flowcontrol.apiserver.k8s.io/v1beta3:1.26-1.28 flowcontrol.apiserver.k8s.io/v1:1.29-
admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration 1.16 1.22 admissionregistration.k8s.io/v1:1.16-
admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration 1.16 1.22 admissionregistration.k8s.io/v1:1.16-
apiextensions.k8s.io/v1beta1 CustomResourceDefinition 1.16 1.22 apiextensions.k8s.io/v1:1.16-
apiregistration.k8s.io/v1beta1 APIService 1.19 1.22 apiregistration.k8s.io/v1:1.10-
authentication.k8s.io/v1beta1 TokenReview 1.19 1.22 authentication.k8s.io/v1:1.6-
authorization.k8s.io/v1beta1 LocalSubjectAccessReview 1.19 1.22 authorization.k8s.io/v1:1.6-
authorization.k8s.io/v1beta1 SelfSubjectAccessReview 1.19 1.22 authorization.k8s.io/v1:1.6-
authorization.k8s.io/v1beta1 SelfSubjectRulesReview 1.19 1.22 authorization.k8s.io/v1:1.8-
authorization.k8s.io/v1beta1 SubjectAccessReview 1.19 1.22 authorization.k8s.io/v1:1.6-
certificates.k8s.io/v1beta1 CertificateSigningRequest 1.19 1.22 certificates.k8s.io/v1:1.19-
coordination.k8s.io/v1beta1 Lease 1.19 1.22 coordination.k8s.io/v1:1.14-
extensions/v1beta1 Ingress 1.14 1.22 networking.k8s.io/v1beta1:1.14-1.18 networking.k8s.io/v1:1.19-
networking.k8s.io/v1beta1 Ingress 1.19 1.22 networking.k8s.io/v1:1.19-
networking.k8s.io/v1beta1 IngressClass 1.19 1.22 networking.k8s.io/v1:1.19-
rbac.authorization.k8s.io/v1alpha1 ClusterRole 1.17 1.22 rbac.authorization.k8s.io/v1:1.8-
rbac.authorization.k8s.io/v1alpha1 ClusterRoleBinding 1.17 1.22 rbac.authorization.k8s.io/v1:1.8-
rbac.authorization.k8s.io/v1alpha1 Role 1.17 1.22 rbac.authorization.k8s.io/v1:1.8-
rbac.authorization.k8s.io/v1alpha1 RoleBinding 1.17 1.22 rbac.authorization.k8s.io/v1:1.8-
rbac.authorization.k8s.io/v1beta1 ClusterRole 1.17 1.22 rbac.authorization.k8s.io/v1:1.8-
rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding 1.17 1.22 rbac.authorization.k8s.io/v1:1.8-
rbac.authorization.k8s.io/v1beta1 Role 1.17 1.22 rbac.authorization.k8s.io/v1:1.8-
rbac.authorization.k8s.io/v1beta1 RoleBinding 1.17 1.22 rbac.authorization.k8s.io/v1:1.8-
scheduling.k8s.io/v1beta1 PriorityClass 1.14 1.22 scheduling.k8s.io/v1:1.14-
storage.k8s.io/v1beta1 CSIDriver 1.19 1.22 storage.k8s.io/v1:1.18-
storage.k8s.io/v1beta1 CSINode 1.17 1.22 storage.k8s.io/v1:1.17-
storage.k8s.io/v1beta1 StorageClass 1.19 1.22 storage.k8s.io/v1:1.6-
storage.k8s.io/v1beta1 VolumeAttachment 1.19 1.22 storage.k8s.io/v1:1.13-
storage.k8s.io/v1alpha1 CSIStorageCapacity 1.21 1.24 storage.k8s.io/v1beta1:1.21-1.23 storage.k8s.io/v1:1.24-
storage.k8s.io/v1alpha1 VolumeAttachment 1.21 1.24 storage.k8s.io/v1:1.13-
autoscaling/v2beta1 HorizontalPodAutoscaler 1.22 1.25 autoscaling/v2beta2:1.12-1.22 autoscaling/v2:1.23-
batch/v1beta1 CronJob 1.21 1.25 batch/v1:1.21-
discovery.k8s.io/v1beta1 EndpointSlice 1.21 1.25 discovery.k8s.io/v1:1.21-
events.k8s.io/v1beta1 Event 1.22 1.25 events.k8s.io/v1:1.19-
node.k8s.io/v1beta1 RuntimeClass 1.22 1.25 node.k8s.io/v1:1.20-
policy/v1beta1 PodDisruptionBudget 1.21 1.25 policy/v1:1.21-
policy/v1beta1 PodSecurityPolicy 1.21 1.25 -:1.23-
autoscaling/v2beta2 HorizontalPodAutoscaler 1.23 1.26 autoscaling/v2:1.23-
flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema 1.23 1.26 flowcontrol.apiserver.k8s.io/v1beta2:1.23-1.25 flowcontrol.apiserver.k8s.io/v1beta3:1.26-1.28 flowcontrol.apiserver.k8s.io/v1:1.29-
flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration 1.23 1.26 flowcontrol.apiserver.k8s.io/v1beta2:1.23-1.25 flowcontrol.apiserver.k8s.io/v1beta3:1.26-1.28 flowcontrol.apiserver.k8s.io/v1:1.29-
storage.k8s.io/v1beta1 CSIStorageCapacity 1.24 1.27 storage.k8s.io/v1:1.24-
flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema 1.26 1.29 flowcontrol.apiserver.k8s.io/v1beta3:1.26-1.28 flowcontrol.apiserver.k8s.io/v1:1.29-
flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfiguration 1.26 1.29 flowcontrol.apiserver.k8s.io/v1beta3:1.26-1.28 flowcontrol.apiserver.k8s.io/v1:1.29-
admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicy 1.29 1.32 admissionregistration.k8s.io/v1:1.30-
admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicyBinding 1.29 1.32 admissionregistration.k8s.io/v1:1.30-
flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema 1.29 1.32 flowcontrol.apiserver.k8s.io/v1:1.29-
flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration 1.29 1.32 flowcontrol.apiserver.k8s.io/v1:1.29-
networking.k8s.io/v1alpha1 IPAddress 1.30 ~1.33 networking.k8s.io/v1:1.33-
networking.k8s.io/v1alpha1 ServiceCIDR 1.30 ~1.33 networking.k8s.io/v1:1.33-
admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy 1.31 ~1.34 admissionregistration.k8s.io/v1:1.30-
admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBinding 1.31 ~1.34 admissionregistration.k8s.io/v1:1.30-
storage.k8s.io/v1alpha1 VolumeAttributesClass 1.32 ~1.35 storage.k8s.io/v1:1.34-
storagemigration.k8s.io/v1alpha1 StorageVersionMigration 1.33 ~1.36 storagemigration.k8s.io/v1beta1:1.35-
certificates.k8s.io/v1alpha1 ClusterTrustBundle 1.34 ~1.37 certificates.k8s.io/v1beta1:1.33-
coordination.k8s.io/v1alpha1 LeaseCandidate 1.34 ~1.37 coordination.k8s.io/v1alpha2:1.32-1.34 coordination.k8s.io/v1beta1:1.35-
networking.k8s.io/v1beta1 IPAddress 1.34 ~1.37 networking.k8s.io/v1:1.33-
networking.k8s.io/v1beta1 ServiceCIDR 1.34 ~1.37 networking.k8s.io/v1:1.33-
storage.k8s.io/v1beta1 VolumeAttributesClass 1.34 ~1.37 storage.k8s.io/v1:1.34-
admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicy 1.35 ~1.38 admissionregistration.k8s.io/v1:1.36-
admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicyBinding 1.35 ~1.38 admissionregistration.k8s.io/v1:1.36-
coordination.k8s.io/v1alpha2 LeaseCandidate 1.35 ~1.38 coordination.k8s.io/v1beta1:1.33-
resource.k8s.io/v1beta1 DeviceClass 1.35 ~1.38 resource.k8s.io/v1:1.34-
resource.k8s.io/v1beta1 ResourceClaim 1.35 ~1.38 resource.k8s.io/v1:1.34-
resource.k8s.io/v1beta1 ResourceClaimTemplate 1.35 ~1.38 resource.k8s.io/v1:1.34-
resource.k8s.io/v1beta1 ResourceSlice 1.35 ~1.38 resource.k8s.io/v1:1.34-
coordination.k8s.io/v1beta1 LeaseCandidate 1.36 ~1.39
resource.k8s.io/v1alpha3 DeviceTaintRule 1.36 ~1.39 resource.k8s.io/v1beta2:1.36-
resource.k8s.io/v1beta2 DeviceClass 1.36 ~1.39 resource.k8s.io/v1:1.34-
resource.k8s.io/v1beta2 ResourceClaim 1.36 ~1.39 resource.k8s.io/v1:1.34-
resource.k8s.io/v1beta2 ResourceClaimTemplate 1.36 ~1.39 resource.k8s.io/v1:1.34-
resource.k8s.io/v1beta2 ResourceSlice 1.36 ~1.39 resource.k8s.io/v1:1.34-
"""


def _minor(text: str) -> int:
    return int(text.split(".")[1])


@dataclass(frozen=True)
class Entry:
    api_version: str
    kind: str
    deprecated: int
    removed: int
    projected: bool
    #: (replacement apiVersion or "-", first minor, last minor) for each range of targets.
    ranges: tuple[tuple[str, int, int], ...]

    def boundaries(self) -> set[int]:
        edges = {self.deprecated, self.removed}
        for _, first, last in self.ranges:
            edges |= {first, last + 1}
        return {v for edge in edges if edge < 99 for v in (edge - 1, edge, edge + 1)}

    def move_to(self, version: int) -> str | None:
        return next((api for api, first, last in self.ranges if first <= version <= last), None)

    def expected(self, version: int) -> tuple[str, str | None] | None:
        """(rule, replacement) at the target minor ``version``, or None when nothing is reported."""
        move_to = self.move_to(version)
        if not self.projected and version >= self.removed:
            return ("removed-api", move_to)
        if version >= self.deprecated and move_to is not None:
            return ("deprecated-api", move_to)
        return None


def _entries() -> list[Entry]:
    out = []
    for line in GUIDE.strip().splitlines():
        api_version, kind, deprecated, removed, *ranges = line.split()
        parsed = []
        for item in ranges:
            api, _, span = item.rpartition(":")
            first, _, last = span.partition("-")
            parsed.append((api, _minor(first), _minor(last) if last else 99))
        out.append(
            Entry(
                api_version,
                kind,
                _minor(deprecated),
                _minor(removed.lstrip("~")),
                removed.startswith("~"),
                tuple(parsed),
            )
        )
    return out


ENTRIES = _entries()
VERSIONS = sorted({v for e in ENTRIES for v in e.boundaries()})


def test_the_guide_covers_the_table_and_the_table_covers_the_guide() -> None:
    assert {(a.api_version, a.kind) for a in KUBERNETES} == {(e.api_version, e.kind) for e in ENTRIES}


def test_table_dates_match_the_guide() -> None:
    rows = {(a.api_version, a.kind): a for a in KUBERNETES}
    for e in ENTRIES:
        row = rows[(e.api_version, e.kind)]
        assert (row.deprecated_in, row.removed_in, row.projected) == (
            f"1.{e.deprecated}",
            f"1.{e.removed}",
            e.projected,
        ), e


@pytest.fixture(scope="module")
def manifests(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, Entry]]:
    """One document per entry; the line of each apiVersion maps back to its entry."""
    folder = tmp_path_factory.mktemp("apis")
    lines: list[str] = []
    by_line: dict[int, Entry] = {}
    for i, e in enumerate(ENTRIES):
        if lines:
            lines.append("---")
        by_line[len(lines) + 1] = e
        lines += [f"apiVersion: {e.api_version}", f"kind: {e.kind}", "metadata:", f"  name: api-{i}"]
    (folder / "apis.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, by_line


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: f"1.{v}")
def test_every_entry_at_its_boundaries(version: int, manifests: tuple[Path, dict[int, Entry]]) -> None:
    folder, by_line = manifests
    settings = Settings(
        root=folder,
        enable=["removed-api", "deprecated-api"],
        disable=["all"],
        kubernetes_version=f"1.{version}",
        as_of=dt.date(2026, 11, 25),
    )
    report = lint([str(folder)], settings, cwd=folder)
    assert report.errors == []
    got = {r.line: r for r in report.active}
    problems = []
    for line, e in by_line.items():
        want = e.expected(version)
        result = got.get(line)
        if want is None:
            if result is not None:
                problems.append(f"{e.api_version} {e.kind}: nothing expected, got {result.rule}: {result.message}")
            continue
        rule, move_to = want
        if result is None or result.rule != rule:
            problems.append(f"{e.api_version} {e.kind}: expected {rule}, got {result.rule if result else 'nothing'}")
        elif move_to not in (None, "-") and f"use {move_to} {e.kind} " not in result.message:
            problems.append(f"{e.api_version} {e.kind}: expected 'use {move_to} {e.kind}' in {result.message!r}")
    assert problems == []


#: Add-on APIs (Karpenter, AWS Load Balancer Controller): deprecated whatever the target; removed at
#: the first Kubernetes minor whose minimum add-on release no longer serves them.
ADDONS = {
    ("karpenter.sh/v1alpha5", "Provisioner"): (None, "1.30", "karpenter.sh/v1 NodePool"),
    ("karpenter.sh/v1alpha5", "Machine"): (None, "1.30", "karpenter.sh/v1 NodeClaim"),
    ("karpenter.k8s.aws/v1alpha1", "AWSNodeTemplate"): (None, "1.30", "karpenter.k8s.aws/v1 EC2NodeClass"),
    ("karpenter.sh/v1beta1", "NodePool"): ("1.31", "1.32", "karpenter.sh/v1"),
    ("karpenter.sh/v1beta1", "NodeClaim"): ("1.31", "1.32", "karpenter.sh/v1"),
    ("karpenter.k8s.aws/v1beta1", "EC2NodeClass"): ("1.31", "1.32", "karpenter.k8s.aws/v1"),
    ("elbv2.k8s.aws/v1alpha1", "TargetGroupBinding"): (None, None, "elbv2.k8s.aws/v1beta1"),
}


def test_addon_rows() -> None:
    addons = {
        (a.api_version, a.kind): (a.deprecated_in, a.removed_in, a.replacement) for a in ALL if a not in KUBERNETES
    }
    assert addons == ADDONS
