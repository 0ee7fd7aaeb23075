"""Workloads that run one active replica by design: leader-elected controllers and singletons.

A leader-elected controller (cluster-autoscaler, the AWS Load Balancer Controller, Karpenter,
cert-manager, a kubebuilder manager started with ``--leader-elect``) works only in the pod that
holds a Lease; other replicas wait on it. More replicas add no capacity, so an HPA is the wrong
advice; a second replica is a warm standby that takes over when the lease expires (seconds to a
minute) instead of after a replacement pod is scheduled, pulled and started.

A singleton (external-dns) has no election and must run alone: a second replica is no remedy.

Leader election is on for a long-running container when its command line switches it on
(:data:`~ekslint.data.leader_election.ENABLE_FLAGS`, also inside a ``sh -c`` string), or when its
image elects a leader by default and neither a flag nor the environment switches it off. Values
are read as Go's flag package reads booleans (``strconv.ParseBool``); the last occurrence wins.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from ekslint.data.leader_election import (
    DISABLE_ENV,
    DISABLE_FLAGS,
    ENABLE_FLAGS,
    LEADER_ELECTED_IMAGES,
    SINGLETON_IMAGES,
)
from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.model import Container, Workload
from ekslint.linter.strconv import parse_bool
from ekslint.rules.podsecurity.latest_image_tag import split_image

_FLAG = LazyPattern(r"^--?([a-z][a-z-]*)(?:=(.*))?$")


class OneActive(NamedTuple):
    """Why a workload runs one active replica: ``leader-election`` or ``singleton``, and how we know."""

    kind: Literal["leader-election", "singleton"]
    why: str


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _known(image: Any, table: dict[str, str]) -> str | None:
    """The controller of ``table`` whose repository path ``image`` ends with."""
    if not isinstance(image, str):
        return None
    parts = split_image(image.strip())[0].split("/")
    for suffix, what in table.items():
        tail = suffix.split("/")
        if parts[-len(tail) :] == tail:
            return what
    return None


def _election_flag(c: Container) -> tuple[bool, str] | None:
    """The container's last leader-election switch on its command line: (on, as written)."""
    found = None
    for arg in _list(c.spec.get("command")) + _list(c.spec.get("args")):
        if not isinstance(arg, str):
            continue
        for word in arg.split():
            m = _FLAG.match(word.strip("'\""))
            if not m or m.group(1) not in ENABLE_FLAGS | DISABLE_FLAGS:
                continue
            value = True if m.group(2) is None else parse_bool(m.group(2).strip("'\""))
            if value is not None:
                found = (value if m.group(1) in ENABLE_FLAGS else not value, m.group(0).strip("'\""))
    return found


def _disabled_by_env(c: Container) -> bool:
    for env in _list(c.spec.get("env")):
        if isinstance(env, dict) and env.get("name") in DISABLE_ENV:
            return parse_bool(str(env.get("value", ""))) is True
    return False


def one_active(w: Workload) -> OneActive | None:
    """Does ``w`` run one active replica by design (see the module docstring)?"""
    singleton = None
    for c in w.iter_containers():
        if not c.long_running:
            continue
        flag = _election_flag(c)
        if flag is not None:
            if flag[0]:
                return OneActive("leader-election", f"{flag[1]} on {c.describe}")
            continue
        elected = _known(c.spec.get("image"), LEADER_ELECTED_IMAGES)
        if elected and not _disabled_by_env(c):
            return OneActive("leader-election", f"{elected} elects a leader unless told not to")
        singleton = singleton or _known(c.spec.get("image"), SINGLETON_IMAGES)
    return OneActive("singleton", f"{singleton} must run alone") if singleton else None
