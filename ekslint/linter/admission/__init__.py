"""ValidatingAdmissionPolicies evaluated offline (see :mod:`.policies`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ekslint.linter.admission.policies import PolicySet, build_policy_set, is_policy_object


def load_policy_files(paths: list[str], cwd: Path, max_bytes: int) -> tuple[list[Any], list[str]]:
    """The objects of ``--policy`` files and folders (policies, bindings and params), and the
    problems reading them. Folders are walked as a scan walks them."""
    from ekslint.linter.loader import read_file
    from ekslint.linter.model import objects_from
    from ekslint.linter.paths import discover

    candidates, problems = discover(paths, cwd=cwd, root=cwd, exclude=[])
    errors = [f"--policy {p.display}: {p.message}" for p in problems]
    objects: list[Any] = []
    for cand in candidates:
        if cand.path is None:
            errors.append("--policy: standard input is for manifests, not policies")
            continue
        try:
            source = read_file(cand.path, cand.display, max_bytes=max_bytes)
        except OSError as exc:
            errors.append(f"--policy {cand.display}: cannot read: {exc.strerror or exc}")
            continue
        objects += [obj for doc in source.documents for obj in objects_from(doc)]
    return objects, errors


def policy_set(scanned: list[Any], extra: list[Any]) -> PolicySet | None:
    crds = [o for o in [*scanned, *extra] if o.kind == "CustomResourceDefinition"]
    return build_policy_set([o for o in [*scanned, *extra] if is_policy_object(o)], extra, crds)
