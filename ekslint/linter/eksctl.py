"""A richer, read-only view of an eksctl ``ClusterConfig``, with eksctl's defaults filled in.

:class:`ekslint.linter.model.ClusterConfig` only knows the document; the family L rules need to
reason about what eksctl will *create*: which subnets the control plane gets, where each node
group can place its nodes, how many IPv4 addresses those nodes can take from a subnet, whether
SSH ends up open. This module answers those questions over the located tree, so every answer can
still point at the key it came from.

Defaults follow eksctl, and each one cites where it comes from:

* the eksctl JSON schema, ``../shared/reference/eksctl-clusterconfig.schema.json`` (eksctl
  ``pkg/apis/eksctl.io/v1alpha5/assets/schema.json`` @ 99984adb, v0.230.0);
* ``../shared/reference/eks-facts.md`` (section 6 summarises eksctl's ``types.go``,
  ``validation.go`` and ``vpc.go`` constants);
* eksctl source read for this module (nothing copied): ``pkg/apis/eksctl.io/v1alpha5/defaults.go``
  (``setSSHDefaults``, ``SetClusterConfigDefaults``, ``ClusterEndpointAccessDefaults``),
  ``pkg/cfn/builder/nodegroup.go`` (min/max size defaults, SSH ingress rules) and
  ``pkg/az/az.go`` (AZ selection).

Nothing here guesses: a value that cannot be known from the file (a subnet given only by id, an
instance type chosen by ``instanceSelector`` or a launch template, a ``${PLACEHOLDER}``) comes
back as ``None`` and the rules skip it.
"""

from __future__ import annotations

import csv
import ipaddress
import json
import math
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

from ekslint.linter.loader import load_untrusted
from ekslint.linter.model import ClusterConfig, FargateProfile
from ekslint.linter.nodes import NodePath

# -- defaults -------------------------------------------------------------------------------------

#: eksctl's default node instance type (eks-facts.md section 6: "instanceType / instanceTypes ...
#: default m5.large"; eksctl ``DefaultNodeType``).
DEFAULT_INSTANCE_TYPE = "m5.large"
#: eksctl's default node count (eks-facts.md section 6: "Defaults: min=desired=2 (DefaultNodeCount)").
DEFAULT_NODE_COUNT = 2
#: EKS needs up to this many free IPs in the cluster subnets to update the control plane or its
#: logging configuration (eks-facts.md section 2, AWSDOC update-cluster.adoc, control-plane-logs.adoc).
UPGRADE_FREE_IPS = 5
#: AWS reserves the first four and the last address of every subnet (eks-facts.md section 2).
RESERVED_IPS_PER_SUBNET = 5
#: "The subnets must each have at least six IP addresses for use by Amazon EKS" (eks-facts.md section 2).
MIN_CLUSTER_SUBNET_IPS = 6
#: A /28 prefix holds 16 addresses (eks-facts.md section 1, prefix delegation).
PREFIX_IPS = 16
#: ipamd's default ``WARM_PREFIX_TARGET`` keeps one spare /28 attached (VPC CNI README, docs/prefix-and-ip-target.md).
WARM_PREFIXES = 1
#: EKS recommended max pods: 110 when the instance has at most 30 vCPUs, else 250 (eks-facts.md section 1).
MAX_PODS_SMALL, MAX_PODS_LARGE = 110, 250
#: Control plane log types EKS supports; ``all`` and ``*`` stand for every one (schema
#: ``ClusterCloudWatchLogging.enableTypes``; eksctl ``SetClusterConfigDefaults`` expands them).
LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
#: eksctl picks 3 AZs when none are given, but only 2 in us-east-1 (eksctl ``pkg/az/az.go``,
#: ``randomSelectionOfZones``: ``RecommendedAvailabilityZones`` = 3, ``MinRequiredAvailabilityZones`` = 2).
DEFAULT_AZ_COUNT, US_EAST_1_AZ_COUNT = 3, 2

AZ_NAME_RE = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+[a-z]$")  # us-west-2a, us-gov-west-1b, ap-south-2c
_SIZE_RE = re.compile(r"^(\d*)xlarge$")


