"""Port numbers and names the API server rejects although the OpenAPI schema allows them.

The schema types ``containerPort`` and ``targetPort`` as int32 and ``name`` as a string; the API
server's validation (``ValidatePortNumOrName``, ``IsValidPortName`` in
k8s.io/apimachinery/pkg/util/validation) is stricter: numbers are 1-65535, and a port name is an
IANA service name: at most 15 characters of lowercase letters, digits and single hyphens, with at
least one letter, neither starting nor ending with a hyphen. ``kubectl apply`` of such an object
fails, so these are schema-invalid findings. Template placeholders (``${PORT}``, ``<port>``: see
:mod:`ekslint.linter.placeholders`) are left to the templating tool; a stray bracket is not one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.nodes import NodePath
from ekslint.linter.placeholders import is_placeholder

_IANA_NAME = re.compile(r"[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?")
_SERVICE_GKS = ("Service",)


def _number(value: Any, field: str, path: NodePath, *, zero_ok: bool) -> Iterator[tuple[str, NodePath]]:
    number = isinstance(value, int) and not isinstance(value, bool)
    if number and not (zero_ok and value == 0) and not 1 <= value <= 65535:
        yield f"{field} {value} is not a port number (1-65535): the API server rejects it", path


def _name_problem(name: str) -> str | None:
    if len(name) > 15:
        return "is longer than 15 characters"
    if not _IANA_NAME.fullmatch(name) or "--" in name:
        return "may hold only lowercase letters, digits and single inner hyphens"
    if not any(c.isalpha() for c in name):
        return "needs at least one letter (all digits reads as a number)"
    return None


def _name(value: Any, field: str, path: NodePath) -> Iterator[tuple[str, NodePath]]:
    if isinstance(value, str) and value and not is_placeholder(value):
        problem = _name_problem(value)
        if problem is not None:
            shown = value if len(value) <= 40 else value[:37] + "..."
            yield f"{field} {shown!r} {problem}: the API server rejects it as a port name", path


def port_problems(obj: K8sObject) -> Iterator[tuple[str, NodePath]]:
    """``(message, path)`` of each port number or name of ``obj`` the API server rejects."""
    if isinstance(obj, Workload):
        for c in obj.iter_containers(init=True, ephemeral=False):
            for i, port in enumerate(c.ports):
                at = c.path + ("ports", i)
                yield from _number(port.get("containerPort"), "containerPort", at + ("containerPort",), zero_ok=False)
                yield from _number(port.get("hostPort"), "hostPort", at + ("hostPort",), zero_ok=True)
                yield from _name(port.get("name"), "port name", at + ("name",))
    elif obj.gk in _SERVICE_GKS:
        ports = obj.spec.get("ports")
        for i, port in enumerate(ports if isinstance(ports, list) else []):
            if not isinstance(port, dict):
                continue
            where: NodePath = ("spec", "ports", i)
            yield from _number(port.get("port"), "port", where + ("port",), zero_ok=False)
            yield from _number(port.get("nodePort"), "nodePort", where + ("nodePort",), zero_ok=True)
            target = port.get("targetPort")
            yield from _number(target, "targetPort", where + ("targetPort",), zero_ok=True)
            yield from _name(target, "targetPort", where + ("targetPort",))
