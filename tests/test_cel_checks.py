"""CEL checks in the config: the Kubernetes CEL libraries, compilation, cost bounds, and checks
that behave like built-in rules end to end (lines, formats, suppressions, baselines, rules/explain)."""

from __future__ import annotations

import json
import re
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ekslint.cli import app
from ekslint.linter.cel.data import plain
from ekslint.linter.cel.program import CelCompileError, CelEvalError, compile_expression
from ekslint.linter.config import ConfigError, load_settings

runner = CliRunner()


def cel(expr: str, **inputs: Any) -> Any:
    return compile_expression(expr).evaluate(inputs)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""})
    return result.exit_code, result.stdout, result.stderr


# --- the Kubernetes libraries, with the examples of kubernetes.io/docs/reference/using-api/cel/ ----


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        # list library
        ("['a', 'b', 'c'].isSorted()", True),
        ("[{'weight': 0.5}, {'weight': 0.5}].map(x, x.weight).sum() == 1.0", True),
        ("[{'priority': 1}].map(x, x.priority).max() < [{'priority': 5}].map(x, x.priority).min()", True),
        ("['x', 'should-be-first'].indexOf('should-be-first') == 1", True),
        ("[1, 2, 1].lastIndexOf(1)", 2),
        ("'abc'.indexOf('c')", 2),  # the strings extension's indexOf is still there
        # regex library
        ("'abc 123'.find('[0-9]+')", "123"),
        ("'1, 2, 3, 4'.findAll('[0-9]+').map(x, int(x)).sum() < 100", True),
        ("'a1b2c3'.findAll('[0-9]', 2)", ["1", "2"]),
        # URL library
        ("url('https://example.com:80/').getHost()", "example.com:80"),
        ("url('https://example.com/path with spaces/').getEscapedPath()", "/path%20with%20spaces/"),
        ("url('https://[::1]:80/x?a=1&a=2').getHostname()", "::1"),
        ("url('https://example.com/x?a=1&a=2').getQuery()", {"a": ["1", "2"]}),
        ("isURL('https://example.com') && !isURL('not a url')", True),
        # quantity library
        ("quantity('500000G').isInteger()", True),
        ("quantity('50k').asInteger()", 50000),
        ("quantity('9999999999999999999999999999999999999G').asApproximateFloat() > 1e45", True),
        ("quantity('50k').sub(20000).asInteger()", 30000),
        ("quantity('50k').add(20).sub(quantity('100k')).sub(-50000).asInteger()", 20),
        ("quantity('200M').compareTo(quantity('0.2G'))", 0),
        ("quantity('150Mi').isGreaterThan(quantity('100Mi'))", True),
        ("quantity('50M').isLessThan(quantity('100M'))", True),
        ("quantity('1') == quantity('1000m')", True),
        ("isQuantity('1Gi') && !isQuantity('1GB') && !isQuantity('1K')", True),
        ("quantity('1.5').sign() == 1 && quantity('-1m').sign() == -1", True),
        # IP and CIDR libraries
        ("ip('192.168.0.1').family()", 4),
        ("ip('::1').family() == 6 && ip('::1').isLoopback()", True),
        ("ip('10.0.0.1').isGlobalUnicast()", True),  # Go's definition: private addresses are global
        ("ip('fe80::1').isLinkLocalUnicast() && ip('ff02::1').isLinkLocalMulticast()", True),
        ("ip.isCanonical('2001:db8::abcd') && !ip.isCanonical('2001:DB8::ABCD')", True),
        ("isIP('::ffff:1.2.3.4') || isIP('fe80::1%eth0') || isIP('010.0.0.1')", False),
        ("cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", True),
        ("cidr('192.168.0.0/24').containsIP('192.168.1.1')", False),
        ("cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24')", True),
        ("cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", True),
        ("string(cidr('192.168.0.1/24').ip())", "192.168.0.1"),
        ("cidr('::1/128').prefixLength()", 128),
        # semver, sets, the strings extension and optional types, as Kubernetes enables them
        ("semver('1.2.3').isLessThan(semver('1.10.0')) && semver('v1.2', true).minor() == 2", True),
        ("semver('1.0.0-alpha').compareTo(semver('1.0.0'))", -1),
        ("sets.contains([1, 2, 3], [2]) && sets.equivalent([1, 2], [2, 1, 1]) && !sets.intersects([1], [2])", True),
        ("'%s has %d items'.format(['list', 3])", "list has 3 items"),
        ("' A,B '.trim().lowerAscii().split(',').join('-')", "a-b"),
        ("{'a': 1}.?b.orValue(5)", 5),
        ("cel.bind(x, 2, x * x)", 4),
    ],
)
def test_kubernetes_library(expr: str, expected: Any) -> None:
    assert cel(expr) == expected


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("quantity('1GB')", "unable to parse quantity's suffix"),
        ("quantity('x')", "quantities must match"),
        ("url('not a url')", "URL parse error"),
        ("ip('::ffff:1.2.3.4')", "IPv4-mapped"),
        ("cidr('10.0.0.0/33')", "network address parse error"),
        ("quantity('1.5').asInteger()", "cannot convert value to integer"),
        ("[].min()", "empty list"),
    ],
)
def test_kubernetes_library_errors(expr: str, message: str) -> None:
    with pytest.raises(CelEvalError, match=message):
        cel(expr)


