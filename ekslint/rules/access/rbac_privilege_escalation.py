"""rbac-privilege-escalation: a role rule with a verb that lets a subject become someone else.

Kubernetes' RBAC good practices list the permissions that escalate: creating pods (or the
workloads that make them) runs code as any ServiceAccount of the namespace with its Secrets
mounted; ``pods/exec`` and ``pods/attach`` act inside another identity's pod (``create``, or
``get``, which opens them through a WebSocket before Kubernetes 1.35); ``bind`` and ``escalate``
grant permissions one does not hold; ``impersonate`` acts as another user, group or
ServiceAccount; ``serviceaccounts/token`` ``create`` mints a ServiceAccount's token; and
``nodes/proxy`` reaches the kubelet API, which runs commands in every pod of the node.

The finding is at the rule (``rules[i]``) that grants it and names the bindings and subjects that
receive it (:mod:`._grants` explains the resolution and why unbound roles are not reported).
Creating pods and workloads is reported only where it reaches namespaces the subject does not own:
through a ClusterRoleBinding, or a RoleBinding of another namespace's ServiceAccount or of a broad
group (``system:authenticated``, ``system:serviceaccounts``); a namespace's own controller or team
creating pods there is what namespaces are for. Permissions on cluster-scoped resources
(``nodes/proxy``, impersonating users and groups, ``escalate`` on ClusterRoles) count only through
a ClusterRoleBinding: a RoleBinding cannot grant them. ``resourceNames`` on ``bind``/``escalate``
(the documented way to allow binding only some roles) leave the rule alone; on the other verbs they
only narrow which identities can be taken over, so the rule is still reported.

A ClusterRole aggregated into the built-in ``view``/``edit``/``admin`` is reported for what those
roles do not already hold (``edit`` and ``admin`` already create pods, exec, impersonate
ServiceAccounts and create tokens in their namespace; ``view`` holds none of it). ``*`` grants
these too; ``rbac-wildcard`` reports the ``*`` item itself, this rule the rule item.
Built-in subjects and Kubernetes' and EKS' own roles are not reported.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.access._grants import (
    Grant,
    RuleView,
    builtin_holders,
    describe_grants,
    judged_rules,
    role_grants,
)
from ekslint.rules.access._rbac import RBAC_GROUP, ROLE_KINDS, is_builtin_subject

#: What makes pods: the pod itself and the built-in controllers' kinds.
_POD_MAKERS = (
    ("", "pods"),
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "replicasets"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("extensions", "deployments"),
    ("extensions", "replicasets"),
    ("extensions", "daemonsets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
)
#: The verbs the kubelet maps its HTTP methods to (a WebSocket ``get`` is enough to exec).
_KUBELET_VERBS = ("get", "create", "update", "patch", "delete")


@dataclass(frozen=True)
class Power:
    """One escalating permission a rule grants."""

    text: str
    #: A few words, for a rule that grants many of them (``*`` everywhere).
    short: str
    hits: tuple[tuple[str, str, str], ...]
    #: Only counts where it reaches another namespace (creating pods and workloads).
    foreign_only: bool = False
    #: On a cluster-scoped resource: only a ClusterRoleBinding grants it.
    cluster_only: bool = False
    #: The built-in ``edit``/``admin`` roles hold it already.
    held_by_edit: bool = False

    def applies(self, g: Grant) -> bool:
        if self.cluster_only and not g.cluster_wide:
            return False
        return not (self.foreign_only and g.owns_namespace())


def _names(resources: list[str]) -> str:
    unique = list(dict.fromkeys(resources))
    return ", ".join(unique[:-1]) + f" and {unique[-1]}" if len(unique) > 1 else unique[0]


def _connects(view: RuleView, resource: str) -> bool:
    return view.allows("", resource, "create") or view.allows("", resource, "get")


def powers(view: RuleView) -> list[Power]:
    """The escalating permissions of one rule, in the order of the module doc."""
    out: list[Power] = []
    if not view.names:  # a create request has no name yet: resourceNames never match it
        hits = [(g, r, "create") for g, r in _POD_MAKERS if view.allows(g, r, "create")]
        if hits:
            kinds = "pods and every workload kind" if len(hits) == len(_POD_MAKERS) else _names([h[1] for h in hits])
            out.append(
                Power(
                    f"create {kinds} (a pod runs as any ServiceAccount of its namespace, with its Secrets mounted)",
                    "create pods and workloads" if len(hits) == len(_POD_MAKERS) else f"create {kinds}",
                    tuple(hits),
                    foreign_only=True,
                    held_by_edit=True,
                )
            )
    # exec and attach are a WebSocket GET before Kubernetes 1.35 (then ``get`` is enough), SPDY POST
    into = [(r, v) for r, v in (("pods/exec", "exec into"), ("pods/attach", "attach to")) if _connects(view, r)]
    if into:
        verbs = " and ".join(v for _, v in into)
        get_only = not any(view.allows("", r, "create") for r, _ in into)
        out.append(
            Power(
                f"{verbs} pods (acting as the pod's ServiceAccount, with its credentials"
                + ("; get is enough through a WebSocket before Kubernetes 1.35)" if get_only else ")"),
                f"{verbs} pods",
                tuple(("", r, v) for r, _ in into for v in ("create", "get") if view.allows("", r, v)),
                held_by_edit=True,
            )
        )
    if not view.names:  # resourceNames on bind/escalate: only the named roles (the documented limit)
        for verb, what in (
            ("bind", "bind roles it does not hold, cluster-admin included"),
            ("escalate", "escalate roles (add permissions it does not hold)"),
        ):
            hits = [(RBAC_GROUP, r, verb) for r in ("roles", "clusterroles") if view.allows(RBAC_GROUP, r, verb)]
            if hits:
                # escalating a ClusterRole is a cluster-scoped update: no RoleBinding grants it
                only_cluster = [h[1] for h in hits] == ["clusterroles"] and verb == "escalate"
                out.append(Power(what, f"{verb} roles", tuple(hits), cluster_only=only_cluster))
    named = f" named {', '.join(view.names)}" if view.names else ""
    # ServiceAccounts are impersonated in their namespace; users, groups and uids cluster-wide
    for targets, cluster in (
        ((("", "serviceaccounts"),), False),
        ((("", "users"), ("", "groups"), ("authentication.k8s.io", "uids")), True),
    ):
        who = [(g, r) for g, r in targets if view.allows(g, r, "impersonate")]
        if who:
            out.append(
                Power(
                    f"impersonate {_names([r for _, r in who])}{named} (act as them"
                    + (", system:masters included)" if cluster else ")"),
                    "impersonate",
                    tuple((g, r, "impersonate") for g, r in who),
                    cluster_only=cluster,
                    held_by_edit=not cluster,
                )
            )
    if view.allows("", "serviceaccounts/token", "create"):
        out.append(
            Power(
                "create ServiceAccount tokens (log in as those ServiceAccounts)",
                "create ServiceAccount tokens",
                (("", "serviceaccounts/token", "create"),),
                held_by_edit=True,
            )
        )
    hits = [("", "nodes/proxy", v) for v in _KUBELET_VERBS if view.allows("", "nodes/proxy", v)]
    if hits:
        out.append(
            Power(
                "use nodes/proxy (the kubelet API runs commands in every pod of the node, even with get)",
                "use nodes/proxy",
                tuple(hits),
                cluster_only=True,
            )
        )
    return out


def _render(shown: list[Power], notes: dict[int, str]) -> str:
    """The permissions as a phrase: in full, or in a few words each when there are many."""
    impersonated = [p for p in shown if p.short == "impersonate"]
    if len(impersonated) == 2:  # both halves: one phrase, in the cluster-wide wording
        merged = impersonated[1].text.replace("impersonate ", "impersonate serviceaccounts, ", 1)
        shown = [p for p in shown if p is not impersonated[0]]
        texts = [merged if p is impersonated[1] else p.text for p in shown]
    else:
        texts = [p.text for p in shown]
    if len(shown) >= 4:
        shorts = list(dict.fromkeys(p.short + notes.get(id(p), "") for p in shown))
        if "bind roles" in shorts and "escalate roles" in shorts:
            shorts[shorts.index("bind roles")] = "bind and escalate roles"
            shorts.remove("escalate roles")
        return _names(shorts)
    return "; ".join(t + notes.get(id(p), "") for t, p in zip(texts, shown, strict=True))


@rule(
    id="rbac-privilege-escalation",
    title="RBAC roles should not grant verbs that escalate privileges",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=ROLE_KINDS,
    tags=("security", "rbac"),
)
def check(role: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    judged = list(judged_rules(role, ctx))
    if not judged:
        return
    found = role_grants(role, ctx)
    grants = [g for g in found.grants if not is_builtin_subject(g.subject, g.binding)]
    if not grants and not found.builtin:
        return  # not bound in this scan (or only to built-in subjects)
    for i, item in judged:
        view = RuleView.of(item)
        granted = powers(view)
        reached = [g for g in grants if any(p.applies(g) for p in granted)]
        implicit = [p for p in granted if "view" in found.builtin or (found.builtin and not p.held_by_edit)]
        shown = [p for p in granted if p in implicit or any(p.applies(g) for g in reached)]
        if not shown:
            continue
        notes = {
            id(p): f" for {describe_grants([g for g in reached if p.applies(g)], 2)}"
            for p in shown
            if p.foreign_only and 0 < sum(p.applies(g) for g in reached) < len(reached)
        }
        who = "; ".join(
            part
            for part in (
                describe_grants(reached) if reached else "",
                builtin_holders(found.builtin) if implicit else "",
            )
            if part
        )
        how = " through '*'" if view.wildcard_only([h for p in shown for h in p.hits]) else ""
        wide = bool(implicit) or any(not g.owns_namespace() for g in reached)
        yield Finding(
            f"{role.ref} rules[{i}] lets {who} {_render(shown, notes)}{how}: that is how a compromised workload "
            "or account becomes another one; drop what the subject does not use"
            + (", or grant it with a Role and RoleBinding in the namespace the subject owns" if wide else ""),
            ("rules", i),
        )
