"""The eksctl adapter: a ``ClusterConfig`` as a :class:`~ekslint.linter.cluster.model.Cluster`.

eksctl fills in a lot that the file leaves out, and the rules must judge what eksctl will
*create*: which subnets the control plane gets, where each node group can place its nodes, how
many IPv4 addresses those nodes can take from a subnet, whether SSH ends up open. Every site is
the ClusterConfig object and a node path in it, so findings keep the object's annotation
suppressions and Kustomize origins.

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
instance type chosen by ``instanceSelector`` or a launch template, a placeholder such as
``${CIDR}``, see :mod:`ekslint.linter.placeholders`) is left unknown and the rules skip it.
"""

from __future__ import annotations

import json
import re
import weakref
from typing import Any

from ekslint.data.eks_versions import EKSCTL_DEFAULT_VERSION
from ekslint.linter.cluster.model import (
    EKSCTL,
    IMDS,
    SSH,
    YAML_SYNTAX,
    Addon,
    Cluster,
    FargateProfile,
    FargateSelector,
    Field,
    NodeGroup,
    Site,
    Subnet,
    VersionValue,
    VolumeSetting,
    parse_network,
)
from ekslint.linter.loader import load_untrusted
from ekslint.linter.model import ClusterConfig
from ekslint.linter.nodes import NodePath
from ekslint.linter.placeholders import is_placeholder
from ekslint.linter.versions import WrittenVersion, cluster_version, written_version

#: eksctl's default node instance type (eks-facts.md section 6: "instanceType / instanceTypes ...
#: default m5.large"; eksctl ``DefaultNodeType``).
DEFAULT_INSTANCE_TYPE = "m5.large"
#: eksctl's default node count (eks-facts.md section 6: "Defaults: min=desired=2 (DefaultNodeCount)").
DEFAULT_NODE_COUNT = 2
#: Control plane log types EKS supports; ``all`` and ``*`` stand for every one (schema
#: ``ClusterCloudWatchLogging.enableTypes``; eksctl ``SetClusterConfigDefaults`` expands them).
LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
#: eksctl picks 3 AZs when none are given, but only 2 in us-east-1 (eksctl ``pkg/az/az.go``,
#: ``randomSelectionOfZones``: ``RecommendedAvailabilityZones`` = 3, ``MinRequiredAvailabilityZones`` = 2).
DEFAULT_AZ_COUNT, US_EAST_1_AZ_COUNT = 3, 2

AZ_NAME_RE = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+[a-z]$")  # us-west-2a, us-gov-west-1b, ap-south-2c

#: ``NodeGroup`` fields of the eksctl schema that ``ManagedNodeGroup`` lacks: a group using one of
#: them needs to stay self-managed (``containerRuntime`` is left out: managed nodes run containerd).
SELF_MANAGED_ONLY = (
    "asgMetricsCollection",
    "classicLoadBalancerNames",
    "clusterDNS",
    "cpuCredits",
    "enclaveEnabled",
    "kubeletExtraConfig",
    "localZones",
    "maxInstanceLifetime",
    "targetGroupARNs",
    "outpostARN",
)


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


def minor_version(value: Any) -> int | None:
    """The minor of a ``1.NN`` version string. Floats are refused: YAML reads ``1.30`` as 1.3."""
    if not isinstance(value, str):
        return None
    m = re.match(r"^\s*1\.(\d{1,2})\s*$", value)
    return int(m.group(1)) if m else None


def parse_addon_configuration(raw: Any) -> dict[str, Any]:
    """Add-on ``configurationValues``: a JSON (or YAML) string per the schema; a mapping is accepted too."""
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


# -- the adapter ----------------------------------------------------------------------------------


