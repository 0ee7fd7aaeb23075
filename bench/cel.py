"""Benchmark: the CEL engine for config checks and admission policies, and what checks cost a scan.

    python bench/cel.py engines [--corpus DIR] [--limit N]   # compare the three engines
    python bench/cel.py scan [--corpus DIR] [--repeat N]     # 20 CEL checks over the corpus

``engines`` measures, for each CEL engine on PyPI that is installed (``pip install cel-python
common-expression-language cel-expr-python``; only the chosen one is a dependency):

* import time, in a fresh interpreter (best of 5, the interpreter's own start-up subtracted);
* compile time per expression (parse, and type-check where the engine has a checker);
* evaluation time per object for five realistic expressions over the Kubernetes objects of the
  corpus (loaded as ekslint loads them), conversion of the object included, as a scan pays it;
* conformance: a table of expressions from the CEL spec and the Kubernetes CEL libraries, each
  marked supported or not by the bare engine (ekslint's own Kubernetes library is *not* loaded
  here: this is what the engine brings).

Measured on this project's 2-CPU machine (shared, so the figures move by a factor of two between
runs), 2,000 objects of the corpus, 2026-12; "eval" includes handing the object to the engine:

======================  ==========  ==========================  ===============  ============
                        cel-python  common-expression-language  cel-expr-python  ... in ekslint
======================  ==========  ==========================  ===============  ============
import (fresh process)  65-210 ms   270-330 ms (imports its CLI) 3.5 ms          ~40 ms [1]
compile, per expression 190-630 µs  20-110 µs                   66-90 µs         190-610 µs [2]
evaluate, per object    440-1020 µs 210-410 µs                  110-130 µs [3]   20-60 µs [4]
type checker            no          no                          yes, positions   yes
regex                   RE2 if      Rust regex (linear)         RE2              RE2
                        installed
optional types ``.?``   no          no (parse error)            yes              yes
strings ext, format,    no          no                          yes              yes
bind, math
Kubernetes libraries    none        none                        none             all but two [5]
cost budget             no          no                          no               yes [6]
======================  ==========  ==========================  ===============  ============

[1] with ekslint's library modules (ipaddress, urllib, RE2); paid only when a config has checks or
a scan has policies. [2] compile, type-check, read the checked tree, check constant regexes and
the static cost. [3] cel-expr-python takes plain dicts only, so the whole object is copied on
every evaluation. [4] ekslint copies only the paths an expression reads, once per scan.
[5] lists, sets, regex ``find``/``findAll``, URL, IP/CIDR, quantity, semver; not the authorizer
(it asks the cluster's RBAC) nor the ``format.*`` validators (their ``validate`` returns an
optional, which a Python function cannot return through cel-expr-python). [6] see
``ekslint/linter/cel/cost.py``.

Conformance gaps of cel-expr-python that remain: two-variable comprehensions (``all(i, v, …)``,
Kubernetes 1.33) and cel-go's list extension (``sort``, ``lists.range``) do not compile; the
checker refuses ``1 < 1.5`` between literals (Kubernetes' CrossTypeNumericComparisons), though
mixed comparisons of values from the object (``object.spec.replicas < 1.5``) work; Kubernetes'
opaque types (Quantity, URL, IP, CIDR) are maps underneath, so ``type(quantity('1'))`` is
``map``. A policy that meets one of these does not compile here and gets a note, not a verdict.

cel-expr-python, the CEL team's Python binding of cel-cpp, is chosen: the only one with a type
checker (a typo or a type error in a check is a config error at start-up, with its position,
as the API server rejects such a policy), RE2 regexes, optional types and the extensions
Kubernetes enables, the fastest evaluation, and an import cheap enough for the pre-commit path.

``scan`` times ``ekslint scan CORPUS -f json -j 1`` with no checks and with the twenty checks of
:func:`twenty_checks` in a config (best of ``--repeat``, bytecode cached as after an install,
the two runs alternating), and exits 1 when the checks add more than 30 %.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
# This file is bench/cel.py: drop its folder from the path, or `import cel` (the package of
# common-expression-language) would import this file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

ENGINES = {
    "cel-python": "celpy",
    "common-expression-language": "cel",
    "cel-expr-python": "cel_expr_python.cel",
    "cel-expr-python in ekslint": "ekslint.linter.cel.program",
}

#: (name, expression, needs a quantity() function)
EXPRESSIONS: list[tuple[str, str]] = [
    (
        "image registry regex",
        "object.spec.template.spec.containers.all(c, "
        "c.image.matches('^123456789012\\\\.dkr\\\\.ecr\\\\.[a-z0-9-]+\\\\.amazonaws\\\\.com/'))",
    ),
    ("label presence", "has(object.metadata.labels) && 'team' in object.metadata.labels"),
    (
        "containers.all",
        "object.spec.template.spec.containers.all(c, has(c.resources) && has(c.resources.limits))",
    ),
    (
        "quantity comparison",
        "object.spec.template.spec.containers.all(c, !has(c.resources.limits) || "
        "!has(c.resources.limits.memory) || "
        "quantity(string(c.resources.limits.memory)).isLessThan(quantity('8Gi')))",
    ),
    ("variables reference", "variables.images.all(i, !i.endsWith(':latest'))"),
]
VARIABLE = ("images", "object.spec.template.spec.containers.map(c, c.image)")

#: (feature, expression, expected value) run by each bare engine.
CONFORMANCE: list[tuple[str, str, Any]] = [
    ("has() macro", "has({'a': 1}.a)", True),
    ("all/exists/exists_one", "[1, 2].all(x, x > 0) && [1, 2].exists_one(x, x == 2)", True),
    ("map/filter", "[1, 2, 3].filter(x, x > 1).map(x, x * 2) == [4, 6]", True),
    ("regex matches", "'abc'.matches('^a.c$')", True),
    ("strings ext: split/join", "'a,b'.split(',').join('-') == 'a-b'", True),
    ("strings ext: lowerAscii/trim", "' X '.trim().lowerAscii() == 'x'", True),
    ("strings ext: format", "'%s-%d'.format(['a', 1]) == 'a-1'", True),
    ("strings ext: quote", "strings.quote('a') == '\"a\"'", True),
    ("bindings: cel.bind", "cel.bind(x, 2, x * x) == 4", True),
    ("optional types", "{'a': 1}.?b.orValue(5) == 5", True),
    ("cross-type numeric compare", "1 < 1.5", True),
    ("k8s lists: sum/isSorted", "[1, 2, 3].sum() == 6 && [1, 2].isSorted()", True),
    ("k8s lists: indexOf", "[1, 2, 3].indexOf(2) == 1", True),
    ("k8s regex: find/findAll", "'abc 123'.find('[0-9]+') == '123' && 'a1b2'.findAll('[0-9]').size() == 2", True),
    ("k8s url", "url('https://example.com:80/').getHost() == 'example.com:80'", True),
    ("k8s ip/cidr", "cidr('10.0.0.0/8').containsIP(ip('10.1.2.3'))", True),
    ("k8s quantity", "quantity('1Gi').isGreaterThan(quantity('500Mi'))", True),
    ("k8s format library", "!format.dns1123Label().validate('my-name').hasValue()", True),
    ("k8s semver", "semver('1.2.3').isLessThan(semver('1.10.0'))", True),
    ("k8s authorizer", "authorizer.path('/healthz').check('get').allowed()", True),
    ("regex is linear (RE2)", "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('^(a+)+$')", False),
    ("type error at compile time", "1 + 'a'", "compile-error"),
]


def import_time(module: str) -> float | None:
    """Seconds to import ``module`` in a fresh interpreter (best of 5), start-up excluded."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    best = None
    for _ in range(5):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return None
        value = float(done.stdout.strip().splitlines()[-1])
        best = value if best is None else min(best, value)
    return best


