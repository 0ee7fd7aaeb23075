"""SARIF 2.1.0, built with ``sarif-om`` and shaped for GitHub code scanning.

* ``driver.rules`` comes from the registry (never from the first finding's message), one
  descriptor per rule id, with short and full descriptions, help text and Markdown from the rule
  doc, ``helpUri``, the rule's *default* level and tags; security rules carry a numeric
  ``security-severity``. A configured level changes each result's ``level``, never the default.
* Result URIs are repo-relative POSIX paths, percent-encoded, with ``uriBaseId: %SRCROOT%``;
  ``region.startLine`` is always >= 1; columns count Unicode code points (declared).
* ``partialFingerprints`` are stable across line shifts (rule, file, object, node path).
* Run errors become ``toolExecutionNotifications`` and ``executionSuccessful: false``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import attr
import sarif_om as om

from ekslint import __version__
from ekslint.linter.registry import Level, RuleMeta
from ekslint.linter.report import Report, Result

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/ekslint/ekslint"
SRCROOT = "%SRCROOT%"
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


def markdown_to_text(markdown: str) -> str:
    """A plain-text rendering of a rule doc for ``help.text``."""
    text = re.sub(r"```[a-z]*\n", "", markdown).replace("```", "")
    text = re.sub(r"^#+\s*", "", text, flags=re.M)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    return text.replace("`", "").strip()


def descriptor(meta: RuleMeta) -> om.ReportingDescriptor:
    doc = meta.doc() if meta.doc_path.is_file() else None
    full = (doc.summary if doc else meta.title)[:1000]
    markdown = doc.text if doc else meta.title
    props: dict[str, Any] = {"tags": sorted({*meta.tags, meta.family} - {""}), "precision": "high"}
    if "security" in meta.tags:
        props["security-severity"] = SECURITY_SEVERITY[meta.level]
    return om.ReportingDescriptor(
        id=meta.id,
        name=meta.id,
        short_description=om.MultiformatMessageString(text=meta.title),
        full_description=om.MultiformatMessageString(text=full),
        help=om.MultiformatMessageString(text=markdown_to_text(markdown), markdown=markdown),
        help_uri=meta.doc_url,
        default_configuration=om.ReportingConfiguration(level=meta.level.value, enabled=meta.enabled),
        properties=props,
    )


def artifact_location(file: str) -> om.ArtifactLocation:
    if file.startswith("/"):
        return om.ArtifactLocation(uri="file://" + quote(file, safe="/"))
    return om.ArtifactLocation(uri=quote(file, safe="/"), uri_base_id=SRCROOT)


def sarif_result(r: Result, index: int) -> om.Result:
    location = om.Location(
        physical_location=om.PhysicalLocation(
            artifact_location=artifact_location(r.file),
            region=om.Region(start_line=max(1, r.line), start_column=max(1, r.col)),
        )
    )
    if r.object:
        location.logical_locations = [om.LogicalLocation(fully_qualified_name=r.object, kind="object")]
    result = om.Result(
        rule_id=r.rule,
        rule_index=index,
        level=r.level.value,
        message=om.Message(text=r.message or r.rule),
        locations=[location],
        partial_fingerprints={FINGERPRINT_KEY: r.fingerprint},
    )
    if r.suppressed:
        result.suppressions = [
            om.Suppression(
                kind="inSource" if r.suppressed != "config" else "external", justification=r.justification or None
            )
        ]
    return result


def sarif_log(report: Report, include_suppressed: bool = False, root: Path | None = None) -> dict[str, Any]:
    metas = sorted((a.meta for a in report.rules.values()), key=lambda m: m.id)
    results = report.shown(include_suppressed)
    known = {m.id for m in metas}
    from ekslint.linter.registry import REGISTRY

    metas += [REGISTRY[rid] for rid in sorted({r.rule for r in results} - known) if rid in REGISTRY]
    index = {m.id: i for i, m in enumerate(metas)}
    invocation = om.Invocation(
        execution_successful=not report.errors,
        tool_execution_notifications=[
            om.Notification(
                level="error",
                message=om.Message(text=str(e)),
                locations=[
                    om.Location(physical_location=om.PhysicalLocation(artifact_location=artifact_location(e.file)))
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
                rules=[descriptor(m) for m in metas],
            )
        ),
        results=[sarif_result(r, index[r.rule]) for r in results],
        invocations=[invocation],
        column_kind="unicodeCodePoints",
    )
    if root is not None:
        run.original_uri_base_ids = {SRCROOT: om.ArtifactLocation(uri=root.absolute().as_uri() + "/")}
    log = om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])
    data: dict[str, Any] = to_json(log)
    return data


@dataclass
class SarifFormatter:
    include_suppressed: bool = False
    root: Path | None = None

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write(
            json.dumps(sarif_log(report, self.include_suppressed, self.root), indent=2, ensure_ascii=False) + "\n"
        )
