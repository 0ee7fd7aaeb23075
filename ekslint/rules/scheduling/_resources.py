"""Shared logic of the container requests/limits rules.

Kubernetes semantics: a limit without a request makes the request equal to the limit; a
``LimitRange`` in the namespace can default both at admission; pod-level ``spec.resources``
(Kubernetes 1.32+) covers every container. None of those containers is missing anything.
"""

from __future__ import annotations

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.kustomize_context import is_kustomize_patch
from ekslint.linter.model import Container, Workload

RESOURCES = ("cpu", "memory")


def _has(mapping: object, resource: str) -> bool:
    return isinstance(mapping, dict) and mapping.get(resource) not in (None, "")


def limit_range_defaults(ctx: RuleContext, namespace: str, field: str) -> set[str]:
    """Resources a ``Container`` LimitRange in ``namespace`` fills in at admission.

    The API server defaults a LimitRange item before the LimitRanger applies it: ``default``
    (the limit) falls back to ``max``, and ``defaultRequest`` to ``default``, then to ``min``.
    So a container limit is defaulted by ``default`` or ``max``, a request by any of the four.
    """
    out: set[str] = set()
    fields = ("default", "defaultRequest", "max", "min") if field == "requests" else ("default", "max")
    for lr in ctx.index.of_kind("LimitRange", group="", namespace=namespace):
        limits = lr.spec.get("limits")
        for item in limits if isinstance(limits, list) else []:
            if not isinstance(item, dict) or item.get("type", "Container") != "Container":
                continue
            for f in fields:
                out.update(r for r in RESOURCES if _has(item.get(f), r))
    return out


def missing(w: Workload, c: Container, ctx: RuleContext, field: str) -> list[str]:
    """Resources of ``RESOURCES`` that container ``c`` has no effective ``field`` for."""
    res = c.resources
    raw = w.pod_spec.get("resources")
    pod_res: dict[str, object] = raw if isinstance(raw, dict) else {}
    defaulted = limit_range_defaults(ctx, w.effective_namespace, field)
    out = []
    for r in RESOURCES:
        if _has(res.get(field), r) or _has(pod_res.get(field), r) or r in defaulted:
            continue
        if field == "requests" and (_has(res.get("limits"), r) or _has(pod_res.get("limits"), r)):
            continue  # the limit is copied into the request
        out.append(r)
    return out


def sized_containers(w: Workload) -> Iterator[Container]:
    """Containers that take resources (ephemeral containers cannot have any)."""
    return w.iter_containers(init=True, ephemeral=False)


def lacking(
    w: Workload, ctx: RuleContext, field: str, resources: tuple[str, ...] = RESOURCES
) -> Iterator[tuple[Container, list[str]]]:
    """``(container, resources)`` for each container without an effective ``field`` for some of
    ``resources``; nothing for a Kustomize patch, whose base may set them."""
    found = [(c, [r for r in missing(w, c, ctx, field) if r in resources]) for c in sized_containers(w)]
    found = [(c, rs) for c, rs in found if rs]
    if found and is_kustomize_patch(w, ctx):
        return
    yield from found
