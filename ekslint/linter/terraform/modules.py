"""Terraform modules: folders of ``.tf`` files, and their instances with variables bound.

A folder is a module; a folder that no other scanned folder calls (``source = "./..."``) is a
*root* module, evaluated with its variable defaults, ``terraform.tfvars``,
``terraform.tfvars.json``, ``*.auto.tfvars(.json)`` (in that order, as Terraform reads them) and
``--var-file`` files. A root's calls to local modules are followed, binding the call's
arguments to the child's variables, so a cluster defined in ``modules/eks`` is judged with the
values the root gives it. Registry modules are not downloaded: ``terraform-aws-modules/eks`` and
``terraform-aws-modules/vpc`` are known to :mod:`ekslint.linter.terraform.registry`, every other
one only gives unknown outputs. Resources, data sources and locals are evaluated lazily, when a
rule asks for something that depends on them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ekslint.linter.cluster.model import Site
from ekslint.linter.loader import SourceFile
from ekslint.linter.nodes import Pos
from ekslint.linter.terraform import functions
from ekslint.linter.terraform.evaluate import MAX_ITEMS, Budget, Lazy, Scope, evaluate
from ekslint.linter.terraform.hcl import Attr, Block, HclFile, JsonExpr, node_text
from ekslint.linter.terraform.types import ANY, convert, parse_type
from ekslint.linter.terraform.values import UNKNOWN, EvalError, Ref, Unknown

#: How deep local module calls are followed (a loop is stopped where it closes).
MAX_MODULE_DEPTH = 16
LOCAL_SOURCE = re.compile(r"^\.\.?(?:[/\\]|$)")
#: What Terraform loads by itself, in precedence order (later wins): the files of a root module.
AUTO_TFVARS = ("terraform.tfvars", "terraform.tfvars.json")

MISSING: Any = object()


@dataclass(eq=False)
class ModuleDir:
    """The declarations of one folder's ``.tf`` files."""

    path: str
    display: str
    files: list[HclFile] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attr] = field(default_factory=dict)
    resources: dict[str, dict[str, Block]] = field(default_factory=dict)
    data: dict[str, dict[str, Block]] = field(default_factory=dict)
    modules: dict[str, Block] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    #: ``.tfvars`` Terraform loads itself, in precedence order.
    auto_tfvars: list[HclFile] = field(default_factory=list)
    #: Other ``.tfvars`` files of the folder (used only with ``--var-file``).
    other_tfvars: list[HclFile] = field(default_factory=list)
    #: Some scanned folder calls this one as a local module.
    called: bool = False
    #: The folder's files (name, source), and the real paths of the local modules it calls:
    #: what stays known while it is unloaded (see :meth:`ekslint.linter.terraform.load.Loader.folder`).
    entries: list[tuple[str, SourceFile]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    has_terraform: bool = False
    loaded: bool = False

    def clear(self) -> None:
        """Forget the parsed files and declarations."""
        self.files, self.auto_tfvars, self.other_tfvars = [], [], []
        self.variables, self.locals, self.resources, self.data, self.modules, self.outputs = {}, {}, {}, {}, {}, {}
        self.loaded = False

    @property
    def home(self) -> SourceFile | None:
        return self.files[0].source if self.files else None

    def add(self, parsed: HclFile) -> None:
        body = parsed.body
        if body is None:
            return
        self.files.append(parsed)
        for block in body.blocks:
            kind, labels = block.type, block.labels
            if kind == "variable" and labels:
                self.variables.setdefault(labels[0], block)
            elif kind == "locals":
                for name, attr in block.attrs.items():
                    self.locals.setdefault(name, attr)
            elif kind == "resource" and len(labels) >= 2:
                self.resources.setdefault(labels[0], {}).setdefault(labels[1], block)
            elif kind == "data" and len(labels) >= 2:
                self.data.setdefault(labels[0], {}).setdefault(labels[1], block)
            elif kind == "module" and labels:
                self.modules.setdefault(labels[0], block)
            elif kind == "output" and labels:
                self.outputs.setdefault(labels[0], block)

    def local_sources(self) -> Iterator[tuple[Block, str]]:
        """``(module block, real path of its folder)`` for every call to a local module."""
        for block in self.modules.values():
            source = literal_string(block.attrs.get("source"))
            if source is not None and LOCAL_SOURCE.match(source):
                yield block, os.path.realpath(os.path.join(self.path, source))


def literal_string(attr: Attr | None) -> str | None:
    """The text of an attribute written as a plain string literal (``source``, ``version``)."""
    if attr is None:
        return None
    if isinstance(attr.expr, JsonExpr):
        return attr.expr.value if isinstance(attr.expr.value, str) else None
    node = attr.expr
    while node.type == "expression" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type == "literal_value" and node.children[0].type == "string_lit":
        return "".join(node_text(c) for c in node.children[0].children if c.type == "template_literal")
    if node.type == "template_expr":
        inner = node.children[0]
        if all(c.type in ("quoted_template_start", "quoted_template_end", "template_literal") for c in inner.children):
            return "".join(node_text(c) for c in inner.children if c.type == "template_literal")
    return None


class Context:
    """One root module's evaluation: its budget, and what it tells the user."""

    def __init__(self, dirs: dict[str, ModuleDir], notes: list[str], var_files: list[HclFile]) -> None:
        self.dirs = dirs
        self.notes = notes
        self.var_files = var_files
        self.budget = Budget()
        self.problems = 0
        self._said: set[str] = set()

    def say(self, text: str) -> None:
        if text not in self._said:
            self._said.add(text)
            self.notes.append(text)

    def problem(self, file: SourceFile, expr: Any, message: str) -> None:
        """An expression Terraform would reject, or that ran into a bound: its value is unknown."""
        self.problems += 1
        if self.budget.exhausted:
            self.say(f"{file.display}: evaluation stopped at its step budget; the rest is taken as unknown")

    def unknown_function(self, file: SourceFile, pos: Pos, name: str) -> None:
        self.say(f"{file.display}:{pos.line}: unknown function {name}(); its value is taken as unknown")


# -- module instances -----------------------------------------------------------------------------


class ModuleInstance:
    """A module with its variables bound: the root, or a local module called from another."""

    def __init__(
        self,
        dir: ModuleDir,
        ctx: Context,
        *,
        address: str = "",
        parent: ModuleInstance | None = None,
        call: ModuleCall | None = None,
    ) -> None:
        self.dir = dir
        self.ctx = ctx
        self.address = address
        self.parent = parent
        self.call = call
        self.depth: int = 0 if parent is None else parent.depth + 1
        self.scope = Scope(self)
        self._vars: dict[str, Any] = {}
        self._locals: dict[str, Any] = {}
        self._resources: dict[tuple[str, str], Any] = {}
        self._modules: dict[str, Any] = {}
        self._outputs: dict[str, Any] = {}
        self._busy: set[tuple[str, str]] = set()

    @property
    def root(self) -> ModuleInstance:
        return self if self.parent is None else self.parent.root

    def prefix(self) -> str:
        return f"{self.address}." if self.address else ""

    def _guard(self, kind: str, name: str) -> None:
        if (kind, name) in self._busy:
            raise EvalError(f"{kind}.{name} refers to itself")

    # -- variables
    def _input(self, name: str) -> tuple[Any, Attr | None, Scope | None]:
        """The value given for variable ``name`` (MISSING when none), the attribute giving it and
        the scope it is evaluated in: the caller's argument, or the root's ``.tfvars``."""
        if self.call is not None:
            attr = self.call.block.attrs.get(name)
            if attr is None:
                return MISSING, None, None
            return evaluate(attr.expr, attr.file, self.call.scope), attr, self.call.scope
        found: tuple[Any, Attr | None, Scope | None] = (MISSING, None, None)
        for tfvars in [*self.dir.auto_tfvars, *self.ctx.var_files]:
            attr = tfvars.attrs.get(name)
            if attr is not None:
                found = (evaluate(attr.expr, attr.file, Scope(self)), attr, None)
        return found

    def var(self, name: str) -> Any:
        if name in self._vars:
            return self._vars[name]
        block = self.dir.variables.get(name)
        if block is None:
            raise EvalError(f"no variable {name!r} is declared")
        self._guard("var", name)
        self._busy.add(("var", name))
        try:
            value, _, _ = self._input(name)
            default = block.attrs.get("default")
            if value is MISSING or (value is None and _not_nullable(block)):
                value = evaluate(default.expr, default.file, Scope(self)) if default is not None else MISSING
            if value is MISSING:
                value = Unknown(f"{self.prefix()}var.{name}")  # a required variable nothing sets
            type_attr = block.attrs.get("type")
            vtype = ANY if type_attr is None or isinstance(type_attr.expr, JsonExpr) else parse_type(type_attr.expr)
            if vtype is not ANY:
                file = block.file
                value = convert(value, vtype, lambda node: evaluate(node, file, Scope(self)))
        finally:
            self._busy.discard(("var", name))
        self._vars[name] = value
        return value

    def var_origin(self, name: str) -> Site | None:
        """Where variable ``name``'s value is written: a ``.tfvars`` line, the caller's argument (or
        further up, where that comes from), or the variable's default."""
        block = self.dir.variables.get(name)
        if block is None:
            return None
        given, attr, scope = self._input(name)
        if given is not MISSING and attr is not None:
            if scope is not None:
                deeper = trace(attr.expr, attr.file, scope)
                if deeper is not None:
                    return deeper
            return attr_site(attr)
        default = block.attrs.get("default")
        return attr_site(default) if default is not None else None

    # -- locals
    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        attr = self.dir.locals.get(name)
        if attr is None:
            raise EvalError(f"no local value {name!r}")
        self._guard("local", name)
        self._busy.add(("local", name))
        try:
            value = evaluate(attr.expr, attr.file, self.scope)
        finally:
            self._busy.discard(("local", name))
        self._locals[name] = value
        return value

    # -- resources and data sources
    def resource(self, type_: str, name: str) -> Any:
        key = (type_, name)
        if key in self._resources:
            return self._resources[key]
        block = self.dir.resources.get(type_, {}).get(name)
        if block is None:
            raise EvalError(f"no resource {type_}.{name}")
        self._guard(type_, name)
        self._busy.add(key)
        try:
            value = _expand(block, self.scope, lambda suffix, bound: Instance(self, type_, name, block, suffix, bound))
        finally:
            self._busy.discard(key)
        self._resources[key] = value
        return value

    def instances(self, type_: str) -> Iterator[Instance]:
        """Every known instance of every resource of ``type_`` in this module."""
        for name in self.dir.resources.get(type_, {}):
            value = self.resource(type_, name)
            for item in value if isinstance(value, list) else value.values() if isinstance(value, dict) else [value]:
                if isinstance(item, Instance):
                    yield item

    def data_source(self, type_: str, name: str) -> Any:
        """A data source: never known, but each attribute is the same unknown everywhere it is read."""
        if name not in self.dir.data.get(type_, {}):
            raise EvalError(f"no data source {type_}.{name}")
        return Unknown(f"{self.prefix()}data.{type_}.{name}")

    # -- module calls
    def module_call(self, name: str) -> Any:
        if name in self._modules:
            return self._modules[name]
        block = self.dir.modules.get(name)
        if block is None:
            raise EvalError(f"no module {name!r}")
        self._guard("module", name)
        self._busy.add(("module", name))
        try:
            value = _expand(block, self.scope, lambda suffix, bound: ModuleCall(self, name, block, suffix, bound))
        finally:
            self._busy.discard(("module", name))
        self._modules[name] = value
        return value

    def calls(self) -> Iterator[ModuleCall]:
        """Every known instance of every module call of this module."""
        for name in self.dir.modules:
            value = self.module_call(name)
            for item in value if isinstance(value, list) else value.values() if isinstance(value, dict) else [value]:
                if isinstance(item, ModuleCall):
                    yield item

    def output(self, name: str) -> Any:
        if name in self._outputs:
            return self._outputs[name]
        block = self.dir.outputs.get(name)
        attr = block.attrs.get("value") if block is not None else None
        if attr is None:
            raise EvalError(f"module {self.address} has no output {name!r}")
        self._guard("output", name)
        self._busy.add(("output", name))
        try:
            value = evaluate(attr.expr, attr.file, self.scope)
        finally:
            self._busy.discard(("output", name))
        self._outputs[name] = value
        return value

    def release(self) -> None:
        """Drop everything evaluated in this instance and below it.

        Instances, module calls and scopes refer to each other, and the scan runs with the
        cyclic garbage collector paused: without this, every root module's evaluation would stay
        in memory until the scan ends (300 MB on ../shared/corpus-iac instead of 140).
        """
        for instance in list(self.walk()):
            instance.__dict__.clear()

    def walk(self) -> Iterator[ModuleInstance]:
        """This instance and every local module instance below it."""
        yield self
        for call in self.calls():
            child = call.child
            if child is not None:
                yield from child.walk()


def _not_nullable(block: Block) -> bool:
    attr = block.attrs.get("nullable")
    return attr is not None and not isinstance(attr.expr, JsonExpr) and node_text(attr.expr).strip() == "false"


def _expand(block: Block, scope: Scope, make: Any) -> Any:
    """A resource's or module call's instances, as Terraform expands ``count`` and ``for_each``:
    a list (``count``), a map (``for_each``), the single instance, or unknown."""
    count_attr, each_attr = block.attrs.get("count"), block.attrs.get("for_each")
    if count_attr is not None:
        count = evaluate(count_attr.expr, count_attr.file, scope)
        if isinstance(count, Unknown):
            return UNKNOWN
        try:
            n = functions.to_number(count)
        except EvalError:
            return UNKNOWN
        if not isinstance(n, int) or n < 0 or n > MAX_ITEMS:
            return UNKNOWN
        return [make(f"[{i}]", {"count": {"index": i}}) for i in range(n)]
    if each_attr is not None:
        each = evaluate(each_attr.expr, each_attr.file, scope)
        if isinstance(each, Unknown):
            return UNKNOWN
        if isinstance(each, list):
            if any(isinstance(v, Unknown) for v in each):
                return UNKNOWN
            items = {functions.to_string(v): v for v in each}
        elif isinstance(each, dict):
            items = dict(each)
        else:
            return UNKNOWN
        if len(items) > MAX_ITEMS:
            return UNKNOWN
        return {k: make(f'["{k}"]', {"each": {"key": k, "value": v}}) for k, v in sorted(items.items())}
    return make("", {})


# -- resource instances ---------------------------------------------------------------------------


class Body:
    """A block with the scope its attributes are evaluated in: a resource instance, one of its
    nested blocks (``vpc_config``, a ``dynamic`` block's ``content``), a module call."""

    def __init__(self, block: Block, scope: Scope, address: str) -> None:
        self.block = block
        self.scope = scope
        self.address = address
        self._values: dict[str, Any] = {}

    def has(self, name: str) -> bool:
        return name in self.block.attrs

    def get(self, name: str, default: Any = MISSING) -> Any:
        if name in self._values:
            return self._values[name]
        attr = self.block.attrs.get(name)
        if attr is None:
            return default
        value = self._values[name] = evaluate(attr.expr, attr.file, self.scope)
        return value

    def site(self, name: str | None = None, *, node: str | None = None, ref: str | None = None) -> Site:
        """Where attribute ``name`` is written, or the block itself when unset (or no name)."""
        attr = self.block.attrs.get(name) if name else None
        label = f"{self.address}.{name}" if name else self.address
        pos = attr.pos if attr is not None else self.block.pos
        return Site(self.block.file, pos=pos, node=node or label, ref=ref or self.root_address)

    @property
    def root_address(self) -> str:
        return self.address

    def origin(self, name: str) -> Site | None:
        """Where the value of attribute ``name`` comes from, when that is not the attribute itself."""
        attr = self.block.attrs.get(name)
        return trace(attr.expr, attr.file, self.scope) if attr is not None else None

    def blocks(self, type_: str) -> list[Body] | None:
        """The nested blocks of ``type_``, written or generated by ``dynamic`` blocks; None when
        a ``dynamic`` block's ``for_each`` is unknown."""
        out: list[Body] = []
        i = 0
        for nested in self.block.blocks:
            if nested.type == type_:
                out.append(_Nested(nested, self.scope, f"{self.address}.{type_}[{i}]", self))
                i += 1
            elif nested.type == "dynamic" and nested.labels and nested.labels[0] == type_:
                content = nested.block("content")
                each_attr = nested.attrs.get("for_each")
                if content is None or each_attr is None:
                    continue
                items = evaluate(each_attr.expr, each_attr.file, self.scope)
                if isinstance(items, Unknown):
                    return None
                iterator = type_
                it_attr = nested.attrs.get("iterator")
                if it_attr is not None and not isinstance(it_attr.expr, JsonExpr):
                    iterator = node_text(it_attr.expr).strip()
                pairs = (
                    list(enumerate(items))
                    if isinstance(items, list)
                    else sorted(items.items())
                    if isinstance(items, dict)
                    else None
                )
                if pairs is None:
                    return None
                for key, value in pairs[:MAX_ITEMS]:
                    bound = self.scope.bind(**{iterator: {"key": key, "value": value}})
                    out.append(_Nested(content, bound, f"{self.address}.{type_}[{i}]", self))
                    i += 1
        return out

    def first(self, type_: str) -> Body | None:
        """The first nested block of ``type_`` (None when there is none, or it is not known)."""
        found = self.blocks(type_)
        return found[0] if found else None

    def as_value(self, depth: int = 0) -> dict[str, Any]:
        """The block's attributes and nested blocks as an object (nested blocks as lists)."""
        from ekslint.linter.terraform.evaluate import HMap

        out: dict[str, Any] = {name: self.get(name) for name in self.block.attrs}
        if depth < 8:
            types = {b.type if b.type != "dynamic" else (b.labels[0] if b.labels else "") for b in self.block.blocks}
            for t in sorted(types - {""}):
                nested = self.blocks(t)
                out[t] = UNKNOWN if nested is None else [b.as_value(depth + 1) for b in nested]
        return HMap(out)


class _Nested(Body):
    def __init__(self, block: Block, scope: Scope, address: str, parent: Body) -> None:
        super().__init__(block, scope, address)
        self.parent = parent

    @property
    def root_address(self) -> str:
        return self.parent.root_address


class Instance(Lazy, Body):
    """One instance of a resource: ``aws_subnet.private[0]``."""

    def __init__(
        self, module: ModuleInstance, type_: str, name: str, block: Block, suffix: str, bound: dict[str, Any]
    ) -> None:
        Body.__init__(self, block, module.scope.bind(**bound), f"{module.prefix()}{type_}.{name}{suffix}")
        self.module = module
        self.type = type_
        self.name = name

    def get_attr(self, name: str) -> Any:
        if name in self.block.attrs:
            return self.get(name)
        if any(b.type == name or (b.type == "dynamic" and b.labels[:1] == (name,)) for b in self.block.blocks):
            nested = self.blocks(name)
            return UNKNOWN if nested is None else [b.as_value() for b in nested]
        return Ref(self.address, name)  # computed by AWS (id, arn, ...): unknown, but a link

    def whole(self) -> Any:
        return Ref(self.address, "")


# -- module calls ---------------------------------------------------------------------------------


class ModuleCall(Lazy, Body):
    """One instance of a ``module`` block: its arguments, its source and, for a local module in
    the scan, the child instance whose outputs it gives."""

    def __init__(self, module: ModuleInstance, name: str, block: Block, suffix: str, bound: dict[str, Any]) -> None:
        Body.__init__(self, block, module.scope.bind(**bound), f"{module.prefix()}module.{name}{suffix}")
        self.module = module
        self.name = name
        self.source = literal_string(block.attrs.get("source")) or ""
        self.version = literal_string(block.attrs.get("version"))
        self._child: ModuleInstance | bool | None = False

    @property
    def child(self) -> ModuleInstance | None:
        """The called module's instance, when its source is a local folder in the scan."""
        if self._child is False:
            self._child = self._make_child()
        return self._child if isinstance(self._child, ModuleInstance) else None

    def _make_child(self) -> ModuleInstance | None:
        if not LOCAL_SOURCE.match(self.source):
            return None
        path = os.path.realpath(os.path.join(self.module.dir.path, self.source))
        target = self.module.ctx.dirs.get(path)
        if target is None:
            return None
        chain: ModuleInstance | None = self.module
        while chain is not None:
            if chain.dir.path == path:
                self.module.ctx.say(
                    f"{self.block.file.display}:{self.block.pos.line}: module {self.name} calls {self.source}, "
                    "which is already being evaluated (a module loop); its outputs are taken as unknown"
                )
                return None
            chain = chain.parent
        if self.module.depth + 1 > MAX_MODULE_DEPTH:
            self.module.ctx.say(
                f"{self.block.file.display}:{self.block.pos.line}: module calls nested more than "
                f"{MAX_MODULE_DEPTH} deep; module {self.name}'s outputs are taken as unknown"
            )
            return None
        return ModuleInstance(target, self.module.ctx, address=self.address, parent=self.module, call=self)

    def get_attr(self, name: str) -> Any:
        child = self.child
        if child is not None:
            return child.output(name)
        from ekslint.linter.terraform.registry import module_output

        return module_output(self, name)

    def whole(self) -> Any:
        return Unknown(self.address)


# -- provenance -----------------------------------------------------------------------------------


def attr_site(attr: Attr, ref: str | None = None) -> Site:
    return Site(attr.file, pos=attr.pos, node=attr.name, ref=ref)


def trace(expr: Any, file: SourceFile, scope: Scope, depth: int = 0) -> Site | None:
    """Where the value of ``expr`` is written, when ``expr`` only passes it on: ``var.x`` (to its
    ``.tfvars`` line, the caller's argument or the default) and ``local.y`` (to its definition).
    None for anything else: the expression itself is then where the value is made."""
    if depth > 16 or isinstance(expr, JsonExpr):
        return None
    node = expr
    while node.type == "expression" and node.named_child_count == 1 and node.named_children[0].type == "expression":
        node = node.named_children[0]
    children = [c for c in node.children if c.type != "comment"] if node.type == "expression" else []
    if len(children) != 2 or children[0].type != "variable_expr" or children[1].type != "get_attr":
        return None
    namespace, name = node_text(children[0]), node_text(children[1].children[-1])
    if namespace in scope.names:
        return None
    module = scope.module
    if namespace == "var":
        return module.var_origin(name)
    if namespace == "local":
        attr = module.dir.locals.get(name)
        if attr is None:
            return None
        return trace(attr.expr, attr.file, module.scope, depth + 1) or attr_site(attr)
    return None
