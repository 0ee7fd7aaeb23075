"""AWS Load Balancer Controller (LBC) and legacy in-tree AWS cloud-provider annotation tables.

Why a table: the LBC silently ignores an annotation whose name it does not know (a typo such as
``healthcheck-interval`` for ``healthcheck-interval-seconds`` never takes effect), and it fails the
whole reconcile on a value it cannot parse. Knowing every name, where it may be set and its value type
lets ``lb-annotation-invalid`` catch both before ``kubectl apply``.

Sources (facts only; no upstream text or code is copied):

* ``../shared/reference/aws-lbc-annotations.csv``, extracted from kubernetes-sigs/aws-load-balancer-controller
  ``docs/guide/ingress/annotations.md`` and ``docs/guide/service/annotations.md``
  @ 225f44568848eb25f13e304a5f1cc68c0cd9415d (2026-08-17; latest tag v3.5.0), Apache-2.0
  (see ``reference/SOURCES.md``). Each CSV row is one row of ``_CSV_ROWS``, in CSV order, generated
  from the CSV; enumerations written only in the CSV ``notes`` column (``backend-protocol-version``,
  ``aws-load-balancer-scheme``, ``-type``, ``-nlb-target-type``, ``-alpn-policy``, ...) became ``enum``
  types. ``aws-load-balancer-type`` also lists ``nlb`` (in-tree NLB) and ``clb`` (an explicit Classic
  LB request that the in-tree controller honours by falling through); ``aws-load-balancer-internal``
  is typed ``string`` because the in-tree controller takes any value but ``false`` (historically a CIDR).
* ``_EXTRA_ROWS``: names the CSV lacks that a controller still reads, so they are not reported as
  unknown: kubernetes-sigs/aws-load-balancer-controller ``pkg/annotations/constants.go`` (newer names,
  the deprecated ``web-acl-id``) and the legacy in-tree provider kubernetes/cloud-provider-aws
  ``pkg/providers/v1/aws.go`` (Classic LB / in-tree NLB names such as ``-connection-idle-timeout``).

Row format: ``(name, where, type[, default[, controllers[, deprecated-by]]])``. Name prefixes:
``alb:`` = ``alb.ingress.kubernetes.io/``, ``nlb:`` = ``service.beta.kubernetes.io/aws-load-balancer-``,
``svc:`` = ``service.beta.kubernetes.io/``; a trailing ``*`` marks a templated family
(``actions.${action-name}``) matched by prefix. ``where``: ``I`` Ingress, ``S`` Service (ALB annotations
marked ``IS`` may also be set on a backend Service and override the Ingress). ``type``: ``string``,
``integer``, ``boolean``, ``stringList``, ``stringMap``, ``json``, ``port`` (an integer, ``traffic-port``
or a named port) or ``enum:a|b``. ``controllers``: ``lbc`` (default), ``in-tree`` or ``both``.
"""

from __future__ import annotations

from dataclasses import dataclass

ALB_PREFIX = "alb.ingress.kubernetes.io/"
SERVICE_PREFIX = "service.beta.kubernetes.io/"
#: The Service annotation family whose unknown names ``lb-annotation-invalid`` reports.
AWS_LB_SERVICE_PREFIX = "service.beta.kubernetes.io/aws-load-balancer-"

_PREFIXES = {"alb:": ALB_PREFIX, "nlb:": AWS_LB_SERVICE_PREFIX, "svc:": SERVICE_PREFIX}

