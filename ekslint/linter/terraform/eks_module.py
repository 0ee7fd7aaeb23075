"""``terraform-aws-modules/eks/aws`` (v18-v21) as a cluster, from the module call's arguments.

The module is not downloaded: its inputs are read from the call, and what it does with them,
defaults included, comes from ``../shared/reference/terraform-eks.md`` sections 2.1-2.3 (read
from the module's ``variables.tf``, ``main.tf`` and ``node_groups.tf`` at v18.31.2, v19.21.0,
v20.37.2 and v21.19.0). The major version comes from the ``version`` constraint (``~> 20.11``) or
a ``?ref=v19.21.0`` source; without either, from the input names (v21 renamed ``cluster_name`` to
``name``, ``cluster_version`` to ``kubernetes_version`` and so on).

Defaults that decide verdicts, by major version:

* endpoint: public in v18, private only from v19 (``docs/UPGRADE-19.0.md``); public CIDRs
  ``0.0.0.0/0``;
* control plane logs: ``audit``, ``api``, ``authenticator`` in every version;
* secrets encryption: off in v18; on from v19, with a KMS key the module creates
  (``create_kms_key = true``); disabled by ``cluster_encryption_config = {}`` (v19/v20) or
  ``encryption_config = null`` (v21);
* node groups (``eks_managed_node_groups``): each key falls back to
  ``eks_managed_node_group_defaults`` (v18-v20), then to the module's own default: 1/3/1 nodes,
  ``instance_types`` unset (EKS: ``t3.medium``), a module launch template with
  ``http_tokens = "required"``, ``update_config = {max_unavailable_percentage = 33}`` (v18:
  none, so EKS's one node at a time); no launch template settings are known when the group
  uses one the module does not create (``create_launch_template = false``);
* ``enable_irsa`` true: the module creates the cluster's IAM OIDC provider.
"""

from __future__ import annotations

from dataclasses import replace
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
    VersionValue,
    VolumeSetting,
)
from ekslint.linter.terraform.clusters import (
    DEFAULT_INSTANCE_TYPE,
    OPEN_CIDR,
    _placement_facts,
    as_bool,
    as_int,
    as_str,
    endpoint_hint,
    located,
    parse_configuration,
    str_items,
    version_value,
)
from ekslint.linter.terraform.modules import MISSING, ModuleCall
from ekslint.linter.terraform.registry import major_version
from ekslint.linter.terraform.values import Unknown

if TYPE_CHECKING:
    from ekslint.linter.terraform.clusters import _RootModel

#: Input names per major version (v21 renamed most ``cluster_*`` inputs: docs/UPGRADE-21.0.md).
_V21 = {
    "name": "name",
    "version": "kubernetes_version",
    "public": "endpoint_public_access",
    "private": "endpoint_private_access",
    "cidrs": "endpoint_public_access_cidrs",
    "logs": "enabled_log_types",
    "encryption": "encryption_config",
    "addons": "addons",
    "ip_family": "ip_family",
    "compute": "compute_config",
    "ng_version": "kubernetes_version",
}
_V20 = {
    "name": "cluster_name",
    "version": "cluster_version",
    "public": "cluster_endpoint_public_access",
    "private": "cluster_endpoint_private_access",
    "cidrs": "cluster_endpoint_public_access_cidrs",
    "logs": "cluster_enabled_log_types",
    "encryption": "cluster_encryption_config",
    "addons": "cluster_addons",
    "ip_family": "cluster_ip_family",
    "compute": "cluster_compute_config",
    "ng_version": "cluster_version",
}
DEFAULT_LOGS = frozenset({"audit", "api", "authenticator"})
#: Module defaults of the node groups (root node_groups.tf fallbacks, terraform-eks.md 2.2).
NG_MAX_SIZE = 3
SELF_MANAGED_INSTANCE_TYPE = "m6i.large"


def guess_major(call: ModuleCall) -> int:
    """The major version: written, else told by the input names (terraform-eks.md section 2)."""
    major = major_version(call)
    if major is not None:
        return major
    if any(call.has(k) for k in ("kubernetes_version", "name", "endpoint_public_access", "addons")):
        return 21
    if any(call.has(k) for k in ("authentication_mode", "access_entries", "enable_cluster_creator_admin_permissions")):
        return 20
    return 19


