"""rbac-secrets-access: a role rule that lets a subject outside kube-system read Secrets.

``get`` reads one Secret by name; ``list`` and ``watch`` return the data of every Secret in scope,
so a ClusterRole bound by a ClusterRoleBinding hands over every ServiceAccount token, TLS key and
cloud credential in the cluster. The finding is at the rule (``rules[i]``) that grants it and
names the bindings and subjects that receive it (see :mod:`._grants` for how bindings, aggregated
ClusterRoles and partial input are resolved): one suppression on the role covers every binding.

Not reported: rules narrowed by ``resourceNames`` (the fix), subjects in kube-system (anyone who
controls kube-system already controls the cluster), built-in subjects, and Kubernetes' and EKS'
own roles. A ClusterRole aggregated into the built-in ``view`` is reported even without a binding
in the scan, because ``view`` is bound in every cluster and is meant not to read Secrets
(contributions to ``edit``/``admin`` add nothing: those already read Secrets).
``*`` grants this too; ``rbac-wildcard`` reports the ``*`` item itself, this rule the rule item
(the effective permission and who gets it).
"""

from collections.abc import Iterator

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
from ekslint.rules.access._rbac import ROLE_KINDS, is_builtin_subject

_VERBS = ("get", "list", "watch")


def _in_kube_system(g: Grant) -> bool:
    s = g.subject
    if s.kind == "ServiceAccount":
        return g.subject_namespace == "kube-system"
    return s.name.startswith(("system:serviceaccount:kube-system:", "system:serviceaccounts:kube-system"))


@rule(
    id="rbac-secrets-access",
    title="RBAC roles should not let workloads and users read Secrets",
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
    grants = [g for g in found.grants if not is_builtin_subject(g.subject, g.binding) and not _in_kube_system(g)]
    viewers = "view" in found.builtin
    if not grants and not viewers:
        return  # not bound in this scan (or only to kube-system and built-in subjects)
    for i, item in judged:
        view = RuleView.of(item)
        if view.names:
            continue  # narrowed to the named Secrets
        hits = [("", "secrets", verb) for verb in _VERBS if view.allows("", "secrets", verb)]
        if not hits:
            continue
        verbs = ", ".join(h[2] for h in hits)
        who = "; ".join(
            part
            for part in (describe_grants(grants) if grants else "", builtin_holders(found.builtin) if viewers else "")
            if part
        )
        bulk = [h[2] for h in hits if h[2] in ("list", "watch")]
        how = " through '*'" if view.wildcard_only(hits) else ""
        yield Finding(
            f"{role.ref} rules[{i}] lets {who} read Secrets ({verbs}{how}): "
            + (
                f"{' and '.join(bulk)} return{'s' if len(bulk) == 1 else ''} the data of every Secret there"
                if bulk
                else "get reads any Secret whose name it knows"
            )
            + ", ServiceAccount tokens, TLS keys and credentials included; narrow it with resourceNames, "
            "or to a Role in the one namespace that needs it",
            ("rules", i),
        )