_CSV_ROWS: tuple[tuple[str, ...], ...] = (
    ("alb:load-balancer-name", "I", "string"),
    ("alb:group.name", "I", "string"),
    ("alb:group.order", "I", "integer", "0"),
    ("alb:tags", "IS", "stringMap"),
    ("alb:ip-address-type", "I", "enum:ipv4|dualstack|dualstack-without-public-ipv4", "ipv4"),
    ("alb:scheme", "I", "enum:internal|internet-facing", "internal"),
    ("alb:subnets", "I", "stringList"),
    ("alb:security-groups", "I", "stringList"),
    ("alb:manage-backend-security-group-rules", "I", "boolean"),
    ("alb:customer-owned-ipv4-pool", "I", "string"),
    ("alb:load-balancer-attributes", "I", "stringMap"),
    ("alb:wafv2-acl-arn", "I", "string"),
    ("alb:waf-acl-id", "I", "string"),
    ("alb:shield-advanced-protection", "I", "boolean"),
    ("alb:listen-ports", "I", "json", "'[{\"HTTP\": 80}]' | '[{\"HTTPS\": 443}]'"),
    ("alb:ssl-redirect", "I", "integer"),
    ("alb:inbound-cidrs", "I", "stringList", "0.0.0.0/0, ::/0"),
    ("alb:security-group-prefix-lists", "I", "stringList", "pl-00000000, pl-1111111"),
    ("alb:certificate-arn", "I", "stringList"),
    ("alb:ssl-policy", "I", "string", "ELBSecurityPolicy-2016-08"),
    ("alb:target-type", "IS", "enum:instance|ip", "instance"),
    ("alb:backend-protocol", "IS", "enum:HTTP|HTTPS", "HTTP"),
    ("alb:backend-protocol-version", "IS", "enum:HTTP1|HTTP2|GRPC", "HTTP1"),
    ("alb:target-group-attributes", "IS", "stringMap"),
    ("alb:healthcheck-port", "IS", "port", "traffic-port"),
    ("alb:healthcheck-protocol", "IS", "enum:HTTP|HTTPS", "HTTP"),
    ("alb:healthcheck-path", "IS", "string", "/ | /AWS.ALB/healthcheck"),
    ("alb:healthcheck-interval-seconds", "IS", "integer", "'15'"),
    ("alb:healthcheck-timeout-seconds", "IS", "integer", "'5'"),
    ("alb:healthy-threshold-count", "IS", "integer", "'2'"),
    ("alb:unhealthy-threshold-count", "IS", "integer", "'2'"),
    ("alb:success-codes", "IS", "string", "'200' | '12'"),
    ("alb:auth-type", "IS", "enum:none|oidc|cognito", "none"),
    ("alb:auth-idp-cognito", "IS", "json"),
    ("alb:auth-idp-oidc", "IS", "json"),
    ("alb:auth-on-unauthenticated-request", "IS", "enum:authenticate|allow|deny", "authenticate"),
    ("alb:auth-scope", "IS", "string", "openid"),
    ("alb:auth-session-cookie", "IS", "string", "AWSELBAuthSessionCookie"),
    ("alb:auth-session-timeout", "IS", "integer", "'604800'"),
    ("alb:jwt-validation", "I", "json"),
    ("alb:actions.*", "I", "json"),
    ("alb:transforms.*", "I", "json"),
    ("alb:conditions.*", "I", "json"),
    ("alb:use-regex-path-match", "I", "boolean"),
    ("alb:target-node-labels", "IS", "stringMap"),
    ("alb:mutual-authentication", "I", "json"),
    ("alb:multi-cluster-target-group", "IS", "boolean"),
    ("alb:listener-attributes.*", "I", "stringMap"),
    ("alb:minimum-load-balancer-capacity", "I", "stringMap"),
    ("alb:ipam-ipv4-pool-id", "I", "string"),
    ("alb:enable-frontend-nlb", "I", "boolean", "false"),
    ("alb:frontend-nlb-scheme", "I", "enum:internal|internet-facing", "internal"),
    ("alb:frontend-nlb-subnets", "I", "stringList"),
    ("alb:frontend-nlb-security-groups", "I", "stringList"),
    ("alb:frontend-nlb-listener-port-mapping", "I", "stringMap"),
    ("alb:frontend-nlb-healthcheck-port", "I", "port", "traffic-port"),
    ("alb:frontend-nlb-healthcheck-protocol", "I", "enum:HTTP|HTTPS", "HTTP"),
    ("alb:frontend-nlb-healthcheck-path", "I", "string", "/"),
    ("alb:frontend-nlb-healthcheck-interval-seconds", "I", "integer", "15"),
    ("alb:frontend-nlb-healthcheck-timeout-seconds", "I", "integer", "5"),
    ("alb:frontend-nlb-healthcheck-healthy-threshold-count", "I", "integer", "3"),
    ("alb:frontend-nlb-healthcheck-unhealthy-threshold-count", "I", "integer", "3"),
    ("alb:frontend-nlb-healthcheck-success-codes", "I", "string", "200"),
    ("alb:frontend-nlb-tags", "I", "stringMap"),
    ("alb:frontend-nlb-eip-allocations", "I", "stringList", "200"),
    ("alb:target-control-port.*", "I", "integer"),
    ("alb:frontend-nlb-attributes", "I", "stringList"),
    ("svc:load-balancer-source-ranges", "S", "stringList", "", "both"),
    ("nlb:security-group-prefix-lists", "S", "stringList"),
    ("nlb:type", "S", "enum:external|nlb-ip|nlb|clb", "", "both"),
    ("nlb:nlb-target-type", "S", "enum:instance|ip"),
    ("nlb:name", "S", "string"),
    ("nlb:internal", "S", "string", "false", "both", "nlb:scheme"),
    ("nlb:scheme", "S", "enum:internal|internet-facing", "internal"),
    ("nlb:proxy-protocol", "S", "enum:*", "", "both"),
    ("nlb:proxy-protocol-per-target-group", "S", "string"),
    ("nlb:ip-address-type", "S", "enum:ipv4|dualstack", "ipv4"),
    ("nlb:access-log-enabled", "S", "boolean", "false", "both", "nlb:attributes"),
    ("nlb:access-log-s3-bucket-name", "S", "string", "", "both", "nlb:attributes"),
    ("nlb:access-log-s3-bucket-prefix", "S", "string", "", "both", "nlb:attributes"),
    ("nlb:cross-zone-load-balancing-enabled", "S", "boolean", "false", "both", "nlb:attributes"),
    ("nlb:ssl-cert", "S", "stringList", "", "both"),
    ("nlb:ssl-ports", "S", "stringList", "", "both"),
    ("nlb:ssl-negotiation-policy", "S", "string", "ELBSecurityPolicy-2016-08", "both"),
    ("nlb:backend-protocol", "S", "enum:tcp|ssl|http|https", "", "both"),
    ("nlb:additional-resource-tags", "S", "stringMap", "", "both"),
    ("nlb:healthcheck-protocol", "S", "enum:tcp|http|https", "TCP", "both"),
    ("nlb:healthcheck-port", "S", "port", "traffic-port", "both"),
    ("nlb:healthcheck-path", "S", "string", '"/" for HTTP(S) protocols', "both"),
    ("nlb:healthcheck-healthy-threshold", "S", "integer", "3", "both"),
    ("nlb:healthcheck-unhealthy-threshold", "S", "integer", "3", "both"),
    ("nlb:healthcheck-timeout", "S", "integer", "10", "both"),
    ("nlb:healthcheck-interval", "S", "integer", "10", "both"),
    ("nlb:healthcheck-success-codes", "S", "string", "200-399"),
    ("nlb:eip-allocations", "S", "stringList", "", "both"),
    ("nlb:private-ipv4-addresses", "S", "stringList"),
    ("nlb:ipv6-addresses", "S", "stringList"),
    ("nlb:target-group-attributes", "S", "stringMap"),
    ("nlb:subnets", "S", "stringList", "", "both"),
    ("nlb:alpn-policy", "S", "enum:HTTP1Only|HTTP2Only|HTTP2Optional|HTTP2Preferred|None"),
    ("nlb:target-node-labels", "S", "stringMap", "", "both"),
    ("nlb:attributes", "S", "stringMap"),
    ("nlb:security-groups", "S", "stringList", "", "both"),
    ("nlb:manage-backend-security-group-rules", "S", "boolean", "true"),
    ("nlb:inbound-sg-rules-on-private-link-traffic", "S", "string"),
    ("nlb:listener-attributes.*", "S", "stringMap"),
    ("nlb:multi-cluster-target-group", "S", "boolean", "false"),
    ("nlb:enable-prefix-for-ipv6-source-nat", "S", "enum:on|off", "off"),
    ("nlb:source-nat-ipv6-prefixes", "S", "stringList"),
    ("nlb:minimum-load-balancer-capacity", "S", "stringMap"),
    ("nlb:enable-icmp-for-path-mtu-discovery", "S", "string"),
    ("nlb:enable-tcp-udp-listener", "S", "boolean", "false"),
    ("nlb:disable-nlb-sg", "S", "boolean", "false"),
    ("nlb:quic-enabled-ports", "S", "stringList"),
    ("svc:actions.*", "S", "stringMap"),
)

