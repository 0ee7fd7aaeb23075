"""Who creates the ConfigMaps, Secrets, PersistentVolumeClaims and ServiceAccounts that pods name.

A pod that names an object its namespace does not hold does not start, but "not in the files" is
not "not in the cluster". Much of what pods name is created by something else, and a rule that
reports a missing reference must know those creators or it drowns real mistakes in false alarms:

* Kubernetes and EKS themselves: ``kube-root-ca.crt`` in every namespace (the root CA publisher,
  Kubernetes 1.20+), ``extension-apiserver-authentication`` and the add-on ConfigMaps and
  ServiceAccounts of ``kube-system`` (VPC CNI, CoreDNS, kube-proxy, the CSI drivers), Istio's
  ``istio-ca-root-cert`` in every namespace of a mesh.
* Build tools: Kustomize ``configMapGenerator``/``secretGenerator`` (the name gets a hash suffix,
  and references to it are rewritten, so a reference to the generator's name is satisfied),
  ``helmCharts`` and generator plugins (anything may come out of those), Helm hooks (a hook Job
  often generates the chart's certificates).
* Controllers that turn one object into another: cert-manager (``Certificate.spec.secretName``,
  ACME account keys, Ingresses and Gateways annotated for ingress-shim), External Secrets
  (``ExternalSecret`` target, ``ClusterExternalSecret`` in every selected namespace), the Secrets
  Store CSI driver (``SecretProviderClass.spec.secretObjects``), Sealed Secrets, the Vault Secrets
  Operator, Crossplane (``writeConnectionSecretToRef``), ACK ``FieldExport``, StatefulSet
  ``volumeClaimTemplates`` (claims named ``<template>-<statefulset>-<ordinal>``), eksctl (``iam.serviceAccounts``, Pod
  Identity associations with ``createServiceAccount``), Kubeflow profiles (``default-editor``
  and ``default-viewer``), OLM ClusterServiceVersions.
* Operators in general: a database or message-queue operator names what it creates after its
  custom resource (CloudNativePG ``<cluster>-app``, Zalando ``<user>.<cluster>.credentials...``,
  ECK ``<name>-es-elastic-user``, Strimzi ``KafkaUser`` -> Secret ``<user>``, Prometheus Operator
  ``prometheus-<name>``). A name that contains the name of a custom resource of the namespace
  shipped near the reference (:func:`~ekslint.rules.wiring._refs.near`), as a whole ``-``/``.``
  separated part, is taken as the operator's; traffic, scaling, monitoring and policy resources
  (:data:`QUIET_GROUPS`: Istio, KEDA...) create nothing of the sort and do not count.
* Jobs and init containers that create what they name: ``kube-webhook-certgen --secret-name=X``,
  ``kubectl create secret generic X``, Argo CD's ``argocd admin redis-initial-password``.

Everything is read once per scan (a weak-keyed cache on the scan's index) and asked per reference.
Namespaces follow Kustomize: an object may be applied to its own namespace or to any namespace a
kustomization that may build it sets (:func:`~ekslint.rules.availability._overlays.build_namespaces`),
and a patch without a namespace to the namespace of the object it patches. When either the
referring object or the referenced one sets no namespace, ``kubectl -n``, Helm or a kustomization
the scan does not show picks it, so a same-named object of any namespace counts. Names follow
Kustomize too: an object also answers to its name with the ``namePrefix``/``nameSuffix`` of the
kustomizations that may build it, since references are often written with the built name.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex
from ekslint.linter.kustomization import field_value
from ekslint.linter.kustomize_context import kustomize
from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.model import ClusterConfig, K8sObject, Workload
from ekslint.linter.placeholders import is_placeholder
from ekslint.rules.availability._overlays import build_namespaces, is_patch
from ekslint.rules.wiring._refs import in_scope, may_create_pods, near

CONFIGMAP = "ConfigMap"
SECRET = "Secret"
PVC = "PersistentVolumeClaim"
SERVICE_ACCOUNT = "ServiceAccount"
KINDS = (CONFIGMAP, SECRET, PVC, SERVICE_ACCOUNT)

#: An object name as the API server accepts it (a DNS-1123 subdomain). Anything else is a
#: template placeholder (``${PVC_NAME}``, ``REPLACE_ME``, ``<secret>``) or a value the API server
#: rejects anyway: not a name to look up. So is a valid name that is a fill-in
#: (``your-db-secret``, ``replace-me``: see :mod:`ekslint.linter.placeholders`).
NAME_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
#: A ConfigMap or Secret key as the API server accepts it.
KEY_RE = LazyPattern(r"^[-._a-zA-Z0-9]{1,253}$")

#: Every namespace: ``None`` as a namespace set.
ANY_NAMESPACE = None

#: Objects the cluster creates by itself: (kind, namespace or None for every namespace, name).
BUILT_IN: frozenset[tuple[str, str | None, str]] = frozenset(
    {
        # the root CA publisher of kube-controller-manager (Kubernetes 1.20+), every namespace
        (CONFIGMAP, None, "kube-root-ca.crt"),
        # istiod publishes the mesh root certificate in every namespace
        (CONFIGMAP, None, "istio-ca-root-cert"),
        # OpenShift's service CA bundle, every namespace
        (CONFIGMAP, None, "openshift-service-ca.crt"),
        (CONFIGMAP, "kube-system", "extension-apiserver-authentication"),
        (CONFIGMAP, "kube-public", "cluster-info"),
        # EKS: aws-auth (managed node groups, access entries' predecessor) and the default add-ons
        (CONFIGMAP, "kube-system", "aws-auth"),
        (CONFIGMAP, "kube-system", "amazon-vpc-cni"),
        (CONFIGMAP, "kube-system", "coredns"),
        (CONFIGMAP, "kube-system", "kube-proxy"),
        (CONFIGMAP, "kube-system", "kube-proxy-config"),
        # ServiceAccounts of the EKS add-ons (created with the add-on, never in the repository)
        *(
            (SERVICE_ACCOUNT, "kube-system", sa)
            for sa in (
                "aws-node",
                "coredns",
                "kube-proxy",
                "ebs-csi-controller-sa",
                "ebs-csi-node-sa",
                "efs-csi-controller-sa",
                "efs-csi-node-sa",
                "s3-csi-driver-sa",
                "fsx-csi-controller-sa",
                "fsx-csi-node-sa",
                "snapshot-controller",
                "eks-pod-identity-agent-sa",
            )
        ),
        (SERVICE_ACCOUNT, "amazon-cloudwatch", "cloudwatch-agent"),
        (SERVICE_ACCOUNT, "amazon-guardduty", "aws-guardduty-agent"),
    }
)

#: Commands that create a known object in their own namespace when they run.
COMMAND_CREATES: dict[str, tuple[str, str]] = {
    # Argo CD: the redis init container generates the redis password Secret
    "redis-initial-password": (SECRET, "argocd-redis"),
}

#: Secret types whose data a controller fills in: their keys are not in the manifest.
FILLED_SECRET_TYPES = frozenset({"kubernetes.io/service-account-token"})
#: Annotations of Secret/ConfigMap copying tools (kubernetes-reflector, kubernetes-replicator):
#: the object's data comes from another object.
COPIED_ANNOTATIONS = ("reflector.v1.k8s.emberstack.com/", "replicator.v1.mittwald.de/")

#: API groups of custom resources that configure traffic, scaling, monitoring or policy and
#: create no ConfigMap, Secret, claim or ServiceAccount of their own: a name that contains one
#: of theirs is a coincidence (a VirtualService ``web`` beside a Secret ``web-tls``).
QUIET_GROUPS = frozenset(
    {
        "networking.istio.io",
        "security.istio.io",
        "telemetry.istio.io",
        "extensions.istio.io",
        "keda.sh",
        "http.keda.sh",
        "monitoring.googleapis.com",
        "monitoring.gke.io",
        "networking.gke.io",
        "cloud.google.com",
        "kyverno.io",
        "policies.kyverno.io",
        "appmesh.k8s.aws",
        "vpcresources.k8s.aws",
        "application-networking.k8s.aws",
        "gateway.k8s.aws",
        "eks.amazonaws.com",
        "crd.k8s.amazonaws.com",
    }
)

HELM_HOOK = "helm.sh/hook"
#: ingress-shim: an Ingress or Gateway with these annotations gets a Certificate per TLS secret.
CERT_MANAGER_ANNOTATIONS = ("cert-manager.io/issuer", "cert-manager.io/cluster-issuer", "kubernetes.io/tls-acme")

# Compiled on first use (LazyPattern), as KEY_RE: only containers with commands or arguments need them.
_FLAG = LazyPattern(r"^--?([A-Za-z0-9_.-]+)(?:=(.*))?$")
_KUBECTL_CREATE = LazyPattern(
    r"\bcreate\s+(secret\s+(?:generic|tls|docker-registry)|configmap|cm)\s+([a-z0-9][-a-z0-9.]*)", re.I
)


def valid_name(name: Any) -> bool:
    """Is ``name`` an object name the API server accepts (not a placeholder)?"""
    return isinstance(name, str) and NAME_RE.match(name) is not None and not is_placeholder(name)


def valid_key(key: Any) -> bool:
    return isinstance(key, str) and KEY_RE.match(key) is not None


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _flag_kind(flag: str) -> str | None:
    """The kind of object a command-line flag or env var names, by its name."""
    low = flag.lower().replace("_", "-")
    if "secret" in low:
        return SECRET
    if "configmap" in low or "config-map" in low or low.endswith("-cm"):
        return CONFIGMAP
    return None


def _container_strings(w: Workload) -> Iterator[list[str]]:
    """Each container's ``command`` + ``args`` as a list of strings."""
    for c in w.containers:
        yield [str(a) for a in _list(c.spec.get("command")) + _list(c.spec.get("args")) if isinstance(a, (str, int))]