def test_inputs_are_the_located_trees_and_only_what_is_read_is_copied() -> None:
    from ekslint.linter.loader import SourceFile, load_bytes
    from ekslint.linter.model import objects_from

    text = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {team: a}\ndata:\n  big: zzz\n"
    doc = load_bytes(SourceFile(display="x.yaml"), text).documents[0]
    obj = next(iter(objects_from(doc)))
    program = compile_expression("has(object.metadata.labels) && object.metadata.labels.team == 'a'")
    assert plain(obj.root, program.reads["object"]).value == {"metadata": {"labels": {"team": "a"}}}
    assert program.evaluate({"object": obj.root}) is True
    # a loop reads of each item what it reads through its variable; has() reads presence only
    loop = compile_expression("object.spec.cs.all(c, !has(c.res) || c.image.startsWith('x'))")
    pod = {"spec": {"cs": [{"image": "xa", "res": {"big": "..."}, "env": [1]}, {"image": "y"}], "other": 1}}
    assert plain(pod, loop.reads["object"]).value == {"spec": {"cs": [{"image": "xa", "res": {}}, {"image": "y"}]}}
    assert loop.evaluate({"object": pod}) is True
    # a loop variable used whole takes the items whole
    whole = compile_expression("object.spec.cs.exists(c, c == {'image': 'y'})")
    assert plain(pod, whole.reads["object"]).value == {"spec": {"cs": pod["spec"]["cs"]}}
    assert whole.evaluate({"object": pod}) is True
    # has() sees exactly what the object has
    assert cel("has(object.data.missing)", object=obj.root) is False


@pytest.mark.parametrize(
    ("expr", "where"),
    [
        ("1 + 'a'", "at 1:3: found no matching overload for '_+_'"),
        ("object.spec.replicas >", "at 1:23: Syntax error"),
        ("object.metadata.name.startWith('demo')", "undeclared reference to 'startWith'"),
        ("object.image.matches('(?=a)')", "invalid regular expression"),
    ],
)
def test_compile_errors_say_where(expr: str, where: str) -> None:
    with pytest.raises(CelCompileError, match=re.escape(where)):
        compile_expression(expr)