_EXTRA_ROWS: tuple[tuple[str, ...], ...] = (
    # aws-load-balancer-controller pkg/annotations/constants.go
    ("alb:wafv2-acl-name", "I", "string"),
    ("alb:web-acl-id", "I", "string", "", "lbc", "alb:waf-acl-id"),
    ("alb:create-acm-cert", "I", "string"),
    ("alb:acm-pca-arn", "I", "string"),
    ("alb:dry-run-plan", "I", "string"),
    ("nlb:eip-allocations-discovery-tags", "S", "string"),
    # cloud-provider-aws pkg/providers/v1/aws.go: read by the in-tree controller only
    ("nlb:access-log-emit-interval", "S", "integer", "", "in-tree"),
    ("nlb:connection-draining-enabled", "S", "boolean", "", "in-tree"),
    ("nlb:connection-draining-timeout", "S", "integer", "", "in-tree"),
    ("nlb:connection-idle-timeout", "S", "integer", "", "in-tree"),
    ("nlb:extra-security-groups", "S", "stringList", "", "in-tree"),
)

#: How to get the effect of an in-tree-only annotation with the AWS Load Balancer Controller.
LBC_EQUIVALENT: dict[str, str] = {
    AWS_LB_SERVICE_PREFIX + "access-log-emit-interval": f"{AWS_LB_SERVICE_PREFIX}attributes (access_logs.s3.*)",
    AWS_LB_SERVICE_PREFIX
    + "connection-draining-enabled": f"{AWS_LB_SERVICE_PREFIX}target-group-attributes (deregistration_delay.timeout_seconds)",
    AWS_LB_SERVICE_PREFIX
    + "connection-draining-timeout": f"{AWS_LB_SERVICE_PREFIX}target-group-attributes (deregistration_delay.timeout_seconds)",
    AWS_LB_SERVICE_PREFIX
    + "connection-idle-timeout": f"{AWS_LB_SERVICE_PREFIX}listener-attributes.TCP-<port> (tcp.idle_timeout.seconds)",
    AWS_LB_SERVICE_PREFIX + "extra-security-groups": f"{AWS_LB_SERVICE_PREFIX}security-groups",
}