def mentioned(w: Workload) -> Iterator[tuple[str, str]]:
    """``(kind, name)`` of the Secrets and ConfigMaps a workload's containers create or manage
    by name: ``--secret-name=X``-style flags (``kube-webhook-certgen``), ``kubectl create secret
    generic X`` in a script, env vars such as ``WEBHOOK_SECRET_NAME=X``, and the commands of
    :data:`COMMAND_CREATES`."""
    for argv in _container_strings(w):
        words = [word for arg in argv for word in arg.split()]
        for i, word in enumerate(words):
            if word in COMMAND_CREATES:
                yield COMMAND_CREATES[word]
            m = _FLAG.match(word)
            if not m:
                continue
            kind = _flag_kind(m.group(1))
            value = m.group(2) if m.group(2) is not None else (words[i + 1] if i + 1 < len(words) else "")
            if kind and valid_name(value.strip("'\"")):
                yield kind, value.strip("'\"")
        for arg in argv:
            for m in _KUBECTL_CREATE.finditer(arg):
                yield (SECRET if m.group(1).lower().startswith("secret") else CONFIGMAP), m.group(2)
    for c in w.containers:
        for env in _list(c.spec.get("env")):
            if isinstance(env, dict) and isinstance(env.get("name"), str) and valid_name(env.get("value")):
                kind = _flag_kind(env["name"])
                if kind:
                    yield kind, env["value"]


