"""The CloudFormation adapter: ``AWS::EKS::*`` resources of a template as clusters of the model.

Hand-written templates, eksctl's stacks and CDK output (``cdk.out/*.template.json``) are read the
same way: an ``AWS::EKS::Cluster`` becomes a :class:`~ekslint.linter.cluster.model.Cluster`, with
the ``AWS::EKS::Nodegroup``, ``AWS::EKS::FargateProfile``, ``AWS::EKS::Addon`` and
``AWS::EKS::PodIdentityAssociation`` resources whose ``ClusterName`` is that cluster (a ``Ref`` to
it or its name), their ``AWS::EC2::LaunchTemplate`` and the ``AWS::EC2::Subnet`` resources their
subnets ``Ref``. Auto Scaling groups tagged ``kubernetes.io/cluster/<name>: owned`` are
self-managed node groups. Node groups of a cluster in another stack (``Fn::ImportValue``) are
judged as node groups in a cluster whose own settings are unknown.

Defaults are EKS's, since CloudFormation passes an absent property as absent
(``../shared/reference/terraform-eks.md`` section 4): ``EndpointPublicAccess`` true,
``PublicAccessCidrs`` ``0.0.0.0/0``, no control plane logs, no ``EncryptionConfig``,
``InstanceTypes`` ``t3.medium``; an absent ``Version`` is the newest at creation (nothing to report).

CDK: the L2 ``aws-eks`` ``Cluster`` does not synthesise ``AWS::EKS::Cluster`` but a custom resource,
``Custom::AWSCDK-EKS-Cluster``, whose provider Lambda calls the EKS API with ``Properties.Config``
(the API's camelCase shape). It is read too, for the properties that have a static value there;
what the provider adds at deploy time is not visible. The newer ``aws-eks-v2`` and the L1
``CfnCluster`` synthesise ``AWS::EKS::Cluster``. Node groups from ``addNodegroupCapacity`` are
plain ``AWS::EKS::Nodegroup``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ekslint.linter.cluster.model import (
    CLOUDFORMATION,
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
from ekslint.linter.loader import SourceFile
from ekslint.linter.nodes import LMap, LSeq, Pos
from ekslint.linter.terraform.values import Ref, Unknown

CLUSTER_TYPES = ("AWS::EKS::Cluster", "AWSQS::EKS::Cluster")
CDK_CLUSTER = "Custom::AWSCDK-EKS-Cluster"
DEFAULT_INSTANCE_TYPE = "t3.medium"
OPEN_CIDR = "0.0.0.0/0"
#: What makes a document worth reading as a cluster definition (a cheap test on its types).
EKS_MARKERS = ("AWS::EKS::", "AWSQS::EKS::", CDK_CLUSTER, "AWS::AutoScaling::AutoScalingGroup")


def cloudformation_clusters(files: list[SourceFile], notes: list[str]) -> list[Cluster]:
    """Every cluster the scan's templates define."""
    out: list[Cluster] = []
    for source in files:
        for doc in source.documents:
            root = doc.root
            resources = root.get("Resources") if isinstance(root, dict) else None
            if not isinstance(resources, dict) or not _has_eks(resources):
                continue
            from ekslint.linter.cloudformation.template import Template, is_template

            if not is_template(root):
                continue
            try:
                out.extend(_Stack(Template(source, root)).clusters())
            except RecursionError:
                notes.append(f"{source.display}: the template nests too deeply to read; its clusters are not checked")
            except Exception as exc:  # noqa: BLE001 - one template's problem must not stop the scan
                notes.append(
                    f"{source.display}: internal error reading the template ({type(exc).__name__}: {exc}); "
                    "its clusters are not checked"
                )
    return out


def _has_eks(resources: dict[str, Any]) -> bool:
    return any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith(EKS_MARKERS)
        for r in resources.values()
    )


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 20:
        return int(value)
    return None


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