class _Call:
    """Reads a module call's inputs with the module's defaults."""

    def __init__(self, call: ModuleCall) -> None:
        self.call = call
        self.major = guess_major(call)
        self.keys = _V21 if self.major >= 21 else _V20
        self.label = f"{call.address} (terraform-aws-modules/eks v{self.major})"

    def key(self, concept: str) -> str:
        return self.keys[concept]

    def bool_field(self, concept: str, default: bool) -> Field[bool]:
        key = self.key(concept)
        call = self.call
        whose = f"module v{self.major}'s default"
        if not call.has(key) or call.get(key) is None:
            return Field(default, key, call.site(), written=False, default=whose)
        b = as_bool(call.get(key))
        return Field(bool(b), key, call.site(key), known=b is not None, origin=call.origin(key))


def module_cluster(model: _RootModel, call: ModuleCall) -> Cluster:
    m = _Call(call)
    name = as_str(call.get(m.key("name"), None)) or call.address
    c = Cluster(
        source=TERRAFORM,
        name=name,
        site=call.site(),
        syntax=HCL_SYNTAX,
        describe=m.label,
        tool="Terraform",
        home=model.home,
    )
    c.version = version_value(call, m.key("version"), m.key("version"))
    c.version_site = call.site(m.key("version"))
    c.outpost = call.get("outpost_config", None) not in (None, MISSING, {})
    compute = call.get(m.key("compute"), None)
    c.auto_mode = isinstance(compute, dict) and as_bool(compute.get("enabled")) is True
    family = call.get(m.key("ip_family"), None)
    c.ip_family = "IPv6" if isinstance(family, str) and family.lower() == "ipv6" else "IPv4"
    # subnets: coalescelist(control_plane_subnet_ids, subnet_ids)
    cp_key = "control_plane_subnet_ids"
    cp = call.get(cp_key, None)
    key = cp_key if isinstance(cp, list) and cp else "subnet_ids"
    if call.has(key):
        c.control_plane_subnets, c.availability_zones_site = model.subnets_of(call, key)
    c.az_fix = "give the cluster subnets in 3 AZs"
    # endpoint
    public = m.bool_field("public", m.major < 19)
    c.endpoint_private = m.bool_field("private", m.major >= 19)
    hint = endpoint_hint(m.key("cidrs"), m.key("public"), m.key("private"), c.endpoint_private)
    c.endpoint_public = replace(public, hint=hint)
    c.public_access_cidrs = _cidrs(call, m.key("cidrs"))
    # logging
    logs_key = m.key("logs")
    if call.has(logs_key) and call.get(logs_key) is not None:
        items = str_items(call.get(logs_key))
        c.logging = Field(
            frozenset(items or ()),
            logs_key,
            call.site(logs_key),
            known=items is not None,
            origin=call.origin(logs_key),
            hint=logs_key,
        )
    else:
        c.logging = Field(DEFAULT_LOGS, logs_key, call.site(), written=False, hint=logs_key)
    c.secrets_key = _encryption(m)
    # access
    if m.major >= 20:
        mode = call.get("authentication_mode", "API_AND_CONFIG_MAP")
        c.authentication_mode = Field(
            mode if isinstance(mode, str) else None,
            "authentication_mode",
            call.site("authentication_mode"),
            written=call.has("authentication_mode"),
            known=not isinstance(mode, Unknown),
            origin=call.origin("authentication_mode"),
        )
    irsa = call.get("enable_irsa", True)
    c.oidc = Field(
        as_bool(irsa) is not False,
        "enable_irsa",
        call.site("enable_irsa"),
        known=not isinstance(irsa, Unknown),
        origin=call.origin("enable_irsa"),
        default="enable_irsa = false",
        hint="remove enable_irsa = false (the module then creates the OIDC provider IRSA needs), or add the "
        "eks-pod-identity-agent add-on with Pod Identity associations",
    )
    c.addons = _addons(m)
    c.node_groups = [*_managed_groups(model, m), *_self_managed_groups(model, m)]
    c.fargate_profiles = _fargate(m)
    return c


def _cidrs(call: ModuleCall, key: str) -> Field[tuple[str, ...]]:
    if not call.has(key) or call.get(key) is None:
        return Field((OPEN_CIDR,), key, call.site(), written=False)
    value = call.get(key)
    items = str_items(value)
    if items is None:
        return Field((), key, call.site(key), known=False)
    site = call.site(key)
    sites = tuple(located(value, i, site, call.block.file)[0] for i in range(len(items)))
    return Field(tuple(s.strip() for s in items), key, site, origin=call.origin(key), items=sites)