class Engine:
    """One engine behind a common face: compile an expression, evaluate it on an object."""

    name = ""

    def compile(self, expr: str) -> Any:
        raise NotImplementedError

    def evaluate(self, program: Any, obj: Any, variables: dict[str, Any] | None = None) -> Any:
        raise NotImplementedError


def _quantity_value(text: str) -> float:
    """A crude quantity for the engines that have none: enough to time a custom function."""
    from ekslint.linter.cel.library.quantity import parse_quantity

    return float(parse_quantity(text))


class CelPython(Engine):
    name = "cel-python"

    def __init__(self) -> None:
        import celpy

        self.celpy = celpy
        self.env = celpy.Environment()

    def compile(self, expr: str) -> Any:
        functions = {
            "quantity": lambda s: self.celpy.celtypes.DoubleType(_quantity_value(str(s))),
            "isLessThan": lambda a, b: self.celpy.celtypes.BoolType(a < b),
        }
        return self.env.program(self.env.compile(expr), functions=functions)

    def evaluate(self, program: Any, obj: Any, variables: dict[str, Any] | None = None) -> Any:
        data = {"object": self.celpy.json_to_cel(obj)}
        if variables is not None:
            data["variables"] = self.celpy.json_to_cel(variables)
        return program.evaluate(data)