#: Enumerations the controllers compare byte for byte (another casing is a reconcile error or, for
#: ``aws-load-balancer-type``, silently another controller). Other enums compare case-insensitively.
CASE_SENSITIVE: frozenset[str] = frozenset(
    {
        ALB_PREFIX + "scheme",
        ALB_PREFIX + "target-type",
        ALB_PREFIX + "ip-address-type",
        ALB_PREFIX + "frontend-nlb-scheme",
        AWS_LB_SERVICE_PREFIX + "type",
        AWS_LB_SERVICE_PREFIX + "scheme",
        AWS_LB_SERVICE_PREFIX + "nlb-target-type",
        AWS_LB_SERVICE_PREFIX + "ip-address-type",
    }
)


@dataclass(frozen=True)
class Annotation:
    """One annotation: where it goes, what its value must look like, which controller reads it."""

    name: str
    locations: frozenset[str]
    type: str
    values: tuple[str, ...]
    default: str
    controllers: str
    deprecated: str
    prefix: bool

    @property
    def lbc(self) -> bool:
        """Read by the AWS Load Balancer Controller."""
        return self.controllers in ("lbc", "both")

    @property
    def in_tree(self) -> bool:
        """Read by the legacy in-tree AWS cloud provider (Classic LB, ``aws-load-balancer-type: nlb``)."""
        return self.controllers in ("in-tree", "both")

    @property
    def case_sensitive(self) -> bool:
        return self.name in CASE_SENSITIVE