def _encryption(m: _Call) -> Field[str | None]:
    call, key = m.call, m.key("encryption")
    hint_key = "encryption_config" if m.major >= 21 else "cluster_encryption_config"
    if m.major < 19:
        value = call.get(key, [])
        if isinstance(value, Unknown):
            return Field(None, key, call.site(key), known=False)
        if isinstance(value, list) and value:
            return Field("a KMS key", key, call.site(key))
        return Field(
            None,
            key,
            call.site(key) if call.has(key) else call.site(),
            written=call.has(key),
            origin=call.origin(key),
            default=f"{key + ' = []' if call.has(key) else 'no ' + key} (module v{m.major} does not encrypt Secrets "
            "with a KMS key by default)",
            hint=f'set {hint_key} = [{{ resources = ["secrets"], provider_key_arn = <a KMS key ARN> }}]',
        )
    if not call.has(key):
        return Field("the module's KMS key", key, call.site(), written=False)  # on by default since v19
    value = call.get(key)
    if isinstance(value, Unknown):
        return Field(None, key, call.site(key), known=False)
    disabled = value is None if m.major >= 21 else (isinstance(value, dict) and not value)
    if disabled:
        return Field(
            None,
            key,
            call.site(key),
            origin=call.origin(key),
            default=f"{key + ' = null' if value is None else key + ' = {}'} turns secrets encryption off",
            hint=f"remove {key} to use the key the module creates, or give provider_key_arn",
        )
    return Field("the module's KMS key", key, call.site(key))


def _addons(m: _Call) -> list[Addon]:
    call, key = m.call, m.key("addons")
    value = call.get(key, None)
    if not isinstance(value, dict):
        return []
    out = []
    for name_key, spec in value.items():
        spec = spec if isinstance(spec, dict) else {}
        name = as_str(spec.get("name")) or name_key
        site, _ = located(value, name_key, call.site(key), call.block.file)
        config, known = parse_configuration(spec.get("configuration_values"))
        out.append(Addon(name, site, config, known))
    return out


def _group_value(group: Any, defaults: Any, name: str) -> Any:
    """``try(each.value.name, var.*_defaults.name, <fallback>)``: MISSING when neither sets it."""
    if isinstance(group, dict) and name in group and group[name] is not None:
        return group[name]
    if isinstance(defaults, dict) and name in defaults and defaults[name] is not None:
        return defaults[name]
    return MISSING


def _group_flag(group: Any, defaults: Any, name: str, default: bool) -> bool | None:
    """A boolean group setting (group, then ``*_defaults``), ``default`` when neither sets it,
    None when it is not known statically."""
    value = _group_value(group, defaults, name)
    return default if value is MISSING else as_bool(value)


def _groups(m: _Call, key: str) -> tuple[Any, Any, Site, Site]:
    """A node group map, its ``*_defaults`` (v18-v20), the map's site and the defaults' site."""
    call = m.call
    groups = call.get(key, None)
    defaults_key = f"{key.rstrip('s')}_defaults"
    defaults = call.get(defaults_key, None) if m.major < 21 else None
    return groups, defaults, call.site(key), call.site(defaults_key)


class _Where:
    """Where a node group's setting is written: in the group's own map, else in the
    ``*_defaults`` map (the module's ``try(each.value.x, var.*_defaults.x, ...)``).

    Calling it gives ``(site, origin)``: the site findings point at, in the file of the module
    call, and where the value is really written when that is elsewhere (a ``.tfvars`` file, a
    variable default, the caller of a wrapper module), for "(set in FILE:LINE)".
    """

    def __init__(self, call: ModuleCall, group: Any, defaults: Any, site: Site, defaults_site: Site) -> None:
        self.call = call
        self.group = group
        self.defaults = defaults
        self.site = site
        self.defaults_site = defaults_site

    def __call__(self, key: str) -> tuple[Site, Site | None]:
        home = self.call.block.file
        if isinstance(self.group, dict) and self.group.get(key) is not None:
            return located(self.group, key, self.site, home)
        if isinstance(self.defaults, dict) and self.defaults.get(key) is not None:
            return located(self.defaults, key, self.defaults_site, home)
        return self.site, None

    def at(self, key: str) -> Site:
        return self(key)[0]

    def whence(self, key: str) -> str:
        return _whence(self(key)[1])

    def inner(self, key: str, value: Any, inner_key: str) -> tuple[Site, Site | None]:
        """Where ``inner_key`` of the map ``value`` (the setting ``key``) is written."""
        site, origin = self(key)
        if origin is None:
            return located(value, inner_key, site, self.call.block.file)
        return site, located(value, inner_key, origin, origin.file)[0]


