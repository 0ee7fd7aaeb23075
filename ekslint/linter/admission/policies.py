"""ValidatingAdmissionPolicies and their bindings, evaluated on the scanned objects as on CREATE.

When a scan (or ``--policy``) holds ``admissionregistration.k8s.io`` ValidatingAdmissionPolicy
and ValidatingAdmissionPolicyBinding objects, each policy becomes a rule, ``vap/<policy-name>``,
that runs on every scanned object the way the API server would admit it if it were created:

* ``matchConstraints`` of the policy and ``matchResources`` of each binding: ``resourceRules``
  (apiGroups, apiVersions, resources, operations with CREATE, scope, resourceNames) minus
  ``excludeResourceRules``, ``objectSelector`` on the object's labels, ``namespaceSelector`` on
  the labels of its Namespace in the scan (with ``kubernetes.io/metadata.name``, which the API
  server sets), ``matchPolicy`` Equivalent (any version of the resource) or Exact;
* ``paramKind`` and the binding's ``paramRef`` (a name or a selector, a namespace or the
  object's) with params from the scan, one evaluation per param;
* ``matchConditions``, ``variables``, then ``validations``; a failure is a finding at the
  validation's ``fieldPath``, at the level of the binding's ``validationActions`` (Deny → error,
  Warn → warning, Audit → note), naming the policy and the binding; an evaluation error counts
  as a failure under ``failurePolicy: Fail`` (the default), as the API server rejects the request,
  except a read of a field the manifest lacks: the API server evaluates the object after defaulting
  and mutating admission, which may fill it, so such objects get a note, not a guess.

What ekslint cannot evaluate as the API server would is said in a note, never passed in
silence: an expression that does not compile here (a function ekslint lacks, the authorizer
library), ``request.userInfo`` (who creates the object), a Namespace or params that are not in
the scan, a binding whose policy is not there. ``auditAnnotations`` change no admission
decision and are not evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ekslint.linter.admission.resources import Resource, ResourceMap
from ekslint.linter.cel.ast import Ident, Select, walk
from ekslint.linter.cel.data import COPIES, scan_copies
from ekslint.linter.cel.program import CelEvalError, Program
from ekslint.linter.cel.validation import (
    SpecError,
    Validation,
    Variable,
    compile_at,
    compute_variables,
    parse_validations,
    parse_variables,
    run_validation,
)
from ekslint.linter.registry import Finding, Level, RuleMeta
from ekslint.linter.selectors import is_valid_label_selector, label_selector_matches

GROUP = "admissionregistration.k8s.io"
POLICY_KIND = "ValidatingAdmissionPolicy"
BINDING_KIND = "ValidatingAdmissionPolicyBinding"
FAMILY = "admission"
NAME_LABEL = "kubernetes.io/metadata.name"
ACTION_LEVELS = {"Deny": Level.ERROR, "Warn": Level.WARNING, "Audit": Level.NOTE}
ACTION_VERBS = {"Deny": "denied request", "Warn": "warns", "Audit": "audits"}


def is_policy_object(obj: Any) -> bool:
    return obj.group == GROUP and obj.kind in (POLICY_KIND, BINDING_KIND)


@dataclass(frozen=True)
class ResourceRule:
    groups: frozenset[str] | None
    versions: frozenset[str] | None
    resources: frozenset[str]
    operations: frozenset[str]
    scope: str
    names: frozenset[str]

    def matches(self, res: Resource, name: str | None, exact: bool) -> bool:
        if "CREATE" not in self.operations and "*" not in self.operations:
            return False
        if self.groups is not None and res.group not in self.groups:
            return False
        if exact and self.versions is not None and res.version not in self.versions:
            return False
        if not ({"*", "*/*", res.resource} & self.resources):
            return False
        if (self.scope == "Cluster" and res.namespaced) or (self.scope == "Namespaced" and not res.namespaced):
            return False
        return not self.names or name in self.names


@dataclass(frozen=True)
class MatchResources:
    rules: tuple[ResourceRule, ...]
    excluded: tuple[ResourceRule, ...]
    namespace_selector: Any
    object_selector: Any
    exact: bool


@dataclass
class Policy:
    name: str
    obj: Any
    fail: bool
    match: MatchResources | None
    conditions: list[tuple[str, Program]] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    param_kind: tuple[str, str] | None = None
    problem: str | None = None
    bindings: list[Binding] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.obj.file.display}:{self.obj.root.pos.line}"


@dataclass
class Binding:
    name: str
    obj: Any
    policy_name: str
    actions: frozenset[str]
    param_ref: dict[str, Any] | None
    match: MatchResources | None
    problem: str | None = None

    @property
    def level(self) -> Level:
        return max((ACTION_LEVELS[a] for a in self.actions), key=lambda level: level.rank, default=Level.ERROR)

    @property
    def verb(self) -> str:
        for action in ("Deny", "Warn", "Audit"):
            if action in self.actions:
                return ACTION_VERBS[action]
        return ACTION_VERBS["Deny"]


class PolicyError(ValueError):
    pass


def _names(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"{where} must be a list of strings")
    return frozenset(value)


def _rules(raw: Any, where: str) -> tuple[ResourceRule, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise PolicyError(f"{where} must be a list of rules")
    out = []
    for n, rule in enumerate(raw):
        here = f"{where}[{n}]"
        if not isinstance(rule, dict):
            raise PolicyError(f"{here} must be a mapping")
        groups = _names(rule.get("apiGroups"), f"{here}.apiGroups")
        versions = _names(rule.get("apiVersions"), f"{here}.apiVersions")
        scope = rule.get("scope", "*")
        if scope not in ("*", "Cluster", "Namespaced"):
            raise PolicyError(f"{here}.scope must be *, Cluster or Namespaced")
        out.append(
            ResourceRule(
                None if "*" in groups else groups,
                None if "*" in versions else versions,
                _names(rule.get("resources"), f"{here}.resources"),
                _names(rule.get("operations"), f"{here}.operations"),
                scope,
                _names(rule.get("resourceNames"), f"{here}.resourceNames"),
            )
        )
    return tuple(out)


def _selector(raw: Any, where: str) -> Any:
    if raw is None:
        return {}
    if not is_valid_label_selector(raw):
        raise PolicyError(f"{where} is not a valid label selector")
    return raw


def parse_match(raw: Any, where: str, *, required: bool) -> MatchResources | None:
    if raw is None:
        if required:
            raise PolicyError(f"{where} is required")
        return None
    if not isinstance(raw, dict):
        raise PolicyError(f"{where} must be a mapping")
    return MatchResources(
        _rules(raw.get("resourceRules"), f"{where}.resourceRules"),
        _rules(raw.get("excludeResourceRules"), f"{where}.excludeResourceRules"),
        _selector(raw.get("namespaceSelector"), f"{where}.namespaceSelector"),
        _selector(raw.get("objectSelector"), f"{where}.objectSelector"),
        raw.get("matchPolicy", "Equivalent") == "Exact",
    )


def _unsupported(programs: list[Program]) -> str | None:
    """Why ekslint cannot evaluate these expressions as the API server does, if it cannot."""
    for program in programs:
        if "authorizer" in program.identifiers or "authorizer.requestResource" in program.identifiers:
            return "it uses the authorizer (RBAC checks of the requesting user), which a static scan does not have"
        for node in walk(program.tree.root):
            if (
                isinstance(node, Select)
                and node.field == "userInfo"
                and isinstance(node.operand, Ident)
                and node.operand.name == "request"
            ):
                return "it reads request.userInfo (who creates the object), which a static scan does not know"
    return None


def _unsupported_library(spec: Any) -> str | None:
    """A Kubernetes library ekslint does not implement, named in the policy's expressions."""
    from ekslint.linter.cel.library import UNSUPPORTED

    text = str(spec)
    for name, why in UNSUPPORTED.items():
        if re.search(rf"(?<![.\w]){re.escape(name)}\s*\.", text):
            return f"it uses {name}: {why}"
    return None


