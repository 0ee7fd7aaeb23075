"""Evaluate HCL expressions statically: literals, references, functions, ``for``, templates.

This is the part of Terraform's language a linter needs to know what a configuration asks AWS
for: ``var.x`` resolved from defaults and ``.tfvars``, ``local.y``, ``count``/``for_each``,
``cidrsubnet(local.vpc_cidr, 4, k)``, ``aws_vpc.main.cidr_block``, ``try(each.value.x, 1)``,
conditionals and templates. Anything that depends on what only ``terraform plan`` knows (a data
source, a computed attribute, a variable nothing sets) evaluates to an
:class:`~ekslint.linter.terraform.values.Unknown`, and unknowns propagate: nothing is guessed.

Why not a library: ``tfparse`` (the evaluator behind Trivy) does all of this, but took 35 s over
``../shared/corpus-iac`` where this module and tree-sitter take about 2 s (``bench/iac.py``
measures both side by side), it returns ``null`` for both "unknown" and "null" (so a rule
cannot tell "unset, the default applies" from "not known"), and it knows positions only per
block. ``python-hcl2`` does not evaluate at all. See the closing note of issue 12.

Evaluation is bounded: a step budget per root module, a depth limit, and size limits in the
functions (:mod:`ekslint.linter.terraform.functions`), so a hostile configuration cannot hang
or exhaust the scan; hitting a bound makes the value unknown.

Values built from literals keep where they were written: lists and objects come back as
:class:`HList`/:class:`HMap`, which carry the file and the position of each item, so a finding
about the third CIDR of a list can point at it.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ekslint.linter.loader import SourceFile
from ekslint.linter.nodes import LMap, Pos
from ekslint.linter.terraform import functions
from ekslint.linter.terraform.hcl import Columns, JsonExpr, node_text
from ekslint.linter.terraform.values import UNKNOWN, EvalError, Unknown, type_name

if TYPE_CHECKING:
    from ekslint.linter.terraform.modules import ModuleInstance

#: Expression nodes evaluated per root module before the rest is taken as unknown.
MAX_STEPS = 2_000_000
#: Nesting of expressions (and of references through locals and variables) evaluated.
MAX_DEPTH = 200
#: Instances of one ``count``/``for_each`` and items of one ``for`` expression.
MAX_ITEMS = 4096
#: Characters of a string built by a template.
MAX_STRING = 1_000_000


class Budget:
    """Steps left for one root module's evaluation, shared by everything evaluated in it."""

    __slots__ = ("exhausted", "steps")

    def __init__(self, steps: int = MAX_STEPS) -> None:
        self.steps = steps
        self.exhausted = False


class HList(list[Any]):
    """A list built from a tuple literal: the file and the position of each item."""

    __slots__ = ("ipos", "src")

    def __init__(self, items: list[Any], src: SourceFile | None = None, ipos: list[Pos] | None = None) -> None:
        super().__init__(items)
        self.src = src
        self.ipos = ipos or []


class HMap(dict[str, Any]):
    """An object built from an object literal: the file and the position of each key and value."""

    __slots__ = ("kpos", "src", "vpos")

    def __init__(
        self,
        items: dict[str, Any],
        src: SourceFile | None = None,
        kpos: dict[str, Pos] | None = None,
        vpos: dict[str, Pos] | None = None,
    ) -> None:
        super().__init__(items)
        self.src = src
        self.kpos = kpos or {}
        self.vpos = vpos or {}


class Lazy:
    """A value whose attributes are computed on demand: a resource instance, a module call,
    the ``var``/``local``/``data`` namespaces."""

    def get_attr(self, name: str) -> Any:
        raise EvalError(f"unsupported attribute {name!r}")

    def get_index(self, key: Any) -> Any:
        raise EvalError("this value cannot be indexed")

    def whole(self) -> Any:
        """The value when used as a whole (passed to a function, compared)."""
        return UNKNOWN


class Scope:
    """What names mean where an expression is evaluated: the module instance, plus ``count``,
    ``each``, ``for`` iterators and ``dynamic`` block iterators."""

    __slots__ = ("module", "names")

    def __init__(self, module: ModuleInstance, names: dict[str, Any] | None = None) -> None:
        self.module = module
        self.names = names or {}

    def bind(self, **names: Any) -> Scope:
        return Scope(self.module, {**self.names, **names})


