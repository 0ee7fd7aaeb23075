"""Who handles an Ingress or a Service, and which settings the AWS Load Balancer Controller would use.

The family-J rules must never judge an nginx Ingress by ALB rules, nor call a GKE Service a Classic
LB, so everything starts here:

* an Ingress is an **ALB Ingress** when the LBC would reconcile it: the legacy annotation
  ``kubernetes.io/ingress.class: alb`` (the LBC reads it before the field), else
  ``spec.ingressClassName`` naming an IngressClass of the scan whose ``spec.controller`` is
  ``ingress.k8s.aws/alb`` (or named ``alb`` when the class is not in the scan: the name the LBC Helm
  chart installs), else, with no class at all, the scan's default IngressClass when that is an ALB class.
  EKS Auto Mode classes (``eks.amazonaws.com/alb``, IngressClassParams in ``eks.amazonaws.com``) are a
  different controller with different defaults and are treated as "other";
* a ``type: LoadBalancer`` Service is an **LBC NLB** with ``spec.loadBalancerClass:
  service.k8s.aws/nlb`` or ``aws-load-balancer-type: external`` (``nlb-ip``, deprecated); with another
  ``loadBalancerClass``, or another cloud's load-balancer annotations, it is not AWS's at all; anything
  else goes to the legacy in-tree provider (an in-tree NLB for ``aws-load-balancer-type: nlb``, a
  Classic LB otherwise).

Effective ALB settings follow the LBC precedence: IngressClassParams ``spec`` fields win over
annotations; for per-target-group settings (target type) a backend Service's annotation wins over
the Ingress's. Annotations shared by an IngressGroup (``group.name``) are read across its members.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ekslint.data.lbc_annotations import ALB_PREFIX, AWS_LB_SERVICE_PREFIX, INGRESS_CLASS_PARAMS_FIELDS, SERVICE_PREFIX
from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex, file_folder, nearest, source_folder
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.nodes import NodePath
from ekslint.linter.placeholders import is_placeholder
from ekslint.linter.strconv import parse_bool

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster, FargateProfile


INGRESS_KINDS = ("Ingress.networking.k8s.io", "Ingress.extensions")
ALB_CONTROLLER = "ingress.k8s.aws/alb"
NLB_CLASS = "service.k8s.aws/nlb"
LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"

# Annotations the rules read.
A_SCHEME = ALB_PREFIX + "scheme"
A_TARGET_TYPE = ALB_PREFIX + "target-type"
A_LISTEN_PORTS = ALB_PREFIX + "listen-ports"
A_CERTIFICATE_ARN = ALB_PREFIX + "certificate-arn"
A_SSL_REDIRECT = ALB_PREFIX + "ssl-redirect"
A_INBOUND_CIDRS = ALB_PREFIX + "inbound-cidrs"
A_SECURITY_GROUPS = ALB_PREFIX + "security-groups"
A_PREFIX_LISTS = ALB_PREFIX + "security-group-prefix-lists"
A_GROUP_NAME = ALB_PREFIX + "group.name"
A_IP_ADDRESS_TYPE = ALB_PREFIX + "ip-address-type"
S_TYPE = AWS_LB_SERVICE_PREFIX + "type"
S_NLB_TARGET_TYPE = AWS_LB_SERVICE_PREFIX + "nlb-target-type"
S_SCHEME = AWS_LB_SERVICE_PREFIX + "scheme"
S_INTERNAL = AWS_LB_SERVICE_PREFIX + "internal"
S_SSL_CERT = AWS_LB_SERVICE_PREFIX + "ssl-cert"
S_SSL_PORTS = AWS_LB_SERVICE_PREFIX + "ssl-ports"
S_SECURITY_GROUPS = AWS_LB_SERVICE_PREFIX + "security-groups"
S_PREFIX_LISTS = AWS_LB_SERVICE_PREFIX + "security-group-prefix-lists"
S_IP_ADDRESS_TYPE = AWS_LB_SERVICE_PREFIX + "ip-address-type"
S_SOURCE_RANGES = SERVICE_PREFIX + "load-balancer-source-ranges"

#: Load-balancer annotations of other clouds and bare-metal LBs: a Service carrying one is written
#: for that platform, and AWS rules have nothing to say about it.
FOREIGN_LB_ANNOTATION_PREFIXES = (
    "cloud.google.com/",
    "networking.gke.io/",
    "service.beta.kubernetes.io/azure-",
    "service.beta.kubernetes.io/oci-",
    "oci.oraclecloud.com/",
    "service.beta.kubernetes.io/do-loadbalancer-",
    "service.beta.kubernetes.io/exoscale-",
    "service.beta.kubernetes.io/scw-",
    "service.beta.kubernetes.io/linode-",
    "service.beta.kubernetes.io/alibaba-cloud-",
    "service.kubernetes.io/qcloud-",
    "service.kubernetes.io/ibm-",
    "service.beta.kubernetes.io/openstack-",
    "loadbalancer.openstack.org/",
    "load-balancer.hetzner.cloud/",
    "metallb.universe.tf/",
    "metallb.io/",
    "kube-vip.io/",
    "lbipam.cilium.io/",
    "io.cilium/",
)

#: Class names that say which other controller they belong to, for classes not in the scan.
_OTHER_CLASS = re.compile(
    r"nginx|traefik|istio|kong|haproxy|gce|contour|cilium|ambassador|emissary|skipper|"
    r"azure|application-gateway|openshift|apisix|gloo|envoy|pomerium|tailscale",
    re.I,
)


def ann_path(name: str) -> NodePath:
    return ("metadata", "annotations", name)


def ann_str(obj: K8sObject, name: str) -> str | None:
    """An annotation as the API server stores it (a string); ``None`` when absent, null or not a
    scalar (the API server rejects such an object; ``schema-invalid`` reports it)."""
    value = obj.annotations.get(name)
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def split_list(text: str | None) -> list[str]:
    """A ``stringList`` annotation value (comma separated, blanks dropped)."""
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def open_to_world(cidrs: list[str], dualstack: bool = False) -> bool:
    """True when a source-range list admits every IPv4 address (or, on a dual-stack LB, every IPv6)."""
    if any(is_placeholder(c) for c in cidrs):
        return False
    return "0.0.0.0/0" in cidrs or (dualstack and "::/0" in cidrs)


# --- Which object of the scan a reference means ----------------------------------------------------
# One scan may hold several projects (a monorepo, a folder of examples): two IngressClasses named
# ``alb``, a Service ``web`` in ``default`` in two apps, eksctl ClusterConfigs of unrelated clusters.
# A reference is resolved to the candidate closest to the referring file in the directory tree.


def find_service(name: str, namespace: str, near: K8sObject, index: ScanIndex) -> K8sObject | None:
    """The core Service ``namespace/name`` of the scan closest to ``near``."""
    found = [s for s in index.of_kind("Service", group="", namespace=namespace) if s.name == name]
    closest = nearest(near, found)
    return closest[0] if closest else None


# --- Ingress classes -------------------------------------------------------------------------------

Controller = Literal["alb", "other", "unknown"]


@dataclass(frozen=True)
class IngressClassInfo:
    """Who reconciles an Ingress: ``alb``, ``other`` (nginx, istio, ...) or ``unknown`` (class not in scan)."""

    controller: Controller
    class_name: str | None = None
    ingress_class: K8sObject | None = None
    params: K8sObject | None = None

    @property
    def is_alb(self) -> bool:
        return self.controller == "alb"

    def param(self, annotation: str) -> Any:
        """The IngressClassParams field that overrides ``annotation``, when set."""
        field = INGRESS_CLASS_PARAMS_FIELDS.get(annotation)
        if self.params is None or field is None:
            return None
        node: Any = self.params.spec
        for key in field.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        return None if node in (None, "", [], {}) else node


def ingress_classes(index: ScanIndex) -> list[K8sObject]:
    return index.of_kind("IngressClass", group="networking.k8s.io")


def is_default_class(ic: K8sObject) -> bool:
    return (ann_str(ic, DEFAULT_CLASS_ANNOTATION) or "").strip().lower() == "true"


def _class_info(ic: K8sObject, index: ScanIndex) -> IngressClassInfo:
    if ic.spec.get("controller") != ALB_CONTROLLER:
        return IngressClassInfo("other", ic.name, ic)
    params = None
    ref = ic.spec.get("parameters")
    if isinstance(ref, dict) and ref.get("kind") == "IngressClassParams" and isinstance(ref.get("name"), str):
        found = [p for p in index.of_kind("IngressClassParams", group="elbv2.k8s.aws") if p.name == ref["name"]]
        closest = nearest(ic, found)
        params = closest[0] if closest else None
    return IngressClassInfo("alb", ic.name, ic, params)


def classify_ingress(ing: K8sObject, index: ScanIndex) -> IngressClassInfo:
    """Decide which controller reconciles ``ing`` (see the module docstring for the order)."""
    legacy = (ann_str(ing, LEGACY_CLASS_ANNOTATION) or "").strip()
    if legacy:
        return IngressClassInfo("alb" if legacy == "alb" else "other", legacy)
    name = ing.spec.get("ingressClassName")
    classes = ingress_classes(index)
    if isinstance(name, str) and name:
        named = nearest(ing, [ic for ic in classes if ic.name == name])
        if named:
            infos = [_class_info(ic, index) for ic in named]
            return next((i for i in infos if i.is_alb), infos[0])
        if name == "alb":
            return IngressClassInfo("alb", name)
        return IngressClassInfo("other" if _OTHER_CLASS.search(name) else "unknown", name)
    defaults = [_class_info(ic, index) for ic in nearest(ing, [ic for ic in classes if is_default_class(ic)])]
    if defaults:
        return next((i for i in defaults if i.is_alb), defaults[0])
    return IngressClassInfo("unknown")


_ALB_CACHE: weakref.WeakKeyDictionary[ScanIndex, list[tuple[K8sObject, IngressClassInfo]]] = weakref.WeakKeyDictionary()


def all_ingresses(index: ScanIndex) -> Iterator[K8sObject]:
    """Every Ingress of the scan (``networking.k8s.io`` and the old ``extensions`` group)."""
    for kind_group in INGRESS_KINDS:
        kind, _, group = kind_group.partition(".")
        yield from index.of_kind(kind, group=group)


def alb_ingresses(index: ScanIndex) -> list[tuple[K8sObject, IngressClassInfo]]:
    """Every ALB Ingress of the scan with its class (computed once per scan)."""
    if index not in _ALB_CACHE:
        out = []
        for ing in all_ingresses(index):
            info = classify_ingress(ing, index)
            if info.is_alb:
                out.append((ing, info))
        _ALB_CACHE[index] = out
    return _ALB_CACHE[index]


def group_name(ing: K8sObject, info: IngressClassInfo) -> str | None:
    value = info.param(A_GROUP_NAME) or ann_str(ing, A_GROUP_NAME)
    if value is None:
        return None
    return str(value).strip() or None


def group_members(ing: K8sObject, info: IngressClassInfo, index: ScanIndex) -> list[tuple[K8sObject, IngressClassInfo]]:
    """The Ingresses sharing ``ing``'s ALB (its IngressGroup, any namespace), itself first."""
    name = group_name(ing, info)
    if name is None:
        return [(ing, info)]
    others = [(o, i) for o, i in alb_ingresses(index) if o is not ing and group_name(o, i) == name]
    return [(ing, info), *others]


