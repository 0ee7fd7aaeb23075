"""``variables`` and ``validations`` as a ValidatingAdmissionPolicy writes them, for checks and policies.

Both config checks and admission policies declare composited variables (``variables: [{name,
expression}]``, read as ``variables.<name>``) and validations (``expression``, ``message`` or
``messageExpression``, ``fieldPath``, ``reason``). Parsing compiles every expression at once, so
a bad one is an error naming its place (``validations[1].expression: at 1:9: …``); evaluation
follows the API server:

* a variable is computed once per object, in order, and later ones may use earlier ones; one that
  fails makes every expression that reads it fail with its error;
* a validation passes when its expression is ``true``, fails when ``false``; any other value or
  an evaluation error is an error, not a pass;
* the message is ``messageExpression`` when it gives a non-empty string, else ``message``, else
  ``failed expression: <expression>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ekslint.linter.cel.fieldpath import FieldPath, FieldPathError, parse_field_path
from ekslint.linter.cel.program import CelCompileError, CelEvalError, Program, compile_expression
from ekslint.linter.nodes import NodePath

VARIABLE_KEYS = frozenset({"name", "expression"})
VALIDATION_KEYS = frozenset({"expression", "message", "messageExpression", "fieldPath", "reason"})


class SpecError(ValueError):
    """A malformed ``variables`` or ``validations`` entry; the text names its place."""


@dataclass(frozen=True)
class Variable:
    name: str
    program: Program


@dataclass(frozen=True)
class Validation:
    program: Program
    message: str | None = None
    message_program: Program | None = None
    field_path: FieldPath | None = None
    reason: str | None = None

    @property
    def default_message(self) -> str:
        return self.message or f"failed expression: {self.program.source.strip()}"


def compile_at(source: Any, where: str) -> Program:
    try:
        return compile_expression(source)
    except CelCompileError as exc:
        raise SpecError(f"{where}: {exc}") from None


def _mapping(entry: Any, where: str, keys: frozenset[str]) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise SpecError(f"{where} must be a mapping with {', '.join(sorted(keys))}")
    unknown = sorted(set(map(str, entry)) - keys)
    if unknown:
        raise SpecError(f"{where}: unknown key {unknown[0]!r} (keys: {', '.join(sorted(keys))})")
    return entry


def parse_variables(raw: Any, where: str) -> list[Variable]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise SpecError(f"{where} must be a list of {{name, expression}}")
    out: list[Variable] = []
    for n, entry in enumerate(raw):
        here = f"{where}[{n}]"
        entry = _mapping(entry, here, VARIABLE_KEYS)
        name = entry.get("name")
        if not isinstance(name, str) or not name.isidentifier():
            raise SpecError(f"{here}.name must be a CEL identifier (letters, digits, _)")
        if any(v.name == name for v in out):
            raise SpecError(f"{here}.name: variable {name!r} is declared twice")
        program = compile_at(entry.get("expression"), f"{here}.expression")
        _check_variables(program, [v.name for v in out], f"{here}.expression")
        out.append(Variable(name, program))
    return out


def _check_variables(program: Program, declared: list[str], where: str) -> None:
    """``variables.x`` must name a variable declared before (the checker sees only a map)."""
    from ekslint.linter.cel.ast import Ident, Select, walk

    for node in walk(program.tree.root):
        if (
            isinstance(node, Select)
            and isinstance(node.operand, Ident)
            and node.operand.name == "variables"
            and node.field not in declared
        ):
            known = ", ".join(declared) or "none"
            raise SpecError(f"{where}: variables.{node.field} is not declared before it (declared: {known})")


def parse_validations(raw: Any, where: str, variables: list[Variable], *, allow_wildcard: bool) -> list[Validation]:
    if not isinstance(raw, list) or not raw:
        raise SpecError(f"{where} must be a non-empty list of {{expression, message, fieldPath}}")
    names = [v.name for v in variables]
    out: list[Validation] = []
    for n, entry in enumerate(raw):
        here = f"{where}[{n}]"
        entry = _mapping(entry, here, VALIDATION_KEYS)
        program = compile_at(entry.get("expression"), f"{here}.expression")
        _check_variables(program, names, f"{here}.expression")
        message = entry.get("message")
        if message is not None and not isinstance(message, str):
            raise SpecError(f"{here}.message must be a string")
        message_program = None
        if entry.get("messageExpression") is not None:
            message_program = compile_at(entry["messageExpression"], f"{here}.messageExpression")
            _check_variables(message_program, names, f"{here}.messageExpression")
        field_path = None
        if entry.get("fieldPath") is not None:
            try:
                field_path = parse_field_path(entry["fieldPath"], allow_wildcard=allow_wildcard)
            except FieldPathError as exc:
                raise SpecError(f"{here}.fieldPath: {exc}") from None
        reason = entry.get("reason")
        out.append(Validation(program, message, message_program, field_path, str(reason) if reason else None))
    return out


@dataclass
class Bindings:
    """The variables of one evaluation: computed values, and the errors of those that failed."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def compute_variables(variables: list[Variable], inputs: dict[str, Any]) -> Bindings:
    out = Bindings()
    for variable in variables:
        failed = _failed_dependency(variable.program, out)
        if failed:
            out.errors[variable.name] = failed
            continue
        try:
            out.values[variable.name] = variable.program.evaluate(inputs, out.values)
        except CelEvalError as exc:
            out.errors[variable.name] = str(exc)
    return out