class CommonExpressionLanguage(Engine):
    name = "common-expression-language"

    def __init__(self) -> None:
        import cel

        self.cel = cel

    def compile(self, expr: str) -> Any:
        return self.cel.compile(expr)

    def evaluate(self, program: Any, obj: Any, variables: dict[str, Any] | None = None) -> Any:
        context = self.cel.Context(
            variables={"object": obj, "variables": variables or {}},
            functions={"quantity": _quantity_value, "isLessThan": lambda a, b: a < b},
        )
        return program.execute(context)


class CelExprPython(Engine):
    name = "cel-expr-python"

    def __init__(self) -> None:
        from cel_expr_python import cel
        from cel_expr_python.ext import ext_bindings, ext_math, ext_optional, ext_strings

        self.cel = cel
        extensions = [ext_strings.ExtStrings(), ext_bindings.ExtBindings(), ext_math.ExtMath()]
        extensions.append(ext_optional.ExtOptional())
        self.env = cel.NewEnv(
            variables={"object": cel.Type.DYN, "variables": cel.Type.Map(cel.Type.STRING, cel.Type.DYN)},
            extensions=extensions,
        )

    def compile(self, expr: str) -> Any:
        return self.env.compile(expr)

    def evaluate(self, program: Any, obj: Any, variables: dict[str, Any] | None = None) -> Any:
        from ekslint.linter.cel.data import plain

        # It takes plain dicts only (not the loader's located ones): the whole object is copied.
        value = program.eval(data={"object": plain(obj).value, "variables": variables or {}})
        if value.type() == self.cel.Type.ERROR:
            raise RuntimeError(value.value())
        return value.plain_value()


class Ekslint(Engine):
    """cel-expr-python as ekslint runs it: only the parts of ``object`` an expression reads are
    copied into CEL, the cost bound is checked first, and Kubernetes' libraries are there."""

    name = "cel-expr-python in ekslint"

    def compile(self, expr: str) -> Any:
        from ekslint.linter.cel.program import compile_expression

        return compile_expression(expr)

    def evaluate(self, program: Any, obj: Any, variables: dict[str, Any] | None = None) -> Any:
        return program.evaluate({"object": obj}, variables)


def corpus_objects(corpus: Path, limit: int) -> list[Any]:
    from ekslint.linter.loader import read_file
    from ekslint.linter.model import objects_from

    out: list[Any] = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        source = read_file(path, str(path))
        out += [obj.root for doc in source.documents for obj in objects_from(doc)]
        if len(out) >= limit:
            break
    return out[:limit]