# -- small typed accessors ------------------------------------------------------------------------


def as_int(value: Any) -> int | None:
    """An integer as YAML gave it (``True`` is not 1); anything else is unknown."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def as_map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_str_list(value: Any) -> tuple[str, ...]:
    """A list of strings (other items dropped), de-duplicated in order."""
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(str(v) for v in value if isinstance(v, (str, int)) and not isinstance(v, bool)))


def is_placeholder(value: str) -> bool:
    """``${VAR}``, ``{{ var }}`` and similar: a value a template fills in later."""
    return "${" in value or "{{" in value or value.startswith("$")


def minor_version(value: Any) -> int | None:
    """The minor of a ``1.NN`` version string. Floats are refused: YAML reads ``1.30`` as 1.3."""
    if not isinstance(value, str):
        return None
    m = re.match(r"^\s*1\.(\d{1,2})\s*$", value)
    return int(m.group(1)) if m else None


# -- ENI limits -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EniLimits:
    """VPC CNI limits of an instance type on its default network card."""

    max_enis: int
    ipv4_per_eni: int

    @property
    def ipv4_total(self) -> int:
        """Every IPv4 address the node can take from its subnet: primaries plus secondaries."""
        return self.max_enis * self.ipv4_per_eni


@cache
def eni_limits() -> dict[str, EniLimits]:
    """``ekslint/data/eni_limits.csv`` (generated from ``reference/eni-limits.csv``; see its header)."""
    text = resources.files("ekslint.data").joinpath("eni_limits.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    return {r["instance_type"]: EniLimits(int(r["max_enis"]), int(r["ipv4_per_eni"])) for r in rows}


def recommended_max_pods(instance_type: str) -> int:
    """EKS's recommended max pods cap (110 up to 30 vCPUs, else 250) without a vCPU table.

    The ENI table has no vCPU column, so the size suffix stands in for it: in current EC2
    families ``large`` is 2 vCPUs and ``Nxlarge`` is 4N, so up to ``7xlarge`` stays at or below 30
    vCPUs. ``metal`` sizes and anything unrecognised get the larger cap, which can only make the
    IP estimate bigger (worst case), never smaller.
    """
    size = instance_type.rpartition(".")[2]
    if size in ("nano", "micro", "small", "medium", "large"):
        return MAX_PODS_SMALL
    m = _SIZE_RE.match(size)
    if m:
        n = int(m.group(1) or 1)
        return MAX_PODS_SMALL if 4 * n <= 30 else MAX_PODS_LARGE
    return MAX_PODS_LARGE


# -- subnets --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subnet:
    """One entry of ``vpc.subnets.{private,public}``: keyed by AZ or by a name of your choosing."""

    key: str
    access: str  # "private" | "public"
    id: str | None
    cidr_text: str | None
    network: ipaddress.IPv4Network | None
    az: str | None
    path: NodePath

    @property
    def label(self) -> str:
        return self.cidr_text or self.id or self.key

    @property
    def usable(self) -> int | None:
        """Addresses left after AWS's five reserved ones (eks-facts.md section 2)."""
        if self.network is None:
            return None
        return self.network.num_addresses - RESERVED_IPS_PER_SUBNET


def _parse_network(text: str | None) -> ipaddress.IPv4Network | None:
    if text is None or is_placeholder(text):
        return None
    try:
        net = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
    return net if isinstance(net, ipaddress.IPv4Network) else None


def _subnets(vpc: dict[str, Any]) -> list[Subnet]:
    out: list[Subnet] = []
    subnets = as_map(vpc.get("subnets"))
    for access in ("private", "public"):
        for key, spec in as_map(subnets.get(access)).items():
            spec = as_map(spec)
            cidr = spec.get("cidr")
            cidr_text = str(cidr) if isinstance(cidr, str) else None
            az = as_str(spec.get("az"))
            if az is None and AZ_NAME_RE.match(str(key)):  # "AZ can be omitted if the key is an AZ" (schema)
                az = str(key)
            out.append(
                Subnet(
                    str(key),
                    access,
                    as_str(spec.get("id")),
                    cidr_text,
                    _parse_network(cidr_text),
                    az,
                    ("vpc", "subnets", access, key),
                )
            )
    return out


