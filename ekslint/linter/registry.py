"""Rule registration: a decorated function plus frozen metadata, and the Markdown doc beside it.

Rules are pure generators of :class:`Finding` (a location and a message); the engine owns ids,
levels, suppressions, ordering and deduplication. ``@rule`` validates metadata at import time so
a typo in an id or a level fails the test suite, not a user's CI run.

A scan does not import every rule module: :func:`load_rules` builds the registry from a generated
index of the metadata the modules declare (``ekslint/rules/_index.py``, written by
``docs/generate.py``; a test fails when it is stale), and a rule's module is imported when a scan
first has something for it to check (:meth:`RuleMeta.check`). A pre-commit run on one Deployment
runs 39 of the rules; importing the other modules cost more than linting the file.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ekslint import __version__
from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.nodes import NodePath, Pos

if TYPE_CHECKING:
    from ekslint.linter.ruledocs import RuleDoc

ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
#: A plugin's rule id: ``<plugin>/<rule>``, both kebab-case; ``<plugin>`` is the name of its
#: ``ekslint.rules`` entry point, so that a plugin's ids never collide with built-in ones or
#: with another plugin's.
PLUGIN_ID_RE = LazyPattern(r"^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$")
#: The origin of the rules that ship with ekslint (``ekslint rules`` shows it as "built-in").
BUILT_IN = ""
#: Ids of rules that do not ship with ekslint: ``<prefix>/<name>`` (``acme/ecr-images``; an
#: admission policy's ``vap/<policy-name>`` may hold dots, as Kubernetes names do). Built-in ids
#: never hold a ``/``, so these can never take or shadow one.
QUALIFIED_ID_RE = LazyPattern(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*/[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
#: Where a rule's page is: the docs of the release that produced the finding (its tag), so that a
#: link in an old report still explains the rule as that version checked it. ``{id}`` is the rule
#: id, ``{version}`` ekslint's version; config ``docs-url`` or ``EKSLINT_DOCS_URL`` replace it.
DOCS_URL = "https://github.com/ekslint/ekslint/blob/v{version}/docs/rules/{id}.md"
DOCS_URL_FIELDS = frozenset({"id", "version"})
DOC_SECTIONS = ("What it does", "Why is this bad?", "How to fix", "Example", "Use instead", "References")

#: Rule families of ``rules.md``, keyed by the ``ekslint.rules`` sub-package that holds them.
FAMILIES: dict[str, tuple[str, str]] = {
    "input": ("A", "Input and schema"),
    "upgrade": ("B", "Upgrade readiness"),
    "scheduling": ("C", "Scheduling and capacity"),
    "availability": ("D", "Availability and disruption"),
    "wiring": ("E", "Wiring between objects"),
    "secrets": ("F", "Secrets and credentials"),
    "podsecurity": ("G", "Pod security"),
    "access": ("H", "Access: IAM and RBAC"),
    "storage": ("I", "Storage"),
    "loadbalancing": ("J", "Load balancing (AWS Load Balancer Controller)"),
    "karpenter": ("K", "Karpenter"),
    "eksctl": ("L", "EKS cluster definitions (eksctl, Terraform, CloudFormation)"),
    "config": ("X", "Your checks (CEL, from the config)"),
    "admission": ("Y", "Admission policies (ValidatingAdmissionPolicy, evaluated offline)"),
    "meta": ("Z", "ekslint itself (suppression hygiene)"),
}


class Level(StrEnum):
    """SARIF levels, most severe first."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


@dataclass(frozen=True)
class Finding:
    """What a rule yields: a message and where it applies.

    ``path`` is relative to ``obj`` (the rule's target when left ``None``); ``pos`` overrides it
    for places inside a scalar (a line of an embedded config file). ``level`` overrides the
    rule's level for variants that are more or less severe (a runtime socket hostPath, say).
    """

    message: str
    path: NodePath = ()
    obj: Any = None
    pos: Pos | None = None
    level: Level | None = None
    value: bool = False
    #: A place in a cluster definition (:class:`ekslint.linter.cluster.model.Site`): eksctl
    #: objects, Terraform and CloudFormation files. Overrides ``path``/``obj``/``pos``.
    site: Any = None


@dataclass(frozen=True)
class NoOptions:
    """The options of a rule that has none."""