def parse_policy(obj: Any) -> Policy:
    name = obj.name or "<unnamed>"
    spec = obj.spec
    policy = Policy(name, obj, spec.get("failurePolicy", "Fail") != "Ignore", None)
    try:
        policy.match = parse_match(spec.get("matchConstraints"), "spec.matchConstraints", required=True)
        kind = spec.get("paramKind")
        if kind is not None:
            if not isinstance(kind, dict) or not isinstance(kind.get("kind"), str):
                raise PolicyError("spec.paramKind needs apiVersion and kind")
            api_version = kind.get("apiVersion")
            if not isinstance(api_version, str):  # an older shape: group and version
                group, version = kind.get("group", ""), kind.get("version", "")
                api_version = f"{group}/{version}" if group else str(version)
            policy.param_kind = (api_version, kind["kind"])
        policy.variables = parse_variables(spec.get("variables"), "spec.variables")
        conditions = spec.get("matchConditions") or []
        if not isinstance(conditions, list):
            raise PolicyError("spec.matchConditions must be a list")
        for n, cond in enumerate(conditions):
            if not isinstance(cond, dict):
                raise PolicyError(f"spec.matchConditions[{n}] must be a mapping")
            program = compile_at(cond.get("expression"), f"spec.matchConditions[{n}].expression")
            policy.conditions.append((str(cond.get("name", n)), program))
        names = [v.name for v in policy.variables]
        del names
        policy.validations = parse_validations(
            spec.get("validations"), "spec.validations", policy.variables, allow_wildcard=False
        )
    except (PolicyError, SpecError) as exc:
        policy.problem = _unsupported_library(spec) or f"it cannot be compiled here: {exc}"
        return policy
    programs = [v.program for v in policy.variables] + [p for _, p in policy.conditions]
    programs += [p for v in policy.validations for p in (v.program, v.message_program) if p is not None]
    policy.problem = _unsupported(programs)
    return policy