# -- node groups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SSH:
    """A node group's SSH settings after eksctl's ``setSSHDefaults``."""

    allow: bool
    #: which key made SSH effective: ``allow`` when set true, else the public key field that implies it
    reason_key: str | None
    source_security_group_ids: tuple[str, ...]
    enable_ssm: bool


class NodeGroup:
    """A self-managed (``nodeGroups``) or managed (``managedNodeGroups``) node group."""

    def __init__(self, path: NodePath, spec: dict[str, Any], managed: bool) -> None:
        self.path = path
        self.spec = spec
        self.managed = managed

    @property
    def name(self) -> str:
        return str(self.spec.get("name", f"#{self.path[-1]}"))

    @property
    def kind(self) -> str:
        return "managed node group" if self.managed else "node group"

    @property
    def describe(self) -> str:
        return f"{self.kind} {self.name!r}"

    def at(self, *keys: str | int) -> NodePath:
        return self.path + keys

    # instance types
    @cached_property
    def launch_template(self) -> bool:
        return self.managed and bool(self.spec.get("launchTemplate"))

    @cached_property
    def instance_selector(self) -> bool:
        """``instanceSelector`` picks types at create time: they are unknown here."""
        return any(v not in (None, "", 0) for v in as_map(self.spec.get("instanceSelector")).values())

    @cached_property
    def explicit_instance_types(self) -> tuple[str, ...]:
        types: list[str] = []
        single = as_str(self.spec.get("instanceType"))
        if single is not None and single != "mixed":
            types.append(single)
        types.extend(as_str_list(self.spec.get("instanceTypes")))  # managed node groups
        types.extend(as_str_list(as_map(self.spec.get("instancesDistribution")).get("instanceTypes")))  # spot mixes
        return tuple(dict.fromkeys(types))

    @cached_property
    def instance_types(self) -> tuple[str, ...]:
        """The node types eksctl will launch; empty when they are not in this file.

        Without any type, eksctl uses ``m5.large`` (eks-facts.md section 6), except when an
        ``instanceSelector`` or a managed node group's ``launchTemplate`` decides (eksctl
        ``SetNodeGroupDefaults``/``SetManagedNodeGroupDefaults``).
        """
        if self.explicit_instance_types:
            return self.explicit_instance_types
        if self.instance_selector or self.launch_template:
            return ()
        return (DEFAULT_INSTANCE_TYPE,)

    # scaling
    def _size(self, key: str) -> int | None:
        return as_int(self.spec.get(key))

    @cached_property
    def scaling_known(self) -> bool:
        """False when a size field is present but not an integer (``${MAX_NODES}``)."""
        return all(k not in self.spec or self._size(k) is not None for k in ("minSize", "maxSize", "desiredCapacity"))

    @cached_property
    def min_size(self) -> int | None:
        """eksctl: ``minSize`` else ``desiredCapacity`` else 2 (``pkg/cfn/builder/nodegroup.go``)."""
        if not self.scaling_known:
            return None
        return next(
            (v for v in (self._size("minSize"), self._size("desiredCapacity")) if v is not None), DEFAULT_NODE_COUNT
        )

    @cached_property
    def max_size(self) -> int | None:
        """eksctl: ``maxSize`` else ``desiredCapacity`` else the (defaulted) ``minSize``."""
        if not self.scaling_known:
            return None
        return next((v for v in (self._size("maxSize"), self._size("desiredCapacity")) if v is not None), self.min_size)

    # placement
    @cached_property
    def subnets(self) -> tuple[str, ...]:
        return as_str_list(self.spec.get("subnets"))

    @cached_property
    def availability_zones(self) -> tuple[str, ...]:
        return as_str_list(self.spec.get("availabilityZones"))

    @cached_property
    def private_networking(self) -> bool:
        """Schema default ``false``: nodes go to the public subnets."""
        return self.spec.get("privateNetworking") is True

    @cached_property
    def special_placement(self) -> bool:
        """Local Zones and Outposts: nodes outside the cluster's regional subnets."""
        return bool(self.spec.get("localZones")) or bool(self.spec.get("outpostARN"))

    # security
    @cached_property
    def ssh(self) -> SSH:
        """eksctl ``setSSHDefaults``: a public key (``publicKeyName``/``publicKeyPath``/``publicKey``)
        turns SSH on unless ``allow: false`` is written; ``allow: true`` alone uses ``~/.ssh/id_rsa.pub``."""
        ssh = as_map(self.spec.get("ssh"))
        allow = as_bool(ssh.get("allow"))
        key = next((k for k in ("publicKeyName", "publicKeyPath", "publicKey") if as_str(ssh.get(k))), None)
        if allow is True:
            effective, reason = True, "allow"
        elif allow is None and key is not None:
            effective, reason = True, key
        else:
            effective, reason = False, None
        return SSH(effective, reason, as_str_list(ssh.get("sourceSecurityGroupIds")), ssh.get("enableSsm") is True)

    @cached_property
    def volume_encrypted(self) -> bool | None:
        """No schema default: unset means the account's EBS encryption-by-default decides."""
        return as_bool(self.spec.get("volumeEncrypted"))

    @cached_property
    def disable_imdsv1(self) -> bool:
        """Schema default ``true`` (IMDSv2 tokens required)."""
        return self.spec.get("disableIMDSv1") is not False

    @cached_property
    def max_pods_per_node(self) -> int | None:
        return as_int(self.spec.get("maxPodsPerNode"))

    @cached_property
    def update_config(self) -> dict[str, Any] | None:
        value = self.spec.get("updateConfig")
        return value if isinstance(value, dict) and value else None

    @cached_property
    def ami_family(self) -> str:
        """Schema default ``AmazonLinux2023``."""
        return as_str(self.spec.get("amiFamily")) or "AmazonLinux2023"

    @cached_property
    def version(self) -> str | None:
        """A node group ``version`` if written (not in the current schema), else a managed
        group's ``releaseVersion`` (an AMI release such as ``1.33.0-20250704``)."""
        return as_str(self.spec.get("version")) or as_str(self.spec.get("releaseVersion"))


