"""SARIF 2.1.0, built with ``sarif-om`` and shaped for GitHub code scanning.

* ``driver.rules`` comes from the registry (never from the first finding's message), one
  descriptor per rule the scan ran, with short and full descriptions, ``helpUri`` (the rule's
  page at this version's tag, or config ``docs-url``), the rule's *default* level and tags;
  security rules carry a numeric ``security-severity``. Rules with results also carry the rule
  doc once, as ``help.markdown`` (see :func:`descriptor`). A configured level changes each
  result's ``level``, never the default.
* Result URIs are relative references, percent-encoded, with ``uriBaseId: %SRCROOT%`` (see
  :func:`artifact_uri` for files outside it); ``region.startLine`` is always >= 1; columns count
  Unicode code points (declared).
* The report names no folder of the machine it was made on: ``%SRCROOT%`` (the repository
  root: the CI workspace when ekslint runs in or below it, else the folder ekslint ran in; see
  :func:`~ekslint.linter.formatters.location.repository_root`) is declared in
  ``originalUriBaseIds`` without its absolute URI (GitHub code scanning ignores it anyway and
  resolves relative URIs against the repository root; github/codeql-action#2215), and run
  errors name files below it by relative paths.
* Text is exact but inert: credential shapes are masked in messages (see
  :mod:`ekslint.linter.formatters.escape`), lone surrogates (non-UTF-8 file names) become U+FFFD
  and invisible characters are written as ``\\uXXXX`` escapes.
* ``partialFingerprints`` are stable across line shifts (rule, file, object, node path).
* Run errors become ``toolExecutionNotifications`` and ``executionSuccessful: false``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import attr
import sarif_om as om

from ekslint import __version__
from ekslint.linter.formatters.escape import LIST_MARK, redact, write_json_list
from ekslint.linter.formatters.location import report_path
from ekslint.linter.registry import Level, RuleMeta, rule_doc_url
from ekslint.linter.report import Report, Result

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/ekslint/ekslint"
SRCROOT = "%SRCROOT%"
#: The base of files named by an absolute path that shares no folder with ``%SRCROOT%`` but ``/``.
OUTSIDE = "EKSLINT_OUTSIDE_SRCROOT"
BASE_DESCRIPTIONS = {
    SRCROOT: "The repository root: the CI workspace when ekslint ran in or below it, else the folder "
    "ekslint ran in. Its absolute path is not "
    "recorded, so that a report does not disclose the machine's folders; GitHub code scanning "
    "resolves relative URIs against the repository root.",
    OUTSIDE: "A folder outside %SRCROOT% named by an absolute path. Not recorded: the URI under "
    "it is the file name alone.",
}
SECURITY_SEVERITY = {Level.ERROR: "8.0", Level.WARNING: "5.5", Level.NOTE: "3.0"}
FINGERPRINT_KEY = "ekslint/v1"
#: Fields written even when they equal the SARIF default: GitHub wants every level explicit.
KEEP_DEFAULTS = frozenset({"level", "enabled"})


def to_json(value: Any) -> Any:
    """Serialise sarif-om (attrs) objects by their schema property names, dropping unset fields."""
    if attr.has(type(value)):
        out: dict[str, Any] = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            default = field.default.factory() if isinstance(field.default, attr.Factory) else field.default  # type: ignore[arg-type]
            if item is None or (item == default and field.name not in KEEP_DEFAULTS):
                continue
            out[field.metadata.get("schema_property_name", field.name)] = to_json(item)
        return out
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def descriptor(meta: RuleMeta, docs_url: str | None = None, *, with_help: bool = True) -> om.ReportingDescriptor:
    """A rule's ``reportingDescriptor``. ``help`` carries the rule doc once, as Markdown (what
    code scanning shows), with a one-paragraph ``help.text`` for viewers without Markdown; it
    is left out for rules with no result in the log, which have no alert to explain (their
    descriptions and ``helpUri`` remain). A plain-text copy of every doc made a log of a few
    findings 770 KB."""
    doc = meta.doc() if meta.has_doc else None
    full = (doc.summary if doc else meta.title)[:1000]
    url = rule_doc_url(meta.id, docs_url)
    props: dict[str, Any] = {"tags": sorted({*meta.tags, meta.family} - {""}), "precision": "high"}
    if "security" in meta.tags:
        props["security-severity"] = SECURITY_SEVERITY[meta.level]
    return om.ReportingDescriptor(
        id=meta.id,
        name=meta.id,
        short_description=om.MultiformatMessageString(text=meta.title),
        full_description=om.MultiformatMessageString(text=full),
        help=om.MultiformatMessageString(
            text=f"{full} Documentation: {url}" if url else full, markdown=doc.text if doc else meta.title
        )
        if with_help
        else None,
        help_uri=url or None,  # a plugin rule without a help_url has no page
        default_configuration=om.ReportingConfiguration(level=meta.level.value, enabled=meta.enabled),
        properties=props,
    )


def _uri(path: str) -> str:
    """Percent-encode a POSIX path as a URI reference, by the bytes it names on disk (a file
    name that is not UTF-8 arrives as surrogate escapes: ``bad%FF.yaml``)."""
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is not a byte escape: keep it visible
        raw = path.encode("utf-8", "surrogatepass")
    return quote(raw, safe="/")


def artifact_uri(file: str, root: Path | None, cwd: Path | None = None) -> tuple[str, str]:
    """``(uri, uriBaseId)`` for a file as the scan shows it (``Result.file``): its report path
    (:func:`~ekslint.linter.formatters.location.report_path`) percent-encoded, relative to
    ``%SRCROOT%``, or for a file outside it, its name relative to a base of its own
    (``EKSLINT_OUTSIDE_SRCROOT``, declared without a URI). Code scanning cannot show a file
    outside the repository whatever its URI. ``cwd`` is the folder ekslint ran in (default:
    ``root``)."""
    path, below_root = report_path(file, root, cwd)
    return _uri(path), SRCROOT if below_root else OUTSIDE


def artifact_location(file: str, root: Path | None = None, cwd: Path | None = None) -> om.ArtifactLocation:
    uri, base = artifact_uri(file, root, cwd)
    return om.ArtifactLocation(uri=uri, uri_base_id=base)


def _relative_paths(text: str, root: Path | None) -> str:
    """A run error's text with absolute paths below ``root`` made relative to it: errors about a
    kustomization or a chart name its resolved path. (Messages of findings are left exact: they
    quote manifest values, and a value such as ``/root/.kube/config`` is not the machine's.)"""
    if root is None or "/" not in text:
        return text
    for base in {str(root.absolute()), str(root.resolve())}:
        prefix = base.rstrip("/") + "/"
        if prefix != "/" and prefix in text:
            text = text.replace(prefix, "")
    return text


def sarif_result(r: Result, index: int, root: Path | None = None, cwd: Path | None = None) -> om.Result:
    location = om.Location(
        physical_location=om.PhysicalLocation(
            artifact_location=artifact_location(r.file, root, cwd),
            region=om.Region(start_line=max(1, r.line), start_column=max(1, r.col)),
        )
    )
    if r.object:
        location.logical_locations = [om.LogicalLocation(fully_qualified_name=redact(r.object), kind="object")]
    result = om.Result(
        rule_id=r.rule,
        rule_index=index,
        level=r.level.value,
        message=om.Message(text=redact(r.message) or r.rule),
        locations=[location],
        partial_fingerprints={FINGERPRINT_KEY: r.fingerprint},
    )
    if r.suppressed:
        result.suppressions = [
            om.Suppression(
                kind="external" if r.suppressed in ("config", "exemption") else "inSource",
                justification=r.justification or None,
            )
        ]
    return result


def _outline(
    report: Report, include_suppressed: bool, root: Path | None, docs_url: str | None, cwd: Path | None = None
) -> tuple[dict[str, Any], list[Result], Callable[[Result], Any]]:
    """The log with a marker where the results go, the results, and how to make each one's data.

    Results are converted one at a time (see :meth:`SarifFormatter.write`): as sarif-om objects
    and then dicts, every result at once took more memory than the scan on a big manifest.
    """
    metas = sorted((a.meta for a in report.rules.values()), key=lambda m: m.id)
    results = report.shown(include_suppressed)
    known = {m.id for m in metas}
    from ekslint.linter.registry import REGISTRY

    metas += [REGISTRY[rid] for rid in sorted({r.rule for r in results} - known) if rid in REGISTRY]
    index = {m.id: i for i, m in enumerate(metas)}
    reported = {r.rule for r in results}
    invocation = om.Invocation(
        execution_successful=not report.errors,
        tool_execution_notifications=[
            om.Notification(
                level="error",
                message=om.Message(text=_relative_paths(str(e), root)),
                locations=[
                    om.Location(
                        physical_location=om.PhysicalLocation(artifact_location=artifact_location(e.file, root, cwd))
                    )
                ]
                if e.file
                else None,
            )
            for e in report.errors
        ]
        or None,
    )
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="ekslint",
                version=__version__,
                semantic_version=__version__,
                information_uri=INFO_URI,
                rules=[descriptor(m, docs_url, with_help=m.id in reported) for m in metas],
            )
        ),
        results=[LIST_MARK],
        invocations=[invocation],
        column_kind="unicodeCodePoints",
    )
    used = {artifact_uri(r.file, root, cwd)[1] for r in results}
    for note in invocation.tool_execution_notifications or []:
        used.update(loc.physical_location.artifact_location.uri_base_id for loc in note.locations or [])
    declared = ({SRCROOT} if root is not None else set()) | (used & {OUTSIDE})
    if declared:
        run.original_uri_base_ids = {
            base: om.ArtifactLocation(description=om.Message(text=BASE_DESCRIPTIONS[base])) for base in sorted(declared)
        }
    log = om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])
    data: dict[str, Any] = to_json(log)
    data["runs"][0]["results"] = LIST_MARK
    return data, results, lambda r: to_json(sarif_result(r, index[r.rule], root, cwd))


@dataclass
class SarifFormatter:
    include_suppressed: bool = False
    #: The repository root, which ``%SRCROOT%`` stands for.
    root: Path | None = None
    #: Template of the ``helpUri`` links (config ``docs-url``; see ``registry.rule_doc_url``).
    docs_url: str | None = None
    #: The folder ekslint ran in, which the scan's relative paths start from (default: ``root``).
    cwd: Path | None = None

    def write(self, report: Report, stream: TextIO) -> None:
        """Write the log result by result: the same text as one ``json.dumps(..., indent=2)`` of the
        whole log, without every result as sarif-om objects, dicts and one string at once."""
        data, results, result_json = _outline(report, self.include_suppressed, self.root, self.docs_url, self.cwd)
        # Nesting of each result: log > runs > run > results.
        write_json_list(stream, data, (result_json(r) for r in results), level=4)
