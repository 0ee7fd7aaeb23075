"""A folder tree kept loaded, re-linted in-process as its files change (the language server's model).

``ekslint scan`` reads every file, lints and exits. An editor asks again after every keystroke, and
cross-object rules (a PDB and the Deployment in another file) need the whole tree each time, so a
:class:`Workspace` reads and parses the tree once (with the scan's own discovery: the same ignores
and excludes) and then, when one file changes (an editor buffer or the file on disk), replaces only
that file's parsed documents and runs the rule phase again. Three things keep that fast:

* Only the files the editor shows are linted (:meth:`Workspace.lint` ``only``), against the index
  of the whole tree: a rule's findings land in its target's file, so the other files' targets
  need no call. Whole-scan targets (the index, the clusters) are always called.
* Each rule call on a target (an object or a file) is remembered, and made again only when what
  it saw may have changed: its target's file changed (the target is new), or the rule looked up,
  anywhere in the scan, something the change touches. Rules read the scan through a
  :class:`_TracedIndex`, which records each lookup's keys (a kind, a namespace, the workloads,
  the clusters, or everything) per rule; an edit changes the objects of one file, and a rule
  none of whose keys those objects have is not called again. Otherwise its calls are forgotten.
* Per-scan tables that rules make with ``ScanIndex.cached(..., lasting=True)`` (the kustomize
  view, target versions, CRD schemas) are kept from run to run until a change touches the keys
  of the lookups that built them; every rule reading one gets those keys. Tables in other per-scan
  caches (dictionaries keyed by the index) are made again each run, and reading one counts as
  looking up everything.

Disk is the one input not read through the index: kustomizations and Skaffold configs around a
file, and the patches a kustomization names (:mod:`ekslint.linter.kustomize_context`), read only by
rules that look up ``Kustomization`` objects first (or everything). So a saved file forgets the
calls of those rules, and a file added, removed, or named like a kustomization forgets every call.

Findings are resolved (positions, suppressions, exemptions) afresh on every run, so suppression
bookkeeping (``unused-suppression``) is exact for the files linted. Kustomize and Helm rendering
(config ``kustomize``) are not run here: they shell out to other tools, too slow for every keystroke.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ekslint.linter.cluster import build_clusters
from ekslint.linter.config import ActiveRule, Settings, resolve_rules, scan_rules
from ekslint.linter.context import RuleContext
from ekslint.linter.engine import UNUSED_SUPPRESSION, RuleCalls, check_files, gc_paused, load_candidates, policy_rules
from ekslint.linter.index import ScanIndex
from ekslint.linter.kustomization import KUSTOMIZATION_NAMES
from ekslint.linter.kustomize_context import SKAFFOLD_NAMES, KustomizeView, give_namespaces, share
from ekslint.linter.loader import LoadIssue, SourceFile, load_bytes, read_file
from ekslint.linter.model import ClusterConfig, K8sObject, Workload, objects_from
from ekslint.linter.nodes import Pos
from ekslint.linter.paths import discover, display_path, is_excluded, relative_to_root, walk_finds
from ekslint.linter.registry import Finding, RuleMeta
from ekslint.linter.report import Report, RunError

if TYPE_CHECKING:
    from ekslint.linter.cluster.model import Cluster

V = TypeVar("V")

#: Lookup keys a traced index records besides kinds (kinds are CamelCase words, never these).
EVERYTHING = "<everything>"
WORKLOADS = "<workloads>"
CLUSTERS = "<clusters>"
#: Files whose content rules read from disk whatever the scan holds: changing one forgets every call.
DISK_CONFIGS = frozenset({*KUSTOMIZATION_NAMES, *SKAFFOLD_NAMES})
#: What a saved file counts as (see the module docstring): the kinds the kustomize view looks up.
SAVED = frozenset({"Kustomization", "Component"})


def in_namespace(namespace: str) -> str:
    return f"<namespace {namespace}>"


def workloads_in(namespace: str) -> str:
    return f"<workloads {namespace}>"


#: The lookup keys of a ScanIndex method call, from its arguments.
KeysOf = Callable[[tuple[Any, ...], dict[str, Any]], Iterable[str]]


def _kind_arg(position: int) -> KeysOf:
    def keys(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Iterable[str]:
        kind = args[position] if len(args) > position else kwargs.get("kind")
        return (kind,) if isinstance(kind, str) else (EVERYTHING,)

    return keys


def _namespace_arg(position: int, key: Callable[[str], str]) -> KeysOf:
    def keys(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Iterable[str]:
        namespace = args[position] if len(args) > position else kwargs.get("namespace")
        return (key(namespace),) if isinstance(namespace, str) else (EVERYTHING,)

    return keys


#: ScanIndex methods whose answer depends only on the objects these keys name (from the call's
#: arguments). A method missing here (a new one) records EVERYTHING until it is added.
_METHOD_KEYS: dict[str, KeysOf] = {
    "of_kind": _kind_arg(0),
    "has_kind": _kind_arg(0),
    "get": _kind_arg(0),
    "workloads_named": _kind_arg(1),
    "objects_in": _namespace_arg(0, in_namespace),
    "workloads_in": _namespace_arg(0, workloads_in),
    "workloads_labelled": _namespace_arg(0, workloads_in),
    "selected_by": _namespace_arg(1, workloads_in),
    "selected_by_map": _namespace_arg(1, workloads_in),
    "hpas_for": lambda args, kwargs: ("HorizontalPodAutoscaler",),
    "pdbs_for": lambda args, kwargs: ("PodDisruptionBudget",),
}
#: ScanIndex attributes and what they expose.
_ATTRIBUTE_KEYS = {"clusters": CLUSTERS, "workloads": WORKLOADS}


class _TracedIndex(ScanIndex):
    """The scan's index as every rule of one run reads it: each lookup is answered by the index and
    its keys (see :data:`_METHOD_KEYS`) are added to ``seen``, the set of the rule being called.

    A table made with :meth:`cached` remembers the keys of the lookups made to build it, and hands
    them to every rule that reads it. Any other per-scan cache (a dictionary keyed by the index:
    hashing it is the sign) may hold anything: reading one counts as looking up everything.
    """

    def __init__(self, index: ScanIndex, lasting: dict[Any, tuple[Any, set[str]]]) -> None:
        # no super().__init__(): every lookup is delegated
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "seen", set())
        #: Tables of this run: their lookup keys. ``lasting``: tables kept from run to run.
        object.__setattr__(self, "_table_keys", {})
        object.__setattr__(self, "_lasting", lasting)

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("__") or name in _OWN:
            return object.__getattribute__(self, name)
        seen: set[str] = object.__getattribute__(self, "seen")
        value = getattr(object.__getattribute__(self, "_index"), name)
        keys = _METHOD_KEYS.get(name)
        if keys is None:
            seen.add(_ATTRIBUTE_KEYS.get(name, EVERYTHING))
            return value

        def traced(*args: Any, **kwargs: Any) -> Any:
            seen.update(keys(args, kwargs))
            return value(*args, **kwargs)

        return traced

    def __hash__(self) -> int:
        object.__getattribute__(self, "seen").add(EVERYTHING)
        return object.__hash__(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def cached(self, key: Any, build: Callable[[], V], *, lasting: bool = False) -> V:
        index: ScanIndex = object.__getattribute__(self, "_index")
        reader: set[str] = object.__getattribute__(self, "seen")
        kept: dict[Any, tuple[Any, set[str]]] = object.__getattribute__(self, "_lasting")
        if lasting and key in kept:
            value, keys = kept[key]
            reader |= keys
            return value  # type: ignore[no-any-return]
        table_keys: dict[Any, set[str]] = object.__getattribute__(self, "_table_keys")
        if key not in table_keys:
            made: set[str] = set()
            object.__setattr__(self, "seen", made)
            try:
                index.cached(key, build)
            finally:
                object.__setattr__(self, "seen", reader)
            reader |= made  # a build that raised is made again by the next reader
            table_keys[key] = made
            if lasting:
                kept[key] = (index.cached(key, build), made)
        reader |= table_keys[key]
        return index.cached(key, build)


#: What :class:`_TracedIndex` answers itself.
_OWN = frozenset({"seen", "cached", "_index", "_table_keys", "_lasting"})


def change_keys(objects: Iterable[K8sObject]) -> set[str]:
    """The lookup keys whose answers a change of these objects (old or new) may change."""
    keys = {EVERYTHING}
    for obj in objects:
        keys |= {obj.kind, in_namespace(obj.effective_namespace)}
        if isinstance(obj, Workload):
            keys |= {WORKLOADS, workloads_in(obj.effective_namespace)}
    return keys


@dataclass
class _Entry:
    """One file of the workspace: as parsed, and the objects it holds (kept between runs)."""

    source: SourceFile
    objects: list[K8sObject]
    #: Found by discovery (else an open editor buffer only: dropped again when it is closed).
    discovered: bool

    @property
    def builds_clusters(self) -> bool:
        """Does this file feed the cluster model (eksctl, Terraform, CloudFormation)?"""
        source = self.source
        return (
            source.syntax == "hcl"
            or source.display.endswith((".tf.json", ".tfvars.json"))
            or any(isinstance(o, ClusterConfig) for o in self.objects)
            or any(isinstance(d.root, dict) and "Resources" in d.root for d in source.documents)
        )


def _entry(source: SourceFile, discovered: bool) -> _Entry:
    return _Entry(source, [obj for doc in source.documents for obj in objects_from(doc)], discovered)


@dataclass
class _Memo(RuleCalls):
    """The remembered rule calls: per rule, the target's id -> (target, findings, notes said)."""

    calls: dict[str, dict[int, tuple[Any, list[Finding], list[str]]]] = field(default_factory=dict)
    #: Per rule, the lookup keys its remembered calls made.
    seen: dict[str, set[str]] = field(default_factory=dict)
    #: Ids of the targets that can be remembered this run (objects, files and reused clusters).
    stable: set[int] = field(default_factory=set)
    #: Tables of rules kept from run to run (``ScanIndex.cached(..., lasting=True)``) and their keys.
    tables: dict[Any, tuple[Any, set[str]]] = field(default_factory=dict)
    #: The index every rule of the current run reads (one, so that per-scan caches are shared).
    traced: _TracedIndex | None = None
    hits: int = 0
    misses: int = 0

    def index_for(self, rule: ActiveRule, index: ScanIndex) -> ScanIndex:
        if self.traced is None or object.__getattribute__(self.traced, "_index") is not index:
            self.traced = _TracedIndex(index, self.tables)
        return self.traced

    def call(self, rule: ActiveRule, target: Any, ctx: RuleContext) -> list[Finding]:
        if self.traced is not None:
            object.__setattr__(self.traced, "seen", self.seen.setdefault(rule.meta.id, set()))
        key = id(target)
        if key not in self.stable:  # the whole-scan target (a ScanIndex): new every run
            return list(rule.meta.check()(target, ctx))
        calls = self.calls.setdefault(rule.meta.id, {})
        known = calls.get(key)
        if known is not None:
            self.hits += 1
            for note in known[2]:
                if note not in ctx.notes:
                    ctx.notes.append(note)
            return known[1]
        self.misses += 1
        said = len(ctx.notes)
        findings = list(rule.meta.check()(target, ctx))
        calls[key] = (target, findings, ctx.notes[said:])
        return findings

    def forget_targets(self, targets: Iterable[Any]) -> None:
        ids = {id(t) for t in targets}
        if ids:
            for calls in self.calls.values():
                for key in ids & calls.keys():
                    del calls[key]

    def forget_rules(self, changed: Set[str], *, tables: bool = True) -> None:
        """Forget the calls of every rule (and with ``tables``, the tables) that looked up any of
        ``changed``."""
        for rid in [rid for rid, seen in self.seen.items() if seen & changed]:
            del self.seen[rid]
            self.calls.pop(rid, None)
        if tables:
            for key in [key for key, (_, keys) in self.tables.items() if keys & changed]:
                del self.tables[key]

    def clear(self) -> None:
        self.calls.clear()
        self.seen.clear()
        self.tables.clear()