def hook_words(w: Workload) -> Iterator[str]:
    """Every name-like word in a Helm hook's commands, args and env values: hooks exist to
    prepare what the release needs (certificates, passwords, claims)."""
    for argv in _container_strings(w):
        for arg in argv:
            for word in re.split(r"[\s=,:;'\"/]+", arg):
                if valid_name(word):
                    yield word
    for c in w.containers:
        for env in _list(c.spec.get("env")):
            if isinstance(env, dict) and valid_name(env.get("value")):
                yield env["value"]


@dataclass(eq=False)
class _Building:
    """What the kustomizations that may build a file add: generated names, and whether they may
    produce objects no file shows (``helmCharts``, generator plugins)."""

    generated: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    opaque: bool = False


def _generator_names(data: dict[str, Any], out: dict[str, set[str]]) -> None:
    for key, kind in (("configMapGenerator", CONFIGMAP), ("secretGenerator", SECRET)):
        for entry in _list(field_value(data, key)):
            name = _str(_map(entry).get("name"))
            if name:
                out[kind].add(name)


def _opaque(data: dict[str, Any]) -> bool:
    return any(field_value(data, key) for key in ("helmCharts", "helmChartInflationGenerator", "generators"))


class Catalogue:
    """The objects of the four kinds in one scan and everything that creates more of them."""

    def __init__(self, ctx: RuleContext) -> None:
        index = ctx.index
        #: (kind, name) -> every object of the scan with that name (patches included: a patch of a
        #: ConfigMap proves the ConfigMap exists in the base it patches)
        self.defined: dict[tuple[str, str], list[K8sObject]] = defaultdict(list)
        #: (kind, name) -> namespace sets (None: any) where something in the scan creates it
        self.made: dict[tuple[str, str], list[frozenset[str] | None]] = defaultdict(list)
        #: (pattern, namespaces) of the claims StatefulSets create: ``<template>-<sts>-<ordinal>``
        self.claims: list[tuple[re.Pattern[str], frozenset[str]]] = []
        #: namespace -> custom resources that an operator may turn into more objects
        self.operators: dict[str, list[K8sObject]] = defaultdict(list)
        #: namespace -> names any Helm hook there mentions
        self.hooks: dict[str, set[str]] = defaultdict(set)
        self._namespaces: dict[int, frozenset[str]] = {}
        self._evidence: dict[tuple[int, str, frozenset[str]], int] = {}
        self._building: dict[int, _Building] = {}
        self._affixes: dict[int, list[tuple[str, str]]] = {}
        for obj in index.objects:
            if obj.kind in KINDS and obj.group == "" and obj.name:
                for name in self._names(obj, ctx):
                    self.defined[(obj.kind, name)].append(obj)
            self._read(obj, ctx)
        for k in kustomize(ctx).scanned:  # generators of any kustomization in the scan
            names: dict[str, set[str]] = defaultdict(set)
            _generator_names(k.data, names)
            for kind, found in names.items():
                for name in found:
                    self.made[(kind, name)].append(ANY_NAMESPACE)

    # -- reading the scan ----------------------------------------------------------------------

    def namespaces(self, obj: K8sObject, ctx: RuleContext) -> frozenset[str]:
        """Where ``obj`` may be applied: its namespace, one a kustomization that may build it sets,
        and for a Kustomize patch without a namespace, the namespaces of the objects it patches."""
        found = self._namespaces.get(id(obj))
        if found is None:
            nss = set(build_namespaces(obj, ctx))
            if obj.namespace is None and is_patch(obj, ctx):
                for other in ctx.index.of_kind(obj.kind, group=obj.group):
                    if other.name == obj.name and other is not obj and not is_patch(other, ctx):
                        nss |= build_namespaces(other, ctx)
            found = self._namespaces[id(obj)] = frozenset(nss)
        return found

    def _names(self, obj: K8sObject, ctx: RuleContext) -> set[str]:
        """``obj``'s name, and the names it gets from the ``namePrefix``/``nameSuffix`` of the
        kustomizations that may build it (each alone, and all of them stacked: an overlay's
        prefix goes before its base's). References are often written with the built name."""
        name = obj.name or ""
        names = {name}
        if obj.file.path is None:
            return names
        key = id(obj.file)
        affixes = self._affixes.get(key)
        if affixes is None:
            affixes = []
            for k in kustomize(ctx).covering(obj.file.path):
                prefix, suffix = field_value(k.data, "namePrefix"), field_value(k.data, "nameSuffix")
                prefix = prefix if isinstance(prefix, str) else ""
                suffix = suffix if isinstance(suffix, str) else ""
                if prefix or suffix:
                    affixes.append((prefix, suffix))
            self._affixes[key] = affixes
        stacked = name
        for prefix, suffix in affixes:  # nearest kustomization first
            names.add(prefix + name + suffix)
            stacked = prefix + stacked + suffix
            names.add(stacked)
        return names

    def _where(self, obj: K8sObject, ctx: RuleContext) -> frozenset[str] | None:
        """The namespaces to look for what ``obj`` names in: :meth:`namespaces`, or any (``None``)
        when ``obj`` sets none, since then ``kubectl -n``, Helm or a kustomization the scan does
        not show picks it at apply time."""
        return None if obj.namespace is None else self.namespaces(obj, ctx)

    def _add(self, kind: str, name: Any, namespaces: frozenset[str] | None) -> None:
        if valid_name(name):
            self.made[(kind, name)].append(namespaces)

    def _read(self, obj: K8sObject, ctx: RuleContext) -> None:
        gk, spec = obj.gk, obj.spec
        if isinstance(obj, ClusterConfig):
            self._read_eksctl(obj)
            return
        nss: frozenset[str] | None = self.namespaces(obj, ctx) if obj.namespaced else ANY_NAMESPACE
        group = obj.group
        if gk == "Certificate.cert-manager.io":
            self._add(SECRET, spec.get("secretName"), nss)
        elif gk in ("Issuer.cert-manager.io", "ClusterIssuer.cert-manager.io"):
            self._add(SECRET, _map(_map(spec.get("acme")).get("privateKeySecretRef")).get("name"), nss)
        elif group == "external-secrets.io" and obj.kind == "ExternalSecret":
            self._add(SECRET, _map(spec.get("target")).get("name") or obj.name, nss)
        elif group == "external-secrets.io" and obj.kind == "ClusterExternalSecret":
            es_name = spec.get("externalSecretName") or obj.name
            target = _map(_map(spec.get("externalSecretSpec")).get("target")).get("name")
            self._add(SECRET, target or es_name, ANY_NAMESPACE)
        elif group == "kubernetes-client.io" and obj.kind == "ExternalSecret":  # kubernetes-external-secrets
            self._add(SECRET, obj.name, nss)
        elif gk == "SecretProviderClass.secrets-store.csi.x-k8s.io":
            for item in _list(spec.get("secretObjects")):
                self._add(SECRET, _map(item).get("secretName"), nss)
        elif gk == "SealedSecret.bitnami.com":
            self._add(SECRET, _map(_map(spec.get("template")).get("metadata")).get("name") or obj.name, nss)
        elif group == "secrets.hashicorp.com":  # Vault Secrets Operator: VaultStaticSecret, ...
            self._add(SECRET, _map(spec.get("destination")).get("name"), nss)
        elif gk == "FieldExport.services.k8s.aws":  # AWS Controllers for Kubernetes
            to = _map(spec.get("to"))
            kind = {"configmap": CONFIGMAP, "secret": SECRET}.get(str(to.get("kind", "")).lower())
            ns = _str(to.get("namespace"))
            if kind:
                self._add(kind, to.get("name"), frozenset({ns}) if ns else nss)
        elif obj.kind in ("SecretGenerator", "ConfigMapGenerator"):  # a Kustomize generator config file
            self._add(SECRET if obj.kind == "SecretGenerator" else CONFIGMAP, obj.name, ANY_NAMESPACE)
        elif gk == "Profile.kubeflow.org" and obj.name:
            # the Kubeflow profile controller creates the namespace and its ServiceAccounts
            for sa in ("default-editor", "default-viewer"):
                self._add(SERVICE_ACCOUNT, sa, frozenset({obj.name}))
        elif gk == "ClusterServiceVersion.operators.coreos.com":
            self._read_csv(obj)
        elif obj.kind in ("Ingress", "Gateway") and any(a in obj.annotations for a in CERT_MANAGER_ANNOTATIONS):
            for tls in _list(spec.get("tls")):
                self._add(SECRET, _map(tls).get("secretName"), nss)
            for listener in _list(spec.get("listeners")):
                for ref in _list(_map(_map(listener).get("tls")).get("certificateRefs")):
                    self._add(SECRET, _map(ref).get("name"), nss)
        for key in ("writeConnectionSecretToRef", "publishConnectionDetailsTo"):  # Crossplane
            ref = _map(spec.get(key))
            if ref:
                ns = _str(ref.get("namespace"))
                self._add(SECRET, ref.get("name"), frozenset({ns}) if ns else nss)
        if isinstance(obj, Workload):
            self._read_workload(obj, nss or frozenset())
        elif obj.namespaced and obj.name and may_create_pods(obj) and group not in QUIET_GROUPS:
            for ns in nss or ():
                self.operators[ns].append(obj)

    def _read_workload(self, w: Workload, nss: frozenset[str]) -> None:
        for kind, name in mentioned(w):
            self._add(kind, name, nss)
        if HELM_HOOK in w.annotations:
            for ns in nss:
                self.hooks[ns].update(hook_words(w))
        if w.kind == "StatefulSet" and w.name:
            for tmpl in _list(w.spec.get("volumeClaimTemplates")):
                claim = _map(_map(tmpl).get("metadata")).get("name")
                if isinstance(claim, str) and valid_name(claim):
                    self.claims.append((re.compile(rf"{re.escape(claim)}-{re.escape(w.name)}-\d+"), nss))

    def _read_eksctl(self, cfg: ClusterConfig) -> None:
        """eksctl creates the ServiceAccounts of ``iam.serviceAccounts`` (unless ``roleOnly``)
        and of Pod Identity associations with ``createServiceAccount: true``."""
        iam = _map(cfg.root.get("iam"))
        for item in _list(iam.get("serviceAccounts")):
            meta = _map(_map(item).get("metadata"))
            if _map(item).get("roleOnly") is not True:
                self._add(SERVICE_ACCOUNT, meta.get("name"), frozenset({str(meta.get("namespace") or "default")}))
        for item in _list(iam.get("podIdentityAssociations")):
            item = _map(item)
            if item.get("createServiceAccount") is True:
                ns = str(item.get("namespace") or "default")
                self._add(SERVICE_ACCOUNT, item.get("serviceAccountName"), frozenset({ns}))

    def _read_csv(self, csv: K8sObject) -> None:
        """OLM creates the ServiceAccounts an operator's ClusterServiceVersion names."""
        install = _map(_map(csv.spec.get("install")).get("spec"))
        for key in ("permissions", "clusterPermissions"):
            for item in _list(install.get(key)):
                self._add(SERVICE_ACCOUNT, _map(item).get("serviceAccountName"), ANY_NAMESPACE)
        for dep in _list(install.get("deployments")):
            pod = _map(_map(_map(_map(dep).get("spec")).get("template")).get("spec"))
            self._add(SERVICE_ACCOUNT, pod.get("serviceAccountName"), ANY_NAMESPACE)

    # -- questions -----------------------------------------------------------------------------

    def objects(self, w: K8sObject, kind: str, name: str, ctx: RuleContext) -> list[K8sObject]:
        """The objects of ``kind`` named ``name`` that may be applied where ``w`` runs. An object
        that sets no namespace may be applied to any (see :meth:`_where`)."""
        where = self._where(w, ctx)
        return [
            o
            for o in self.defined.get((kind, name), ())
            if where is None or o.namespace is None or self.namespaces(o, ctx) & where
        ]

    def created_by_build(self, w: K8sObject, kind: str, name: str, ctx: RuleContext) -> bool:
        """Does a kustomization that may build ``w`` generate ``name``, or may it produce
        anything at all (``helmCharts`` inflate whole charts, generator plugins run code)?"""
        key = id(w.file)
        found = self._building.get(key)
        if found is None:
            found = self._building[key] = _Building()
            if w.file.path is not None:
                for k in kustomize(ctx).covering(w.file.path):
                    _generator_names(k.data, found.generated)
                    found.opaque = found.opaque or _opaque(k.data)
        return found.opaque or name in found.generated.get(kind, ())

    def created(self, w: K8sObject, kind: str, name: str, ctx: RuleContext) -> bool:
        """Does something other than a manifest of the scan create ``kind``/``name`` where ``w``
        runs (see the module docstring)?"""
        nss = self.namespaces(w, ctx)
        anywhere = self._where(w, ctx) is None
        if (kind, None, name) in BUILT_IN or any((kind, ns, name) in BUILT_IN for ns in nss):
            return True
        if anywhere and any(k == kind and n == name for k, _, n in BUILT_IN):
            return True
        if any(anywhere or where is ANY_NAMESPACE or where & nss for where in self.made.get((kind, name), ())):
            return True
        if self.created_by_build(w, kind, name, ctx):
            return True
        if kind == PVC and any(p.fullmatch(name) and (anywhere or where & nss) for p, where in self.claims):
            return True
        if kind == PVC and isinstance(w, Workload) and w.kind == "StatefulSet":
            templates = _list(w.spec.get("volumeClaimTemplates"))
            if any(_map(_map(t).get("metadata")).get("name") == name for t in templates):
                return True
        if any(name in self.hooks.get(ns, ()) for ns in nss):
            return True
        return any(
            _names_part(name, cr.name or "") and near(w, cr, ctx.index)
            for ns in nss
            for cr in self.operators.get(ns, ())
        )

    def evidence(self, w: K8sObject, kind: str, ctx: RuleContext) -> int:
        """Partial-input policy: how many objects of ``kind`` (patches left out) the scan holds
        where ``w`` runs, shipped with it (same file, same Kustomization, or a folder above or
        below: see :func:`~ekslint.rules.wiring._refs.in_scope`). Decided once per file.

        0 as well when one of them is named by a placeholder (``bootstrap-token-YOUR_TOKEN_ID``,
        ``${NAME}``): the reference may be to it, once it is filled in."""
        nss = self.namespaces(w, ctx)
        key = (id(w.file), kind, nss)
        found = self._evidence.get(key)
        if found is None:
            verdicts: dict[int, bool] = {}
            count, placeholder = 0, False
            for ns in sorted(nss):
                for o in ctx.index.of_kind(kind, group="", namespace=ns):
                    if is_patch(o, ctx):
                        continue
                    verdict = verdicts.get(id(o.file))
                    if verdict is None:
                        verdict = verdicts[id(o.file)] = in_scope(w, o, ctx.index)
                    if verdict and not valid_name(o.name):
                        placeholder = True
                    count += verdict
            found = self._evidence[key] = 0 if placeholder else count
        return found


