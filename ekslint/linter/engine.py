"""The scan: discover files, load them, build the object index, run rules, resolve findings.

``lint(paths, settings) -> Report`` is the whole library API. Rules only yield findings; here they
get their id, level (config overrides first), file position, suppression state and a stable order.
A rule that raises becomes a run error for that rule and file, and the scan goes on.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from ekslint.linter.config import ActiveRule, Settings, resolve_rules
from ekslint.linter.context import RuleContext
from ekslint.linter.helm import HelmError, render_chart
from ekslint.linter.index import ScanIndex
from ekslint.linter.kustomize import render_folder
from ekslint.linter.loader import SourceFile, load_bytes, read_file
from ekslint.linter.model import K8sObject, Workload, objects_from
from ekslint.linter.nodes import NodePath, Pos, locate
from ekslint.linter.paths import Candidate, discover, is_excluded, relative_to_root
from ekslint.linter.registry import Finding, load_rules
from ekslint.linter.rendered import attribute_helm_sources
from ekslint.linter.report import Report, Result, RunError
from ekslint.linter.suppress import ANNOTATION, Directive, FileSuppressions, annotation_directive, parse_file

INVALID_SUPPRESSION = "invalid-suppression"
UNUSED_SUPPRESSION = "unused-suppression"

Progress = Callable[[int, int], None]


def node_label(path: NodePath) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def load_candidates(
    candidates: Sequence[Candidate],
    settings: Settings,
    report: Report,
    stdin: BinaryIO | None,
    progress: Progress | None,
) -> list[SourceFile]:
    files: list[SourceFile] = []
    for n, cand in enumerate(candidates, 1):
        if progress:
            progress(n, len(candidates))
        try:
            if cand.path is None:
                stream = stdin if stdin is not None else sys.stdin.buffer
                data = stream.read(settings.max_file_bytes + 1)
                if len(data) > settings.max_file_bytes:
                    report.errors.append(
                        RunError(f"more than {settings.max_file_bytes:,} bytes; not linted", file=cand.display)
                    )
                    continue
                source = load_bytes(SourceFile(display=cand.display), data)
                if attribute_helm_sources(source):
                    report.notes.append(
                        "<stdin>: Helm output: findings name the template from '# Source:'; "
                        "lines count from the start of each rendered document"
                    )
            else:
                source = read_file(cand.path, cand.display, max_bytes=settings.max_file_bytes)
        except OSError as exc:
            report.errors.append(RunError(f"cannot read: {exc.strerror or exc}", file=cand.display))
            continue
        if source.skipped:
            report.notes.append(f"{source.display}: skipped: {source.skipped}")
        files.append(source)
    return files


class _Suppressor:
    """Applies comment and annotation suppressions and tracks which were used."""

    def __init__(self, settings: Settings, known: set[str]) -> None:
        self.enabled = settings.inline_suppressions
        self.known = known
        self.files: dict[int, FileSuppressions] = {}
        self.annotations: dict[int, Directive | None] = {}
        self.bad: list[tuple[SourceFile, Pos, str]] = []

    def for_file(self, source: SourceFile) -> FileSuppressions:
        key = id(source)
        if key not in self.files:
            sup = parse_file(source, self.known) if self.enabled else FileSuppressions()
            self.files[key] = sup
            self.bad.extend((source, b.pos, b.message) for b in sup.bad)
        return self.files[key]

    def for_object(self, obj: K8sObject) -> Directive | None:
        key = id(obj)
        if key not in self.annotations:
            directive = None
            if self.enabled and ANNOTATION in obj.annotations:
                directive, bad = annotation_directive(
                    obj.annotations, locate(obj.root, ("metadata", "annotations", ANNOTATION)), self.known
                )
                self.bad.extend((obj.file, b.pos, b.message) for b in bad)
            self.annotations[key] = directive
        return self.annotations[key]

    def match(self, rule_id: str, source: SourceFile, line: int, obj: K8sObject | None) -> Directive | None:
        if not self.enabled or rule_id in (INVALID_SUPPRESSION, UNUSED_SUPPRESSION):
            return None
        sup = self.for_file(source)
        candidates = [*sup.line.get(line, []), *sup.file]
        if obj is not None:
            ann = self.for_object(obj)
            if ann is not None:
                candidates.append(ann)
        for directive in candidates:
            if directive.covers(rule_id):
                directive.used.add(rule_id)
                return directive
        return None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the length of a scan.

    A scan builds hundreds of thousands of dicts and lists that all live until it ends, and the
    collector, triggered by allocation counts, walks that growing heap again and again for no
    gain: on the corpus that doubled loading time. Nearly nothing a scan makes is cyclic garbage,
    so reference counting frees what it drops; the collector runs again after the scan.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def lint(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    cwd: Path | None = None,
) -> Report:
    """Scan ``paths`` (files, folders, ``-`` for stdin) and return every finding."""
    with gc_paused():
        return _lint(paths, settings, stdin=stdin, progress=progress, cwd=cwd)


def _lint(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None,
    progress: Progress | None,
    cwd: Path | None,
) -> Report:
    registry = load_rules()
    active = resolve_rules(settings, registry)
    report = Report(rules=active)
    cwd = cwd or Path.cwd()
    candidates, problems = discover(paths, cwd=cwd, root=settings.root, exclude=settings.exclude)
    report.errors.extend(RunError(p.message, file=p.display) for p in problems)
    files = load_candidates(candidates, settings, report, stdin, progress)
    for chart in settings.helm:
        try:
            files.append(render_chart(Path(chart), [Path(v) for v in settings.helm_values], cwd))
        except HelmError as exc:
            report.errors.append(RunError(str(exc)))
    for folder in settings.kustomize:
        rendered, errors = render_folder(Path(folder), cwd)
        files.extend(rendered)
        report.errors.extend(RunError(message) for message in errors)
    report.files = len(files)
    objects = [obj for source in files for doc in source.documents for obj in objects_from(doc)]
    report.objects = len(objects)
    index = ScanIndex(objects)
    suppressor = _Suppressor(settings, set(registry))
    results: dict[tuple[str, str, int, int, str], Result] = {}

    notes: list[str] = []
    running = frozenset(active)
    for rid, rule in active.items():
        if rid in (INVALID_SUPPRESSION, UNUSED_SUPPRESSION):
            continue
        ctx = RuleContext(index, rule.options, settings, rule, notes, running)
        for target in _targets(rule, files, objects, index):
            target_file = (
                target.file if isinstance(target, K8sObject) else target if isinstance(target, SourceFile) else None
            )
            try:
                findings = list(rule.meta.func(target, ctx))
            except Exception as exc:  # noqa: BLE001 - a broken rule must not stop the scan
                where = target_file.display if target_file else None
                report.errors.append(RunError(f"internal error: {type(exc).__name__}: {exc}", file=where, rule=rid))
                continue
            for finding in findings:
                result = _resolve(rule, finding, target, suppressor, settings)
                if result is None:
                    report.errors.append(RunError("internal error: finding without an object", rule=rid))
                    continue
                if result.suppressed == "config":  # excluded for this rule by path: not reported at all
                    continue
                results.setdefault((result.rule, result.file, result.line, result.col, result.message), result)

    report.notes.extend(notes)
    _suppression_findings(active, suppressor, files, objects, results)
    report.results = sorted(results.values(), key=lambda r: r.sort_key)
    return report


def _targets(rule: ActiveRule, files: list[SourceFile], objects: list[K8sObject], index: ScanIndex) -> Iterable[Any]:
    kinds = rule.meta.kinds
    for target_type in rule.meta.targets:
        if target_type is SourceFile:
            yield from files
        elif target_type is ScanIndex:
            yield index
        else:
            for obj in objects:
                if isinstance(obj, target_type) and (kinds is None or obj.gk in kinds):
                    yield obj


def _resolve(
    rule: ActiveRule, finding: Finding, target: Any, suppressor: _Suppressor, settings: Settings
) -> Result | None:
    obj = finding.obj if finding.obj is not None else (target if isinstance(target, K8sObject) else None)
    if obj is not None:
        source = obj.file
        pos = finding.pos or locate(obj.root, finding.path, value=finding.value)
    elif isinstance(target, SourceFile):
        source = target
        pos = finding.pos or Pos(1, 1)
    else:
        return None
    if (
        rule.exclude
        and source.path is not None
        and is_excluded(relative_to_root(source.path, settings.root), rule.exclude)
    ):
        return Result(rule.meta.id, rule.level, finding.message, source.display, pos.line, pos.col, suppressed="config")
    level = rule.level if rule.level != rule.meta.level else (finding.level or rule.level)
    display, line = source.display, pos.line
    if obj is not None and obj.doc.origin_root is not None:  # rendered by Kustomize
        origin_root = obj.doc.origin_root
        pos = origin_root.pos if finding.pos else locate(origin_root, finding.path, value=finding.value)
        display, line = obj.doc.origin or display, pos.line
        source = obj.doc.origin_file or source
    elif obj is not None and obj.doc.origin is not None:  # Helm output with '# Source:'
        display, line = obj.doc.origin, max(1, pos.line - obj.doc.origin_line_offset)
    directive = suppressor.match(rule.meta.id, source, pos.line, obj)
    return Result(
        rule=rule.meta.id,
        level=level,
        message=finding.message,
        file=display,
        line=line,
        col=pos.col,
        object=obj.ref if obj is not None else None,
        node=node_label(finding.path) if obj is not None and finding.pos is None else "",
        suppressed=directive.kind if directive else None,
        justification=directive.reason if directive else None,
    )


def _suppression_findings(
    active: dict[str, ActiveRule],
    suppressor: _Suppressor,
    files: list[SourceFile],
    objects: list[K8sObject],
    results: dict[tuple[str, str, int, int, str], Result],
) -> None:
    """Report malformed directives, and (when enabled) directives that suppressed nothing."""
    for source in files:  # parse every directive, even where no rule fired
        suppressor.for_file(source)
    annotated = [(obj.file, d) for obj in objects if (d := suppressor.for_object(obj)) is not None]
    if suppressor.enabled:
        for obj in objects:  # the annotation belongs on the object, where it is looked for
            if isinstance(obj, Workload) and not obj.is_pod and ANNOTATION in obj.template_annotations:
                where = locate(obj.root, (*obj.template_meta_path, "annotations", ANNOTATION))
                message = f"{ANNOTATION} in the pod template has no effect: move it to the {obj.kind}'s metadata"
                suppressor.bad.append((obj.file, where, message))
    if INVALID_SUPPRESSION in active:
        level = active[INVALID_SUPPRESSION].level
        for source, pos, message in suppressor.bad:
            r = Result(INVALID_SUPPRESSION, level, message, source.display, pos.line, pos.col)
            results.setdefault((r.rule, r.file, r.line, r.col, r.message), r)
    if UNUSED_SUPPRESSION in active:
        level = active[UNUSED_SUPPRESSION].level
        placed = [(source, d) for source in files for d in suppressor.for_file(source).all] + annotated
        for source, directive in placed:
            for rid in directive.ids:
                if rid not in directive.used and (rid in active or rid == "all"):
                    msg = f"suppression of {rid!r} matched no finding; remove it"
                    r = Result(UNUSED_SUPPRESSION, level, msg, source.display, directive.pos.line, directive.pos.col)
                    results.setdefault((r.rule, r.file, r.line, r.col, r.message), r)
