"""How ekslint's Terraform evaluator and tfparse agree on the values of the same attributes.

    pip install tfparse            # development only: not a dependency of ekslint
    python bench/tfparse_compare.py [--corpus DIR] [--show N]

For every root module of the corpus (a folder no other folder calls with a local ``source``),
both evaluators compute the top-level attributes of the resources the cluster model reads
(``aws_eks_cluster``, ``aws_eks_node_group``, ``aws_eks_fargate_profile``, ``aws_eks_addon``,
``aws_subnet``, ``aws_vpc``, ``aws_launch_template``) and the arguments of every module call, and
each pair is counted:

* ``same``: both known and equal;
* ``both unknown``: ekslint unknown, tfparse null or a reference id (tfparse writes unknowns
  as null and references as generated ids);
* ``ekslint only``: ekslint knows a value where tfparse has null (tfparse cannot tell null from
  unknown, so some of these are real nulls that ekslint also gives as null);
* ``tfparse only``: tfparse knows a value where ekslint says unknown;
* ``different``: both known and different (listed with ``--show``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus-iac" / "terraform"
TYPES = (
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_eks_fargate_profile",
    "aws_eks_addon",
    "aws_subnet",
    "aws_vpc",
    "aws_launch_template",
)
_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def plain(value: Any) -> Any:
    """ekslint's value with unknowns as the marker ``"?"``."""
    from ekslint.linter.terraform.values import Unknown

    if isinstance(value, Unknown):
        return "?"
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def theirs(value: Any) -> Any:
    """tfparse's value with its reference ids as ``"?"``; metadata dropped."""
    if isinstance(value, str) and _ID.match(value):
        return "?"
    if isinstance(value, list):
        return [theirs(v) for v in value]
    if isinstance(value, dict):
        if "__attribute__" in value or "__name__" in value:
            return "?"
        return {k: theirs(v) for k, v in value.items() if not k.startswith("__") and k != "id"}
    return value


def has_unknown(value: Any) -> bool:
    if value == "?":
        return True
    if isinstance(value, list):
        return any(has_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(has_unknown(v) for v in value.values())
    return False


def compare(a: Any, b: Any) -> str:
    if a == b:
        return "both unknown" if has_unknown(a) else "same"
    if has_unknown(a) and (b is None or has_unknown(b)):
        return "both unknown"
    if has_unknown(a):
        return "tfparse only"
    if b is None or has_unknown(b):
        return "ekslint only"
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and float(a) == float(b):
        return "same"
    return "different"


def ours(folder: Path, corpus: Path) -> dict[str, dict[str, Any]]:
    """address -> attribute -> value, from ekslint's evaluator (root and local child modules)."""
    from ekslint.linter.terraform.load import Loader
    from ekslint.linter.terraform.modules import Context, ModuleInstance

    notes: list[str] = []
    loader = Loader(corpus, corpus, 64 * 1024 * 1024, notes)
    loader.folder(os.path.realpath(folder))
    loader.follow_calls()
    module = loader.dirs[os.path.realpath(folder)]
    for reached in loader.reach(module):
        loader.load(reached)
    root = ModuleInstance(module, Context(loader.dirs, notes, []))
    out: dict[str, dict[str, Any]] = {}
    for m in root.walk():
        for type_ in TYPES:
            for inst in m.instances(type_):
                out[inst.address] = {k: plain(inst.get(k)) for k in inst.block.attrs if k not in ("count", "for_each")}
        for call in m.calls():
            out[call.address] = {
                k: plain(call.get(k)) for k in call.block.attrs if k not in ("count", "for_each", "source", "version")
            }
    return out


def tfparse_values(folder: Path) -> dict[str, dict[str, Any]]:
    import tfparse

    tfvars = [
        str(folder / n)
        for n in sorted(os.listdir(folder))
        if n in ("terraform.tfvars", "terraform.tfvars.json") or n.endswith((".auto.tfvars", ".auto.tfvars.json"))
    ]
    with contextlib.redirect_stderr(io.StringIO()):
        data = tfparse.load_from_path(str(folder), vars_paths=tfvars)
    out: dict[str, dict[str, Any]] = {}
    for type_, blocks in data.items():
        if type_ not in (*TYPES, "module"):
            continue
        for block in blocks:
            path = block.get("__tfmeta", {}).get("path")
            if path:
                out[path] = {k: theirs(v) for k, v in block.items() if not k.startswith("__")}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", type=int, default=10, help="differences to list")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from iac import root_folders, scanned_files

    counts: Counter[str] = Counter()
    differences: list[str] = []
    folders = root_folders(scanned_files(args.corpus))
    for folder in folders:
        try:
            mine, other = ours(folder, args.corpus), tfparse_values(folder)
        except Exception as exc:  # noqa: BLE001 - a comparison script: report and go on
            print(f"{folder}: {type(exc).__name__}: {exc}")
            continue
        for address, attrs in mine.items():
            if address not in other:
                continue
            for key, value in attrs.items():
                verdict = compare(value, other[address].get(key))
                counts[verdict] += 1
                if verdict == "different":
                    differences.append(
                        f"{folder.name}: {address}.{key}: ekslint {value!r} / tfparse {other[address].get(key)!r}"
                    )
    total = sum(counts.values())
    print(f"{len(folders)} root modules, {total} attribute values compared")
    for verdict in ("same", "both unknown", "ekslint only", "tfparse only", "different"):
        print(f"  {verdict:<13} {counts[verdict]:6} ({100 * counts[verdict] / max(total, 1):.1f}%)")
    for line in differences[: args.show]:
        print("  " + line[:300])


if __name__ == "__main__":
    main()