def test_cost_bound_refuses_blow_ups_before_running_them() -> None:
    ten = "[" + ", ".join(map(str, range(10))) + "]"
    nested = "".join(f"{ten}.all(v{i}, " for i in range(8)) + "true" + ")" * 8  # 10^8 steps
    with pytest.raises(CelCompileError, match="exceeds the budget"):
        compile_expression(nested)
    # a list that doubles 24 times would hold 33 million items: refused before it is built
    doubling = "cel.bind(v0, [1, 1], " + "".join(f"cel.bind(v{i + 1}, v{i} + v{i}, " for i in range(24))
    with pytest.raises(CelCompileError, match="exceeds the budget"):
        compile_expression(doubling + "v24.size() > 0" + ")" * 25)
    with pytest.raises(CelCompileError, match="recursion limit"):  # cel-cpp bounds nesting itself
        compile_expression("cel.bind(a, [1, 1], " * 40 + "true" + ")" * 40)
    nested = "object.items.all(a, object.items.all(b, object.items.all(c, a + b + c > 0)))"
    program = compile_expression(nested)  # fine on small lists
    assert program.evaluate({"object": {"items": [1, 2, 3]}}) is True
    start = time.perf_counter()
    with pytest.raises(CelEvalError, match="exceeds the budget"):
        program.evaluate({"object": {"items": list(range(1000))}})  # 10^9 steps: refused, not run
    assert time.perf_counter() - start < 2


def test_regexes_are_linear() -> None:
    start = time.perf_counter()
    assert cel("object.s.matches('^(a+)+$')", object={"s": "a" * 5000 + "!"}) is False
    assert time.perf_counter() - start < 2


# --- checks in the config -------------------------------------------------------------------

CONFIG = """\
checks:
  - id: acme/ecr-images
    title: Images come from our ECR
    level: error
    help: |
      Pull through the organisation's ECR, `123456789012.dkr.ecr.<region>.amazonaws.com`.
    match:
      apiGroups: ["apps"]
      kinds: ["Deployment", "StatefulSet", "DaemonSet"]
    variables:
      - name: ecr
        expression: r'^123456789012\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/'  # a raw CEL string
    validations:
      - expression: object.spec.template.spec.containers.all(c, c.image.matches(variables.ecr))
        messageExpression: >-
          'images must come from 123456789012.dkr.ecr.*.amazonaws.com, not ' +
          object.spec.template.spec.containers.filter(c, !c.image.matches(variables.ecr)).map(c, c.image).join(', ')
        fieldPath: spec.template.spec.containers[*].image
  - id: acme/team-label
    title: Deployments need a team label
    match:
      apiGroups: ["apps"]
      kinds: ["Deployment"]
    validations:
      - expression: has(object.metadata.labels) && 'team' in object.metadata.labels
        message: every Deployment needs a 'team' label
        fieldPath: metadata.labels
"""

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.2
        - name: proxy
          image: docker.io/envoyproxy/envoy:v1.30
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch
  namespace: shop
  labels: {team: data}
spec:
  selector:
    matchLabels: {app: batch}
  template:
    metadata:
      labels: {app: batch}
    spec:
      containers:
        - name: batch
          image: quay.io/acme/batch:2  # ekslint: ignore=acme/ecr-images
---
apiVersion: v1
kind: Service
metadata:
  name: not-matched
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""

ONLY = ["--disable", "all", "--enable", "acme/ecr-images", "--enable", "acme/team-label"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".ekslint.yaml").write_text(CONFIG)
    (tmp_path / "app.yaml").write_text(MANIFEST)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_end_to_end_text(repo: Path) -> None:
    code, out, _ = invoke("scan", "app.yaml", *ONLY, "-f", "text")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "app.yaml:3:1: warning acme/team-label every Deployment needs a 'team' label"
    assert lines[1] == (
        "app.yaml:17:11: error acme/ecr-images images must come from 123456789012.dkr.ecr.*.amazonaws.com, "
        "not docker.io/envoyproxy/envoy:v1.30"
    )
    assert "1 suppressed" in out


def test_end_to_end_sarif_and_github(repo: Path) -> None:
    code, out, _ = invoke("scan", "app.yaml", *ONLY, "-f", "sarif")
    assert code == 1
    log = json.loads(out)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"acme/ecr-images", "acme/team-label"}
    assert rules["acme/ecr-images"]["defaultConfiguration"]["level"] == "error"
    assert "Pull through the organisation's ECR" in rules["acme/ecr-images"]["help"]["markdown"]
    assert "helpUri" not in rules["acme/ecr-images"]  # no page in ekslint's docs: the help is the doc
    found = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]}
    assert found == {("acme/ecr-images", 17), ("acme/team-label", 3)}
    _code, out, _ = invoke("scan", "app.yaml", *ONLY, "-f", "github")
    assert "::error file=app.yaml,line=17,col=11,title=ekslint acme/ecr-images::images must come from" in out
    assert "::warning file=app.yaml,line=3,col=1,title=ekslint acme/team-label::every Deployment needs" in out