def _expand(short: str) -> str:
    code, rest = short[:4], short[4:]
    return _PREFIXES[code] + rest if code in _PREFIXES else short


def _build(row: tuple[str, ...]) -> Annotation:
    short, where, typ, default, controllers, deprecated = (*row, "", "", "")[:6]
    prefix = short.endswith("*")
    kind, _, values = typ.partition(":")
    return Annotation(
        name=_expand(short.rstrip("*")),
        locations=frozenset({"I": "Ingress", "S": "Service"}[c] for c in where),
        type=kind,
        values=tuple(values.split("|")) if values else (),
        default=default,
        controllers=controllers or "lbc",
        deprecated=_expand(deprecated) if deprecated else "",
        prefix=prefix,
    )


#: Every known annotation, CSV rows first.
ANNOTATIONS: tuple[Annotation, ...] = tuple(_build(r) for r in (*_CSV_ROWS, *_EXTRA_ROWS))
#: Exact names, and templated families (``actions.``) by their fixed prefix, longest first.
BY_NAME: dict[str, Annotation] = {a.name: a for a in ANNOTATIONS if not a.prefix}
PREFIXED: tuple[Annotation, ...] = tuple(sorted((a for a in ANNOTATIONS if a.prefix), key=lambda a: -len(a.name)))


def lookup(name: str) -> Annotation | None:
    """The table row for an annotation name (exact, else the templated family it belongs to)."""
    if name in BY_NAME:
        return BY_NAME[name]
    for ann in PREFIXED:
        if name.startswith(ann.name) and len(name) > len(ann.name):
            return ann
    return None


#: IngressClassParams (``elbv2.k8s.aws``) ``spec`` fields that, when set, win over the Ingress
#: annotation of the same meaning (``tags`` merge instead). Source: aws-load-balancer-controller
#: ``docs/guide/ingress/ingress_class.md`` and its IngressClassParams CRD
#: (``config/crd/bases/elbv2.k8s.aws_ingressclassparams.yaml``; ``targetType`` since PR #4029).
INGRESS_CLASS_PARAMS_FIELDS: dict[str, str] = {
    ALB_PREFIX + "scheme": "scheme",
    ALB_PREFIX + "ip-address-type": "ipAddressType",
    ALB_PREFIX + "inbound-cidrs": "inboundCIDRs",
    ALB_PREFIX + "security-group-prefix-lists": "prefixListsIDs",
    ALB_PREFIX + "certificate-arn": "certificateArn",
    ALB_PREFIX + "ssl-policy": "sslPolicy",
    ALB_PREFIX + "ssl-redirect": "sslRedirectPort",
    ALB_PREFIX + "subnets": "subnets",
    ALB_PREFIX + "target-type": "targetType",
    ALB_PREFIX + "load-balancer-attributes": "loadBalancerAttributes",
    ALB_PREFIX + "load-balancer-name": "loadBalancerName",
    ALB_PREFIX + "minimum-load-balancer-capacity": "minimumLoadBalancerCapacity",
    ALB_PREFIX + "group.name": "group.name",
}
