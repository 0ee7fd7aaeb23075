"""No manifest can break an output: hostile names and values through the real command line.

Manifests are untrusted (a pull request from anyone), and nearly everything a finding says comes
from them: object names, label and annotation values, image names, file and folder names, the
text of a ``# Source:`` comment. Each test scans hostile input with ``ekslint scan`` and checks an
output the way its consumer reads it: GitHub's runner for annotations, a Markdown renderer for the
step summary, ``json.loads`` and the SARIF schema for the machine formats, a terminal for text.
The last part checks that credentials never reach any output, whatever rule quotes them.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from ekslint.cli import app
from ekslint.linter.formatters import GithubFormatter, JsonFormatter, SarifFormatter, TextFormatter
from ekslint.linter.formatters.sarif import OUTSIDE, SRCROOT, artifact_uri
from ekslint.linter.formatters.summary import SummaryFormatter
from ekslint.linter.registry import Level
from ekslint.linter.report import Report, Result, RunError

SARIF_SCHEMA = Path(__file__).parents[1].parent / "shared" / "reference" / "sarif-schema-2.1.0.json"

runner = CliRunner()

#: Everything that must never reach a terminal or a log raw: ESC (terminal escape sequences),
#: the 8-bit CSI, bidi overrides/isolates/marks, line and paragraph separators, lone surrogates.
RAW_DANGER = re.compile("[\x1b\x9b\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: What the Actions runner splits a step's output into lines on (.NET ``ReadLine``).
RUNNER_LINES = re.compile(r"\r\n|\r|\n")
#: One annotation as GithubFormatter writes it, with only the escapes the runner undoes.
ANNOTATION = re.compile(
    r"::(?P<cmd>error|warning|notice) "
    r"file=(?P<file>(?:[^,:%\r\n]|%25|%0D|%0A|%3A|%2C)*),line=(?P<line>[1-9][0-9]*),col=(?P<col>[1-9][0-9]*),"
    r"title=ekslint (?P<rule>[a-z0-9-]+)::(?P<data>(?:[^%\r\n]|%25|%0D|%0A)*)"
)


def invoke(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Any:
    """``ekslint ARGS`` in-process; stdout must be valid UTF-8 (the runner, strict UTF-8)."""
    result = runner.invoke(app, list(args), input=input, env={"NO_COLOR": "1", "GITHUB_ACTIONS": "", **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    result.stdout_bytes.decode("utf-8")  # strict: no surrogate or broken sequence got through
    return result


def runner_unescape_data(text: str) -> str:
    """actions/runner ``ActionCommand`` data unescaping."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def runner_unescape_property(text: str) -> str:
    return runner_unescape_data(text).replace("%3A", ":").replace("%2C", ",")


def printable_reference(text: str) -> str:
    """Independent statement of the text format's escaping (the test's own, not the code's)."""
    out = []
    for ch in text:
        if ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif RAW_DANGER.match(ch) or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) <= 0xFF else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


# --- hostile input --------------------------------------------------------------------------------

#: Values that try to start workflow commands, break properties, or unescape into line breaks.
INJECT = "x\n::error::forged%0A%25\r\n::add-mask::m,a:b\n::stop-commands::tok\n::set-output name=o::v\n::endgroup::"
HOSTILE_MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "web\\n::error file=a.yaml,line=1::forged%0A%25\\r\\n::add-mask::m"
  namespace: "ns\\n::stop-commands::tok"
  labels:
    app: "a\\n::set-output name=o::v,x:y"
  annotations:
    note: "b\\n::endgroup::\\x1b[2J\\u202eevil"
    service.beta.kubernetes.io/aws-load-balancer-type: "nlb\\n::error::via-annotation%0A"
spec:
  replicas: 1
  selector:
    matchLabels:
      app: "sel\\n::error::label%25"
  template:
    metadata:
      labels:
        app: "other\\r::warning::label"
    spec:
      containers:
        - name: "c\\n::set-output name=x::y"
          image: "evil\\n::error::image%0A/img"
          securityContext:
            privileged: true
---
apiVersion: v1
kind: Service
metadata:
  name: "svc\\n::notice::svc,%0A"
  namespace: "ns\\n::stop-commands::tok"
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: "clb\\n::error::via-annotation%0A"
spec:
  type: LoadBalancer
  selector:
    app: "nothing\\n::error::sel"
  ports:
    - port: 80