class _Ctx:
    """The file an expression is in: its bytes (templates are cut from them) and columns."""

    __slots__ = ("cols", "data", "depth", "file", "scope")

    def __init__(self, file: SourceFile, data: bytes, cols: Columns, scope: Scope) -> None:
        self.file = file
        self.data = data
        self.cols = cols
        self.scope = scope
        self.depth = 0


_FILE_DATA: dict[int, tuple[SourceFile, bytes, Columns]] = {}


def file_bytes(file: SourceFile) -> tuple[bytes, Columns]:
    """The UTF-8 bytes of a file's text (tree-sitter positions are byte offsets into them)."""
    found = _FILE_DATA.get(id(file))
    if found is None or found[0] is not file:
        data = file.text.encode("utf-8", "surrogatepass")
        found = _FILE_DATA[id(file)] = (file, data, Columns(data))
    return found[1], found[2]


def forget_files() -> None:
    """Drop the byte copies kept for templates (after a scan)."""
    _FILE_DATA.clear()


# -- entry points ---------------------------------------------------------------------------------


def evaluate(expr: Any, file: SourceFile, scope: Scope) -> Any:
    """The value of an expression; unknown when it cannot be known or Terraform would reject it."""
    try:
        return evaluate_strict(expr, file, scope)
    except EvalError as exc:
        scope.module.ctx.problem(file, expr, str(exc))
        return UNKNOWN
    except (RecursionError, MemoryError, OverflowError, ValueError, TypeError, ZeroDivisionError) as exc:
        scope.module.ctx.problem(file, expr, f"{type(exc).__name__}: {exc}")
        return UNKNOWN


def evaluate_strict(expr: Any, file: SourceFile, scope: Scope) -> Any:
    """Like :func:`evaluate`, but raises :class:`EvalError` where Terraform would fail."""
    if isinstance(expr, JsonExpr):
        return _json_value(expr.value, expr.file, scope, 0)
    data, cols = file_bytes(file)
    return _eval(expr, _Ctx(file, data, cols, scope))


def _json_value(value: Any, file: SourceFile, scope: Scope, depth: int) -> Any:
    """A value of Terraform's JSON syntax: strings are templates, the rest is as written."""
    if depth > MAX_DEPTH:
        raise EvalError("nesting too deep")
    if isinstance(value, str):
        if "${" not in value and "%{" not in value:
            return value
        return _template_string(value, file, scope)
    if isinstance(value, list):
        return HList([_json_value(v, file, scope, depth + 1) for v in value], file, list(getattr(value, "ipos", [])))
    if isinstance(value, dict):
        kpos: dict[str, Pos] = {}
        vpos: dict[str, Pos] = {}
        if isinstance(value, LMap):
            kpos = {k: p for k in value if (p := value.key_pos(k)) is not None}
            vpos = {k: p for k in value if (p := value.value_pos(k)) is not None}
        return HMap({k: _json_value(v, file, scope, depth + 1) for k, v in value.items()}, file, kpos, vpos)
    return value


def _template_string(text: str, file: SourceFile, scope: Scope) -> Any:
    """A JSON-syntax string holding ``${...}``: parsed as an HCL template and evaluated."""
    from ekslint.linter.terraform.hcl import parser

    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    data = f'x = "{escaped}"\n'.encode("utf-8", "surrogatepass")
    tree = parser().parse(data)
    if tree.root_node.has_error:
        raise EvalError("invalid template")
    body = tree.root_node.children[0]
    attr = body.children[0]
    expr = next(c for c in attr.children if c.type == "expression")
    ctx = _Ctx(file, data, Columns(data), scope)
    return _eval(expr, ctx)


# -- the evaluator --------------------------------------------------------------------------------


def _tick(ctx: _Ctx) -> None:
    budget = ctx.scope.module.ctx.budget
    budget.steps -= 1
    if budget.steps <= 0:
        budget.exhausted = True
        raise EvalError("evaluation budget exhausted")


