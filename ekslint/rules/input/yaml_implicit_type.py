"""yaml-implicit-type: an unquoted ``yes``/``on``/``1.10``/``8080`` where the API wants a string.

YAML 1.1 (what the Kubernetes decoder and eksctl follow) types plain scalars: ``yes``, ``no``,
``on``, ``off``, ``true`` and ``false`` are booleans, ``1.10`` is the float 1.1, ``0755`` the octal 493,
``~`` and ``null`` are null. In a field whose type is string:

* the API server rejects a bool or number (``cannot unmarshal bool into Go struct field
  EnvVar.value of type string``): ``kubectl apply`` fails;
* eksctl converts it to text (``sigs.k8s.io/yaml``), so ``yes`` silently becomes ``"true"`` and an
  unquoted ``version: 1.30`` becomes ``"1.3"``; only changed values are reported there, and
  ``metadata.version`` is left to ``eks-version-support`` when it runs (one finding, its error);
* an explicit null (``~``, ``null``) in a label, annotation, env value or ConfigMap entry is stored
  as an empty string, not the text ``null``.

The string fields are the schema's (``schema-invalid``'s sources) plus, for kinds without a known
schema, metadata labels and annotations, pod template labels and annotations, and container env
values.
"""

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.nodes import NodePath
from ekslint.linter.registry import Finding, Level, rule
from ekslint.linter.versions import go_string
from ekslint.rules.input._schema import field_label, plain_text, problems
from ekslint.rules.secrets._credentials import credential_name

NULL_WORDS = ("~", "null", "Null", "NULL")

#: eksctl fields a more precise rule reports when unquoted, with its consequence (one finding each):
#: ``metadata.version: 1.30`` is ``eks-version-support``'s error (eksctl asks EKS for "1.3").
OWNED_BY: dict[NodePath, str] = {("metadata", "version"): "eks-version-support"}


def _string_fields(obj: K8sObject) -> Iterator[tuple[NodePath, Any]]:
    """(path, value) of the fields every object keeps as strings, whatever its kind."""
    meta_paths: list[NodePath] = [("metadata",)]
    if isinstance(obj, Workload):
        meta_paths.append(obj.template_meta_path)
    for meta in meta_paths:
        for section in ("labels", "annotations"):
            values = obj.get(*meta, section)
            if isinstance(values, dict):
                for key, value in values.items():
                    yield (*meta, section, key), value
    if isinstance(obj, Workload):
        for c in obj.containers:
            env = c.spec.get("env")
            for i, item in enumerate(env if isinstance(env, list) else []):
                if isinstance(item, dict) and "value" in item:
                    yield (*c.path, "env", i, "value"), item["value"]
    if obj.gk == "ConfigMap" and isinstance(obj.root.get("data"), dict):
        for key, value in obj.root["data"].items():
            yield ("data", key), value


def _describe(value: Any, raw: str) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, float):
        shown = repr(value)
        trailing_zero = shown != raw and raw.endswith("0") and "." in raw and "e" not in raw.lower()
        lost = " (the trailing zero is lost)" if trailing_zero else ""
        return f"the number {shown}{lost}"
    if isinstance(value, int) and str(value) != raw.lstrip("+"):
        return f"the number {value}"
    return "a number"


def _holds_credential(obj: K8sObject, path: NodePath) -> bool:
    """Is the field named like a credential (``DB_PASSWORD: 0775312``, or an env var of that
    name)? Its value must not appear in a message, which every output and CI log shows."""
    key = next((k for k in reversed(path) if isinstance(k, str)), "")
    if key == "value" and len(path) >= 2:  # env: [{name: DB_PASSWORD, value: 0775312}]
        entry = obj.get(*path[:-1])
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            key = entry["name"]
    return credential_name(key) is not None


@rule(
    id="yaml-implicit-type",
    title="Quote scalars that YAML 1.1 would turn into booleans or numbers",
    level=Level.WARNING,
    targets=(K8sObject,),
    tags=("input", "yaml"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    eksctl = obj.gk == "ClusterConfig.eksctl.io"
    seen: set[NodePath] = set()
    candidates: list[tuple[NodePath, Any]] = [
        (p.path, p.instance)
        for p in problems(obj, ctx)
        if p.kind == "type" and "string" in p.expected and isinstance(p.instance, (bool, int, float))
    ]
    if not eksctl:
        candidates.extend(
            (path, v) for path, v in _string_fields(obj) if isinstance(v, (bool, int, float)) or v is None
        )
    for path, value in candidates:
        if path in seen or (eksctl and OWNED_BY.get(path) in ctx.active):
            continue
        seen.add(path)
        raw = plain_text(obj, path)
        if raw is None:
            continue
        name = field_label(path)
        if _holds_credential(obj, path):  # say what is wrong without quoting the value
            if value is None and raw not in NULL_WORDS:
                continue
            if eksctl and value is not None and go_string(value) in (None, raw):
                continue
            what = "null" if value is None else "a boolean" if isinstance(value, bool) else "a number"
            yield Finding(f"{name}: this unquoted value is {what} in YAML 1.1, not text; quote it", path, value=True)
            continue
        quoted = f'"{raw}"'
        if value is None:
            if raw not in NULL_WORDS:
                continue  # an empty value: clearly meant empty
            yield Finding(
                f"{name}: unquoted {raw} is null in YAML, stored as an empty string, not the text "
                f"{raw!r}; quote it ({quoted}) if the text is meant",
                path,
                value=True,
            )
        elif eksctl:
            read = go_string(value)
            if read is None or read == raw:
                continue  # eksctl reads the same text: nothing changes
            yield Finding(
                f"{name}: unquoted {raw} is {_describe(value, raw)} in YAML 1.1 and eksctl reads it as "
                f'"{read}"; quote it: {quoted}',
                path,
                value=True,
            )
        else:
            yield Finding(
                f"{name}: unquoted {raw} is {_describe(value, raw)} in YAML 1.1, and the API server "
                f"rejects it where a string is expected; quote it: {quoted}",
                path,
                value=True,
            )