"""
#: Folder and file names with line breaks, ``::`` and property separators (created on disk).
HOSTILE_DIR = "dir\n::error::d,a:b%0A"
HOSTILE_FILE = "f::warning::x,y:z%25\r.yaml"
TOP_FILE = "::error::top\n.yaml"


@pytest.fixture
def hostile_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / HOSTILE_DIR).mkdir()
    (tmp_path / HOSTILE_DIR / HOSTILE_FILE).write_text(HOSTILE_MANIFEST)
    (tmp_path / TOP_FILE).write_text(HOSTILE_MANIFEST)
    (tmp_path / " ::notice::lead.yaml").write_text(HOSTILE_MANIFEST)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def json_results(*args: str, input: str | None = None) -> list[dict[str, Any]]:
    result = invoke("scan", *args, "-f", "json", input=input)
    results: list[dict[str, Any]] = json.loads(result.stdout)["results"]
    return results


# --- GitHub annotations ---------------------------------------------------------------------------


def check_annotations(stdout: str, expected: list[dict[str, Any]]) -> None:
    """Every line the runner would read as a command is one annotation we meant to write, for
    exactly the findings of the json report; no other line is a command of either form."""
    annotations = []
    for line in RUNNER_LINES.split(stdout):
        if line.lstrip().startswith("::"):
            m = ANNOTATION.fullmatch(line)
            assert m, f"not one well-formed annotation: {line!r}"
            annotations.append(m)
        else:
            assert "##[" not in line, line
    assert len(annotations) == len(expected)
    got = sorted(
        (
            runner_unescape_property(m["file"]),
            int(m["line"]),
            int(m["col"]),
            m["rule"],
            runner_unescape_data(m["data"]),
        )
        for m in annotations
    )
    want = sorted((r["file"], r["line"], r["column"], r["rule"], printable_reference(r["message"])) for r in expected)
    assert got == want
    assert not any("\n" in g[4] or "\r" in g[4] for g in got)  # one annotation, one line of text
    assert "\x1b" not in stdout


def test_github_annotations_cannot_be_forged(hostile_tree: Path) -> None:
    args = ["scan", ".", "--no-config", "--enable", "all"]
    result = invoke(*args, "-f", "github")
    assert result.exit_code == 1
    expected = [r for r in json_results(".", "--no-config", "--enable", "all") if not r["suppressed"]]
    files = {r["file"] for r in expected}
    assert {f"{HOSTILE_DIR}/{HOSTILE_FILE}", TOP_FILE, " ::notice::lead.yaml"} <= files
    assert any("::error file=a.yaml" in r["message"] for r in expected)  # the hostile name is quoted raw
    check_annotations(result.stdout, expected)


def test_github_annotations_from_stdin_source_comments() -> None:
    """``# Source:`` names the file of a Helm-rendered document: that text is the manifest's."""
    stream = "---\n# Source: chart/templates/x::error::y,z:%0A%25.yaml\n" + HOSTILE_MANIFEST.split("---\n")[0]
    args = ["-", "--no-config", "--enable", "all"]
    result = invoke("scan", *args, "-f", "github", input=stream)
    expected = [r for r in json_results(*args, input=stream) if not r["suppressed"]]
    assert any("::error::y,z" in r["file"] for r in expected)
    check_annotations(result.stdout, expected)


def test_annotation_escaping_is_what_breaks_the_forgery() -> None:
    """Without the escapes the same report would forge commands (the check above is not vacuous)."""
    report = Report(results=[Result("r", Level.WARNING, INJECT, "a,b:c%0A.yaml", 1, 1)])
    out = render(GithubFormatter(), report)
    check_annotations(out, [{"file": "a,b:c%0A.yaml", "line": 1, "column": 1, "rule": "r", "message": INJECT}])
    naive = f"::warning file=a,b:c%0A.yaml,line=1,col=1,title=ekslint r::{INJECT}\n"
    with pytest.raises(AssertionError):
        check_annotations(naive, [{"file": "a,b:c%0A.yaml", "line": 1, "column": 1, "rule": "r", "message": INJECT}])


def check_stderr(stderr: str) -> None:
    """The runner reads stderr for commands too: every line is ekslint's own."""
    for line in RUNNER_LINES.split(stderr):
        assert not line or line.startswith(("ekslint: ", "Found ", "No problems")), repr(line)
        assert "##[" not in line and not RAW_DANGER.search(line), repr(line)


