"""Settings: what the command line and ``.ekslint.yaml`` ask for, validated up front.

The config is ``.ekslint.yaml`` (or ``.ekslint.yml``), or the ``[tool.ekslint]`` table of a
``pyproject.toml``, with the same keys. It is given with ``--config``, or found from each scanned
path upwards: in each folder, ``.ekslint.yaml``, then ``.ekslint.yml``, then a ``pyproject.toml``
that has a ``[tool.ekslint]`` table (one without it is passed over), and the first found wins;
with no paths (``ekslint scan``), from the working directory. An invalid file is a
:class:`ConfigError` with a message that names the file and the key, never a traceback.

```yaml
kubernetes-version: "1.33"      # target version for upgrade rules
fail-on: warning                # error | warning | note | none
exclude: ["vendor/**", "charts/*/templates/**"]
inline-suppressions: true       # false: ignore '# ekslint:' comments and ekslint.io/ignore
warn-unused-suppressions: false
docs-url: "https://wiki.example.com/ekslint/{version}/{id}"   # where reports link rule docs
rules:
  missing-cpu-limit: true       # shorthand for {enabled: true}
  run-as-root: {level: error, exclude: ["dev/**"]}
  some-rule: {options: {name: value}}
```

``docs-url`` is the page of a rule that SARIF ``helpUri`` and JUnit failures link to: a URL with
``{id}`` (the rule id) and optionally ``{version}`` (ekslint's), or a base URL to which
``<id>.md`` is appended (a mirror of the repository's ``docs/rules``). The environment variable
``EKSLINT_DOCS_URL`` overrides it (set once on an organisation's CI runners); the default is the
rule's page at this version's tag on GitHub.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ekslint.linter.exemptions import EKS_ADDONS, Exemption, ExemptionError, parse_exemptions
from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.linear_regex import PatternError
from ekslint.linter.loader import MAX_FILE_BYTES, syntax_message
from ekslint.linter.paths import glob_regex
from ekslint.linter.registry import DOCS_URL_FIELDS, Level, RuleMeta
from ekslint.linter.suggest import did_you_mean
from ekslint.linter.versions import KNOWN_RANGE, older_than_known

CONFIG_NAMES = (".ekslint.yaml", ".ekslint.yml")
PYPROJECT = "pyproject.toml"
#: A config (pyproject.toml included) larger than this is not a config worth reading.
MAX_CONFIG_BYTES = 10 << 20
_TOML_EXEMPTION = LazyPattern(r"^\s*\[\[\s*tool\s*\.\s*ekslint\s*\.\s*exemptions\s*\]\]")
VERSION_RE = re.compile(r"^1\.(\d{1,2})$")
FAIL_ON = ("error", "warning", "note", "none")
TOP_KEYS = {
    "kubernetes-version",
    "as-of",
    "fail-on",
    "exclude",
    "inline-suppressions",
    "warn-unused-suppressions",
    "rules",
    "max-file-size",
    "kustomize",
    "var-files",
    "lbc-service-webhook",
    "jobs",
    "respect-gitignore",
    "exemptions",
    "eks-addon-exemptions",
    "docs-url",
    "checks",
    "policies",
}
RULE_KEYS = {"enabled", "level", "exclude", "options"}


#: The largest max-file-size accepted: far above any file worth linting, and an int the file
#: reader can take (a 5,000-digit hexadecimal number is a valid YAML int, and an OverflowError).
MAX_FILE_SIZE_LIMIT = 2**40


class ConfigError(Exception):
    """A configuration or usage problem: reported in one line, exit code 2."""


@dataclass(eq=False)
class RuleConfig:
    """One rule's entry under ``rules:`` in the config; ``None`` leaves the rule's default."""

    enabled: bool | None = None
    level: Level | None = None
    exclude: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Settings:
    """Everything that shapes a scan; the CLI layers its flags over the config file."""

    root: Path = field(default_factory=Path.cwd)
    config_file: Path | None = None
    #: How messages name the config file (see :func:`config_display`).
    config_display: str = ""
    rules: dict[str, RuleConfig] = field(default_factory=dict)
    enable: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    kubernetes_version: str | None = None
    #: Who set ``kubernetes_version``, for the note and messages: the flag, or the config file.
    kubernetes_version_source: str = "--kubernetes-version"
    as_of: dt.date | None = None
    fail_on: str = "warning"
    inline_suppressions: bool = True
    warn_unused_suppressions: bool = False
    include_suppressed: bool = False
    max_file_bytes: int = MAX_FILE_BYTES
    #: The AWS Load Balancer Controller's Service webhook is on (LBC v2.5+ default): plain
    #: ``type: LoadBalancer`` Services become LBC NLBs, not Classic LBs.
    lbc_service_webhook: bool = False
    #: Folders to render with Kustomize before linting (``--kustomize``, config ``kustomize``).
    kustomize: list[str] = field(default_factory=list)
    #: Helm charts to render with ``helm template`` (``--helm``) and their values files.
    helm: list[str] = field(default_factory=list)
    helm_values: list[str] = field(default_factory=list)
    #: Terraform variable files to evaluate every root module with (``--var-file``, config
    #: ``var-files``), after the ``terraform.tfvars`` and ``*.auto.tfvars`` Terraform loads itself.
    var_files: list[str] = field(default_factory=list)
    #: Processes for the rule phase: 0 = one per CPU when the scan is big enough to pay for it,
    #: 1 = in-process. The report is the same either way.
    jobs: int = 0
    #: Inside a git work tree, folder walks skip what git ignores (config ``respect-gitignore``,
    #: ``--no-respect-gitignore``).
    respect_gitignore: bool = True
    #: ``exemptions:`` entries (:mod:`ekslint.linter.exemptions`); the built-in EKS add-on set
    #: applies while ``eks_addon_exemptions`` is on (config ``eks-addon-exemptions``).
    exemptions: list[Exemption] = field(default_factory=list)
    eks_addon_exemptions: bool = True
    #: Real paths that folder walks pass over: the baseline files of this run are not manifests.
    skip_files: set[str] = field(default_factory=set)
    #: The config was looked for from the scanned paths (neither ``--config`` nor ``--no-config``):
    #: configs in the folders a walk goes through are not used, and a note says so.
    config_discovered: bool = False
    #: Template of the rule documentation links in reports (see ``registry.rule_doc_url``).
    docs_url: str | None = None
    #: The path results from standard input carry (``--stdin-filename``), instead of ``<stdin>``.
    stdin_filename: str | None = None
    #: Rules that are not built in, by id: the config's CEL checks (``checks:``, see
    #: :mod:`ekslint.linter.cel.checks`) and the admission policies of ``--policy`` files.
    extra_rules: dict[str, RuleMeta] = field(default_factory=dict)
    #: ``--policy`` files and folders: ValidatingAdmissionPolicies kept outside the scanned paths.
    policies: list[str] = field(default_factory=list)

    @property
    def today(self) -> dt.date:
        return self.as_of or dt.date.today()


class ActiveRule(NamedTuple):
    """A rule as this scan runs it: level and options resolved from config."""

    meta: RuleMeta
    level: Level
    options: Any
    exclude: tuple[str, ...] = ()


def find_config(start: Path) -> Path | None:
    """The nearest config in ``start`` or its parents (see the module docstring for the order)."""
    for folder in (start, *start.parents):
        name = config_in(str(folder))
        if name is not None:
            return folder / name
    return None


def config_in(folder: str) -> str | None:
    """The name of the config file that ``folder`` holds, if it holds one."""
    for name in CONFIG_NAMES:
        if os.path.isfile(os.path.join(folder, name)):
            return name
    candidate = os.path.join(folder, PYPROJECT)
    if os.path.isfile(candidate) and _has_tool_table(Path(candidate)):
        return PYPROJECT
    return None


def _has_tool_table(path: Path) -> bool:
    """Whether a ``pyproject.toml`` has ``[tool.ekslint]``; a broken one counts when it names the
    table, so that its error is reported rather than the file passed over."""
    import tomllib

    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES)
    except OSError:
        return False
    if b"ekslint" not in raw:
        return False
    try:
        tool = tomllib.loads(raw.decode("utf-8-sig")).get("tool")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError, ValueError):
        return b"tool.ekslint" in raw
    return isinstance(tool, dict) and "ekslint" in tool


def unused_configs_note(configs: list[str], settings: Settings) -> str:
    """What a scan says of the configs in the folders it walked: they do not apply to it.

    A scan takes the config of each path it is given (see :func:`config_groups`), so a monorepo
    scanned from its top is linted with the top's config alone; ruff would take each folder's.
    Saying so beats a team's ``exclude`` or disabled rule being ignored without a word.
    """
    shown = ", ".join(configs[:3]) + (f" and {len(configs) - 3} more" if len(configs) > 3 else "")
    which = f"the settings of {settings.config_display}" if settings.config_display else "the default settings"
    folders = " ".join(c.rpartition("/")[0] for c in configs[:3]) + (" ..." if len(configs) > 3 else "")
    count, are = ("a config file", "is") if len(configs) == 1 else (f"{len(configs)} config files", "are")
    return (
        f"{count} below the scanned folders {are} not used ({shown}): a scan takes the config of each path "
        f"it names, so those folders are linted with {which}; name them (ekslint scan {folders}) to lint each "
        "with its own config"
    )


def config_groups(paths: list[str], cwd: Path) -> list[tuple[Path | None, list[str]]]:
    """The scanned paths grouped by the config that governs each, in the order first named.

    Each named path finds its config from itself upwards (a file from its folder), so a monorepo
    with one ``.ekslint.yaml`` per tree lints each tree with its own settings, and pre-commit's
    file list from several trees splits the same way. Standard input uses the working directory's.
    """
    groups: dict[Path | None, list[str]] = {}
    for arg in paths:
        start = cwd if arg == "-" else Path(os.path.abspath(cwd / arg))
        if not start.is_dir():
            start = start.parent
        groups.setdefault(find_config(start), []).append(arg)
    return list(groups.items())


def parse_version(value: Any, where: str) -> str:
    text = str(value).strip()
    if isinstance(value, float):  # `1.30` unquoted in YAML is the float 1.3
        raise ConfigError(f'{where}: write the version as a string ("{value}" loses its trailing zero)')
    if not VERSION_RE.match(text):
        raise ConfigError(f"{where}: {value!r} is not a Kubernetes minor version like 1.33")
    if older_than_known(text):  # a typo (1.3 for 1.30) or a version EKS never ran
        raise ConfigError(f"{where}: {text} is older than every Kubernetes version ekslint knows ({KNOWN_RANGE})")
    return text


def parse_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):  # a YAML timestamp: a date is asked for, not a moment
        raise ConfigError(f"{where}: {value.isoformat()!r} is a timestamp, not a date (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_docs_url(value: Any, where: str) -> str:
    """A ``docs-url`` template: an http(s) URL whose only placeholders are ``{id}`` and ``{version}``."""
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+", value):
        raise ConfigError(f"{where} must be an http or https URL, with {{id}} for the rule id")
    import string  # compiles a regex: only a configured docs-url gets here

    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(value) if name is not None]
    except ValueError:
        raise ConfigError(f"{where}: unbalanced {{ or }} in {value!r} (write {{{{ and }}}} for braces)") from None
    for name, spec, conv in fields:
        # No format spec or conversion: {id:>999999999} would be a gigabyte of padding, and the
        # config file is part of the scanned repository.
        if name not in DOCS_URL_FIELDS or spec or conv:
            shown = name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "")
            raise ConfigError(f"{where}: unknown placeholder {{{shown}}} (use {{id}} and {{version}})")
    return value


def load_settings(
    config_path: Path | None, *, cwd: Path | None = None, discover: bool = True, start: Path | None = None
) -> Settings:
    """Read ``config_path`` (or the config found from ``start``, default the working directory)
    into :class:`Settings`."""
    cwd = cwd or Path.cwd()
    path = config_path or (find_config(start or cwd) if discover else None)
    settings = Settings(root=cwd, config_discovered=config_path is None and discover)
    if path is None:
        return settings
    where = config_display(path, cwd)
    text = _read_text(path, where)
    data = _read_toml(text, where) if path.name == PYPROJECT else _read_yaml(text, where)
    settings.config_file = path
    settings.config_display = where
    settings.root = path.parent.resolve() if config_path is None else cwd
    if data is None:
        return settings
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: the config must be a mapping of settings")
    _apply(settings, data, where)
    if data.get("checks") is not None:
        lines = _toml_entry_lines(text, "checks") if path.name == PYPROJECT else _yaml_entry_lines(text, "checks")
        settings.extra_rules.update(_parse_checks(data["checks"], where, path, lines))
    if "exemptions" in data:
        lines = _toml_entry_lines(text) if path.name == PYPROJECT else _yaml_entry_lines(text, "exemptions")
        try:
            settings.exemptions = parse_exemptions(data["exemptions"], where, lines, parse_date)
        except ExemptionError as exc:
            raise ConfigError(str(exc)) from None
    return settings


def _parse_checks(raw: Any, where: str, path: Path, lines: list[int]) -> dict[str, RuleMeta]:
    """The config's CEL checks as rules; the CEL engine is imported only for a config that has some."""
    from ekslint.linter.cel.checks import CheckError, parse_checks

    try:
        return {check.id: check.meta() for check in parse_checks(raw, where, path, lines)}
    except CheckError as exc:
        raise ConfigError(str(exc)) from None