def timed(fn: Callable[[], Any], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def conformance(engine: Engine) -> dict[str, str]:
    out: dict[str, str] = {}
    for feature, expr, expected in CONFORMANCE:
        try:
            program = engine.compile(expr)
        except Exception as exc:  # noqa: BLE001 - any failure is an answer here
            out[feature] = "yes" if expected == "compile-error" else f"no (compile: {str(exc).splitlines()[0][:60]})"
            continue
        if expected == "compile-error":
            out[feature] = "no (compiles; fails only when evaluated)"
            continue
        try:
            value = engine.evaluate(program, {})
        except Exception as exc:  # noqa: BLE001
            out[feature] = f"no ({type(exc).__name__}: {str(exc).splitlines()[0][:60]})"
            continue
        out[feature] = "yes" if value == expected else f"no (got {value!r})"
    return out


def engines(args: argparse.Namespace) -> int:
    objects = corpus_objects(args.corpus, args.limit)
    print(f"{len(objects)} objects from {args.corpus}\n")
    makers: list[Callable[[], Engine]] = [CelPython, CommonExpressionLanguage, CelExprPython, Ekslint]
    report: dict[str, Any] = {}
    for make in makers:
        name = make.name  # type: ignore[attr-defined]
        seconds = import_time(ENGINES[name])
        if seconds is None:
            print(f"{name}: not installed, skipped")
            continue
        engine = make()
        row: dict[str, Any] = {"import_ms": round(seconds * 1000, 1), "expressions": {}}
        for label, expr in EXPRESSIONS:
            try:
                compile_s = timed(lambda e=expr, en=engine: en.compile(e), repeat=20)  # type: ignore[misc]
                program = engine.compile(expr)
                var_program = engine.compile(VARIABLE[1])
            except Exception as exc:  # noqa: BLE001
                row["expressions"][label] = {"error": str(exc).splitlines()[0][:80]}
                continue
            errors = 0

            def run_all(
                p: Any = program, vp: Any = var_program, uses_vars: bool = "variables" in expr, en: Engine = engine
            ) -> None:
                nonlocal errors
                for obj in objects:
                    try:
                        variables = {VARIABLE[0]: en.evaluate(vp, obj)} if uses_vars else None
                        en.evaluate(p, obj, variables)
                    except Exception:  # noqa: BLE001 - objects without the fields: an error value
                        errors += 1

            eval_s = timed(run_all, repeat=3)
            row["expressions"][label] = {
                "compile_us": round(compile_s * 1e6, 1),
                "eval_us_per_object": round(eval_s / max(1, len(objects)) * 1e6, 2),
                "errors": errors // 3,
            }
        row["conformance"] = conformance(engine)
        report[name] = row
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for name, row in report.items():
        print(f"== {name}" + (f": import {row['import_ms']} ms" if "import_ms" in row else ""))
        for label, figures in row.get("expressions", {}).items():
            print(f"   {label:<22} {figures}")
        for feature, verdict in row["conformance"].items():
            print(f"   {feature:<30} {verdict}")
        print()
    return 0


#: Twenty checks of the kinds teams write: registries, labels, resources, probes, names.
TWENTY_CHECKS_YAML = """
checks:
{checks}
"""


def twenty_checks() -> list[dict[str, Any]]:
    workloads = {"apiGroups": ["apps"], "kinds": ["Deployment", "StatefulSet", "DaemonSet"]}
    pods = "object.spec.template.spec"
    base: list[tuple[str, dict[str, Any], str, str | None]] = [
        (
            "ecr-images",
            workloads,
            f"{pods}.containers.all(c, c.image.matches('^123456789012\\\\.dkr\\\\.ecr\\\\."
            "[a-z0-9-]+\\\\.amazonaws\\\\.com/'))",
            "spec.template.spec.containers[*].image",
        ),
        ("team-label", workloads, "has(object.metadata.labels) && 'team' in object.metadata.labels", "metadata"),
        (
            "owner-annotation",
            {"kinds": ["*"]},
            "has(object.metadata.annotations) && 'owner' in object.metadata.annotations",
            None,
        ),
        (
            "cpu-limits",
            workloads,
            f"{pods}.containers.all(c, has(c.resources) && has(c.resources.limits) && has(c.resources.limits.cpu))",
            None,
        ),
        (
            "memory-cap",
            workloads,
            f"{pods}.containers.all(c, !has(c.resources) || !has(c.resources.limits) || "
            "!has(c.resources.limits.memory) || quantity(string(c.resources.limits.memory))"
            ".isLessThan(quantity('16Gi')))",
            None,
        ),
        ("no-latest", workloads, f"{pods}.containers.all(c, !c.image.endsWith(':latest'))", None),
        ("readiness", workloads, f"{pods}.containers.all(c, has(c.readinessProbe))", None),
        (
            "replicas-min",
            {"apiGroups": ["apps"], "kinds": ["Deployment"]},
            "!has(object.spec.replicas) || object.spec.replicas >= 2",
            "spec.replicas",
        ),
        ("name-length", {"kinds": ["*"]}, "!has(object.metadata.name) || size(object.metadata.name) <= 63", None),
        (
            "env-names",
            workloads,
            f"{pods}.containers.all(c, !has(c.env) || c.env.all(e, e.name.matches('^[A-Z_][A-Z0-9_]*$')))",
            None,
        ),
        ("no-host-network", workloads, f"!has({pods}.hostNetwork) || !{pods}.hostNetwork", None),
        ("service-type", {"kinds": ["Service"]}, "!has(object.spec.type) || object.spec.type != 'NodePort'", None),
        (
            "ingress-class",
            {"apiGroups": ["networking.k8s.io"], "kinds": ["Ingress"]},
            "has(object.spec.ingressClassName)",
            None,
        ),
        ("configmap-size", {"kinds": ["ConfigMap"]}, "!has(object.data) || object.data.size() < 100", None),
        ("ports-named", workloads, f"{pods}.containers.all(c, !has(c.ports) || c.ports.all(p, has(p.name)))", None),
        (
            "pull-policy",
            workloads,
            f"{pods}.containers.all(c, !has(c.imagePullPolicy) || c.imagePullPolicy in ['IfNotPresent', 'Always'])",
            None,
        ),
        ("sa-named", workloads, f"has({pods}.serviceAccountName)", None),
        (
            "version-label",
            {"kinds": ["*"]},
            "has(object.metadata.labels) && object.metadata.labels.exists(k, k == 'app.kubernetes.io/version')",
            None,
        ),
        (
            "team-values",
            workloads,
            "!has(object.metadata.labels) || !('team' in object.metadata.labels) || "
            "object.metadata.labels.team.matches('^[a-z][a-z0-9-]*$')",
            None,
        ),
        ("images-var", workloads, "variables.images.all(i, i.contains('/'))", None),
    ]
    out = []
    for name, match, expr, field in base:
        validation: dict[str, Any] = {"expression": expr, "message": f"{name} failed"}
        if field:
            validation["fieldPath"] = field
        check: dict[str, Any] = {
            "id": f"bench/{name}",
            "title": name,
            "level": "warning",
            "match": match,
            "validations": [validation],
        }
        if "variables." in expr:
            check["variables"] = [{"name": "images", "expression": f"{pods}.containers.map(c, c.image)"}]
        out.append(check)
    return out


def scan(args: argparse.Namespace) -> int:
    import yaml

    from bench.bench import bench_env  # bytecode cached, as after an install (bench/bench.py)

    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / ".ekslint.yaml"
        env = {**bench_env(Path(tmp) / "pycache"), "PYTHONPATH": str(ROOT)}
        config.write_text(yaml.safe_dump({"checks": twenty_checks()}, sort_keys=False), encoding="utf-8")
        ekslint = [sys.executable, "-c", "from ekslint.cli import main; main()"]
        base = [*ekslint, "scan", str(args.corpus.resolve()), "-f", "json", "-q", "-j", "1"]
        runs = {"no checks": [*base, "--no-config"], "20 CEL checks": [*base, "--config", str(config)]}
        times: dict[str, list[float]] = {name: [] for name in runs}
        counts: dict[str, int] = {}
        for _ in range(args.repeat):
            for name, cmd in runs.items():
                start = time.perf_counter()
                done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=tmp, env=env)
                times[name].append(time.perf_counter() - start)
                if done.returncode not in (0, 1):
                    print(done.stderr, file=sys.stderr)
                    return 2
                data = json.loads(done.stdout)
                if data["errors"]:
                    print(f"{name}: errors {data['errors'][:3]}", file=sys.stderr)
                    return 2
                counts[name] = sum(1 for r in data["results"] if r["rule"].startswith("bench/"))
    best = {name: min(t) for name, t in times.items()}
    ratio = best["20 CEL checks"] / best["no checks"]
    for name, t in times.items():
        print(
            f"{name:<14} best {min(t):6.2f} s  median {statistics.median(t):6.2f} s  findings of the checks: "
            f"{counts[name]}"
        )
    print(f"20 CEL checks add {100 * (ratio - 1):.1f} % to the scan (target: at most 30 %)")
    return 0 if ratio <= 1.30 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("engines", help="compare the CEL engines")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--limit", type=int, default=2000, help="objects to evaluate on (default 2000)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("scan", help="20 CEL checks over the corpus against none")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    return engines(args) if args.command == "engines" else scan(args)


if __name__ == "__main__":
    sys.exit(main())
