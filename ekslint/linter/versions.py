"""Kubernetes versions: the EKS calendar, the upgrade target of a scan, and versions as YAML wrote them.

Upgrade rules judge each manifest against a *target* Kubernetes minor: ``--kubernetes-version``,
else ``kubernetes-version`` in the config, else the version of the cluster defined in the
manifest's folder or above (eksctl, Terraform, CloudFormation; see :class:`Targets`), else the
newest version in EKS standard support on ``--as-of``. Targets are resolved once per scan, and a
note names each one used and why.

Versions are written by hand in YAML, where an unquoted ``1.30`` is the float 1.3. ekslint reads
the version the author meant from the source text, and :func:`go_string` tells what eksctl (which
coerces scalars into Go strings with ``sigs.k8s.io/yaml``) makes of it.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from ekslint.data.deprecated_apis import KUBERNETES
from ekslint.data.eks_versions import EKSCTL_DEFAULT_VERSION, RELEASES, EksRelease
from ekslint.linter.index import source_folder
from ekslint.linter.nodes import LMap, Pos

if TYPE_CHECKING:
    from ekslint.linter.context import RuleContext
    from ekslint.linter.loader import SourceFile
    from ekslint.linter.model import ClusterConfig, K8sObject

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


# -- the versions ekslint knows ------------------------------------------------------------------

#: The oldest target ekslint judges: its API table holds every Kubernetes removal from 1.16 on.
OLDEST_KNOWN = min((a.removed_in for a in KUBERNETES if a.removed_in), key=version_key)
#: The newest Kubernetes minor in the calendar. Newer targets are judged (with a note), since a
#: release of ekslint must keep working as Kubernetes moves on.
NEWEST_KNOWN = max(RELEASES, key=version_key)
#: For messages.
KNOWN_RANGE = f"known versions are {OLDEST_KNOWN}\u2013{NEWEST_KNOWN}"


def older_than_known(version: str) -> bool:
    return version_key(version) < version_key(OLDEST_KNOWN)


def newer_than_known(version: str) -> str:
    """The note's remark on a target newer than every version ekslint knows, else ``""``."""
    if version_key(version) <= version_key(NEWEST_KNOWN):
        return ""
    return (
        f"; newer than {NEWEST_KNOWN}, the newest version ekslint knows: "
        f"APIs deprecated after {NEWEST_KNOWN} are not in its table"
    )


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
    from decimal import Decimal  # only floats in eksctl string fields get here

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


class WrittenVersion(NamedTuple):
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


class Target(NamedTuple):
    """The Kubernetes minor upgrade rules judge against, and where it came from (for messages)."""

    version: str
    source: str
    #: Where a cluster definition's version applies ("clusters/old/ and below"); "" for the whole scan.
    scope: str = ""
    #: The fallback for the files outside every cluster definition's tree (when there are such trees).
    elsewhere: bool = False
    #: Said in the note only: how to choose another target.
    hint: str = ""

    @property
    def minor(self) -> int:
        return minor(self.version) or 0

    @property
    def note(self) -> str:
        """``target Kubernetes version 1.22 for clusters/old/ and below (metadata.version of ...)``."""
        where = f" for {self.scope}" if self.scope else " elsewhere" if self.elsewhere else ""
        return f"{TARGET_NOTE}{self.version}{where} ({self.source}{self.hint})"


#: How every note naming a target begins (see :func:`target_notes_first`).
TARGET_NOTE = "target Kubernetes version "


def target_notes_first(notes: list[str]) -> list[str]:
    """The target notes first and sorted, then the others in their order.

    Rules say which target they used as they meet objects, so the order in which the notes
    arrive depends on the rule order and, in a parallel scan, on how the objects were chunked;
    sorted, the report is the same either way.
    """
    targets = sorted(
        (n for n in notes if n.startswith(TARGET_NOTE)),
        key=lambda n: (version_key(n[len(TARGET_NOTE) :].split()[0]), n),
    )
    return [*targets, *(n for n in notes if not n.startswith(TARGET_NOTE))]


#: Said with the default target: it changes with the calendar, and a flag or the config pins it.
DEFAULT_HINT = "; --kubernetes-version or kubernetes-version in .ekslint.yaml sets it"


