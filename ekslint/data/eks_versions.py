"""The Amazon EKS Kubernetes release calendar and the eksctl version defaults.

Generated from ``shared/reference/eks-kubernetes-versions.csv``: facts from awsdocs/amazon-eks-user-guide
``latest/ug/versioning/kubernetes-versions.adoc`` (index commit 013856044148, rows 1.29-1.34) and
``latest/ug/clusters/kubernetes-versions.adoc`` @ 4d52b4d05e34 (2024-12-18, rows 1.24-1.28), CC-BY-SA-4.0.
The 1.23 EKS release date and the 1.35 row come from secondary sources (endoflife.date/amazon-eks);
1.36 is released upstream but not confirmed on EKS, so it has no EKS dates and counts as unknown.
Standard support lasts 14 months from the EKS release, extended support 12 more (26 in total).

eksctl facts (``shared/reference/eks-facts.md`` section 3 and 6, eksctl-io/eksctl @ 99984adb, v0.230.0):
``DefaultVersion`` is 1.34 and the newest version eksctl knows is 1.35.

Kubelet skew (eks-facts section 3; AWS docs update-cluster.adoc and
kubernetes.io/releases/version-skew-policy): a kubelet must never be newer than the API server, and may
be up to three minors older (two when the kubelet is older than 1.25).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class EksRelease(NamedTuple):
    """One Kubernetes minor on EKS; dates are UTC days (``None`` when EKS has not released it)."""

    version: str
    upstream_release: dt.date | None
    eks_release: dt.date | None
    end_of_standard_support: dt.date | None
    end_of_extended_support: dt.date | None
    confidence: str


# fmt: off
#: version, upstream release, EKS release, end of standard support, end of extended support, confidence
_TABLE: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("1.23", "2021-12-07", "2022-08-11", "2023-10-11", "2024-10-11", "medium"),
    ("1.24", "2022-05-03", "2022-11-15", "2024-01-31", "2025-01-31", "high"),
    ("1.25", "2022-08-23", "2023-02-22", "2024-05-01", "2025-05-01", "high"),
    ("1.26", "2022-12-09", "2023-04-11", "2024-06-11", "2025-06-11", "high"),
    ("1.27", "2023-04-11", "2023-05-24", "2024-07-24", "2025-07-24", "high"),
    ("1.28", "2023-08-15", "2023-09-26", "2024-11-26", "2025-11-26", "high"),
    ("1.29", "2023-12-13", "2024-01-23", "2025-03-23", "2026-03-23", "high"),
    ("1.30", "2024-04-17", "2024-05-23", "2025-07-23", "2026-07-23", "high"),
    ("1.31", "2024-08-13", "2024-09-26", "2025-11-26", "2026-11-26", "high"),
    ("1.32", "2024-12-11", "2025-01-23", "2026-03-23", "2027-03-23", "high"),
    ("1.33", "2025-04-23", "2025-05-29", "2026-07-29", "2027-07-29", "high"),
    ("1.34", "2025-08-27", "2025-10-02", "2026-12-02", "2027-12-02", "high"),
    ("1.35", "2025-12-17", "2026-01-27", "2027-03-27", "2028-03-27", "medium"),
    ("1.36", "2026-04-22", "", "", "", "low"),
)
# fmt: on


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


RELEASES: dict[str, EksRelease] = {
    v: EksRelease(v, _date(up), _date(eks), _date(std), _date(ext), confidence)
    for v, up, eks, std, ext, confidence in _TABLE
}

#: The version eksctl creates when ``metadata.version`` is absent (eksctl v0.230.0).
EKSCTL_DEFAULT_VERSION = "1.34"
#: The newest version eksctl v0.230.0 knows.
EKSCTL_NEWEST_VERSION = "1.35"

#: How many minors a kubelet may trail the API server (version-skew-policy).
KUBELET_MAX_SKEW = 3
#: ...and the stricter limit for kubelets older than 1.25.
KUBELET_MAX_SKEW_BEFORE_1_25 = 2

#: AWS App Mesh end of support (App Mesh user guide banner, eks-facts section 8).
APPMESH_END_OF_SUPPORT = dt.date(2026, 9, 30)