# -- add-ons --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Addon:
    name: str
    path: NodePath
    spec: dict[str, Any]

    @cached_property
    def configuration(self) -> dict[str, Any]:
        """``configurationValues``: a JSON (or YAML) string per the schema; a mapping is accepted too."""
        raw = self.spec.get("configurationValues")
        if isinstance(raw, dict):
            return raw
        if not isinstance(raw, str) or not raw.strip():
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            docs = load_untrusted(raw)
            value = docs[0] if len(docs) == 1 else None
        return value if isinstance(value, dict) else {}

    def env(self, name: str) -> str | None:
        value = as_map(self.configuration.get("env")).get(name)
        if isinstance(value, bool):
            return "true" if value else "false"
        return None if value is None else str(value)

    def env_true(self, name: str) -> bool:
        return (self.env(name) or "").strip().lower() == "true"


# -- the cluster ----------------------------------------------------------------------------------


class EksctlCluster:
    """Everything the family L rules read from one ClusterConfig, with eksctl's defaults."""

    def __init__(self, cfg: ClusterConfig) -> None:
        self.cfg = cfg
        self.root: dict[str, Any] = cfg.root

    # metadata
    @property
    def name(self) -> str:
        return self.cfg.name or "<unnamed>"

    @property
    def region(self) -> str | None:
        return self.cfg.region

    @cached_property
    def version_minor(self) -> int | None:
        """``metadata.version`` minor, or None when unset/unreadable (eksctl's default is 1.34)."""
        return minor_version(self.cfg.metadata.get("version"))

    # topology
    @cached_property
    def vpc(self) -> dict[str, Any]:
        return as_map(self.root.get("vpc"))

    @cached_property
    def availability_zones(self) -> tuple[str, ...]:
        return as_str_list(self.root.get("availabilityZones"))

    @cached_property
    def subnets(self) -> list[Subnet]:
        return _subnets(self.vpc)

    @cached_property
    def outpost(self) -> bool:
        """EKS local clusters on AWS Outposts (single-AZ by nature, private endpoint only)."""
        return bool(self.root.get("outpost"))

    @cached_property
    def auto_mode(self) -> bool:
        return as_map(self.root.get("autoModeConfig")).get("enabled") is True

    @cached_property
    def private_cluster(self) -> bool:
        """``privateCluster.enabled`` (schema default false): no public endpoint, no internet egress."""
        return as_map(self.root.get("privateCluster")).get("enabled") is True

    @cached_property
    def ip_family(self) -> str:
        """``kubernetesNetworkConfig.ipFamily``: IPv4 unless IPv6 is written."""
        fam = as_str(as_map(self.root.get("kubernetesNetworkConfig")).get("ipFamily")) or "IPv4"
        return "IPv6" if fam.lower() == "ipv6" else "IPv4"

    def control_plane_subnets(self) -> list[Subnet] | None:
        """The subnets EKS gets for its control-plane ENIs, or None when they cannot be told.

        ``vpc.controlPlaneSubnetIDs`` names them by id; ``vpc.controlPlaneOnPrivateSubnets``
        keeps them to the private ones (schema descriptions); otherwise every subnet of
        ``vpc.subnets`` is a cluster subnet.
        """
        ids = as_str_list(self.vpc.get("controlPlaneSubnetIDs"))
        if ids:
            chosen = [s for s in self.subnets if s.id in ids]
            return chosen if len(chosen) == len(ids) else None
        if self.vpc.get("controlPlaneOnPrivateSubnets") is True:
            return [s for s in self.subnets if s.access == "private"]
        return list(self.subnets)

    def resolve_subnet(self, ref: str, access: str | None = None) -> Subnet | None:
        """A node group's ``subnets`` entry: a key of ``vpc.subnets`` or a subnet id.

        eksctl looks the names up among the private subnets for ``privateNetworking: true``
        groups and among the public ones otherwise; the other kind is a fallback here.
        """
        matches = [s for s in self.subnets if ref in (s.key, s.id)]
        preferred = [s for s in matches if s.access == access]
        found = preferred or matches
        return found[0] if found else None

    def cluster_azs(self) -> tuple[tuple[str, ...] | None, NodePath]:
        """The cluster's AZs as written (``availabilityZones``, else those of its subnets) and
        where they are; ``(None, ...)`` when neither is written or a subnet's AZ is unknown."""
        if self.availability_zones:
            return self.availability_zones, ("availabilityZones",)
        subnets = self.control_plane_subnets()
        if not self.subnets or subnets is None:
            return None, ()
        if any(s.az is None for s in subnets):
            return None, ()
        return tuple(dict.fromkeys(s.az for s in subnets if s.az)), ("vpc", "subnets")

    def default_az_count(self) -> int:
        """How many AZs eksctl picks when none are written (``pkg/az/az.go``)."""
        return US_EAST_1_AZ_COUNT if self.region == "us-east-1" else DEFAULT_AZ_COUNT

    # node groups
    @cached_property
    def node_groups(self) -> list[NodeGroup]:
        return [NodeGroup(path, spec, managed) for path, spec, managed in self.cfg.node_groups()]

    def fargate_profiles(self) -> Iterator[FargateProfile]:
        return self.cfg.fargate_profiles()

    # endpoint
    @cached_property
    def cluster_endpoints(self) -> dict[str, Any]:
        return as_map(self.vpc.get("clusterEndpoints"))

    @cached_property
    def public_access(self) -> bool:
        """eksctl ``ClusterEndpointAccessDefaults``: public true, private false (eks-facts.md section 6)."""
        return self.cluster_endpoints.get("publicAccess") is not False

    @cached_property
    def private_access(self) -> bool:
        return self.cluster_endpoints.get("privateAccess") is True

    @cached_property
    def public_access_cidrs(self) -> tuple[str, ...]:
        """Unset means 0.0.0.0/0 (EKS API ``publicAccessCidrs`` default, eks-facts.md section 6)."""
        return as_str_list(self.vpc.get("publicAccessCIDRs"))

    # logging, encryption, access
    @cached_property
    def logging_types(self) -> frozenset[str]:
        types = as_str_list(as_map(as_map(self.root.get("cloudWatch")).get("clusterLogging")).get("enableTypes"))
        if "all" in types or "*" in types:
            return frozenset(LOG_TYPES)
        return frozenset(types)

    @cached_property
    def secrets_key_arn(self) -> str | None:
        return as_str(as_map(self.root.get("secretsEncryption")).get("keyARN"))

    @cached_property
    def authentication_mode(self) -> str | None:
        """``accessConfig.authenticationMode`` as written (None when unset)."""
        return as_str(as_map(self.root.get("accessConfig")).get("authenticationMode"))

    @cached_property
    def iam(self) -> dict[str, Any]:
        return as_map(self.root.get("iam"))

    @cached_property
    def with_oidc(self) -> bool:
        """eksctl ``SetClusterConfigDefaults``: ``iam.withOIDC`` defaults to false."""
        return self.iam.get("withOIDC") is True

    @cached_property
    def addons(self) -> list[Addon]:
        items = self.root.get("addons")
        return [
            Addon(str(a.get("name", "")), ("addons", i), a)
            for i, a in enumerate(items if isinstance(items, list) else [])
            if isinstance(a, dict)
        ]

    def addon(self, name: str) -> Addon | None:
        return next((a for a in self.addons if a.name.lower() == name), None)

    @cached_property
    def pod_identity_associations(self) -> int:
        """Pod Identity associations eksctl creates: ``iam.podIdentityAssociations`` and those of
        add-ons (explicit, or ``useDefaultPodIdentityAssociations``)."""
        assoc = self.iam.get("podIdentityAssociations")
        count = len(assoc) if isinstance(assoc, list) else 0
        for a in self.addons:
            assoc = a.spec.get("podIdentityAssociations")
            count += len(assoc) if isinstance(assoc, list) else 0
            count += 1 if a.spec.get("useDefaultPodIdentityAssociations") is True else 0
        return count

    # VPC CNI mode
    @cached_property
    def vpc_cni(self) -> Addon | None:
        return self.addon("vpc-cni")

    @cached_property
    def prefix_delegation(self) -> bool:
        """``ENABLE_PREFIX_DELEGATION=true`` in the vpc-cni add-on's configuration (eks-facts.md section 1)."""
        return self.vpc_cni is not None and self.vpc_cni.env_true("ENABLE_PREFIX_DELEGATION")

    @cached_property
    def custom_networking(self) -> bool:
        """``AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true``: pod ENIs live in ENIConfig subnets instead."""
        return self.vpc_cni is not None and self.vpc_cni.env_true("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG")


