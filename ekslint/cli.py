"""The ``ekslint`` command: arguments in, engine, formatter, exit code out.

Only this module imports typer. Exit codes: 0 nothing at or above ``--fail-on``; 1 findings;
2 usage, config or internal errors (also unreadable paths and rules that raised).
"""

# No ``from __future__ import annotations``: typer reads the parameters' annotations on every run,
# and as strings each one would be compiled first (half the time typer takes to build the command).

import gc
import os
import signal
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from ekslint import __version__
from ekslint.linter.config import (
    ConfigError,
    Settings,
    config_display,
    config_groups,
    find_config,
    load_settings,
    parse_date,
    parse_docs_url,
    parse_version,
    scan_rules,
)
from ekslint.linter.engine import lint
from ekslint.linter.formatters.escape import log_text, redact
from ekslint.linter.formatters.location import repository_root
from ekslint.linter.formatters.text import plural, shown_path, summary_line
from ekslint.linter.paths import STDIN
from ekslint.linter.registry import BUILT_IN, FAMILIES, RuleMeta
from ekslint.linter.report import Report, merge_reports

if TYPE_CHECKING:
    from ekslint.linter.fix_run import FileFix

# Formatters other than text, the baseline and difflib are imported where they are used: a
# pre-commit run on one file pays for Python's start-up many times over, and sarif_om (attrs)
# alone costs more than parsing the file.

app = typer.Typer(
    name="ekslint",
    help="Static analysis for Kubernetes manifests and Amazon EKS cluster configs.",
    # Completion: `ekslint --install-completion` / `--show-completion` (bash, zsh, fish, PowerShell).
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # never dump locals (tokens, Secret manifests) into CI logs
    rich_markup_mode=None,
)

PROGRESS_MIN_FILES = 200
#: Overrides config ``docs-url``: where reports link rule docs (a mirror, an internal wiki).
DOCS_URL_ENV = "EKSLINT_DOCS_URL"


class OutputFormat(StrEnum):
    auto = "auto"
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"
    gitlab = "gitlab"


class RulesFormat(StrEnum):
    text = "text"
    json = "json"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    note = "note"
    none = "none"


def fail(message: str) -> typer.Exit:
    sys.stderr.write(f"ekslint: error: {log_text(message)}\n")
    return typer.Exit(2)


