"""seccomp-profile-missing: no ``RuntimeDefault``/``Localhost`` seccomp profile, or an ``Unconfined`` one.

Judged as Pod Security Admission's restricted check does (``check_seccompProfile_restricted.go``):
a container's own ``securityContext.seccompProfile`` wins over the pod's; a container that sets
none inherits the pod's. Every container list counts, init and ephemeral included.

* An explicit bad type (``Unconfined``) is reported where it is set; containers that inherit a
  bad pod-level type are covered by the pod-level finding.
* When nothing is set anywhere, one finding for the pod (the fix is one pod-level field); when only
  some containers set a profile, one finding per container that has none.
* Windows: seccomp does not exist there, the API server rejects ``seccompProfile`` on pods with
  ``spec.os.name: windows`` and the restricted check skips them (1.25+), so they pass. A pod that
  only selects Windows nodes (``nodeSelector: kubernetes.io/os: windows``) or is a HostProcess pod
  is still checked by the restricted profile: it gets one finding asking for ``spec.os.name: windows``.
* Privileged containers always run ``Unconfined`` whatever they set: they are left to
  ``privileged-container`` (a pod whose only containers are privileged gets no finding).
* The ``seccomp.security.alpha.kubernetes.io/pod`` and ``container.seccomp.security.alpha.kubernetes.io/<name>``
  annotations: before Kubernetes 1.27 the API server copied them into the empty fields when it
  created the pod, so they count for older targets. Since 1.27 (kubernetes/kubernetes#114947)
  they do nothing at all: the fields are no longer filled from them and kubelets ignore them
  (since 1.25), so they do not count, and the message says so (``deprecated-annotation`` asks
  for their replacement).
* A kustomize patch file that sets no profile is partial: the base it is merged into may set one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from ekslint.linter.context import RuleContext
from ekslint.linter.kustomize_context import is_kustomize_patch
from ekslint.linter.model import Container, Workload
from ekslint.linter.nodes import NodePath
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import target_version

VALID = frozenset({"RuntimeDefault", "Localhost"})
POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"
#: The first Kubernetes minor that no longer fills the fields from the annotations.
ANNOTATIONS_IGNORED_FROM = 27
FIX = "set securityContext.seccompProfile.type: RuntimeDefault"


class Setting(NamedTuple):
    """A seccomp profile type as it applies, where it is written, and whether it is an annotation."""

    type: str
    path: NodePath
    annotation: str | None = None


def annotation_type(value: Any) -> str:
    """The field type the API server made of an annotation value (before 1.27)."""
    text = str(value).strip()
    if text in ("runtime/default", "docker/default"):
        return "RuntimeDefault"
    if text.startswith("localhost/"):
        return "Localhost"
    if text == "unconfined":
        return "Unconfined"
    return text


def _field(sc: dict[str, Any], base: NodePath) -> Setting | None:
    profile = sc.get("seccompProfile")
    if not isinstance(profile, dict):
        return None
    where = base + ("securityContext", "seccompProfile")
    if "type" in profile:
        return Setting(str(profile["type"]), where + ("type",))
    return Setting("", where)


def _annotation(w: Workload, key: str, applied: bool) -> Setting | None:
    if not applied or key not in w.template_annotations:
        return None
    value = w.template_annotations[key]
    return Setting(annotation_type(value), w.template_meta_path + ("annotations", key), f"{key}: {value}")


def _bad(who: str, s: Setting) -> Finding:
    if s.annotation is not None:
        what = f"annotation {s.annotation} gives {who} a {s.type or 'empty'} seccomp profile"
    else:
        what = f"{who} sets seccompProfile.type: {s.type or '(empty)'}"
    if s.type == "Unconfined":
        why = (
            "it can make every system call the kernel offers; the Pod Security Standards baseline forbids "
            "Unconfined and the restricted profile requires RuntimeDefault or Localhost"
        )
    else:
        why = "the Pod Security Standards restricted profile requires RuntimeDefault or Localhost"
    return Finding(f"{what}: {why}; {FIX}", s.path)


def _ignored_annotations(w: Workload, containers: list[Container]) -> str:
    keys = [POD_ANNOTATION] if POD_ANNOTATION in w.template_annotations else []
    keys += [
        CONTAINER_ANNOTATION + c.name for c in containers if CONTAINER_ANNOTATION + c.name in w.template_annotations
    ]
    if not keys:
        return ""
    what = f"annotation {keys[0]} has" if len(keys) == 1 else f"annotations {', '.join(keys)} have"
    return f" ({what} had no effect since Kubernetes 1.{ANNOTATIONS_IGNORED_FROM})"


def _windows_hint(w: Workload) -> NodePath | None:
    """Where a pod without ``spec.os.name`` says it is for Windows (node selector, HostProcess)."""
    if w.is_windows:
        return w.pod_spec_path + ("nodeSelector", "kubernetes.io/os")
    for sc, base in [(w.pod_security_context, w.pod_spec_path)] + [(c.security_context, c.path) for c in w.containers]:
        opts = sc.get("windowsOptions")
        if isinstance(opts, dict) and opts.get("hostProcess") is True:
            return base + ("securityContext", "windowsOptions", "hostProcess")
    return None


@rule(
    id="seccomp-profile-missing",
    title="Pods should run with the RuntimeDefault or a Localhost seccomp profile",
    level=Level.NOTE,
    targets=(Workload,),
    tags=("security",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    os_spec = w.pod_spec.get("os")
    if isinstance(os_spec, dict) and os_spec.get("name") == "windows":
        return
    applied = target_version(ctx, w).minor < ANNOTATIONS_IGNORED_FROM
    pod = _field(w.pod_security_context, w.pod_spec_path) or _annotation(w, POD_ANNOTATION, applied)
    pod_bad = pod is not None and pod.type not in VALID
    if pod is not None and pod_bad:
        yield _bad(f"{w.kind} {w.name!r}", pod)
    missing: list[Container] = []
    # Privileged containers always run Unconfined, whatever they set: privileged-container reports them.
    checked = [c for c in w.containers if c.security_context.get("privileged") is not True]
    for c in checked:
        own = _field(c.security_context, c.path) or _annotation(w, CONTAINER_ANNOTATION + c.name, applied)
        if own is not None:
            if own.type not in VALID:
                yield _bad(c.describe, own)
        elif pod is None:
            missing.append(c)  # a bad pod-level type is reported once, above
    if not missing or is_kustomize_patch(w, ctx):
        return
    windows_at = _windows_hint(w)
    if windows_at is not None:
        yield Finding(
            f"{w.kind} {w.name!r} runs on Windows nodes but does not set spec.os.name: windows, so the Pod "
            "Security Standards restricted profile still requires a seccomp profile for it; set "
            "spec.os.name: windows (seccomp does not apply to Windows)",
            windows_at,
        )
    elif len(missing) == len(checked):
        ignored = "" if applied else _ignored_annotations(w, missing)
        yield Finding(
            f"{w.kind} {w.name!r} sets no seccomp profile for the pod or its containers{ignored}: they run "
            "Unconfined unless the kubelet defaults to RuntimeDefault, and the Pod Security Standards restricted "
            "profile rejects the pod; set spec.securityContext.seccompProfile.type: RuntimeDefault",
            w.pod_spec_path + ("securityContext",),
        )
    else:
        for c in missing:
            ignored = "" if applied else _ignored_annotations(w, [c])
            yield Finding(
                f"{c.describe} sets no seccomp profile and the pod sets none{ignored}: it runs Unconfined unless "
                "the kubelet defaults to RuntimeDefault, and the Pod Security Standards restricted profile rejects "
                f"the pod; {FIX} on the pod or on this container",
                c.path + ("securityContext",),
            )
