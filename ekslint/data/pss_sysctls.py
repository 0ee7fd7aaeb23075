"""The Pod Security Standards *baseline* safe sysctls, by the Kubernetes minor that admits them.

Source: the Pod Security Admission policy, kubernetes/kubernetes
``staging/src/k8s.io/pod-security-admission/policy/check_sysctls.go`` (read from its published mirror
kubernetes/pod-security-admission ``policy/check_sysctls.go`` @ 8f84a87, Apache-2.0), which versions
the check: one allowed set from 1.0, grown at 1.27 (commit 33ca833, 2023-02-01), 1.29 (72a28e8 and
061cdd3, 2023), 1.32 (edc7d62, 2024-06-02) and 1.37 (23192ec, 2026-04-14: released with Kubernetes
1.37, in alpha at the time of writing). The Pod Security Standards page
(https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline, "Sysctls") lists the
same names, and the kubelet's own safe list (https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/)
grows at the same minors, with a minimum kernel for the namespaced ones (every EKS AMI kernel is newer).

Pod Security Admission compares ``spec.securityContext.sysctls[*].name`` as written: the slash form
``net/ipv4/ip_local_port_range`` that the kubelet also accepts is not in the set.
"""

from __future__ import annotations

# fmt: off
#: sysctl name, first Kubernetes minor whose baseline policy allows it ("1.0" = since the check exists)
_TABLE: tuple[tuple[str, str], ...] = (
    ("kernel.shm_rmid_forced", "1.0"),
    ("net.ipv4.ip_local_port_range", "1.0"),
    ("net.ipv4.tcp_syncookies", "1.0"),
    ("net.ipv4.ping_group_range", "1.0"),
    ("net.ipv4.ip_unprivileged_port_start", "1.0"),
    ("net.ipv4.ip_local_reserved_ports", "1.27"),
    ("net.ipv4.tcp_keepalive_time", "1.29"),
    ("net.ipv4.tcp_fin_timeout", "1.29"),
    ("net.ipv4.tcp_keepalive_intvl", "1.29"),
    ("net.ipv4.tcp_keepalive_probes", "1.29"),
    ("net.ipv4.tcp_rmem", "1.32"),
    ("net.ipv4.tcp_wmem", "1.32"),
    ("net.ipv4.tcp_slow_start_after_idle", "1.37"),
    ("net.ipv4.tcp_notsent_lowat", "1.37"),
)
# fmt: on

#: name -> the first Kubernetes minor (``1.<minor>``) whose baseline policy allows it.
SAFE_SINCE: dict[str, str] = dict(_TABLE)


def _minor(version: str) -> int:
    return int(version.split(".")[1])


def safe_since(name: str) -> str | None:
    """The first Kubernetes version whose baseline policy allows ``name`` (``None``: never)."""
    return SAFE_SINCE.get(name)


def is_safe(name: str, minor: int) -> bool:
    """Does the baseline policy of Kubernetes ``1.<minor>`` allow sysctl ``name``?"""
    since = SAFE_SINCE.get(name)
    return since is not None and _minor(since) <= minor


def safe_set(minor: int) -> frozenset[str]:
    """Every sysctl the baseline policy of Kubernetes ``1.<minor>`` allows."""
    return frozenset(name for name, since in _TABLE if _minor(since) <= minor)
