"""Who receives a role's rules: bindings resolved to roles, aggregation, and what a rule grants.

``rbac-secrets-access`` and ``rbac-privilege-escalation`` report a permission at the rule that
grants it (a Role's or ClusterRole's ``rules[i]``) and name the bindings and subjects that receive
it, so one suppression on the role silences it however many bindings it has. They share this
module:

* **Resolution.** A RoleBinding's ``roleRef`` names a Role of its own namespace or a ClusterRole
  (whose rules then apply in the binding's namespace only); a ClusterRoleBinding names a
  ClusterRole and grants it in every namespace. When the scan defines a name several times
  (Kustomize bases and overlays, one install bundle per variant), the definition nearest to the
  binding in the file tree is the one it binds (:func:`ekslint.linter.index.nearest`).
* **Aggregation.** A ClusterRole with ``aggregationRule.clusterRoleSelectors`` gets, from the
  aggregation controller, the rules of every ClusterRole whose labels match; so a binding of the
  aggregated role grants the rules of each contributor, and the finding goes to the contributor's
  rule. The chain is followed (Kubeflow's ``kubeflow-view`` is part of ``kubeflow-edit``, itself
  part of ``kubeflow-admin``). The aggregated role's own ``rules`` are the controller's output
  and are never judged. A contributor labelled for Kubernetes' own ``view``/``edit``/``admin``
  (``rbac.authorization.k8s.io/aggregate-to-<role>: "true"``) is granted to whoever holds that
  built-in role: those are bound in every cluster, outside any scan.
* **Partial input.** A role that no binding of the scan binds (and that is not aggregated into a
  bound or a built-in role) is not reported: what it grants, to whom and where is unknown, and a
  controller's ClusterRole shipped without its binding is usually bound elsewhere (kube-linter's
  ``access-to-resources`` and KICS do the same; Datree reports every role). A binding whose role
  is not in the scan is not reported either.
* **Built-ins.** Bootstrap and EKS-managed roles and bindings (:func:`._rbac.is_bootstrap_rbac`)
  are skipped, and built-in subjects are left out by the rules (:func:`._rbac.is_builtin_subject`).

Namespaces: an object without ``metadata.namespace`` is applied to whatever namespace ``kubectl
-n`` or a kustomization gives it. The namespace a covering kustomization sets wins (it overrides
the manifests'); otherwise an unset namespace is *unknown*, and matches any namespace when a
RoleBinding looks up its Role.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex, nearest
from ekslint.linter.kustomize_context import is_kustomize_patch
from ekslint.linter.model import K8sObject
from ekslint.linter.selectors import label_selector_matches, label_str
from ekslint.rules.access._rbac import RBAC_GROUP, Subject, is_bootstrap_rbac, role_ref, subjects

#: Kubernetes' user-facing roles that aggregate by label: a contributor to ``view`` also reaches
#: ``edit`` and ``admin`` (the bootstrap ``view`` carries ``aggregate-to-edit``, ``edit`` carries
#: ``aggregate-to-admin``).
BUILTIN_AGGREGATES: dict[str, tuple[str, ...]] = {
    "view": ("view", "edit", "admin"),
    "edit": ("edit", "admin"),
    "admin": ("admin",),
}


# -- Where a binding applies ---------------------------------------------------------------------


def namespace_of(obj: K8sObject) -> str | None:
    """The namespace ``obj`` is applied to: the one its Kustomize builds give it, else as
    written (``None``: unset, so the one ``kubectl -n`` picks, or builds that disagree)."""
    given = obj.given_namespaces
    if given:
        return given[0] if len(given) == 1 else None
    return obj.namespace


@dataclass(frozen=True)
class Grant:
    """One subject of one binding receiving a role's rules."""

    binding: K8sObject
    subject: Subject
    #: The binding's namespace for a RoleBinding (``None`` when unknown); unused when cluster-wide.
    namespace: str | None
    cluster_wide: bool
    #: The aggregated ClusterRoles the rules flow through, the bound one last.
    via: tuple[K8sObject, ...] = ()

    @property
    def where(self) -> str:
        if self.cluster_wide:
            return "in every namespace"
        return f"in namespace {self.namespace}" if self.namespace else "in the binding's namespace"

    @property
    def subject_namespace(self) -> str | None:
        """The subject's namespace: a ServiceAccount's as written, else the RoleBinding's."""
        if self.subject.kind == "ServiceAccount":
            return self.subject.namespace or (None if self.cluster_wide else self.namespace)
        return None

    def owns_namespace(self) -> bool:
        """Does the permission stay in the subject's own namespace?

        A ClusterRoleBinding reaches every namespace. Through a RoleBinding, a ServiceAccount
        owns its own namespace, and so does a user or team group (a RoleBinding in a team's
        namespace is how a namespace is handed to its team); the broad groups
        ``system:authenticated``, ``system:unauthenticated``, ``system:serviceaccounts`` and
        another namespace's ``system:serviceaccounts:<ns>`` do not. An unknown binding
        namespace is taken as the subject's own.
        """
        if self.cluster_wide:
            return False
        ns, s = self.namespace, self.subject
        if ns is None:
            return True
        if s.kind == "ServiceAccount":
            return (s.namespace or ns) == ns
        if s.kind == "Group" and s.name in ("system:authenticated", "system:unauthenticated", "system:serviceaccounts"):
            return False
        for prefix in ("system:serviceaccounts:", "system:serviceaccount:"):
            if s.name.startswith(prefix):
                return s.name[len(prefix) :].split(":")[0] == ns
        return True