def apply_version_options(settings: Settings, kubernetes_version: str | None, as_of: str | None) -> None:
    """``--kubernetes-version`` and ``--as-of`` (shared by ``scan`` and ``fix``) over the config's."""
    if kubernetes_version:
        settings.kubernetes_version = parse_version(kubernetes_version, "--kubernetes-version")
        settings.kubernetes_version_source = "--kubernetes-version"
    if as_of:
        settings.as_of = parse_date(as_of, "--as-of")


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"ekslint {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """ekslint: lint Kubernetes manifests and EKS cluster configs before they reach a cluster."""


def use_color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def progress_printer() -> object:
    if not sys.stderr.isatty():
        return None

    def show(n: int, total: int) -> None:
        if total >= PROGRESS_MIN_FILES and (n == total or n % 25 == 0):
            sys.stderr.write(f"\rekslint: reading files {n}/{total}")
            if n == total:
                sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    return show


def write_report(report: Report, fmt: OutputFormat, stream: TextIO, settings: Settings, *, color: bool) -> None:
    if fmt is OutputFormat.auto:
        fmt = OutputFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else OutputFormat.text
    inc = settings.include_suppressed
    # Reports that CI resolves against the repository name files from its root, also when a
    # step runs ekslint in a subfolder (see location.repository_root).
    cwd = Path.cwd()
    root = repository_root(cwd, os.environ)
    if fmt is OutputFormat.text:
        from ekslint.linter.formatters.text import TextFormatter

        TextFormatter(color=color, include_suppressed=inc).write(report, stream)
    elif fmt is OutputFormat.json:
        from ekslint.linter.formatters.json import JsonFormatter

        JsonFormatter(include_suppressed=inc).write(report, stream)
    elif fmt is OutputFormat.sarif:
        from ekslint.linter.formatters.sarif import SarifFormatter

        SarifFormatter(include_suppressed=inc, root=root, docs_url=settings.docs_url, cwd=cwd).write(report, stream)
    elif fmt is OutputFormat.junit:
        from ekslint.linter.formatters.junit import JunitFormatter

        JunitFormatter(include_suppressed=inc, docs_url=settings.docs_url).write(report, stream)
    elif fmt is OutputFormat.gitlab:
        from ekslint.linter.formatters.gitlab import GitlabFormatter

        GitlabFormatter(root=root, cwd=cwd).write(report, stream)
    else:
        from ekslint.linter.formatters.github import GithubFormatter

        GithubFormatter(root=root, cwd=cwd).write(report, stream)


@app.command()
def scan(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or folders to scan; - reads stdin. Default: .")
    ] = None,
    format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format; auto = github in GitHub Actions, else text. junit: JUnit XML for test tabs "
            "(GitLab, Jenkins, Azure); gitlab: GitLab Code Quality JSON.",
        ),
    ] = OutputFormat.auto,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    sarif_file: Annotated[
        Path | None, typer.Option("--sarif-file", help="Also write a SARIF report to this file.")
    ] = None,
    fail_on: Annotated[
        FailOn | None, typer.Option("--fail-on", help="Lowest level that fails the run (exit 1). Default: warning.")
    ] = None,
    enable: Annotated[
        list[str] | None, typer.Option("--enable", help="Enable a rule (repeatable; 'all' for every rule).")
    ] = None,
    disable: Annotated[
        list[str] | None, typer.Option("--disable", help="Disable a rule (repeatable; 'all' for every rule).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Config file (default: .ekslint.yaml here or above).")
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore any .ekslint.yaml.")] = False,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Glob of paths to skip (repeatable).")] = None,
    kustomize: Annotated[
        list[Path] | None,
        typer.Option(
            "--kustomize",
            help="Render this folder's kustomizations (kubectl kustomize) and lint the output (repeatable).",
        ),
    ] = None,
    helm: Annotated[
        list[Path] | None,
        typer.Option("--helm", help="Render this chart with `helm template` and lint the output (repeatable)."),
    ] = None,
    values: Annotated[list[Path] | None, typer.Option("--values", help="Values file for --helm (repeatable).")] = None,
    var_file: Annotated[
        list[Path] | None,
        typer.Option(
            "--var-file",
            help="Terraform variable file to evaluate the Terraform root modules with, after terraform.tfvars "
            "and *.auto.tfvars (repeatable).",
        ),
    ] = None,
    policy: Annotated[
        list[Path] | None,
        typer.Option(
            "--policy",
            help="File or folder of ValidatingAdmissionPolicies, bindings and params kept elsewhere, evaluated "
            "on the scanned objects (repeatable).",
        ),
    ] = None,
    kubernetes_version: Annotated[
        str | None, typer.Option("--kubernetes-version", help="Target Kubernetes version, e.g. 1.33.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date for support calendars (YYYY-MM-DD). Default: today.")
    ] = None,
    include_suppressed: Annotated[
        bool, typer.Option("--include-suppressed", help="Also output suppressed findings.")
    ] = False,
    no_inline_suppressions: Annotated[
        bool,
        typer.Option(
            "--no-inline-suppressions", help="Ignore '# ekslint:' comments and ekslint.io/ignore annotations."
        ),
    ] = False,
    warn_unused_suppressions: Annotated[
        bool, typer.Option("--warn-unused-suppressions", help="Report suppressions that matched nothing.")
    ] = False,
    summary_file: Annotated[
        Path | None, typer.Option("--summary-file", help="Append a Markdown summary (e.g. to $GITHUB_STEP_SUMMARY).")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Report only findings not in this baseline file.")
    ] = None,
    write_baseline_to: Annotated[
        Path | None, typer.Option("--write-baseline", help="Record the current findings as the baseline in this file.")
    ] = None,
    stdin_filename: Annotated[
        str | None,
        typer.Option("--stdin-filename", help="The path results from stdin (-) carry, e.g. the file a pipe renders."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No notes on stderr.")] = False,
    respect_gitignore: Annotated[
        bool | None,
        typer.Option(
            "--respect-gitignore/--no-respect-gitignore",
            help="Inside a git work tree, skip what git ignores in scanned folders (default: on).",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Processes for the rules: 0 = one per CPU for big scans (default), 1 = one process.",
        ),
    ] = None,
) -> None:
    """Lint Kubernetes manifests and EKS cluster definitions (eksctl, Terraform, CloudFormation)."""
    try:
        if config is not None and not config.is_file():
            raise ConfigError(f"config file {config} does not exist")
        if values and not helm:
            raise ConfigError("--values is for --helm charts: give the chart with --helm, or drop --values")
        cwd = Path.cwd()
        groups = _config_trees(paths, config, no_config, cwd)
        if baseline is not None or write_baseline_to is not None:
            from ekslint.linter.baseline import apply_baseline, load_baseline, write_baseline
        known = load_baseline(baseline) if baseline is not None else None
        if write_baseline_to is not None and not write_baseline_to.parent.is_dir():  # before the scan
            raise ConfigError(f"cannot write baseline {write_baseline_to}: no folder {write_baseline_to.parent}")
        runs: list[tuple[Report, Settings]] = []
        for number, (found, group_paths) in enumerate(groups):
            settings = _tree_settings(found, config)
            settings.enable += enable or []
            settings.disable += disable or []
            settings.exclude += exclude or []
            settings.config_discovered = config is None and not no_config
            if number == 0:  # rendered once, whatever the number of config trees
                settings.kustomize += [str(k) for k in kustomize or []]
                settings.helm += [str(h) for h in helm or []]
                settings.helm_values += [str(v) for v in values or []]
            settings.var_files += [str(v) for v in var_file or []]
            settings.policies += [str(p) for p in policy or []]
            for path in settings.var_files:
                if not Path(path).is_file():
                    raise ConfigError(f"--var-file {path}: no such file")
            apply_version_options(settings, kubernetes_version, as_of)
            if fail_on is not None:
                settings.fail_on = fail_on.value
            if jobs is not None:
                settings.jobs = jobs
            if respect_gitignore is not None:
                settings.respect_gitignore = respect_gitignore
            if os.environ.get(DOCS_URL_ENV):  # the runners' setting wins over the repository's file
                settings.docs_url = parse_docs_url(os.environ[DOCS_URL_ENV], DOCS_URL_ENV)
            if stdin_filename is not None:
                if not stdin_filename.strip():
                    raise ConfigError("--stdin-filename needs a file name")
                if STDIN not in (paths or []):
                    raise ConfigError("--stdin-filename names standard input: add - to the paths")
                settings.stdin_filename = stdin_filename
            settings.include_suppressed = include_suppressed
            if no_inline_suppressions:
                settings.inline_suppressions = False
            if warn_unused_suppressions:
                settings.warn_unused_suppressions = True
            settings.skip_files |= {os.path.realpath(p) for p in (baseline, write_baseline_to) if p is not None}
            default = [] if settings.kustomize or settings.helm else ["."]
            runs.append((lint(group_paths or default, settings, progress=progress_printer()), settings))  # type: ignore[arg-type]
        report, settings = runs[0] if len(runs) == 1 else (merge_reports([r for r, _ in runs]), runs[0][1])
        if len(runs) > 1:
            shown = [(config_display(found, cwd) if found else "no config", len(p)) for found, p in groups]
            trees = ", ".join(f"{where} ({plural(count, 'path')})" for where, count in shown)
            report.notes.append(f"{len(runs)} trees linted, each with its own config: {trees}")
        if known is not None:
            matched = apply_baseline(report, known)
            report.notes.append(f"baseline {baseline}: {matched} known finding(s) not reported")
        if write_baseline_to is not None:
            count = write_baseline(report, write_baseline_to)
            report.notes.append(f"wrote {count} finding(s) to the baseline {write_baseline_to}")
        exit_code = max(r.exit_code(s.fail_on) for r, s in runs) if not report.errors else 2
    except ConfigError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - report, never a traceback
        raise fail(f"internal error: {type(exc).__name__}: {exc}") from None

    if not quiet:
        for note in report.notes:
            sys.stderr.write(f"ekslint: note: {log_text(note)}\n")
    for err in report.errors:
        sys.stderr.write(f"ekslint: error: {err}\n")
    if output is not None or sarif_file is not None:
        from ekslint.linter.atomic_write import atomic_text  # tempfile, for report files only
    try:
        if output is not None:
            with atomic_text(output) as fh:  # streamed: a big report is never held whole
                write_report(report, format, fh, settings, color=False)
            if not quiet:
                sys.stderr.write(summary_line(report) + "\n")
        else:
            write_report(report, format, sys.stdout, settings, color=use_color(sys.stdout))
        if summary_file is not None:
            from ekslint.linter.formatters.summary import SummaryFormatter

            with summary_file.open("a", encoding="utf-8") as fh:
                SummaryFormatter().write(report, fh)
        if sarif_file is not None:
            with atomic_text(sarif_file) as fh:
                write_report(report, OutputFormat.sarif, fh, settings, color=False)
    except BrokenPipeError:  # the reader went away (``| head``): it saw what it wanted
        _mute_stdout()
    except OSError as exc:
        raise fail(f"cannot write report: {exc}") from None
    raise typer.Exit(exit_code)


def _config_trees(
    paths: list[str] | None, config: Path | None, no_config: bool, cwd: Path
) -> list[tuple[Path | None, list[str]]]:
    """The paths grouped by the config each is linted with: ``--config`` or ``--no-config`` for
    all, else each path's own (:func:`config_groups`), or the working folder's with no paths."""
    if config is None and not no_config and paths:
        return config_groups(list(paths), cwd)
    return [(config if config is not None else None if no_config else find_config(cwd), list(paths or []))]


def _tree_settings(found: Path | None, config: Path | None) -> Settings:
    """The settings of one config tree (``found``: its config, or ``None`` for the defaults)."""
    if config is not None:
        return load_settings(config)
    return load_settings(None, start=found.parent) if found is not None else load_settings(None, discover=False)


def _mute_stdout() -> None:
    """Point stdout at /dev/null so that the final flush of a closed pipe does not fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


