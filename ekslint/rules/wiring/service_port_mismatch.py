"""service-port-mismatch: a Service ``targetPort`` name that the selected pods do not declare.

A named ``targetPort`` is resolved per pod against ``containers[].ports[].name`` (and the
protocol must match too). When no selected pod declares the name, the Service port has no
endpoints: traffic to it is refused even though the pods are running and ready. Numeric
target ports need no declaration and are not checked, nor are strings that cannot be port
names (``${PORT}`` placeholders), nor names beside a container port named by a placeholder
(it may be that name once rendered). Only workloads shipped with the Service count (same file or
Kustomization, a folder above, below or beside), and a Kustomize patch of a selected workload
(same kind, name and namespace) contributes its ports.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.placeholders import is_placeholder
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.wiring._refs import (
    PORT_NAME_RE,
    named_ports,
    near,
    same_object,
    selected_workloads,
    service_ports,
)


@rule(
    id="service-port-mismatch",
    title="Service targetPort names must be declared by the selected pods",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=("Service",),
    tags=("networking",),
)
def check(svc: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    named = [
        (i, port, target)
        for i, port in service_ports(svc)
        if isinstance(target := port.get("targetPort"), str) and PORT_NAME_RE.match(target)
    ]
    if not named:
        return  # numbers, and strings that cannot be port names (placeholders), are not checked
    # Only pods shipped with the Service: an unrelated app that shares its labels proves nothing.
    workloads = [w for w in selected_workloads(ctx, svc) if near(svc, w, ctx.index)]
    if not workloads:
        return  # service-selects-nothing covers a Service without pods
    declared = [named_ports(copy) for copy in _copies(workloads, ctx)]
    if any(is_placeholder(name) for names in declared for name in names):
        return  # a port named by a placeholder may be any of the target names once rendered
    for i, port, target in named:
        protocol = str(port.get("protocol") or "TCP")
        if any(protocol in names.get(target, set()) for names in declared):
            continue
        uniq = list(dict.fromkeys(w.ref for w in workloads))
        refs = ", ".join(uniq[:3]) + (f" and {len(uniq) - 3} more" if len(uniq) > 3 else "")
        other = sorted({p for names in declared for p in names.get(target, set())})
        if other:
            why = f"declare {target!r} only for {'/'.join(other)}, not {protocol}"
        else:
            known = sorted({n for names in declared for n in names})
            why = f"declare no port named {target!r}" + (f" (they declare {', '.join(known)})" if known else "")
        yield Finding(
            f"targetPort {target!r} of {svc.ref}: the selected pods ({refs}) {why}, so this Service port "
            "has no endpoints; use a declared port name or the container port number",
            ("spec", "ports", i, "targetPort"),
            value=True,
        )


def _copies(workloads: list[Workload], ctx: RuleContext) -> list[Workload]:
    """Every definition (see :func:`same_object`) of the selected workloads, each once.

    The declared ports are only ever merged, so a definition shared by several selected
    workloads (a base and its overlay, both selected) needs reading once.
    """
    out: list[Workload] = []
    seen: set[tuple[str, str | None]] = set()
    for w in workloads:  # all in the Service's namespace
        if (w.kind, w.name) not in seen:
            seen.add((w.kind, w.name))
            out.extend(same_object(w, ctx))
    return out
