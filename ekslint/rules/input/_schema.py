"""Schema validation shared by ``schema-invalid`` and ``yaml-implicit-type``.

Where an object's schema comes from, in order:

1. eksctl ``ClusterConfig``: the project's reduced copy of eksctl's JSON schema (``ekslint/data/schemas``).
2. Built-in Kubernetes kinds: ``kubernetes-validate``'s bundled *strict* schemas (unknown fields are
   errors, as ``kubectl apply`` with server-side field validation reports them) of the newest bundled
   version not newer than the scan's target version.
3. Custom resources: a ``CustomResourceDefinition`` (``apiextensions.k8s.io/v1``) in the scan that
   serves the object's version; its structural ``openAPIV3Schema`` is turned into a JSON schema.
4. Karpenter ``NodePool``/``EC2NodeClass`` v1: the project's reduced copies of the Karpenter CRDs.

Anything else has no known schema and is not validated. Schemas are compiled once (see
``_validate``): built-in ones per (schema version, apiVersion, kind) for the process, CRD ones per
scan; problems are cached per object so both rules validate each object once.

Structural-schema semantics (Kubernetes "Specifying a structural schema"): fields not in
``properties`` are pruned, i.e. rejected by strict field validation, unless the node says
``x-kubernetes-preserve-unknown-fields: true``; ``x-kubernetes-int-or-string`` accepts an integer or a
string; ``x-kubernetes-embedded-resource`` objects implicitly have ``apiVersion``, ``kind`` and
``metadata``; nulls are pruned. Object schemas without ``properties`` stay open, so a CRD that
under-specifies a field never causes a false alarm.

What is not reported, to keep false alarms out: missing required fields in files that kustomize
builds (a ``kustomization.yaml`` in the folder or above it: patches are partial and ``labels`` or
``namespace`` fill selectors and namespaces in) or that are named or filed as patches
(``*patch*.yaml``, ``patches/``, ``overlays/``), strategic-merge directives (``$patch``), and wrong
values that are unrendered placeholders (``${PORT}``, ``<your-port>``, ``{{ .Values.x }}``,
``[port]``: :mod:`ekslint.linter.placeholders`).
"""

from __future__ import annotations

import difflib
import json
import re
import weakref
from dataclasses import dataclass, field
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NamedTuple

from ekslint.data.deprecated_apis import BY_API_KIND
from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex
from ekslint.linter.kustomization import KUSTOMIZATION_NAMES
from ekslint.linter.model import K8sObject
from ekslint.linter.nodes import LMap, LSeq, NodePath, Pos, get_path
from ekslint.linter.placeholders import is_placeholder
from ekslint.linter.versions import at_least, minor, source_scalar, target_version
from ekslint.rules.input._validate import Compiler, Error, Node, validate

DATA_SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "schemas"


@cache
def _k8s_schemas() -> Path:
    """``kubernetes-validate``'s bundled schema folder, found without importing the package:
    its ``__init__`` imports jsonschema and more (about 140 ms, longer than a whole pre-commit
    run of ekslint), and only its data files are used."""
    spec = find_spec("kubernetes_validate")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0] if locations else ".") / "kubernetes-json-schema"


OBJECT_META_REF = "https://kubernetes.io/api/_definitions.json#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


class Schema(NamedTuple):
    """A compiled schema and how to describe it in messages."""

    root: Node
    label: str
    #: eksctl decodes with sigs.k8s.io/yaml into Go structs, which turns a YAML bool or number into
    #: the text of a ``string`` field instead of rejecting it.
    coerces_scalars: bool = False


class Problem(NamedTuple):
    """One validation problem, ready to become a finding."""

    path: NodePath
    message: str
    kind: str
    #: For a wrong scalar type: the value and the types the schema wanted.
    instance: Any = None
    expected: tuple[str, ...] = ()
    #: True when eksctl (not the API server) reads the value.
    coerced: bool = False


# -- built-in Kubernetes schemas -----------------------------------------------------------------


@cache
def bundled_minors() -> tuple[int, ...]:
    """Kubernetes minors ``kubernetes-validate`` bundles strict schemas for."""
    folder = _k8s_schemas()
    out = set()
    for entry in folder.iterdir() if folder.is_dir() else ():
        m = re.match(r"^v1\.(\d+)\.\d+-local-strict$", entry.name)
        if m:
            out.add(int(m.group(1)))
    return tuple(sorted(out))


