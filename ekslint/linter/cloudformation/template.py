"""A CloudFormation template and its intrinsic functions, evaluated statically.

The loader reads YAML and JSON templates alike (short-form tags such as ``!Ref`` arrive in their
long forms, ``{"Ref": ...}``), with positions. Here a value is resolved as far as the template
alone allows: a parameter's ``Default``, ``Fn::Sub``, ``Fn::Select``, ``Fn::Split``,
``Fn::Join``, ``Fn::If`` on conditions that parameter defaults decide, ``Fn::FindInMap``,
``Fn::Cidr``, ``Fn::GetAtt`` of an input property (``VPC.CidrBlock``), ``Fn::Base64``,
``Fn::Length``, ``Fn::ToJsonString``. What only a deployment knows is unknown
(:class:`~ekslint.linter.terraform.values.Unknown`): pseudo parameters, ``Fn::ImportValue``, a
resource's physical id. A ``Ref`` to a resource is a :class:`~ekslint.linter.terraform.values.Ref`
(unknown, but it says which resource: a node group's ``Subnets`` link it to its subnets), and
``!Select [i, !GetAZs '']`` is the ``i``-th AZ of the region: distinct for distinct ``i``.

Everything is bounded (depth, sizes, ``Fn::Cidr`` counts): a template is hostile input, and
past a bound a value is unknown.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from typing import Any

from ekslint.linter.loader import SourceFile
from ekslint.linter.nodes import LMap, LSeq
from ekslint.linter.terraform.values import UNKNOWN, Ref, Unknown

MAX_DEPTH = 64
MAX_STRING = 1_000_000
MAX_CIDRS = 256
#: ``AWS::NoValue``: the property is absent.
ABSENT: Any = object()
#: Where GetAZs lists come from: the same unknown list in every template of a region.
GETAZS = "Fn::GetAZs"

#: ``${name}``, or an unclosed ``${`` running to the end (group 2 empty): matching only closed ones,
#: every ``${`` of ``${${${...`` scanned the rest of the text for a ``}`` (quadratic).
_SUB_VAR = re.compile(r"\$\{([^}]*)(\}|\Z)")


def is_template(root: Any) -> bool:
    """A CloudFormation template (or CDK output, or a Resources-only fragment eksctl writes)."""
    if not isinstance(root, dict):
        return False
    if "AWSTemplateFormatVersion" in root:
        return True
    resources = root.get("Resources")
    if not isinstance(resources, dict) or not resources:
        return False
    return any(
        isinstance(r, dict)
        and isinstance(r.get("Type"), str)
        and r["Type"].startswith(("AWS::", "Custom::", "AWSQS::"))
        for r in resources.values()
    )


class Template:
    """One template document: its sections, and values resolved as far as it allows."""

    def __init__(self, file: SourceFile, root: LMap) -> None:
        self.file = file
        self.root = root
        self.parameters = _map(root.get("Parameters"))
        self.conditions = _map(root.get("Conditions"))
        self.mappings = _map(root.get("Mappings"))
        self.resources = _map(root.get("Resources"))
        self._conditions: dict[str, Any] = {}

    def of_type(self, *types: str) -> list[tuple[str, LMap]]:
        """``(logical id, resource)`` of the given types whose ``Condition`` does not rule them out."""
        out = []
        for lid, res in self.resources.items():
            if isinstance(res, LMap) and res.get("Type") in types and self.condition_of(res) is not False:
                out.append((str(lid), res))
        return out

    def condition_of(self, res: dict[str, Any]) -> Any:
        name = res.get("Condition")
        return True if name is None else self.condition(str(name), 0)

    # -- conditions
    def condition(self, name: str, depth: int) -> Any:
        """True, False or UNKNOWN."""
        if name in self._conditions:
            return self._conditions[name]
        self._conditions[name] = UNKNOWN  # a condition that refers to itself is unknown
        value = self._truth(self.conditions.get(name), depth + 1)
        self._conditions[name] = value
        return value

    def _truth(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH or not isinstance(node, dict) or len(node) != 1:
            return UNKNOWN
        ((fn, args),) = node.items()
        if fn == "Condition":
            return self.condition(str(args), depth)
        if not isinstance(args, list):
            return UNKNOWN
        if fn == "Fn::Equals" and len(args) == 2:
            a, b = (self.resolve(x, depth + 1) for x in args)
            if isinstance(a, Unknown) or isinstance(b, Unknown):
                return UNKNOWN
            return _text(a) == _text(b)
        parts = [self._truth(x, depth + 1) for x in args]
        if fn == "Fn::Not" and len(parts) == 1:
            return UNKNOWN if isinstance(parts[0], Unknown) else not parts[0]
        if fn == "Fn::And":
            if any(p is False for p in parts):
                return False
            return UNKNOWN if any(isinstance(p, Unknown) for p in parts) else True
        if fn == "Fn::Or":
            if any(p is True for p in parts):
                return True
            return UNKNOWN if any(isinstance(p, Unknown) for p in parts) else False
        return UNKNOWN

    # -- values
    def parameter_default(self, name: str) -> Any:
        param = self.parameters.get(name)
        if not isinstance(param, dict) or "Default" not in param:
            return Unknown(f"parameter {name}")
        value = param["Default"]
        if isinstance(param.get("Type"), str) and (
            param["Type"].startswith("List<") or param["Type"] == "CommaDelimitedList"
        ):
            return [v.strip() for v in str(value).split(",")] if value != "" else []
        return value

    def parameter_site(self, name: str) -> tuple[LMap, str] | None:
        """The mapping and key holding a parameter's ``Default`` (for "set in ...")."""
        param = self.parameters.get(name)
        if isinstance(param, LMap) and "Default" in param:
            return param, "Default"
        return None

    def resolve(self, node: Any, depth: int = 0) -> Any:
        """The value of ``node`` with intrinsics evaluated (ABSENT for ``AWS::NoValue``)."""
        if depth > MAX_DEPTH:
            return UNKNOWN
        if isinstance(node, list):
            items = [self.resolve(x, depth + 1) for x in node]
            return [x for x in items if x is not ABSENT]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key,) = node
            if key == "Ref" or key.startswith("Fn::"):
                try:
                    return self._intrinsic(key, node[key], depth + 1)
                except (ValueError, TypeError, IndexError, KeyError, OverflowError):
                    return UNKNOWN  # a malformed call: CloudFormation would reject it
        out = {k: self.resolve(v, depth + 1) for k, v in node.items()}
        return {k: v for k, v in out.items() if v is not ABSENT}

    def _intrinsic(self, fn: str, args: Any, depth: int) -> Any:
        if fn == "Ref":
            name = str(args)
            if name == "AWS::NoValue":
                return ABSENT
            if name.startswith("AWS::"):
                return Unknown(name)
            if name in self.parameters:
                return self.parameter_default(name)
            if name in self.resources:
                return Ref(name, "Ref")
            return UNKNOWN
        if fn == "Fn::GetAtt":
            parts = args if isinstance(args, list) else str(args).split(".", 1)
            if len(parts) != 2:
                return UNKNOWN
            lid, attr = str(self.resolve(parts[0], depth)), self.resolve(parts[1], depth)
            res = self.resources.get(lid)
            if isinstance(res, dict) and isinstance(attr, str):
                props = _map(res.get("Properties"))
                if attr in props:  # an input property (VPC.CidrBlock)
                    return self.resolve(props[attr], depth)
                return Ref(lid, attr)
            return UNKNOWN
        if fn == "Fn::If":
            if not isinstance(args, list) or len(args) != 3:
                return UNKNOWN
            truth = self.condition(str(args[0]), depth)
            if isinstance(truth, Unknown):
                a, b = self.resolve(args[1], depth), self.resolve(args[2], depth)
                return a if a == b and not _has_unknown(a) else UNKNOWN
            return self.resolve(args[1] if truth else args[2], depth)
        if fn == "Fn::GetAZs":
            return Unknown(GETAZS)
        if fn == "Fn::ImportValue":
            return UNKNOWN
        if fn == "Fn::Sub":
            return self._sub(args, depth)
        values = self.resolve(args, depth)
        if _has_unknown(values) and fn not in ("Fn::Select", "Fn::Join", "Fn::Length"):
            return UNKNOWN
        return _functions(fn, values, self, args, depth)

    def _sub(self, raw: Any, depth: int) -> Any:
        """``Fn::Sub``: ``${Param}``, ``${Resource.Attr}``, ``${!Literal}`` and its own variables."""
        if isinstance(raw, list) and len(raw) == 2 and isinstance(raw[0], str):
            text, local = raw[0], _map(raw[1])
        elif isinstance(raw, str):
            text, local = raw, {}
        else:
            return UNKNOWN
        parts: list[str] = []
        at = 0
        for m in _SUB_VAR.finditer(text):
            if not m.group(2):  # no closing brace after this: the rest is text
                break
            parts.append(text[at : m.start()])
            at = m.end()
            name = m.group(1)
            if name.startswith("!"):  # ${!Literal} is the text ${Literal}
                parts.append("${" + name[1:] + "}")
                continue
            if name in local:
                value = self.resolve(local[name], depth)
            elif "." in name:
                value = self._intrinsic("Fn::GetAtt", name, depth)
            else:
                value = self._intrinsic("Ref", name, depth)
            if isinstance(value, (Unknown, list, dict)) or value is ABSENT:
                return UNKNOWN
            parts.append(_text(value))
            if sum(map(len, parts)) > MAX_STRING:
                return UNKNOWN
        parts.append(text[at:])
        return "".join(parts)