def test_stderr_errors_cannot_forge_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("scan", "missing\n::error::x##[warning]y\x1b[2J.yaml", "--no-config", "-f", "github")
    assert result.exit_code == 2 and "no such file or directory" in result.stderr
    check_stderr(result.stderr)


def test_stderr_notes_cannot_forge_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = tmp_path / "c\n::error::via-note" / "templates"
    chart.mkdir(parents=True)
    (chart / "x.yaml").write_text("a: {{ .Values.x }}\n")  # skipped with a note naming the file
    monkeypatch.chdir(tmp_path)
    result = invoke("scan", ".", "--no-config", "-f", "github")
    assert "skipped: Helm chart template" in result.stderr
    check_stderr(result.stderr)


# --- text -----------------------------------------------------------------------------------------

FINDING_LINE = re.compile(
    r"(?P<path>.+?):(?P<line>[0-9]+):(?P<col>[0-9]+): (error|warning|note) [a-z0-9-]+ (?P<msg>.*)"
)


def test_text_output_is_one_line_per_finding_and_inert(hostile_tree: Path) -> None:
    (hostile_tree / "values.yaml").write_text(
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p\\x1b]0;title\\x07\\x1b[2J\\x9b31m\\u202egnp.exe\\u2028x##[error]v1"\n'
        "  namespace: ns\nspec:\n  containers:\n    - name: c\n      image: nginx:1.2\n"
        "      securityContext: {privileged: true}\n"
    )
    expected = [r for r in json_results(".", "--no-config", "--enable", "all") if not r["suppressed"]]
    result = invoke("scan", ".", "--no-config", "--enable", "all", "-f", "text")
    lines = result.stdout.splitlines()  # Python splits on every Unicode line break, the runner on fewer
    findings, rest = lines[: len(expected)], lines[len(expected) :]
    assert rest[0] == "" and rest[1].startswith("Found ") and len(rest) == 2
    assert not RAW_DANGER.search(result.stdout)
    for line in lines:
        assert not line.lstrip().startswith("::") and "##[" not in line, line
    shown = sorted(findings)
    for line in shown:
        assert FINDING_LINE.fullmatch(line), line
    assert any("\\x1b]0;title\\x07\\x1b[2J\\x9b31m\\u202egnp.exe\\u2028x##\\[error]v1" in line for line in shown)
    escaped_file = "dir\\n::error::d,a:b%0A/" + HOSTILE_FILE.replace("\r", "\\r")
    assert any(line.startswith(escaped_file + ":") for line in shown)
    assert any(line.startswith("./::error::top\\n.yaml:") for line in shown)
    assert any(line.startswith("./ ::notice::lead.yaml:") for line in shown)


def test_text_colour_codes_are_only_ours(hostile_tree: Path) -> None:
    result = invoke(
        "scan", ".", "--no-config", "--enable", "all", "-f", "text", env={"NO_COLOR": "", "FORCE_COLOR": "1"}
    )
    finding_lines = [line for line in result.stdout.splitlines() if line.startswith("\x1b[1m")]
    assert finding_lines
    for line in finding_lines:
        ours = re.fullmatch(
            r"\x1b\[1m[^\x1b]*\x1b\[0m \x1b\[3[136]m[a-z]+\x1b\[0m \x1b\[2m[a-z0-9-]+\x1b\[0m (.*)", line
        )
        assert ours and "\x1b" not in ours.group(1), line


# --- step summary (Markdown) ----------------------------------------------------------------------