def _eval(node: Any, ctx: _Ctx) -> Any:
    _tick(ctx)
    ctx.depth += 1
    try:
        if ctx.depth > MAX_DEPTH:
            raise EvalError("expression nested too deeply")
        handler = _HANDLERS.get(node.type)
        if handler is None:
            raise EvalError(f"unsupported expression {node.type}")
        return handler(node, ctx)
    finally:
        ctx.depth -= 1


def _expression(node: Any, ctx: _Ctx) -> Any:
    children = [c for c in node.children if c.type != "comment"]
    if not children:
        raise EvalError("empty expression")
    if children[0].type == "(":
        value = _eval(children[1], ctx)
        rest = children[3:]
    else:
        first = children[0]
        if first.type == "variable_expr":
            value, rest = _reference(first, children[1:], ctx)
        else:
            value, rest = _eval(first, ctx), children[1:]
    for op in rest:
        value = _postfix(value, op, ctx)
    return value


def _reference(var_node: Any, rest: list[Any], ctx: _Ctx) -> tuple[Any, list[Any]]:
    """A name and the attribute accesses after it: ``var.x``, ``aws_subnet.a[0].id``, ``k``."""
    name = node_text(var_node.children[0]) if var_node.children else node_text(var_node)
    scope = ctx.scope
    if name in scope.names:
        return scope.names[name], rest
    module = scope.module
    namespaces: dict[str, Callable[[], Any]] = {
        "var": lambda: _Namespace("var", module.var),
        "local": lambda: _Namespace("local", module.local),
        "module": lambda: _Namespace("module", module.module_call),
        "data": lambda: _DataNamespace(module),
        # Terraform runs in the root module's folder: path.root is ".", path.module is the module's
        # folder relative to it, path.cwd the folder itself (basename(path.cwd) names many clusters).
        "path": lambda: {
            "module": os.path.relpath(module.dir.path, module.root.dir.path),
            "root": ".",
            "cwd": module.root.dir.path,
        },
        "terraform": lambda: {"workspace": Unknown("terraform.workspace")},
    }
    if name in namespaces:
        return namespaces[name](), rest
    if name in ("count", "each", "self"):
        raise EvalError(f"{name} is not available here")
    return _Namespace(name, lambda rname: module.resource(name, rname)), rest


class _Namespace(Lazy):
    """``var``, ``local``, ``module`` or a resource type: ``X.name`` looks ``name`` up."""

    def __init__(self, label: str, lookup: Callable[[str], Any]) -> None:
        self.label = label
        self.lookup = lookup

    def get_attr(self, name: str) -> Any:
        return self.lookup(name)


class _DataNamespace(Lazy):
    """``data.TYPE.NAME``: never known statically, but the same data source is the same unknown
    (``data.aws_availability_zones.available.names[0]`` twice is one AZ)."""

    def __init__(self, module: ModuleInstance) -> None:
        self.module = module

    def get_attr(self, name: str) -> Any:
        prefix = f"{self.module.address}." if self.module.address else ""
        return _DataType(f"{prefix}data.{name}", self.module, name)


class _DataType(Lazy):
    def __init__(self, key: str, module: ModuleInstance, type_: str) -> None:
        self.key = key
        self.module = module
        self.type = type_

    def get_attr(self, name: str) -> Any:
        return self.module.data_source(self.type, name)


def _postfix(value: Any, op: Any, ctx: _Ctx) -> Any:
    kind = op.type
    if kind == "get_attr":
        return get_attr(value, node_text(op.children[-1]))
    if kind == "index":
        inner = op.children[0]
        if inner.type == "legacy_index":
            key: Any = node_text(inner).lstrip(".")
            key = int(key) if key.isdigit() else key
        else:
            expr = next(c for c in inner.children if c.type == "expression")
            key = _eval(expr, ctx)
        return get_index(value, key)
    if kind == "splat":
        splat = op.children[0]
        ops = [c for c in splat.children if c.type in ("get_attr", "index")]
        return _splat(value, ops, ctx)
    if kind == "comment":
        return value
    raise EvalError(f"unsupported operation {kind}")


def get_attr(value: Any, name: str) -> Any:
    if isinstance(value, Lazy):
        return value.get_attr(name)
    if isinstance(value, dict):
        if name in value:
            return value[name]
        raise EvalError(f"no attribute {name!r}")
    if isinstance(value, Unknown):
        return Unknown(f"{value.key}.{name}") if value.key else UNKNOWN
    if value is None:
        raise EvalError(f"attribute {name!r} of null")
    raise EvalError(f"a {type_name(value)} has no attribute {name!r}")