class _Builder:
    """Builds the :class:`Cluster` of one ClusterConfig."""

    def __init__(self, cfg: ClusterConfig) -> None:
        self.cfg = cfg
        self.root: dict[str, Any] = cfg.root
        self.vpc = as_map(self.root.get("vpc"))
        self.ref = cfg.ref

    def site(self, *path: str | int, value: bool = False) -> Site:
        return Site(self.cfg.file, obj=self.cfg, path=tuple(path), value=value)

    # -- subnets
    def subnets(self) -> list[Subnet]:
        out: list[Subnet] = []
        subnets = as_map(self.vpc.get("subnets"))
        for access in ("private", "public"):
            for key, spec in as_map(subnets.get(access)).items():
                spec = as_map(spec)
                cidr = spec.get("cidr")
                cidr_text = str(cidr) if isinstance(cidr, str) else None
                az = as_str(spec.get("az"))
                if az is None and AZ_NAME_RE.match(str(key)):  # "AZ can be omitted if the key is an AZ" (schema)
                    az = str(key)
                sid = as_str(spec.get("id"))
                network = None if cidr_text is None or is_placeholder(cidr_text) else parse_network(cidr_text)
                out.append(
                    Subnet(
                        label=cidr_text or sid or str(key),
                        site=self.site("vpc", "subnets", access, key, "cidr"),
                        access=access,
                        id=sid,
                        cidr_text=cidr_text,
                        network=network,
                        az=az,
                        key=str(key),
                    )
                )
        return out

    def control_plane_subnets(self, subnets: list[Subnet]) -> list[Subnet] | None:
        """The subnets EKS gets for its control-plane ENIs, or None when they cannot be told.

        ``vpc.controlPlaneSubnetIDs`` names them by id; ``vpc.controlPlaneOnPrivateSubnets``
        keeps them to the private ones (schema descriptions); otherwise every subnet of
        ``vpc.subnets`` is a cluster subnet.
        """
        ids = as_str_list(self.vpc.get("controlPlaneSubnetIDs"))
        if ids:
            chosen = [s for s in subnets if s.id in ids]
            return chosen if len(chosen) == len(ids) else None
        if self.vpc.get("controlPlaneOnPrivateSubnets") is True:
            return [s for s in subnets if s.access == "private"]
        return list(subnets)

    # -- node groups
    def node_group(
        self, c: Cluster, path: NodePath, spec: dict[str, Any], managed: bool, subnets: list[Subnet]
    ) -> NodeGroup:
        name = str(spec.get("name", f"#{path[-1]}"))
        kind = "managed node group" if managed else "node group"
        describe = f"{kind} {name!r}"

        def at(*keys: str | int, value: bool = False) -> Site:
            return self.site(*path, *keys, value=value)

        ng = NodeGroup(name=name, managed=managed, site=at(), describe=describe)
        launch_template = managed and bool(spec.get("launchTemplate"))
        # instance types
        ng.instance_types = _instance_types(spec, launch_template)
        # scaling
        ng.max_size = _max_size(spec)
        ng.max_pods_per_node = as_int(spec.get("maxPodsPerNode"))
        ami_family = as_str(spec.get("amiFamily")) or "AmazonLinux2023"  # schema default
        ng.windows = ami_family.startswith("Windows")
        # placement
        private_networking = spec.get("privateNetworking") is True  # schema default false
        ng.special_placement = bool(spec.get("localZones")) or bool(spec.get("outpostARN"))
        listed = as_str_list(spec.get("subnets"))
        own_azs = as_str_list(spec.get("availabilityZones"))
        ng.placement = _placements(c, subnets, listed, own_azs, private_networking, ng.special_placement)
        ng.azs, azs_key = _node_group_azs(subnets, listed, own_azs, private_networking)
        ng.azs_site = at(*azs_key) if ng.azs is not None else None
        if not private_networking:
            explicit = spec.get("privateNetworking") is False
            state = "privateNetworking: false" if explicit else "no privateNetworking: true"
            no_public = bool(subnets) and not any(s.access == "public" for s in subnets)
            if no_public:
                effect = "it asks for public subnets, but vpc.subnets lists only private ones, so eksctl rejects it"
            else:
                effect = "eksctl launches its nodes in public subnets with public IP addresses"
            ng.public = (
                f"{state}: {effect}",
                at("privateNetworking"),
                "set privateNetworking: true (outbound traffic then goes through the NAT gateway)",
            )
        # security
        ng.ssh = _ssh(spec, at, private_networking, launch_template)
        if spec.get("disableIMDSv1") is False:  # schema default true
            ng.imds = IMDS(
                tokens_optional=at("disableIMDSv1"),
                tokens_text=f"eksctl {describe} sets disableIMDSv1: false",
                tokens_fix="remove the line (eksctl defaults to true) or set disableIMDSv1: true",
            )
        if as_bool(spec.get("volumeEncrypted")) is False:
            ng.volume_unencrypted.append(
                VolumeSetting(
                    "volumeEncrypted: false",
                    at("volumeEncrypted"),
                    "set volumeEncrypted: true (and volumeKmsKeyID for your own key)",
                )
            )
        if managed:
            update = spec.get("updateConfig")
            ng.has_update_config = isinstance(update, dict) and bool(update)
        ng.needs_self_managed = None if managed else _needs_self_managed(spec)
        ng.managed_alternative = "managedNodeGroups"
        ng.update_config_hint = (
            "has no updateConfig: EKS updates it with maxUnavailable 1, one node at a time; set "
            "updateConfig.maxUnavailable or maxUnavailablePercentage to what the workloads can spare"
        )
        for key in ("version", "releaseVersion"):
            written = written_version(spec, key, self.cfg.file)
            if written is not None:
                ng.versions.append(_version_value(written, at(key, value=True), key))
        return ng

    def build(self) -> Cluster:
        cfg, root, vpc = self.cfg, self.root, self.vpc
        c = Cluster(
            source=EKSCTL,
            name=cfg.name or "<unnamed>",
            site=self.site(),
            syntax=YAML_SYNTAX,
            describe=f"eksctl cluster {(cfg.name or '<unnamed>')!r}",
            tool="eksctl",
            home=cfg.file,
            region=cfg.region,
        )
        written = cluster_version(cfg)
        c.version_site = self.site("metadata", "version", value=True)
        if written is not None:
            c.version = _version_value(written, c.version_site, "metadata.version")
        c.default_version = EKSCTL_DEFAULT_VERSION
        c.default_version_text = f"eksctl's default {EKSCTL_DEFAULT_VERSION}"
        c.outpost = bool(root.get("outpost"))
        c.auto_mode = as_map(root.get("autoModeConfig")).get("enabled") is True
        c.private_cluster = as_map(root.get("privateCluster")).get("enabled") is True
        fam = as_str(as_map(root.get("kubernetesNetworkConfig")).get("ipFamily")) or "IPv4"
        c.ip_family = "IPv6" if fam.lower() == "ipv6" else "IPv4"
        c.karpenter = bool(root.get("karpenter"))
        subnets = self.subnets()
        c.control_plane_subnets = self.control_plane_subnets(subnets)
        c.unresolved_subnets = [s.label for s in (c.control_plane_subnets or []) if s.usable is None]
        azs = as_str_list(root.get("availabilityZones"))
        if azs:
            c.availability_zones, c.availability_zones_site = azs, self.site("availabilityZones")
        elif subnets:
            c.availability_zones_site = self.site("vpc", "subnets")
        elif c.region == "us-east-1":
            c.implicit_azs = (
                US_EAST_1_AZ_COUNT,
                "availabilityZones is unset, and in us-east-1 eksctl then picks only 2 Availability Zones: "
                "losing one leaves half the capacity; list 3 AZs in availabilityZones",
                self.site("metadata", "region"),
            )
        c.az_fix = "list 3 AZs"
        # endpoint
        endpoints = as_map(vpc.get("clusterEndpoints"))
        explicit_public = "publicAccess" in endpoints
        c.endpoint_public = Field(
            endpoints.get("publicAccess") is not False,  # eksctl ClusterEndpointAccessDefaults (eks-facts.md 6)
            "publicAccess",
            self.site("vpc", "clusterEndpoints", "publicAccess")
            if explicit_public
            else self.site("vpc", "publicAccessCIDRs"),
            written=explicit_public,
            hint="list only your networks in vpc.publicAccessCIDRs, or set vpc.clusterEndpoints.privateAccess: "
            "true and publicAccess: false",
        )
        c.endpoint_private = Field(
            endpoints.get("privateAccess") is True,
            "vpc.clusterEndpoints.privateAccess",
            self.site("vpc", "clusterEndpoints", "privateAccess"),
            written="privateAccess" in endpoints,
        )
        raw_cidrs = vpc.get("publicAccessCIDRs")
        cidr_items = raw_cidrs if isinstance(raw_cidrs, list) else []
        c.public_access_cidrs = Field(
            tuple(str(x).strip() if isinstance(x, str) else "" for x in cidr_items),
            "vpc.publicAccessCIDRs",
            self.site("vpc", "publicAccessCIDRs"),
            written=bool(as_str_list(raw_cidrs)),
            items=tuple(self.site("vpc", "publicAccessCIDRs", i) for i in range(len(cidr_items))),
        )
        # logging
        types = as_str_list(as_map(as_map(root.get("cloudWatch")).get("clusterLogging")).get("enableTypes"))
        enabled = frozenset(LOG_TYPES) if "all" in types or "*" in types else frozenset(types)
        c.logging = Field(
            enabled,
            "cloudWatch.clusterLogging.enableTypes",
            self.site("cloudWatch", "clusterLogging", "enableTypes"),
            written=bool(types),
            hint='enableTypes (or use ["*"])',
        )
        # encryption
        key_arn = as_str(as_map(root.get("secretsEncryption")).get("keyARN"))
        c.secrets_key = Field(
            key_arn,
            "secretsEncryption.keyARN",
            self.site("secretsEncryption", "keyARN"),
            written=key_arn is not None,
            default="no secretsEncryption.keyARN",
            hint="set secretsEncryption.keyARN to a customer-managed KMS key",
        )
        mode = as_str(as_map(root.get("accessConfig")).get("authenticationMode"))
        c.authentication_mode = Field(
            mode, "accessConfig.authenticationMode", self.site("accessConfig", "authenticationMode")
        )
        # identity
        iam = as_map(root.get("iam"))
        oidc_state = "iam.withOIDC: false" if iam.get("withOIDC") is False else "iam.withOIDC is unset"
        c.oidc = Field(
            iam.get("withOIDC") is True,
            "iam.withOIDC",
            self.site("iam", "withOIDC"),
            default=oidc_state,
            hint="set iam.withOIDC: true (IRSA) or add the eks-pod-identity-agent add-on and "
            "iam.podIdentityAssociations",
        )
        c.addons = self.addons()
        c.pod_identity_associations = self.pod_identity_associations(iam)
        # node groups and Fargate
        c.node_groups = [self.node_group(c, path, spec, managed, subnets) for path, spec, managed in cfg.node_groups()]
        c.fargate_profiles = [
            FargateProfile(
                p.name,
                self.site(*p.path),
                tuple(FargateSelector(ns, labels) for _, ns, labels in p.selectors),
            )
            for p in cfg.fargate_profiles()
        ]
        return c

    def addons(self) -> list[Addon]:
        items = self.root.get("addons")
        return [
            Addon(
                str(a.get("name", "")), self.site("addons", i), parse_addon_configuration(a.get("configurationValues"))
            )
            for i, a in enumerate(items if isinstance(items, list) else [])
            if isinstance(a, dict)
        ]

    def pod_identity_associations(self, iam: dict[str, Any]) -> int:
        """Pod Identity associations eksctl creates: ``iam.podIdentityAssociations`` and those of
        add-ons (explicit, or ``useDefaultPodIdentityAssociations``)."""
        assoc = iam.get("podIdentityAssociations")
        count = len(assoc) if isinstance(assoc, list) else 0
        items = self.root.get("addons")
        for a in items if isinstance(items, list) else []:
            if not isinstance(a, dict):
                continue
            assoc = a.get("podIdentityAssociations")
            count += len(assoc) if isinstance(assoc, list) else 0
            count += 1 if a.get("useDefaultPodIdentityAssociations") is True else 0
        return count