@dataclass
class RoleGrants:
    """Everything that receives one role's rules."""

    grants: list[Grant]
    #: Built-in roles (``view``, ``edit``, ``admin``) the role is aggregated into.
    builtin: tuple[str, ...] = ()


# -- Resolution, once per scan -----------------------------------------------------------------


def _selectors(role: K8sObject) -> list[Any]:
    rule = role.root.get("aggregationRule")
    found = rule.get("clusterRoleSelectors") if isinstance(rule, dict) else None
    return found if isinstance(found, list) else []


class _Scan:
    def __init__(self, ctx: RuleContext) -> None:
        index = ctx.index
        roles = [
            r
            for kind in ("Role", "ClusterRole")
            for r in index.of_kind(kind, group=RBAC_GROUP)
            if not is_bootstrap_rbac(r) and not is_kustomize_patch(r, ctx)
        ]
        self.ns: dict[int, str | None] = {id(r): namespace_of(r) for r in roles}
        by_name: dict[tuple[str, str], list[K8sObject]] = defaultdict(list)
        for r in roles:
            by_name[(r.kind, r.name or "")].append(r)
        direct: dict[int, list[Grant]] = defaultdict(list)
        for kind in ("RoleBinding", "ClusterRoleBinding"):
            for binding in index.of_kind(kind, group=RBAC_GROUP):
                if is_bootstrap_rbac(binding):
                    continue
                ref_kind, ref_name = role_ref(binding)
                cluster_wide = kind == "ClusterRoleBinding"
                if cluster_wide and ref_kind != "ClusterRole":
                    continue  # the API server rejects a ClusterRoleBinding to a Role
                ns = None if cluster_wide else namespace_of(binding)
                candidates = by_name.get((ref_kind, ref_name), [])
                if ref_kind == "Role":
                    candidates = [r for r in candidates if ns is None or self.ns[id(r)] in (None, ns)]
                for role in nearest(binding, candidates):
                    for s in subjects(binding):
                        direct[id(role)].append(Grant(binding, s, ns, cluster_wide))
        # aggregation: contributor -> the aggregated ClusterRoles that select it
        cluster_roles = [r for r in roles if r.kind == "ClusterRole"]
        parents: dict[int, list[K8sObject]] = defaultdict(list)
        for agg in cluster_roles:
            selectors = _selectors(agg)
            if not selectors:
                continue
            for c in cluster_roles:
                if c is not agg and any(label_selector_matches(sel, c.labels) for sel in selectors):
                    parents[id(c)].append(agg)
        self.direct = direct
        by_id = {id(r): r for r in roles}
        # the same aggregated role defined twice (two variants of an install bundle): the
        # contributor belongs to the nearer definition, as a binding binds the nearer role
        self.parents = {
            key: [p for group in _by_name(found).values() for p in nearest(by_id[key], group)]
            for key, found in parents.items()
        }
        self.cache: dict[int, RoleGrants] = {}

    def grants(self, role: K8sObject) -> RoleGrants:
        found = self.cache.get(id(role))
        if found is None:
            found = self.cache[id(role)] = RoleGrants(self._collect(role, (), set()), builtin_targets(role))
        return found

    def _collect(self, role: K8sObject, via: tuple[K8sObject, ...], seen: set[int]) -> list[Grant]:
        if id(role) in seen:
            return []
        seen = seen | {id(role)}
        out = [Grant(g.binding, g.subject, g.namespace, g.cluster_wide, via) for g in self.direct.get(id(role), [])]
        for parent in self.parents.get(id(role), []):
            out.extend(self._collect(parent, (*via, parent), seen))
        return out


def _by_name(objs: list[K8sObject]) -> dict[str, list[K8sObject]]:
    out: dict[str, list[K8sObject]] = defaultdict(list)
    for o in objs:
        out[o.name or ""].append(o)
    return out