def _whence(origin: Site | None) -> str:
    return f" (set in {origin.describe})" if origin is not None else ""


def _managed_groups(model: _RootModel, m: _Call) -> list[NodeGroup]:
    call = m.call
    groups, defaults, map_site, defaults_site = _groups(m, "eks_managed_node_groups")
    if not isinstance(groups, dict):
        return []
    out: list[NodeGroup] = []
    for gkey, group in groups.items():
        if not isinstance(group, dict) or as_bool(group.get("create", True)) is not True:
            continue  # not created (create = false), or not known to be
        site, origin = located(groups, gkey, map_site, call.block.file)
        name = as_str(_group_value(group, None, "name")) or gkey
        describe = f"eks_managed_node_groups.{gkey} of {call.address}"
        ng = NodeGroup(name=name, managed=True, site=site, describe=describe)
        where = _Where(call, group, defaults, site, defaults_site)

        types = _group_value(group, defaults, "instance_types")
        if types is MISSING:
            ng.instance_types = (DEFAULT_INSTANCE_TYPE,)  # unset: EKS launches t3.medium
        else:
            ng.instance_types = str_items(types) or ()
            ng.instance_types_site = where.at("instance_types")
        size = _group_value(group, defaults, "max_size")
        ng.max_size = NG_MAX_SIZE if size is MISSING else as_int(size)
        ng.max_size_site = where.at("max_size")
        _group_placement(model, call, ng, group, where, site)
        ami = _group_value(group, defaults, "ami_type")
        ng.windows = isinstance(ami, str) and ami.upper().startswith("WINDOWS")
        custom = _group_flag(group, defaults, "use_custom_launch_template", True)
        if custom is False:
            ng.ssh = _remote_access(_group_value(group, defaults, "remote_access"), where)
        elif custom is True and _group_flag(group, defaults, "create_launch_template", True) is True:
            ng.imds = _metadata(group, defaults, describe, where)
            ng.volume_unencrypted = _volumes(group, defaults, describe, where)
        # else a launch template the module does not create (create_launch_template = false,
        # launch_template_id/_name) or one not known: its settings are not in the scan
        _update_config(ng, m, group, defaults, where)
        ng.versions = _group_versions(m, group, defaults, where, managed=True)
        if origin is not None:
            ng.notes.append(f"defined at {origin.describe}")
        out.append(ng)
    return out


def _update_config(ng: NodeGroup, m: _Call, group: Any, defaults: Any, where: _Where) -> None:
    """v19+ fall back to ``{max_unavailable_percentage = 33}``; v18 to ``{}``, which writes no
    ``update_config`` block (the sub-module's ``dynamic "update_config"``: v18.31.2
    ``node_groups.tf``), so EKS takes its own default, one node at a time."""
    update = _group_value(group, defaults, "update_config")
    if update is MISSING:
        ng.has_update_config = m.major >= 19
        ng.update_config_hint = (
            f"has no update_config (module v{m.major} passes none): EKS updates it with max_unavailable 1, "
            "one node at a time; set update_config = { max_unavailable_percentage = 33 } or what the "
            "workloads can spare"
        )
        return
    ng.has_update_config = bool(update) if isinstance(update, dict) else None
    at, origin = where("update_config")
    ng.update_config_site = at
    ng.update_config_hint = (
        f"sets update_config = {{}}{_whence(origin)}: EKS updates it with max_unavailable 1, "
        "one node at a time; set max_unavailable_percentage "
        f"{'(the module default is 33) ' if m.major >= 19 else ''}to what the workloads can spare"
    )