def parse_binding(obj: Any) -> Binding:
    spec = obj.spec
    name = obj.name or "<unnamed>"
    binding = Binding(name, obj, str(spec.get("policyName", "")), frozenset(), None, None)
    try:
        actions = _names(spec.get("validationActions"), "spec.validationActions")
        if not actions or not actions <= set(ACTION_LEVELS):
            raise PolicyError("spec.validationActions must list Deny, Warn or Audit")
        binding.actions = actions
        ref = spec.get("paramRef")
        if ref is not None and not isinstance(ref, dict):
            raise PolicyError("spec.paramRef must be a mapping")
        binding.param_ref = ref
        binding.match = parse_match(spec.get("matchResources"), "spec.matchResources", required=False)
    except PolicyError as exc:
        binding.problem = str(exc)
    return binding


@dataclass
class PolicySet:
    """The policies of a scan, with their bindings, and the objects params may come from."""

    policies: dict[str, Policy]
    extra_objects: list[Any]
    resources: ResourceMap
    notes: list[str]

    def rules(self) -> dict[str, RuleMeta]:
        from ekslint.linter.model import K8sObject

        out = {}
        for policy in self.policies.values():
            rid = f"vap/{policy.name}"
            out[rid] = RuleMeta(
                id=rid,
                title=f"ValidatingAdmissionPolicy {policy.name} admits the object",
                level=Level.ERROR,
                targets=(K8sObject,),
                func=_rule_function(self, policy),
                family=FAMILY,
                origin=f"policy {policy.where}",
                doc_text=_doc(policy),
            )
        return out


def _doc(policy: Policy) -> str:
    lines = [
        "## What it does",
        "",
        f"Evaluates the ValidatingAdmissionPolicy `{policy.name}` ({policy.where}) on every scanned object "
        "as the API server would when the object is created, through its bindings: "
        + (", ".join(f"`{b.name}` ({', '.join(sorted(b.actions))})" for b in policy.bindings) or "none in the scan")
        + ".",
        "",
        "## Validations",
        "",
    ]
    lines += [f"- `{v.program.source.strip()}`: {v.default_message}" for v in policy.validations]
    return "\n".join(lines) + "\n"


def build_policy_set(objects: list[Any], extra_objects: list[Any], crds: list[Any]) -> PolicySet | None:
    """Policies and bindings among ``objects`` (the scan and ``--policy`` files), or None."""
    found = [o for o in objects if is_policy_object(o)]
    if not found:
        return None
    notes: list[str] = []
    policies: dict[str, Policy] = {}
    for obj in found:
        if obj.kind == POLICY_KIND:
            policy = parse_policy(obj)
            if policy.name in policies:
                notes.append(
                    f"ValidatingAdmissionPolicy {policy.name} ({policy.where}) is defined twice; the first counts"
                )
                continue
            policies[policy.name] = policy
    for obj in found:
        if obj.kind != BINDING_KIND:
            continue
        binding = parse_binding(obj)
        where = f"{obj.file.display}:{obj.root.pos.line}"
        if binding.problem:
            notes.append(
                f"ValidatingAdmissionPolicyBinding {binding.name} ({where}) is not evaluated: {binding.problem}"
            )
            continue
        bound = policies.get(binding.policy_name)
        if bound is None:
            notes.append(
                f"ValidatingAdmissionPolicyBinding {binding.name} ({where}) binds policy {binding.policy_name!r}, "
                "which is not in the scan (add it, or give it with --policy): not evaluated"
            )
            continue
        bound.bindings.append(binding)
    for policy in policies.values():
        if policy.problem:
            notes.append(f"vap/{policy.name}: {policy.name} ({policy.where}) is not evaluated: {policy.problem}")
        elif not policy.bindings:
            notes.append(
                f"vap/{policy.name}: ValidatingAdmissionPolicy {policy.name} ({policy.where}) has no binding in the "
                "scan, so it admits everything, as in a cluster"
            )
    return PolicySet(policies, extra_objects, ResourceMap(crds), notes)


