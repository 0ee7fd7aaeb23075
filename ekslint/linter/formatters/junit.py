"""JUnit XML for the test tabs of GitLab (``artifacts:reports:junit``), Jenkins (``junit``) and
Azure DevOps (``PublishTestResults``): a scanned file is a test suite, a finding a failed test.

```xml
<testsuites>
  <testsuite name="k8s/app.yaml" tests="2" failures="1" errors="0" skipped="0" ...>
    <testcase name="privileged-container line 18" classname="k8s/app.yaml" time="0">
      <failure message="container 'app' runs privileged: ..." type="privileged-container">...</failure>
    </testcase>
  </testsuite>
  <testsuite name="k8s/clean.yaml" tests="1" ...>
    <testcase name="no findings" classname="k8s/clean.yaml" time="0" />
  </testsuite>
</testsuites>
```

* Every file the scan read has a suite, and a clean one a passing test case, so that a test tab
  lists what was checked, not only what failed. A finding's test case is named by rule and line
  (with the column, then a count, when two would share a name: GitLab keys test cases by name);
  its ``failure`` has the message as ``message``, the rule id as ``type``, and the message,
  place, level, object and a link to the rule doc as text. Suppressed findings are ``skipped``
  test cases with ``--include-suppressed``. Run errors (an unreadable file, a rule that raised)
  are ``error`` test cases, in the suite of their file or in a suite ``ekslint``.
* The document is valid against the strict Ant "JUnit.xsd" (windyroad) and Jenkins'
  ``junit-10.xsd`` (tested): every attribute and element the strict schema requires is
  written. Durations are 0 (a lint has none per finding) and the host is ``localhost``: a
  report names no machine.
* Text is exact but inert and always XML 1.0: characters XML forbids (most C0 controls,
  U+FFFE/U+FFFF, lone surrogates from file names that are not UTF-8), other controls, line
  separators and bidi controls in names and messages become visible escapes as in the text
  format (:func:`~ekslint.linter.formatters.escape.xml_text`), credential shapes are masked,
  and markup is ElementTree's to escape. Built with the standard library's ElementTree and
  written one suite at a time.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TextIO

from ekslint import __version__
from ekslint.linter.formatters.escape import redact, xml_text
from ekslint.linter.registry import rule_doc_url
from ekslint.linter.report import Report, Result, RunError

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
#: The suite of run errors that name no file.
TOOL_SUITE = "ekslint"
CLEAN_CASE = "no findings"


@dataclass
class _Suite:
    results: list[Result] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)


def _suites(report: Report, include_suppressed: bool) -> dict[str | None, _Suite]:
    """Suites by file (``None``: errors that name none), in scan order: the files read, then
    files only findings or errors name (an unreadable path, a Helm template)."""
    suites: dict[str | None, _Suite] = {name: _Suite() for name in report.scanned}
    for r in report.shown(include_suppressed):
        suites.setdefault(r.file, _Suite()).results.append(r)
    for e in report.errors:
        suites.setdefault(e.file, _Suite()).errors.append(e)
    if None in suites:  # the tool's own suite last
        suites[None] = suites.pop(None)
    return suites


def _unique(name: str, taken: set[str], detail: str = "") -> str:
    """``name``, else with ``detail`` (the column), else with a count: GitLab keys test cases by
    suite, class and name, so two findings of one name would show as one."""
    longer = f"{name} {detail}" if detail else name
    chosen = next((c for c in (name, longer) if c not in taken), None)
    n = 2
    while chosen is None:
        chosen = f"{longer} ({n})" if f"{longer} ({n})" not in taken else None
        n += 1
    taken.add(chosen)
    return chosen


@dataclass
class JunitFormatter:
    include_suppressed: bool = False
    #: Template of the rule doc links (config ``docs-url``; see ``registry.rule_doc_url``).
    docs_url: str | None = None
    #: When the scan ran (``YYYY-MM-DDTHH:MM:SS``, UTC, as the schema wants it); default now.
    timestamp: str | None = None

    def details(self, r: Result) -> str:
        """The text of a failure: what a test tab shows below the message."""
        lines = [
            xml_text(redact(r.message)),
            "",
            f"File: {xml_text(r.file)}:{r.line}:{r.col}",
            f"Level: {r.level.value}",
        ]
        if r.object:
            lines.append(f"Object: {xml_text(redact(r.object))}")
        url = rule_doc_url(r.rule, self.docs_url)
        lines += [f"Rule: {r.rule}", *([f"Docs: {url}"] if url else [])]
        return "\n".join(lines) + "\n"

    def case(self, r: Result, taken: set[str]) -> ET.Element:
        name = _unique(f"{r.rule} line {r.line}", taken, f"col {r.col}")
        case = ET.Element("testcase", {"name": name, "classname": xml_text(r.file), "time": "0"})
        if r.suppressed:
            why = f"suppressed ({r.suppressed})" + (f": {r.justification}" if r.justification else "")
            ET.SubElement(case, "skipped", {"message": xml_text(redact(why))}).text = self.details(r)
        else:
            message = xml_text(redact(r.message)) or r.rule
            ET.SubElement(case, "failure", {"message": message, "type": r.rule}).text = self.details(r)
        return case

    def suite(self, file: str | None, suite: _Suite, index: int, timestamp: str) -> ET.Element:
        name = xml_text(file) if file is not None else TOOL_SUITE
        taken: set[str] = set()
        cases = [self.case(r, taken) for r in suite.results]
        for e in suite.errors:
            case_name = _unique(f"{e.rule} rule error" if e.rule else "ekslint error", taken)
            case = ET.Element("testcase", {"name": case_name, "classname": name, "time": "0"})
            text = xml_text(str(e))
            ET.SubElement(case, "error", {"message": text, "type": e.rule or "run-error"}).text = text + "\n"
            cases.append(case)
        if not cases:
            cases.append(ET.Element("testcase", {"name": CLEAN_CASE, "classname": name, "time": "0"}))
        counts = {
            "tests": len(cases),
            "failures": sum(1 for r in suite.results if not r.suppressed),
            "errors": len(suite.errors),
            "skipped": sum(1 for r in suite.results if r.suppressed),
        }
        element = ET.Element(
            "testsuite",
            {
                "name": name,
                **{key: str(n) for key, n in counts.items()},
                "time": "0",
                "timestamp": timestamp,
                "hostname": "localhost",
                "id": str(index),
                "package": TOOL_SUITE,
            },
        )
        properties = ET.SubElement(element, "properties")
        ET.SubElement(properties, "property", {"name": "ekslint.version", "value": __version__})
        element.extend(cases)
        ET.SubElement(element, "system-out")
        ET.SubElement(element, "system-err")
        return element

    def write(self, report: Report, stream: TextIO) -> None:
        timestamp = self.timestamp or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        stream.write(DECLARATION + "<testsuites>\n")
        for index, (file, suite) in enumerate(_suites(report, self.include_suppressed).items()):
            element = self.suite(file, suite, index, timestamp)
            ET.indent(element, space="  ", level=1)
            stream.write("  " + ET.tostring(element, encoding="unicode") + "\n")
        stream.write("</testsuites>\n")