# --- Ingress backends -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Backend:
    """A Service an Ingress routes to, with the path of its name in the Ingress."""

    service: str
    path: NodePath


def ingress_backends(ing: K8sObject) -> list[Backend]:
    """Service backends of an Ingress (v1 and v1beta1 shapes). ALB action backends
    (port ``use-annotation``) name an ``actions.*`` annotation, not a Service, and are skipped."""
    out: list[Backend] = []

    def add(backend: Any, path: NodePath) -> None:
        if not isinstance(backend, dict):
            return
        svc = backend.get("service")
        if isinstance(svc, dict):
            port = svc.get("port")
            if isinstance(port, dict) and port.get("name") == "use-annotation":
                return
            if isinstance(svc.get("name"), str) and svc["name"]:
                out.append(Backend(svc["name"], (*path, "service", "name")))
        elif isinstance(backend.get("serviceName"), str) and backend["serviceName"]:
            if backend.get("servicePort") == "use-annotation":
                return
            out.append(Backend(backend["serviceName"], (*path, "serviceName")))

    spec = ing.spec
    add(spec.get("defaultBackend"), ("spec", "defaultBackend"))
    add(spec.get("backend"), ("spec", "backend"))
    rules = spec.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        http = rule.get("http") if isinstance(rule, dict) else None
        paths = http.get("paths") if isinstance(http, dict) else None
        for j, p in enumerate(paths if isinstance(paths, list) else []):
            if isinstance(p, dict):
                add(p.get("backend"), ("spec", "rules", i, "http", "paths", j, "backend"))
    return out