def _version_value(written: WrittenVersion, at: Site, key: str) -> VersionValue:
    return VersionValue(written.written, written.read_as, written.unquoted_number, at, key)


def _instance_types(spec: dict[str, Any], launch_template: bool) -> tuple[str, ...]:
    """The node types eksctl will launch; empty when they are not in this file.

    Without any type, eksctl uses ``m5.large`` (eks-facts.md section 6), except when an
    ``instanceSelector`` or a managed node group's ``launchTemplate`` decides (eksctl
    ``SetNodeGroupDefaults``/``SetManagedNodeGroupDefaults``).
    """
    types: list[str] = []
    single = as_str(spec.get("instanceType"))
    if single is not None and single != "mixed":
        types.append(single)
    types.extend(as_str_list(spec.get("instanceTypes")))  # managed node groups
    types.extend(as_str_list(as_map(spec.get("instancesDistribution")).get("instanceTypes")))  # spot mixes
    explicit = tuple(dict.fromkeys(types))
    if explicit:
        return explicit
    selector = any(v not in (None, "", 0) for v in as_map(spec.get("instanceSelector")).values())
    if selector or launch_template:
        return ()
    return (DEFAULT_INSTANCE_TYPE,)


def _max_size(spec: dict[str, Any]) -> int | None:
    """eksctl: ``maxSize`` else ``desiredCapacity`` else the (defaulted) ``minSize``, where
    ``minSize`` defaults to ``desiredCapacity`` else 2 (``pkg/cfn/builder/nodegroup.go``).
    None when a size field is present but not an integer (``${MAX_NODES}``)."""
    keys = ("minSize", "maxSize", "desiredCapacity")
    if any(k in spec and as_int(spec.get(k)) is None for k in keys):
        return None
    lo, hi, desired = (as_int(spec.get(k)) for k in keys)
    min_size = next((v for v in (lo, desired) if v is not None), DEFAULT_NODE_COUNT)
    return next((v for v in (hi, desired) if v is not None), min_size)


