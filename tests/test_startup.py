"""A one-file scan (the pre-commit case) imports only what it runs; ``bench/startup.py`` times it.

What is imported is checked here instead of how long it takes: times are no test on a shared
machine, and a module that is not imported costs nothing anywhere.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ekslint.linter.index import ScanIndex
from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.loader import SourceFile
from ekslint.linter.model import Workload
from ekslint.linter.registry import RuleMeta, declared_rules, load_rules
from ekslint.rules.input._schema import _k8s_schemas, load_definitions

DEPLOYMENT = Path(__file__).resolve().parents[1] / "bench" / "deployment.yaml"

#: Run the command line in a fresh interpreter, then print the modules it imported.
SCAN = """
import json, sys
from ekslint.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


#: Imported by nothing a scan of one Deployment runs.
NOT_NEEDED = (
    "tree_sitter",  # Terraform
    "re2",  # Terraform regex functions, ignore files
    "pathspec",  # ignore files of scanned folders
    "jsonschema",
    "kubernetes_validate",  # its data files are read, its package is not imported
    "sarif_om",
    "ruamel",  # ekslint fix
    "hashlib",  # fingerprints: SARIF, GitLab, baselines
    "tempfile",  # report files (-o, --sarif-file)
    "decimal",
    "ekslint.linter.terraform",
    "ekslint.linter.cloudformation",
    "ekslint.linter.fixes",
    "ekslint.linter.gitignore",
    "ekslint.linter.helm",  # the renderers: --helm and --kustomize
    "ekslint.linter.kustomize",
    "ekslint.linter.baseline",
    "ekslint.linter.formatters.sarif",
    "ekslint.linter.formatters.json",
    "ekslint.linter.ruledocs",
    "ekslint.rules.loadbalancing",  # no Ingress or Service: nothing of family J runs
    "string",  # docs URLs
)