def schema_minor(target_minor: int) -> int | None:
    """The newest bundled minor not newer than the target (the oldest one for older targets)."""
    minors = bundled_minors()
    if not minors:
        return None
    older = [m for m in minors if m <= target_minor]
    return older[-1] if older else minors[0]


def _strict_dir(version_minor: int) -> Any:
    return _k8s_schemas() / f"v1.{version_minor}.0-local-strict"


@cache
def k8s_compiler(version_minor: int) -> Compiler:
    """A compiler sharing one bundled version's ``_definitions.json`` (each definition compiled once)."""
    defs = load_definitions((_strict_dir(version_minor) / "_definitions.json").read_bytes())
    return Compiler({"": defs, "_definitions.json": defs})


_DEFS_START = b'{\n  "$defs": {\n'
#: In ``json.dumps(..., indent=2)`` output, a member of ``$defs`` (a line indented by four spaces
#: that opens with a key: a JSON string holds no raw newline, so no line inside a value matches),
#: or, without a key, the next line of the root object after ``$defs`` opens (the one that closes
#: ``$defs``). One pass finds both: two passes over the 1.8 MB took 1.2 ms more.
_MEMBER_OR_CLOSE = re.compile(rb'\n(?:    "((?:[^"\\\n]|\\.)*)": |  [^ ])')
_DECODER = json.JSONDecoder()


def load_definitions(data: bytes) -> Any:
    """``_definitions.json`` (UTF-8), each of its ``$defs`` decoded when a schema first refers to it.

    The file is 1.8 MB and the objects of a scan reach a few dozen of its 800 definitions:
    decoding it whole took 6 ms of a one-file scan (the pre-commit case), and decoding its text
    1.5 ms more than finding where each definition starts. The definitions are found in the bytes
    by the layout of ``json.dumps(..., indent=2)``, which writes the file, and each is decoded
    from its own slice; any other layout is decoded whole.
    """
    if not data.startswith(_DEFS_START):
        return json.loads(data)
    spans: dict[str, tuple[int, int]] = {}
    previous: tuple[str, int] | None = None
    close = None
    for m in _MEMBER_OR_CLOSE.finditer(data, len(_DEFS_START) - 1):
        if previous is not None:
            spans[previous[0]] = (previous[1], m.start())
        if m[1] is None:
            close = m
            break
        key = m[1].decode("utf-8")
        previous = (json.loads(f'"{key}"') if "\\" in key else key, m.end())  # escapes are rare: decode only those
    if close is None or close[0][-1:] != b"}":
        return json.loads(data)
    root = json.loads(b"{" + data[close.end() :].lstrip().removeprefix(b","))
    root["$defs"] = _LazyDefinitions(data, spans)
    return root


class _LazyDefinitions(dict[str, Any]):
    """The ``$defs`` of :func:`load_definitions`: ``get`` decodes a definition on first use (and
    keeps it, so that the compiler, which memoises by identity, sees one dict per definition)."""

    def __init__(self, data: bytes, spans: dict[str, tuple[int, int]]) -> None:
        super().__init__()
        self._data = data
        self._spans = spans

    def get(self, name: str, default: Any = None) -> Any:
        if name not in self and name in self._spans:
            start, end = self._spans[name]
            self[name] = _DECODER.raw_decode(self._data[start:end].decode("utf-8"))[0]
        return super().get(name, default)


@cache
def k8s_schema(version_minor: int, api_version: str, kind: str) -> Schema | None:
    """The compiled strict schema of a built-in kind, or ``None`` when it is not built in."""
    group, _, version = api_version.rpartition("/")
    prefix = group.split(".")[0]
    name = f"{kind.lower()}-{prefix}-{version}.json" if group else f"{kind.lower()}-{version}.json"
    path = _strict_dir(version_minor) / name
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    gvks = schema.get("x-kubernetes-group-version-kind") or []
    if not any(g.get("group", "") == group and g.get("version") == version and g.get("kind") == kind for g in gvks):
        return None  # same file name, other API group (a CRD group sharing the first label)
    return Schema(k8s_compiler(version_minor).compile(schema, schema), f"Kubernetes 1.{version_minor} schema")


# -- CRD structural schemas ----------------------------------------------------------------------

_COPY = (
    "minimum",
    "maximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "required",
    "pattern",
)


