"""ingress-backend-missing: an Ingress backend Service (or port) not defined in the namespace.

An Ingress routes to Services of its own namespace by name and port (number or port name). A
backend that names a missing Service, or a port the Service does not expose, gives 503s (NGINX)
or a target group with no targets (AWS Load Balancer Controller, which also fails the whole
reconcile of the Ingress group). Both API shapes are read: ``networking.k8s.io/v1``
(``service.name`` + ``service.port.number|name``, ``defaultBackend``) and the removed
``v1beta1`` (``serviceName``/``servicePort``, ``backend``). Resource backends and the AWS Load
Balancer Controller's ``use-annotation`` actions are not Services and are skipped.
Partial input: a missing Service is reported only when the scan holds a Service of the namespace
shipped with the Ingress (same file, same folder, or a folder above or below it).
Placeholders (``${SERVICE}``, ``{{ .Values.port }}``, ``<service-name>``: see
:mod:`ekslint.linter.placeholders`) are unknown names: a backend naming one is not judged, nor is
a backend of a namespace holding a Service named by one, nor a port of a Service whose ports are.
"""

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.index import nearest
from ekslint.linter.model import K8sObject
from ekslint.linter.nodes import NodePath
from ekslint.linter.placeholders import is_placeholder
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.wiring._refs import core_services, scope_evidence, service_ports

#: AWS LBC: ``port.name: use-annotation`` routes to an ``alb.ingress.kubernetes.io/actions.<name>`` action.
USE_ANNOTATION = "use-annotation"


def _backends(ing: K8sObject) -> Iterator[tuple[NodePath, Any]]:
    """``(path, backend)`` for the default backend and every rule path backend."""
    for key in ("defaultBackend", "backend"):
        if isinstance(ing.spec.get(key), dict):
            yield ("spec", key), ing.spec[key]
    rules = ing.spec.get("rules")
    for i, r in enumerate(rules if isinstance(rules, list) else []):
        http = r.get("http") if isinstance(r, dict) else None
        paths = http.get("paths") if isinstance(http, dict) else None
        for j, p in enumerate(paths if isinstance(paths, list) else []):
            if isinstance(p, dict) and isinstance(p.get("backend"), dict):
                yield ("spec", "rules", i, "http", "paths", j, "backend"), p["backend"]


def _service_ref(path: NodePath, backend: dict[str, Any]) -> tuple[str, NodePath, Any, NodePath] | None:
    """``(service name, its path, port (int or name), its path)`` of a Service backend."""
    service = backend.get("service")
    if isinstance(service, dict):  # networking.k8s.io/v1
        port = service.get("port")
        port = port if isinstance(port, dict) else {}
        value = port.get("number") if port.get("number") is not None else port.get("name")
        key = "number" if port.get("number") is not None else "name"
        name = service.get("name")
        if isinstance(name, str) and name:
            return name, (*path, "service", "name"), value, (*path, "service", "port", key)
        return None
    name = backend.get("serviceName")  # extensions / networking.k8s.io v1beta1
    if isinstance(name, str) and name:
        return name, (*path, "serviceName"), backend.get("servicePort"), (*path, "servicePort")
    return None  # resource backend, or malformed


def _exposes(svc: K8sObject, port: Any) -> bool | None:
    """Does the Service expose ``port`` (number, or port name)? ``None``: cannot tell."""
    ports = service_ports(svc)
    if not ports:
        return None  # e.g. an ExternalName Service with no ports
    if any(is_placeholder(p.get("name")) or is_placeholder(p.get("port")) for _, p in ports):
        return None  # a port filled in later may be the one asked for
    if isinstance(port, int) and not isinstance(port, bool):
        return any(p.get("port") == port for _, p in ports)
    if isinstance(port, str) and port:
        if port.isdigit():
            return any(p.get("port") == int(port) for _, p in ports)
        return any(p.get("name") == port for _, p in ports)
    return None


@rule(
    id="ingress-backend-missing",
    title="Ingress backends should name an existing Service and port",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=("Ingress.networking.k8s.io", "Ingress.extensions"),
    tags=("networking",),
)
def check(ing: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    ns = ing.effective_namespace
    services: dict[str | None, list[K8sObject]] = {}
    for s in core_services(ctx, ns):
        services.setdefault(s.name, []).append(s)
    for path, backend in _backends(ing):
        ref = _service_ref(path, backend)
        if ref is None:
            continue
        name, name_path, port, port_path = ref
        if port == USE_ANNOTATION or is_placeholder(name) or is_placeholder(port):
            continue  # an action, or a name filled in later
        same_name = services.get(name)
        if not same_name:
            if any(is_placeholder(other) for other in services):
                continue  # a Service named by a placeholder may be this one once rendered
            # Partial input: silent unless Services of this namespace are shipped with the Ingress.
            shipped = scope_evidence(ctx, ing, [svc for group in services.values() for svc in group])
            if shipped:
                yield Finding(
                    f"backend Service {name!r} is not defined in namespace {ing.shown_namespace!r} (the scan has "
                    f"{len(shipped)} other Service(s) there beside this Ingress): {ing.ref} routes "
                    "this path nowhere; fix the name or add the Service",
                    name_path,
                )
            continue
        # Defined more than once (overlays, several apps in one scan): any copy exposing it will do.
        if all(_exposes(svc, port) is False for svc in same_name):
            svc = nearest(ing, same_name)[0]
            kind = "port" if isinstance(port, int) or (isinstance(port, str) and port.isdigit()) else "port name"
            have = ", ".join(
                f"{p.get('name')}:{p.get('port')}" if p.get("name") else str(p.get("port"))
                for _, p in service_ports(svc)
            )
            yield Finding(
                f"backend {kind} {port!r} is not a port of {svc.ref} (it exposes {have}): "
                f"{ing.ref} routes this path nowhere; use one of the Service's ports",
                port_path,
            )