def imported_by(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", SCAN, *args], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


def test_one_file_scan_imports_only_the_rules_it_runs() -> None:
    modules = imported_by("scan", str(DEPLOYMENT), "--no-config", "-q")
    assert sorted(m for m in modules if m in NOT_NEEDED or m.startswith(tuple(f"{n}." for n in NOT_NEEDED))) == []

    def checks_a_deployment(meta: RuleMeta) -> bool:
        """Whether the rule has a target in a scan of one Deployment (and no cluster definition)."""
        for target in meta.targets:
            if target in (SourceFile, ScanIndex):
                return True
            if issubclass(Workload, target) and (meta.kinds is None or "Deployment.apps" in meta.kinds):
                return True
        return False

    rules = {meta.module: meta for meta in load_rules().values()}
    imported = sorted(rules[m].id for m in modules if m in rules)
    assert imported == sorted(meta.id for meta in rules.values() if meta.enabled and checks_a_deployment(meta))
    assert "privileged-container" in imported and "karpenter-ami-latest" not in imported


#: After the scan, every dataclass of the modules it imported whose generated ``__eq__`` or
#: frozen ``__setattr__`` was worth its cost: the records the public API promises as dataclasses.
RECORDS_SCAN = """
import dataclasses, json, sys
from ekslint.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
found = []
for name, module in list(sys.modules.items()):
    for value in vars(module).values() if name.startswith("ekslint") else ():
        if isinstance(value, type) and value.__module__ == name and dataclasses.is_dataclass(value):
            params = value.__dataclass_params__
            if params.eq or params.frozen:
                found.append(f"{name}.{value.__qualname__}")
print(json.dumps(sorted(found)))
"""
PUBLIC_RECORDS = [
    "ekslint.linter.context.RuleContext",
    "ekslint.linter.registry.Finding",
    "ekslint.linter.registry.NoOptions",
    "ekslint.linter.registry.RuleMeta",
]


def test_one_file_scan_makes_no_costly_dataclass() -> None:
    """Making a class is part of every start: on Python 3.11 a frozen dataclass costs about
    0.8 ms (five methods generated and compiled), one with ``eq`` 0.5 ms, a ``NamedTuple`` 0.07 ms;
    the 56 dataclasses of a one-file scan took a quarter of it. So the scan's immutable records
    are ``NamedTuple`` and its mutable ones ``eq=False``; a frozen or comparable dataclass on
    this path is one the public API (``ekslint.api``) promises."""
    proc = subprocess.run(
        [sys.executable, "-c", RECORDS_SCAN, "scan", str(DEPLOYMENT), "--no-config", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1]) == PUBLIC_RECORDS


def test_the_rules_command_imports_no_rule() -> None:
    modules = imported_by("rules")
    assert not any(m.startswith("ekslint.rules.") and m != "ekslint.rules._index" for m in modules)


def test_rule_index_matches_what_the_modules_declare() -> None:
    """``ekslint/rules/_index.py`` (written by ``docs/generate.py``) against the modules themselves:
    the same rules in the same order with the same metadata; only the check is missing."""
    indexed = load_rules()
    declared = declared_rules()
    assert list(indexed) == list(declared)
    for rule_id, meta in declared.items():
        assert dataclasses.replace(meta, func=None) == indexed[rule_id], f"{rule_id}: run python docs/generate.py"
        assert meta.func is not None and indexed[rule_id].source == Path(meta.func.__code__.co_filename)
        assert indexed[rule_id].check() is meta.func


@pytest.mark.parametrize(
    "folder", sorted(p.name for p in _k8s_schemas().glob("*-strict")) or ["(kubernetes-validate has no schemas)"]
)
def test_definitions_decode_lazily_to_what_json_decodes(folder: str) -> None:
    path = _k8s_schemas() / folder / "_definitions.json"
    if not path.is_file():
        pytest.skip(f"no {path}")
    text = path.read_text(encoding="utf-8")
    whole = json.loads(text)
    lazy = load_definitions(text.encode("utf-8"))
    assert type(lazy["$defs"]) is not dict, "the bundled layout is decoded lazily"
    assert {k: v for k, v in lazy.items() if k != "$defs"} == {k: v for k, v in whole.items() if k != "$defs"}
    assert lazy.keys() == whole.keys()
    for name, definition in whole["$defs"].items():
        assert lazy["$defs"].get(name) == definition
        assert lazy["$defs"].get(name) is lazy["$defs"].get(name)  # decoded once: the compiler memoises by id
    assert lazy["$defs"].get("io.k8s.api.apps.v1.NoSuchKind") is None


@pytest.mark.parametrize(
    "document",
    [
        {"$defs": {'with "quotes"': {"type": "object"}, "b": {"items": [1, {"c": "d"}]}}, "$id": "x"},
        {"$defs": {"a": {"type": "string"}}, "other": {"b": {"type": "integer"}}, "$id": "x"},
        {"$id": "x", "$defs": {"a": {}}},
        {"$defs": {}},
    ],
)
def test_definitions_of_any_layout_decode_as_json_does(document: dict[str, object]) -> None:
    for text in (json.dumps(document, indent=2), json.dumps(document)):
        lazy = load_definitions(text.encode("utf-8"))
        assert lazy.keys() == document.keys()
        for key, value in document.items():
            if key == "$defs" and isinstance(value, dict):
                assert {name: lazy["$defs"].get(name) for name in value} == value
                assert lazy["$defs"].get("b" if "b" not in value else "zz") is None
            else:
                assert lazy[key] == value


def test_non_printable_is_what_yaml_does_not_allow() -> None:
    """The loader's class of characters YAML 1.1 forbids, written as what it matches (fast to
    compile), is the complement of YAML's printable set, checked on every code point."""
    from ekslint.linter.loader import _NON_PRINTABLE

    printable = re.compile("[\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    every = "".join(map(chr, range(0x110000)))
    assert "".join(_NON_PRINTABLE.findall(every)) == printable.sub("", every)
    assert "".join(printable.findall(every)) == _NON_PRINTABLE.sub("", every)


def test_lazy_pattern_compiles_on_first_use_and_matches_as_re_does() -> None:
    lazy = LazyPattern(r"(?P<word>[a-z]+)(\d)?", re.I)
    assert lazy._compiled is None
    plain = re.compile(r"(?P<word>[a-z]+)(\d)?", re.I)
    text = "ab1 CD ef2"
    assert lazy.search(text, 1).span() == plain.search(text, 1).span()  # type: ignore[union-attr]
    assert lazy.match(text, 4).group("word") == "CD"  # type: ignore[union-attr]
    assert lazy.fullmatch("ab1") is not None and lazy.fullmatch(text) is None
    assert [m.span() for m in lazy.finditer(text, 0, 6)] == [m.span() for m in plain.finditer(text, 0, 6)]
    assert lazy.sub("x", text) == plain.sub("x", text) and lazy.sub(lambda m: m.group()[::-1], text, 1) == "1ba CD ef2"
    assert lazy.split(text) == plain.split(text) and lazy.split(text, 1) == plain.split(text, 1)
    assert lazy.compiled is lazy.compiled