@app.command()
def fix(
    paths: Annotated[list[str] | None, typer.Argument(help="Files or folders to fix. Default: .")] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff and change nothing (exit 1 if there is one).")
    ] = False,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Config file (default: .ekslint.yaml here or above).")
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore any .ekslint.yaml.")] = False,
    kubernetes_version: Annotated[
        str | None, typer.Option("--kubernetes-version", help="Target Kubernetes version, e.g. 1.33.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date for support calendars (YYYY-MM-DD).")] = None,
) -> None:
    """Apply safe, mechanical fixes (comments, order, quoting, indentation and encoding are kept)."""
    from ekslint.linter.fix_run import fix_paths, write_fix

    if paths and "-" in paths:
        raise fail("fix edits files in place, and stdin (-) is not a file: use `ekslint scan -` to lint it")
    try:
        runs = []
        for found, group_paths in _config_trees(paths, config, no_config, Path.cwd()):  # as scan groups them
            settings = _tree_settings(found, config)
            apply_version_options(settings, kubernetes_version, as_of)
            runs.append(fix_paths(group_paths or ["."], settings))
    except ConfigError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - report, never a traceback
        raise fail(f"internal error: {type(exc).__name__}: {exc}") from None
    changed = [f for run in runs for f in run.changed]
    for run in runs:
        for err in run.report.errors:
            sys.stderr.write(f"ekslint: error: {err}\n")
        for display, why in run.skipped:
            sys.stderr.write(f"ekslint: not fixed: {log_text(display)}: {log_text(redact(why))}\n")
        for f in run.files:
            for line, why in f.refused:
                sys.stderr.write(f"ekslint: not fixed: {log_text(f.display)}:{line}: {log_text(redact(why))}\n")
    failed = any(run.report.errors for run in runs)
    if diff:
        for f in changed:
            sys.stdout.write(f.diff)
        sys.stderr.write(_fix_summary("Would fix", changed, sum(r.remaining(r.changed) for r in runs)) + "\n")
        raise typer.Exit(2 if failed else 1 if changed else 0)
    written = []
    for f in changed:
        try:
            write_fix(f)
        except OSError as exc:
            sys.stderr.write(
                f"ekslint: error: cannot write {log_text(f.display)}: {log_text(exc.strerror or str(exc))}\n"
            )
            failed = True
            continue
        written.append(f)
        for change in f.changes:
            sys.stdout.write(f"{shown_path(f.display)}: fixed {log_text(redact(change))}\n")
    left = sum(run.remaining([f for f in written if any(f is g for g in run.files)]) for run in runs)
    sys.stdout.write(_fix_summary("Fixed", written, left) + "\n")
    raise typer.Exit(2 if failed else 0)