def _failed_dependency(program: Program, bindings: Bindings) -> str | None:
    if not bindings.errors or "variables" not in program.identifiers:
        return None
    from ekslint.linter.cel.ast import Ident, Select, walk

    for node in walk(program.tree.root):
        if (
            isinstance(node, Select)
            and isinstance(node.operand, Ident)
            and node.operand.name == "variables"
            and node.field in bindings.errors
        ):
            return f"variable {node.field!r}: {bindings.errors[node.field]}"
    return None


@dataclass(frozen=True)
class Failure:
    """A failed validation: its message and the node paths it points at (one or more)."""

    message: str
    paths: tuple[NodePath, ...]


def evaluate(program: Program, inputs: dict[str, Any], bindings: Bindings) -> Any:
    failed = _failed_dependency(program, bindings)
    if failed:
        raise CelEvalError(failed)
    return program.evaluate(inputs, bindings.values)


def run_validation(
    validation: Validation,
    inputs: dict[str, Any],
    bindings: Bindings,
    recompute: Callable[[dict[str, Any]], Bindings] | None = None,
) -> Failure | None:
    """``None`` when the validation passes, a :class:`Failure` when it fails;
    :class:`CelEvalError` when it cannot say (an error, or a value that is not a bool)."""
    value = evaluate(validation.program, inputs, bindings)
    if value is True:
        return None
    if value is not False:
        raise CelEvalError(f"validation expression must evaluate to bool, not {type(value).__name__}")
    message = validation.default_message
    if validation.message_program is not None:
        try:
            text = evaluate(validation.message_program, inputs, bindings)
        except CelEvalError:
            text = None
        if isinstance(text, str) and text.strip() and "\n" not in text.strip():  # multi-line: discarded
            message = text.strip()
    paths: tuple[NodePath, ...] = ()
    fp = validation.field_path
    if fp is not None:
        paths = (fp.at(),)
        if fp.wildcard is not None:
            paths = _blame(validation, fp, inputs, recompute) or (fp.at(None),)
    return Failure(message, paths)


def _blame(
    validation: Validation,
    fp: FieldPath,
    inputs: dict[str, Any],
    recompute: Callable[[dict[str, Any]], Bindings] | None,
) -> tuple[NodePath, ...]:
    """The items of the ``[*]`` list that fail the validation on their own."""
    obj = inputs.get("object")
    items = _get(obj, fp.list_path)
    if not isinstance(items, list) or len(items) > 1000:
        return ()
    culprits = []
    for i, item in enumerate(items):
        alone = {**inputs, "object": _replace(obj, fp.list_path, [item])}
        bindings = recompute(alone) if recompute is not None else Bindings()
        try:
            if evaluate(validation.program, alone, bindings) is False:
                culprits.append(fp.at(i))
        except CelEvalError:
            continue
    return tuple(culprits)


def _get(node: Any, path: NodePath) -> Any:
    for key in path:
        if isinstance(node, dict) and isinstance(key, str):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            return None
    return node


def _replace(node: Any, path: NodePath, value: Any) -> Any:
    """A copy of ``node`` with ``value`` at ``path`` (only the containers on the path copied)."""
    if not path:
        return value
    key, rest = path[0], path[1:]
    if isinstance(node, dict) and isinstance(key, str):
        return {**node, key: _replace(node.get(key), rest, value)}
    if isinstance(node, list) and isinstance(key, int):
        copy = list(node)
        copy[key] = _replace(node[key], rest, value)
        return copy
    return node