def backend_services(ing: K8sObject, index: ScanIndex) -> Iterator[tuple[Backend, K8sObject]]:
    """Each distinct backend Service of ``ing`` found in the scan, at its first reference."""
    seen: set[str] = set()
    for backend in ingress_backends(ing):
        if backend.service in seen:
            continue
        seen.add(backend.service)
        svc = find_service(backend.service, ing.effective_namespace, ing, index)
        if svc is not None:
            yield backend, svc


@dataclass(frozen=True)
class Setting:
    """An effective value and where it comes from (``default``, an annotation, IngressClassParams)."""

    value: str
    source: str
    obj: K8sObject | None = None
    path: NodePath = ()


def alb_target_type(ing: K8sObject, info: IngressClassInfo, svc: K8sObject | None) -> Setting:
    """IngressClassParams ``targetType`` > backend Service annotation > Ingress annotation > ``instance``."""
    param = info.param(A_TARGET_TYPE)
    if param is not None:
        return Setting(str(param), f"IngressClassParams {info.params.name if info.params else ''}".strip())
    if svc is not None and ann_str(svc, A_TARGET_TYPE):
        return Setting(
            str(ann_str(svc, A_TARGET_TYPE)).strip(), f"{A_TARGET_TYPE} on {svc.ref}", svc, ann_path(A_TARGET_TYPE)
        )
    if ann_str(ing, A_TARGET_TYPE):
        return Setting(
            str(ann_str(ing, A_TARGET_TYPE)).strip(), f"{A_TARGET_TYPE} on the Ingress", ing, ann_path(A_TARGET_TYPE)
        )
    return Setting("instance", "the default")