def _fix_summary(verb: str, files: "Sequence[FileFix]", remaining: int) -> str:
    """``Fixed 3 problems in 2 files; 5 remain that need a manual change.``"""
    count = sum(len(f.changes) for f in files)
    text = f"{verb} {plural(count, 'problem')} in {plural(len(files), 'file')}"
    if remaining:
        verbs = "remains that needs" if remaining == 1 else "remain that need"
        text += f"; {remaining} {verbs} a manual change"
    return text + "."


def known_rules(config: Path | None, no_config: bool) -> dict[str, RuleMeta]:
    """The built-in rules and the checks of the config (``--config``, or the one found from here)."""
    try:
        if config is not None and not config.is_file():
            raise ConfigError(f"config file {config} does not exist")
        settings = load_settings(config, discover=not no_config)
        return scan_rules(settings)  # a plugin that cannot load is a one-line error too
    except ConfigError as exc:
        raise fail(str(exc)) from None


def origin_text(meta: RuleMeta) -> str:
    return meta.origin or "built-in"


@app.command("rules")
def rules_cmd(
    format: Annotated[RulesFormat, typer.Option("--format", "-f", help="text or json.")] = RulesFormat.text,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Config file whose checks to list too (default: found here).")
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Only the built-in rules.")] = False,
) -> None:
    """List every rule with its level, whether it is on by default and where it comes from."""
    registry = known_rules(config, no_config)
    metas = sorted(registry.values(), key=lambda m: (m.family_letter, m.id))
    if format is RulesFormat.json:
        data = [
            {
                "id": m.id,
                "level": m.level.value,
                "enabled": m.enabled,
                "title": m.title,
                "family": m.family_letter,
                "family_title": m.family_title,
                "tags": list(m.tags),
                "fixable": m.fixable,
                "since": m.since,
                "doc_url": m.doc_url or None,
                "source": origin_text(m),
            }
            for m in metas
        ]
        import json

        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    width = max(len(m.id) for m in metas)
    current = None
    for m in metas:
        if m.family != current:
            current = m.family
            heading = f"{m.family_letter}. {m.family_title}" if m.family in FAMILIES else log_text(m.origin)
            sys.stdout.write(f"\n{heading}\n")
        state = ("" if m.enabled else " (off)") + (" (fixable)" if m.fixable else "")
        source = f"  [{log_text(m.origin)}]" if m.origin and m.family in FAMILIES else ""
        sys.stdout.write(f"  {m.id:<{width}}  {m.level.value:<7} {log_text(m.title)}{state}{source}\n")


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. pdb-blocks-drain, or a check's, e.g. acme/x.")],
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Config file whose checks to know (default: found here).")
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Only the built-in rules.")] = False,
) -> None:
    """Show a rule's documentation."""
    registry = known_rules(config, no_config)
    meta = registry.get(rule_id)
    if meta is None:
        from ekslint.linter.suggest import did_you_mean

        hint = did_you_mean(rule_id, registry) or "; see `ekslint rules`"
        raise fail(f"unknown rule {rule_id!r}{hint}")
    where = f"Family: {meta.family_letter}. {meta.family_title}" + (f" · Source: {meta.origin}" if meta.origin else "")
    if meta.family not in FAMILIES:  # a plugin's rule
        where = f"From: {meta.origin}"
    link = f" · {meta.doc_url}" if meta.origin != BUILT_IN and meta.doc_url else ""
    header = (
        f"# {meta.id}\n\n{meta.title}.\n\n"
        f"Level: {meta.level.value} · Default: {'on' if meta.enabled else 'off'} · {where}"
        f"{' · Fixable' if meta.fixable else ''}{link}\n\n"
    )
    text = header + meta.doc_markdown()
    if meta.origin:  # a plugin's, a check's or a policy's text: no control characters reach the terminal
        text = "\n".join(log_text(line) for line in text.split("\n"))
    sys.stdout.write(text)


