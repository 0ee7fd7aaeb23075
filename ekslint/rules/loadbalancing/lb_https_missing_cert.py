"""lb-https-missing-cert: TLS listeners without a certificate, or a public ALB that only speaks HTTP.

An ALB HTTPS listener needs a certificate: ``certificate-arn`` (or IngressClassParams
``certificateArn``), or ACM certificate discovery from the Ingress ``tls`` hosts and rule ``host``
names; without any, the controller cannot create the listener. NLB/CLB ``ssl-ports`` need
``aws-load-balancer-ssl-cert``, otherwise the ports stay plain TCP.
"""

from collections.abc import Iterator

from ekslint.data.lbc_annotations import ALB_PREFIX
from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.loadbalancing._lbc import (
    A_CERTIFICATE_ARN,
    A_LISTEN_PORTS,
    A_SSL_REDIRECT,
    INGRESS_KINDS,
    S_SSL_CERT,
    S_SSL_PORTS,
    IngressClassInfo,
    alb_scheme,
    ann_path,
    ann_str,
    classify_ingress,
    group_members,
    listen_ports,
    service_lb,
    split_list,
)


def _hosts(ing: K8sObject) -> bool:
    """Host names the controller can look certificates up for in ACM (``tls`` hosts, rule hosts)."""
    tls = ing.spec.get("tls")
    for entry in tls if isinstance(tls, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("hosts"), list) and entry["hosts"]:
            return True
    rules = ing.spec.get("rules")
    return any(isinstance(r, dict) and r.get("host") for r in (rules if isinstance(rules, list) else []))


def _has_cert(ing: K8sObject, info: IngressClassInfo, ctx: RuleContext) -> bool:
    if info.param(A_CERTIFICATE_ARN) is not None:
        return True
    return any(split_list(ann_str(m, A_CERTIFICATE_ARN)) or _hosts(m) for m, _ in group_members(ing, info, ctx.index))


def _redirects(ing: K8sObject, info: IngressClassInfo, ctx: RuleContext) -> bool:
    """``ssl-redirect`` (or IngressClassParams ``sslRedirectPort``, or a redirect-to-HTTPS action) on the ALB."""
    if info.param(A_SSL_REDIRECT) is not None:
        return True
    for member, _ in group_members(ing, info, ctx.index):
        if (ann_str(member, A_SSL_REDIRECT) or "").strip():
            return True
        for key, value in member.annotations.items():
            text = str(value).lower()
            if str(key).startswith(ALB_PREFIX + "actions.") and "redirect" in text and "https" in text:
                return True
    return False


@rule(
    id="lb-https-missing-cert",
    title="TLS listeners need a certificate and public ALBs HTTPS",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=(*INGRESS_KINDS, "Service"),
    tags=("networking", "security"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if obj.gk == "Service":
        lb = service_lb(obj, ctx)
        if lb in (None, "other"):
            return
        if split_list(ann_str(obj, S_SSL_PORTS)) and not split_list(ann_str(obj, S_SSL_CERT)):
            yield Finding(
                f"{obj.ref} sets {S_SSL_PORTS} without {S_SSL_CERT}: no TLS listener is created and those "
                "ports stay plain TCP; add the ACM certificate ARN",
                ann_path(S_SSL_PORTS),
            )
        return
    info = classify_ingress(obj, ctx.index)
    if not info.is_alb:
        return
    ports = listen_ports(obj, info)
    if ports is None:
        return
    if any(proto == "HTTPS" for proto, _ in ports):
        if not _has_cert(obj, info, ctx):
            yield Finding(
                f"{obj.ref} asks for an HTTPS listener in {A_LISTEN_PORTS} but has no certificate: set "
                f"{A_CERTIFICATE_ARN}, or spec.tls hosts whose certificate ACM holds (certificate "
                "discovery)",
                ann_path(A_LISTEN_PORTS),
            )
        return
    scheme = alb_scheme(obj, info)
    if scheme.value == "internet-facing" and not _redirects(obj, info, ctx):
        path = ann_path(A_LISTEN_PORTS) if ann_str(obj, A_LISTEN_PORTS) is not None else scheme.path
        yield Finding(
            f"{obj.ref} makes an internet-facing ALB that serves plain HTTP only: add an HTTPS listener "
            f'({A_LISTEN_PORTS} with {{"HTTPS": 443}} and {A_CERTIFICATE_ARN}) and {A_SSL_REDIRECT}: '
            "'443'",
            path,
        )