def alb_scheme(ing: K8sObject, info: IngressClassInfo) -> Setting:
    param = info.param(A_SCHEME)
    if param is not None:
        return Setting(
            str(param),
            f"IngressClassParams {info.params.name if info.params else ''}".strip(),
            ing,
            ("spec", "ingressClassName"),
        )
    value = ann_str(ing, A_SCHEME)
    if value is not None:
        return Setting(value.strip(), A_SCHEME, ing, ann_path(A_SCHEME))
    return Setting("internal", "the default")


def listen_ports(ing: K8sObject, info: IngressClassInfo) -> list[tuple[str, int]] | None:
    """The listeners ``ing`` asks for; ``None`` when the annotation is unreadable or templated.

    Default: ``HTTP:80``, or ``HTTPS:443`` when a certificate ARN is set.
    """
    import json

    raw = ann_str(ing, A_LISTEN_PORTS)
    if raw is None:
        has_cert = bool(info.param(A_CERTIFICATE_ARN) or (ann_str(ing, A_CERTIFICATE_ARN) or "").strip())
        return [("HTTPS", 443)] if has_cert else [("HTTP", 80)]
    if is_placeholder(raw):
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    out: list[tuple[str, int]] = []
    if not isinstance(data, list):
        return None
    for item in data:
        if not isinstance(item, dict):
            return None
        for proto, port in item.items():
            if not isinstance(port, int) or isinstance(port, bool):
                return None
            out.append((str(proto), port))
    return out


# --- Services -------------------------------------------------------------------------------------

LbKind = Literal["lbc", "in-tree-nlb", "clb", "other"]


def service_type(svc: K8sObject) -> str:
    value = svc.spec.get("type")
    return value if isinstance(value, str) and value else "ClusterIP"


def is_foreign(svc: K8sObject) -> bool:
    return any(str(k).startswith(FOREIGN_LB_ANNOTATION_PREFIXES) for k in svc.annotations)


def service_lb(svc: K8sObject, ctx: RuleContext) -> LbKind | None:
    """Which controller provisions the load balancer of a ``type: LoadBalancer`` Service (else ``None``).

    With ``lbc-service-webhook: true`` in the config (the LBC's Service mutating webhook is on, the
    default since LBC v2.5), a Service with neither a class nor a type annotation is given
    ``loadBalancerClass: service.k8s.aws/nlb`` when it is created, so the LBC makes an NLB.
    """
    if svc.gk != "Service" or service_type(svc) != "LoadBalancer":
        return None
    cls = svc.spec.get("loadBalancerClass")
    if cls:
        return "lbc" if cls == NLB_CLASS else "other"
    if is_foreign(svc):
        return "other"
    lb_type = (ann_str(svc, S_TYPE) or "").strip()
    if lb_type in ("external", "nlb-ip"):
        return "lbc"
    if lb_type == "nlb":
        return "in-tree-nlb"
    if not lb_type and ctx.settings.lbc_service_webhook:
        return "lbc"
    return "clb"