def _rule_function(policies: PolicySet, policy: Policy) -> Any:
    def check(obj: Any, ctx: Any) -> Iterator[Finding]:
        if policy.problem or not policy.bindings or is_policy_object(obj):
            return
        res = policies.resources.resource_of(obj)
        if policy.match is None or not _matches(policy.match, obj, res, ctx, policy, None, require_rules=True):
            return
        for binding in policy.bindings:
            if binding.match is not None and not _matches(binding.match, obj, res, ctx, policy, binding):
                continue
            yield from _evaluate(policies, policy, binding, obj, res, ctx)

    return check


def _namespace_labels(obj: Any, ctx: Any) -> dict[str, Any] | None:
    """The labels of the object's Namespace (the object's own for a Namespace); None if unknown."""
    if obj.kind == "Namespace" and obj.group == "":
        return {**obj.labels, NAME_LABEL: obj.name}
    ns = ctx.index.get("Namespace", obj.effective_namespace)
    if ns is None:
        return None
    return {**ns.labels, NAME_LABEL: obj.effective_namespace}


def _matches(
    match: MatchResources,
    obj: Any,
    res: Resource,
    ctx: Any,
    policy: Policy,
    binding: Binding | None,
    *,
    require_rules: bool = False,
) -> bool:
    if (match.rules or require_rules) and not any(r.matches(res, obj.name, match.exact) for r in match.rules):
        return False
    if any(r.matches(res, obj.name, match.exact) for r in match.excluded):
        return False
    if not label_selector_matches(match.object_selector, obj.labels):
        return False
    selector = match.namespace_selector
    if selector and (selector.get("matchLabels") or selector.get("matchExpressions")):
        if not obj.namespaced and obj.kind != "Namespace":
            return True  # cluster-scoped objects are never exempted by a namespaceSelector
        labels = _namespace_labels(obj, ctx)
        if labels is None:
            if _only_name_label(selector):
                labels = {NAME_LABEL: obj.effective_namespace}
            else:
                who = f"binding {binding.name}" if binding else f"policy {policy.name}"
                ctx.note(
                    f"namespace {obj.effective_namespace!r} is not in the scan: the namespaceSelector of {who} "
                    "cannot be evaluated for the objects in it; add the Namespace to the scan"
                )
                return False
        return label_selector_matches(selector, labels)
    return True


def _only_name_label(selector: dict[str, Any]) -> bool:
    keys = set((selector.get("matchLabels") or {}).keys())
    keys |= {e.get("key") for e in selector.get("matchExpressions") or []}
    return keys == {NAME_LABEL}


def _params(policies: PolicySet, policy: Policy, binding: Binding, obj: Any, ctx: Any) -> list[Any] | None:
    """The params objects of this evaluation: ``[None]`` without paramKind, None when they cannot
    be known (a note says why), ``[]`` when there are none."""
    if policy.param_kind is None:
        return [None]
    api_version, kind = policy.param_kind
    group = api_version.rpartition("/")[0] if "/" in api_version else ""
    ref = binding.param_ref
    if ref is None:
        ctx.note(f"binding {binding.name} has no paramRef but policy {policy.name} has a paramKind: not evaluated")
        return None
    namespaced = policies.resources.namespaced(group, kind)
    namespace = ref.get("namespace")
    if namespace is None and namespaced:
        namespace = obj.effective_namespace if obj.namespaced else None
        if namespace is None:
            return []
    pool = [
        *ctx.index.of_kind(kind, group=group),
        *(o for o in policies.extra_objects if o.kind == kind and o.group == group),
    ]
    if namespaced and namespace is not None:
        pool = [o for o in pool if o.effective_namespace == namespace]
    if isinstance(ref.get("name"), str):
        pool = [o for o in pool if o.name == ref["name"]]
    elif ref.get("selector") is not None:
        pool = [o for o in pool if label_selector_matches(ref["selector"], o.labels)]
    return pool