def get_index(value: Any, key: Any) -> Any:
    if isinstance(key, Unknown):
        return UNKNOWN
    if isinstance(value, Lazy):
        return value.get_index(key)
    if isinstance(value, list):
        n = functions.to_number(key)
        if isinstance(n, float) and not n.is_integer():
            raise EvalError("a list index must be a whole number")
        i = int(n)
        if not 0 <= i < len(value):
            raise EvalError(f"index {i} out of range for a list of {len(value)}")
        return value[i]
    if isinstance(value, dict):
        k = functions.to_string(key)
        if k in value:
            return value[k]
        raise EvalError(f"no element {k!r}")
    if isinstance(value, Unknown):
        return Unknown(f"{value.key}[{key}]") if value.key else UNKNOWN
    if value is None:
        raise EvalError("index of null")
    raise EvalError(f"a {type_name(value)} cannot be indexed")


def _splat(value: Any, ops: list[Any], ctx: _Ctx) -> Any:
    if value is None:
        return HList([])
    if isinstance(value, Unknown):
        return UNKNOWN
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        for op in ops:
            item = _postfix(item, op, ctx)
        out.append(item)
    return HList(out)


# -- literals and templates -----------------------------------------------------------------------


def _literal(node: Any, ctx: _Ctx) -> Any:
    child = node.children[0]
    kind = child.type
    if kind == "numeric_lit":
        return _number(node_text(child))
    if kind == "bool_lit":
        return node_text(child) == "true"
    if kind == "null_lit":
        return None
    if kind == "string_lit":
        return "".join(_unescape(node_text(c)) for c in child.children if c.type == "template_literal")
    raise EvalError(f"unsupported literal {kind}")


def _number(text: str) -> int | float:
    if len(text) > 400:
        raise EvalError("number literal too long")
    if re.fullmatch(r"\d+", text):
        return int(text)
    result: int | float = functions.number_result(float(text))
    return result


_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    """A quoted string's escapes: ``\\n``, ``\\"``, ``\\u00e9``, ``$${`` and ``%%{``."""
    if "\\" not in text and "$${" not in text and "%%{" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        whole = m.group(0)
        if whole == "$${":
            return "${"
        if whole == "%%{":
            return "%{"
        esc = m.group(1)
        if esc in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[esc]
        if esc[0] in "uU" and len(esc) > 1:
            code = int(esc[1:], 16)
            return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return whole

    return _ESCAPE.sub(sub, text)


def _template_expr(node: Any, ctx: _Ctx) -> Any:
    inner = node.children[0]
    if inner.type == "quoted_template":
        start, end = inner.children[0].end_byte, inner.children[-1].start_byte
        parts = _template_parts(inner.children[1:-1], start, end, ctx, quoted=True)
    elif inner.type == "heredoc_template":
        return _heredoc(inner, ctx)
    else:
        raise EvalError(f"unsupported template {inner.type}")
    return _join_parts(parts)


def _heredoc(node: Any, ctx: _Ctx) -> Any:
    children = node.children
    idents = [c for c in children if c.type == "heredoc_identifier"]
    if len(idents) < 2:
        raise EvalError("unterminated heredoc")
    indented = any(c.type == "heredoc_start" and node_text(c).startswith("<<-") for c in children)
    body_start = ctx.data.find(b"\n", idents[0].end_byte)
    body_start = idents[0].end_byte if body_start < 0 else body_start + 1
    close = idents[-1]
    line_start = ctx.data.rfind(b"\n", 0, close.start_byte) + 1
    body_end = max(body_start, line_start)
    inner = [c for c in children if c.type in ("template_interpolation", "template_directive")]
    parts = _template_parts(inner, body_start, body_end, ctx, quoted=False)
    if indented:
        raw = ctx.data[body_start:body_end].decode("utf-8", "replace")
        lines = [ln for ln in raw.split("\n") if ln.strip()]
        indent = min((len(ln) - len(ln.lstrip(" ")) for ln in lines), default=0)
        parts = _dedent(parts, indent)
    return _join_parts(parts)