@app.command()
def lsp() -> None:
    """Run the language server (LSP over stdin/stdout) for editors: diagnostics as you type, quick fixes."""
    try:
        from ekslint.lsp.server import serve
    except ImportError as exc:
        if exc.name not in ("pygls", "lsprotocol") and not str(exc.name).startswith(("pygls.", "lsprotocol.")):
            raise
        raise fail("the language server needs pygls and lsprotocol: pip install 'ekslint[lsp]'") from None
    serve()


def main() -> None:
    """Console-script entry point: :func:`run`, then the process ends at once (see ``_leave``)."""
    _leave(run())


def run(argv: list[str] | None = None) -> int:
    """Run ``ekslint ARGV`` (default: the process's own arguments) and return the exit code.

    The process goes on: the GitHub Action (``ekslint.github_action``) writes its step outputs
    after the scan, in the same process. The cyclic garbage collector stays off for the whole
    run, as it does inside a scan (see ``engine.gc_paused``): formatting a big report otherwise
    triggers full collections over every object the scan made, which took longer than the scan
    on a 50 MB manifest.
    """
    gc.disable()
    signal.signal(signal.SIGTERM, _interrupted)  # a CI timeout or `kill`: end as ^C does
    signal.signal(signal.SIGINT, _interrupted)
    try:
        app(args=argv, prog_name="ekslint")
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
        if code == 130:  # click turned ^C (or SIGTERM, see _interrupted) into a silent exit 130
            sys.stderr.write("ekslint: interrupted\n")
    except KeyboardInterrupt:
        sys.stderr.write("ekslint: interrupted\n")
        code = 130
    return code


def _interrupted(signum: int, frame: object) -> None:
    """SIGINT and SIGTERM: during the parallel rule phase, kill the workers and end now (no
    report is being written yet); otherwise raise KeyboardInterrupt, which removes a report
    being written (see ``atomic_write``) on its way out."""
    from ekslint.linter import parallel

    if parallel.abort_workers():
        sys.stderr.write("ekslint: interrupted\n")
        sys.stderr.flush()
        os._exit(130)
    raise KeyboardInterrupt


def _exit_code(code: object) -> int:
    """``sys.exit`` semantics: ``None`` is 0, an int is itself, anything else is printed and 1."""
    if code is None or isinstance(code, int):
        return code or 0
    sys.stderr.write(f"{code}\n")
    return 1


def _leave(code: int) -> None:
    """Flush and end the process without tearing the interpreter down.

    Finalisation (a last full collection, then every module's teardown) took about 50 ms after
    a one-file scan, a quarter of a pre-commit run, and grows with the scan; by now every file
    the run wrote is closed and only the standard streams hold buffered output.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``| head``): nothing more can be said
            code = code or 1
    os._exit(code)