class _Stack:
    """One template's clusters and their parts."""

    def __init__(self, t: Any) -> None:
        self.t = t
        self.file: SourceFile = t.file
        self.subnets: dict[str, Subnet] = {}
        self.absent = self.absent_vpc = Site(self.file)

    # -- sites
    def site(self, mapping: Any, key: str | None, node: str, ref: str) -> Site:
        """Where ``mapping[key]`` is written (the mapping itself when the key is absent)."""
        pos = mapping.key_pos(key) if isinstance(mapping, LMap) and key is not None else None
        if pos is None:
            pos = mapping.pos if isinstance(mapping, (LMap, LSeq)) else None
        return Site(self.file, pos=pos, node=f"{node}.{key}" if key else node, ref=ref)

    def origin(self, raw: Any) -> Site | None:
        """Where a value passed by ``Ref`` to a parameter is written: the parameter's ``Default``."""
        if isinstance(raw, dict) and len(raw) == 1 and isinstance(raw.get("Ref"), str):
            found = self.t.parameter_site(raw["Ref"])
            if found is not None:
                mapping, key = found
                return Site(self.file, pos=mapping.key_pos(key), node=f"Parameters.{raw['Ref']}.Default")
        return None

    # -- subnets
    def subnet(self, raw: Any, value: Any, site: Site) -> Subnet:
        if isinstance(value, Ref) and value.attr == "Ref":
            found = self.subnets.get(value.address)
            if found is not None:
                return found
            res = self.t.resources.get(value.address)
            if isinstance(res, LMap) and res.get("Type") == "AWS::EC2::Subnet":
                found = self.subnets[value.address] = self._subnet(value.address, res)
                return found
            return Subnet(label=value.address, site=site)
        if isinstance(value, str) and value:
            return Subnet(label=value, site=site, id=value)
        if isinstance(value, Unknown) and value.key:
            return Subnet(label=value.key, site=site)  # "parameter Subnet1ID": no default
        return Subnet(label="a subnet known only at deploy time", site=site)

    def _subnet(self, lid: str, res: LMap) -> Subnet:
        props = _props(res)
        node = f"Resources.{lid}.Properties"
        ref = f"AWS::EC2::Subnet {lid}"
        cidr = self.t.resolve(props.get("CidrBlock"))
        cidr_text = cidr if isinstance(cidr, str) else None
        az_value = self.t.resolve(props.get("AvailabilityZone", props.get("AvailabilityZoneId")))
        az, symbol = None, None
        if isinstance(az_value, str) and az_value:
            az = az_value
        elif isinstance(az_value, Unknown) and az_value.key.endswith("]"):
            az, symbol = az_value.key, az_value.key[: az_value.key.rindex("[")]
        public = as_bool(self.t.resolve(props.get("MapPublicIpOnLaunch", False)))
        return Subnet(
            label=f"{lid} ({cidr_text})" if cidr_text else lid,
            site=self.site(props, "CidrBlock", node, ref),
            cidr_text=cidr_text,
            network=parse_network(cidr_text),
            az=az,
            az_symbol=symbol,
            public_ips=public,
            public_ips_site=self.site(props, "MapPublicIpOnLaunch", node, ref),
            origin=self.origin(props.get("CidrBlock")),
        )

    def subnet_list(self, mapping: Any, key: str, node: str, ref: str) -> tuple[list[Subnet] | None, Site]:
        site = self.site(mapping, key, node, ref)
        raw = mapping.get(key) if isinstance(mapping, dict) else None
        if raw is None:
            return None, site
        value = self.t.resolve(raw)
        if not isinstance(value, list):
            return None, site
        raw_items = raw if isinstance(raw, LSeq) and len(raw) == len(value) else None
        out: list[Subnet] = []
        for i, item in enumerate(value):
            item_site = (
                Site(self.file, pos=raw_items.item_pos(i), node=f"{site.node}[{i}]", ref=ref) if raw_items else site
            )
            s = self.subnet(raw_items[i] if raw_items else None, item, item_site)
            if s not in out:
                out.append(s)
        return out, site

    # -- the clusters
    def clusters(self) -> list[Cluster]:
        t = self.t
        out: list[tuple[str, Cluster]] = []
        for lid, res in t.of_type(*CLUSTER_TYPES):
            out.append((lid, self.cluster(lid, res, _props(res), pascal=True)))
        for lid, res in t.of_type(CDK_CLUSTER):
            config = _props(res).get("Config")
            if isinstance(config, LMap):
                out.append((lid, self.cluster(lid, res, config, pascal=False)))
        orphans: dict[str, Cluster] = {}

        def owner(props: Any, lid: str, node: str, ref: str) -> Cluster:
            raw = props.get("ClusterName") if isinstance(props, dict) else None
            value = t.resolve(raw)
            for clid, c in out:
                if (isinstance(value, Ref) and value.address == clid) or (isinstance(value, str) and value == c.name):
                    return c
            key = value if isinstance(value, str) else "<elsewhere>"
            found = orphans.get(key)
            if found is None:
                shown = value if isinstance(value, str) else "defined in another stack"
                found = orphans[key] = Cluster(
                    source=CLOUDFORMATION,
                    name=shown,
                    site=self.site(props, "ClusterName", node, ref),
                    syntax=YAML_SYNTAX,
                    describe=f"cluster {shown!r}" if isinstance(value, str) else "a cluster in another stack",
                    tool="CloudFormation",
                    home=self.file,
                )
            return found

        for lid, res in t.of_type("AWS::EKS::Nodegroup"):
            node, ref = f"Resources.{lid}.Properties", f"AWS::EKS::Nodegroup {lid}"
            props = _props(res)
            owner(props, lid, node, ref).node_groups.append(self.node_group(lid, res, props))
        for lid, res in t.of_type("AWS::EKS::FargateProfile"):
            props = _props(res)
            owner(props, lid, f"Resources.{lid}.Properties", f"AWS::EKS::FargateProfile {lid}").fargate_profiles.append(
                self.fargate(lid, res, props)
            )
        for lid, res in t.of_type("AWS::EKS::Addon"):
            props = _props(res)
            name = t.resolve(props.get("AddonName"))
            if isinstance(name, str):
                from ekslint.linter.terraform.clusters import parse_configuration

                config, known = parse_configuration(t.resolve(props.get("ConfigurationValues")))
                c = owner(props, lid, f"Resources.{lid}.Properties", f"AWS::EKS::Addon {lid}")
                c.addons.append(
                    Addon(name, self.site(props, "AddonName", f"Resources.{lid}.Properties", lid), config, known)
                )
        for lid, res in t.of_type("AWS::EKS::PodIdentityAssociation"):
            owner(_props(res), lid, f"Resources.{lid}", lid).pod_identity_associations += 1
        for lid, res in t.of_type("AWS::AutoScaling::AutoScalingGroup"):
            cluster_name = _owned_cluster(t.resolve(_props(res).get("Tags")))
            if cluster_name is None:
                continue
            found = next((c for _, c in out if c.name == cluster_name), None)
            c = found if found is not None else owner({"ClusterName": cluster_name}, lid, f"Resources.{lid}", lid)
            c.node_groups.append(self.self_managed(lid, res, _props(res)))
        for lid, res in t.of_type("AWS::IAM::OIDCProvider"):
            url = _props(res).get("Url")
            value = t.resolve(url)
            for clid, c in out:
                if isinstance(value, Ref) and value.address == clid:
                    c.oidc = Field(True, "AWS::IAM::OIDCProvider", self.site(res, None, f"Resources.{lid}", lid))
        return [c for _, c in out] + [c for c in orphans.values() if c.node_groups or c.fargate_profiles]

    def cluster(self, lid: str, res: LMap, props: Any, *, pascal: bool) -> Cluster:
        t = self.t
        k = _Keys(pascal)
        node = f"Resources.{lid}.Properties" + ("" if pascal else ".Config")
        ref = f"{res.get('Type')} {lid}"
        name = t.resolve(props.get(k.name))
        # Where a property that is absent is reported: the resource's Properties (or Config) key,
        # and for the endpoint settings its ResourcesVpcConfig key.
        self.absent = self.site(res, "Properties", f"Resources.{lid}", ref)
        if not pascal:
            self.absent = self.site(_props(res), "Config", f"Resources.{lid}.Properties", ref)
        self.absent_vpc = self.site(props, k.vpc, node, ref)
        c = Cluster(
            source=CLOUDFORMATION,
            name=name if isinstance(name, str) else lid,
            site=self.site(self.t.resources, lid, "Resources", ref),
            syntax=YAML_SYNTAX,
            describe=ref,
            tool="CloudFormation",
            home=self.file,
        )
        c.version = self.version(props, k.version, node, ref)
        c.version_site = self.site(props, k.version, node, ref)
        c.outpost = props.get(k.outpost) is not None
        compute = t.resolve(props.get(k.compute))
        c.auto_mode = isinstance(compute, dict) and as_bool(compute.get(k.enabled)) is True
        net = t.resolve(props.get(k.network))
        if isinstance(net, dict) and str(net.get(k.ip_family, "ipv4")).lower() == "ipv6":
            c.ip_family = "IPv6"
        vpc = props.get(k.vpc)
        vpc_node = f"{node}.{k.vpc}"
        if isinstance(vpc, LMap):
            c.control_plane_subnets, c.availability_zones_site = self.subnet_list(vpc, k.subnets, vpc_node, ref)
            public = self.bool_field(vpc, k.public, True, vpc_node, ref, f"{k.vpc}.{k.public}")
            private = self.bool_field(vpc, k.private, False, vpc_node, ref, f"{k.vpc}.{k.private}")
            missing = f"{k.vpc}.{k.public}: false" + ("" if private.value else f" and {k.private}: true")
            hint = f"list only your networks in {k.vpc}.{k.cidrs}, or set {missing}"
            c.endpoint_public = replace(public, hint=hint)
            c.endpoint_private = private
            c.public_access_cidrs = self.cidrs(vpc, k.cidrs, vpc_node, ref, f"{k.vpc}.{k.cidrs}")
        c.az_fix = "give the cluster subnets in 3 AZs"
        c.logging = self.logging(props, k, node, ref)
        c.secrets_key = self.encryption(props, k, node, ref)
        access = props.get(k.access)
        if isinstance(access, LMap) and k.auth_mode in access:
            mode = t.resolve(access.get(k.auth_mode))
            c.authentication_mode = Field(
                mode if isinstance(mode, str) else None,
                f"{k.access}.{k.auth_mode}",
                self.site(access, k.auth_mode, f"{node}.{k.access}", ref),
                known=not isinstance(mode, Unknown),
                origin=self.origin(access.get(k.auth_mode)),
            )
        return c

    def version(self, props: Any, key: str, node: str, ref: str) -> VersionValue | None:
        from ekslint.linter.versions import written_version

        if not isinstance(props, LMap) or key not in props:
            return None
        raw = props.get(key)
        at = self.site(props, key, node, ref)
        if isinstance(raw, dict):  # Ref to a parameter: its Default as written
            found = self.t.parameter_site(raw.get("Ref")) if isinstance(raw.get("Ref"), str) else None
            if found is None:
                return None
            mapping, dkey = found
            written = written_version(mapping, dkey, self.file)
            origin = self.origin(raw)
        else:
            written = written_version(props, key, self.file)
            origin = None
        if written is None:
            return None
        return VersionValue(written.written, written.read_as, written.unquoted_number, at, key, origin)

    def bool_field(self, mapping: LMap, key: str, default: bool, node: str, ref: str, label: str) -> Field[bool]:
        if key not in mapping:
            return Field(default, label, self.absent_vpc, written=False, default="EKS's default")
        value = self.t.resolve(mapping[key])
        b = as_bool(value)
        return Field(
            bool(b) if b is not None else default,
            label,
            self.site(mapping, key, node, ref),
            known=b is not None,
            origin=self.origin(mapping[key]),
        )

    def cidrs(self, vpc: LMap, key: str, node: str, ref: str, label: str) -> Field[tuple[str, ...]]:
        if key not in vpc:
            return Field((OPEN_CIDR,), label, self.absent_vpc, written=False)
        raw = vpc[key]
        value = self.t.resolve(raw)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return Field((), label, self.site(vpc, key, node, ref), known=False)
        at = self.site(vpc, key, node, ref)
        items = tuple(
            Site(self.file, pos=raw.item_pos(i), node=f"{at.node}[{i}]", ref=ref)
            if isinstance(raw, LSeq) and len(raw) == len(value)
            else at
            for i in range(len(value))
        )
        return Field(tuple(v.strip() for v in value), label, at, origin=self.origin(raw), items=items)

    def logging(self, props: Any, k: _Keys, node: str, ref: str) -> Field[frozenset[str]]:
        label = k.logging_label
        logging = props.get(k.logging) if isinstance(props, dict) else None
        if logging is None:
            return Field(frozenset(), label, self.absent, written=False, hint=label)
        value = self.t.resolve(logging)
        at = self.site(props, k.logging, node, ref)
        inner = logging.get(k.cluster_logging) if isinstance(logging, LMap) else None
        if k.pascal and isinstance(inner, LMap) and "EnabledTypes" in inner:
            at = self.site(inner, "EnabledTypes", f"{node}.{k.logging}.{k.cluster_logging}", ref)
        types: set[str] = set()
        entries = value.get(k.cluster_logging) if isinstance(value, dict) else None
        if isinstance(value, dict) and k.pascal:
            entries = entries.get("EnabledTypes") if isinstance(entries, dict) else None
            for item in entries if isinstance(entries, list) else []:
                if isinstance(item, dict) and isinstance(item.get("Type"), str):
                    types.add(item["Type"])
                elif isinstance(item, Unknown):
                    return Field(frozenset(), label, self.site(props, k.logging, node, ref), known=False)
        elif isinstance(entries, list):  # CDK: [{enabled: true, types: [...]}]
            for item in entries:
                if isinstance(item, dict) and as_bool(item.get("enabled")) is True:
                    types.update(t for t in item.get("types") or [] if isinstance(t, str))
        elif isinstance(value, Unknown):
            return Field(frozenset(), label, self.site(props, k.logging, node, ref), known=False)
        return Field(frozenset(types), label, at, hint=label)

    def encryption(self, props: Any, k: _Keys, node: str, ref: str) -> Field[str | None]:
        raw = props.get(k.encryption) if isinstance(props, dict) else None
        hint = (
            f"add {k.encryption} with Resources: [secrets] and Provider.KeyArn set to a customer-managed KMS key"
            if k.pascal
            else "give the cluster a secretsEncryptionKey"
        )
        if raw is None:
            return Field(
                None,
                k.encryption,
                self.absent,
                written=False,
                default=f"no {k.encryption}",
                hint=hint,
            )
        value = self.t.resolve(raw)
        if not isinstance(value, list):
            return Field(None, k.encryption, self.site(props, k.encryption, node, ref), known=False)
        for item in value:
            resources = item.get(k.resources) if isinstance(item, dict) else None
            if isinstance(resources, list) and "secrets" in resources:
                return Field("a KMS key", k.encryption, self.site(props, k.encryption, node, ref))
            if isinstance(item, Unknown) or isinstance(resources, Unknown):
                return Field(None, k.encryption, self.site(props, k.encryption, node, ref), known=False)
        return Field(
            None,
            k.encryption,
            self.site(props, k.encryption, node, ref),
            default=f"{k.encryption} has no secrets",
            hint=hint,
        )

    # -- node groups
    def launch_template(self, spec: Any) -> tuple[str, LMap] | None:
        value = self.t.resolve(spec) if spec is not None else None
        if not isinstance(value, dict):
            return None
        for key in ("Id", "LaunchTemplateId", "Name", "LaunchTemplateName"):
            v = value.get(key)
            if isinstance(v, Ref) and isinstance(self.t.resources.get(v.address), LMap):
                return v.address, self.t.resources[v.address]
            if isinstance(v, str):
                for lid, res in self.t.of_type("AWS::EC2::LaunchTemplate"):
                    if self.t.resolve(_props(res).get("LaunchTemplateName")) == v:
                        return lid, res
        return None

    def node_group(self, lid: str, res: LMap, props: Any) -> NodeGroup:
        t = self.t
        node, ref = f"Resources.{lid}.Properties", f"AWS::EKS::Nodegroup {lid}"
        name = t.resolve(props.get("NodegroupName"))
        ng = NodeGroup(
            name=name if isinstance(name, str) else lid,
            managed=True,
            site=self.site(t.resources, lid, "Resources", ref),
            describe=ref,
        )
        lt = self.launch_template(props.get("LaunchTemplate"))
        lt_known = lt is not None or props.get("LaunchTemplate") is None
        types = t.resolve(props.get("InstanceTypes"))
        lt_data = _map(_props(lt[1]).get("LaunchTemplateData")) if lt is not None else {}
        if "InstanceTypes" in props:
            ng.instance_types = (
                tuple(types) if isinstance(types, list) and all(isinstance(x, str) for x in types) else ()
            )
            ng.instance_types_site = self.site(props, "InstanceTypes", node, ref)
        elif lt is not None and "InstanceType" in lt_data:
            itype = t.resolve(lt_data["InstanceType"])
            ng.instance_types = (itype,) if isinstance(itype, str) else ()
        elif lt_known:
            ng.instance_types = (DEFAULT_INSTANCE_TYPE,)
        scaling = t.resolve(props.get("ScalingConfig"))
        ng.max_size = as_int(scaling.get("MaxSize")) if isinstance(scaling, dict) else None
        ng.placement, subnets_site = self.subnet_list(props, "Subnets", node, ref)
        from ekslint.linter.terraform.clusters import _placement_facts

        _placement_facts(ng, subnets_site)
        if ng.public is not None:
            state, at, _ = ng.public
            ng.public = (
                state.replace("map_public_ip_on_launch", "MapPublicIpOnLaunch"),
                at,
                "use private subnets in Subnets (outbound traffic then goes through a NAT gateway)",
            )
        ami = t.resolve(props.get("AmiType"))
        ng.windows = isinstance(ami, str) and ami.upper().startswith("WINDOWS")
        remote = props.get("RemoteAccess")
        if isinstance(remote, LMap):
            key = t.resolve(remote.get("Ec2SshKey"))
            sources = t.resolve(remote.get("SourceSecurityGroups"))
            if isinstance(key, str) and key:
                restricted = (isinstance(sources, list) and bool(sources)) or isinstance(sources, Unknown)
                ng.ssh = SSH(
                    open_to_world=not restricted,
                    why="RemoteAccess.Ec2SshKey",
                    at=self.site(remote, "Ec2SshKey", f"{node}.RemoteAccess", ref),
                    restrict_key="RemoteAccess.SourceSecurityGroups",
                    opener="EKS then opens port 22 to 0.0.0.0/0",
                    fix="set SourceSecurityGroups",
                )
        if lt is not None:
            self.launch_template_facts(ng, lt[0], lt[1])
        ng.has_update_config = props.get("UpdateConfig") is not None
        ng.update_config_hint = (
            "has no UpdateConfig: EKS updates it with MaxUnavailable 1, one node at a time; set "
            "UpdateConfig.MaxUnavailable or MaxUnavailablePercentage to what the workloads can spare"
        )
        for key in ("Version", "ReleaseVersion"):
            v = self.version(props, key, node, ref)
            if v is not None:
                ng.versions.append(v)
        return ng

    def launch_template_facts(self, ng: NodeGroup, lid: str, res: LMap) -> None:
        data = _props(res).get("LaunchTemplateData")
        if not isinstance(data, LMap):
            return
        node, ref = f"Resources.{lid}.Properties.LaunchTemplateData", f"AWS::EC2::LaunchTemplate {lid}"
        meta = data.get("MetadataOptions")
        if isinstance(meta, LMap) and str(self.t.resolve(meta.get("HttpEndpoint", "enabled"))).lower() != "disabled":
            tokens = self.t.resolve(meta.get("HttpTokens"))
            imds = IMDS()
            if isinstance(tokens, str) and tokens.lower() == "optional":
                imds = IMDS(
                    tokens_optional=self.site(meta, "HttpTokens", f"{node}.MetadataOptions", ref),
                    tokens_text=f"{ng.describe} uses launch template {lid}, which sets MetadataOptions.HttpTokens: "
                    "optional",
                    tokens_fix="set HttpTokens: required",
                )
            hops = as_int(self.t.resolve(meta.get("HttpPutResponseHopLimit")))
            if hops is not None:
                imds = IMDS(
                    imds.tokens_optional,
                    imds.tokens_text,
                    imds.tokens_fix,
                    hops,
                    self.site(meta, "HttpPutResponseHopLimit", f"{node}.MetadataOptions", ref),
                    f"MetadataOptions.HttpPutResponseHopLimit in launch template {lid}",
                )
            ng.imds = imds
        mappings = data.get("BlockDeviceMappings")
        for i, mapping in enumerate(mappings if isinstance(mappings, LSeq) else []):
            ebs = mapping.get("Ebs") if isinstance(mapping, LMap) else None
            if isinstance(ebs, LMap) and as_bool(self.t.resolve(ebs.get("Encrypted"))) is False:
                device = self.t.resolve(mapping.get("DeviceName"))
                ng.volume_unencrypted.append(
                    VolumeSetting(
                        f"launch template {lid} with Ebs.Encrypted: false on "
                        f"{device if isinstance(device, str) else 'a volume'}",
                        self.site(ebs, "Encrypted", f"{node}.BlockDeviceMappings[{i}].Ebs", ref),
                        "set Encrypted: true (and KmsKeyId for your own key)",
                    )
                )

    def self_managed(self, lid: str, res: LMap, props: Any) -> NodeGroup:
        node, ref = f"Resources.{lid}.Properties", f"AWS::AutoScaling::AutoScalingGroup {lid}"
        ng = NodeGroup(name=lid, managed=False, site=self.site(self.t.resources, lid, "Resources", ref), describe=ref)
        ng.max_size = as_int(self.t.resolve(props.get("MaxSize")))
        ng.placement, site = self.subnet_list(props, "VPCZoneIdentifier", node, ref)
        from ekslint.linter.terraform.clusters import _placement_facts

        _placement_facts(ng, site)
        ng.public = None  # self-managed nodes take public IPs from their launch template, not told here
        lt = self.launch_template(props.get("LaunchTemplate"))
        if lt is not None:
            itype = self.t.resolve(_map(_props(lt[1]).get("LaunchTemplateData")).get("InstanceType"))
            ng.instance_types = (itype,) if isinstance(itype, str) else ()
            self.launch_template_facts(ng, lt[0], lt[1])
        ng.managed_alternative = "AWS::EKS::Nodegroup"
        if props.get("MixedInstancesPolicy") is not None:
            ng.needs_self_managed = "MixedInstancesPolicy"
        return ng

    def fargate(self, lid: str, res: LMap, props: Any) -> FargateProfile:
        selectors: list[FargateSelector] = []
        value = self.t.resolve(props.get("Selectors"))
        for sel in value if isinstance(value, list) else []:
            if isinstance(sel, dict) and isinstance(sel.get("Namespace"), str):
                labels = {
                    str(x.get("Key")): x.get("Value")
                    for x in sel.get("Labels") or []
                    if isinstance(x, dict) and isinstance(x.get("Key"), str)
                }
                selectors.append(FargateSelector(sel["Namespace"], labels))
        name = self.t.resolve(props.get("FargateProfileName"))
        ref = f"AWS::EKS::FargateProfile {lid}"
        return FargateProfile(
            name if isinstance(name, str) else lid, self.site(self.t.resources, lid, "Resources", ref), tuple(selectors)
        )