def _functions(fn: str, values: Any, t: Template, raw: Any, depth: int) -> Any:
    if fn == "Fn::Select":
        if not isinstance(values, list) or len(values) != 2 or isinstance(values[0], Unknown):
            return UNKNOWN
        index, items = int(values[0]), values[1]
        if isinstance(items, Unknown) and items.key:
            return Unknown(f"{items.key}[{index}]")
        return items[index] if isinstance(items, list) and 0 <= index < len(items) else UNKNOWN
    if fn == "Fn::Join":
        if not isinstance(values, list) or len(values) != 2 or not isinstance(values[1], list):
            return UNKNOWN
        if _has_unknown(values):
            return UNKNOWN
        text = str(values[0]).join(_text(v) for v in values[1])
        return text if len(text) <= MAX_STRING else UNKNOWN
    if fn == "Fn::Split":
        if not isinstance(values, list) or len(values) != 2 or not isinstance(values[1], str) or not values[0]:
            return UNKNOWN
        return values[1].split(str(values[0]))
    if fn == "Fn::FindInMap":
        if not isinstance(values, list) or len(values) < 3:
            return UNKNOWN
        found: Any = t.mappings
        for key in values[:3]:
            found = found.get(_text(key)) if isinstance(found, dict) else None
        return UNKNOWN if found is None else t.resolve(found, depth)
    if fn == "Fn::Cidr":
        return _cidr(values)
    if fn == "Fn::Base64":
        return base64.b64encode(_text(values).encode()).decode() if isinstance(values, (str, int, float)) else UNKNOWN
    if fn == "Fn::Length":
        return len(values) if isinstance(values, list) else UNKNOWN
    if fn == "Fn::ToJsonString":
        return json.dumps(values, separators=(",", ":")) if not _has_unknown(values) else UNKNOWN
    return UNKNOWN


def _cidr(values: Any) -> Any:
    """``Fn::Cidr [ipBlock, count, cidrBits]``: ``count`` subnets with ``cidrBits`` host bits."""
    if not isinstance(values, list) or len(values) != 3:
        return UNKNOWN
    block, count, bits = values[0], int(values[1]), int(values[2])
    network = ipaddress.ip_network(str(block), strict=False)
    prefix = network.max_prefixlen - bits
    if not 1 <= count <= MAX_CIDRS or not network.prefixlen <= prefix <= network.max_prefixlen:
        return UNKNOWN
    size = 1 << bits
    base = int(network.network_address)
    if count * size > network.num_addresses:
        return UNKNOWN
    cls = ipaddress.IPv4Network if network.version == 4 else ipaddress.IPv6Network
    return [str(cls((base + i * size, prefix))) for i in range(count)]


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _has_unknown(value: Any) -> bool:
    stack = [value]
    seen = 0
    while stack:
        v = stack.pop()
        seen += 1
        if seen > 100_000 or isinstance(v, Unknown):
            return True
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def located_items(node: Any) -> list[Any]:
    """Positions of a raw list's items (for sites), or [] when the node is not a list."""
    return node.ipos if isinstance(node, LSeq) else []