def structural_to_jsonschema(node: Any, *, strict: bool = True) -> dict[str, Any]:
    """Turn an OpenAPI v3 structural schema node (a CRD's ``openAPIV3Schema``) into JSON Schema.

    ``strict`` is False inside ``anyOf``/``oneOf``/``allOf``/``not``: those are value validations in a
    structural schema and must not add unknown-field rules of their own.
    """
    if not isinstance(node, dict):
        return {}
    out: dict[str, Any] = {}
    preserve = node.get("x-kubernetes-preserve-unknown-fields") is True
    if node.get("x-kubernetes-int-or-string") is True:
        out["type"] = ["integer", "string"]
    elif isinstance(node.get("type"), str):
        out["type"] = node["type"]
    if isinstance(node.get("enum"), list):
        out["enum"] = list(node["enum"])
    for key in _COPY:
        if key in node:
            out[key] = node[key]
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if node.get(exclusive) is True and bound in out:  # OpenAPI 3.0's boolean form
            out[exclusive] = out.pop(bound)
    if isinstance(node.get("items"), dict):
        out["items"] = structural_to_jsonschema(node["items"], strict=strict)
    props = node.get("properties")
    if isinstance(props, dict):
        out["properties"] = {str(k): structural_to_jsonschema(v, strict=strict) for k, v in props.items()}
    additional = node.get("additionalProperties")
    if isinstance(additional, bool):
        out["additionalProperties"] = additional
    elif isinstance(additional, dict):
        out["additionalProperties"] = structural_to_jsonschema(additional, strict=strict)
    if node.get("x-kubernetes-embedded-resource") is True:
        embedded = out.setdefault("properties", {})
        embedded.setdefault("apiVersion", {"type": "string"})
        embedded.setdefault("kind", {"type": "string"})
        embedded.setdefault("metadata", {"type": "object"})
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(node.get(key), list):
            out[key] = [structural_to_jsonschema(s, strict=False) for s in node[key]]
    if isinstance(node.get("not"), dict):
        out["not"] = structural_to_jsonschema(node["not"], strict=False)
    if strict and not preserve and isinstance(props, dict) and props and "additionalProperties" not in node:
        out["additionalProperties"] = False
    return out


def crd_root_schema(open_api: Any) -> dict[str, Any]:
    """The JSON schema of a custom resource: its structural schema, with Kubernetes ``ObjectMeta``."""
    root = structural_to_jsonschema(open_api)
    props = root.setdefault("properties", {})
    props["apiVersion"] = {"type": "string"}
    props["kind"] = {"type": "string"}
    props["metadata"] = {"$ref": OBJECT_META_REF}
    return root


def compile_crd(open_api: Any, target_minor: int) -> Node:
    m = schema_minor(target_minor)
    compiler = k8s_compiler(m) if m is not None else Compiler({})
    root = crd_root_schema(open_api)
    return compiler.compile(root, root)