def _dedent(parts: list[Any], indent: int) -> list[Any]:
    if indent <= 0:
        return parts
    out: list[Any] = []
    at_line_start = True
    for part in parts:
        if not isinstance(part, _Text):
            out.append(part)
            at_line_start = False
            continue
        lines = part.text.split("\n")
        fixed = []
        for i, line in enumerate(lines):
            if i > 0 or at_line_start:
                strip = min(indent, len(line) - len(line.lstrip(" ")))
                line = line[strip:]
            fixed.append(line)
        out.append(_Text("\n".join(fixed)))
        at_line_start = part.text.endswith("\n")
    return out


class _Text:
    """A literal piece of a template (as opposed to an interpolated value)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _template_parts(children: list[Any], start: int, end: int, ctx: _Ctx, *, quoted: bool) -> list[Any]:
    """The pieces of a template between byte offsets ``start`` and ``end``: literal text (cut
    from the file, so no whitespace is lost) and the values of interpolations and directives."""
    parts: list[Any] = []
    at = start
    strip_next = False
    for child in children:
        if child.type not in ("template_interpolation", "template_directive"):
            continue
        text = ctx.data[at : child.start_byte].decode("utf-8", "replace")
        if quoted:
            text = _unescape(text)
        elif "$${" in text or "%%{" in text:
            text = text.replace("$${", "${").replace("%%{", "%{")
        if strip_next:
            text = text.lstrip()
        markers = [c for c in child.children if c.type == "strip_marker"]
        strip_before = bool(markers) and markers[0].start_byte < _first_expr_byte(child)
        if strip_before:
            text = text.rstrip()
        parts.append(_Text(text))
        strip_next = bool(markers) and markers[-1].start_byte > _first_expr_byte(child)
        if child.type == "template_interpolation":
            expr = next((c for c in child.children if c.type == "expression"), None)
            if expr is None:
                raise EvalError("empty interpolation")
            parts.append(_eval(expr, ctx))
        else:
            parts.append(_Text(_directive(child.children[0], ctx, quoted=quoted)))
        at = child.end_byte
    text = ctx.data[at:end].decode("utf-8", "replace")
    text = _unescape(text) if quoted else text.replace("$${", "${").replace("%%{", "%{")
    parts.append(_Text(text.lstrip() if strip_next else text))
    return parts


def _first_expr_byte(node: Any) -> int:
    start: int = next((c.start_byte for c in node.children if c.type == "expression"), node.end_byte)
    return start


def _join_parts(parts: list[Any]) -> Any:
    values = [p for p in parts if not isinstance(p, _Text)]
    texts = [p.text for p in parts if isinstance(p, _Text)]
    if len(values) == 1 and not "".join(texts):  # "${x}" is x itself, not its string form
        return values[0]
    out: list[str] = []
    size = 0
    for p in parts:
        if isinstance(p, _Text):
            piece = p.text
        elif isinstance(p, Unknown):
            return UNKNOWN
        elif p is None:
            raise EvalError("cannot interpolate null")
        elif isinstance(p, (list, dict, Lazy)):
            raise EvalError("cannot interpolate a collection")
        else:
            piece = functions.to_string(p)
        size += len(piece)
        if size > MAX_STRING:
            raise EvalError("template result too long")
        out.append(piece)
    return "".join(out)


def _directive(node: Any, ctx: _Ctx, *, quoted: bool) -> str:
    """``%{ if }`` and ``%{ for }``: their output as text (unknown conditions are unknown)."""
    kind = node.type
    if kind == "template_if":
        intro = node.children[0]
        cond_expr = next(c for c in intro.children if c.type == "expression")
        cond = _eval(cond_expr, ctx)
        if isinstance(cond, Unknown):
            raise _UnknownText()
        truth = functions.to_bool(cond)
        else_node = next((c for c in node.children if c.type == "template_else_intro"), None)
        end_node = node.children[-1]
        if truth:
            body_end = else_node.start_byte if else_node is not None else end_node.start_byte
            body = [c for c in node.children[1:] if c.end_byte <= body_end]
            parts = _template_parts(body, intro.end_byte, body_end, ctx, quoted=quoted)
        elif else_node is not None:
            body = [c for c in node.children if c.start_byte >= else_node.end_byte and c is not end_node]
            parts = _template_parts(body, else_node.end_byte, end_node.start_byte, ctx, quoted=quoted)
        else:
            return ""
        return _text_of(parts)
    if kind == "template_for":
        start_node, end_node = node.children[0], node.children[-1]
        names = [node_text(c) for c in start_node.children if c.type == "identifier"]
        coll_expr = next(c for c in start_node.children if c.type == "expression")
        coll = _eval(coll_expr, ctx)
        body = node.children[1:-1]
        out: list[str] = []
        for key, value in _iterate(coll):
            bound = ctx.scope.bind(**_for_names(names, key, value))
            inner = _Ctx(ctx.file, ctx.data, ctx.cols, bound)
            inner.depth = ctx.depth
            out.append(_text_of(_template_parts(body, start_node.end_byte, end_node.start_byte, inner, quoted=quoted)))
            if sum(map(len, out)) > MAX_STRING:
                raise EvalError("template result too long")
        return "".join(out)
    raise EvalError(f"unsupported directive {kind}")


class _UnknownText(EvalError):
    """A directive whose output depends on an unknown value."""


def _text_of(parts: list[Any]) -> str:
    value = _join_parts([*parts, _Text("")])
    if isinstance(value, Unknown):
        raise _UnknownText()
    text: str = functions.to_string(value)
    return text


# -- collections, for, conditionals, operators, functions ----------------------------------------


def _collection(node: Any, ctx: _Ctx) -> Any:
    inner = node.children[0]
    if inner.type == "tuple":
        items = [c for c in inner.children if c.type == "expression"]
        return HList([_eval(c, ctx) for c in items], ctx.file, [ctx.cols.pos(c.start_point) for c in items])
    out: dict[str, Any] = {}
    kpos: dict[str, Pos] = {}
    vpos: dict[str, Pos] = {}
    for elem in inner.children:
        if elem.type != "object_elem":
            continue
        exprs = [c for c in elem.children if c.type == "expression"]
        if len(exprs) != 2:
            continue
        key = _object_key(exprs[0], ctx)
        if isinstance(key, Unknown):
            return UNKNOWN
        out[key] = _eval(exprs[1], ctx)
        kpos[key] = ctx.cols.pos(exprs[0].start_point)
        vpos[key] = ctx.cols.pos(exprs[1].start_point)
    return HMap(out, ctx.file, kpos, vpos)


def _object_key(expr: Any, ctx: _Ctx) -> Any:
    """An object key: a bare name is the name itself (``{a = 1}``), anything else is evaluated."""
    children = [c for c in expr.children if c.type != "comment"]
    if len(children) == 1 and children[0].type == "variable_expr":
        return node_text(children[0])
    value = _eval(expr, ctx)
    if isinstance(value, Unknown):
        return value
    return functions.to_string(value)


def _iterate(coll: Any) -> list[tuple[Any, Any]]:
    """``for`` over a collection: (index, item) of a list, (key, value) of a map in key order."""
    if isinstance(coll, Unknown):
        raise _UnknownCollection()
    if isinstance(coll, list):
        pairs: list[tuple[Any, Any]] = list(enumerate(coll))
    elif isinstance(coll, dict):
        pairs = [(k, coll[k]) for k in sorted(coll)]
    elif coll is None:
        raise EvalError("cannot iterate over null")
    else:
        raise EvalError(f"cannot iterate over a {type_name(coll)}")
    if len(pairs) > MAX_ITEMS:
        raise EvalError(f"more than {MAX_ITEMS} items")
    return pairs


class _UnknownCollection(EvalError):
    """A ``for`` over an unknown collection: the result is unknown, not an error."""


def _for_names(names: list[str], key: Any, value: Any) -> dict[str, Any]:
    if len(names) >= 2:
        return {names[0]: key, names[1]: value}
    return {names[0]: value} if names else {}


def _for(node: Any, ctx: _Ctx) -> Any:
    inner = node.children[0]
    intro = next(c for c in inner.children if c.type == "for_intro")
    names = [node_text(c) for c in intro.children if c.type == "identifier"]
    coll_expr = next(c for c in intro.children if c.type == "expression")
    exprs = [c for c in inner.children if c.type == "expression"]
    cond = next((c for c in inner.children if c.type == "for_cond"), None)
    cond_expr = next((c for c in cond.children if c.type == "expression"), None) if cond is not None else None
    grouping = any(c.type == "ellipsis" for c in inner.children)
    try:
        pairs = _iterate(_eval(coll_expr, ctx))
    except _UnknownCollection:
        return UNKNOWN
    outer = ctx.scope
    items: list[tuple[Any, Any]] = []
    try:
        for key, value in pairs:
            ctx.scope = outer.bind(**_for_names(names, key, value))
            if cond_expr is not None:
                keep = _eval(cond_expr, ctx)
                if isinstance(keep, Unknown):
                    return UNKNOWN
                if not functions.to_bool(keep):
                    continue
            if inner.type == "for_tuple_expr":
                items.append((None, _eval(exprs[0], ctx)))
            else:
                k = _eval(exprs[0], ctx)
                if isinstance(k, Unknown):
                    return UNKNOWN
                items.append((functions.to_string(k), _eval(exprs[1], ctx)))
    finally:
        ctx.scope = outer
    if inner.type == "for_tuple_expr":
        return HList([v for _, v in items])
    out: dict[str, Any] = {}
    for k, v in items:
        if grouping:
            out.setdefault(k, HList([])).append(v)
        elif k in out:
            raise EvalError(f"duplicate key {k!r} in a for expression")
        else:
            out[k] = v
    return HMap(out)


def _conditional(node: Any, ctx: _Ctx) -> Any:
    return _choose(_chain(node), ctx)


def _chain(node: Any) -> list[Any]:
    """The parts of a chain of conditionals, as HCL groups them: ``[c1, v1, c2, v2, ..., else]``.

    HCL's conditional is right-associative (``a ? b : c ? d : e`` is ``a ? b : (c ? d : e)``),
    but tree-sitter-hcl nests it to the left, ``(a ? b : c) ? d : e``. An unparenthesised
    conditional as the condition is therefore the start of a chain and is spliced back in; a
    parenthesised one (an ``expression`` wrapping an ``expression``) is a real condition.
    """
    parts = [c for c in node.children if c.is_named and c.type != "comment"]
    head = parts[0]
    inner = [c for c in head.children if c.is_named and c.type != "comment"]
    if head.type == "expression" and len(inner) == 1 and inner[0].type == "conditional":
        return _chain(inner[0]) + parts[1:]
    return parts


def _choose(parts: list[Any], ctx: _Ctx) -> Any:
    """Evaluate ``c1 ? v1 : c2 ? v2 : ... : else`` from :func:`_chain`'s parts."""
    if len(parts) == 1:
        return _eval(parts[0], ctx)
    cond = _eval(parts[0], ctx)
    if isinstance(cond, Unknown):
        a, b = _eval_quiet(parts[1], ctx), _choose_quiet(parts[2:], ctx)
        if not isinstance(a, Unknown) and functions.equal(a, b) is True:
            return a
        return UNKNOWN
    return _eval(parts[1], ctx) if functions.to_bool(cond) else _choose(parts[2:], ctx)