def _group_versions(m: _Call, group: Any, defaults: Any, where: _Where, *, managed: bool) -> list[VersionValue]:
    """The versions a group's nodes run, where written: its Kubernetes version and (managed
    groups) its AMI release. A custom AMI (``ami_id``) decides the kubelet itself, so the module
    sends neither (v20 ``main.tf``, v21 ``release_version = var.ami_id != "" ? null : ...``);
    from v20 ``use_latest_ami_release_version = true`` (v21's default) replaces
    ``ami_release_version`` by the newest release for the group's version."""
    ami = _group_value(group, defaults, "ami_id")
    if ami is not MISSING and not (isinstance(ami, str) and ami == ""):
        return []  # a custom AMI, or one not known statically
    keys = [m.key("ng_version")]
    if managed:
        latest = _group_flag(group, defaults, "use_latest_ami_release_version", m.major >= 21)
        if m.major < 20 or latest is False:
            keys.append("ami_release_version")
    out = []
    for key in keys:
        value = _group_value(group, defaults, key)
        if isinstance(value, str) and value:
            at, value_origin = where(key)
            out.append(VersionValue(value, value, False, at, key, value_origin))
    return out


def _group_placement(model: _RootModel, call: ModuleCall, ng: NodeGroup, group: Any, where: _Where, site: Site) -> None:
    """A group's subnets: its own ``subnet_ids`` (then findings point there), else the module's
    ``subnet_ids`` (then they point at the module's, which decides)."""
    key = "subnet_ids"
    own = group.get(key) if isinstance(group, dict) else None
    if isinstance(own, list):
        ng.placement, _ = _subnet_list(model, group, key, where.at(key), call)
        _placement_facts(ng, where.at(key))
        return
    if own is not None:  # a subnet list not known statically
        ng.placement = None
        return
    ng.placement = model.subnets_of(call, key)[0] if call.has(key) else None
    _placement_facts(ng, call.site(key) if call.has(key) else site)


def _subnet_list(model: _RootModel, group: Any, key: str, site: Site, call: ModuleCall) -> tuple[list[Any], Site]:
    out = []
    for i, item in enumerate(group[key]):
        item_site, _ = located(group[key], i, site, call.block.file)
        s = model.subnet(item, item_site)
        if s is not None and s not in out:
            out.append(s)
    return out, site


def _self_managed_groups(model: _RootModel, m: _Call) -> list[NodeGroup]:
    call = m.call
    groups, defaults, map_site, defaults_site = _groups(m, "self_managed_node_groups")
    if not isinstance(groups, dict):
        return []
    out: list[NodeGroup] = []
    for gkey, group in groups.items():
        if not isinstance(group, dict) or as_bool(group.get("create", True)) is not True:
            continue  # not created (create = false), or not known to be
        site, _ = located(groups, gkey, map_site, call.block.file)
        describe = f"self_managed_node_groups.{gkey} of {call.address}"
        ng = NodeGroup(name=as_str(group.get("name")) or gkey, managed=False, site=site, describe=describe)
        where = _Where(call, group, defaults, site, defaults_site)

        itype = _group_value(group, defaults, "instance_type")
        ng.instance_types = (SELF_MANAGED_INSTANCE_TYPE,) if itype is MISSING else ((itype,) if as_str(itype) else ())
        ng.instance_types_site = where.at("instance_type")
        size = _group_value(group, defaults, "max_size")
        ng.max_size = NG_MAX_SIZE if size is MISSING else as_int(size)
        ng.max_size_site = where.at("max_size")
        _group_placement(model, call, ng, group, where, site)
        if _group_flag(group, defaults, "create_launch_template", True) is True:
            ng.imds = _metadata(group, defaults, describe, where)
            ng.volume_unencrypted = _volumes(group, defaults, describe, where)
        ng.versions = _group_versions(m, group, defaults, where, managed=False)
        ng.managed_alternative = "eks_managed_node_groups"
        ng.needs_self_managed = _self_managed_only(group, defaults)
        out.append(ng)
    return out


#: Self-managed group inputs with no managed node group equivalent (the module's equivalents of
#: eksctl's targetGroupARNs, classicLoadBalancerNames, maxInstanceLifetime, asgMetricsCollection,
#: cpuCredits and enclaveEnabled).
_SELF_MANAGED_FEATURES = (
    "target_group_arns",
    "load_balancers",
    "max_instance_lifetime",
    "enabled_metrics",
    "credit_specification",
    "enclave_options",
)