@dataclass(frozen=True)
class RuleMeta:
    """What ``@rule`` declares about a rule, plus where it lives; the registry's entries."""

    id: str
    title: str
    level: Level
    targets: tuple[type, ...]
    #: The check, or ``None`` in the registry built from the index until :meth:`check` imports it.
    func: Callable[..., Iterable[Finding]] | None = None
    tags: tuple[str, ...] = ()
    enabled: bool = True
    kinds: frozenset[str] | None = None
    options: type = NoOptions
    since: str = "0.1.0"
    fixable: bool = False
    family: str = ""
    #: Where the rule comes from: :data:`BUILT_IN` (""), ``plugin <name> (<distribution>
    #: <version>)``, ``config .ekslint.yaml`` (a CEL check) or ``policy <file>`` (an admission policy).
    origin: str = BUILT_IN
    #: A plugin rule's documentation page (``help_url=`` of ``@rule``); built-in rules link the
    #: docs of the ekslint release (:func:`rule_doc_url`).
    help_url: str | None = None
    #: The rule's Markdown doc when it is not a file beside its module (checks, policies).
    doc_text: str | None = field(default=None, compare=False)
    #: The module that declares the rule (``ekslint.rules.<family>.<name>``, or a plugin's).
    module: str = ""

    def check(self) -> Callable[..., Iterable[Finding]]:
        """The rule's function, importing its module the first time a scan needs it."""
        if self.func is not None:
            return self.func
        declared = DECLARED.get(self.id)  # imported already: the rule phase asks once per target
        if declared is None:
            __import__(self.module)  # not importlib.import_module, which -X importtime does not show
            declared = DECLARED[self.id]
        func = declared.func
        assert func is not None  # @rule always records it
        return func

    @property
    def source(self) -> Path:
        """The rule's module file, found from its name (a path for each of 98 rules at start-up
        cost a pre-commit run half a millisecond, and only docs need one); a plugin's from its
        imported module."""
        if not self.module.startswith("ekslint.rules."):
            import sys

            module = sys.modules.get(self.module)
            return Path(getattr(module, "__file__", None) or "")
        return RULES_DIR.joinpath(*self.module.split(".")[2:]).with_suffix(".py")

    @property
    def doc_path(self) -> Path:
        return self.source.with_suffix(".md")

    @property
    def has_doc(self) -> bool:
        return self.doc_text is not None or self.doc_path.is_file()

    def doc_markdown(self) -> str:
        if self.doc_text is not None:
            return self.doc_text
        if self.origin != BUILT_IN and not self.doc_path.is_file():  # a plugin rule without a doc
            return f"## What it does\n\n{self.title}\n"
        return self.doc_path.read_text(encoding="utf-8")

    @property
    def doc_url(self) -> str:
        return rule_doc_url(self.id)

    @property
    def family_letter(self) -> str:
        return FAMILIES.get(self.family, ("P" if self.origin != BUILT_IN else "?", ""))[0]

    @property
    def family_title(self) -> str:
        return FAMILIES.get(self.family, ("?", self.family))[1]

    def doc(self) -> RuleDoc:
        """The rule's doc (beside its module, or given); a plugin rule without one has its title."""
        from ekslint.linter.ruledocs import RuleDoc  # only docs, SARIF and the tests read the docs

        return RuleDoc.parse(self.doc_markdown())


def qualified_rule_id_error(rule_id: object) -> str | None:
    """Why ``rule_id`` cannot name a rule that is not built in (None when it can)."""
    if not isinstance(rule_id, str) or not QUALIFIED_ID_RE.match(rule_id):
        return (
            f"{rule_id!r} is not an id like 'acme/ecr-images': a prefix of your own, a '/', and a name, both kebab-case"
        )
    return None


def rule_doc_url(rule_id: str, template: str | None = None) -> str:
    """The URL of a rule's documentation, from a template (default :data:`DOCS_URL`).

    A template without ``{id}`` is a base URL: the page is ``<base>/<id>.md``, as the docs folder
    holds them (a mirror of the repository, say). Templates are checked when they are read
    (``config.parse_docs_url``), so formatting cannot fail here. Rules that are not built in
    (``prefix/name``) have no page there, and get ``""``: ``ekslint explain`` shows their doc.
    """
    meta = REGISTRY.get(rule_id)
    if meta is not None and meta.origin != BUILT_IN:  # a plugin's page, or none: never ekslint's
        return meta.help_url or ""
    if "/" in rule_id:  # a check's or a policy's: no page in ekslint's docs
        return ""
    import string  # compiles a regex: only reports with links get here

    template = template or DOCS_URL
    if "id" not in {name for _, name, _, _ in string.Formatter().parse(template)}:
        template = template.rstrip("/") + "/{id}.md"
    return template.format(id=rule_id, version=__version__)


#: Where the rule modules (and their docs) are: every rule lives in ``ekslint.rules``.
RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
#: Every rule, from the index (:func:`load_rules`).
REGISTRY: dict[str, RuleMeta] = {}
#: The rules whose modules are imported, as ``@rule`` declared them (:func:`declared_rules`).
DECLARED: dict[str, RuleMeta] = {}


class PluginContext(NamedTuple):
    """The plugin whose module is being imported: its rules must carry its prefix."""

    name: str
    origin: str


#: Set by :mod:`ekslint.linter.plugins` while a plugin's entry point loads.
CURRENT_PLUGIN: list[PluginContext] = []