def builtin_targets(role: K8sObject) -> tuple[str, ...]:
    """The built-in roles ``view``/``edit``/``admin`` a ClusterRole is aggregated into by label."""
    if role.kind != "ClusterRole":
        return ()
    out: list[str] = []
    for name, reached in BUILTIN_AGGREGATES.items():
        if label_str(role.labels.get(f"rbac.authorization.k8s.io/aggregate-to-{name}")) == "true":
            out.extend(r for r in reached if r not in out)
    return tuple(out)


_SCANS: weakref.WeakKeyDictionary[ScanIndex, _Scan] = weakref.WeakKeyDictionary()


def role_grants(role: K8sObject, ctx: RuleContext) -> RoleGrants:
    """Bindings and subjects of the scan that receive ``role``'s rules (see the module doc)."""
    scan = _SCANS.get(ctx.index)
    if scan is None:
        scan = _SCANS[ctx.index] = _Scan(ctx)
    return scan.grants(role)


def judged_rules(role: K8sObject, ctx: RuleContext) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(i, rules[i])`` of a role these rules judge: not built-in, not a Kustomize patch, not
    aggregated (the aggregation controller overwrites an aggregated role's rules)."""
    if is_bootstrap_rbac(role) or role.root.get("aggregationRule") is not None or is_kustomize_patch(role, ctx):
        return
    rules = role.root.get("rules")
    for i, item in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(item, dict):
            yield i, item


# -- What one rule grants ----------------------------------------------------------------------


def _strs(item: dict[str, Any], field: str) -> list[str]:
    values = item.get(field)
    return [str(v) for v in values] if isinstance(values, list) else []


@dataclass(frozen=True)
class RuleView:
    """One ``rules[i]`` of a role, with Kubernetes' RBAC matching (``rbac/v1`` helpers:
    ``*`` matches any group, resource, subresource or verb, ``*/<sub>`` any resource's
    subresource; ``resourceNames`` narrow a rule to the named objects)."""

    groups: frozenset[str]
    resources: frozenset[str]
    verbs: frozenset[str]
    names: tuple[str, ...]

    @classmethod
    def of(cls, item: dict[str, Any]) -> RuleView:
        return cls(
            frozenset(_strs(item, "apiGroups")),
            frozenset(_strs(item, "resources")),
            frozenset(_strs(item, "verbs")),
            tuple(_strs(item, "resourceNames")),
        )

    def _resource(self, resource: str) -> bool:
        if "*" in self.resources or resource in self.resources:
            return True
        sub = resource.partition("/")[2]
        return bool(sub) and f"*/{sub}" in self.resources

    def allows(self, group: str, resource: str, verb: str) -> bool:
        return (
            ("*" in self.groups or group in self.groups)
            and self._resource(resource)
            and ("*" in self.verbs or verb in self.verbs)
        )

    def exact(self, group: str, resource: str, verb: str) -> bool:
        """Granted without any ``*``: the rule names the group, resource and verb."""
        return group in self.groups and resource in self.resources and verb in self.verbs

    def wildcard_only(self, hits: list[tuple[str, str, str]]) -> bool:
        return bool(hits) and not any(self.exact(*h) for h in hits)


# -- Messages ----------------------------------------------------------------------------------


def subject_text(g: Grant) -> str:
    s = g.subject
    if s.kind == "ServiceAccount":
        ns = g.subject_namespace
        return f"ServiceAccount {ns + '/' if ns else ''}{s.name}"
    return f"{s.kind or 'subject'} {s.name}"


def describe_grants(grants: list[Grant], limit: int = 3) -> str:
    """``ServiceAccount a/b and User c in every namespace (ClusterRoleBinding/x)``, one part per
    binding, the first ``limit`` of them."""
    parts: dict[tuple[str, str, tuple[str, ...]], tuple[Grant, list[str]]] = {}
    for g in grants:
        # the same binding twice in the scan (an install bundle and its Kustomize source)
        key = (g.binding.ref, g.where, tuple(v.ref for v in g.via))
        entry = parts.setdefault(key, (g, []))
        text = subject_text(g)
        if text not in entry[1]:
            entry[1].append(text)
    texts = []
    for g, names in parts.values():
        shown = names if len(names) <= 3 else [*names[:2], f"{len(names) - 2} more subjects"]
        who = ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else shown[0]
        through = f", through aggregated {' and '.join(v.ref for v in reversed(g.via))}" if g.via else ""
        texts.append(f"{who} {g.where} ({g.binding.ref}{through})")
    if len(texts) > limit:
        return "; ".join(texts[:limit]) + f"; and {len(texts) - limit} more bindings"
    return "; ".join(texts)


def builtin_holders(targets: tuple[str, ...]) -> str:
    names = ", ".join(targets[:-1]) + f" or {targets[-1]}" if len(targets) > 1 else targets[0]
    first = targets[0]
    return (
        f"everyone bound to the built-in ClusterRole {names} (this role's "
        f"rbac.authorization.k8s.io/aggregate-to-{first} label aggregates it into {first})"
    )
