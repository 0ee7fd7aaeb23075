"""Kubernetes versions: the EKS calendar, the upgrade target of a scan, and versions as YAML wrote them.

Upgrade rules judge manifests against one *target* Kubernetes minor: ``--kubernetes-version`` when
given, else the eksctl ``ClusterConfig`` ``metadata.version`` found in the scan (the newest one when
several clusters are scanned: an API removed there breaks that cluster), else the newest version
in EKS standard support on ``--as-of``. The target is resolved once per scan.

Versions are written by hand in YAML, where an unquoted ``1.30`` is the float 1.3. ekslint reads
the version the author meant from the source text, and :func:`go_string` tells what eksctl (which
coerces scalars into Go strings with ``sigs.k8s.io/yaml``) makes of it.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import weakref
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ekslint.data.eks_versions import EKSCTL_DEFAULT_VERSION, RELEASES, EksRelease
from ekslint.linter.nodes import LMap, Pos

if TYPE_CHECKING:
    from ekslint.linter.context import RuleContext
    from ekslint.linter.loader import SourceFile
    from ekslint.linter.model import ClusterConfig

MINOR_RE = re.compile(r"^1\.(\d{1,2})$")


def minor(version: str | None) -> int | None:
    """``"1.33"`` -> 33; ``None`` for anything that is not a ``1.<minor>`` version."""
    m = MINOR_RE.match(version or "")
    return int(m.group(1)) if m else None


def version_key(version: str) -> tuple[int, ...]:
    """A sort key for dotted versions (``"1.9" < "1.10"``, which string comparison gets wrong)."""
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def at_least(version: str, floor: str | None) -> bool:
    """``version >= floor`` as Kubernetes minors; a ``None`` floor is always reached."""
    return floor is None or version_key(version) >= version_key(floor)


# -- the EKS calendar ----------------------------------------------------------------------------


def release(version: str) -> EksRelease | None:
    """The EKS calendar row of a minor (``None`` when ekslint does not know it)."""
    return RELEASES.get(version)


def in_standard_support(version: str, today: dt.date) -> bool:
    rel = RELEASES.get(version)
    return bool(
        rel
        and rel.eks_release
        and rel.end_of_standard_support
        and rel.eks_release <= today < rel.end_of_standard_support
    )


def newest_in_standard_support(today: dt.date) -> str:
    """The newest EKS minor in standard support on ``today`` (the newest released one as a fallback)."""
    supported = [v for v in RELEASES if in_standard_support(v, today)]
    if supported:
        return max(supported, key=version_key)
    released = [v for v, r in RELEASES.items() if r.eks_release and r.eks_release <= today]
    return max(released or [EKSCTL_DEFAULT_VERSION], key=version_key)


# -- versions as written in YAML -----------------------------------------------------------------


def source_line(source: SourceFile, number: int) -> str | None:
    """Line ``number`` (1-based) of ``source`` (cut where YAML cuts lines), or ``None``.

    Rules ask for the text of one scalar at a time: :meth:`SourceFile.line` cuts it out of the
    text without splitting the whole file (which made a big manifest quadratic, and a list of
    its lines costs three times its text).
    """
    if not 0 < number <= source.line_count:
        return None
    return source.line(number)


def source_scalar(source: SourceFile, pos: Pos) -> str | None:
    """The source text of the plain (unquoted) non-string scalar that starts at ``pos``.

    Meant for values YAML loaded as a bool, number or null (``yes``, ``1.30``, ``~``): their text
    never holds a space, ``#``, ``,``, ``]`` or ``}``, so the token ends at the first of those (a
    comment, or the next item of a flow collection). ``None`` for quoted or block scalars.
    """
    line = source_line(source, pos.line)
    return None if line is None else _plain_token(line, pos.col)


def _plain_token(line: str, col: int) -> str | None:
    text = line[col - 1 :]
    if not text or text[0] in "'\"|>&*!":
        return None
    m = re.match(r"[^\s#,\]}]+", text)
    return m.group(0) if m else None


def go_float32(value: float) -> str:
    """``strconv.FormatFloat(v, 'g', -1, 32)``: the shortest text that round-trips as a float32,
    in exponent form when the exponent is below -4 or at least 6 (Go's rule for shortest ``%g``)."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    packed = struct.unpack("f", struct.pack("f", value))[0]
    text = f"{value:.8e}"
    for digits in range(1, 10):
        text = f"{value:.{digits - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == packed:
            break
    mantissa, _, exp_text = text.partition("e")
    exp = int(exp_text)
    if exp < -4 or exp >= 6:
        return f"{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    fixed = format(Decimal(text), "f")
    return fixed.rstrip("0").rstrip(".") if "." in fixed else fixed


def go_string(value: Any) -> str | None:
    """What ``sigs.k8s.io/yaml`` puts in a Go ``string`` field for a YAML scalar (eksctl configs):
    ``yes`` -> ``"true"``, ``1.30`` -> ``"1.3"``; ``None`` for null and non-scalars."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float32(value)
    if isinstance(value, str):
        return value
    return None


@dataclass(frozen=True)
class WrittenVersion:
    """A version field: what the author wrote and what the tool reading it gets."""

    #: The text as written (the source text of an unquoted number, so ``1.30`` stays ``1.30``).
    written: str
    #: What eksctl reads (``1.3`` for an unquoted ``1.30``).
    read_as: str
    #: True when YAML loaded it as a number, not a string.
    unquoted_number: bool
    pos: Pos


def written_version(mapping: Any, key: str, source: SourceFile) -> WrittenVersion | None:
    """The version in ``mapping[key]`` with its source text, or ``None`` when absent or empty."""
    if not isinstance(mapping, LMap) or key not in mapping or mapping[key] is None:
        return None
    value = mapping[key]
    pos = mapping.vpos[key]
    read_as = go_string(value)
    if read_as is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raw = source_scalar(source, pos)
        return WrittenVersion(raw or read_as, read_as, True, pos)
    return WrittenVersion(read_as, read_as, False, pos)


def cluster_version(cfg: ClusterConfig) -> WrittenVersion | None:
    """``metadata.version`` of an eksctl ClusterConfig (``None`` when absent: eksctl's default)."""
    return written_version(cfg.root.get("metadata"), "version", cfg.file)


# -- the target version of a scan ----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The Kubernetes minor upgrade rules judge against, and where it came from (for messages)."""

    version: str
    source: str

    @property
    def minor(self) -> int:
        return minor(self.version) or 0


_TARGETS: weakref.WeakKeyDictionary[Any, dict[tuple[str | None, dt.date], Target]] = weakref.WeakKeyDictionary()


def target_version(ctx: RuleContext) -> Target:
    """Resolve the scan's target version (cached per scan index and settings)."""
    settings = ctx.settings
    key = (settings.kubernetes_version, settings.today)
    per_index = _TARGETS.setdefault(ctx.index, {})
    if key not in per_index:
        per_index[key] = _resolve_target(ctx)
    return per_index[key]


def _resolve_target(ctx: RuleContext) -> Target:
    if ctx.settings.kubernetes_version:
        return Target(ctx.settings.kubernetes_version, "--kubernetes-version")
    found: list[tuple[str, str]] = []
    for cfg in ctx.index.cluster_configs:
        written = cluster_version(cfg)
        if written is not None and minor(written.written) is not None:
            found.append((written.written, cfg.name or "<unnamed>"))
    if found:
        version, name = max(found, key=lambda f: version_key(f[0]))
        return Target(version, f"metadata.version of ClusterConfig {name}")
    today = ctx.settings.today
    version = newest_in_standard_support(today)
    return Target(version, f"the newest EKS version in standard support on {today.isoformat()}")