def rule(
    *,
    id: str,
    title: str,
    level: Level,
    targets: tuple[type, ...],
    tags: tuple[str, ...] = (),
    enabled: bool = True,
    kinds: Iterable[str] | None = None,
    options: type = NoOptions,
    since: str = "0.1.0",
    fixable: bool = False,
    help_url: str | None = None,
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a rule. ``kinds`` narrows object targets to ``Kind.group`` names (``Kind`` = core).

    Inside a plugin (while its entry point loads) the id must be ``<plugin>/<rule>``;
    ``help_url`` is where the plugin documents the rule (reports link it).
    """

    def register(func: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        plugin = CURRENT_PLUGIN[-1] if CURRENT_PLUGIN else None
        if plugin is not None:
            m = PLUGIN_ID_RE.match(id)
            if not m or m.group(1) != plugin.name:
                raise ValueError(f"rule id {id!r} must be '{plugin.name}/<rule-id>' (kebab-case)")
        elif not ID_RE.match(id):
            raise ValueError(f"rule id {id!r} is not kebab-case")
        if id in DECLARED:
            raise ValueError(f"rule id {id!r} is registered twice")
        if not isinstance(level, Level):
            raise TypeError(f"rule {id!r}: level must be a Level, not {level!r}")
        if not dataclasses.is_dataclass(options):
            raise TypeError(f"rule {id!r}: options must be a dataclass")
        DECLARED[id] = RuleMeta(
            id=id,
            title=title,
            level=level,
            targets=targets,
            func=func,
            tags=tuple(tags),
            enabled=enabled,
            kinds=frozenset(kinds) if kinds is not None else None,
            options=options,
            since=since,
            fixable=fixable,
            family=family_of(func.__module__) if plugin is None else f"plugin {plugin.name}",
            module=func.__module__,
            origin=BUILT_IN if plugin is None else plugin.origin,
            help_url=help_url,
        )
        return func

    return register


def family_of(module: str) -> str:
    """The family of the rule a module declares: its ``ekslint.rules`` sub-package."""
    parts = module.split(".")
    return parts[2] if len(parts) > 3 and parts[:2] == ["ekslint", "rules"] else ""


def load_rules() -> dict[str, RuleMeta]:
    """Every rule's metadata, from the generated index (in the order the modules declare them);
    :meth:`RuleMeta.check` imports a rule's module when a scan runs it."""
    global _index_loaded
    if not _index_loaded:
        # Inside the function: the index imports this module (for its entry type).
        from ekslint.rules._index import RULES

        for entry in RULES:
            REGISTRY[entry.id] = entry.meta()
        _index_loaded = True
    from ekslint.linter.plugins import load_plugins

    load_plugins()
    return REGISTRY


_index_loaded = False


def declared_rules() -> dict[str, RuleMeta]:
    """Import every rule module and return what they declare, in module order: the source of the
    index, and what the tests check it against."""
    import pkgutil  # only docs/generate.py and the tests walk the package

    import ekslint.rules

    for info in sorted(pkgutil.walk_packages(ekslint.rules.__path__, "ekslint.rules."), key=lambda i: i.name):
        if info.name not in NOT_RULES:
            importlib.import_module(info.name)
    # By module, whatever order scans imported them in (a stable sort keeps a module's own order).
    return dict(sorted(DECLARED.items(), key=lambda item: item[1].module))


#: Modules of ``ekslint.rules`` that are not rules: ``fixes`` is imported by ``ekslint fix`` (with
#: ruamel.yaml), so that a scan never pays for round-trip YAML; ``_index`` is the generated index.
NOT_RULES = frozenset({"ekslint.rules.fixes", "ekslint.rules._index"})


class IndexEntry(NamedTuple):
    """A rule in the generated index: its metadata, with types and classes named by their paths.

    A named tuple, not a dataclass: building a dataclass costs more at start-up, and this is data.
    """

    id: str
    module: str
    title: str
    level: Level
    targets: tuple[str, ...]
    tags: tuple[str, ...] = ()
    enabled: bool = True
    kinds: tuple[str, ...] | None = None
    options: str = ""  # empty: NoOptions
    since: str = "0.1.0"
    fixable: bool = False

    @classmethod
    def of(cls, meta: RuleMeta) -> IndexEntry:
        """The entry of a declared rule."""
        return cls(
            id=meta.id,
            module=meta.module,
            title=meta.title,
            level=meta.level,
            targets=tuple(_qualified(t) for t in meta.targets),
            tags=meta.tags,
            enabled=meta.enabled,
            kinds=tuple(sorted(meta.kinds)) if meta.kinds is not None else None,
            options="" if meta.options is NoOptions else _qualified(meta.options),
            since=meta.since,
            fixable=meta.fixable,
        )

    def meta(self) -> RuleMeta:
        """The registry's metadata for this rule (no check yet)."""
        return RuleMeta(
            id=self.id,
            title=self.title,
            level=self.level,
            targets=tuple(_resolve(t) for t in self.targets),
            tags=self.tags,
            enabled=self.enabled,
            kinds=frozenset(self.kinds) if self.kinds is not None else None,
            # A rule with options is imported here: config validation needs the options class.
            options=_resolve(self.options) if self.options else NoOptions,
            since=self.since,
            fixable=self.fixable,
            family=family_of(self.module),
            module=self.module,
        )


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


@cache  # the index names the same few target types a hundred times
def _resolve(name: str) -> Any:
    module, _, attr = name.rpartition(".")
    return getattr(importlib.import_module(module), attr)