def _names_part(name: str, part: str) -> bool:
    """Is ``part`` the whole of ``name`` or a run of its ``-``/``.`` separated words?"""
    if name == part:
        return True
    i = name.find(part)
    while i >= 0:
        before = i == 0 or name[i - 1] in "-."
        end = i + len(part)
        after = end == len(name) or name[end] in "-."
        if before and after:
            return True
        i = name.find(part, i + 1)
    return False


_CATALOGUES: weakref.WeakKeyDictionary[ScanIndex, Catalogue] = weakref.WeakKeyDictionary()


def catalogue(ctx: RuleContext) -> Catalogue:
    """The catalogue of this scan, built on first use and shared by the rules of the scan."""
    found = _CATALOGUES.get(ctx.index)
    if found is None:
        found = _CATALOGUES[ctx.index] = Catalogue(ctx)
    return found


def service_account_of(w: Workload) -> tuple[Any, str | None]:
    """The ServiceAccount a pod runs as and the key that sets it: ``serviceAccountName``, else
    the deprecated ``serviceAccount`` alias, else ``(None, None)`` (the ``default`` one)."""
    spec = w.pod_spec
    for key in ("serviceAccountName", "serviceAccount"):
        value = spec.get(key)
        if value is not None and value != "":
            return value, key
    return None, None