class _Keys:
    """Property names: CloudFormation's PascalCase, or the EKS API's camelCase in CDK's Config."""

    def __init__(self, pascal: bool) -> None:
        self.pascal = pascal
        p = pascal
        self.name = "Name" if p else "name"
        self.version = "Version" if p else "version"
        self.outpost = "OutpostConfig" if p else "outpostConfig"
        self.compute = "ComputeConfig" if p else "computeConfig"
        self.enabled = "Enabled" if p else "enabled"
        self.network = "KubernetesNetworkConfig" if p else "kubernetesNetworkConfig"
        self.ip_family = "IpFamily" if p else "ipFamily"
        self.vpc = "ResourcesVpcConfig" if p else "resourcesVpcConfig"
        self.subnets = "SubnetIds" if p else "subnetIds"
        self.public = "EndpointPublicAccess" if p else "endpointPublicAccess"
        self.private = "EndpointPrivateAccess" if p else "endpointPrivateAccess"
        self.cidrs = "PublicAccessCidrs" if p else "publicAccessCidrs"
        self.logging = "Logging" if p else "logging"
        self.cluster_logging = "ClusterLogging" if p else "clusterLogging"
        self.logging_label = "Logging.ClusterLogging.EnabledTypes" if p else "logging.clusterLogging"
        self.encryption = "EncryptionConfig" if p else "encryptionConfig"
        self.resources = "Resources" if p else "resources"
        self.access = "AccessConfig" if p else "accessConfig"
        self.auth_mode = "AuthenticationMode" if p else "authenticationMode"


def _props(res: Any) -> LMap:
    props = res.get("Properties") if isinstance(res, dict) else None
    return props if isinstance(props, LMap) else LMap(res.pos if isinstance(res, LMap) else Pos(1, 1))


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _owned_cluster(tags: Any) -> str | None:
    """The cluster an Auto Scaling group's ``kubernetes.io/cluster/<name>: owned`` tag names."""
    for tag in tags if isinstance(tags, list) else []:
        key = tag.get("Key") if isinstance(tag, dict) else None
        if isinstance(key, str) and key.startswith("kubernetes.io/cluster/") and str(tag.get("Value")) == "owned":
            return key.removeprefix("kubernetes.io/cluster/")
    return None
