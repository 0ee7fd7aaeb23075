"""Which version of the Pod Security Standards a workload is judged against.

Pod Security Admission evaluates a pod against the policy *of a Kubernetes version*: the API
server's own (``latest``) unless the namespace pins an older one with
``pod-security.kubernetes.io/enforce-version: v1.<minor>``. Some checks change with the version
(the baseline safe sysctls grow; ``procMount: Unmasked`` is allowed in user namespaces from 1.35),
so the rules that depend on it judge against the scan's target version, or against the older
version the workload's Namespace pins, when that Namespace is in the scan and enforces a profile.
"""

from __future__ import annotations

from typing import NamedTuple

from ekslint.linter.context import RuleContext
from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.model import Workload
from ekslint.linter.versions import target_version

ENFORCE = "pod-security.kubernetes.io/enforce"
ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version"
PINNED_RE = LazyPattern(r"^v1\.(\d{1,2})$")


class PolicyVersion(NamedTuple):
    """The Kubernetes minor whose policy applies, and why (for messages)."""

    minor: int
    #: ``1.<minor>`` as shown to the user.
    version: str
    #: ``the target is 1.31 (--kubernetes-version)`` or the namespace label that pins it.
    why: str
    #: True when the Namespace pins it below the target (the fix is the label, not an upgrade).
    pinned: bool = False

    @property
    def rejects(self) -> str:
        """Who rejects a pod this policy version does not allow."""
        if self.pinned:
            return "baseline enforcement in that namespace rejects the pod"
        return "baseline namespaces reject the pod"

    def until(self, since: str) -> str:
        """What to do about something the policy allows only from Kubernetes ``since``."""
        if self.pinned:
            return f"raise the namespace's {ENFORCE_VERSION} to v{since} or later (or latest)"
        return f"remove it until the cluster runs {since}"


def pinned_minor(w: Workload, ctx: RuleContext) -> int | None:
    """The minor the workload's Namespace pins for enforcement, when it is in the scan, enforces
    ``baseline`` or ``restricted`` (a pinned ``privileged`` policy checks nothing) and pins
    ``v1.<minor>`` (``latest`` follows the API server)."""
    ns = ctx.index.get("Namespace", w.effective_namespace, group="")
    if ns is None:
        return None
    if str(ns.labels.get(ENFORCE, "")) not in ("baseline", "restricted"):
        return None
    m = PINNED_RE.match(str(ns.labels.get(ENFORCE_VERSION, "")))
    return int(m.group(1)) if m else None


def policy_version(w: Workload, ctx: RuleContext) -> PolicyVersion:
    """The target version, or the older one the workload's Namespace pins."""
    target = target_version(ctx, w)
    pinned = pinned_minor(w, ctx)
    if pinned is not None and pinned < target.minor:
        return PolicyVersion(
            pinned,
            f"1.{pinned}",
            f"namespace {w.effective_namespace!r} pins {ENFORCE_VERSION}: v1.{pinned}",
            pinned=True,
        )
    return PolicyVersion(target.minor, target.version, f"the target is {target.version} ({target.source})")