@dataclass(eq=False)
class _ScanSchemas:
    """CRD schemas of one scan: (group, version, kind) -> every distinct (openAPIV3Schema, label) that
    defines it (a repository often holds several releases of one CRD), compiled lazily."""

    crds: dict[tuple[str, str, str], list[tuple[Any, str]]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    compiled: dict[tuple[str, str, str, int], list[Schema]] = field(default_factory=dict)
    kustomized_dirs: dict[Path, bool] = field(default_factory=dict)
    absolute_dirs: dict[Path, Path] = field(default_factory=dict)
    problems: weakref.WeakKeyDictionary[K8sObject, tuple[int, list[Problem]]] = field(
        default_factory=weakref.WeakKeyDictionary
    )


def _scan(index: ScanIndex) -> _ScanSchemas:
    """The CRD schemas of the scan, and what validation found per object (kept while the scan's
    CRDs stay as they are: the problems of an object carry the target version they used)."""
    return index.cached(_ScanSchemas, lambda: _scan_schemas(index), lasting=True)


def _scan_schemas(index: ScanIndex) -> _ScanSchemas:
    scan = _ScanSchemas()
    for crd in index.of_kind("CustomResourceDefinition", group="apiextensions.k8s.io"):
        if crd.version != "v1":
            continue  # v1beta1 CRDs preserve unknown fields by default: nothing strict to check
        group, names = crd.spec.get("group"), crd.spec.get("names")
        kind = names.get("kind") if isinstance(names, dict) else None
        versions = crd.spec.get("versions")
        if not isinstance(group, str) or not isinstance(kind, str) or not isinstance(versions, list):
            continue
        for v in versions:
            if not isinstance(v, dict) or v.get("served") is False or not isinstance(v.get("name"), str):
                continue
            schema = v.get("schema")
            open_api = schema.get("openAPIV3Schema") if isinstance(schema, dict) else None
            if isinstance(open_api, dict):
                fingerprint = f"{group}/{v['name']}/{kind}:" + json.dumps(open_api, sort_keys=True, default=str)
                if fingerprint in scan.seen:
                    continue
                scan.seen.add(fingerprint)
                label = f"schema of CRD {crd.name or kind} in the scan"
                scan.crds.setdefault((group, v["name"], kind), []).append((open_api, label))
    return scan


@cache
def _bundled_crds() -> dict[tuple[str, str, str], tuple[Any, str]]:
    out: dict[tuple[str, str, str], tuple[Any, str]] = {}
    for name in ("karpenter-nodepool-v1.json", "karpenter-ec2nodeclass-v1.json"):
        data = json.loads((DATA_SCHEMAS / name).read_text(encoding="utf-8"))
        out[(data["group"], data["version"], data["kind"])] = (data["openAPIV3Schema"], "Karpenter v1.14 CRD schema")
    return out


@cache
def eksctl_schema() -> Schema:
    data = json.loads((DATA_SCHEMAS / "eksctl-clusterconfig-v1alpha5.json").read_text(encoding="utf-8"))
    return Schema(Compiler({"": data}).compile(data, data), "eksctl v0.230 schema", coerces_scalars=True)


def schemas_for(obj: K8sObject, ctx: RuleContext) -> list[Schema]:
    """The schemas ``obj`` may be validated against: none when no schema is known (or its API is
    removed), several when the scan holds different releases of its CRD."""
    if obj.gk == "ClusterConfig.eksctl.io":
        return [eksctl_schema()] if obj.api_version == "eksctl.io/v1alpha5" else []
    target = target_version(ctx, obj)
    api = BY_API_KIND.get((obj.api_version, obj.kind))
    if api is not None and api.removed_in and not api.projected and at_least(target.version, api.removed_in):
        return []  # removed-api reports it
    target_minor = minor(target.version) or 0
    m = schema_minor(target_minor)
    if m is not None:
        builtin = k8s_schema(m, obj.api_version, obj.kind)
        if builtin is not None:
            return [builtin]
    scan = _scan(ctx.index)
    key = (obj.group, obj.version, obj.kind, target_minor)
    if key not in scan.compiled:
        bundled = _bundled_crds().get(key[:3])
        found = scan.crds.get(key[:3]) or ([bundled] if bundled else [])
        scan.compiled[key] = [Schema(compile_crd(open_api, target_minor), label) for open_api, label in found]
    return scan.compiled[key]


def _partial_file(scan: _ScanSchemas, path: Path | None) -> bool:
    """A file that probably holds a kustomize patch or base: named or filed as a patch, or in a
    folder that kustomize builds."""
    if path is None:
        return False
    folder = path.parent
    if "patch" in path.name.lower() or any(part.lower() in ("patches", "overlays") for part in folder.parts):
        return True
    absolute = scan.absolute_dirs.get(folder)
    if absolute is None:  # the files of a folder share it: resolve it once
        absolute = scan.absolute_dirs[folder] = folder.absolute()
    return _kustomized(scan, absolute)


def _kustomized(scan: _ScanSchemas, folder: Path) -> bool:
    """Does a kustomization file sit in ``folder`` or above it (up to the repository root)?"""
    if folder in scan.kustomized_dirs:
        return scan.kustomized_dirs[folder]
    try:
        found = any((folder / name).is_file() for name in KUSTOMIZATION_NAMES)
        if not found and not (folder / ".git").exists() and folder.parent != folder:
            found = _kustomized(scan, folder.parent)
    except OSError:
        found = False
    scan.kustomized_dirs[folder] = found
    return found


# -- validation ----------------------------------------------------------------------------------


def problems(obj: K8sObject, ctx: RuleContext) -> list[Problem]:
    """Every schema problem of ``obj`` (cached per object and target version)."""
    scan = _scan(ctx.index)
    target_minor = minor(target_version(ctx, obj).version) or 0
    cached = scan.problems.get(obj)
    if cached is not None and cached[0] == target_minor:
        return cached[1]
    out: list[Problem] = []
    schemas = schemas_for(obj, ctx)
    partial = bool(schemas) and ("$patch" in obj.root or _partial_file(scan, obj.file.path))
    for schema in schemas:  # with several releases of a CRD, the one that fits best wins
        found: list[Problem] = []
        seen: set[tuple[NodePath, str]] = set()
        for error in validate(schema.root, obj.root):
            p = explain(error, schema, partial)
            if p is not None and (p.path, p.message) not in seen:
                seen.add((p.path, p.message))
                found.append(p)
        if schema is schemas[0] or len(found) < len(out):
            out = found
        if not out:
            break
    scan.problems[obj] = (target_minor, out)
    return out


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, list) else "null"