class Workspace:
    """The files below ``root`` (discovered as ``ekslint scan root`` would), parsed once.

    :meth:`set_text` puts an editor buffer in place of a file, :meth:`reread` takes a file from
    disk again (a buffer closed, a file changed, created or deleted outside the editor), and
    :meth:`lint` gives the report of the whole tree as it stands. ``settings.jobs`` is ignored:
    the rule phase runs in this process, where the remembered calls live.
    """

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = Path(os.path.abspath(root))
        self.settings = replace(settings, jobs=1, kustomize=[], helm=[], helm_values=[])
        self.registry = scan_rules(self.settings)  # the built-in rules, plugins and the config's checks
        self.active = resolve_rules(self.settings, self.registry)  # ConfigError for bad rule settings
        self._entries: dict[Path, _Entry] = {}
        self._by_display: dict[str, Path] = {}
        self._clusters: tuple[list[Cluster], list[str]] | None = None
        #: The kustomizations' view that gave the objects their namespaces, kept while no
        #: kustomization changes and no file comes or goes (``None``: to be made again).
        self._view: KustomizeView | None = None
        self._memo = _Memo()
        #: The admission policies of the tree as rules, and the objects they were made from (see
        #: :meth:`_policy_rules`).
        self._policies: tuple[list[K8sObject], dict[str, RuleMeta], dict[str, ActiveRule], Report] | None = None
        #: Problems and notes of reading the tree (unreadable files, skipped Helm templates).
        self.load_errors: list[RunError] = []
        self.load_notes: list[str] = []

    # -- the files -------------------------------------------------------------------------------

    def load(self) -> None:
        """Discover and read every file below the root (again, if it was loaded)."""
        settings = self.settings
        candidates, problems = discover(
            [str(self.root)],
            cwd=self.root,
            root=settings.root,
            exclude=settings.exclude,
            respect_gitignore=settings.respect_gitignore,
            skip=frozenset(settings.skip_files),
        )
        scratch = Report()
        with gc_paused():
            files = load_candidates(candidates, settings, scratch, None, None)
        self.load_errors = [RunError(p.message, file=p.display) for p in problems] + scratch.errors
        self.load_notes = scratch.notes
        open_buffers = {p: e for p, e in self._entries.items() if not e.discovered}
        self._entries = {}
        for source in files:
            assert source.path is not None
            self._entries[Path(os.path.abspath(source.path))] = _entry(source, True)
        for path, entry in open_buffers.items():
            self._entries.setdefault(path, entry)
        self._by_display = {e.source.display: p for p, e in self._entries.items()}
        self._clusters = None
        self._memo.clear()

    def key(self, path: Path | str) -> Path:
        """How the workspace names a file: its absolute path (symbolic links kept, as discovery does)."""
        return Path(os.path.abspath(path))

    def display(self, path: Path) -> str:
        return display_path(path, self.root)

    def path_of(self, display: str) -> Path:
        """The file a result names (``Result.file``)."""
        found = self._by_display.get(display)
        return found if found is not None else self.key(self.root / display)

    def __contains__(self, path: Path) -> bool:
        return self.key(path) in self._entries

    def source(self, path: Path) -> SourceFile | None:
        """The file as the workspace holds it (its buffer's text while open), if it holds it."""
        entry = self._entries.get(self.key(path))
        return entry.source if entry is not None else None

    def text(self, path: Path) -> str | None:
        source = self.source(path)
        return source.text if source is not None else None

    @property
    def paths(self) -> list[Path]:
        return list(self._entries)

    def excluded(self, path: Path) -> bool:
        """Does the config exclude this file (so that even an open buffer of it is not linted)?"""
        exclude = self.settings.exclude
        return bool(exclude) and is_excluded(relative_to_root(self.key(path), self.settings.root), exclude)

    def set_text(self, path: Path, text: str, *, saved: bool = False) -> None:
        """Lint ``text`` as the content of ``path`` (an editor buffer; ``saved``: just written to
        disk), until :meth:`reread`."""
        key = self.key(path)
        if self.excluded(key):
            return
        old = self._entries.get(key)
        if old is not None and old.source.text == text:
            self._replace(key, old, saved=saved)
            return
        source = SourceFile(display=self.display(key), path=key)
        data = text.encode("utf-8", "surrogatepass")
        limit = self.settings.max_file_bytes
        if len(data) > limit:
            message = f"file is {len(data):,} bytes, over the {limit:,}-byte limit; not linted"
            source.issues.append(LoadIssue("yaml-syntax", Pos(1, 1), message))
        else:
            with gc_paused():
                load_bytes(source, data)
        self._replace(key, _entry(source, old.discovered if old is not None else False), saved=saved)

    def reread(self, path: Path, *, saved: bool = False) -> None:
        """Take ``path`` from disk again: its buffer was closed or saved, or it changed, appeared or
        went away outside the editor. A file discovery would not find is dropped (an open buffer
        of it is put back with :meth:`set_text`)."""
        key = self.key(path)
        discovered = self._discoverable(key)
        entry = None
        if discovered:
            try:
                with gc_paused():
                    entry = _entry(read_file(key, self.display(key), max_bytes=self.settings.max_file_bytes), True)
            except OSError:
                entry = None
        self._replace(key, entry, saved=saved)

    def _discoverable(self, path: Path) -> bool:
        """Would discovery of the root find ``path`` (with the config's excludes and git's ignores)?"""
        settings = self.settings
        return (
            walk_finds(
                self.root,
                path,
                root=settings.root,
                exclude=settings.exclude,
                respect_gitignore=settings.respect_gitignore,
            )
            and os.path.realpath(path) not in settings.skip_files
        )

    def _replace(self, key: Path, new: _Entry | None, *, saved: bool) -> None:
        old = self._entries.get(key)
        memo = self._memo
        if old is None and new is None:
            return
        if old is not None and new is not None and old.source.text == new.source.text:
            if saved:  # the same text, now on disk too: what rules read from disk may have changed
                memo.forget_rules(SAVED | {EVERYTHING}, tables=False)
            return  # the parsed file, and every call on it, stand
        if old is not None:
            memo.forget_targets([old.source, *old.objects])
        kustomizations = any(o.kind in SAVED for e in (old, new) if e is not None for o in e.objects)
        if (old is None) != (new is None) or key.name in DISK_CONFIGS or kustomizations:
            memo.clear()  # the set of files changed, or a file rules read from disk
            self._view = None  # the namespaces kustomizations give may have changed
        else:
            changed = change_keys([*(old.objects if old else ()), *(new.objects if new else ())])
            if any(e is not None and e.builds_clusters for e in (old, new)):
                changed.add(CLUSTERS)
            memo.forget_rules(changed)
            if saved:
                memo.forget_rules(SAVED, tables=False)
        if any(e is not None and e.builds_clusters for e in (old, new)):
            if self._clusters is not None:
                memo.forget_targets(self._clusters[0])
            self._clusters = None
        if new is None:
            del self._entries[key]
        else:
            self._entries[key] = new
        self._by_display = {e.source.display: p for p, e in self._entries.items()}

    # -- linting ---------------------------------------------------------------------------------

    def lint(self, only: Iterable[Path] | None = None) -> Report:
        """The findings of the tree as it stands (load problems and notes included): of every
        file, or of the files ``only`` names (the ones an editor shows).

        Every finding of a rule lands in the file of its target (an object or a file), except those
        of whole-scan targets (the index, clusters), which always run: so the findings of a few
        files need only the calls on their own targets, and the other targets are not called.
        """
        with gc_paused():
            return self._lint(None if only is None else {self.key(p) for p in only})

    def _lint(self, only: set[Path] | None) -> Report:
        entries = list(self._entries.values())
        files = [e.source for e in entries]
        objects = [o for e in entries for o in e.objects]
        registry, active, policy_report = self._policy_rules(objects)
        report = Report(rules=active)
        report.errors.extend(self.load_errors)
        report.errors.extend(policy_report.errors)
        report.notes.extend(self.load_notes)
        report.notes.extend(policy_report.notes)
        if self._clusters is None:
            notes: list[str] = []
            self._clusters = (build_clusters(files, objects, notes, self.settings, self.root), notes)
        clusters, cluster_notes = self._clusters
        report.notes.extend(cluster_notes)
        memo = self._memo
        memo.stable = {id(t) for t in (*files, *objects, *clusters)}
        memo.hits = memo.misses = 0
        shown = entries if only is None else [e for p, e in self._entries.items() if p in only]
        view = self._view = give_namespaces(objects, files, self._view)  # before the index, keyed on them
        index = ScanIndex(objects, clusters)
        share(index, view)
        check_files(
            [e.source for e in shown],
            self.settings,
            report,
            registry=registry,
            cwd=self.root,
            objects=[o for e in shown for o in e.objects],
            index=index,
            calls=memo,
        )
        memo.traced = None  # the run's index and its tables go with it
        if only is not None:
            names = {e.source.display for e in shown}
            config = display_path(self.settings.config_file, self.root) if self.settings.config_file else None
            report.results = [
                r
                for r in report.results
                if r.file in names
                # "exemption matched no finding" needs every file's findings
                and not (r.file == config and r.rule == UNUSED_SUPPRESSION)
            ]
        return report

    def _policy_rules(self, objects: list[K8sObject]) -> tuple[dict[str, RuleMeta], dict[str, ActiveRule], Report]:
        """The registry and the active rules with the tree's ValidatingAdmissionPolicies (``vap/<name>``
        rules, as a scan makes them), and their notes and errors.

        They are made again only when an object they are made from (a policy, a binding, a CRD)
        is new: objects of unchanged files keep their identity. Params are read when a rule runs,
        through the index, so an edit of a params object is seen as any lookup is. A remade rule
        forgets what it returned before: a policy can change and keep its name.
        """
        sources = [
            o for o in objects if o.group == "admissionregistration.k8s.io" or o.kind == "CustomResourceDefinition"
        ]
        cached = self._policies
        # By identity, and holding the objects: an id could be reused once its object is gone.
        if cached is not None and len(cached[0]) == len(sources) and all(map(operator.is_, cached[0], sources)):
            return cached[1], cached[2], cached[3]
        before = set(cached[1]) - set(self.registry) if cached is not None else set()
        scratch = Report()
        rules = policy_rules(self.settings, objects, self.root, scratch)
        for rid in before | set(rules):
            self._memo.calls.pop(rid, None)
            self._memo.seen.pop(rid, None)
        registry = {**self.registry, **rules} if rules else self.registry
        active = resolve_rules(self.settings, registry) if rules else self.active
        self._policies = (sources, registry, active, scratch)
        return registry, active, scratch

    @property
    def calls(self) -> tuple[int, int]:
        """Rule calls of the last run answered from memory, and made (for benchmarks and tests)."""
        return self._memo.hits, self._memo.misses