_CACHE: weakref.WeakKeyDictionary[ClusterConfig, EksctlCluster] = weakref.WeakKeyDictionary()


def cluster(cfg: ClusterConfig) -> EksctlCluster:
    """The (cached) :class:`EksctlCluster` of a ClusterConfig, shared by every rule of a scan."""
    view = _CACHE.get(cfg)
    if view is None:
        view = _CACHE[cfg] = EksctlCluster(cfg)
    return view


# -- IP arithmetic --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeIPs:
    """How many IPv4 addresses of its subnet one node of ``instance_type`` can take."""

    instance_type: str
    per_node: int
    detail: str = ""


def node_ips(c: EksctlCluster, instance_type: str, max_pods: int | None, *, windows: bool = False) -> NodeIPs | None:
    """IPv4 addresses one node can take from its own subnet, or None for an unknown type.

    * Secondary-IP mode (the VPC CNI default): every slot of every ENI, ``ENIs x IPv4 per ENI``
      (eks-facts.md section 1; with ``WARM_ENI_TARGET=1`` a full node holds all of them).
    * Prefix delegation: each ENI keeps its primary IP and fills its other slots with /28
      prefixes (16 IPs), but ipamd only attaches the prefixes the node's pods need plus
      ``WARM_PREFIX_TARGET`` (1). The node runs at most ``maxPodsPerNode`` pods, else EKS's
      recommended 110/250 cap, so: ``prefixes = min(ENIs x (IPv4 per ENI - 1),
      ceil(max pods / 16) + 1)``, ``ENIs used = ceil(prefixes / (IPv4 per ENI - 1))`` and
      ``IPs = 16 x prefixes + ENIs used``. Charging every slot (m5.large: 3 x (9 x 16 + 1) =
      435 IPs) would exceed what any kubelet lets the node use.
    * IPv6 clusters and custom networking: pods take no IPv4 from the node's subnet; the node
      keeps one primary IPv4 address there.
    * Windows nodes use their primary ENI only (Amazon EKS user guide, Windows support: max pods
      = IPv4 per ENI - 1), so they take ``IPv4 per ENI`` addresses.
    """
    limits = eni_limits().get(instance_type)
    if limits is None:
        return None
    if c.ip_family == "IPv6":
        return NodeIPs(instance_type, 1, "IPv6 pods: only the node's primary IPv4")
    if c.custom_networking:
        return NodeIPs(instance_type, 1, "custom networking: pod ENIs use ENIConfig subnets")
    if windows:
        return NodeIPs(instance_type, limits.ipv4_per_eni, "Windows: primary ENI only")
    if not c.prefix_delegation or limits.ipv4_per_eni < 2:
        return NodeIPs(instance_type, limits.ipv4_total)
    slots_per_eni = limits.ipv4_per_eni - 1
    pods = max_pods if max_pods is not None and max_pods > 0 else recommended_max_pods(instance_type)
    prefixes = min(limits.max_enis * slots_per_eni, math.ceil(pods / PREFIX_IPS) + WARM_PREFIXES)
    enis = math.ceil(prefixes / slots_per_eni)
    return NodeIPs(
        instance_type,
        prefixes * PREFIX_IPS + enis,
        f"prefix delegation: {prefixes} /28 prefixes + {enis} ENI primary IP{'s' if enis > 1 else ''}",
    )