def _choose_quiet(parts: list[Any], ctx: _Ctx) -> Any:
    try:
        return _choose(parts, ctx)
    except EvalError:
        return UNKNOWN


def _eval_quiet(node: Any, ctx: _Ctx) -> Any:
    try:
        return _eval(node, ctx)
    except EvalError:
        return UNKNOWN


def _operation(node: Any, ctx: _Ctx) -> Any:
    return _eval(node.children[0], ctx)


def _term(nodes: list[Any], ctx: _Ctx) -> Any:
    """An operand of a unary or binary operation. tree-sitter-hcl does not wrap a reference
    operand in an ``expression`` node: ``var.k != null`` is the children ``variable_expr``,
    ``get_attr``, ``!=``, ``literal_value``, so the name and its accessors are read here."""
    parts = [c for c in nodes if c.type != "comment"]
    if not parts:
        raise EvalError("missing operand")
    first = parts[0]
    if first.type == "variable_expr":
        value, rest = _reference(first, parts[1:], ctx)
    else:
        value, rest = _eval(first, ctx), parts[1:]
    for op in rest:
        value = _postfix(value, op, ctx)
    return value


def _unary(node: Any, ctx: _Ctx) -> Any:
    op = node_text(node.children[0])
    value = _whole(_term(node.children[1:], ctx))
    if isinstance(value, Unknown):
        return UNKNOWN
    if op == "-":
        return functions.number_result(-functions.to_number(value))
    if op == "!":
        return not functions.to_bool(value)
    raise EvalError(f"unsupported operator {op}")