def nlb_target_type(svc: K8sObject) -> Setting:
    """LBC NLB target type: the annotation, ``ip`` for the deprecated ``nlb-ip`` type, else ``instance``."""
    value = ann_str(svc, S_NLB_TARGET_TYPE)
    if value is not None and value.strip():
        return Setting(value.strip(), S_NLB_TARGET_TYPE, svc, ann_path(S_NLB_TARGET_TYPE))
    if (ann_str(svc, S_TYPE) or "").strip() == "nlb-ip":
        return Setting("ip", f"{S_TYPE}: nlb-ip", svc, ann_path(S_TYPE))
    return Setting("instance", "the default", svc)


def lbc_service_scheme(svc: K8sObject) -> Setting:
    """LBC: ``aws-load-balancer-scheme`` wins; else the deprecated ``-internal`` boolean; else internal."""
    value = ann_str(svc, S_SCHEME)
    if value is not None and value.strip():
        return Setting(value.strip(), S_SCHEME, svc, ann_path(S_SCHEME))
    internal = ann_str(svc, S_INTERNAL)
    if internal is not None and parse_bool(internal) is not None:
        return Setting("internal" if parse_bool(internal) else "internet-facing", S_INTERNAL, svc, ann_path(S_INTERNAL))
    return Setting("internal", "the default", svc)


def in_tree_internal(svc: K8sObject) -> bool:
    """The in-tree provider makes an internal LB for any ``-internal`` value except empty and ``false``."""
    value = (ann_str(svc, S_INTERNAL) or "").strip()
    return value not in ("", "false")


def service_source_ranges(svc: K8sObject) -> list[str] | None:
    """``spec.loadBalancerSourceRanges``, else the ``load-balancer-source-ranges`` annotation; ``None`` if unset."""
    ranges = svc.spec.get("loadBalancerSourceRanges")
    if isinstance(ranges, list) and ranges:
        return [str(r).strip() for r in ranges]
    value = ann_str(svc, S_SOURCE_RANGES)
    if value is not None and value.strip():
        return split_list(value)
    return None


# --- Fargate --------------------------------------------------------------------------------------


#: Per scan: the clusters with Fargate profiles (asked for every Service and Ingress).
_FARGATE: weakref.WeakKeyDictionary[ScanIndex, list[Cluster]] = weakref.WeakKeyDictionary()


def fargate_clusters(index: ScanIndex) -> list[Cluster]:
    found = _FARGATE.get(index)
    if found is None:
        found = _FARGATE[index] = [c for c in index.clusters if any(p.selectors for p in c.fargate_profiles)]
    return list(found)


def governs(c: Cluster, obj: K8sObject, index: ScanIndex) -> bool:
    """Does cluster ``c`` run ``obj``? When the scan describes one cluster, yes; with several (a
    folder of examples, one per environment), only objects filed at or below the folder of the
    cluster's definition (the ClusterConfig's file, the Terraform root, the template) are taken
    as deployed to it."""
    if len(index.clusters) == 1:
        return True
    if c.home is None:
        return False
    home = source_folder(c.home)
    return file_folder(obj)[: len(home)] == home


def on_fargate(w: Workload, index: ScanIndex, near: K8sObject) -> tuple[Cluster, FargateProfile] | None:
    """The cluster and Fargate profile whose selectors take ``w``'s pods, if any."""
    for c in fargate_clusters(index):
        if not (governs(c, w, index) and governs(c, near, index)):
            continue
        for profile in c.fargate_profiles:
            if profile.selects(w.effective_namespace, w.template_labels):
                return c, profile
    return None


def fargate_pods(svc: K8sObject, index: ScanIndex) -> tuple[Workload, Cluster, FargateProfile] | None:
    """The first workload selected by ``svc`` whose pods run on Fargate."""
    selector = svc.spec.get("selector")
    for w in index.selected_by_map(selector, svc.effective_namespace):
        hit = on_fargate(w, index, svc)
        if hit is not None:
            return w, hit[0], hit[1]
    return None