def test_summary_markdown_stays_in_its_table(hostile_tree: Path) -> None:
    (hostile_tree / "md.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
        '  name: "a|b`c``d<img src=x onerror=alert(1)><script>x</script>![i](https://e.x/p.png)'
        '[l](javascript:alert(1))&lt;$$x$$~~s~~**b**\\r\\n| x | y |\\n# h"\n'
        "  namespace: ns\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: a}}\n"
        "  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers:\n"
        "        - name: c\n          image: nginx:1.2\n"
    )
    (hostile_tree / "a`b|<i>c.yaml").write_text((hostile_tree / "md.yaml").read_text())
    summary = hostile_tree.parent / f"{hostile_tree.name}-summary.md"
    args = [".", "--no-config", "--disable", "all", "--enable", "single-replica"]
    expected = json_results(*args)
    assert any("<img src=x" in r["message"] for r in expected)  # the message quotes the name raw
    invoke("scan", *args, "-f", "text", "--summary-file", str(summary))
    text = summary.read_text(encoding="utf-8")
    assert not RAW_DANGER.search(text)
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    table = [line for line in rows if len(re.split(r"(?<!\\)\|", line)) == 6]  # the 4-column findings table
    assert len(table) == 1 + len(expected)  # the header and one row per finding, no row added or split
    for line in rows:
        assert line.endswith("|"), line

    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)
    for tag in ("<img", "<script", "<a ", "<h1", "<s>", "<del>", "<strong>", "<em>", "<i>"):
        assert tag not in html, tag
    body = html.split("<tbody>")[2].split("</tbody>")[0]  # the findings table
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    assert len(cells) == len(expected) and all(len(row) == 4 for row in cells)
    import html as html_lib

    want = sorted(printable_reference(r["message"]) for r in expected)
    assert sorted(html_lib.unescape(row[3]) for row in cells) == want  # each message shown exactly
    wheres = sorted(html_lib.unescape(re.sub(r"</?code>", "", row[1])) for row in cells)
    assert wheres == sorted(printable_reference(f"{r['file']}:{r['line']}") for r in expected)


# --- JSON and SARIF -------------------------------------------------------------------------------

VALUES_MANIFEST = """\
apiVersion: v1
kind: Pod
metadata:
  name: "nul\\0bel\\aesc\\x1b[31mdel\\x7fcsi\\x9b2Jrlo\\u202eiso\\u2066ls\\u2028emoji\\U0001F600</script>'q\\"b\\\\"
  namespace: ns
spec:
  containers:
    - name: c
      image: "evil/img:latest"
      securityContext: {{privileged: true}}
---
apiVersion: v1
kind: Pod
metadata:
  name: "lone\\ud800surrogate"
---
apiVersion: v1
kind: Pod
metadata:
  name: "{long}"
  namespace: ns
spec:
  containers:
    - name: c
      image: "evil/img:1.0"
"""
LONG = "L" * 200_000


