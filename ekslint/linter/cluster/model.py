"""One model of an EKS cluster, whatever file defines it: eksctl, Terraform or CloudFormation.

The family L rules (and the cluster parts of ``eks-version-support``, ``nodegroup-version-skew``,
``imdsv1-allowed`` and the Fargate rules) ask questions of a *cluster*: which subnets the
control plane gets, where each node group puts its nodes and how many IPs they can take, whether
the API endpoint is public, which control plane logs are on. Each source answers them in its own
words and with its own defaults; an adapter per source (:mod:`ekslint.linter.cluster.eksctl`,
:mod:`ekslint.linter.terraform.clusters`, :mod:`ekslint.linter.cloudformation.clusters`) maps it
onto the classes here, and the rules read only these classes.

Every value carries where it came from (:class:`Site`) and the name the source gives it
(``key``), so a rule can point at the line that decides and say what to change in the source's
own terms (``vpc.clusterEndpoints.publicAccess``, ``endpoint_public_access``,
``ResourcesVpcConfig.EndpointPublicAccess``). A value the source does not let us know statically
(a subnet given by id, a variable nothing sets, ``Fn::ImportValue``) is *unknown*
(``known=False``) and rules skip it: they never guess.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ekslint.linter.cluster.kinds import CLOUDFORMATION, EKSCTL, TERRAFORM, ClusterDefinition
from ekslint.linter.nodes import NodePath, Pos

__all__ = ["CLOUDFORMATION", "EKSCTL", "TERRAFORM"]

if TYPE_CHECKING:
    from ekslint.linter.loader import SourceFile
    from ekslint.linter.model import K8sObject
    from ekslint.linter.registry import Finding, Level

T = TypeVar("T")


#: AWS reserves the first four and the last address of every subnet (eks-facts.md section 2).
RESERVED_IPS_PER_SUBNET = 5


# -- where things are -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Site:
    """Where a value or a block of a cluster definition is written: where findings point.

    Two forms: eksctl sites are an object and a node path in it (the engine then applies the
    object's annotation suppressions and Kustomize origins, as for every manifest finding);
    Terraform and CloudFormation sites are a file and a position. ``node`` is a stable name of the
    place (``aws_eks_cluster.this.vpc_config.endpoint_public_access``) that baselines match on
    instead of the line.
    """

    file: SourceFile
    pos: Pos | None = None
    obj: K8sObject | None = None
    path: NodePath = ()
    value: bool = False
    node: str = ""
    #: ``Result.object``: what the finding is about ("aws_eks_cluster.this", "module.eks").
    ref: str | None = None

    @property
    def line(self) -> int:
        """The 1-based line (eksctl sites: resolved along the path; for messages only)."""
        if self.pos is not None:
            return self.pos.line
        if self.obj is not None:
            from ekslint.linter.nodes import locate

            return locate(self.obj.root, self.path, value=self.value).line
        return 1

    @property
    def describe(self) -> str:
        """``file:line``, for messages that name another place ("set in terraform.tfvars:3")."""
        return f"{self.file.display}:{self.line}"

    def finding(self, message: str, *, level: Level | None = None) -> Finding:
        from ekslint.linter.registry import Finding

        return Finding(message, level=level, site=self)


@dataclass(frozen=True)
class Field(Generic[T]):
    """A setting of the cluster: its effective value, the source's name for it, and where it is.

    ``value`` is what the source writes, else the source's default (``written`` tells which);
    ``known`` is False when it cannot be told statically, and then ``value`` means nothing.
    ``at`` is the attribute that holds it, or, when unset, the block that would hold it.
    ``origin`` is where the value was actually written when that is elsewhere: a ``.tfvars``
    file, a variable or parameter default, the caller of a module. ``items`` gives the site of
    each element of a list value, when each has one. ``default`` says whose default applied
    ("the provider's default", "module v18's default") for messages.
    """

    value: T
    key: str
    at: Site
    written: bool = True
    known: bool = True
    origin: Site | None = None
    items: tuple[Site, ...] = ()
    default: str = ""
    #: How to fix it, in the source's own terms ("set secretsEncryption.keyARN to ...").
    hint: str = ""

    @property
    def set_to(self) -> str:
        """``key is X`` / ``key defaults to X`` wording helper: "is" or "defaults to"."""
        return "is" if self.written else "defaults to"

    @property
    def whence(self) -> str:
        """`` (set in terraform.tfvars:3)`` when the value came from elsewhere, else ''."""
        if self.origin is None:
            return ""
        return f" (set in {self.origin.describe})"

    def item_site(self, i: int) -> Site:
        return self.items[i] if 0 <= i < len(self.items) else self.at


def unknown(key: str, at: Site, value: Any = None) -> Field[Any]:
    """A field whose value cannot be told statically."""
    return Field(value, key, at, written=True, known=False)


class Syntax:
    """How a source writes a setting, for fix advice: ``key: value`` or ``key = value``."""

    def __init__(self, style: str) -> None:
        self.style = style

    def literal(self, value: Any) -> str:
        """A value as the source writes it: ``true``, ``3``, ``CONFIG_MAP`` (HCL: ``"CONFIG_MAP"``)."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        return f'"{value}"' if self.style == "hcl" else str(value)

    def assign(self, key: str, value: Any) -> str:
        text = self.literal(value)
        return f"{key} = {text}" if self.style == "hcl" else f"{key}: {text}"


YAML_SYNTAX, HCL_SYNTAX = Syntax("yaml"), Syntax("hcl")


# -- subnets --------------------------------------------------------------------------------------


def parse_network(text: str | None) -> ipaddress.IPv4Network | None:
    """An IPv4 CIDR as written (host bits allowed), or None."""
    if not text:
        return None
    try:
        net = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
    return net if isinstance(net, ipaddress.IPv4Network) else None


@dataclass(eq=False)
class Subnet:
    """A VPC subnet the cluster or a node group uses.

    Identity is the object: adapters make one per subnet, so a node group's subnet and a
    cluster subnet are the same object when they are the same subnet. ``az`` is an AZ name, or
    a symbolic name (``data.aws_availability_zones.available.names[1]``, ``Fn::GetAZs[0]``) when
    the source picks the AZ by position from a list that is only known to AWS; ``az_symbol``
    then names that list (distinct positions are distinct AZs, as AZ names are unique).
    """

    label: str
    site: Site
    access: str | None = None  # "private" | "public" | None (not told)
    id: str | None = None
    cidr_text: str | None = None
    network: ipaddress.IPv4Network | None = None
    az: str | None = None
    az_symbol: str | None = None
    #: Public IPs on launch (Terraform ``map_public_ip_on_launch``, CloudFormation
    #: ``MapPublicIpOnLaunch``); None when not told.
    public_ips: bool | None = None
    public_ips_site: Site | None = None
    #: Where the CIDR came from when not at ``site`` (a tfvars file, a variable default).
    origin: Site | None = None
    #: eksctl: the key under ``vpc.subnets.<access>`` (an AZ or a name of the user's choosing).
    key: str = ""

    @property
    def usable(self) -> int | None:
        """Addresses left after AWS's five reserved ones (eks-facts.md section 2)."""
        if self.network is None:
            return None
        return self.network.num_addresses - RESERVED_IPS_PER_SUBNET


def distinct_azs(subnets: Iterable[Subnet]) -> tuple[str, ...] | None:
    """The distinct AZs of ``subnets`` in order, or None when that cannot be told.

    Literal AZ names compare as names. Symbolic AZs (positions in a list only AWS knows) are
    distinct from each other when they come from the same list; mixed with literal names or
    with another list they could coincide, so the count is unknown.
    """
    azs: list[str] = []
    symbols: set[str | None] = set()
    for s in subnets:
        if s.az is None:
            return None
        symbols.add(s.az_symbol)
        azs.append(s.az)
    if len(symbols) > 1:
        return None
    return tuple(dict.fromkeys(azs))


# -- node groups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SSH:
    """SSH to a node group's nodes, as the source sets it up.

    ``open_to_world``: SSH is on and nothing restricts its source (eksctl: no
    ``sourceSecurityGroupIds`` in public subnets; EKS ``remoteAccess`` without source security
    groups opens port 22 to ``0.0.0.0/0``). ``why`` names the setting that turned SSH on, ``at``
    is where, ``restrict_key`` the setting that would restrict it, ``opener`` who opens the port.
    """

    open_to_world: bool
    why: str
    at: Site
    restrict_key: str
    opener: str
    fix: str
    enable_ssm: bool = False


@dataclass(frozen=True)
class IMDS:
    """Instance metadata settings of a node group's nodes.

    ``tokens_optional``: the source explicitly lets IMDSv1 answer (``http_tokens = "optional"``,
    ``HttpTokens: optional``, eksctl ``disableIMDSv1: false``), with the site and the fix
    wording; ``hop_limit`` an explicitly written hop limit and its site.
    """

    tokens_optional: Site | None = None
    tokens_text: str = ""
    tokens_fix: str = ""
    hop_limit: int | None = None
    hop_limit_site: Site | None = None
    hop_limit_key: str = ""


@dataclass(frozen=True)
class VolumeSetting:
    """An explicit ``encrypted: false`` on a node volume, and where."""

    text: str
    at: Site
    fix: str


@dataclass(frozen=True)
class VersionValue:
    """A Kubernetes version as the source writes it.

    ``written`` is what the author typed (``1.30``); ``read_as`` what the tool sends to EKS:
    YAML reads an unquoted ``1.30`` as the number 1.3, and so does HCL (``version = 1.30`` is a
    number that Terraform turns into ``"1.3"``); ``unquoted_number`` says so.
    """

    written: str
    read_as: str
    unquoted_number: bool
    at: Site
    key: str
    origin: Site | None = None

    @property
    def whence(self) -> str:
        return f" (set in {self.origin.describe})" if self.origin is not None else ""


@dataclass(eq=False)
class NodeGroup:
    """A managed or self-managed node group (or a Terraform/CloudFormation equivalent)."""

    name: str
    managed: bool
    site: Site
    #: "managed node group 'web'", "aws_eks_node_group.web", "eks_managed_node_groups.web of module.eks"
    describe: str
    #: Instance types the group launches; empty when not known (a launch template decides, an
    #: instance selector, a variable nothing sets).
    instance_types: tuple[str, ...] = ()
    instance_types_site: Site | None = None
    #: The most nodes the group can have; None when unknown.
    max_size: int | None = None
    max_size_site: Site | None = None
    #: Subnets to charge with the group's whole demand (each can receive every node); None when
    #: the group's subnets are not known.
    placement: list[Subnet] | None = None
    #: The group's AZs for ``single-az`` and where they are decided; None when not known.
    azs: tuple[str, ...] | None = None
    azs_site: Site | None = None
    #: Local Zones, Outposts: nodes outside the cluster's regional subnets.
    special_placement: bool = False
    #: Nodes get public IPs: (what says so, where, how to fix); None when not (or not known).
    public: tuple[str, Site, str] | None = None
    ssh: SSH | None = None
    imds: IMDS = field(default_factory=IMDS)
    volume_unencrypted: list[VolumeSetting] = field(default_factory=list)
    max_pods_per_node: int | None = None
    windows: bool = False
    #: Managed node groups: is an update configuration set (None: not applicable/unknown)?
    has_update_config: bool | None = None
    #: A node group version (Kubernetes minor or AMI release) as written, if any.
    versions: list[VersionValue] = field(default_factory=list)
    #: Why this self-managed group cannot be a managed one (a feature only self-managed groups
    #: have), or None when it could be.
    needs_self_managed: str | None = None
    #: How the source writes a managed node group instead ("managedNodeGroups", "aws_eks_node_group").
    managed_alternative: str = ""
    #: Managed node groups without an update configuration: what to set, in the source's terms,
    #: and where an empty one is written (None: nowhere, the group's own site is reported).
    update_config_hint: str = ""
    update_config_site: Site | None = None
    #: Node groups EKS creates on behalf of something else (Auto Mode) are not judged as groups.
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "managed node group" if self.managed else "node group"


# -- add-ons, Fargate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Addon:
    """An EKS add-on (``vpc-cni``, ``coredns``...), with its configuration values as a mapping."""

    name: str
    site: Site
    configuration: dict[str, Any] = field(default_factory=dict)
    #: The configuration could not be read statically (``jsonencode(var.x)``...).
    configuration_known: bool = True

    def env(self, name: str) -> str | None:
        env = self.configuration.get("env")
        value = env.get(name) if isinstance(env, dict) else None
        if isinstance(value, bool):
            return "true" if value else "false"
        return None if value is None else str(value)

    def env_true(self, name: str) -> bool:
        return (self.env(name) or "").strip().lower() == "true"


@dataclass(frozen=True)
class FargateSelector:
    """One selector of a Fargate profile: a namespace (``*``/``?`` globs allowed by eksctl) and
    labels the pod must carry."""

    namespace: str
    labels: dict[str, Any]


@dataclass(frozen=True)
class FargateProfile:
    """Pods matching any selector (namespace and labels) run on Fargate."""

    name: str
    site: Site
    selectors: tuple[FargateSelector, ...]

    def selects(self, namespace: str, labels: dict[str, Any]) -> bool:
        """EKS semantics: the namespace must match (eksctl allows ``*`` and ``?`` globs) and every
        selector label must be on the pod."""
        from fnmatch import fnmatchcase

        from ekslint.linter.selectors import label_str

        for sel in self.selectors:
            if fnmatchcase(namespace, sel.namespace) and all(
                k in labels and label_str(labels[k]) == label_str(v) for k, v in sel.labels.items()
            ):
                return True
        return False


# -- the cluster ----------------------------------------------------------------------------------


@dataclass(eq=False)
class Cluster(ClusterDefinition):
    """An EKS cluster as one of the sources defines it, with that source's defaults applied."""

    source: str  # EKSCTL | TERRAFORM | CLOUDFORMATION
    name: str
    site: Site
    syntax: Syntax
    #: "eksctl cluster 'shop'", "aws_eks_cluster.this", "module.eks (terraform-aws-modules/eks v20)"
    describe: str
    #: The tool that turns the definition into a cluster: "eksctl", "Terraform", "CloudFormation".
    tool: str = ""
    #: Where the definition lives (the ClusterConfig's file, the Terraform root folder, the
    #: template): Kubernetes manifests at or below it are taken as deployed to this cluster when
    #: the scan holds several.
    home: SourceFile | None = None
    region: str | None = None
    version: VersionValue | None = None
    #: The version the source uses when none is written ("eksctl's default 1.34"), or None when
    #: EKS picks the newest at creation time.
    default_version: str | None = None
    #: How messages name that default ("eksctl's default 1.34").
    default_version_text: str = ""
    version_site: Site | None = None
    outpost: bool = False
    auto_mode: bool = False
    private_cluster: bool = False
    ip_family: str = "IPv4"
    karpenter: bool = False
    #: Control-plane subnets (None: not known; subnets whose CIDR is unknown are included, with
    #: ``network`` None).
    control_plane_subnets: list[Subnet] | None = None
    #: Subnets named in the definition that the adapter could not resolve to a CIDR.
    unresolved_subnets: list[str] = field(default_factory=list)
    #: The cluster's AZs as written (eksctl ``availabilityZones``) and where; else from subnets.
    availability_zones: tuple[str, ...] = ()
    availability_zones_site: Site | None = None
    #: eksctl picks its own AZs when none are written: (how many, the whole message, where).
    implicit_azs: tuple[int, str, Site] | None = None
    #: How to get 3 AZs, in the source's terms ("list 3 AZs").
    az_fix: str = ""
    endpoint_public: Field[bool] | None = None
    endpoint_private: Field[bool] | None = None
    public_access_cidrs: Field[tuple[str, ...]] | None = None
    logging: Field[frozenset[str]] | None = None
    secrets_key: Field[str | None] | None = None
    authentication_mode: Field[str | None] | None = None
    #: IRSA (an IAM OIDC provider for the cluster) is on: True, False, or None when not known.
    oidc: Field[bool] | None = None
    pod_identity_associations: int = 0
    addons: list[Addon] = field(default_factory=list)
    node_groups: list[NodeGroup] = field(default_factory=list)
    fargate_profiles: list[FargateProfile] = field(default_factory=list)
    #: Things the adapter wants the user to know (unresolved inputs...), shown as notes.
    notes: list[str] = field(default_factory=list)

    def addon(self, name: str) -> Addon | None:
        return next((a for a in self.addons if a.name.lower() == name), None)

    @property
    def vpc_cni(self) -> Addon | None:
        return self.addon("vpc-cni")

    @property
    def prefix_delegation(self) -> bool:
        """``ENABLE_PREFIX_DELEGATION=true`` in the vpc-cni add-on's configuration (eks-facts.md section 1)."""
        cni = self.vpc_cni
        return cni is not None and cni.env_true("ENABLE_PREFIX_DELEGATION")

    @property
    def custom_networking(self) -> bool:
        """``AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true``: pod ENIs live in ENIConfig subnets instead."""
        cni = self.vpc_cni
        return cni is not None and cni.env_true("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG")

    @property
    def has_ec2_capacity(self) -> bool:
        """Nodes a DaemonSet can run on: node groups, Karpenter or Auto Mode."""
        return bool(self.node_groups) or self.auto_mode or self.karpenter
