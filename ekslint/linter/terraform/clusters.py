"""The Terraform adapter: ``aws_eks_*`` resources and ``terraform-aws-modules/eks`` as clusters.

Each root module (a folder no scanned folder calls) is evaluated (:mod:`.modules`) and every
cluster it defines becomes a :class:`~ekslint.linter.cluster.model.Cluster`:

* a raw ``aws_eks_cluster``, with the ``aws_eks_node_group``, ``aws_eks_fargate_profile`` and
  ``aws_eks_addon`` resources whose ``cluster_name`` is that cluster, their ``aws_launch_template``
  and the ``aws_subnet`` resources (or ``terraform-aws-modules/vpc`` subnets) their subnet ids
  point at;
* a call to ``terraform-aws-modules/eks/aws`` (v18-v21), read by :mod:`.eks_module`.

Defaults are the provider's (``../shared/reference/terraform-eks.md`` section 1): an unset
``endpoint_public_access`` is true, ``public_access_cidrs`` is ``0.0.0.0/0``, no log types, no
envelope encryption key, ``instance_types`` ``["t3.medium"]``. Node groups whose cluster is not in
the scan (``cluster_name`` from a data source or remote state) are still judged as node groups,
in a cluster whose own settings are unknown.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ekslint.linter.cluster.model import (
    HCL_SYNTAX,
    IMDS,
    SSH,
    TERRAFORM,
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
from ekslint.linter.loader import SourceFile
from ekslint.linter.terraform.evaluate import HList, HMap, forget_files
from ekslint.linter.terraform.load import Loader
from ekslint.linter.terraform.modules import MISSING, Body, Context, Instance, ModuleCall, ModuleInstance
from ekslint.linter.terraform.registry import EKS, VPC, VPC_SUBNET_GROUPS, major_version, registry_module
from ekslint.linter.terraform.values import Ref, Unknown

if TYPE_CHECKING:
    from ekslint.linter.config import Settings

#: Provider defaults (terraform-eks.md 1.1, 1.2; provider ``cluster.go``/``node_group.go`` schema).
DEFAULT_PUBLIC_ACCESS = True
DEFAULT_PRIVATE_ACCESS = False
DEFAULT_INSTANCE_TYPE = "t3.medium"
OPEN_CIDR = "0.0.0.0/0"


# -- small typed readers --------------------------------------------------------------------------


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
        return int(value.strip())
    return None


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def as_list(value: Any) -> list[Any] | None:
    return value if isinstance(value, list) else None


def str_items(value: Any) -> tuple[str, ...] | None:
    """A list of known strings; None when the list or any item is unknown."""
    if not isinstance(value, list):
        return None
    out = []
    for v in value:
        if not isinstance(v, str):
            return None
        out.append(v)
    return tuple(out)


def located(container: Any, key: str | int, fallback: Site, home: SourceFile) -> tuple[Site, Site | None]:
    """Where ``container[key]`` is written: its own position when the container literal is in
    ``home`` (the block's file), else ``fallback`` with the literal's place as the origin."""
    pos = None
    if isinstance(container, HMap) and isinstance(key, str):
        pos = container.kpos.get(key)
    elif isinstance(container, HList) and isinstance(key, int) and 0 <= key < len(container.ipos):
        pos = container.ipos[key]
    src = getattr(container, "src", None)
    if pos is None or src is None:
        return fallback, None
    here = Site(src, pos=pos, node=f"{fallback.node}.{key}", ref=fallback.ref)
    if src is home:
        return here, None
    return fallback, here


def parse_configuration(raw: Any) -> tuple[dict[str, Any], bool]:
    """An add-on's ``configuration_values`` (a JSON string, usually ``jsonencode({...})``)."""
    if isinstance(raw, dict):
        return raw, True
    if raw is None or raw is MISSING:
        return {}, True
    if not isinstance(raw, str):
        return {}, False
    try:
        value = json.loads(raw)
    except ValueError:
        from ekslint.linter.cluster.eksctl import parse_addon_configuration

        return parse_addon_configuration(raw), True
    return (value, True) if isinstance(value, dict) else ({}, True)


def version_value(body: Body, key: str, label: str) -> VersionValue | None:
    """A Kubernetes version attribute: ``"1.30"``, or the number ``1.30`` HCL reads as 1.3."""
    if not body.has(key):
        return None
    value = body.get(key)
    origin = body.origin(key)
    at = body.site(key)
    if isinstance(value, str) and value:
        return VersionValue(value, value, False, at, label, origin)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        read_as = _go_number(value)
        written = _number_text(origin or at) or read_as
        return VersionValue(written, read_as, True, at, label, origin)
    return None


def _go_number(value: float) -> str:
    """How Terraform writes a number as a string: ``1.3``, ``1``."""
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    return repr(value)


def _number_text(site: Site) -> str | None:
    """The numeral written at ``site`` (``version = 1.30`` -> ``1.30``), read from the source."""
    if site.pos is None:
        return None
    line = site.file.line(site.pos.line)
    tail = line[site.pos.col - 1 :]
    eq = tail.find("=")
    colon = tail.find(":")
    cut = eq if eq >= 0 else colon
    token = (tail[cut + 1 :] if cut >= 0 else tail).strip().split()[0:1]
    text = token[0].rstrip(",") if token else ""
    return text if text.replace(".", "", 1).isdigit() else None


# -- the adapter ----------------------------------------------------------------------------------


def terraform_clusters(
    files: list[SourceFile], notes: list[str], settings: Settings | None = None, cwd: Path | None = None
) -> list[Cluster]:
    """Every cluster the scan's Terraform defines (see the module docstring)."""
    if not any(f.path is not None and _tf(f.path.name) for f in files):
        return []
    from ekslint.linter.loader import MAX_FILE_BYTES

    root = settings.root if settings is not None else Path.cwd()
    loader = Loader(root, cwd or Path.cwd(), settings.max_file_bytes if settings else MAX_FILE_BYTES, notes)
    loader.add_scanned(files)
    loader.follow_calls()
    var_files = [vf for p in (settings.var_files if settings else []) if (vf := loader.var_file(p)) is not None]
    clusters: list[Cluster] = []
    roots = [loader.dirs[p] for p in sorted(loader.dirs) if not loader.dirs[p].called and loader.dirs[p].has_terraform]
    reaches = {id(r): loader.reach(r) for r in roots}
    users: dict[str, int] = {}
    for reach in reaches.values():
        for m in reach:
            users[m.path] = users.get(m.path, 0) + 1
    for module in roots:
        reach = reaches[id(module)]
        for m in reach:
            loader.load(m)
        if module.other_tfvars and not var_files:
            names = ", ".join(os.path.basename(f.source.display) for f in module.other_tfvars)
            notes.append(
                f"{module.display}: {names} {'is' if len(module.other_tfvars) == 1 else 'are'} not loaded by "
                "Terraform itself; pass the one a deployment uses with --var-file to lint with its values"
            )
        ctx = Context(loader.dirs, notes, var_files)
        instance = ModuleInstance(module, ctx)
        try:
            model = _RootModel(instance)
            clusters.extend(model.clusters())
            model.release()
        except RecursionError:
            notes.append(f"{module.display}: the configuration nests too deeply to evaluate; it is not read")
        except Exception as exc:  # noqa: BLE001 - one root's problem must not stop the scan
            notes.append(
                f"{module.display}: internal error reading the Terraform configuration "
                f"({type(exc).__name__}: {exc}); its clusters are not checked"
            )
        for m in reach:  # drop what no later root module needs
            users[m.path] -= 1
            if users[m.path] == 0:
                loader.unload(m)
    forget_files()
    return clusters


def _tf(name: str) -> bool:
    from ekslint.linter.terraform.load import is_terraform

    return is_terraform(name)


class _RootModel:
    """One root module's clusters, node groups, subnets and launch templates."""

    def __init__(self, root: ModuleInstance) -> None:
        self.root = root
        self.home = root.dir.home
        self.modules = list(root.walk())
        self.subnets: dict[str, Subnet] = {}
        self._subnet_sources: dict[str, Instance | tuple[ModuleCall, str, int]] = {}
        self.launch_templates: dict[str, Instance] = {}
        self.launch_templates_by_name: dict[str, Instance] = {}
        for m in self.modules:
            for inst in m.instances("aws_subnet"):
                self._subnet_sources[inst.address] = inst
            for inst in m.instances("aws_launch_template"):
                self.launch_templates[inst.address] = inst
                name = as_str(inst.get("name"))
                if name:
                    self.launch_templates_by_name.setdefault(name, inst)
            for call in m.calls():
                known = registry_module(call.source)
                if known is not None and known == (VPC, ""):
                    for group in VPC_SUBNET_GROUPS:
                        cidrs = call.get(f"{group}_subnets", [])
                        for i in range(len(cidrs) if isinstance(cidrs, list) else 0):
                            self._subnet_sources[f"{call.address}.aws_subnet.{group}[{i}]"] = (call, group, i)

    def release(self) -> None:
        """Free the evaluation once the clusters are built (they keep only sites and values)."""
        self.root.release()
        self.__dict__.clear()

    # -- subnets
    def subnet(self, value: Any, fallback: Site) -> Subnet | None:
        """The subnet a ``subnet_ids`` item names: a subnet in the scan, or one known only by id."""
        if isinstance(value, Ref) and value.attr == "id":
            found = self.subnets.get(value.address)
            if found is not None:
                return found
            source = self._subnet_sources.get(value.address)
            if isinstance(source, Instance):
                found = self._raw_subnet(source)
            elif source is not None:
                found = self._vpc_subnet(*source)
            if found is not None:
                self.subnets[value.address] = found
                return found
            return Subnet(label=value.address, site=fallback)
        if isinstance(value, str) and value:
            return Subnet(label=value, site=fallback, id=value)
        if isinstance(value, Unknown):
            return Subnet(label=value.key or "a subnet id known only at plan time", site=fallback)
        return None

    def subnets_of(self, body: Body, key: str) -> tuple[list[Subnet] | None, Site]:
        """The subnets of a ``subnet_ids`` attribute (None when the list itself is unknown)."""
        site = body.site(key)
        value = body.get(key, None)
        if not isinstance(value, list):
            return None, site
        out: list[Subnet] = []
        for i, item in enumerate(value):
            item_site, _ = located(value, i, site, body.block.file)
            s = self.subnet(item, item_site)
            if s is not None and s not in out:
                out.append(s)
        return out, site

    def _raw_subnet(self, inst: Instance) -> Subnet:
        cidr = inst.get("cidr_block", None)
        cidr_text = cidr if isinstance(cidr, str) else None
        site = inst.site("cidr_block")
        az, symbol = _az(inst.get("availability_zone", None))
        if az is None and inst.has("availability_zone_id"):
            az, symbol = _az(inst.get("availability_zone_id"))
        public = inst.get("map_public_ip_on_launch", False)  # provider default false
        return Subnet(
            label=f"{inst.address} ({cidr_text})" if cidr_text else inst.address,
            site=site,
            cidr_text=cidr_text,
            network=parse_network(cidr_text),
            az=az,
            az_symbol=symbol,
            public_ips=as_bool(public),
            # where the value is written: a variable default or tfvars line rather than the attribute
            public_ips_site=inst.origin("map_public_ip_on_launch") or inst.site("map_public_ip_on_launch"),
            origin=inst.origin("cidr_block"),
        )

    def _vpc_subnet(self, call: ModuleCall, group: str, i: int) -> Subnet:
        key = f"{group}_subnets"
        cidrs = call.get(key, [])
        attr_site = call.site(key)
        cidr = cidrs[i] if isinstance(cidrs, list) and i < len(cidrs) else None
        cidr_text = cidr if isinstance(cidr, str) else None
        site, origin = located(cidrs, i, attr_site, call.block.file)
        if origin is None and not isinstance(cidrs, HList):
            origin = call.origin(key)
        azs = call.get("azs", [])
        az: str | None = None
        symbol: str | None = None
        if isinstance(azs, list) and azs:
            az, symbol = _az(azs[i % len(azs)])  # the module's element(var.azs, count.index)
        public: bool | None = False
        if group == "public":
            major = major_version(call)
            default = major is not None and major < 4  # v4.0 made it false (UPGRADE-4.0.md)
            public = as_bool(call.get("map_public_ip_on_launch", default))
        return Subnet(
            label=f"{call.address} {key}[{i}] ({cidr_text})" if cidr_text else f"{call.address} {key}[{i}]",
            site=site,
            access="public" if group == "public" else "private",
            cidr_text=cidr_text,
            network=parse_network(cidr_text),
            az=az,
            az_symbol=symbol,
            public_ips=public,
            public_ips_site=(call.origin("map_public_ip_on_launch") or call.site("map_public_ip_on_launch"))
            if call.has("map_public_ip_on_launch")
            else None,
            origin=origin,
        )

    # -- clusters
    def clusters(self) -> list[Cluster]:
        from ekslint.linter.terraform.eks_module import module_cluster

        out: list[Cluster] = []
        #: (address, cluster): what ``cluster_name = aws_eks_cluster.x.name`` or
        #: ``module.eks.cluster_name`` (or the name itself) points other resources at.
        owners: list[tuple[str, Cluster]] = []
        for m in self.modules:
            for inst in m.instances("aws_eks_cluster"):
                c = self.raw_cluster(inst)
                owners.append((inst.address, c))
                out.append(c)
            for call in m.calls():
                if registry_module(call.source) == (EKS, ""):
                    c = module_cluster(self, call)
                    owners.append((call.address, c))
                    out.append(c)
        orphans: dict[str, Cluster] = {}
        for m in self.modules:
            for kind, attach in (
                ("aws_eks_node_group", self._attach_node_group),
                ("aws_eks_fargate_profile", self._attach_fargate),
                ("aws_eks_addon", self._attach_addon),
            ):
                for inst in m.instances(kind):
                    owner = self._owner(inst, owners)
                    if owner is None:
                        owner = self._orphan(inst, orphans)
                    attach(owner, inst)
            for inst in m.instances("aws_eks_pod_identity_association"):
                owner = self._owner(inst, owners)
                if owner is not None:
                    owner.pod_identity_associations += 1
            for inst in m.instances("aws_iam_openid_connect_provider"):
                url = inst.get("url", None)
                for address, c in owners:
                    if isinstance(url, Unknown) and url.key.startswith(address + "."):
                        c.oidc = Field(True, "aws_iam_openid_connect_provider", inst.site())
        return out + [c for c in orphans.values() if c.node_groups or c.fargate_profiles]

    def _owner(self, inst: Instance, owners: list[tuple[str, Cluster]]) -> Cluster | None:
        """The cluster named by ``cluster_name``: by value, or by reference to the resource or to
        the module call (``module.eks.cluster_name``)."""
        name = inst.get("cluster_name", None)
        for address, c in owners:
            if isinstance(name, str) and name and name == c.name:
                return c
            if isinstance(name, Unknown) and name.key and name.key.startswith(address + "."):
                return c
        return None

    def _orphan(self, inst: Instance, orphans: dict[str, Cluster]) -> Cluster:
        """A cluster defined elsewhere (another root, a data source): only its parts are judged."""
        name = inst.get("cluster_name", None)
        key = name if isinstance(name, str) else (name.key if isinstance(name, Unknown) and name.key else "")
        found = orphans.get(key)
        if found is None:
            shown = name if isinstance(name, str) else "defined outside this configuration"
            found = orphans[key] = Cluster(
                source=TERRAFORM,
                name=shown,
                site=inst.site(),
                syntax=HCL_SYNTAX,
                describe=f"cluster {shown!r}" if isinstance(name, str) else "a cluster defined outside the scan",
                tool="Terraform",
                home=self.home,
            )
        return found

    def raw_cluster(self, inst: Instance) -> Cluster:
        name = as_str(inst.get("name", None)) or inst.address
        c = Cluster(
            source=TERRAFORM,
            name=name,
            site=inst.site(),
            syntax=HCL_SYNTAX,
            describe=inst.address,
            tool="Terraform",
            home=self.home,
        )
        c.version = version_value(inst, "version", "version")
        c.version_site = inst.site("version")
        c.outpost = bool(inst.blocks("outpost_config"))
        compute = inst.first("compute_config")
        c.auto_mode = compute is not None and as_bool(compute.get("enabled", False)) is True
        net = inst.first("kubernetes_network_config")
        if net is not None and str(net.get("ip_family", "ipv4")).lower() == "ipv6":
            c.ip_family = "IPv6"
        vpc_blocks = inst.blocks("vpc_config")
        vpc = vpc_blocks[0] if vpc_blocks else None
        if vpc is not None:
            c.control_plane_subnets, c.availability_zones_site = self.subnets_of(vpc, "subnet_ids")
            c.endpoint_public, c.endpoint_private, c.public_access_cidrs = _endpoint(vpc)
        c.az_fix = "give the cluster subnets in 3 AZs"
        c.logging = _logging(inst)
        c.secrets_key = _encryption(inst)
        access = inst.first("access_config")
        if access is not None:
            mode = access.get("authentication_mode", None)
            c.authentication_mode = Field(
                mode if isinstance(mode, str) else None,
                "access_config.authentication_mode",
                access.site("authentication_mode"),
                known=not isinstance(mode, Unknown),
                origin=access.origin("authentication_mode"),
            )
        return c

    # -- parts of a cluster
    def _attach_addon(self, c: Cluster, inst: Instance) -> None:
        name = as_str(inst.get("addon_name", None))
        if name is None:
            return
        config, known = parse_configuration(inst.get("configuration_values", None))
        c.addons.append(Addon(name, inst.site("addon_name"), config, known))

    def _attach_fargate(self, c: Cluster, inst: Instance) -> None:
        selectors: list[FargateSelector] = []
        for sel in inst.blocks("selector") or []:
            ns = sel.get("namespace", None)
            labels = sel.get("labels", {})
            if isinstance(ns, str) and isinstance(labels, dict):
                selectors.append(FargateSelector(ns, dict(labels)))
        name = as_str(inst.get("fargate_profile_name", None)) or inst.address
        c.fargate_profiles.append(FargateProfile(name, inst.site(), tuple(selectors)))

    def _attach_node_group(self, c: Cluster, inst: Instance) -> None:
        c.node_groups.append(self.raw_node_group(c, inst))

    def raw_node_group(self, c: Cluster, inst: Instance) -> NodeGroup:
        name = as_str(inst.get("node_group_name", None)) or inst.address
        ng = NodeGroup(name=name, managed=True, site=inst.site(), describe=inst.address)
        lt = self._launch_template(inst)
        lt_known = lt is not None or not inst.blocks("launch_template")
        types = inst.get("instance_types", None)
        if inst.has("instance_types"):
            ng.instance_types = str_items(types) or ()
            ng.instance_types_site = inst.site("instance_types")
        elif lt is not None and lt.has("instance_type"):
            t = as_str(lt.get("instance_type"))
            ng.instance_types = (t,) if t else ()
        elif lt_known:
            ng.instance_types = (DEFAULT_INSTANCE_TYPE,)  # provider docs: defaults to ["t3.medium"]
        scaling = inst.first("scaling_config")
        if scaling is not None:
            ng.max_size = as_int(scaling.get("max_size", None))
            ng.max_size_site = scaling.site("max_size")
        ng.placement, subnets_site = self.subnets_of(inst, "subnet_ids")
        _placement_facts(ng, subnets_site)
        ami = inst.get("ami_type", None)
        ng.windows = isinstance(ami, str) and ami.upper().startswith("WINDOWS")
        ng.ssh = _remote_access(inst)
        if lt is not None:
            _launch_template_facts(ng, lt)
        update = inst.blocks("update_config")
        ng.has_update_config = None if update is None else bool(update)
        ng.update_config_hint = (
            "has no update_config block: EKS updates it with max_unavailable 1, one node at a time; add "
            "update_config { max_unavailable_percentage = ... } with what the workloads can spare"
        )
        for key in ("version", "release_version"):
            v = version_value(inst, key, key)
            if v is not None:
                ng.versions.append(v)
        return ng

    def _launch_template(self, inst: Body) -> Instance | None:
        blocks = inst.blocks("launch_template")
        if not blocks:
            return None
        lt = blocks[0]
        for key in ("id", "name"):
            value = lt.get(key, None)
            if isinstance(value, Ref):
                found = self.launch_templates.get(value.address)
                if found is not None:
                    return found
            if key == "name" and isinstance(value, str):
                found = self.launch_templates_by_name.get(value)
                if found is not None:
                    return found
        return None


def _az(value: Any) -> tuple[str | None, str | None]:
    """An AZ: a name, or a position in a list only AWS knows (``...names[1]``), with that list."""
    if isinstance(value, str) and value:
        return value, None
    if isinstance(value, Unknown) and value.key.endswith("]") and "[" in value.key:
        return value.key, value.key[: value.key.rindex("[")]
    return None, None


def _placement_facts(ng: NodeGroup, site: Site) -> None:
    """AZs and public IPs of a node group, from the subnets it is placed in."""
    subnets = ng.placement
    if subnets is None:
        return
    if len(subnets) == 1:
        s = subnets[0]
        ng.azs = (s.az if s.az else f"subnet {s.label}",)
        ng.azs_site = site
    elif subnets:
        from ekslint.linter.cluster.model import distinct_azs

        ng.azs = distinct_azs(subnets)
        ng.azs_site = site if ng.azs is not None else None
    public = [s for s in subnets if s.public_ips is True]
    if public:
        s = public[0]
        whence = f", set at {s.public_ips_site.describe}" if s.public_ips_site is not None else ""
        ng.public = (
            f"subnet {s.label}, which gives instances public IP addresses (map_public_ip_on_launch is "
            f"true{whence}): its nodes get public IPs",
            site,
            "place it in private subnets (outbound traffic then goes through a NAT gateway)",
        )


def endpoint_hint(cidrs_key: str, public_key: str, private_key: str, private: Field[bool]) -> str:
    """How to close a public endpoint, saying only what is missing: with the private endpoint
    already on, turning the public one off is enough."""
    if private.known and private.value:
        return f"set {cidrs_key} to your networks, or {public_key} = false (the private endpoint is on)"
    return f"set {cidrs_key} to your networks, or {private_key} = true and {public_key} = false"


def _endpoint(vpc: Body) -> tuple[Field[bool], Field[bool], Field[tuple[str, ...]]]:
    private = _bool_field(vpc, "endpoint_private_access", DEFAULT_PRIVATE_ACCESS, "the provider's default")
    hint = endpoint_hint("vpc_config.public_access_cidrs", "endpoint_public_access", "endpoint_private_access", private)
    public = replace(
        _bool_field(vpc, "endpoint_public_access", DEFAULT_PUBLIC_ACCESS, "the provider's default"), hint=hint
    )
    cidrs = _cidrs_field(vpc, "public_access_cidrs", "vpc_config.public_access_cidrs")
    return public, private, cidrs


def _bool_field(body: Body, key: str, default: bool, whose: str, label: str | None = None) -> Field[bool]:
    label = label or key
    if not body.has(key):
        return Field(default, label, body.site(), written=False, default=whose)
    value = body.get(key)
    if value is None:  # null: the default applies
        return Field(default, label, body.site(key), written=False, default=whose)
    b = as_bool(value)
    return Field(bool(b), label, body.site(key), known=b is not None, origin=body.origin(key))


def _cidrs_field(body: Body, key: str, label: str) -> Field[tuple[str, ...]]:
    if not body.has(key) or body.get(key) is None:
        return Field((OPEN_CIDR,), label, body.site(), written=False)
    value = body.get(key)
    items = str_items(value)
    if items is None:
        return Field((), label, body.site(key), known=False)
    site = body.site(key)
    sites = tuple(located(value, i, site, body.block.file)[0] for i in range(len(items)))
    return Field(tuple(s.strip() for s in items), label, site, origin=body.origin(key), items=sites)


def _logging(inst: Instance) -> Field[frozenset[str]]:
    key = "enabled_cluster_log_types"
    if not inst.has(key) or inst.get(key) is None:
        return Field(frozenset(), key, inst.site(), written=False, hint=key)
    items = str_items(inst.get(key))
    if items is None:
        return Field(frozenset(), key, inst.site(key), known=False)
    return Field(frozenset(items), key, inst.site(key), origin=inst.origin(key), hint=key)


def _encryption(inst: Instance) -> Field[str | None]:
    blocks = inst.blocks("encryption_config")
    hint = (
        'add an encryption_config block with resources = ["secrets"] and provider { key_arn = <a customer-managed '
        "KMS key> }"
    )
    if blocks is None:
        return Field(None, "encryption_config", inst.site(), known=False)
    for block in blocks:
        resources = block.get("resources", None)
        if isinstance(resources, Unknown):
            return Field(None, "encryption_config", block.site(), known=False)
        if isinstance(resources, list) and "secrets" in resources:
            provider = block.first("provider")
            arn = provider.get("key_arn", None) if provider is not None else None
            return Field(arn if isinstance(arn, str) else "a KMS key", "encryption_config", block.site())
    return Field(None, "encryption_config", inst.site(), written=False, default="no encryption_config block", hint=hint)


def _remote_access(inst: Body) -> SSH | None:
    blocks = inst.blocks("remote_access")
    if not blocks:
        return None
    ra = blocks[0]
    key = ra.get("ec2_ssh_key", None)
    if not isinstance(key, str) or not key:
        return None
    sources = ra.get("source_security_group_ids", None)
    restricted = (isinstance(sources, list) and len(sources) > 0) or isinstance(sources, Unknown)
    origin = ra.origin("ec2_ssh_key")
    return SSH(
        open_to_world=not restricted,
        why="remote_access.ec2_ssh_key" + (f" set in {origin.describe}" if origin is not None else ""),
        at=ra.site("ec2_ssh_key"),
        restrict_key="remote_access.source_security_group_ids",
        opener="EKS then opens port 22 to 0.0.0.0/0",
        fix="set source_security_group_ids",
    )


def _launch_template_facts(ng: NodeGroup, lt: Instance) -> None:
    """IMDS and EBS encryption settings written in the node group's launch template."""
    meta = lt.first("metadata_options")
    if meta is not None and str(meta.get("http_endpoint", "enabled")).lower() != "disabled":
        tokens = meta.get("http_tokens", None)
        imds = IMDS()
        if isinstance(tokens, str) and tokens.lower() == "optional":
            imds = IMDS(
                tokens_optional=meta.site("http_tokens"),
                tokens_text=f"{ng.describe} uses launch template {lt.address}, which sets metadata_options."
                f'http_tokens = "optional"',
                tokens_fix='set http_tokens = "required"',
            )
        hops = as_int(meta.get("http_put_response_hop_limit", None))
        if hops is not None:
            imds = IMDS(
                imds.tokens_optional,
                imds.tokens_text,
                imds.tokens_fix,
                hops,
                meta.site("http_put_response_hop_limit"),
                f"metadata_options.http_put_response_hop_limit in launch template {lt.address}",
            )
        ng.imds = imds
    for bdm in lt.blocks("block_device_mappings") or []:
        for ebs in bdm.blocks("ebs") or []:
            if as_bool(ebs.get("encrypted", None)) is False:
                device = as_str(bdm.get("device_name", None)) or "a volume"
                ng.volume_unencrypted.append(
                    VolumeSetting(
                        f"launch template {lt.address} with ebs.encrypted = false on {device}",
                        ebs.site("encrypted"),
                        "set encrypted = true (and kms_key_id for your own key)",
                    )
                )


def instances_in(modules: list[ModuleInstance], type_: str) -> Iterator[Instance]:
    for m in modules:
        yield from m.instances(type_)
