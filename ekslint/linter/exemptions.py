"""Exemptions: "this object is exempt from that rule until March, because…", kept in the config.

A comment in a file is the wrong place when the file is vendored, generated or owned by another
team. An ``exemptions:`` entry names the rules, the objects (``Kind/namespace/name``, or
``Kind/name`` when cluster-scoped) and/or the paths (globs, as ``exclude``) it covers, a required
``reason`` and an optional ``expires`` date::

    exemptions:
      - rules: [run-as-root, privileged-container]
        objects: ["DaemonSet/kube-system/aws-node", "DaemonSet/*/ebs-csi-node"]
        reason: EKS-managed add-on; AWS owns the manifest (SEC-1234)
        expires: 2027-03-31
      - rules: [missing-memory-limit]
        paths: ["third_party/**"]
        reason: vendored charts, tracked upstream

A finding is exempt when its rule is listed (or ``all``), and it matches every selector the entry
gives: one of its ``objects`` and one of its ``paths``. Exempt findings are suppressed like a
comment would suppress them (SARIF: an ``external`` suppression carrying the reason).

An entry past its ``expires`` date exempts nothing, and is itself reported (``invalid-suppression``,
at the entry's line in the config), so an exemption cannot quietly outlive its reason; an entry
that matched no finding is reported with ``--warn-unused-suppressions`` (``unused-suppression``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any, NamedTuple

from ekslint.linter.lazyre import LazyPattern

#: ``Kind/name`` or ``Kind/namespace/name``; each part may hold glob characters.
_OBJECT = LazyPattern(r"^[^/\s]+(/[^/\s]+){1,2}$")
EXEMPTION_KEYS = {"rules", "objects", "paths", "reason", "expires"}


class Exemption(NamedTuple):
    """One ``exemptions:`` entry, validated; ``line`` is where it starts in the config file."""

    rules: tuple[str, ...]
    objects: tuple[str, ...]
    paths: tuple[str, ...]
    reason: str
    expires: dt.date | None
    line: int
    #: Rule families an ``all`` leaves out (the built-in add-on set keeps upgrade findings).
    keep_families: tuple[str, ...] = ()
    builtin: bool = False

    @property
    def exact_objects(self) -> frozenset[str]:
        """The ``objects`` without glob characters: a set lookup per finding."""
        return _split_objects(self.objects)[0]

    @property
    def globbed_objects(self) -> tuple[str, ...]:
        return _split_objects(self.objects)[1]

    def covers(self, rule_id: str, family: str = "") -> bool:
        return rule_id in self.rules or ("all" in self.rules and family not in self.keep_families)

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def describe(self) -> str:
        return f"exemption for {', '.join(self.rules)} ({self.reason})"


@lru_cache(maxsize=256)
def _split_objects(objects: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """``objects`` split into names without glob characters and globs, worked out once per entry
    (it is asked for each finding)."""
    return frozenset(p for p in objects if not _has_glob(p)), tuple(p for p in objects if _has_glob(p))


class ExemptionError(ValueError):
    """An entry that is not a valid exemption; the config turns it into a one-line error."""


#: The EKS add-ons whose manifests AWS owns (EKS installs and updates them; a cluster's repository
#: often vendors them to pin a version): findings on them are not the repository's to fix.
#: Names as the add-ons deploy them (EKS user guide, "Amazon EKS add-ons"; the aws-ebs-csi-driver
#: and aws-efs-csi-driver charts). Upgrade findings (removed APIs) still show: they break the apply.
EKS_ADDON_OBJECTS = (
    "DaemonSet/kube-system/aws-node",
    "DaemonSet/kube-system/kube-proxy",
    "Deployment/kube-system/coredns",
    "DaemonSet/kube-system/ebs-csi-node",
    "DaemonSet/kube-system/ebs-csi-node-windows",
    "Deployment/kube-system/ebs-csi-controller",
    "DaemonSet/kube-system/efs-csi-node",
    "Deployment/kube-system/efs-csi-controller",
    "DaemonSet/kube-system/eks-pod-identity-agent",
)
EKS_ADDONS = Exemption(
    rules=("all",),
    objects=EKS_ADDON_OBJECTS,
    paths=(),
    reason="an EKS-managed add-on: AWS owns this manifest (eks-addon-exemptions: false reports it)",
    expires=None,
    line=0,
    keep_families=("upgrade",),
    builtin=True,
)


def parse_exemptions(
    value: Any, where: str, lines: list[int], parse_date: Callable[[Any, str], dt.date]
) -> list[Exemption]:
    """Validate the ``exemptions:`` list (``lines`` gives each entry's line, where known)."""
    if not isinstance(value, list):
        raise ExemptionError(f"{where}: exemptions must be a list of entries")
    out = []
    for number, entry in enumerate(value):
        here = f"{where}: exemptions[{number}]"
        if not isinstance(entry, dict):
            raise ExemptionError(f"{here}: expected a mapping with rules, objects/paths and reason")
        unknown = set(map(str, entry)) - EXEMPTION_KEYS
        if unknown:
            raise ExemptionError(f"{here}: unknown key(s) {', '.join(sorted(unknown))}")
        rules = _strings(entry.get("rules", []), f"{here}.rules")
        if not rules:
            raise ExemptionError(f"{here}: rules is required (rule ids, or all)")
        objects = _strings(entry.get("objects", []), f"{here}.objects")
        for pattern in objects:
            if not _OBJECT.match(pattern):
                raise ExemptionError(f"{here}.objects: {pattern!r} is not Kind/namespace/name or Kind/name")
        paths = _strings(entry.get("paths", []), f"{here}.paths")
        if not objects and not paths:
            raise ExemptionError(f"{here}: give objects, paths or both (an exemption of everything is a disable)")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ExemptionError(f"{here}: reason is required: say why, for whoever reads this next")
        expires = parse_date(entry["expires"], f"{here}.expires") if "expires" in entry else None
        line = lines[number] if number < len(lines) else lines[-1] if lines else 1  # an inline TOML array
        out.append(Exemption(tuple(rules), tuple(objects), tuple(paths), reason.strip(), expires, line))
    return out


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ExemptionError(f"{where} must be a list of strings")
    return list(value)


def matches(
    exemption: Exemption,
    rule_id: str,
    family: str,
    rel_path: str | None,
    ref: str | None,
    path_glob: Callable[[str, str], bool],
) -> bool:
    """Whether ``exemption`` covers a finding of ``rule_id`` in ``rel_path`` on object ``ref``.

    ``path_glob(path, pattern)`` is the match the excludes use; objects match part by part.
    """
    if not exemption.covers(rule_id, family):
        return False
    if exemption.paths and (rel_path is None or not any(path_glob(rel_path, p) for p in exemption.paths)):
        return False
    if not exemption.objects:
        return True
    return ref is not None and (ref in exemption.exact_objects or objects_match(ref, exemption.globbed_objects))


def _has_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


@lru_cache(maxsize=1 << 16)
def objects_match(ref: str, patterns: tuple[str, ...]) -> bool:
    """Whether any of ``patterns`` matches ``ref`` (:func:`object_matches`). Cached: the findings
    of one object all ask about the same ref."""
    return any(object_matches(ref, p) for p in patterns)


def object_matches(ref: str, pattern: str) -> bool:
    """``Kind/namespace/name`` against a pattern with as many parts, each a glob (``*``, ``?``, ``[]``).

    Part by part with ``fnmatchcase``, whose translation has been free of catastrophic
    backtracking since Python 3.9, on parts no longer than a Kubernetes name.
    """
    if not _has_glob(pattern):  # most patterns name one object
        return ref == pattern
    parts, wanted = ref.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(fnmatchcase(p, w) for p, w in zip(parts, wanted, strict=True))