def scan_rules(settings: Settings) -> dict[str, RuleMeta]:
    """Every rule a scan with ``settings`` knows: the built-in ones and the config's."""
    from ekslint.linter.registry import load_rules

    return {**load_rules(), **settings.extra_rules}


def _read_text(path: Path, where: str) -> str:
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read config {where}: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{where}: larger than {MAX_CONFIG_BYTES >> 20} MB, not a config")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read config {where}: not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _read_yaml(text: str, where: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:  # "path:line:col: problem", not PyYAML's snippet and caret
        mark = exc.problem_mark or exc.context_mark
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{where}{at}: {syntax_message(exc)}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise ConfigError(f"{where}:{line}:{col}: invalid YAML: {str(exc).splitlines()[0]}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: invalid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise ConfigError(f"{where}: nested too deeply to be a config") from None
    except ValueError as exc:  # a value YAML's resolver accepts but Python cannot build:
        # an impossible date (2026-02-30), an integer of thousands of digits
        raise ConfigError(f"{where}: a value cannot be read: {exc}".split(";")[0]) from None


def _read_toml(text: str, where: str) -> Any:
    """The ``[tool.ekslint]`` table of a ``pyproject.toml`` (``None`` when it has none)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{where}: nested too deeply to be a config") from None
    except ValueError as exc:  # an integer beyond Python's int-to-string limit
        raise ConfigError(f"{where}: a value cannot be read: {exc}".split(";")[0]) from None
    tool = data.get("tool")
    section = tool.get("ekslint") if isinstance(tool, dict) else None
    if section is not None and not isinstance(section, dict):
        raise ConfigError(f"{where}: [tool.ekslint] must be a table of settings")
    return section


def _yaml_entry_lines(text: str, key: str) -> list[int]:
    """The line of each item of the top-level list ``key`` (findings on an entry point there)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):  # already reported by the loader; no lines then
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for name, value in root.value:
        if name.value == key and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _toml_entry_lines(text: str, key: str = "exemptions") -> list[int]:
    """The line of each ``[[tool.ekslint.<key>]]`` table (an inline array gets its key's line)."""
    head = (
        _TOML_EXEMPTION if key == "exemptions" else re.compile(rf"^\s*\[\[\s*tool\s*\.\s*ekslint\s*\.\s*{key}\s*\]\]")
    )
    heads = [n for n, line in enumerate(text.splitlines(), 1) if head.match(line)]
    if heads:
        return heads
    return [n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(key)][:1]