@dataclass(frozen=True)
class GroupDemand:
    """A node group's worst case in one subnet: all of its ``maxSize`` nodes land there."""

    group: NodeGroup
    nodes: int
    ips: NodeIPs

    @property
    def total(self) -> int:
        return self.nodes * self.ips.per_node

    @property
    def arithmetic(self) -> str:
        text = f"{self.nodes} x {self.ips.instance_type} x {self.ips.per_node} IPs"
        return f"{text} [{self.ips.detail}]" if self.ips.detail else text


def group_demand(c: EksctlCluster, ng: NodeGroup) -> GroupDemand | None:
    """The group's IP demand with its hungriest known instance type; None when unknown.

    Instance types missing from the ENI table are skipped (not guessed): the estimate then uses
    the known ones, a lower bound of the real worst case, so a finding it gives still holds.
    """
    nodes = ng.max_size
    if nodes is None or nodes <= 0:
        return None
    windows = ng.ami_family.startswith("Windows")
    known = [
        ips for t in ng.instance_types if (ips := node_ips(c, t, ng.max_pods_per_node, windows=windows)) is not None
    ]
    if not known:
        return None
    return GroupDemand(ng, nodes, max(known, key=lambda ips: ips.per_node))


def placements(c: EksctlCluster, ng: NodeGroup) -> list[Subnet]:
    """The subnets to charge with the group's whole worst-case demand.

    Listed ``subnets``: any one of them may receive every node (an AZ outage, ASG rebalancing,
    capacity in one AZ only), so each listed subnet is charged in full. Otherwise the group
    spreads over the private (``privateNetworking: true``) or public subnets of its
    ``availabilityZones`` (else the cluster's): the smallest of those with a known CIDR is
    charged in full, as the worst case.
    """
    if ng.special_placement:
        return []
    access = "private" if ng.private_networking else "public"
    if ng.subnets:
        out: list[Subnet] = []
        for ref in ng.subnets:
            s = c.resolve_subnet(ref, access)
            if s is not None and s not in out:
                out.append(s)
        return out
    azs = ng.availability_zones or c.availability_zones
    candidates = [s for s in c.subnets if s.access == access and s.network is not None and (not azs or s.az in azs)]
    if not candidates:
        return []
    return [min(candidates, key=lambda s: s.usable or 0)]
