"""The scan: discover files, load them, build the object index, run rules, resolve findings.

``lint(paths, settings) -> Report`` is the whole library API. Rules only yield findings; here they
get their id, level (config overrides first), file position, suppression state and a stable order.
A rule that raises becomes a run error for that rule and file, and the scan goes on.

The rule phase runs over chunks of the files and objects (:func:`run_chunk`): all of them in one
chunk in-process, or, for big scans, many chunks over forked workers (``--jobs``). Outcomes are
grouped per rule and target type, so merging them in chunk order gives the report a
sequential run gives, byte for byte.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from ekslint.linter.cluster import build_clusters
from ekslint.linter.cluster.kinds import ClusterDefinition
from ekslint.linter.config import ActiveRule, Settings, config_in, resolve_rules, scan_rules, unused_configs_note
from ekslint.linter.context import RuleContext
from ekslint.linter.exemptions import matches as exemption_matches
from ekslint.linter.index import ScanIndex
from ekslint.linter.kustomize_context import give_namespaces, share
from ekslint.linter.loader import SourceFile, load_bytes, read_file
from ekslint.linter.model import K8sObject, Workload, objects_from
from ekslint.linter.nodes import NodePath, Pos, locate
from ekslint.linter.paths import Candidate, discover, display_path, is_excluded, relative_to_root
from ekslint.linter.registry import Finding, RuleMeta
from ekslint.linter.rendered import attribute_helm_sources
from ekslint.linter.report import Report, Result, RunError
from ekslint.linter.suppress import ANNOTATION, Directive, FileSuppressions, annotation_directive, parse_file
from ekslint.linter.versions import target_notes_first

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Site

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
    contents: Mapping[str, bytes] | None = None,
) -> list[SourceFile]:
    """Read and load each candidate; ``contents`` (real path → bytes) stands in for what some
    files hold (``ekslint fix`` counts what its fixes leave without writing them)."""
    files: list[SourceFile] = []
    for n, cand in enumerate(candidates, 1):
        if progress:
            progress(n, len(candidates))
        try:
            if cand.path is None:
                stream = stdin if stdin is not None else sys.stdin.buffer
                data = stream.read(settings.max_file_bytes + 1)
                if not data.strip():  # `helm template` failed, and the pipe has no pipefail
                    report.errors.append(RunError("nothing on standard input"))
                    continue
                if len(data) > settings.max_file_bytes:
                    report.errors.append(
                        RunError(f"more than {settings.max_file_bytes:,} bytes; not linted", file=cand.display)
                    )
                    continue
                source = load_bytes(SourceFile(display=cand.display), data)
                if attribute_helm_sources(source):
                    report.notes.append(
                        f"{cand.display}: Helm output: findings name the template from '# Source:'; "
                        "lines count from the start of each rendered document"
                    )
            elif contents and (data := contents.get(os.path.realpath(cand.path))) is not None:
                source = load_bytes(SourceFile(display=cand.display, path=cand.path), data)
            else:
                source = read_file(cand.path, cand.display, max_bytes=settings.max_file_bytes)
        except OSError as exc:
            report.errors.append(RunError(f"cannot read: {exc.strerror or exc}", file=cand.display))
            continue
        if source.skipped:
            report.notes.append(f"{source.display}: skipped: {source.skipped}")
        files.append(source)
    return files


def render_inputs(settings: Settings, report: Report, cwd: Path) -> list[SourceFile]:
    """The output of the ``--helm`` charts, then of the ``--kustomize`` folders."""
    files: list[SourceFile] = []
    if settings.helm:
        from ekslint.linter.helm import HelmError, render_chart  # the renderers: only for --helm

        for chart in settings.helm:
            try:
                files.append(render_chart(Path(chart), [Path(v) for v in settings.helm_values], cwd))
            except HelmError as exc:
                report.errors.append(RunError(str(exc)))
    if settings.kustomize:
        from ekslint.linter.kustomize import render_folder  # and for --kustomize

        for folder in settings.kustomize:
            rendered, errors = render_folder(Path(folder), cwd)
            files.extend(rendered)
            report.errors.extend(RunError(message) for message in errors)
    return files


def scanned_names(files: Iterable[SourceFile]) -> list[str]:
    """The files read, as findings name them: a rendered stream by the templates (Helm's
    ``# Source:``) or source files (Kustomize) of its documents, and itself for documents that
    have none; distinct, in scan order."""
    names: dict[str, None] = {}
    for source in files:
        for doc in source.documents:
            names.setdefault(doc.origin or source.display, None)
        if not source.documents:
            names.setdefault(source.display, None)
    return list(names)


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
        # Keyed by the object's mapping, not the view: a rule may build a second view of the same
        # object (aws-static-credentials reads documents itself), and a finding on it must mark
        # the same annotation used.
        key = id(obj.root)
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
    contents: Mapping[str, bytes] | None = None,
) -> Report:
    """Scan ``paths`` (files, folders, ``-`` for stdin) and return every finding.

    ``contents`` maps real paths to bytes read instead of those files (see :func:`load_candidates`).
    """
    with gc_paused():
        return _lint(paths, settings, stdin=stdin, progress=progress, cwd=cwd, contents=contents)


def _lint(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None,
    progress: Progress | None,
    cwd: Path | None,
    contents: Mapping[str, bytes] | None = None,
) -> Report:
    registry = scan_rules(settings)
    report = Report()
    cwd = cwd or Path.cwd()
    unused_configs: list[str] = []
    candidates, problems = discover(
        paths,
        cwd=cwd,
        root=settings.root,
        exclude=settings.exclude,
        respect_gitignore=settings.respect_gitignore,
        skip=frozenset(settings.skip_files),
        stdin_name=settings.stdin_filename,
        config_in=config_in if settings.config_discovered else None,
        configs_below=unused_configs,
    )
    report.errors.extend(RunError(p.message, file=p.display) for p in problems)
    if unused_configs:
        report.notes.append(unused_configs_note(unused_configs, settings))
    files = load_candidates(candidates, settings, report, stdin, progress, contents)
    files += render_inputs(settings, report, cwd)
    check_files(files, settings, report, registry=registry, cwd=cwd)
    return report


class RuleCalls:
    """How the rule phase calls a rule on a target: here, plainly.

    The editor workspace (:mod:`ekslint.linter.workspace`) re-lints a scan after every edit of one
    file, and overrides both hooks: each rule sees the scan through an index that records what it
    looks up, and a call whose target and lookups are unchanged since the last run returns what it
    returned then.
    """

    def index_for(self, rule: ActiveRule, index: ScanIndex) -> ScanIndex:
        """The index ``rule`` reads as ``ctx.index``."""
        return index

    def call(self, rule: ActiveRule, target: Any, ctx: RuleContext) -> list[Finding]:
        """The findings of ``rule`` on ``target`` (exceptions propagate: a run error)."""
        return list(rule.meta.check()(target, ctx))


def check_files(
    files: list[SourceFile],
    settings: Settings,
    report: Report,
    *,
    registry: dict[str, RuleMeta],
    cwd: Path,
    objects: list[K8sObject] | None = None,
    index: ScanIndex | None = None,
    calls: RuleCalls | None = None,
) -> None:
    """Run the rules over loaded ``files`` and put the findings in ``report``: the rule phase,
    suppressions, exemptions and the final order. The active rules are ``report.rules`` when
    given (the editor workspace), else resolved here, with the scan's admission policies.

    ``objects`` (the objects of ``files``) and ``index`` (with its clusters) are built from
    ``files`` unless given. The editor workspace keeps the objects of unchanged files between
    runs, so that their identity, and what was computed from them, survives an edit elsewhere;
    and it lints only the files an editor shows, against the index of the whole tree: the rules
    then run on those files and their objects, and on the whole-scan targets of the index.
    """
    report.files = len(files)
    report.scanned = scanned_names(files)
    if objects is None:
        objects = [obj for source in files for doc in source.documents for obj in objects_from(doc)]
    report.objects = len(objects)
    if not report.rules:  # a scan: its admission policies become rules (the workspace brings its own)
        registry.update(policy_rules(settings, objects, cwd, report))
        report.rules = resolve_rules(settings, registry)
    active = report.rules
    if index is None:
        view = give_namespaces(objects, files)  # before the index, which is keyed on namespaces
        index = ScanIndex(objects, build_clusters(files, objects, report.notes, settings, cwd))
        share(index, view)
    suppressor = _Suppressor(settings, set(registry))
    results: dict[ResultKey, Result] = {}

    phase = RulePhase(settings, active, files, objects, index, suppressor, calls or RuleCalls())
    merge_outcomes(_run_rule_phase(phase, report), results, report.errors, report.notes)
    report.notes = target_notes_first(report.notes)
    _suppression_findings(active, suppressor, files, objects, results)
    _exemption_findings(active, settings, results, cwd)
    report.results = sorted(results.values(), key=lambda r: r.sort_key)


def policy_rules(settings: Settings, objects: list[K8sObject], cwd: Path, report: Report) -> dict[str, RuleMeta]:
    """``vap/<name>`` rules for the ValidatingAdmissionPolicies of the scan and of ``--policy``
    (their notes and errors go to ``report``)."""
    if not settings.policies and not any(o.group == "admissionregistration.k8s.io" for o in objects):
        return {}  # the CEL engine is imported only for a scan with policies
    from ekslint.linter.admission import load_policy_files, policy_set

    extra: list[K8sObject] = []
    if settings.policies:
        extra, errors = load_policy_files(settings.policies, cwd, settings.max_file_bytes)
        report.errors.extend(RunError(e) for e in errors)
    policies = policy_set(objects, extra)
    if policies is None:
        return {}
    report.notes.extend(policies.notes)
    return policies.rules()


@dataclass(eq=False)
class RulePhase:
    """Everything the rule phase reads. Forked workers inherit it; only chunks and outcomes
    travel between processes."""

    settings: Settings
    active: dict[str, ActiveRule]
    files: list[SourceFile]
    objects: list[K8sObject]
    index: ScanIndex
    suppressor: _Suppressor
    calls: RuleCalls = field(default_factory=RuleCalls)


class Chunk(NamedTuple):
    """A share of the rule phase: contiguous slices of the files and of the objects (in scan
    order), and whether whole-scan (``ScanIndex``) targets are in it (chunk 0 only)."""

    files: tuple[int, int]
    objects: tuple[int, int]
    whole_scan: bool


@dataclass(eq=False)
class Outcome:
    """What running the rules over one chunk produced, grouped per (rule, target type) in the
    sequential order, so that merging chunks in order reproduces a sequential run exactly."""

    groups: list[tuple[list[Result], list[RunError], list[str]]] = field(default_factory=list)
    #: Suppressions a worker parsed and used; replayed into the parent's suppressor.
    parsed_files: list[int] = field(default_factory=list)
    parsed_objects: list[int] = field(default_factory=list)
    used: list[tuple[str, int, int, frozenset[str]]] = field(default_factory=list)

    def merge_into(self, results: dict[ResultKey, Result], errors: list[RunError], notes: list[str]) -> None:
        for found, failed, said in self.groups:
            for result in found:
                results.setdefault(result_key(result), result)
            errors.extend(failed)
            notes.extend(n for n in said if n not in notes)


def merge_outcomes(
    outcomes: list[Outcome], results: dict[ResultKey, Result], errors: list[RunError], notes: list[str]
) -> None:
    """Merge chunks group by group (every chunk has the same groups, in rule order), so that
    notes and errors come in the order of a sequential run, rule by rule, not chunk by chunk:
    a check that notes something on objects of several chunks would otherwise interleave."""
    width = max((len(o.groups) for o in outcomes), default=0)
    for group in range(width):
        for outcome in outcomes:
            if group < len(outcome.groups):
                Outcome(groups=[outcome.groups[group]]).merge_into(results, errors, notes)


ResultKey = tuple[str, str, int, int, str]


def result_key(r: Result) -> ResultKey:
    """Findings that say the same thing at the same place are reported once."""
    return (r.rule, r.file, r.line, r.col, r.message)


def run_chunk(phase: RulePhase, chunk: Chunk) -> Outcome:
    """Run every active rule over the targets of ``chunk``, in the sequential order."""
    files = phase.files[slice(*chunk.files)]
    objects = phase.objects[slice(*chunk.objects)]
    running = frozenset(phase.active)
    outcome = Outcome()
    for rid, rule in phase.active.items():
        if rid in (INVALID_SUPPRESSION, UNUSED_SUPPRESSION):
            continue
        notes: list[str] = []
        ctx = RuleContext(phase.calls.index_for(rule, phase.index), rule.options, phase.settings, rule, notes, running)
        for target_type in rule.meta.targets:
            found: list[Result] = []
            failed: list[RunError] = []
            said = len(notes)
            targets = _targets(target_type, rule, files, objects, phase.index if chunk.whole_scan else None)
            if targets:  # a rule with nothing to check here is not even imported
                check = rule.meta.check()
                for target in targets:
                    _run_one(rule, check, target, ctx, phase, found, failed)
            outcome.groups.append((found, failed, notes[said:]))
    return outcome


def _run_one(
    rule: ActiveRule,
    check: Callable[..., Iterable[Finding]],
    target: Any,
    ctx: RuleContext,
    phase: RulePhase,
    found: list[Result],
    failed: list[RunError],
) -> None:
    rid = rule.meta.id
    try:
        findings = phase.calls.call(rule, target, ctx)
    except Exception as exc:  # noqa: BLE001 - a broken rule must not stop the scan
        target_file = (
            target.file
            if isinstance(target, K8sObject)
            else target
            if isinstance(target, SourceFile)
            else target.site.file
            if isinstance(target, ClusterDefinition)
            else None
        )
        where = target_file.display if target_file else None
        failed.append(RunError(f"internal error: {type(exc).__name__}: {exc}", file=where, rule=rid))
        return
    for finding in findings:
        result = _resolve(rule, finding, target, phase.suppressor, phase.settings)
        if result is None:
            failed.append(RunError("internal error: finding without an object", rule=rid))
        elif result.suppressed != "config":  # excluded for this rule by path: not reported at all
            found.append(result)


def _targets(
    target_type: type, rule: ActiveRule, files: list[SourceFile], objects: list[K8sObject], index: ScanIndex | None
) -> Sequence[Any]:
    if target_type is SourceFile:
        return files
    if target_type is ScanIndex:
        return (index,) if index is not None else ()
    if target_type is ClusterDefinition:
        return index.clusters if index is not None else ()
    kinds = rule.meta.kinds
    return [obj for obj in objects if isinstance(obj, target_type) and (kinds is None or obj.gk in kinds)]


#: Below this much text the rule phase runs in-process: forking workers costs more than it saves.
PARALLEL_MIN_BYTES = 8_000_000
#: Chunks per worker: enough that a worker finishing early takes more, few enough to stay cheap.
CHUNKS_PER_WORKER = 4


def workers_for(jobs: int, text_bytes: int) -> int:
    """How many processes run the rule phase: ``jobs`` when set (1 = in-process), else one per
    CPU for scans big enough to pay for forking; always 1 where forking is not available.

    ``jobs`` is clamped to the CPUs this process may use: more workers than CPUs only cost
    memory, and ``jobs: 100000`` in a scanned repository's ``.ekslint.yaml`` must not fork a
    process storm. (:func:`_run_rule_phase` also never starts more workers than chunks.)
    """
    from ekslint.linter import parallel

    if jobs == 1 or not parallel.fork_available():
        return 1
    if jobs > 1:
        return min(jobs, parallel.cpu_count())
    return parallel.cpu_count() if text_bytes >= PARALLEL_MIN_BYTES else 1


def plan_chunks(phase: RulePhase, parts: int) -> list[Chunk]:
    """Cut the files and the objects into ``parts`` contiguous slices of about equal work.

    A file weighs its length (whole-file rules scan the text); an object weighs the lines it
    spans, a fair proxy for how much of it schema validation and the rules walk.
    """
    from ekslint.linter.parallel import split

    file_ranges = split([len(f.text) + 1000 for f in phase.files], parts)
    object_ranges = split(_object_lines(phase.objects), parts)
    n = max(len(file_ranges), len(object_ranges))
    file_ranges += [(len(phase.files),) * 2] * (n - len(file_ranges))
    object_ranges += [(len(phase.objects),) * 2] * (n - len(object_ranges))
    return [Chunk(f, o, i == 0) for i, (f, o) in enumerate(zip(file_ranges, object_ranges, strict=True))]


def _object_lines(objects: list[K8sObject]) -> list[int]:
    """Lines from each object's start to the next object's start (or its file's end)."""
    weights = []
    for obj, following in zip(objects, [*objects[1:], None], strict=True):
        start = obj.root.pos.line
        if following is not None and following.file is obj.file:
            end = following.root.pos.line
        else:
            end = obj.file.text.count("\n") + 2
        weights.append(max(1, end - start))
    return weights


def _run_rule_phase(phase: RulePhase, report: Report) -> list[Outcome]:
    """Run the rules in-process or over forked workers; the outcomes merge to the same report."""
    workers = workers_for(phase.settings.jobs, sum(len(f.text) for f in phase.files))
    whole = Chunk((0, len(phase.files)), (0, len(phase.objects)), True)
    chunks = plan_chunks(phase, workers * CHUNKS_PER_WORKER) if workers > 1 else []
    workers = min(workers, len(chunks))  # never more workers than chunks of work
    if workers <= 1:
        return [run_chunk(phase, whole)]
    from ekslint.linter.parallel import ParallelError, map_forked

    try:
        outcomes: list[Outcome] = map_forked(_run_chunk_in_worker, phase, chunks, workers)
    except ParallelError as exc:
        report.notes.append(f"the parallel rule phase failed ({exc}); ran it in one process")
        return [run_chunk(phase, whole)]
    _replay_suppressions(phase, outcomes)
    return outcomes


def _run_chunk_in_worker(phase: RulePhase, chunk: Chunk) -> Outcome:
    """:func:`run_chunk` in a worker, plus what it did to the (forked) suppressor's state."""
    outcome = run_chunk(phase, chunk)
    sup = phase.suppressor
    outcome.parsed_files = list(sup.files)
    outcome.parsed_objects = list(sup.annotations)
    for key, parsed in sup.files.items():
        outcome.used += [("file", key, i, frozenset(d.used)) for i, d in enumerate(parsed.all) if d.used]
    for key, directive in sup.annotations.items():
        if directive is not None and directive.used:
            outcome.used.append(("object", key, 0, frozenset(directive.used)))
    return outcome


def _replay_suppressions(phase: RulePhase, outcomes: list[Outcome]) -> None:
    """Parse in the parent the suppressions workers parsed, and mark what they used.

    Workers address sources and objects (by their mapping) with ``id()``: forked from this
    process, they see every object the scan loaded at the same address.
    """
    sources = {id(f): f for f in phase.files}
    for obj in phase.objects:
        if obj.doc.origin_file is not None:
            sources.setdefault(id(obj.doc.origin_file), obj.doc.origin_file)
    objects = {id(o.root): o for o in phase.objects}
    sup = phase.suppressor
    for outcome in outcomes:
        for key in outcome.parsed_files:
            sup.for_file(sources[key])
        for key in outcome.parsed_objects:
            sup.for_object(objects[key])
        for kind, key, i, used in outcome.used:
            directive = sup.for_file(sources[key]).all[i] if kind == "file" else sup.for_object(objects[key])
            if directive is not None:
                directive.used |= used


def _resolve(
    rule: ActiveRule, finding: Finding, target: Any, suppressor: _Suppressor, settings: Settings
) -> Result | None:
    site: Site | None = finding.site
    if site is not None and site.obj is None:
        return _resolve_site(rule, finding, site, suppressor, settings)
    if site is not None:  # an eksctl site: a place in an object, resolved like any finding on it
        from dataclasses import replace

        finding = replace(finding, path=site.path, obj=site.obj, value=site.value, site=None)
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
    return Result(
        rule=rule.meta.id,
        level=level,
        message=finding.message,
        file=display,
        line=line,
        col=pos.col,
        object=obj.ref if obj is not None else None,
        node=node_label(finding.path) if obj is not None and finding.pos is None else "",
        **_suppression(settings, rule, suppressor, source, pos.line, obj, obj.ref if obj is not None else None),
        source_object=obj.written_ref if obj is not None and obj.given_namespaces else None,
    )


def _resolve_site(
    rule: ActiveRule, finding: Finding, site: Site, suppressor: _Suppressor, settings: Settings
) -> Result:
    """A finding at a file position (Terraform, CloudFormation): no object, the file's comments."""
    source, pos = site.file, site.pos or Pos(1, 1)
    if (
        rule.exclude
        and source.path is not None
        and is_excluded(relative_to_root(source.path, settings.root), rule.exclude)
    ):
        return Result(rule.meta.id, rule.level, finding.message, source.display, pos.line, pos.col, suppressed="config")
    level = rule.level if rule.level != rule.meta.level else (finding.level or rule.level)
    return Result(
        rule=rule.meta.id,
        level=level,
        message=finding.message,
        file=source.display,
        line=pos.line,
        col=pos.col,
        object=site.ref,
        node=site.node,
        **_suppression(settings, rule, suppressor, source, pos.line, None, site.ref),
    )


def _suppression(
    settings: Settings,
    rule: ActiveRule,
    suppressor: _Suppressor,
    source: SourceFile,
    line: int,
    obj: K8sObject | None,
    ref: str | None,
) -> dict[str, Any]:
    """How a finding is suppressed: by a config exemption first, else by a comment or an
    annotation (a directive is marked used only when it is what suppressed the finding)."""
    exempt = _exemption(settings, rule, source, ref)
    if exempt is not None:
        return {"suppressed": "exemption", "justification": settings.exemptions[exempt].reason, "exemption": exempt}
    directive = suppressor.match(rule.meta.id, source, line, obj)
    if directive is None:
        return {}
    return {"suppressed": directive.kind, "justification": directive.reason}


def _exemption(settings: Settings, rule: ActiveRule, source: SourceFile, ref: str | None) -> int | None:
    """The index of the first unexpired config exemption covering this finding, if any."""
    if not settings.exemptions:
        return None
    # Only path patterns need the file's path relative to the root (a pathlib walk per finding).
    needs_path = source.path is not None and any(e.paths for e in settings.exemptions)
    rel = relative_to_root(source.path, settings.root) if needs_path and source.path is not None else None
    today = settings.today
    for number, exemption in enumerate(settings.exemptions):
        if not exemption.expired(today) and exemption_matches(
            exemption, rule.meta.id, rule.meta.family, rel, ref, lambda path, glob: is_excluded(path, [glob])
        ):
            return number
    return None


def _exemption_findings(
    active: dict[str, ActiveRule], settings: Settings, results: dict[ResultKey, Result], cwd: Path
) -> None:
    """Expired exemptions (always) and exemptions that matched nothing (when asked), at their
    entry in the config file: an exemption must not outlive its reason unseen."""
    if settings.config_file is None:
        return
    shown = display_path(settings.config_file, cwd)
    used = {r.exemption for r in results.values() if r.exemption is not None}
    found: list[Result] = []
    for number, exemption in enumerate(settings.exemptions):
        if exemption.builtin:
            continue
        if exemption.expired(settings.today) and INVALID_SUPPRESSION in active:
            message = (
                f"{exemption.describe()} expired on {exemption.expires}: it no longer exempts anything; "
                "fix the findings, or renew it with a new date and reason"
            )
            found.append(
                Result(INVALID_SUPPRESSION, active[INVALID_SUPPRESSION].level, message, shown, exemption.line, 1)
            )
        elif number not in used and UNUSED_SUPPRESSION in active and not exemption.expired(settings.today):
            message = f"{exemption.describe()} matched no finding; remove it"
            found.append(
                Result(UNUSED_SUPPRESSION, active[UNUSED_SUPPRESSION].level, message, shown, exemption.line, 1)
            )
    for r in found:
        results.setdefault(result_key(r), r)


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