def config_display(path: Path, cwd: Path) -> str:
    """How messages name the config file: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(cwd)) if path.is_absolute() == cwd.is_absolute() else str(path)
    except ValueError:
        return str(path)


def _apply(settings: Settings, data: dict[str, Any], where: str) -> None:
    unknown = sorted(set(map(str, data)) - TOP_KEYS)
    if unknown:
        hints = [f"{name!r}{did_you_mean(name, TOP_KEYS)}" for name in unknown]
        known = "" if all("did you mean" in h for h in hints) else f"; known: {', '.join(sorted(TOP_KEYS))}"
        raise ConfigError(f"{where}: unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(hints)}{known}")
    if "kubernetes-version" in data:
        settings.kubernetes_version = parse_version(data["kubernetes-version"], f"{where}: kubernetes-version")
        settings.kubernetes_version_source = f"kubernetes-version in {where}"
    if "as-of" in data:
        settings.as_of = parse_date(data["as-of"], f"{where}: as-of")
    if "fail-on" in data:
        if data["fail-on"] not in FAIL_ON:
            raise ConfigError(f"{where}: fail-on must be one of {', '.join(FAIL_ON)}")
        settings.fail_on = data["fail-on"]
    if "exclude" in data:
        settings.exclude = _str_list(data["exclude"], f"{where}: exclude")
    if "kustomize" in data:
        settings.kustomize = [str(settings.root / p) for p in _str_list(data["kustomize"], f"{where}: kustomize")]
    for key, attr in (
        ("inline-suppressions", "inline_suppressions"),
        ("warn-unused-suppressions", "warn_unused_suppressions"),
        ("lbc-service-webhook", "lbc_service_webhook"),
        ("respect-gitignore", "respect_gitignore"),
        ("eks-addon-exemptions", "eks_addon_exemptions"),
    ):
        if key in data:
            if not isinstance(data[key], bool):
                raise ConfigError(f"{where}: {key} must be true or false")
            setattr(settings, attr, data[key])
    if "policies" in data:
        settings.policies = [str(settings.root / p) for p in _str_list(data["policies"], f"{where}: policies")]
    if "var-files" in data:
        settings.var_files = [str(settings.root / p) for p in _str_list(data["var-files"], f"{where}: var-files")]
    if "jobs" in data:
        if not isinstance(data["jobs"], int) or isinstance(data["jobs"], bool) or data["jobs"] < 0:
            raise ConfigError(f"{where}: jobs must be 0 (one per CPU for big scans) or a number of processes")
        settings.jobs = data["jobs"]
    if "docs-url" in data:
        settings.docs_url = parse_docs_url(data["docs-url"], f"{where}: docs-url")
    if "max-file-size" in data:
        size = data["max-file-size"]
        if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= MAX_FILE_SIZE_LIMIT:
            raise ConfigError(f"{where}: max-file-size must be a positive number of bytes, at most 1 TiB")
        settings.max_file_bytes = data["max-file-size"]
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: rules must be a mapping of rule id to settings")
    for rid, conf in rules.items():
        settings.rules[str(rid)] = _rule_config(conf, f"{where}: rules.{rid}")


def _str_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of glob patterns")
    return list(value)


def _rule_config(conf: Any, where: str) -> RuleConfig:
    if isinstance(conf, bool):
        return RuleConfig(enabled=conf)
    if isinstance(conf, str) and conf in ("error", "warning", "note"):
        return RuleConfig(enabled=True, level=Level(conf))
    if isinstance(conf, str) and conf == "off":
        return RuleConfig(enabled=False)
    if not isinstance(conf, dict):
        raise ConfigError(f"{where}: expected true/false, a level, or a mapping with {', '.join(sorted(RULE_KEYS))}")
    unknown = sorted(set(map(str, conf)) - RULE_KEYS)
    if unknown:
        hints = ", ".join(f"{name!r}{did_you_mean(name, RULE_KEYS)}" for name in unknown)
        raise ConfigError(
            f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {hints} (keys: {', '.join(sorted(RULE_KEYS))})"
        )
    out = RuleConfig()
    if "enabled" in conf:
        if not isinstance(conf["enabled"], bool):
            raise ConfigError(f"{where}.enabled must be true or false")
        out.enabled = conf["enabled"]
    if "level" in conf:
        if conf["level"] not in ("error", "warning", "note"):
            raise ConfigError(f"{where}.level must be error, warning or note")
        out.level = Level(conf["level"])
    if "exclude" in conf:
        out.exclude = _str_list(conf["exclude"], f"{where}.exclude")
    if "options" in conf:
        if not isinstance(conf["options"], dict):
            raise ConfigError(f"{where}.options must be a mapping")
        out.options = dict(conf["options"])
    return out


def build_options(meta: RuleMeta, given: dict[str, Any], where: str) -> Any:
    """Instantiate a rule's options dataclass from config, checking names and types."""
    fields = {f.name: f for f in dataclasses.fields(meta.options)}
    kwargs: dict[str, Any] = {}
    for key, value in given.items():
        name = str(key).replace("-", "_")
        if name not in fields:
            names = [f.replace("_", "-") for f in fields]
            hint = did_you_mean(str(key), names) or f" (options: {', '.join(names) or 'none'})"
            raise ConfigError(f"{where}: rule {meta.id} has no option {key!r}{hint}")
        default = getattr(meta.options(), name)
        if default is not None and not isinstance(value, type(default)):
            if not (isinstance(default, tuple) and isinstance(value, list)):
                raise ConfigError(f"{where}: option {key} of {meta.id} must be a {type(default).__name__}")
            value = tuple(value)
        kwargs[name] = value
    return meta.options(**kwargs)