def _request(obj: Any, res: Resource) -> dict[str, Any]:
    kind = {"group": obj.group, "version": obj.version, "kind": obj.kind}
    resource = {"group": res.group, "version": res.version, "resource": res.resource}
    return {
        "uid": "",
        "kind": kind,
        "resource": resource,
        "requestKind": kind,
        "requestResource": resource,
        "subResource": "",
        "name": obj.name or "",
        "namespace": obj.effective_namespace,
        "operation": "CREATE",
        "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"},
    }


def _evaluate(
    policies: PolicySet, policy: Policy, binding: Binding, obj: Any, res: Resource, ctx: Any
) -> Iterator[Finding]:
    params_list = _params(policies, policy, binding, obj, ctx)
    if params_list is None:
        return
    head = f"ValidatingAdmissionPolicy '{policy.name}' with binding '{binding.name}' {binding.verb}"
    if not params_list:
        action = (binding.param_ref or {}).get("parameterNotFoundAction", "Deny")
        if action == "Deny":
            ctx.note(
                f"{obj.ref} ({obj.file.display}): no params of {policy.param_kind[1] if policy.param_kind else ''} for "
                f"binding {binding.name} in the scan; with parameterNotFoundAction Deny the API server denies it "
                "unless the cluster has them: not evaluated"
            )
        return
    namespace = ctx.index.get("Namespace", obj.effective_namespace) if obj.namespaced else None
    for params in params_list:
        inputs = {
            "object": obj.root,
            "oldObject": None,
            "request": _request(obj, res),
            "params": params.root if params is not None else None,
            "namespaceObject": namespace.root if namespace is not None else None,
            COPIES: scan_copies(ctx.index),
        }
        suffix = f" (params {params.ref})" if params is not None and len(params_list) > 1 else ""
        try:
            if not _conditions_hold(policy, inputs):
                continue
        except CelEvalError as exc:
            if _missing_field(exc, binding, ctx, "match condition"):
                continue
            if policy.fail:
                yield Finding(f"{head}: match condition error: {exc}{suffix}", level=binding.level)
            else:
                ctx.note(f"{obj.ref} ({obj.file.display}): {head}: match condition error ignored (Ignore): {exc}")
            continue
        bindings = compute_variables(policy.variables, inputs)
        for validation in policy.validations:
            try:
                failure = run_validation(validation, inputs, bindings)
            except CelEvalError as exc:
                if _missing_field(exc, binding, ctx, "validation"):
                    continue
                if policy.fail:
                    yield Finding(f"{head}: expression error: {exc}{suffix}", level=binding.level)
                else:
                    ctx.note(f"{obj.ref} ({obj.file.display}): {head}: error ignored (failurePolicy Ignore): {exc}")
                continue
            if failure is not None:
                path = failure.paths[0] if failure.paths else ()
                yield Finding(f"{head}: {failure.message}{suffix}", path=path, level=binding.level)


def _missing_field(exc: CelEvalError, binding: Binding, ctx: Any, part: str) -> bool:
    """An expression that reads a field the manifest lacks is not judged, and a note says so.

    The API server runs a policy on the object after it has filled defaults and mutating
    admission has run (a Deployment without ``replicas`` has 1; every Pod gets the
    DefaultTolerationSeconds tolerations), so "no such key" on the manifest says little about
    the cluster: a finding would be a guess. One note per policy, binding and missing key.
    """
    if not str(exc).startswith("no such key:") and ": no such key:" not in str(exc):
        return False
    ctx.note(
        f"binding {binding.name}: a {part} reads a field some objects lack ({exc}); the API server "
        "fills defaults and runs mutating admission first, so those objects are not judged here"
    )
    return True


def _conditions_hold(policy: Policy, inputs: dict[str, Any]) -> bool:
    """All match conditions true; any false skips the policy even when another errs."""
    error: CelEvalError | None = None
    for name, program in policy.conditions:
        try:
            value = program.evaluate(inputs)
        except CelEvalError as exc:
            error = error or CelEvalError(f"{name}: {exc}")
            continue
        if value is False:
            return False
        if value is not True:
            error = error or CelEvalError(f"{name}: must evaluate to bool")
    if error is not None:
        raise error
    return True