def _self_managed_only(group: Any, defaults: Any) -> str | None:
    """Features only an Auto Scaling group gives, in the group or its ``*_defaults``: a mixed
    instances policy (applied only when ``use_mixed_instances_policy`` is true), a load balancer
    attachment, an instance lifetime, ASG metrics, CPU credits, Nitro Enclaves."""
    if _group_flag(group, defaults, "use_mixed_instances_policy", False) is not False:
        return "use_mixed_instances_policy"  # true, or not known: not judged
    for key in _SELF_MANAGED_FEATURES:
        value = _group_value(group, defaults, key)
        if value not in (MISSING, False, {}, []):
            return key
    return None


def _remote_access(value: Any, where: _Where) -> SSH | None:
    if not isinstance(value, dict):
        return None
    key = value.get("ec2_ssh_key")
    if not isinstance(key, str) or not key:
        return None
    sources = value.get("source_security_group_ids")
    restricted = (isinstance(sources, list) and len(sources) > 0) or isinstance(sources, Unknown)
    site, origin = where.inner("remote_access", value, "ec2_ssh_key")
    return SSH(
        open_to_world=not restricted,
        why="remote_access.ec2_ssh_key" + (f" set in {origin.describe}" if origin is not None else ""),
        at=site,
        restrict_key="remote_access.source_security_group_ids",
        opener="EKS then opens port 22 to 0.0.0.0/0",
        fix="set source_security_group_ids",
    )


def _metadata(group: Any, defaults: Any, describe: str, where: _Where) -> IMDS:
    meta = _group_value(group, defaults, "metadata_options")
    if not isinstance(meta, dict):
        return IMDS()  # the module's default: http_tokens = "required"
    endpoint = meta.get("http_endpoint")
    if isinstance(endpoint, Unknown) or (isinstance(endpoint, str) and endpoint.lower() == "disabled"):
        return IMDS()  # IMDS off, or not known: nothing to report
    tokens = meta.get("http_tokens")
    imds = IMDS()
    if isinstance(tokens, str) and tokens.lower() == "optional":
        at, origin = where.inner("metadata_options", meta, "http_tokens")
        imds = IMDS(
            tokens_optional=at,
            tokens_text=f'{describe} sets metadata_options.http_tokens = "optional"{_whence(origin)}',
            tokens_fix='remove it (the module requires IMDSv2 by default) or set http_tokens = "required"',
        )
    hops = as_int(meta.get("http_put_response_hop_limit"))
    if hops is not None:
        at, origin = where.inner("metadata_options", meta, "http_put_response_hop_limit")
        imds = IMDS(
            imds.tokens_optional,
            imds.tokens_text,
            imds.tokens_fix,
            hops,
            at,
            f"metadata_options.http_put_response_hop_limit{_whence(origin)}",
        )
    return imds


def _volumes(group: Any, defaults: Any, describe: str, where: _Where) -> list[VolumeSetting]:
    mappings = _group_value(group, defaults, "block_device_mappings")
    if not isinstance(mappings, dict):
        return []
    at, origin = where("block_device_mappings")
    home = where.call.block.file
    out = []
    for dkey, mapping in mappings.items():
        ebs = mapping.get("ebs") if isinstance(mapping, dict) else None
        if isinstance(ebs, dict) and as_bool(ebs.get("encrypted")) is False:
            device = as_str(mapping.get("device_name")) or dkey
            if origin is None:
                site, written = located(ebs, "encrypted", at, home)
            else:
                site, written = at, located(ebs, "encrypted", origin, origin.file)[0]
            out.append(
                VolumeSetting(
                    f"block_device_mappings.{dkey}.ebs.encrypted = false on {device}{_whence(written)}",
                    site,
                    "set encrypted = true (and kms_key_id for your own key)",
                )
            )
    return out


def _fargate(m: _Call) -> list[FargateProfile]:
    call = m.call
    profiles = call.get("fargate_profiles", None)
    if not isinstance(profiles, dict):
        return []
    out = []
    for pkey, spec in profiles.items():
        if not isinstance(spec, dict):
            continue
        selectors = []
        for sel in spec.get("selectors") or []:
            if isinstance(sel, dict) and isinstance(sel.get("namespace"), str):
                labels = sel.get("labels")
                selectors.append(FargateSelector(sel["namespace"], dict(labels) if isinstance(labels, dict) else {}))
        site, _ = located(profiles, pkey, call.site("fargate_profiles"), call.block.file)
        out.append(FargateProfile(as_str(spec.get("name")) or pkey, site, tuple(selectors)))
    return out