def test_suppressions_and_baselines(repo: Path) -> None:
    text = MANIFEST.replace("metadata:\n  name: web", "metadata:  # ekslint: ignore=acme/team-label\n  name: web")
    (repo / "app.yaml").write_text(text)
    code, out, _ = invoke("scan", "app.yaml", *ONLY, "-f", "json")
    results = json.loads(out)["results"]
    assert [r["rule"] for r in results] == ["acme/ecr-images"]
    code, _, _ = invoke("scan", "app.yaml", *ONLY, "--write-baseline", "baseline.json")
    code, out, _ = invoke("scan", "app.yaml", *ONLY, "--baseline", "baseline.json", "-f", "json")
    assert code == 0 and json.loads(out)["results"] == []
    # a typo in a check's id is an unknown id, as for built-in rules
    (repo / "app.yaml").write_text(text.replace("ignore=acme/team-label", "ignore=acme/team-labels"))
    code, out, _ = invoke("scan", "app.yaml", "--disable", "all", "--enable", "invalid-suppression", "-f", "json")
    assert "unknown rule id 'acme/team-labels'" in json.loads(out)["results"][0]["message"]


def test_rules_and_explain_show_checks(repo: Path) -> None:
    code, out, _ = invoke("rules")
    assert code == 0
    assert "X. Your checks (CEL, from the config)" in out
    assert "acme/ecr-images" in out and "[config .ekslint.yaml]" in out
    code, out, _ = invoke("rules", "-f", "json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["acme/team-label"]["source"] == "config .ekslint.yaml"
    assert rows["acme/team-label"]["doc_url"] is None
    assert rows["run-as-root"]["source"] == "built-in"
    code, out, _ = invoke("explain", "acme/ecr-images")
    assert code == 0
    assert out.startswith("# acme/ecr-images\n\nImages come from our ECR.")
    assert "Source: config .ekslint.yaml" in out and "Pull through the organisation's ECR" in out
    code, out, _ = invoke("rules", "--no-config")
    assert "acme/" not in out


def test_config_level_and_disable_apply_to_checks(repo: Path) -> None:
    (repo / ".ekslint.yaml").write_text(CONFIG + "rules:\n  acme/team-label: error\n  acme/ecr-images: false\n")
    _code, out, _ = invoke("scan", "app.yaml", "-f", "json")
    results = [r for r in json.loads(out)["results"] if r["rule"].startswith("acme/")]
    assert [(r["rule"], r["level"]) for r in results] == [("acme/team-label", "error")]


def test_checks_in_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [[tool.ekslint.checks]]
            id = "acme/team-label"
            title = "Deployments need a team label"
            match = { apiGroups = ["apps"], kinds = ["Deployment"] }
            validations = [{ expression = "has(object.metadata.labels) && 'team' in object.metadata.labels", fieldPath = "metadata" }]
            """
        )
    )
    (tmp_path / "app.yaml").write_text(MANIFEST)
    monkeypatch.chdir(tmp_path)
    _code, out, _ = invoke("scan", "app.yaml", "--disable", "all", "--enable", "acme/team-label", "-f", "json")
    results = json.loads(out)["results"]
    assert [(r["rule"], r["line"]) for r in results] == [("acme/team-label", 3)]
    assert results[0]["message"].startswith("failed expression: has(object.metadata.labels)")


def write_check(tmp_path: Path, check: str) -> Path:
    config = tmp_path / ".ekslint.yaml"
    config.write_text("checks:\n" + textwrap.indent(textwrap.dedent(check), "  "))
    return config


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (
            """\
            - id: acme/bad
              title: Bad
              match: {kinds: [Deployment]}
              validations:
                - expression: "object.spec.replicas + 'x' > 1"
            """,
            ".ekslint.yaml:2: check acme/bad: validations[0].expression: at 1:28: found no matching overload for '_>_'",
        ),
        (
            """\
            - id: run-as-root
              title: Mine
              match: {kinds: [Pod]}
              validations: [{expression: "true"}]
            """,
            "checks[0].id: 'run-as-root' is not an id like 'acme/ecr-images'",
        ),
        (
            """\
            - id: vap/mine
              title: Mine
              match: {kinds: [Pod]}
              validations: [{expression: "true"}]
            """,
            "the prefix 'vap' is reserved",
        ),
        (
            """\
            - id: acme/x
              title: X
              match: {kinds: [Pod]}
              validations: [{expression: "variables.nope"}]
            """,
            "variables.nope is not declared",
        ),
        (
            """\
            - id: acme/x
              title: X
              match: {kinds: [Pod]}
              validations: [{expression: "params.max > 1"}]
            """,
            "params is an admission-request variable",
        ),
        (
            """\
            - id: acme/x
              title: X
              match: {kinds: [Pod]}
              validations: [{expression: "true", fieldPath: "spec..x"}]
            """,
            "validations[0].fieldPath",
        ),
        (
            """\
            - id: acme/x
              title: X
              match: {}
              validations: [{expression: "true"}]
            """,
            "match.kinds is required",
        ),
    ],
)
def test_bad_checks_are_config_errors(tmp_path: Path, check: str, message: str) -> None:
    config = write_check(tmp_path, check)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(config)
    code, _, err = invoke("scan", str(tmp_path), "--config", str(config))
    assert code == 2 and "ekslint: error:" in err and "Traceback" not in err


def test_an_expression_error_is_a_note_and_the_scan_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_check(
        tmp_path,
        """\
        - id: acme/replicas
          title: Two replicas at least
          match: {apiGroups: [apps], kinds: [Deployment]}
          validations:
            - expression: object.spec.replicas >= 2
              fieldPath: spec.replicas
        """,
    )
    (tmp_path / "app.yaml").write_text(
        MANIFEST.replace(
            "spec:\n  selector:\n    matchLabels: {app: batch}",
            "spec:\n  replicas: 1\n  selector:\n    matchLabels: {app: batch}",
        )
    )
    monkeypatch.chdir(tmp_path)
    _code, out, _ = invoke("scan", "app.yaml", "--disable", "all", "--enable", "acme/replicas", "-f", "json")
    data = json.loads(out)
    assert [(r["rule"], r["line"]) for r in data["results"]] == [("acme/replicas", 26)]
    assert data["errors"] == []
    assert any(
        n.startswith("acme/replicas: Deployment/shop/web (app.yaml:1): validations[0] not evaluated:")
        and "replicas" in n
        for n in data["notes"]
    )


def test_match_namespaces_and_label_selector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_check(
        tmp_path,
        """\
        - id: acme/prod-team
          title: Prod web workloads name a team
          match:
            kinds: ["*"]
            namespaces: [shop]
            labelSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]}
          validations: [{expression: "false", message: no team}]
        """,
    )
    (tmp_path / "app.yaml").write_text(MANIFEST)
    monkeypatch.chdir(tmp_path)
    _code, out, _ = invoke("scan", "app.yaml", "--disable", "all", "--enable", "acme/prod-team", "-f", "json")
    assert [r["object"] for r in json.loads(out)["results"]] == ["Deployment/shop/web"]  # the Service is in default


def test_hostile_shapes_are_errors_not_crashes() -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(900):  # YAML nests this deep; cel-cpp and Python recursion must not see it
        node["a"] = {}
        node = node["a"]
    with pytest.raises(CelEvalError, match="nested deeper than 200 levels"):
        cel("object.a != null", object=deep)
    with pytest.raises(CelCompileError, match="Exceeded max recursion depth"):
        compile_expression(" + ".join(["1"] * 40))
    with pytest.raises(CelCompileError, match="longer than"):
        compile_expression("true && " * 20_000 + "true")