_LOGICAL = ("&&", "||")


def _binary(node: Any, ctx: _Ctx) -> Any:
    children = node.children
    at = next(i for i, c in enumerate(children) if not c.is_named and c.type not in ("(", ")"))
    op = children[at].type
    operands = (children[:at], children[at + 1 :])
    left = _whole(_term(operands[0], ctx))
    if op in _LOGICAL:
        if not isinstance(left, Unknown):
            lv = functions.to_bool(left)
            if (op == "&&" and not lv) or (op == "||" and lv):
                return lv
        right = _whole(_term(operands[1], ctx))
        if isinstance(right, Unknown):
            return UNKNOWN
        rv = functions.to_bool(right)
        if isinstance(left, Unknown):
            return rv if (op == "&&" and not rv) or (op == "||" and rv) else UNKNOWN
        return rv
    right = _whole(_term(operands[1], ctx))
    if op in ("==", "!="):
        eq = functions.equal(left, right)
        if isinstance(eq, Unknown):
            return UNKNOWN
        return eq if op == "==" else not eq
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        return UNKNOWN
    a, b = functions.to_number(left), functions.to_number(right)
    if op == "+":
        return functions.number_result(a + b)
    if op == "-":
        return functions.number_result(a - b)
    if op == "*":
        return functions.number_result(a * b)
    if op == "/":
        if b == 0:
            raise EvalError("division by zero")
        if isinstance(a, int) and isinstance(b, int) and a % b == 0:
            return a // b
        return functions.number_result(a / b)
    if op == "%":
        if b == 0:
            raise EvalError("modulo by zero")
        return functions.number_result(math.fmod(a, b))
    if op == "<":
        return a < b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    if op == ">=":
        return a >= b
    raise EvalError(f"unsupported operator {op}")