def target_version(ctx: RuleContext, obj: K8sObject) -> Target:
    """The target version ``obj`` is judged against (resolved once per scan and settings), and a
    note in the rule's context naming it, so that the scan says which target it used and why."""
    settings = ctx.settings
    key = (Targets, settings.kubernetes_version, settings.kubernetes_version_source, settings.today)
    target = ctx.index.cached(key, lambda: Targets(ctx), lasting=True).of(obj)
    if target.note not in ctx.notes:
        ctx.notes.append(target.note)
    return target


class Targets:
    """The target versions of one scan, by precedence:

    1. ``--kubernetes-version``, else ``kubernetes-version`` in the config: the whole scan;
    2. the version of a cluster definition (eksctl ``metadata.version``, Terraform ``version``,
       CloudFormation ``Version``) for the manifests filed in its folder or below: the deepest such
       folder wins, and in one folder the newest version (an API removed there breaks that cluster).
       A monorepo's old ClusterConfig thus never judges the unrelated manifests beside its folder;
    3. the newest EKS version in standard support on ``--as-of``, for everything else.

    Manifests without a file (stdin, Helm output) sit in no folder: only cluster definitions read
    the same way (from stdin too) apply to them.
    """

    def __init__(self, ctx: RuleContext) -> None:
        settings = ctx.settings
        version = settings.kubernetes_version
        self.fixed = (
            Target(version, settings.kubernetes_version_source, hint=newer_than_known(version)) if version else None
        )
        self.homes: dict[tuple[str, ...] | None, Target] = {}
        if self.fixed is None:
            self._collect_homes(ctx)
        today = settings.today
        self.fallback = Target(
            newest_in_standard_support(today),
            f"the newest EKS version in standard support on {today.isoformat()}",
            elsewhere=bool(self.homes),
            hint=DEFAULT_HINT,
        )
        self._by_folder: dict[tuple[str, ...] | None, Target] = {}
        self._by_file: dict[str | None, Target] = {}  # the answer per source file

    def _collect_homes(self, ctx: RuleContext) -> None:
        newest: dict[tuple[str, ...] | None, tuple[tuple[int, ...], Target]] = {}
        for c in ctx.index.clusters:
            written = c.version
            if written is None or c.home is None or minor(written.written) is None or older_than_known(written.written):
                continue  # no version, or one EKS never ran (eks-version-support reports it): the fallback
            home = c.home
            folder = source_folder(home) if home.path is not None else None
            if folder is None:
                scope = home.display
            else:
                parent = PurePosixPath(home.display.replace("\\", "/")).parent.as_posix()
                scope = f"{parent}/ and below"
            source = f"{written.key} of {c.describe} at {written.at.describe}{written.whence}"
            key = version_key(written.written)
            if folder not in newest or key > newest[folder][0]:
                newest[folder] = (
                    key,
                    Target(written.written, source, scope=scope, hint=newer_than_known(written.written)),
                )
        self.homes = {folder: target for folder, (_, target) in newest.items()}

    def of(self, obj: K8sObject) -> Target:
        if self.fixed is not None:
            return self.fixed
        origin = obj.doc.origin_file
        source = origin if origin is not None and origin.path is not None else obj.file
        key = str(source.path) if source.path is not None else None  # every rule asks of every object
        found = self._by_file.get(key)
        if found is None:
            folder = placed_folder(obj)
            found = self._by_folder.get(folder)
            if found is None:
                found = self._by_folder[folder] = self._nearest_home(folder)
            self._by_file[key] = found
        return found

    def _nearest_home(self, folder: tuple[str, ...] | None) -> Target:
        if folder is None:
            return self.homes.get(None, self.fallback)
        best: tuple[int, Target] | None = None
        for home, target in self.homes.items():
            if home is not None and folder[: len(home)] == home and (best is None or len(home) > best[0]):
                best = (len(home), target)
        return best[1] if best is not None else self.fallback


def placed_folder(obj: K8sObject) -> tuple[str, ...] | None:
    """The folder an object is filed in (a Kustomize-rendered object: its source file's), or None
    when it has no file (stdin, Helm output)."""
    origin = obj.doc.origin_file
    source = origin if origin is not None and origin.path is not None else obj.file
    return source_folder(source) if source.path is not None else None