def resolve_subnet(subnets: list[Subnet], ref: str, access: str | None = None) -> Subnet | None:
    """A node group's ``subnets`` entry: a key of ``vpc.subnets`` or a subnet id.

    eksctl looks the names up among the private subnets for ``privateNetworking: true``
    groups and among the public ones otherwise; the other kind is a fallback here.
    """
    matches = [s for s in subnets if ref in (s.key, s.id)]
    preferred = [s for s in matches if s.access == access]
    found = preferred or matches
    return found[0] if found else None


def _placements(
    c: Cluster,
    subnets: list[Subnet],
    listed: tuple[str, ...],
    own_azs: tuple[str, ...],
    private_networking: bool,
    special: bool,
) -> list[Subnet]:
    """The subnets to charge with the group's whole worst-case demand.

    Listed ``subnets``: any one of them may receive every node (an AZ outage, ASG rebalancing,
    capacity in one AZ only), so each listed subnet is charged in full. Otherwise the group
    spreads over the private (``privateNetworking: true``) or public subnets of its
    ``availabilityZones`` (else the cluster's): the smallest of those with a known CIDR is
    charged in full, as the worst case.
    """
    if special:
        return []
    access = "private" if private_networking else "public"
    if listed:
        out: list[Subnet] = []
        for ref in listed:
            s = resolve_subnet(subnets, ref, access)
            if s is not None and s not in out:
                out.append(s)
        return out
    azs = own_azs or c.availability_zones
    candidates = [s for s in subnets if s.access == access and s.network is not None and (not azs or s.az in azs)]
    if not candidates:
        return []
    return [min(candidates, key=lambda s: s.usable or 0)]


