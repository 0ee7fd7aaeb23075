"""Compiled CEL expressions: compile once at start-up, evaluate with a cost bound per object.

:func:`compile_expression` parses and type-checks an expression in the shared environment
(:mod:`.env`); a syntax or type error is a :class:`CelCompileError` whose message gives the
position in the expression (``1:17``), so that a bad check fails the run at start-up, as a bad
policy is refused by the API server. :meth:`Program.evaluate` hands over only the parts of the
inputs the expression reads (:mod:`.data`), refuses to run what would exceed the cost budget
(:mod:`.cost`), and returns the value or raises :class:`CelEvalError` with CEL's message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cel_expr_python import cel

from ekslint.linter.cel import ast
from ekslint.linter.cel.cost import BUDGET, estimate
from ekslint.linter.cel.data import COPIES, DATA_VARIABLES, Path, TooDeep, path_trie, plain_at, read_paths
from ekslint.linter.cel.env import cel_env

_ERROR = re.compile(r"ERROR: <input>:(-?\d+):(-?\d+): (.*)")
_STATUS = re.compile(r"^[A-Z_]+: ")
#: cel-cpp's wording of a missing key, said as cel-go (the API server) says it.
_NO_KEY = re.compile(r'^Key not found in map ?: "(.*)"$')


def _eval_message(text: str) -> str:
    text = _STATUS.sub("", text.splitlines()[0] if text else "")
    return _NO_KEY.sub(r"no such key: \1", text)


#: The longest expression accepted: the API server caps a whole policy's request at 3 MiB, and
#: an expression is a few hundred characters.
MAX_EXPRESSION = 100_000


class CelCompileError(ValueError):
    """A syntax or type error, with its position in the expression."""


class CelEvalError(ValueError):
    """An evaluation error on one input (a missing field, a bad quantity, a cost over budget)."""


def _compile_message(exc: Exception) -> str:
    text = str(exc)
    found = _ERROR.search(text)
    if found is None:
        return _STATUS.sub("", text.splitlines()[0] if text else type(exc).__name__)
    line, col, message = found.groups()
    if int(line) < 1:  # no position (a nesting limit, say)
        return message.strip()
    return f"at {line}:{col}: {message.strip()}"


@dataclass
class Program:
    """One compiled expression, with what it reads and what it uses."""

    source: str
    expression: Any
    tree: ast.Checked
    reads: dict[str, set[Path]] = field(default_factory=dict)
    #: Identifiers and functions the expression uses (``authorizer``, ``oldObject``…).
    identifiers: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()
    #: For the quick cost bound: nodes, nesting of loops (comprehensions and ``replace``, the one
    #: function whose result can outgrow its inputs), and the longest literal list or string.
    nodes: int = 1
    depth: int = 0
    longest_literal: int = 0
    #: :attr:`reads` as tries, made once (``None``: the whole input).
    tries: dict[str, Any] = field(default_factory=dict)

    def quick_bound(self, longest: int) -> int:
        """An upper bound of the cost that takes no walk of the tree: every node at most once
        per iteration of each enclosing loop, over at most ``longest`` items, and the work of a
        function at most the length it traverses."""
        n = max(longest, self.longest_literal, 2)
        return int(self.nodes * n ** (self.depth + 1))

    def evaluate(self, inputs: dict[str, Any], variables: dict[str, Any] | None = None) -> Any:
        """The value of the expression on ``inputs`` (loader trees or plain data, by variable;
        a scan's cache of copies under :data:`~ekslint.linter.cel.data.COPIES`)."""
        data: dict[str, Any] = {}
        longest = 0
        copies = inputs.get(COPIES)
        tries = self.tries
        for name, value in inputs.items():
            if name not in self.identifiers:
                continue
            try:
                converted = plain_at(value, tries.get(name), copies)
            except TooDeep as exc:
                raise CelEvalError(f"{name}: {exc}") from None
            data[name] = converted.value
            longest = max(longest, converted.longest)
        if variables is not None and "variables" in self.identifiers:
            data["variables"] = variables
            longest = max([longest, *(len(v) for v in variables.values() if isinstance(v, (str, list, dict)))])
        cost = 0 if self.quick_bound(longest) <= BUDGET else estimate(self.tree.root, data, longest)
        if cost > BUDGET:
            raise CelEvalError(
                f"the expression's estimated cost on this object ({cost:,} units) exceeds the budget of {BUDGET:,}; "
                "not evaluated"
            )
        try:
            value = self.expression.eval(data=data)
        except (RuntimeError, ValueError, TypeError) as exc:  # a value CEL cannot take or give back
            raise CelEvalError(_eval_message(str(exc))) from None
        if value.type() == cel.Type.ERROR:
            raise CelEvalError(_eval_message(str(value.value())))
        try:
            return value.plain_value()
        except (RuntimeError, TypeError) as exc:  # an optional or a type value at the top
            raise CelEvalError(f"the expression's value cannot be read: {exc}".splitlines()[0]) from None


def compile_expression(source: Any) -> Program:
    """Compile and type-check ``source``; :class:`CelCompileError` says what and where."""
    if not isinstance(source, str) or not source.strip():
        raise CelCompileError("must be a non-empty string of CEL")
    if len(source) > MAX_EXPRESSION:
        raise CelCompileError(f"longer than {MAX_EXPRESSION:,} characters")
    try:
        expression = cel_env().compile(source)
    except (RuntimeError, ValueError) as exc:
        raise CelCompileError(_compile_message(exc)) from None
    tree = ast.parse_checked(expression.serialize())
    nodes = list(ast.walk(tree.root))
    identifiers = frozenset(n.name for n in nodes if isinstance(n, ast.Ident))
    functions = frozenset(n.function for n in nodes if isinstance(n, ast.Call))
    program = Program(source, expression, tree, read_paths(tree.root), identifiers, functions, len(nodes))
    program.tries = {name: path_trie(paths) for name, paths in program.reads.items() if name in DATA_VARIABLES}
    program.depth = _loop_depth(tree.root)
    program.longest_literal = max(
        [
            len(n.elements) if isinstance(n, ast.ListExpr) else len(n.value)
            for n in nodes
            if isinstance(n, ast.ListExpr) or (isinstance(n, ast.Const) and isinstance(n.value, (str, bytes)))
        ],
        default=0,
    )
    for node in nodes:
        _check_constant_regex(node)
    cost = estimate(tree.root, {}, 1)
    if cost > BUDGET:
        raise CelCompileError(f"estimated cost {cost:,} exceeds the budget of {BUDGET:,} before reading any input")
    return program


def _loop_depth(root: ast.Expr) -> int:
    """The deepest nesting of comprehensions and ``replace`` calls."""
    deepest = 0
    stack: list[tuple[ast.Expr, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.Comprehension) or (isinstance(node, ast.Call) and node.function == "replace"):
            depth += 1
            deepest = max(deepest, depth)
        stack += [(child, depth) for child in ast.children(node)]
    return deepest


def _check_constant_regex(node: ast.Expr) -> None:
    """A constant pattern that RE2 refuses is a compile error, as cel-go reports it."""
    if not isinstance(node, ast.Call) or node.function not in ("matches", "find", "findAll"):
        return
    pattern = node.args[0] if node.target is not None and node.args else node.args[1] if len(node.args) > 1 else None
    if isinstance(pattern, ast.Const) and isinstance(pattern.value, str):
        from ekslint.linter.cel.library.lists import compile_re2

        try:
            compile_re2(pattern.value)
        except ValueError as exc:
            raise CelCompileError(f"{exc} in {node.function}()") from None
