"""lb-annotation-invalid: unknown AWS load-balancer annotations and values the controller cannot parse.

The AWS Load Balancer Controller ignores annotation names it does not know, so a typo silently
drops a setting (an internal ALB becomes the default, a health check keeps its default path), and
it stops reconciling the whole Ingress (or IngressGroup) on a value it cannot parse. Names and value
types come from ``ekslint.data.lbc_annotations``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from typing import Any

from ekslint.data.lbc_annotations import (
    ALB_PREFIX,
    ANNOTATIONS,
    AWS_LB_SERVICE_PREFIX,
    LBC_EQUIVALENT,
    SERVICE_PREFIX,
    Annotation,
    lookup,
)
from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.placeholders import is_placeholder
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.strconv import parse_bool
from ekslint.rules.loadbalancing._lbc import (
    A_SSL_REDIRECT,
    INGRESS_KINDS,
    IngressClassInfo,
    ann_path,
    classify_ingress,
    group_members,
    listen_ports,
    service_lb,
)

_ALB_NAMES = sorted(a.name for a in ANNOTATIONS if a.name.startswith(ALB_PREFIX) and not a.prefix)
_SERVICE_NAMES = sorted(a.name for a in ANNOTATIONS if a.name.startswith(SERVICE_PREFIX) and not a.prefix)


def _suggest(name: str, candidates: list[str]) -> str:
    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.8)
    if not match:
        # Compare the suffixes too: a long shared prefix makes every candidate look alike.
        prefix = ALB_PREFIX if name.startswith(ALB_PREFIX) else SERVICE_PREFIX
        short = {c[len(prefix) :]: c for c in candidates if c.startswith(prefix)}
        hits = difflib.get_close_matches(name[len(prefix) :], list(short), n=1, cutoff=0.75)
        match = [short[hits[0]]] if hits else []
    return f"; did you mean {match[0]!r}?" if match else ""


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _listen_ports_problem(data: Any) -> str | None:
    if not isinstance(data, list) or not data:
        return 'must be a JSON list such as [{"HTTP": 80}, {"HTTPS": 443}]'
    for item in data:
        if not isinstance(item, dict) or not item:
            return 'must be a JSON list of {"HTTP"|"HTTPS": port} objects'
        for proto, port in item.items():
            if proto not in ("HTTP", "HTTPS"):
                return f"uses protocol {proto!r}: an ALB listener is HTTP or HTTPS"
            if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
                return f"gives port {port!r}: use a JSON number from 1 to 65535"
    return None


def _value_problem(ann: Annotation, text: str, strict_maps: bool) -> str | None:
    """Why ``text`` is not a valid value for ``ann`` (``None`` when it is, or cannot be judged)."""
    if is_placeholder(text):
        return None
    value = text.strip()
    if ann.type == "enum":
        ok = value in ann.values if ann.case_sensitive else value.lower() in {v.lower() for v in ann.values}
        if not ok:
            return f"has value {value!r}: use one of {', '.join(ann.values)}"
    elif ann.type == "integer":
        if not value.lstrip("+-").isdigit():
            return f"has value {value!r}: it must be an integer (quoted, e.g. '30')"
    elif ann.type == "boolean":
        if parse_bool(value) is None:
            return f"has value {value!r}: it must be 'true' or 'false'"
    elif ann.type == "json":
        try:
            data = json.loads(value)
        except json.JSONDecodeError as exc:
            return f"is not valid JSON ({exc.msg} at character {exc.pos})"
        if ann.name == ALB_PREFIX + "listen-ports":
            problem = _listen_ports_problem(data)
            if problem:
                return problem
    elif ann.type == "stringMap" and strict_maps:
        bad = [p.strip() for p in value.split(",") if p.strip() and "=" not in p]
        if bad:
            return f"has entry {bad[0]!r} without '=': a stringMap is written key1=value1,key2=value2"
    return None


def _ssl_redirect_problem(ing: K8sObject, info: IngressClassInfo, ctx: RuleContext, text: str) -> str | None:
    """``ssl-redirect`` must name an HTTPS port of the ALB's listeners (merged across the IngressGroup)."""
    if info.param(A_SSL_REDIRECT) is not None or is_placeholder(text) or not text.strip().isdigit():
        return None
    port = int(text.strip())
    https: set[int] = set()
    for member, member_info in group_members(ing, info, ctx.index):
        ports = listen_ports(member, member_info)
        if ports is None:
            return None
        https.update(p for proto, p in ports if proto == "HTTPS")
    if port not in https:
        have = ", ".join(str(p) for p in sorted(https)) or "none"
        return (
            f"redirects to port {port}, but the ALB has no HTTPS listener there (HTTPS ports in listen-ports: "
            f'{have}); add {{"HTTPS": {port}}} to alb.ingress.kubernetes.io/listen-ports'
        )
    return None


@rule(
    id="lb-annotation-invalid",
    title="AWS load balancer annotations must be known and valid",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=(*INGRESS_KINDS, "Service"),
    tags=("networking", "eks"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    is_service = obj.gk == "Service"
    info: IngressClassInfo | None = None
    lb = None
    if is_service:
        lb = service_lb(obj, ctx)
        if lb == "other":
            return
    else:
        info = classify_ingress(obj, ctx.index)
        if info.controller == "other":
            return
    where = "Service" if is_service else "Ingress"
    for key, raw in obj.annotations.items():
        name = str(key)
        is_alb = name.startswith(ALB_PREFIX)
        is_svc = is_service and name.startswith(SERVICE_PREFIX)
        if not (is_alb or is_svc) or "$" in name or "{" in name:
            continue
        ann = lookup(name)
        path = ann_path(name)
        if ann is None:
            if is_alb:
                yield Finding(
                    f"{obj.ref}: unknown annotation {name!r}: the AWS Load Balancer Controller ignores it"
                    f"{_suggest(name, _ALB_NAMES)}",
                    path,
                )
            elif name.startswith(AWS_LB_SERVICE_PREFIX):
                yield Finding(
                    f"{obj.ref}: unknown annotation {name!r}: no AWS load balancer controller reads it"
                    f"{_suggest(name, _SERVICE_NAMES)}",
                    path,
                )
            continue
        if where not in ann.locations:
            yield Finding(
                f"{obj.ref}: annotation {name!r} is read only on an {'Ingress' if is_service else 'Service'}"
                f", the controller ignores it on a {where}; move it",
                path,
            )
            continue
        if lb == "lbc" and not ann.lbc:
            instead = LBC_EQUIVALENT.get(ann.name)
            yield Finding(
                f"{obj.ref}: annotation {name!r} is read only by the legacy in-tree cloud provider; the AWS "
                "Load Balancer Controller that handles this Service ignores it"
                + (f": use {instead}" if instead else ""),
                path,
            )
            continue
        text = _as_text(raw)
        if text is None:
            continue
        problem = _value_problem(ann, text, strict_maps=is_alb or lb == "lbc")
        if problem is None and info is not None and info.is_alb and name == A_SSL_REDIRECT:
            problem = _ssl_redirect_problem(obj, info, ctx, text)
        if problem:
            yield Finding(f"{obj.ref}: annotation {name!r} {problem}", path)
