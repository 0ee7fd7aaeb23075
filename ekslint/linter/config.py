"""Settings: what the command line and ``.ekslint.yaml`` ask for, validated up front.

``.ekslint.yaml`` is found from the working directory upwards (or given with ``--config``). An
invalid file is a :class:`ConfigError` with a message that names the key, never a traceback.

```yaml
kubernetes-version: "1.33"      # target version for upgrade rules
fail-on: warning                # error | warning | note | none
exclude: ["vendor/**", "charts/*/templates/**"]
inline-suppressions: true       # false: ignore '# ekslint:' comments and ekslint.io/ignore
warn-unused-suppressions: false
rules:
  missing-cpu-limit: true       # shorthand for {enabled: true}
  run-as-root: {level: error, exclude: ["dev/**"]}
  some-rule: {options: {name: value}}
```
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ekslint.linter.linear_regex import PatternError
from ekslint.linter.loader import MAX_FILE_BYTES
from ekslint.linter.paths import glob_regex
from ekslint.linter.registry import Level, RuleMeta

CONFIG_NAMES = (".ekslint.yaml", ".ekslint.yml")
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
}
RULE_KEYS = {"enabled", "level", "exclude", "options"}


#: The largest max-file-size accepted: far above any file worth linting, and an int the file
#: reader can take (a 5,000-digit hexadecimal number is a valid YAML int, and an OverflowError).
MAX_FILE_SIZE_LIMIT = 2**40


class ConfigError(Exception):
    """A configuration or usage problem: reported in one line, exit code 2."""


@dataclass
class RuleConfig:
    enabled: bool | None = None
    level: Level | None = None
    exclude: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Settings:
    """Everything that shapes a scan; the CLI layers its flags over the config file."""

    root: Path = field(default_factory=Path.cwd)
    config_file: Path | None = None
    rules: dict[str, RuleConfig] = field(default_factory=dict)
    enable: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    kubernetes_version: str | None = None
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

    @property
    def today(self) -> dt.date:
        return self.as_of or dt.date.today()


@dataclass(frozen=True)
class ActiveRule:
    """A rule as this scan runs it: level and options resolved from config."""

    meta: RuleMeta
    level: Level
    options: Any
    exclude: tuple[str, ...] = ()


def find_config(start: Path) -> Path | None:
    """The nearest ``.ekslint.yaml`` in ``start`` or its parents."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def parse_version(value: Any, where: str) -> str:
    text = str(value).strip()
    if isinstance(value, float):  # `1.30` unquoted in YAML is the float 1.3
        raise ConfigError(f'{where}: write the version as a string ("{value}" loses its trailing zero)')
    if not VERSION_RE.match(text):
        raise ConfigError(f"{where}: {value!r} is not a Kubernetes minor version like 1.33")
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


def load_settings(config_path: Path | None, *, cwd: Path | None = None, discover: bool = True) -> Settings:
    """Read ``config_path`` (or the discovered config) into :class:`Settings`."""
    cwd = cwd or Path.cwd()
    path = config_path or (find_config(cwd) if discover else None)
    settings = Settings(root=cwd)
    if path is None:
        return settings
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}".replace("\n", " ")) from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a config") from None
    except ValueError as exc:  # a value YAML's resolver accepts but Python cannot build:
        # an impossible date (2026-02-30), an integer of thousands of digits
        raise ConfigError(f"{path}: a value cannot be read: {exc}".split(";")[0]) from None
    settings.config_file = path
    settings.root = path.parent.resolve() if config_path is None else cwd
    if data is None:
        return settings
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping of settings")
    _apply(settings, data, str(path))
    return settings


def _apply(settings: Settings, data: dict[str, Any], where: str) -> None:
    unknown = set(map(str, data)) - TOP_KEYS
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(TOP_KEYS))}"
        )
    if "kubernetes-version" in data:
        settings.kubernetes_version = parse_version(data["kubernetes-version"], f"{where}: kubernetes-version")
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
    ):
        if key in data:
            if not isinstance(data[key], bool):
                raise ConfigError(f"{where}: {key} must be true or false")
            setattr(settings, attr, data[key])
    if "var-files" in data:
        settings.var_files = [str(settings.root / p) for p in _str_list(data["var-files"], f"{where}: var-files")]
    if "jobs" in data:
        if not isinstance(data["jobs"], int) or isinstance(data["jobs"], bool) or data["jobs"] < 0:
            raise ConfigError(f"{where}: jobs must be 0 (one per CPU for big scans) or a number of processes")
        settings.jobs = data["jobs"]
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
    unknown = set(map(str, conf)) - RULE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
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
            known = ", ".join(f.replace("_", "-") for f in fields) or "none"
            raise ConfigError(f"{where}: rule {meta.id} has no option {key!r} (options: {known})")
        default = getattr(meta.options(), name)
        if default is not None and not isinstance(value, type(default)):
            if not (isinstance(default, tuple) and isinstance(value, list)):
                raise ConfigError(f"{where}: option {key} of {meta.id} must be a {type(default).__name__}")
            value = tuple(value)
        kwargs[name] = value
    return meta.options(**kwargs)


def resolve_rules(settings: Settings, registry: dict[str, RuleMeta]) -> dict[str, ActiveRule]:
    """The rules this scan runs: defaults, then the config file, then --enable/--disable."""
    for rid in [*settings.rules, *settings.enable, *settings.disable]:
        if rid not in registry and rid != "all":
            raise ConfigError(f"unknown rule id {rid!r} (see `ekslint rules`)")
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
        options = build_options(meta, conf.options, f"rules.{rid}.options")
        active[rid] = ActiveRule(meta, conf.level or meta.level, options, _globs(conf.exclude, f"rules.{rid}.exclude"))
    _globs(settings.exclude, "exclude")
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
