"""CEL checks written in the config (``checks:`` in ``.ekslint.yaml`` or ``[tool.ekslint]``).

A check is a rule like the built-in ones (an id, a title, a level, docs, findings at lines that
suppressions, baselines, SARIF and ``ekslint rules`` know) whose logic is a list of
ValidatingAdmissionPolicy-style validations::

    checks:
      - id: acme/ecr-images            # <prefix>/<name>, both kebab-case
        title: Images come from our ECR
        level: error                   # error | warning (default) | note
        help: |                        # Markdown for `ekslint explain` and SARIF
          Pull through the organisation's ECR, so images are scanned and mirrored.
        match:
          apiGroups: ["apps"]          # "" is the core group; "*" or no key: any
          apiVersions: ["v1"]          # optional
          kinds: ["Deployment", "StatefulSet"]   # required; "*" for every kind
          namespaces: ["prod"]         # optional; excludeNamespaces too
          labelSelector: {matchLabels: {tier: web}}
        variables:                     # optional, as in a policy: variables.<name>
          - name: containers
            expression: object.spec.template.spec.containers
        validations:
          - expression: >-
              variables.containers.all(c, c.image.matches('^123456789012\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/'))
            messageExpression: "'image ' + ... + ' is not from ECR'"
            fieldPath: spec.template.spec.containers[*].image

**Ids.** A check's id is ``<prefix>/<name>`` (``acme/ecr-images``): built-in ids never contain
a ``/``, so a check can never take or shadow one, whatever ekslint adds later; the prefix says
whose rule it is, as a plugin's package prefix does. ``vap`` (admission policies) and
``ekslint`` are reserved prefixes.

Expressions see ``object`` (the manifest), ``namespaceObject`` (its Namespace when the scan has
it, else null) and ``variables``; they are compiled when the config is read, so a syntax or
type error stops the run with the check's id and the position in the expression. On an object
where an expression cannot be evaluated (a missing field, an over-budget cost) the check says so
in a note for that object, and the scan goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ekslint.linter.cel.data import COPIES, scan_copies
from ekslint.linter.cel.program import CelEvalError
from ekslint.linter.cel.validation import (
    SpecError,
    Validation,
    Variable,
    compute_variables,
    parse_validations,
    parse_variables,
    run_validation,
)
from ekslint.linter.registry import Finding, Level, RuleMeta, qualified_rule_id_error
from ekslint.linter.selectors import is_valid_label_selector, label_selector_matches

CHECK_KEYS = frozenset({"id", "title", "level", "help", "match", "variables", "validations", "enabled", "tags"})
MATCH_KEYS = frozenset({"apiGroups", "apiVersions", "kinds", "namespaces", "excludeNamespaces", "labelSelector"})
#: Inputs a check's expressions may read; the other policy variables mean nothing offline.
CHECK_INPUTS = frozenset({"object", "namespaceObject", "variables"})
RESERVED_PREFIXES = frozenset({"vap", "ekslint"})
FAMILY = "config"


class CheckError(ValueError):
    """A malformed check; the text names the config file, the check and the key."""


@dataclass(frozen=True)
class Match:
    api_groups: frozenset[str] | None = None
    api_versions: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    namespaces: frozenset[str] | None = None
    exclude_namespaces: frozenset[str] = frozenset()
    label_selector: Any = None

    def gks(self) -> frozenset[str] | None:
        """``Kind.group`` names when kinds and groups are all named (the engine's fast filter)."""
        if self.kinds is None or self.api_groups is None:
            return None
        return frozenset(f"{k}.{g}" if g else k for k in self.kinds for g in self.api_groups)

    def matches(self, obj: Any) -> bool:
        from ekslint.linter.model import NON_API_KINDS

        if self.kinds is None and obj.gk in NON_API_KINDS:
            return False
        if self.kinds is not None and obj.kind not in self.kinds:
            return False
        if self.api_groups is not None and obj.group not in self.api_groups:
            return False
        if self.api_versions is not None and obj.version not in self.api_versions:
            return False
        if self.namespaces is not None and (not obj.namespaced or obj.effective_namespace not in self.namespaces):
            return False
        if obj.namespaced and obj.effective_namespace in self.exclude_namespaces:
            return False
        return self.label_selector is None or label_selector_matches(self.label_selector, obj.labels)


@dataclass
class CelCheck:
    id: str
    title: str
    level: Level
    help: str
    match: Match
    variables: list[Variable]
    validations: list[Validation]
    origin: str
    enabled: bool = True
    tags: tuple[str, ...] = ()
    config_path: Path = field(default_factory=Path)

    @cached_property
    def reads_namespace(self) -> bool:
        programs = [v.program for v in self.variables] + [
            p for v in self.validations for p in (v.program, v.message_program) if p is not None
        ]
        return any("namespaceObject" in p.identifiers for p in programs)

    def findings(self, obj: Any, ctx: Any) -> Iterator[Finding]:
        """The rule function: every failed validation on ``obj``, at its fieldPath."""
        if not self.match.matches(obj):
            return
        namespace = (
            ctx.index.get("Namespace", obj.effective_namespace) if obj.namespaced and self.reads_namespace else None
        )
        inputs = {
            "object": obj.root,
            "namespaceObject": namespace.root if namespace is not None else None,
            COPIES: scan_copies(ctx.index),
        }
        bindings = compute_variables(self.variables, inputs)
        for n, validation in enumerate(self.validations):
            try:
                failure = run_validation(validation, inputs, bindings, self._recompute)
            except CelEvalError as exc:
                where = f"{obj.file.display}:{obj.root.pos.line}"
                ctx.note(f"{obj.ref} ({where}): validations[{n}] not evaluated: {exc}")
                continue
            if failure is None:
                continue
            for path in failure.paths or ((),):
                yield Finding(failure.message, path=path)

    def _recompute(self, inputs: dict[str, Any]) -> Any:
        """The variables on other inputs (an object cut down to one list item, for ``[*]``)."""
        return compute_variables(self.variables, inputs)

    def doc_markdown(self) -> str:
        """The check's page for ``ekslint explain`` and SARIF help, in the built-in docs' shape."""
        lines = ["## What it does", "", self.help.strip() or f"{self.title}.", "", "## How it checks", ""]
        lines.append(f"Defined in {self.origin}. It runs on {self._scope()}.")
        lines.append("")
        for variable in self.variables:
            lines.append(f"- variable `{variable.name}`: `{variable.program.source.strip()}`")
        for v in self.validations:
            where = f" (at `{v.field_path.text}`)" if v.field_path else ""
            lines.append(f"- `{v.program.source.strip()}`{where}: {v.default_message}")
        return "\n".join(lines) + "\n"

    def _scope(self) -> str:
        m = self.match
        kinds = ", ".join(sorted(m.kinds)) if m.kinds else "every kind"
        parts = [kinds]
        if m.api_groups is not None:
            parts.append("in API group " + ", ".join(repr(g) if g else "core" for g in sorted(m.api_groups)))
        if m.namespaces is not None:
            parts.append("in namespaces " + ", ".join(sorted(m.namespaces)))
        if m.label_selector is not None:
            parts.append("selected by labels")
        return " ".join(parts)

    def meta(self) -> RuleMeta:
        return RuleMeta(
            id=self.id,
            title=self.title,
            level=self.level,
            targets=(_k8s_object(),),
            func=self.findings,
            tags=self.tags,
            enabled=self.enabled,
            kinds=self.match.gks(),
            family=FAMILY,
            origin=self.origin,
            doc_text=self.doc_markdown(),
        )


def _k8s_object() -> type:
    from ekslint.linter.model import K8sObject

    return K8sObject


def _strings(value: Any, where: str) -> frozenset[str] | None:
    """A list of names; ``None`` (any) for a missing key or one holding ``*``."""
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CheckError(f"{where} must be a list of strings")
    return None if "*" in value else frozenset(value)


def parse_match(raw: Any, where: str) -> Match:
    if not isinstance(raw, dict):
        raise CheckError(f"{where} must be a mapping with kinds (and apiGroups, namespaces, labelSelector…)")
    unknown = sorted(set(map(str, raw)) - MATCH_KEYS)
    if unknown:
        raise CheckError(f"{where}: unknown key {unknown[0]!r} (keys: {', '.join(sorted(MATCH_KEYS))})")
    if "kinds" not in raw:
        raise CheckError(f'{where}.kinds is required (["*"] for every kind)')
    selector = raw.get("labelSelector")
    if selector is not None and not is_valid_label_selector(selector):
        raise CheckError(f"{where}.labelSelector is not a valid label selector (matchLabels, matchExpressions)")
    return Match(
        api_groups=_strings(raw.get("apiGroups"), f"{where}.apiGroups"),
        api_versions=_strings(raw.get("apiVersions"), f"{where}.apiVersions"),
        kinds=_strings(raw.get("kinds"), f"{where}.kinds"),
        namespaces=_strings(raw.get("namespaces"), f"{where}.namespaces"),
        exclude_namespaces=_strings(raw.get("excludeNamespaces"), f"{where}.excludeNamespaces") or frozenset(),
        label_selector=selector,
    )


def parse_checks(raw: Any, where: str, config_path: Path, lines: list[int]) -> list[CelCheck]:
    """The ``checks:`` list of a config; ``lines`` are the entries' lines, for messages."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CheckError(f"{where}: checks must be a list of checks (id, title, match, validations…)")
    out: list[CelCheck] = []
    for n, entry in enumerate(raw):
        at = f"{where}:{lines[n]}" if n < len(lines) else where
        out.append(_parse_check(entry, at, n, config_path, where))
        if any(c.id == out[-1].id for c in out[:-1]):
            raise CheckError(f"{at}: checks[{n}]: id {out[-1].id!r} is used by an earlier check")
    return out


def _parse_check(entry: Any, at: str, n: int, config_path: Path, where: str) -> CelCheck:
    if not isinstance(entry, dict):
        raise CheckError(f"{at}: checks[{n}] must be a mapping (id, title, match, validations…)")
    rid = entry.get("id")
    problem = qualified_rule_id_error(rid)
    if problem is not None:
        raise CheckError(f"{at}: checks[{n}].id: {problem}")
    assert isinstance(rid, str)
    if rid.split("/")[0] in RESERVED_PREFIXES:
        raise CheckError(f"{at}: checks[{n}].id: the prefix {rid.split('/')[0]!r} is reserved; use your own")
    here = f"{at}: check {rid}"
    unknown = sorted(set(map(str, entry)) - CHECK_KEYS)
    if unknown:
        raise CheckError(f"{here}: unknown key {unknown[0]!r} (keys: {', '.join(sorted(CHECK_KEYS))})")
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        raise CheckError(f"{here}: title is required (one line: what the check wants)")
    level = entry.get("level", "warning")
    if level not in ("error", "warning", "note"):
        raise CheckError(f"{here}: level must be error, warning or note")
    help_text = entry.get("help", "")
    if not isinstance(help_text, str):
        raise CheckError(f"{here}: help must be a string (Markdown)")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise CheckError(f"{here}: enabled must be true or false")
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise CheckError(f"{here}: tags must be a list of strings")
    match = parse_match(entry.get("match"), f"{here}: match")
    try:
        variables = parse_variables(entry.get("variables"), f"{here}: variables")
        validations = parse_validations(
            entry.get("validations"), f"{here}: validations", variables, allow_wildcard=True
        )
    except SpecError as exc:
        raise CheckError(str(exc)) from None
    for program, place in [(v.program, f"variables[{i}]") for i, v in enumerate(variables)] + [
        (p, f"validations[{i}]")
        for i, v in enumerate(validations)
        for p in (v.program, v.message_program)
        if p is not None
    ]:
        other = sorted(program.identifiers & {"oldObject", "params", "request", "authorizer"})
        if other:
            raise CheckError(
                f"{here}: {place}: {other[0]} is an admission-request variable; a check sees object, "
                "namespaceObject and variables"
            )
    return CelCheck(
        id=rid,
        title=" ".join(title.split()).rstrip("."),
        level=Level(level),
        help=help_text,
        match=match,
        variables=variables,
        validations=validations,
        origin=f"config {where}",
        enabled=enabled,
        tags=tuple(tags),
        config_path=config_path,
    )