def resolve_rules(settings: Settings, registry: dict[str, RuleMeta]) -> dict[str, ActiveRule]:
    """The rules this scan runs: defaults, then the config file, then --enable/--disable."""
    if settings.eks_addon_exemptions and EKS_ADDONS not in settings.exemptions:
        settings.exemptions.append(EKS_ADDONS)  # after the user's: their reasons show first
    config = settings.config_display or (str(settings.config_file) if settings.config_file else "the config")
    named = [(f"{config}: ", rid, " in rules") for rid in settings.rules]
    named += [
        (f"{flag}: ", rid, "")
        for flag, ids in (("--enable", settings.enable), ("--disable", settings.disable))
        for rid in ids
    ]
    named += [(f"{config}: ", rid, " in exemptions") for e in settings.exemptions for rid in e.rules]
    for where, rid, within in named:
        if rid not in registry and rid != "all":
            hint = did_you_mean(rid, registry) or " (see `ekslint rules`)"
            raise ConfigError(f"{where}unknown rule {rid!r}{within}{hint}")
    active: dict[str, ActiveRule] = {}
    for rid, meta in registry.items():
        conf = settings.rules.get(rid, RuleConfig())
        enabled = meta.enabled if conf.enabled is None else conf.enabled
        # A named rule beats `all`; a named --disable beats a named --enable.
        if rid in settings.disable:
            enabled = False
        elif rid in settings.enable:
            enabled = True
        elif "all" in settings.disable:
            enabled = False
        elif "all" in settings.enable:
            enabled = True
        if rid == "unused-suppression" and settings.warn_unused_suppressions:
            enabled = True
        if not enabled:
            continue
        options = build_options(meta, conf.options, f"{config}: rules.{rid}.options")
        exclude = _globs(conf.exclude, f"{config}: rules.{rid}.exclude")
        active[rid] = ActiveRule(meta, conf.level or meta.level, options, exclude)
    _globs(settings.exclude, f"{config}: exclude")
    return active


def _globs(globs: list[str], where: str) -> tuple[str, ...]:
    """The globs, each checked to compile (only an absurdly long one cannot)."""
    for glob in globs:
        try:
            glob_regex(glob)
        except PatternError as exc:
            raise ConfigError(
                f"{where}: cannot use the glob {glob[:80]!r}{'...' if len(glob) > 80 else ''}: {exc}"
            ) from None
    return tuple(globs)
