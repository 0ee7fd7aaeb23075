"""aws-static-credentials: an AWS access key id or secret access key anywhere in a manifest.

Long-lived IAM user keys in a manifest are valid until someone rotates them, work from anywhere,
and leak with the repository. On EKS, pods get short-lived credentials from IRSA or EKS Pod
Identity instead. Every string value of every document is read (Secret ``data`` and ConfigMap
``binaryData`` are base64-decoded first); a 40-character secret key counts when it sits beside a
key id or under an AWS-secret key name. The AWS documentation keys (``...EXAMPLE``) are not
reported. One finding per key; a key inside an embedded file points at its line.
"""

from collections.abc import Iterator
from typing import Any

from ekslint.linter.context import RuleContext
from ekslint.linter.loader import SourceFile
from ekslint.linter.model import K8sObject, objects_from
from ekslint.linter.nodes import LMap, LSeq, NodePath, Pos, get_path, locate
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.secrets._blocks import line_in_scalar
from ekslint.rules.secrets._credentials import aws_hits, decode_base64, key_ids, may_hold_aws_key

_FIX = "rotate it and give the workload AWS access through IRSA or EKS Pod Identity instead"


def _key_name(root: Any, path: NodePath) -> str | None:
    """The name a value is stored under: its key, the ``name`` beside an env-style ``value``, or
    the key of the list that holds it."""
    if not path:
        return None
    last = path[-1]
    parent = get_path(root, path[:-1])
    if last == "value" and isinstance(parent, dict) and isinstance(parent.get("name"), str):
        return str(parent["name"])
    if isinstance(last, str):
        return last
    for key in reversed(path):
        if isinstance(key, str):
            return key
    return None


def _label(path: NodePath) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def _encoded(obj: K8sObject | None, path: NodePath) -> bool:
    if obj is None or len(path) != 2:
        return False
    return (obj.gk == "Secret" and path[0] == "data") or (obj.gk == "ConfigMap" and path[0] == "binaryData")


def _long_strings(root: Any) -> Iterator[tuple[NodePath, str]]:
    """Every string of at least 16 characters below ``root``, with its path, depth-first in
    document order: the leaves worth reading, without building a path for every other scalar
    (most of a manifest)."""
    stack: list[tuple[NodePath, Any]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            yield path, node
            continue
        items = node.items() if isinstance(node, dict) else enumerate(node)
        children = [
            (path + (key,), value)
            for key, value in items
            if isinstance(value, (dict, list)) or (isinstance(value, str) and len(value) >= 16)
        ]
        children.reverse()  # popped in document order
        stack += children


def _scan(source: SourceFile, root: LMap, obj: K8sObject | None) -> Iterator[Finding]:
    leaves = list(_long_strings(root))
    texts: dict[NodePath, str] = {}
    for path, value in leaves:
        text = decode_base64(value) if _encoded(obj, path) else value
        if text is not None:
            texts[path] = text
    # A secret key beside an access key id is its pair: in the same mapping (Secret data, a
    # ConfigMap), or in the same list of {name, value} items (an env list).
    id_paths = [p for p, t in texts.items() if key_ids(t)]
    maps = {p[:-1] for p in id_paths}
    lists = {p[:-2] for p in id_paths if len(p) >= 2 and isinstance(p[-2], int)}
    for path, text in texts.items():
        if not may_hold_aws_key(text):
            continue
        name = _key_name(root, path)
        beside = path[:-1] in maps or (len(path) >= 2 and isinstance(path[-2], int) and path[:-2] in lists)
        for hit in aws_hits(text, name, beside_key_id=beside):
            pos: Pos | None = None
            if "\n" in text.strip("\n") and not _encoded(obj, path):
                parent = get_path(root, path[:-1])
                start = None
                if isinstance(parent, LMap) and isinstance(path[-1], str):
                    start = parent.vpos.get(path[-1])
                elif isinstance(parent, LSeq) and isinstance(path[-1], int):
                    start = parent.ipos[path[-1]]
                if start is not None:
                    pos = line_in_scalar(source, start, text, hit.line, hit.col)
            where = _label(path) + (f" line {hit.line + 1}" if pos is not None else "")
            if name and path[-1] == "value" and name != "value":
                where += f" ({name})"
            message = f"{where} holds {hit.what}: static AWS credentials in a manifest; {_FIX}"
            if obj is not None:
                yield Finding(f"{obj.ref}: {message}", path, obj=obj, pos=pos)
            else:
                yield Finding(message, pos=pos or locate(root, path))


@rule(
    id="aws-static-credentials",
    title="Manifests must not hold AWS access keys",
    level=Level.ERROR,
    targets=(SourceFile,),
    tags=("security", "secrets", "aws"),
)
def check(source: SourceFile, ctx: RuleContext) -> Iterator[Finding]:
    text = source.text
    if not any(marker in text for marker in ("AKIA", "ASIA", "ecret", "ECRET", "binaryData")):
        return  # no key id, no secret-key name, no encoded data: nothing to decode or match
    for doc in source.documents:
        objects = list(objects_from(doc))
        if not objects:
            yield from _scan(source, doc.root, None)
        for obj in objects:
            yield from _scan(source, obj.root, obj)