def _node_group_azs(
    subnets: list[Subnet], listed: tuple[str, ...], own_azs: tuple[str, ...], private_networking: bool
) -> tuple[tuple[str, ...] | None, NodePath]:
    """The group's AZs for ``single-az`` and the key that decides them (relative to the group)."""
    if own_azs:
        return own_azs, ("availabilityZones",)
    if not listed:
        return None, ()
    if len(listed) == 1:  # one subnet is one AZ, whatever it is
        resolved = resolve_subnet(subnets, listed[0])
        return ((resolved.az,) if resolved is not None and resolved.az else (f"subnet {listed[0]}",)), ("subnets",)
    found = [resolve_subnet(subnets, ref, "private" if private_networking else "public") for ref in listed]
    known = [s.az for s in found if s is not None and s.az]
    return (tuple(dict.fromkeys(known)) if len(known) == len(found) else None), ("subnets",)


def _ssh(spec: dict[str, Any], at: Any, private_networking: bool, launch_template: bool) -> SSH | None:
    """eksctl ``setSSHDefaults``: a public key (``publicKeyName``/``publicKeyPath``/``publicKey``)
    turns SSH on unless ``allow: false`` is written; ``allow: true`` alone uses ``~/.ssh/id_rsa.pub``.

    With SSH on and no ``sourceSecurityGroupIds``, eksctl opens port 22 to the world for groups in
    public subnets (to the VPC CIDR only with ``privateNetworking: true``); ``launchTemplate``
    groups take SSH from the template.
    """
    ssh = as_map(spec.get("ssh"))
    allow = as_bool(ssh.get("allow"))
    key = next((k for k in ("publicKeyName", "publicKeyPath", "publicKey") if as_str(ssh.get(k))), None)
    if allow is True:
        reason = "allow"
    elif allow is None and key is not None:
        reason = key
    else:
        return None
    sources = as_str_list(ssh.get("sourceSecurityGroupIds"))
    why = "ssh.allow: true" if reason == "allow" else f"ssh.{reason} (eksctl then allows SSH)"
    return SSH(
        open_to_world=not sources and not private_networking and not launch_template,
        why=why,
        at=at("ssh", reason),
        restrict_key="ssh.sourceSecurityGroupIds in public subnets",
        opener="eksctl opens port 22 to 0.0.0.0/0 and ::/0",
        fix="set sourceSecurityGroupIds",
        enable_ssm=ssh.get("enableSsm") is True,
    )


def _needs_self_managed(spec: dict[str, Any]) -> str | None:
    for key in SELF_MANAGED_ONLY:
        if spec.get(key):
            return key
    dist = as_map(spec.get("instancesDistribution"))
    if dist:
        # Managed groups are all on-demand or all spot (spot: true): a mix, or a spot price cap, is ASG-only.
        base = as_int(dist.get("onDemandBaseCapacity")) or 0
        pct = as_int(dist.get("onDemandPercentageAboveBaseCapacity"))
        pct = 100 if pct is None else pct
        if dist.get("maxPrice") is not None or (0 < pct < 100) or (base > 0 and pct < 100):
            return "instancesDistribution"
    return None


_CACHE: weakref.WeakKeyDictionary[ClusterConfig, Cluster] = weakref.WeakKeyDictionary()


def eksctl_cluster(cfg: ClusterConfig) -> Cluster:
    """The (cached) :class:`Cluster` of a ClusterConfig, shared by every rule of a scan."""
    found = _CACHE.get(cfg)
    if found is None:
        found = _CACHE[cfg] = _Builder(cfg).build()
    return found
