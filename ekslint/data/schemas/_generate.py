"""Regenerate the reduced schemas in this folder from the reference copies of the upstream files.

Usage: ``python ekslint/data/schemas/_generate.py ../shared/reference``

The upstream files are references, not project files: this keeps only the keywords ekslint
validates with (types, properties, required fields, enums, patterns, bounds and the Kubernetes
structural-schema markers) and drops descriptions, defaults, editor hints and CEL rules.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent

#: JSON Schema keywords kept for the eksctl schema (a draft-07 schema with ``definitions``).
EKSCTL_KEEP = {
    "type",
    "properties",
    "additionalProperties",
    "items",
    "required",
    "enum",
    "$ref",
    "oneOf",
    "anyOf",
    "allOf",
    "pattern",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
}
#: OpenAPI v3 keywords kept for CRD structural schemas.
CRD_KEEP = {
    "type",
    "properties",
    "additionalProperties",
    "items",
    "required",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "uniqueItems",
    "multipleOf",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "nullable",
    "x-kubernetes-int-or-string",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
}
#: Keywords whose value maps names to schemas (every value is reduced, the names kept).
MAPS = {"properties", "definitions"}
#: Keywords whose value is a schema or a list of schemas.
SUBSCHEMAS = {"items", "additionalProperties", "oneOf", "anyOf", "allOf", "not"}


def reduce(node: Any, keep: set[str]) -> Any:
    if isinstance(node, list):
        return [reduce(item, keep) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in MAPS:
            out[key] = {name: reduce(sub, keep) for name, sub in value.items()}
        elif key in keep:
            out[key] = reduce(value, keep) if key in SUBSCHEMAS else value
    return out


#: Where eksctl's Go types accept more than the generated schema says (custom UnmarshalJSON).
EKSCTL_FIXUPS: dict[str, Any] = {
    # taintsWrapper also accepts the legacy map form `key: value:Effect` (pkg/apis/eksctl.io/v1alpha5).
    "taintsWrapper": {
        "anyOf": [
            {"type": "array", "items": {"$ref": "#/definitions/NodeGroupTaint"}},
            {"type": "object", "additionalProperties": {"type": "string"}},
        ]
    },
}


def write(name: str, data: dict[str, Any]) -> None:
    text = json.dumps(data, separators=(",", ":"), sort_keys=False)
    (HERE / name).write_text(text + "\n", encoding="utf-8")


def main(reference: Path) -> None:
    eksctl = json.loads((reference / "eksctl-clusterconfig.schema.json").read_text(encoding="utf-8"))
    write(
        "eksctl-clusterconfig-v1alpha5.json",
        {
            "$comment": "Reduced from eksctl-io/eksctl pkg/apis/eksctl.io/v1alpha5/assets/schema.json @ 99984adb "
            "(v0.230.0, Apache-2.0; (c) 2018 Weaveworks, (c) 2023 The eksctl Authors) by "
            "ekslint/data/schemas/_generate.py: validation keywords only, plus the map form of taints.",
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$ref": "#/definitions/ClusterConfig",
            "definitions": {
                name: EKSCTL_FIXUPS.get(name) or reduce(d, EKSCTL_KEEP) for name, d in eksctl["definitions"].items()
            },
        },
    )
    crds = (
        ("karpenter.sh_nodepools.yaml", "karpenter-nodepool-v1.json", "a2496cca63d6"),
        ("karpenter.k8s.aws_ec2nodeclasses.yaml", "karpenter-ec2nodeclass-v1.json", "7695b3c49c78"),
    )
    for source, target, file_commit in crds:
        crd = yaml.safe_load((reference / "karpenter-crds" / source).read_text(encoding="utf-8"))
        spec = crd["spec"]
        version = next(v for v in spec["versions"] if v["name"] == "v1")
        write(
            target,
            {
                "$comment": f"Reduced from aws/karpenter-provider-aws pkg/apis/crds/{source} @ 1d927085 (v1.14.1; file "
                f"{file_commit}, Apache-2.0) by ekslint/data/schemas/_generate.py: the v1 openAPIV3Schema "
                "without descriptions, defaults and CEL rules.",
                "group": spec["group"],
                "version": "v1",
                "kind": spec["names"]["kind"],
                "openAPIV3Schema": reduce(version["schema"]["openAPIV3Schema"], CRD_KEEP),
            },
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