def show(value: Any) -> str:
    """A short rendering of a value for messages."""
    if isinstance(value, (dict, list)):
        return ""
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return " " + (text if len(text) <= 60 else text[:57] + "...")


def field_label(path: NodePath) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "the object"


TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def explain(error: Error, schema: Schema, partial: bool) -> Problem | None:
    """Turn a validation error into a problem with a message, or drop it (see module docstring)."""
    path, value, label = error.path, error.instance, schema.label
    if any(isinstance(k, str) and k.startswith("$") for k in path):
        return None  # strategic-merge-patch directives ($patch, $setElementOrder/...)
    where = field_label(path[:-1] if error.keyword == "unknown" else path)
    if is_placeholder(value) and error.keyword != "unknown":
        return None
    if error.keyword == "unknown":
        close = difflib.get_close_matches(str(error.detail), error.known, n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return Problem(path, f"unknown field {error.detail!r} in {where} ({label}){hint}", "unknown")
    if error.keyword == "required":
        if partial or (schema.coerces_scalars and error.detail != "name"):
            # eksctl's generated schema marks every field without `omitempty` as required
            # (metadata.region can come from the command line, remoteNetworkConfig.vpcGatewayID is
            # optional...): only a missing name is certain to fail.
            return None
        return Problem(path, f"{where} lacks the required field {error.detail!r} ({label})", "required")
    if error.keyword == "type":
        expected = tuple(error.detail)
        coerced = schema.coerces_scalars and "string" in expected and isinstance(value, (bool, int, float))
        wanted = " or ".join(TYPE_WORDS.get(t, t) for t in expected)
        return Problem(
            path,
            f"{where} is {type_name(value)}{show(value)}, the schema wants {wanted} ({label})",
            "type",
            value,
            expected,
            coerced,
        )
    if error.keyword in ("enum", "const"):
        allowed = error.detail if isinstance(error.detail, list) else [error.detail]
        listed = ", ".join(str(a) for a in allowed[:12]) + (", ..." if len(allowed) > 12 else "")
        return Problem(path, f"{where} is{show(value)}, which is not one of: {listed} ({label})", error.keyword)
    if error.keyword == "pattern":
        return Problem(path, f"{where}{show(value)} does not match the pattern {error.detail!r} ({label})", "pattern")
    if error.keyword == "not":
        return Problem(path, f"{where}{show(value)} is not allowed here ({label})", "not")
    words = {
        "minLength": "is shorter than",
        "maxLength": "is longer than",
        "minimum": "is below the minimum",
        "maximum": "is above the maximum",
        "exclusiveMinimum": "must be above",
        "exclusiveMaximum": "must be below",
        "multipleOf": "is not a multiple of",
        "minItems": "has fewer items than",
        "maxItems": "has more items than",
        "minProperties": "has fewer fields than",
        "maxProperties": "has more fields than",
        "uniqueItems": "repeats an item, which must be unique",
    }
    detail = "" if error.detail is None else f" {error.detail}"
    return Problem(
        path, f"{where}{show(value)} {words.get(error.keyword, error.keyword)}{detail} ({label})", error.keyword
    )


def value_pos(obj: K8sObject, path: NodePath) -> Pos | None:
    """Where the value at ``path`` starts (``None`` when the path does not resolve)."""
    parent = get_path(obj.root, path[:-1]) if path[:-1] else obj.root
    key = path[-1] if path else None
    if isinstance(parent, LMap) and isinstance(key, str) and key in parent:
        return parent.vpos[key]
    if isinstance(parent, LSeq) and isinstance(key, int) and 0 <= key < len(parent):
        return parent.ipos[key]
    return None


def plain_text(obj: K8sObject, path: NodePath) -> str | None:
    """The source text of the unquoted YAML scalar at ``path``; ``None`` for JSON files, quoted
    scalars and aliases (where YAML 1.1's implicit typing is not what produced the value)."""
    if obj.file.path is not None and obj.file.path.suffix.lower() == ".json":
        return None
    pos = value_pos(obj, path)
    return source_scalar(obj.file, pos) if pos is not None else None