def _whole(value: Any) -> Any:
    return value.whole() if isinstance(value, Lazy) else value


def _function_call(node: Any, ctx: _Ctx) -> Any:
    name = node_text(node.children[0])
    args_node = next((c for c in node.children if c.type == "function_arguments"), None)
    arg_nodes = [c for c in args_node.children if c.type == "expression"] if args_node is not None else []
    expand = args_node is not None and any(c.type == "ellipsis" for c in args_node.children)
    if name == "try":
        for arg in arg_nodes:
            try:
                value = _eval(arg, ctx)
            except _UnknownText:
                return UNKNOWN
            except EvalError:
                if ctx.scope.module.ctx.budget.exhausted:
                    raise
                continue
            return UNKNOWN if isinstance(value, Unknown) else value
        raise EvalError("no argument of try() could be evaluated")
    if name == "can":
        if len(arg_nodes) != 1:
            raise EvalError("can() takes one argument")
        try:
            value = _eval(arg_nodes[0], ctx)
        except _UnknownText:
            return UNKNOWN
        except EvalError:
            if ctx.scope.module.ctx.budget.exhausted:
                raise
            return False
        return UNKNOWN if isinstance(value, Unknown) else True
    if "::" in name:
        raise EvalError(f"provider function {name}() is not known statically")
    if name not in functions.FUNCTIONS:
        ctx.scope.module.ctx.unknown_function(ctx.file, ctx.cols.pos(node.start_point), name)
        return UNKNOWN
    args = [_whole(_eval(a, ctx)) for a in arg_nodes]
    return functions.call(name, args, expand)


_HANDLERS: dict[str, Callable[[Any, _Ctx], Any]] = {
    "expression": _expression,
    "literal_value": _literal,
    "template_expr": _template_expr,
    "collection_value": _collection,
    "for_expr": _for,
    "conditional": _conditional,
    "operation": _operation,
    "unary_operation": _unary,
    "binary_operation": _binary,
    "function_call": _function_call,
    "variable_expr": lambda node, ctx: _reference(node, [], ctx)[0],
}