@pytest.fixture
def values_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "values.yaml").write_text(VALUES_MANIFEST.format(long=LONG))
    bad = os.fsdecode(b"bad\xff.yaml")  # a file name that is not UTF-8 (surrogate escapes in Python)
    (tmp_path / bad).write_text(VALUES_MANIFEST.format(long="x"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate_sarif(data: dict[str, Any]) -> None:
    if SARIF_SCHEMA.is_file():
        import jsonschema

        jsonschema.validate(data, json.loads(SARIF_SCHEMA.read_text()))


def test_json_and_sarif_survive_any_value(values_tree: Path) -> None:
    args = ["scan", ".", "--no-config", "--enable", "all"]
    sarif_file = values_tree / "out.sarif"
    for fmt in ("json", "sarif"):
        result = invoke(*args, "-f", fmt, "--sarif-file", str(sarif_file))
        assert result.exit_code == 1, result.stderr
        assert not RAW_DANGER.search(result.stdout)  # invisible characters written as \\uXXXX escapes
        data = json.loads(result.stdout)
        if fmt == "sarif":
            validate_sarif(data)
        raw = sarif_file.read_text(encoding="utf-8")  # strict: valid UTF-8
        assert not RAW_DANGER.search(raw)
        validate_sarif(json.loads(raw))
    report = json.loads(invoke(*args, "-f", "json").stdout)
    messages = [r["message"] for r in report["results"]]
    hostile = "nul\0bel\aesc\x1b[31mdel\x7fcsi\x9b2Jrlo\u202eiso\u2066ls\u2028emoji\U0001f600</script>'q\"b\\"
    assert any(hostile in m for m in messages)  # the value itself survives exactly
    assert any(LONG in m for m in messages)
    lone = VALUES_MANIFEST.splitlines().index('  name: "lone\\ud800surrogate"') + 1
    assert any(r["rule"] == "yaml-syntax" and r["line"] == lone for r in report["results"])  # a lone surrogate
    assert {r["file"] for r in report["results"]} >= {"values.yaml", "bad\ufffd.yaml"}
    sarif = json.loads(invoke(*args, "-f", "sarif").stdout)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert uris == {"values.yaml", "bad%FF.yaml"}  # the name's real bytes


def test_text_output_of_odd_values(values_tree: Path) -> None:
    result = invoke("scan", ".", "--no-config", "--enable", "all", "-f", "text")
    assert not RAW_DANGER.search(result.stdout) and "\x00" not in result.stdout and "\x7f" not in result.stdout
    assert "\\x00bel\\x07esc\\x1b[31mdel\\x7fcsi\\x9b2Jrlo\\u202eiso\\u2066ls\\u2028emoji\U0001f600" in result.stdout
    assert "bad\\xff.yaml:" in result.stdout


def render(formatter: Any, report: Report) -> str:
    import io

    out = io.StringIO()
    formatter.write(report, out)
    return out.getvalue()


def test_summary_cells_are_cut() -> None:
    """GitHub refuses a step summary over 1 MiB; twenty findings quoting a huge value would pass it."""
    report = Report(results=[Result("r", Level.ERROR, LONG, LONG + ".yaml", i, 1) for i in range(1, 30)])
    text = render(SummaryFormatter(), report)
    assert LONG[:900] in text and len(text) < 60_000


def test_lone_surrogates_in_any_text_encode_everywhere(tmp_path: Path) -> None:
    """The loader rejects ``"\\ud800"``, but a rule may still quote one (from a file name, say):
    every format must still write valid UTF-8."""
    from ekslint.linter.baseline import write_baseline

    text = "name\ud800x \udcff\x1b[2J"
    report = Report(
        results=[Result("privileged-container", Level.ERROR, text, "bad\udcff.yaml", 1, 1, object=f"Pod/ns/{text}")],
        errors=[RunError(text, file="bad\udcff.yaml")],
        notes=[text],
    )
    for formatter in (TextFormatter(), JsonFormatter(), GithubFormatter(), SummaryFormatter()):
        out = render(formatter, report)
        out.encode("utf-8")
        assert not RAW_DANGER.search(out), formatter
    sarif = render(SarifFormatter(root=tmp_path), report)
    sarif.encode("utf-8")
    data = json.loads(sarif)
    validate_sarif(data)
    assert data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad%FF.yaml"
    assert report.results[0].fingerprint  # hashable although not UTF-8
    write_baseline(report, tmp_path / "baseline.json")
    assert (
        json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["findings"][0]["file"] == "bad\udcff.yaml"
    )
    assert not RAW_DANGER.search(str(report.errors[0]))  # stderr lines


# --- SARIF URIs -----------------------------------------------------------------------------------

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  containers:
    - name: c
      image: nginx:1.2
      securityContext: {privileged: true}
"""
ONLY = ["--no-config", "--disable", "all", "--enable", "privileged-container"]
URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})+")


def sarif_locations(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    run = data["runs"][0]
    for result in run["results"]:
        for loc in result["locations"]:
            yield loc["physicalLocation"]["artifactLocation"]
    for note in run["invocations"][0].get("toolExecutionNotifications", []):
        for loc in note.get("locations", []):
            yield loc["physicalLocation"]["artifactLocation"]


def check_sarif_paths(text: str, tmp_path: Path) -> list[str]:
    """Valid SARIF whose every location is a relative, percent-encoded URI under %SRCROOT%, and
    which names no folder of this machine; returns the decoded paths."""
    data = json.loads(text)
    validate_sarif(data)
    machine = {str(tmp_path), str(tmp_path.resolve()), tmp_path.as_uri()}
    home = str(Path.home())
    if home not in ("/", ""):
        machine.add(home + "/")
    for path in machine:
        assert path not in text, path
    bases = data["runs"][0].get("originalUriBaseIds", {})
    assert SRCROOT in bases and "uri" not in bases[SRCROOT]
    paths = []
    for loc in sarif_locations(data):
        uri = loc["uri"]
        assert loc["uriBaseId"] == SRCROOT
        assert URI_CHARS.fullmatch(uri) and not uri.startswith(("/", "./")) and ":" not in uri.split("/")[0], uri
        paths.append(unquote(uri))
    return paths


def test_sarif_uris_are_relative_and_name_no_machine_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "k8s").mkdir(parents=True)
    (repo / "sub").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (repo / "k8s" / "a.yaml").write_text(POD)
    (repo / "k8s" / "odd name %#?:&;.yaml").write_text(POD)
    (tmp_path / "elsewhere" / "b.yaml").write_text(POD)
    (repo / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    sarif_file = tmp_path / "side.sarif"

    monkeypatch.chdir(repo)
    result = invoke(
        "scan", str(repo / "k8s"), "link", "-", *ONLY, "-f", "sarif", "--sarif-file", str(sarif_file), input=POD
    )
    paths = check_sarif_paths(result.stdout, tmp_path)
    assert sorted(paths) == ["<stdin>", "k8s/a.yaml", "k8s/odd name %#?:&;.yaml", "link/b.yaml"]
    assert check_sarif_paths(sarif_file.read_text(), tmp_path) == paths

    monkeypatch.chdir(repo / "sub")  # a file above the folder ekslint runs in, named relative
    result = invoke("scan", "../k8s/a.yaml", *ONLY, "-f", "sarif")
    assert check_sarif_paths(result.stdout, tmp_path) == ["../k8s/a.yaml"]
    result = invoke("scan", str(repo / "k8s" / "a.yaml"), *ONLY, "-f", "sarif")  # ... named absolute
    assert check_sarif_paths(result.stdout, tmp_path) == ["../k8s/a.yaml"]
    # json, text and the baseline show the path as the user gave it
    baseline = tmp_path / "baseline.json"
    result = invoke("scan", "../k8s/a.yaml", *ONLY, "-f", "json", "--write-baseline", str(baseline))
    assert [r["file"] for r in json.loads(result.stdout)["results"]] == ["../k8s/a.yaml"]
    assert [f["file"] for f in json.loads(baseline.read_text())["findings"]] == ["../k8s/a.yaml"]
    assert invoke("scan", "../k8s/a.yaml", *ONLY, "-f", "text").stdout.startswith("../k8s/a.yaml:8:")


def test_sarif_uri_rules() -> None:
    root = Path("/home/u/repo")
    assert artifact_uri("k8s/./a.yaml", root) == ("k8s/a.yaml", SRCROOT)
    assert artifact_uri("./a b.yaml", root) == ("a%20b.yaml", SRCROOT)
    assert artifact_uri("/home/u/repo/k8s/a.yaml", root) == ("k8s/a.yaml", SRCROOT)
    assert artifact_uri("/home/u/other/a.yaml", root) == ("../other/a.yaml", SRCROOT)
    assert artifact_uri("/tmp/render/a.yaml", root) == ("a.yaml", OUTSIDE)  # would spell out /tmp/render
    assert artifact_uri("a:b.yaml", root) == ("a%3Ab.yaml", SRCROOT)  # not a URI scheme


@pytest.mark.skipif(not __import__("shutil").which("kubectl"), reason="kubectl is not installed")
def test_sarif_uris_of_a_kustomize_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app_dir = tmp_path / "repo" / "deploy"
    app_dir.mkdir(parents=True)
    (app_dir / "kustomization.yaml").write_text("resources:\n  - pod.yaml\nnamePrefix: x-\n")
    (app_dir / "pod.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path / "repo")
    result = invoke("scan", "--kustomize", "deploy", *ONLY, "-f", "sarif")
    assert result.exit_code == 1, result.stderr
    assert check_sarif_paths(result.stdout, tmp_path) == ["deploy/pod.yaml"]


def test_sarif_run_errors_name_files_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused kustomization is a run error that names its resolved path; SARIF shows it relative."""
    (tmp_path / "remote").mkdir()
    (tmp_path / "remote" / "kustomization.yaml").write_text("resources:\n  - https://example.com/x.yaml\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("scan", "--kustomize", "remote", *ONLY, "-f", "sarif")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    notes = data["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["message"]["text"].startswith("remote/kustomization.yaml: refers to remote resources")
    check_sarif_paths(result.stdout, tmp_path)


# --- secrets --------------------------------------------------------------------------------------

SECRET_PASSWORD_B64 = "Lq7Zx9-p@ssw0rd!Zk"
SECRETS = {
    "properties password": "Vq8#mZt2!pLxQ",
    "configmap token": "tok_8f3k2J5h7g9d1s4aQ",
    "url password": "Pg5ecretW0rdz",
    "aws key id (configmap)": "AKIA2E0A8F3B244C9986",
    "aws secret key (configmap)": "h4Rk9QzW2mX7pL3vN8tB6yC1dF5gJ0sA/eU+iO2K",
    "env password": "Hn7!kR2qWz9xV",
    "env token": "ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2",
    "aws key id (env)": "AKIA7Q2W3E4R5T6Y7U8I",
    "aws secret key (env)": "b7Nc2Vx9Lm4Kj8Hg3Fd6Sa1Qw5Er0Ty/UiOp+ZxC",
    "secret data (decoded)": SECRET_PASSWORD_B64,
    "secret data (base64)": base64.b64encode(SECRET_PASSWORD_B64.encode()).decode(),
    "secret stringData": "sT9vQ2xL7mK4pR8wZ3nB",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    "jvm flag password": "J4vaOpt5PwQz",
    "pem key body": "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "key id quoted by other rules (image)": "AKIA8Q2W3E4R5T6Y7U8K",
    "key id quoted by other rules (annotation)": "AKIA9Q2W3E4R5T6Y7U8Z",
    "token quoted by other rules (annotation)": "glpat-Q7w8E9r0T1y2U3i4O5p6",
    "suppressed token": "sup_Q8w7E6r5T4y3U2i1",
}
SECRETS_MANIFEST = f"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: shop
data:
  application.properties: |
    server.port=8080
    spring.datasource.username=shop
    spring.datasource.password={SECRETS["properties password"]}
  api_token: "{SECRETS["configmap token"]}"
  DATABASE_URL: "postgres://shop:{SECRETS["url password"]}@db.shop.svc:5432/shop"
  credentials: |
    [default]
    aws_access_key_id = {SECRETS["aws key id (configmap)"]}
    aws_secret_access_key = {SECRETS["aws secret key (configmap)"]}
  session.jwt: "{SECRETS["jwt"]}"
  JAVA_OPTS: "-Xmx1g -Dspring.datasource.password={SECRETS["jvm flag password"]}"
  tls.key: |
    -----BEGIN RSA PRIVATE KEY-----
    {SECRETS["pem key body"]}
    -----END RSA PRIVATE KEY-----
  # ekslint: ignore=secret-in-configmap -- test: suppressed findings are masked too
  admin_token: "{SECRETS["suppressed token"]}"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers:
        - name: api
          image: "registry.example.com/{SECRETS["key id quoted by other rules (image)"]}:latest"
          env:
            - name: DB_PASSWORD
              value: "{SECRETS["env password"]}"
            - name: GITHUB_TOKEN
              value: "{SECRETS["env token"]}"
            - name: AWS_ACCESS_KEY_ID
              value: {SECRETS["aws key id (env)"]}
            - name: AWS_SECRET_ACCESS_KEY
              value: "{SECRETS["aws secret key (env)"]}"
---
apiVersion: v1
kind: Service
metadata:
  name: lb
  namespace: shop
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: "{SECRETS["key id quoted by other rules (annotation)"]}"
    service.beta.kubernetes.io/aws-load-balancer-scheme: "{SECRETS["token quoted by other rules (annotation)"]}"
spec:
  type: LoadBalancer
  selector: {{app: api}}
  ports: [{{port: 443}}]
---
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
type: Opaque
data:
  password: {SECRETS["secret data (base64)"]}
stringData:
  token: "{SECRETS["secret stringData"]}"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/admin
      username: admin
      groups:
        - system:masters
"""
CREDENTIAL_RULES = {
    "secret-in-configmap",
    "secret-in-env",
    "aws-static-credentials",
    "plaintext-secret",
    "aws-auth-system-masters",
}


def leaked(text: str) -> list[str]:
    """Which secrets (or any 10 characters of one) appear in ``text``."""
    out = []
    for what, secret in SECRETS.items():
        pieces = {secret[i : i + 10] for i in range(len(secret) - 9)}
        if any(piece in text for piece in pieces):
            out.append(what)
    return out


def test_masking_and_escaping_leave_ordinary_text_alone() -> None:
    """The defences are precise: nothing but a secret or an invisible character changes."""
    from ekslint.linter.formatters.escape import printable, redact

    ordinary = [
        "role arn:aws:iam::111122223333:role/admin maps to system:masters",
        "image registry.internal:5000/shop/api@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "ingress https://shop.example.com:8443/path?x=1 and jdbc:mysql://db:3306/app and user@example.com",
        "ASIAPACIFIC region and AKIA prefix and eyJ alone; token_url: https://auth/x",
        "naïve café 日本語 emoji 😀 C:\\path\\n and a literal backslash-n",
    ]
    for text in ordinary:
        assert redact(text) == text and printable(text) == text
    assert redact("id AKIAQWERTYUIOPASDFGH!") == "id AKIA************DFGH!"
    assert redact("postgres://app:s3cr3t@db:5432/x") == "postgres://app:****@db:5432/x"
    assert redact("t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r") == "t=eyJ****"
    tokens = {
        "ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2": "ghp_****",
        "github_pat_" + "A1b2C3d4E5" * 8 + "xy": "github_pat_****",
        "glpat-Q7w8E9r0T1y2U3i4O5p6": "glpat-****",
        "xoxb-123456789012-abcdefghijKLMN": "xoxb-****",
        "sk_live_" + "a1B2c3D4e5" * 3: "sk_live_****",
        "AIzaSyD-" + "a1B2c3D4e5" * 3 + "a": "AIza****",
        "npm_" + "a1B2c3D4e5" * 3 + "F6g7H8": "npm_****",
        "SG." + "a1B2c3D4e5" * 2 + "xy" + "." + "a1B2c3D4e5" * 4 + "F6g": "SG.****",
    }
    for token, mask in tokens.items():
        assert redact(f"value '{token}' here") == f"value '{mask}' here", token
    assert redact("ghp_short and sk_live_ and npm_install") == "ghp_short and sk_live_ and npm_install"


def test_secrets_never_reach_any_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.yaml").write_text(SECRETS_MANIFEST)
    monkeypatch.chdir(tmp_path)
    base = ["scan", "app.yaml", "--no-config", "--enable", "all"]
    report = json.loads(invoke(*base, "-f", "json", "--include-suppressed").stdout)
    fired = {r["rule"] for r in report["results"]}
    assert fired >= CREDENTIAL_RULES  # every credential rule saw its secret
    assert any(r["suppressed"] and r["rule"] == "secret-in-configmap" for r in report["results"])
    assert fired >= {"latest-image-tag", "lb-annotation-invalid"}  # rules that quote the values

    outputs: dict[str, str] = {}
    for fmt in ("text", "json", "sarif", "github", "junit", "gitlab"):
        for extra in ([], ["--include-suppressed"]):
            result = invoke(*base, "-f", fmt, *extra)
            outputs[f"{fmt} {extra}"] = result.stdout
            outputs[f"{fmt} {extra} stderr"] = result.stderr
    summary, sarif, baseline = tmp_path / "summary.md", tmp_path / "side.sarif", tmp_path / "baseline.json"
    result = invoke(
        *base,
        "-f",
        "text",
        "--summary-file",
        str(summary),
        "--sarif-file",
        str(sarif),
        "--write-baseline",
        str(baseline),
    )
    outputs["stderr"] = result.stderr
    result = invoke(*base, "-f", "json", "--baseline", str(baseline), "--include-suppressed")
    outputs["json with baseline"] = result.stdout + result.stderr
    for path in (summary, sarif, baseline):
        outputs[path.name] = path.read_text(encoding="utf-8")
    assert json.loads(outputs["baseline.json"])["findings"]
    for name, text in outputs.items():
        assert not leaked(text), f"{name} shows {leaked(text)}"
    assert "AKIA************7U8K" in outputs["text []"]  # masked where another rule quotes it


def test_a_credential_that_yaml_reads_as_a_number_is_not_quoted(tmp_path: Path) -> None:
    """yaml-implicit-type reports ``DB_PASSWORD: 0775312`` (and the same in an env var) without
    the value, nor the number YAML makes of it."""
    path = tmp_path / "c.yaml"
    path.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\ndata:\n  DB_PASSWORD: 0775312\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n  containers:\n"
        "    - name: a\n      image: a:1\n      env:\n        - name: API_TOKEN\n          value: 8812734\n"
    )
    for fmt in ("text", "json", "sarif", "github"):
        result = invoke("scan", str(path), "--no-config", "--enable", "yaml-implicit-type", "-f", fmt)
        assert result.stdout.count("this unquoted value is a number") == 2, fmt
        for secret in ("0775312", "260810", "8812734"):
            assert secret not in result.stdout + result.stderr, (fmt, secret)
